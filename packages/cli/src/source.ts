import { compile } from '@tenet/compiler';
import {
  type CheckedPolicy,
  checkPolicy,
  type Diagnostic,
  hasErrors,
  sortDiagnostics,
} from '@tenet/language';
import type { Artifact } from '@tenet/runtime';
import type { Context } from './context.js';
import { hostOf, type PolicyFile, STDIN } from './files.js';
import { policyText } from './host.js';
import { compileOptions } from './load.js';
import { Reporter, reporterOf, visible } from './report.js';

/** A `.policy` source checked, and compiled when it could be: what `check`, `test` and `verify` work from. */
export interface CheckedSource {
  input: PolicyFile;
  /** The text read from standard input, when the source is `<stdin>`. */
  text?: string | undefined;
  checked: CheckedPolicy;
  /** Present when the source compiled. */
  artifact?: Artifact;
  /** Every problem checking and compiling found, in the order found. */
  diagnostics: Diagnostic[];
}

/** How {@link checkSource} reads and compiles. */
export interface CheckSourceOptions {
  /** The folder the policy and its imports must be in (`--root`). */
  root?: string | undefined;
  /** The text of standard input, for `<stdin>`. */
  text?: string | undefined;
  /**
   * Whether a file without a `policy` header is compiled too (and so fails with `missing-policy`): by default it is
   * only checked, as a file of declarations other policies import.
   */
  requirePolicy?: boolean;
}

/**
 * Checks a policy with its imports (confined as {@link hostOf} says) and compiles it when it has no errors; never
 * prints, except that where a person watches a line says which stage it is in (`checking…`, `compiling…`): the
 * caller clears it (`ctx.io.progress?.('')`) once it has done what follows, before it prints.
 */
export function checkSource(
  ctx: Context,
  input: PolicyFile,
  options: CheckSourceOptions = {},
): CheckedSource {
  const shown = visible(input.file);
  ctx.io.progress?.(`${shown}: checking…`);
  const { value, diagnostics } = checkPolicy(input.file, hostOf(input, options.root, options.text));
  let artifact: Artifact | undefined;
  if (!hasErrors(diagnostics) && (value.policy || options.requirePolicy)) {
    ctx.io.progress?.(`${shown}: compiling…`);
    const compiled = compile(value, compileOptions());
    diagnostics.push(...compiled.diagnostics);
    artifact = compiled.value;
  }
  return { input, text: options.text, checked: value, ...(artifact && { artifact }), diagnostics };
}

/**
 * The reporter for diagnostics: code frames of the files the CLI's hosts have read and, for `<stdin>`, of `stdin`
 * (the text read from standard input); colour as the console allows, unless `colour` says otherwise.
 */
export function reporterFor(ctx: Context, stdin: string | undefined, colour = ctx.io.colour): Reporter {
  if (stdin === undefined && colour === ctx.io.colour) return reporterOf(ctx);
  return new Reporter(colour, (file) => (file === STDIN ? stdin : policyText(file)));
}

/**
 * Prints diagnostics to standard error, in source order, each followed by a blank line; `stdin` is the text read
 * from standard input, when a policy was, for the code frames of `<stdin>`.
 */
export function printSourceDiagnostics(
  ctx: Context,
  diagnostics: readonly Diagnostic[],
  stdin: string | undefined,
): void {
  const reporter = reporterFor(ctx, stdin);
  for (const d of sortDiagnostics(diagnostics)) ctx.io.stderr(`${reporter.format(d)}\n\n`);
}

/**
 * Whether `test` and `verify` skip a source: found under a folder (not named), without errors, and without a
 * `policy` header (a file of declarations the policies beside it import).
 */
export function isSkipped(source: CheckedSource): boolean {
  return source.input.found && !source.checked.policy && !hasErrors(source.diagnostics);
}
