import { analyze, solverAttributes } from '@tenet/compiler';
import { type CheckedPolicy, type Diagnostic, hasErrors } from '@tenet/language';
import {
  analysisProgress,
  type Context,
  type ExitStatus,
  FORMAT_OPTION,
  formatOf,
  options,
} from '../context.js';
import { type PolicyFile, policyFiles, readStandardInput } from '../files.js';
import { type CheckResult, checkJson, plural, sarif } from '../formats.js';
import { reporterOf, visible } from '../report.js';
import { type CheckedSource, checkSource } from '../source.js';
import {
  diagnosticParts,
  type FileReport,
  printReport,
  refuseUnwatchable,
  WATCH_OPTION,
  watch,
} from '../watch.js';

/** The most rules a policy may have for `check` to analyse it too. */
const ANALYSED_IN_CHECK = 1000;

/** What a policy holds, by kind, in the plural: `{ files: 3, sections: 7, rules: 12, … }`. */
function contentsOf(value: CheckedPolicy): Record<string, number> {
  return {
    files: value.program.files.length,
    sections: value.sections.size,
    rules: value.rules.length,
    obligations: value.obligations.size,
    assertions: value.assertions.length,
    examples: value.examples.length,
    interpretations: value.interpretations.length,
  };
}

/** Whether the diagnostics fail the check: an error, or a warning under `--deny-warnings`. */
const fails = (diagnostics: readonly Diagnostic[], denyWarnings: boolean) =>
  hasErrors(diagnostics) || (denyWarnings && diagnostics.some((d) => d.severity === 'warning'));

/** How {@link checkOne} checks: `--root`, `--deny-warnings`, and the text of standard input when it is read. */
interface CheckOptions {
  root: string | undefined;
  denyWarnings: boolean;
  text: string | undefined;
}

/** Checks one policy and, when it compiled and is small, analyses it: its result for tools, and the source. */
function checkOne(
  ctx: Context,
  input: PolicyFile,
  { root, denyWarnings, text }: CheckOptions,
): { result: CheckResult; source: CheckedSource } {
  const source = checkSource(ctx, input, { root, text });
  const { checked, diagnostics } = source;
  // A policy that compiled and is small is also analysed for rules that never apply, permits always overridden
  // and the like (proofs are `tenet verify`'s work).
  if (source.artifact && checked.rules.length <= ANALYSED_IN_CHECK) {
    const progress = analysisProgress(ctx, visible(input.file));
    diagnostics.push(
      ...analyze(checked, solverAttributes(source.artifact.vocabulary), {
        proofs: false,
        ...(progress && { progress }),
      }).diagnostics,
    );
  }
  ctx.io.progress?.('');
  const ok = !fails(diagnostics, denyWarnings);
  const contents = hasErrors(diagnostics) ? undefined : contentsOf(checked);
  return { result: { file: input.file, ok, ...(contents && { contents }), diagnostics }, source };
}

/** One policy's result for people: its problems, then, when it passes, `p.policy: ok (…)` with what it holds. */
function checkReport(
  ctx: Context,
  { file, ok, contents, diagnostics }: CheckResult,
  source: CheckedSource,
): FileReport {
  const parts = diagnosticParts(ctx, diagnostics, source.text);
  const summary = reporterOf(ctx).summary(diagnostics);
  if (!ok || !contents) return { file, parts, ok, status: [`${visible(file)}: ${summary}`], source };
  const held = Object.entries(contents).map(([kind, n]) => plural(n, kind.slice(0, -1)));
  const line = `${visible(file)}: ok (${held.join(', ')}${diagnostics.length > 0 ? `; ${summary}` : ''})`;
  return { file, parts: [...parts, { text: `${line}\n`, stream: 'stdout' }], ok, status: [line], source };
}

/**
 * `tenet check <file|dir…|-> [--format text|json|sarif] [--deny-warnings] [--root <dir>] [--watch]`: every problem
 * in each policy (each `.policy` file under a folder named; standard input for `-`), and what each clean one holds;
 * with `--watch`, again whenever one of their files changes (see {@link watch}). Each policy imports only from under
 * its own folder, or from under `--root`; standard input, from under the current folder or `--root`.
 */
export async function check(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    { root: { type: 'string' }, 'deny-warnings': { type: 'boolean' }, ...FORMAT_OPTION, ...WATCH_OPTION },
    1,
  );
  const format = formatOf(values.format, ['text', 'json', 'sarif'] as const, 'text');
  if (values.watch) refuseUnwatchable(positionals, format);
  const inputs = policyFiles(positionals, { stdin: true });
  const text = inputs[0]?.stdin ? await readStandardInput(ctx) : undefined;
  const run = { root: values.root, denyWarnings: values['deny-warnings'] === true, text };
  if (values.watch) {
    const checkFile = (c: Context, input: PolicyFile) => {
      const { result, source } = checkOne(c, input, run);
      return checkReport(c, result, source);
    };
    return watch(ctx, positionals, inputs, checkFile, { command: 'check', root: values.root });
  }
  const results: CheckResult[] = [];
  for (const input of inputs) {
    const { result, source } = checkOne(ctx, input, run);
    results.push(result);
    if (format === 'text') printReport(ctx, checkReport(ctx, result, source));
  }
  if (format === 'json') ctx.io.stdout(checkJson(results));
  if (format === 'sarif') ctx.io.stdout(sarif(results));
  if (results.every((r) => r.ok)) return 0;
  if (format === 'text') {
    const all = results.flatMap((r) => r.diagnostics);
    const denied = hasErrors(all) ? '' : ' (--deny-warnings: a warning fails the check)';
    ctx.io.stderr(`${reporterOf(ctx).summary(all)}${denied}\n`);
  }
  return 1;
}
