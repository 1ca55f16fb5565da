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
import { checkSource, isSkipped } from '../source.js';
import {
  diagnosticParts,
  type FileReport,
  notCompiledReport,
  type Part,
  printReport,
  refuseUnwatchable,
  WATCH_OPTION,
  watch,
} from '../watch.js';

/** `3 of 4 assertions proved`. */
const provedCount = (proved: number, assertions: number) =>
  `${proved.toLocaleString('en')} of ${plural(assertions, 'assertion')} proved`;

/** `3 of 4 assertions proved in 12 ms`. */
const provedText = (proved: number, assertions: number, milliseconds: number) =>
  `${provedCount(proved, assertions)} in ${milliseconds.toFixed(0)} ms`;

/** How {@link verifyOne} runs: `--root`, `--deny-warnings`, and whether it writes text for people. */
interface VerifyOptions {
  root: string | undefined;
  denyWarnings: boolean;
  text: boolean;
  /** Whether several files are verified: then each count starts with the file's name. */
  several: boolean;
}

/** What verifying one file came to: its report for tools or for people, whether it holds, and its assertions' count. */
interface Verified {
  status: 'verified' | 'not-compiled' | 'skipped';
  json: Record<string, unknown>;
  /** In text: the report for people. */
  report?: FileReport;
  holds: boolean;
  assertions: number;
  proved: number;
  milliseconds: number;
}

/**
 * Verifies one policy: proves its assertions (deciding each counterexample, to show the decision and the rules that
 * made it) and its departures from the law it is compared with; in text, with its report for people.
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
    const line = `${visible(file)}: skipped (${SKIPPED})`;
    const parts: Part[] = [{ text: `${line}\n`, stream: 'stdout' }];
    const report = text ? { report: { file, parts, ok: true, status: [line], source } } : {};
    return { status: 'skipped', json: { file, status: 'skipped' }, holds: true, ...none, ...report };
  }
  const { artifact } = source;
  if (!artifact) {
    const report = text ? { report: notCompiledReport(ctx, source) } : {};
    const errors = source.diagnostics.filter((d) => d.severity === 'error');
    const json = {
      file,
      status: 'not-compiled',
      proved: false,
      assertions: [],
      diagnostics: diagnosticsJson(errors, file),
    };
    return { status: 'not-compiled', json, holds: false, ...none, ...report };
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
  const parts = diagnosticParts(ctx, diagnostics);
  for (const r of results) {
    const mark = { proved: 'proved   ', false: 'FALSE    ', undecided: 'UNDECIDED' }[r.status];
    const lines = [
      `${mark}  ${r.id}${r.description ? `: ${visible(r.description)}` : ''}  (${r.milliseconds.toFixed(1)} ms)`,
      `          ${visible(r.claim)}${r.citations.length > 0 ? `  [because ${r.citations.join(', ')}]` : ''}`,
    ];
    if (r.counterexample) {
      lines.push(
        `          counterexample (${visible(file)}:${r.span.start.line}): ${JSON.stringify(r.counterexample)}`,
        `          decided: ${r.decision} by ${r.rules?.join(', ')}${r.obligations?.length ? `, with ${r.obligations.join(', ')}` : ''}`,
      );
    }
    if (r.status === 'undecided') {
      lines.push(
        '          not decided: a test the analysis cannot express, or a search out of budget; see above',
      );
    }
    const text = lines.map((l) => `${l}\n`).join('');
    if (r.status === 'proved') parts.push({ text, stream: 'stdout' });
    else {
      // The same refutation, wherever the assertion has moved (and however long it took).
      const key = [file, r.id, r.status, JSON.stringify(r.counterexample ?? null)].join('\0');
      const headline = `${visible(file)}:${r.span.start.line}: ${mark.trim()} ${r.id}`;
      const kind = r.status === 'false' ? 'false assertion' : 'undecided assertion';
      parts.push({ text, stream: 'stdout', problem: { kind, key, headline } });
    }
  }
  if (departures) parts.push(...departureParts(file, departures));
  if (denied && !hasErrors(diagnostics))
    parts.push({
      text: `${reporterOf(ctx).summary(diagnostics)} (--deny-warnings: a warning fails the verification)\n`,
      stream: 'stderr',
    });
  const count = `${several ? `${visible(file)}: ` : ''}${provedText(proved, results.length, elapsed)}`;
  parts.push({ text: `${count}\n`, stream: 'stdout' });
  const status = [`${visible(file)}: ${provedCount(proved, results.length)}`];
  return { json: {}, ...counted, report: { file, parts, ok: holds, status, source } };
}

/**
 * `tenet verify <file|dir…> [--format text|json] [--deny-warnings] [--root <dir>] [--watch]`: proves every assertion
 * of each policy (each `.policy` file under a folder named; one there without a `policy` header is skipped) for every
 * query the vocabulary allows, or refutes it with a counterexample query; with `--watch`, again whenever one of their
 * files changes (see {@link watch}). Each policy imports only from under its own folder, or from under `--root`.
 * `--json` is the deprecated spelling of `--format json`.
 */
