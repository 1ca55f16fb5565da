import { analyze, type DepartureAnalysis, solverAttributes } from '@tenet/compiler';
import { hasErrors } from '@tenet/language';
import { analysisProgress, type Context, type ExitStatus, options, UsageError } from '../context.js';
import { loadPolicy } from '../load.js';
import { printDiagnostics, visible } from '../report.js';

/**
 * `tenet verify <policy> [--json] [--root <dir>]`: proves every assertion for every query the vocabulary allows, or
 * refutes it with a counterexample query (decided here, to show the offending decision and the rules that made
 * it). The policy imports only from under its own folder, or from under `--root`.
 */
export async function verifyCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(args, { json: { type: 'boolean' }, root: { type: 'string' } }, 1);
  const file = positionals[0] as string;
  if (file.endsWith('.json'))
    throw new UsageError('assertions live in the `.policy` source: verify the policy, not its artifact');
  const loaded = await loadPolicy(ctx, file, { root: values.root });
  if (!loaded?.checked) return 1;
  const started = performance.now();
  const progress = analysisProgress(ctx, visible(file));
  const analysis = analyze(loaded.checked, solverAttributes(loaded.artifact.vocabulary), {
    ...(progress && { progress }),
  });
  ctx.io.progress?.('');
  const elapsed = performance.now() - started;
  const results = analysis.assertions.map((a) => {
    const decision = a.counterexample ? loaded.engine.decide(a.counterexample) : undefined;
    // A counterexample the runtime refuses proves nothing: the analysis is then undecided, not refuted.
    if (decision && decision.errors.length > 0) {
      const { counterexample: _refused, ...rest } = a;
      return { ...rest, status: 'undecided' as const };
    }
    return {
      ...a,
      ...(decision
        ? {
            decision: decision.decision,
            rules: decision.reasons.map((r) => r.rule),
            obligations: decision.obligations.map((o) => o.id),
          }
        : {}),
    };
  });
  const failed =
    results.filter((r) => r.status !== 'proved').length + (hasErrors(analysis.diagnostics) ? 1 : 0);
  const departures = analysis.departures;
  if (values.json) {
    const json = results.map(({ span, ...r }) => ({
      ...r,
      line: span.start.line,
      milliseconds: Number(r.milliseconds.toFixed(2)),
    }));
    const departed = departures && {
      ...departures,
      departures: departures.departures.map(({ span, ...d }) => ({
        ...d,
        ...(span ? { line: span.start.line } : {}),
      })),
    };
    ctx.io.stdout(
      `${JSON.stringify({ file, assertions: json, ...(departed ? { departures: departed } : {}), diagnostics: analysis.diagnostics }, null, 2)}\n`,
    );
    return failed > 0 ? 1 : 0;
  }
  printDiagnostics(ctx, analysis.diagnostics);
  for (const r of results) {
    const mark = { proved: 'proved   ', false: 'FALSE    ', undecided: 'UNDECIDED' }[r.status];
    ctx.io.stdout(
      `${mark}  ${r.id}${r.description ? `: ${visible(r.description)}` : ''}  (${r.milliseconds.toFixed(1)} ms)\n`,
    );
    ctx.io.stdout(
      `          ${visible(r.claim)}${r.citations.length > 0 ? `  [because ${r.citations.join(', ')}]` : ''}\n`,
    );
    if (r.counterexample) {
      ctx.io.stdout(
        `          counterexample (${file}:${r.span.start.line}): ${JSON.stringify(r.counterexample)}\n`,
      );
      ctx.io.stdout(
        `          decided: ${r.decision} by ${r.rules?.join(', ')}${r.obligations?.length ? `, with ${r.obligations.join(', ')}` : ''}\n`,
      );
    }
    if (r.status === 'undecided') {
      ctx.io.stdout(
        '          not decided: a test the analysis cannot express, or a search out of budget; see above\n',
      );
    }
  }
  if (departures) printDepartures(ctx, file, departures);
  const proved = results.filter((r) => r.status === 'proved').length;
  ctx.io.stdout(`${proved} of ${results.length} assertions proved in ${elapsed.toFixed(0)} ms\n`);
  return failed > 0 ? 1 : 0;
}

/**
 * The departures from the law in force: each acknowledged one with the interpretation that owns to it and a query
 * on which it shows, then whatever no interpretation acknowledges (a looser one fails the verification).
 */
function printDepartures(ctx: Context, file: string, analysis: DepartureAnalysis): void {
  ctx.io.stdout(`\ndepartures from ${analysis.reference.id} ("${visible(analysis.reference.title)}"):\n`);
  for (const d of analysis.departures) {
    const where = d.span ? ` (${file}:${d.span.start.line})` : '';
    const mark = d.interpretation
      ? 'acknowledged '
      : d.kind === 'looser'
        ? 'NOT ACKNOWLEDGED'
        : 'information  ';
    const what =
      d.kind === 'looser' ? 'looser: permits what the law denies' : 'stricter: denies what the law permits';
    ctx.io.stdout(
      `${mark}  ${what}${d.interpretation ? `, in ${d.interpretation.id}${d.interpretation.title ? `: ${visible(d.interpretation.title)}` : ''}` : ', and no interpretation acknowledges it'}${where}\n`,
    );
    if (d.condition) ctx.io.stdout(`          when ${visible(d.condition)}\n`);
    ctx.io.stdout(
      d.example
        ? `          e.g. ${JSON.stringify(d.example)}\n`
        : d.undecided
          ? '          not decided: the search gave up before it found such a query or showed there is none\n'
          : '          no query departs so: the acknowledgment is unused\n',
    );
  }
  ctx.io.stdout(
    analysis.proved
      ? `every query on which the policy is looser than ${analysis.reference.id} is acknowledged\n`
      : `the policy is looser than ${analysis.reference.id} where no interpretation acknowledges it\n`,
  );
}
