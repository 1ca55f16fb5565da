import { readFileSync } from 'node:fs';
import { suggest } from '@tenet/runtime';
import { type Console, type Context, type ExitStatus, UsageError } from './context.js';
import { COMMANDS, commandHelp, generalHelp } from './help.js';

export type { Console, ExitStatus } from './context.js';

type Command = (ctx: Context, args: string[]) => ExitStatus | Promise<ExitStatus>;

/** Each command, loaded when it runs: a command loads only the packages it needs. */
const commands: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./commands/check.js')).check,
  fmt: async () => (await import('./commands/fmt.js')).fmt,
  compile: async () => (await import('./commands/compile.js')).compileCommand,
  graph: async () => (await import('./commands/compile.js')).graphCommand,
  decide: async () => {
    const { decideCommand } = await import('./commands/decide.js');
    return (ctx, args) => decideCommand(ctx, args, false);
  },
  explain: async () => {
    const { decideCommand } = await import('./commands/decide.js');
    return (ctx, args) => decideCommand(ctx, args, true);
  },
  test: async () => (await import('./commands/test.js')).testCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  diff: async () => (await import('./commands/diff.js')).diffCommand,
  render: async () => (await import('./commands/render.js')).renderCommand,
  schema: async () => (await import('./commands/schema.js')).schemaCommand,
};

const COLOURS = ['auto', 'always', 'never'] as const;

/**
 * `args` without the options every command takes (`--color`, `--no-color`), and the colour they ask for. Options
 * after a `--` are left alone: they are file names.
 */
function withoutColourOption(args: readonly string[]): { args: string[]; colour?: (typeof COLOURS)[number] } {
  const rest: string[] = [];
  let colour: (typeof COLOURS)[number] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === '--no-color') colour = 'never';
    else if (arg === '--color' || arg.startsWith('--color=')) {
      const value = arg === '--color' ? args[i + 1] : arg.slice('--color='.length);
      if (arg === '--color' && !COLOURS.includes(value as never)) {
        colour = 'always';
        continue;
      }
      if (!COLOURS.includes(value as never))
        throw new UsageError(`--color is auto, always or never, not \`${value}\``);
      colour = value as (typeof COLOURS)[number];
      if (arg === '--color') i++;
    } else rest.push(arg);
  }
  return { args: rest, ...(colour && { colour }) };
}

/** The CLI's version, from its package. */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return `tenet ${String(manifest.version)} (node ${process.version})\n`;
}

/** What `tenet <name>` says when there is no such command. */
function unknownCommand(name: string): string {
  const near = suggest(name, Object.keys(commands));
  return `tenet: unknown command \`${name}\`${near ? `: did you mean \`${near}\`?` : ''} (\`tenet --help\` lists them)\n`;
}

/**
 * The one line said when something the CLI did not expect was thrown: a bug, reported without a stack trace.
 * `command` is the command run, when there is one.
 */
export function internalError(command: string | undefined, error: unknown): string {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = 'something was thrown that cannot be shown';
  }
  const line = message.split('\n')[0] ?? '';
  const shown = line.length > 200 ? `${line.slice(0, 200)}…` : line;
  return `tenet${command ? ` ${command}` : ''}: internal error: ${shown} (this is a bug; please report it)\n`;
}

/**
 * Runs the `tenet` command with `args` (without the program name), writing to `io`. Never throws: wrong usage and
 * unusable input are one line and exit status 2; anything unexpected is one line saying it is a bug, status 1.
 *
 * @example
 * const status = await run(['check', 'policy.policy'], { stdout: console.log, stderr: console.error, colour: false });
 */
export async function run(args: string[], io: Console): Promise<ExitStatus> {
  let colour: (typeof COLOURS)[number] | undefined;
  try {
    // `pnpm tenet -- check …` passes the `--` on.
    ({ args, colour } = withoutColourOption(args[0] === '--' ? args.slice(1) : args));
  } catch (error) {
    io.stderr(`tenet: ${(error as UsageError).message}\n`);
    return 2;
  }
  if (colour !== undefined && colour !== 'auto') io = { ...io, colour: colour === 'always' };
  const [name, ...rest] = args;
  if (name === undefined) {
    io.stderr(generalHelp());
    return 2;
  }
  if (name === '--version' || name === 'version') {
    io.stdout(version());
    return 0;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !Object.hasOwn(COMMANDS, topic)) {
      io.stderr(unknownCommand(topic));
      return 2;
    }
    io.stdout(topic === undefined ? generalHelp() : commandHelp(topic));
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.stderr(unknownCommand(name));
    return 2;
  }
  const ending = rest.indexOf('--');
  if (rest.slice(0, ending < 0 ? undefined : ending).some((a) => a === '-h' || a === '--help')) {
    io.stdout(commandHelp(name));
    return 0;
  }
  try {
    return await (await load())({ io }, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`tenet ${name}: ${error.message}\n`);
      return 2;
    }
    io.stderr(internalError(name, error));
    return 1;
  }
}
