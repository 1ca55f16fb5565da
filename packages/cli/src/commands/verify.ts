import { analyze, type DepartureAnalysis, solverAttributes } from '@tenet/compiler';
import { type Diagnostic, hasErrors } from '@tenet/language';
import { createEngine } from '@tenet/runtime';
import {
  analysisProgress,
  type Context,
  type ExitStatus,
  FORMAT_OPTION,
  formatOf,
  options,
  UsageError,
} from '../context.js';
import { type PolicyFile, policyFiles } from '../files.js';
import { diagnosticsJson, plural, SKIPPED } from '../formats.js';
import { reporterOf, visible } from '../report.js';
import { checkSource, isSkipped, printNotCompiled, printSourceDiagnostics } from '../source.js';

/** `3 of 4 assertions proved in 12 ms`. */
const provedText = (proved: number, assertions: number, milliseconds: number) =>
  `${proved.toLocaleString('en')} of ${plural(assertions, 'assertion')} proved in ${milliseconds.toFixed(0)} ms`;

/** How {@link verifyOne} runs: `--root`, `--deny-warnings`, and whether it writes text for people. */
interface VerifyOptions {
  root: string | undefined;
  denyWarnings: boolean;
  text: boolean;
  /** Whether several files are verified: then each count starts with the file's name. */
  several: boolean;
}

/** What verifying one file came to: its report for tools, whether it holds, and its assertions' count. */
interface Verified {
  status: 'verified' | 'not-compiled' | 'skipped';
  json: Record<string, unknown>;
  holds: boolean;
  assertions: number;
  proved: number;
  milliseconds: number;
}

/**
 * Verifies one policy: proves its assertions (deciding each counterexample, to show the decision and the rules that
 * made it) and its departures from the law it is compared with; in text, prints the report as it goes.
 */
function verifyOne(
  ctx: Context,
  input: PolicyFile,
  { root, denyWarnings, text, several }: VerifyOptions,
): Verified {
  const { file } = input;
  const source = checkSource(ctx, input, { root, requirePolicy: !input.found });
  ctx.io.progress?.('');
  const none = { assertions: 0, proved: 0, milliseconds: 0 };
  if (isSkipped(source)) {
    if (text) ctx.io.stdout(`${visible(file)}: skipped (${SKIPPED})\n`);
    return { status: 'skipped', json: { file, status: 'skipped' }, holds: true, ...none };
  }
  const { artifact } = source;
  if (!artifact) {
    if (text) printNotCompiled(ctx, source);
    const errors = source.diagnostics.filter((d) => d.severity === 'error');
    const json = {
      file,
      status: 'not-compiled',
      proved: false,
      assertions: [],
      diagnostics: diagnosticsJson(errors, file),
    };
    return { status: 'not-compiled', json, holds: false, ...none };
  }
  const engine = createEngine(artifact);
  const started = performance.now();
  const progress = analysisProgress(ctx, visible(file));
  const analysis = analyze(source.checked, solverAttributes(artifact.vocabulary), {
    ...(progress && { progress }),
  });
  ctx.io.progress?.('');
  const elapsed = performance.now() - started;
  const results = analysis.assertions.map((a) => {
    const decision = a.counterexample ? engine.decide(a.counterexample) : undefined;
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
  const diagnostics: Diagnostic[] = [...source.diagnostics, ...analysis.diagnostics];
  const proved = results.filter((r) => r.status === 'proved').length;
  const denied = denyWarnings && diagnostics.some((d) => d.severity === 'warning');
  const holds = proved === results.length && !hasErrors(diagnostics) && !denied;
  const departures = analysis.departures;
  const counted = {
    status: 'verified' as const,
    holds,
    assertions: results.length,
    proved,
    milliseconds: elapsed,
  };
  if (!text) {
    const assertions = results.map(({ span, ...r }) => ({
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
    const json = {
      file,
      status: 'verified',
      proved: holds,
      assertions,
      ...(departed ? { departures: departed } : {}),
      diagnostics: diagnosticsJson(diagnostics, file),
    };
    return { json, ...counted };
  }
  printSourceDiagnostics(ctx, diagnostics, undefined);
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
        `          counterexample (${visible(file)}:${r.span.start.line}): ${JSON.stringify(r.counterexample)}\n`,
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
  if (denied && !hasErrors(diagnostics))
    ctx.io.stderr(
      `${reporterOf(ctx).summary(diagnostics)} (--deny-warnings: a warning fails the verification)\n`,
    );
  ctx.io.stdout(`${several ? `${visible(file)}: ` : ''}${provedText(proved, results.length, elapsed)}\n`);
  return { json: {}, ...counted };
}

/**
 * `tenet verify <file|dir…> [--format text|json] [--deny-warnings] [--root <dir>]`: proves every assertion of each
 * policy (each `.policy` file under a folder named; one there without a `policy` header is skipped) for every query
 * the vocabulary allows, or refutes it with a counterexample query. Each policy imports only from under its own
 * folder, or from under `--root`. `--json` is the deprecated spelling of `--format json`.
 */
export async function verifyCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    {
      json: { type: 'boolean' },
      root: { type: 'string' },
      'deny-warnings': { type: 'boolean' },
      ...FORMAT_OPTION,
    },
    1,
  );
  if (values.json && values.format !== undefined && values.format !== 'json')
    throw new UsageError(
      `\`--json\` is \`--format json\`: give one or the other, not \`--format ${values.format}\` as well`,
    );
  const format = values.json ? 'json' : formatOf(values.format, ['text', 'json'] as const, 'text');
  const inputs = policyFiles(positionals);
  if (inputs.some((input) => input.file.endsWith('.json')))
    throw new UsageError('assertions live in the `.policy` source: verify the policy, not its artifact');
  const run = {
    root: values.root,
    denyWarnings: values['deny-warnings'] === true,
    text: format === 'text',
    several: inputs.length > 1,
  };
  const verified = inputs.map((input) => verifyOne(ctx, input, run));
  const total = (key: 'assertions' | 'proved' | 'milliseconds') => verified.reduce((n, v) => n + v[key], 0);
  if (format === 'json') {
    const summary = { assertions: total('assertions'), proved: total('proved') };
    ctx.io.stdout(`${JSON.stringify({ files: verified.map((v) => v.json), summary }, null, 2)}\n`);
  } else if (run.several) {
    const policies = verified.filter((v) => v.status === 'verified').length;
    const others = (['not-compiled', 'skipped'] as const).flatMap((status) => {
      const n = verified.filter((v) => v.status === status).length;
      return n > 0 ? [`${plural(n, 'file')} ${status === 'skipped' ? 'skipped' : 'not compiled'}`] : [];
    });
    ctx.io.stdout(
      `${plural(policies, 'policy', 'policies')}: ${provedText(total('proved'), total('assertions'), total('milliseconds'))}${others.length > 0 ? `; ${others.join(', ')}` : ''}\n`,
    );
  }
  return verified.every((v) => v.holds) ? 0 : 1;
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
