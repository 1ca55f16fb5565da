import { examplesOf } from '@tenet/compiler';
import type { Diagnostic } from '@tenet/language';
import { createEngine } from '@tenet/runtime';
import { type Context, type ExitStatus, FORMAT_OPTION, formatOf, options, UsageError } from '../context.js';
import { type PolicyFile, policyFiles } from '../files.js';
import {
  coverageLines,
  type ExampleResult,
  junit,
  outcomeText,
  plural,
  SKIPPED,
  type TestResult,
  tap,
  testJson,
  testSummary,
} from '../formats.js';
import { visible } from '../report.js';
import { type CheckedSource, checkSource, isSkipped, reporterFor } from '../source.js';
import {
  type FileReport,
  notCompiledReport,
  type Part,
  printReport,
  refuseUnwatchable,
  WATCH_OPTION,
  watch,
} from '../watch.js';

const same = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Whether an example is one `--filter <text>` keeps: its name holds the text, or the text is its line or `file:line`. */
const kept = (filter: string | undefined, file: string, name: string, line: number) =>
  filter === undefined || name.includes(filter) || filter === String(line) || filter === `${file}:${line}`;

/** How {@link testOne} runs: `--root` and `--filter`. */
interface TestOptions {
  root: string | undefined;
  filter: string | undefined;
}

/** Runs the examples of one policy (those the filter keeps) and finds what they reach: its result, and the source. */
function testOne(
  ctx: Context,
  input: PolicyFile,
  { root, filter }: TestOptions,
): { result: TestResult; source: CheckedSource } {
  const source = checkSource(ctx, input, { root, requirePolicy: !input.found });
  ctx.io.progress?.('');
  const base = { file: input.file, examples: [], filtered: 0, diagnostics: [] };
  if (isSkipped(source)) return { result: { ...base, status: 'skipped' }, source };
  const { artifact } = source;
  if (!artifact) {
    const errors = source.diagnostics.filter((d) => d.severity === 'error');
    return { result: { ...base, status: 'not-compiled', diagnostics: errors }, source };
  }
  const engine = createEngine(artifact);
  const reachedRules = new Set<number>();
  const reachedObligations = new Set<number>();
  const examples: ExampleResult[] = [];
  let filtered = 0;
  for (const example of examplesOf(source.checked)) {
    const at = example.declaration.description.span.start;
    const name = example.description;
    if (!kept(filter, input.file, name, at.line)) {
      filtered++;
      continue;
    }
    const decision = engine.decide(example.query);
    const trace = engine.trace(example.query);
    if ('outcome' in trace) {
      for (const r of trace.outcome.matched) reachedRules.add(r);
      for (const o of trace.outcome.obligations) reachedObligations.add(o);
    }
    const rules = decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule);
    const obligations = decision.obligations.map((o) => o.id);
    const { expect } = example;
    examples.push({
      name,
      line: at.line,
      column: at.column,
      passed:
        decision.errors.length === 0 &&
        decision.decision === expect.decision &&
        same(obligations, expect.obligations) &&
        (!expect.rules || same(rules, expect.rules)),
      expected: expect,
      actual: { decision: decision.decision, rules, obligations },
      reasons: decision.reasons.map((r) => ({ rule: r.rule, text: r.text })),
      errors: decision.errors.map((e) => e.message),
    });
  }
  const coverage = {
    rules: {
      total: artifact.rules.length,
      unreached: artifact.rules.filter((_, i) => !reachedRules.has(i)).map((r) => r.id),
    },
    obligations: {
      total: artifact.obligations.length,
      unreached: artifact.obligations.filter((_, i) => !reachedObligations.has(i)).map((o) => o.id),
    },
  };
  const result: TestResult = {
    ...base,
    status: 'tested',
    policy: artifact.policy.id,
    examples,
    filtered,
    ...(filtered === 0 && { coverage }),
  };
  return { result, source };
}

/** `7 examples: 7 passed, 0 failed`, with how many `--filter` left out. */
function counts(examples: number, passed: number, filtered: number): string {
  const left = filtered > 0 ? ` (${plural(filtered, 'example')} filtered out by --filter)` : '';
  return `${plural(examples, 'example')}: ${passed.toLocaleString('en')} passed, ${(examples - passed).toLocaleString('en')} failed${left}`;
}

/**
 * One policy's results for a person: each failure (each example with `verbose`) at the example's place, the count,
 * what no example reaches. With several files, the count starts with the file and the coverage is indented under it
 * (as watch mode always says it).
 */
