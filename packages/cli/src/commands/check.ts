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
import { policyFiles, readStandardInput } from '../files.js';
import { type CheckResult, checkJson, plural, sarif } from '../formats.js';
import { reporterOf, visible } from '../report.js';
import { checkSource, printSourceDiagnostics } from '../source.js';

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

/**
 * `tenet check <file|dir…|-> [--format text|json|sarif] [--deny-warnings] [--root <dir>]`: every problem in each
 * policy (each `.policy` file under a folder named; standard input for `-`), and what each clean one holds. Each
 * policy imports only from under its own folder, or from under `--root`; standard input, from under the current
 * folder or `--root`.
 */
export async function check(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    { root: { type: 'string' }, 'deny-warnings': { type: 'boolean' }, ...FORMAT_OPTION },
    1,
  );
  const format = formatOf(values.format, ['text', 'json', 'sarif'] as const, 'text');
  const denyWarnings = values['deny-warnings'] === true;
  const inputs = policyFiles(positionals, { stdin: true });
  const text = inputs[0]?.stdin ? await readStandardInput(ctx) : undefined;
  const results: CheckResult[] = [];
  for (const input of inputs) {
    const source = checkSource(ctx, input, { root: values.root, text });
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
    results.push({ file: input.file, ok, ...(contents && { contents }), diagnostics });
    if (format !== 'text') continue;
    printSourceDiagnostics(ctx, diagnostics, text);
    if (ok && contents) {
      const held = Object.entries(contents).map(([kind, n]) => plural(n, kind.slice(0, -1)));
      const warnings = diagnostics.length > 0 ? `; ${reporterOf(ctx).summary(diagnostics)}` : '';
      ctx.io.stdout(`${visible(input.file)}: ok (${held.join(', ')}${warnings})\n`);
    }
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
