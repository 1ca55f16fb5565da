import { analyze, compile, solverAttributes } from '@tenet/compiler';
import { checkPolicy, type Diagnostic, hasErrors } from '@tenet/language';
import { type Context, type ExitStatus, options } from '../context.js';
import { fileHost } from '../host.js';
import { printDiagnostics, reporterOf } from '../report.js';

/** The most rules a policy may have for `check` to analyse it too. */
const ANALYSED_IN_CHECK = 1000;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `tenet check <file…>`: every problem in each policy, and what each clean one holds. */
export function check(ctx: Context, args: string[]): ExitStatus {
  const { positionals } = options(args, {}, 1);
  const all: Diagnostic[] = [];
  for (const file of positionals) {
    const { value, diagnostics } = checkPolicy(file, fileHost);
    // A policy without errors is compiled, and its compile errors reported; a small one is also analysed for
    // rules that never apply, permits always overridden and the like (proofs are `tenet verify`'s work).
    if (!hasErrors(diagnostics) && value.policy) {
      const compiled = compile(value);
      diagnostics.push(...compiled.diagnostics);
      if (compiled.value && value.rules.length <= ANALYSED_IN_CHECK) {
        diagnostics.push(
          ...analyze(value, solverAttributes(compiled.value.vocabulary), { proofs: false }).diagnostics,
        );
      }
    }
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
      ctx.io.stdout(`${file}: ok (${contents}${warnings})\n`);
    }
  }
  if (!hasErrors(all)) return 0;
  ctx.io.stderr(`${reporterOf(ctx).summary(all)}\n`);
  return 1;
}
