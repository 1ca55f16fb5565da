import { type Console, type Context, type ExitStatus, UsageError } from './context.js';

export type { Console, ExitStatus } from './context.js';

const usage = `usage: tenet <command> [options] <file…>

commands:
  check <file…>                          parse and check policies; print every problem found
  fmt <file…> [--check]                  rewrite policies in the canonical layout; --check only reports
  compile <policy> -o <artifact.json> [--sign <key.pem>]
                                         write the compiled policy the runtime loads, signed if asked
  graph <policy|artifact>                print the decision graph (Graphviz dot)
  decide <policy|artifact> --query <file|-> [--format json|text]
                                         answer one query (JSON) or many (JSON Lines)
  explain <policy|artifact> --query <file|-> [--format text|json]
                                         the answer in words, with what would have changed it
  test <policy>                          run the policy's examples; list what no example reaches
  verify <policy> [--json]               prove every assertion, or show a query that breaks it
  diff <a> <b> [--decisions-only] [--limit N] [--json]
                                         the classes of queries two policies decide differently
  render <policy> -o <dir> [--compare <policy>] [--no-pdf]
                                         the board document: index.html, and PDFs on Letter and A4

options:
  --root <dir>                           the folder a policy and its imports must be in (default: the
                                         current folder if the policy is under it, else the policy's own)
  --key <public.pem>                     decide, explain, graph: only from an artifact signed by this key
  -h, --help                             show this help

exit status: 0 success; 1 errors in the policy, or a failed test; 2 wrong usage or an invalid query
`;

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
};

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
  const [name, ...rest] = args;
  if (name === undefined) {
    io.stderr(usage);
    return 2;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout(usage);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.stderr(`tenet: unknown command \`${name}\`\n\n${usage}`);
    return 2;
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
