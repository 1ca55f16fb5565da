import { analyze, compile, solverAttributes } from '@tenet/compiler';
import { checkPolicy, type Diagnostic, hasErrors } from '@tenet/language';
import { analysisProgress, type Context, type ExitStatus, options } from '../context.js';
import { policyHost } from '../host.js';
import { compileOptions } from '../load.js';
import { printDiagnostics, reporterOf, visible } from '../report.js';

/** The most rules a policy may have for `check` to analyse it too. */
const ANALYSED_IN_CHECK = 1000;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `tenet check <file…> [--root <dir>]`: every problem in each policy, and what each clean one holds. Each policy
 * imports only from under its own folder, or from under `--root`.
 */
export function check(ctx: Context, args: string[]): ExitStatus {
  const { positionals, values } = options(args, { root: { type: 'string' } }, 1);
  const all: Diagnostic[] = [];
  for (const file of positionals) {
    const host = policyHost(file, { root: values.root });
    // Where a person watches, a line says which stage a large policy is in; it is cleared before the report.
    ctx.io.progress?.(`${visible(file)}: checking…`);
    const { value, diagnostics } = checkPolicy(file, host);
    // A policy without errors is compiled, and its compile errors reported; a small one is also analysed for
    // rules that never apply, permits always overridden and the like (proofs are `tenet verify`'s work).
    if (!hasErrors(diagnostics) && value.policy) {
      ctx.io.progress?.(`${visible(file)}: compiling…`);
      const compiled = compile(value, compileOptions());
      diagnostics.push(...compiled.diagnostics);
      if (compiled.value && value.rules.length <= ANALYSED_IN_CHECK) {
        const progress = analysisProgress(ctx, visible(file));
        diagnostics.push(
          ...analyze(value, solverAttributes(compiled.value.vocabulary), {
            proofs: false,
            ...(progress && { progress }),
          }).diagnostics,
        );
      }
    }
    ctx.io.progress?.('');
    all.push(...diagnostics);
    printDiagnostics(ctx, diagnostics);
    if (!hasErrors(diagnostics)) {
      const contents = [
        plural(value.program.files.length, 'file'),
        plural(value.sections.size, 'section'),
        plural(value.rules.length, 'rule'),
        plural(value.obligations.size, 'obligation'),
        plural(value.assertions.length, 'assertion'),
        plural(value.examples.length, 'example'),
        plural(value.interpretations.length, 'interpretation'),
      ].join(', ');
      const warnings = diagnostics.length > 0 ? `; ${reporterOf(ctx).summary(diagnostics)}` : '';
      ctx.io.stdout(`${visible(file)}: ok (${contents}${warnings})\n`);
    }
  }
  if (!hasErrors(all)) return 0;
  ctx.io.stderr(`${reporterOf(ctx).summary(all)}\n`);
  return 1;
}
