import { type ParseArgsConfig, parseArgs } from 'node:util';
import { suggest } from '@tenet/runtime';

/** Where the CLI writes, and whether it may use colour. */
export interface Console {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether diagnostics, written to standard error, may be coloured (nothing on standard output ever is). */
  colour: boolean;
  /** Standard input, as bytes in the chunks they arrive in (for `--query -`). Absent: standard input is empty. */
  stdin?: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /**
   * Resolves when standard output and standard error have taken what was written to them: a command that writes
   * as it reads waits on it, so it reads no faster than its output is read. Absent: nothing to wait for.
   */
  drained?: () => Promise<void>;
  /**
   * Where long work says how far it has got: one line, rewritten in place, cleared with `''`. Absent where no
   * person watches (standard error is not a terminal), so logs and pipes get none of it.
   */
  progress?: (text: string) => void;
  /**
   * Whether standard output is a terminal a person watches (not a pipe, a file or a dumb terminal): `--watch` then
   * clears the screen before each run and shows the whole state, in colour if `colour` allows. Absent: it is not, and
   * `--watch` writes no escape codes.
   */
  terminal?: boolean;
}

/**
 * Whether to colour what goes to a stream, by the conventions: `FORCE_COLOR` (any value but `0` or `false`) forces
 * it, a non-empty `NO_COLOR` or `TERM=dumb` turns it off, and otherwise a terminal gets colour and nothing else does.
 * (`--color` overrides all of it: see `run`.)
 */
export function colourWanted(
  isTerminal: boolean,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb' && isTerminal;
}

/**
 * How far the analyzer has got on `file`, said at most four times a second where a person watches (undefined
 * where none does): `p.policy: proving assertion 3 of 31…`, `analysing rule 4,001 of 10,000…`.
 */
export function analysisProgress(
  ctx: Context,
  file: string,
): ((stage: 'lints' | 'assertions', done: number, total: number) => void) | undefined {
  const progress = ctx.io.progress;
  if (!progress) return undefined;
  let said = 0;
  return (stage, done, total) => {
    if (performance.now() - said < 250) return;
    said = performance.now();
    const what = stage === 'lints' ? 'analysing rule' : 'proving assertion';
    progress(`${file}: ${what} ${(done + 1).toLocaleString('en')} of ${total.toLocaleString('en')}…`);
  };
}

/**
 * Exit statuses: 0 success; 1 the policy has errors, a check failed or a difference was found; 2 the command or a
 * query was invalid.
 */
export type ExitStatus = 0 | 1 | 2;

/**
 * A mistake in how the command was called, or an input it cannot use (a query file it cannot read, a query too
 * large): reported in one line, exit status 2.
 */
export class UsageError extends Error {}

/** Why a file or a stream could not be read or written, by the error's code, in words. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would be too large',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'an input/output error',
  EBADF: 'it is closed',
  EPIPE: 'its reader has closed it',
};

/**
 * Why a file or a stream could not be read or written, in words: `permission denied`, `is a directory`, `no such
 * file or folder`. The path is left out: the message that uses it names the file.
 */
export function ioReason(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && Object.hasOwn(REASONS, code)) return REASONS[code] as string;
  // Node's own message is `CODE: what, syscall 'path'`: keep what.
  const message = error instanceof Error ? error.message : String(error);
  const what = /^[A-Z0-9_]+: ([^,\n]+)/.exec(message)?.[1];
  return what ?? (typeof code === 'string' ? code : (message.split('\n')[0] ?? ''));
}

/**
 * What every command gets: where it writes. (Diagnostics are printed by `report.ts`, which loads the language
 * package: a command that decides from a compiled artifact never does.)
 */
export interface Context {
  io: Console;
}

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's arguments; wrong usage is a {@link UsageError}. */
export function options<T extends OptionSpec>(
  args: string[],
  spec: T,
  minimumFiles: number,
): { positionals: string[]; values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string } } {
  try {
    const parsed = parseArgs({ args, allowPositionals: true, options: spec, strict: true });
    if (parsed.positionals.length < minimumFiles) {
      throw new UsageError(
        minimumFiles === 1 ? 'name at least one .policy file' : `name ${minimumFiles} files`,
      );
    }
    return parsed as ReturnType<typeof options<T>>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(parseProblem(error, spec));
  }
}

/** What `parseArgs` found wrong, in our words: an unknown option with the one meant, a value missing or not taken. */
function parseProblem(error: unknown, spec: OptionSpec): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const option = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const names = Object.keys(spec).map((name) => `--${name}`);
    // `--json`, as other tools spell it, where this command takes `--format json`.
    const near =
      option === '--json' && Object.hasOwn(spec, 'format') ? '--format json' : suggest(option, names);
    return `unknown option \`${option}\`${near ? `: did you mean \`${near}\`?` : ' (`--help` lists the options)'}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return message.includes('argument missing')
      ? `\`${option}\` needs a value`
      : `\`${option}\` takes no value`;
  return message.replace(/^./, (c) => c.toLowerCase());
}

/** The `--format` option, as every command that prints for tools as well as for people takes it. */
export const FORMAT_OPTION = { format: { type: 'string' } } as const;

/**
 * The output format asked for with `--format` (`given`), one of `allowed`, or `fallback` when none was given; any
 * other is a {@link UsageError} naming the formats there are.
 */
export function formatOf<F extends string>(given: string | undefined, allowed: readonly F[], fallback: F): F {
  if (given === undefined) return fallback;
  if ((allowed as readonly string[]).includes(given)) return given as F;
  throw new UsageError(`--format is ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}, not \`${given}\``);
}

/**
 * The chunks of an input (`what` names it: `standard input`, ``the query file `q.json` ``), as they arrive; an error
 * reading them is a {@link UsageError} saying what could not be read, and why.
 */
export async function* readChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  what: string,
): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } catch (error) {
    throw new UsageError(`cannot read ${what}: ${ioReason(error)}`);
  }
}
