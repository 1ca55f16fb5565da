import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Diagnostic, sortDiagnostics } from '@tenet/language';
import { fileHost } from './host.js';
import { Reporter } from './report.js';

/** Where the CLI writes, and whether it may use colour. */
export interface Console {
  stdout(text: string): void;
  stderr(text: string): void;
  colour: boolean;
  /** Standard input, read whole (for `--query -`). */
  stdin?: () => string;
}

/**
 * Exit statuses: 0 success; 1 the policy has errors, a check failed or a difference was found; 2 the command or a
 * query was invalid.
 */
export type ExitStatus = 0 | 1 | 2;

/** A mistake in how the command was called: reported in one line, exit status 2. */
export class UsageError extends Error {}

/** What every command gets. */
export interface Context {
  io: Console;
  reporter: Reporter;
}

/** The context of one run of the CLI: where it writes, and how it prints diagnostics. */
export function context(io: Console): Context {
  return { io, reporter: new Reporter(io.colour, (file) => fileHost.read(file)) };
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

/** Prints diagnostics to standard error, in source order, each followed by a blank line. */
export function printDiagnostics({ io, reporter }: Context, diagnostics: readonly Diagnostic[]): void {
  for (const d of sortDiagnostics(diagnostics)) io.stderr(`${reporter.format(d)}\n\n`);
}