function testReport(
  ctx: Context,
  r: TestResult,
  source: CheckedSource,
  several: boolean,
  verbose: boolean,
): FileReport {
  const file = visible(r.file);
  if (r.status === 'not-compiled') return notCompiledReport(ctx, source);
  if (r.status === 'skipped') {
    const line = `${file}: skipped (${SKIPPED})`;
    return {
      file: r.file,
      parts: [{ text: `${line}\n`, stream: 'stdout' }],
      ok: true,
      status: [line],
      source,
    };
  }
  const parts: Part[] = [];
  for (const e of r.examples) {
    if (e.passed && !verbose) continue;
    const headline = `${file}:${e.line}:${e.column}: example "${visible(e.name)}" ${e.passed ? 'passed' : 'failed'}`;
    const lines = [headline];
    if (!e.passed) {
      lines.push(`  expected: ${outcomeText(e.expected)}`, `  actual:   ${outcomeText(e.actual)}`);
      for (const reason of e.reasons) lines.push(`    because ${reason.rule}: ${visible(reason.text)}`);
      for (const error of e.errors) lines.push(`    invalid: ${visible(error)}`);
    }
    const text = lines.map((line) => `${line}\n`).join('');
    // The same failure, wherever the example has moved: its name and what it expected and got.
    const key = [r.file, e.name, ...lines.slice(1)].join('\0');
    parts.push({
      text,
      stream: 'stdout',
      ...(!e.passed && { problem: { kind: 'failed example' as const, key, headline } }),
    });
  }
  const passed = r.examples.filter((e) => e.passed).length;
  const count = counts(r.examples.length, passed, r.filtered);
  const coverage = r.coverage ? coverageLines(r.coverage, verbose) : [];
  const status = [`${file}: ${count}`, ...coverage.map((line) => `  ${line}`)];
  const shown = several ? status : [count, ...coverage];
  parts.push(...shown.map((line): Part => ({ text: `${line}\n`, stream: 'stdout' })));
  return { file: r.file, parts, ok: passed === r.examples.length, status, source };
}

/**
 * `tenet test <file|dir…> [--format text|json|junit|tap] [--filter <text>] [--verbose] [--root <dir>] [--watch]`:
 * runs every example of each policy (each `.policy` file under a folder named; one there without a `policy` header
 * is skipped); shows each failure with the expected and the actual outcome; lists the rules and obligations that no
 * example reaches; with `--watch`, again whenever one of their files changes (see {@link watch}). Each policy
 * imports only from under its own folder, or from under `--root`.
 */
export async function testCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    {
      root: { type: 'string' },
      filter: { type: 'string' },
      verbose: { type: 'boolean' },
      ...FORMAT_OPTION,
      ...WATCH_OPTION,
    },
    1,
  );
  const format = formatOf(values.format, ['text', 'json', 'junit', 'tap'] as const, 'text');
  if (values.watch) refuseUnwatchable(positionals, format);
  const inputs = policyFiles(positionals);
  if (inputs.some((input) => input.file.endsWith('.json')))
    throw new UsageError('examples live in the `.policy` source: test the policy, not its artifact');
  const verbose = values.verbose === true;
  const run = { root: values.root, filter: values.filter };
  if (values.watch) {
    const testFile = (c: Context, input: PolicyFile) => {
      const { result, source } = testOne(c, input, run);
      return testReport(c, result, source, inputs.length > 1, verbose);
    };
    return watch(ctx, positionals, inputs, testFile, { command: 'test', root: values.root });
  }
  const results: TestResult[] = [];
  for (const input of inputs) {
    const { result, source } = testOne(ctx, input, run);
    results.push(result);
    if (format === 'text') printReport(ctx, testReport(ctx, result, source, inputs.length > 1, verbose));
  }
  // Diagnostics in a report for tools: the whole frame, without colour, whatever the console.
  const reporter = reporterFor(ctx, undefined, false);
  const describe = (d: Diagnostic) => reporter.format(d);
  if (format === 'json') ctx.io.stdout(testJson(results));
  if (format === 'junit') ctx.io.stdout(junit(results, describe));
  if (format === 'tap') ctx.io.stdout(tap(results, describe));
  const summary = testSummary(results);
  if (format === 'text' && inputs.length > 1) {
    const tested = results.filter((r) => r.status === 'tested').length;
    const others = [
      ...(summary.notCompiled > 0 ? [`${plural(summary.notCompiled, 'file')} not compiled`] : []),
      ...(summary.skipped > 0 ? [`${plural(summary.skipped, 'file')} skipped`] : []),
    ];
    ctx.io.stdout(
      `${plural(tested, 'policy', 'policies')}, ${counts(summary.examples, summary.passed, summary.filtered)}${others.length > 0 ? `; ${others.join(', ')}` : ''}\n`,
    );
  }
  return summary.failed > 0 || summary.notCompiled > 0 ? 1 : 0;
}
