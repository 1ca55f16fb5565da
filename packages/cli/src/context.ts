import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Where the CLI writes, and whether it may use colour. */
export interface Console {
  stdout(text: string): void;
  stderr(text: string): void;
  colour: boolean;
  /** Standard input, read whole (for `--query -`). */
  stdin?: () => string;
  /**
   * Where long work says how far it has got: one line, rewritten in place, cleared with `''`. Absent where no
   * person watches (standard error is not a terminal), so logs and pipes get none of it.
   */
  progress?: (text: string) => void;
}

/**
 * Exit statuses: 0 success; 1 the policy has errors, a check failed or a difference was found; 2 the command or a
 * query was invalid.
 */
export type ExitStatus = 0 | 1 | 2;

/** A mistake in how the command was called: reported in one line, exit status 2. */
export class UsageError extends Error {}

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
    throw new UsageError(
      error instanceof Error ? error.message.replace(/^./, (c) => c.toLowerCase()) : String(error),
    );
  }
}