export async function verifyCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    {
      json: { type: 'boolean' },
      root: { type: 'string' },
      'deny-warnings': { type: 'boolean' },
      ...FORMAT_OPTION,
      ...WATCH_OPTION,
    },
    1,
  );
  if (values.json && values.format !== undefined && values.format !== 'json')
    throw new UsageError(
      `\`--json\` is \`--format json\`: give one or the other, not \`--format ${values.format}\` as well`,
    );
  const format = values.json ? 'json' : formatOf(values.format, ['text', 'json'] as const, 'text');
  if (values.watch) refuseUnwatchable(positionals, format);
  const inputs = policyFiles(positionals);
  if (inputs.some((input) => input.file.endsWith('.json')))
    throw new UsageError('assertions live in the `.policy` source: verify the policy, not its artifact');
  const run = {
    root: values.root,
    denyWarnings: values['deny-warnings'] === true,
    text: format === 'text',
    several: inputs.length > 1,
  };
  if (values.watch) {
    // In text, every file verified has a report.
    const verifyFile = (c: Context, input: PolicyFile) => verifyOne(c, input, run).report as FileReport;
    return watch(ctx, positionals, inputs, verifyFile, { command: 'verify', root: values.root });
  }
  const verified = inputs.map((input) => {
    const v = verifyOne(ctx, input, run);
    if (v.report) printReport(ctx, v.report);
    return v;
  });
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
 * on which it shows, then whatever no interpretation acknowledges (a looser one fails the verification: the
 * diagnostic `departure-not-acknowledged` is its problem).
 */
function departureParts(file: string, analysis: DepartureAnalysis): Part[] {
  const lines = [`\ndepartures from ${analysis.reference.id} ("${visible(analysis.reference.title)}"):`];
  for (const d of analysis.departures) {
    const where = d.span ? ` (${file}:${d.span.start.line})` : '';
    const mark = d.interpretation
      ? 'acknowledged '
      : d.kind === 'looser'
        ? 'NOT ACKNOWLEDGED'
        : 'information  ';
    const what =
      d.kind === 'looser' ? 'looser: permits what the law denies' : 'stricter: denies what the law permits';
    lines.push(
      `${mark}  ${what}${d.interpretation ? `, in ${d.interpretation.id}${d.interpretation.title ? `: ${visible(d.interpretation.title)}` : ''}` : ', and no interpretation acknowledges it'}${where}`,
    );
    if (d.condition) lines.push(`          when ${visible(d.condition)}`);
    lines.push(
      d.example
        ? `          e.g. ${JSON.stringify(d.example)}`
        : d.undecided
          ? '          not decided: the search gave up before it found such a query or showed there is none'
          : '          no query departs so: the acknowledgment is unused',
    );
  }
  lines.push(
    analysis.proved
      ? `every query on which the policy is looser than ${analysis.reference.id} is acknowledged`
      : `the policy is looser than ${analysis.reference.id} where no interpretation acknowledges it`,
  );
  return [{ text: lines.map((line) => `${line}\n`).join(''), stream: 'stdout' }];
}
