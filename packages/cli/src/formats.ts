/**
 * The output formats for tools: diagnostics as JSON and as SARIF 2.1.0, test results as JSON, JUnit XML and TAP
 * version 14, and a unified diff of two texts. Each renderer takes data and returns text; the commands print it.
 */
import path from 'node:path';
import { type Diagnostic, type Position, type SourceSpan, sortDiagnostics } from '@tenet/language';
import { STDIN } from './files.js';
import { visible } from './report.js';

/** A span as the JSON formats carry it: where it starts and where it ends (exclusive), 1-based lines and columns. */
export interface RangeJson {
  start: Position;
  end: Position;
}

/** A diagnostic as the JSON formats carry it: the fields of a `Diagnostic`, its span as `file` and `range`. */
export interface DiagnosticJson {
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  /** The file the diagnostic is in: its span's, or, without a span, the file that was being read. */
  file: string;
  range?: RangeJson;
  help?: string;
  fix?: { title: string; edits: { file: string; range: RangeJson; newText: string }[] };
  related?: { file: string; range: RangeJson; message: string }[];
}

const positionOf = ({ line, column, offset }: Position): Position => ({ line, column, offset });
const rangeOf = (span: SourceSpan): RangeJson => ({
  start: positionOf(span.start),
  end: positionOf(span.end),
});

/** A diagnostic as JSON; `file` is the file that was being read, named when the diagnostic has no span. */
export function diagnosticJson(d: Diagnostic, file: string): DiagnosticJson {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.span?.file ?? file,
    ...(d.span && { range: rangeOf(d.span) }),
    ...(d.help !== undefined && { help: d.help }),
    ...(d.fix && {
      fix: {
        title: d.fix.title,
        edits: d.fix.edits.map((e) => ({ file: e.span.file, range: rangeOf(e.span), newText: e.newText })),
      },
    }),
    ...(d.related && {
      related: d.related.map((r) => ({ file: r.span.file, range: rangeOf(r.span), message: r.message })),
    }),
  };
}

/** A file's diagnostics as JSON, in source order. */
export function diagnosticsJson(diagnostics: readonly Diagnostic[], file: string): DiagnosticJson[] {
  return sortDiagnostics(diagnostics).map((d) => diagnosticJson(d, file));
}

/** How many diagnostics there are of each severity. */
export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/** How many of `diagnostics` are errors, warnings and information. */
export function severityCounts(diagnostics: readonly Diagnostic[]): SeverityCounts {
  const count = (severity: Diagnostic['severity']) =>
    diagnostics.filter((d) => d.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

/** What `tenet check` found in one file: its problems and, when it passed, what it holds. */
export interface CheckResult {
  file: string;
  ok: boolean;
  /** What a file that passed holds: `{ files: 3, sections: 7, rules: 12, … }`. */
  contents?: Record<string, number>;
  diagnostics: readonly Diagnostic[];
}

/**
 * `tenet check --format json`: `{ files: [{ file, ok, contents?, diagnostics }], summary: { errors, warnings,
 * infos } }`, one JSON document, two-space indented.
 */
export function checkJson(results: readonly CheckResult[]): string {
  const files = results.map((r) => ({
    file: r.file,
    ok: r.ok,
    ...(r.contents && { contents: r.contents }),
    diagnostics: diagnosticsJson(r.diagnostics, r.file),
  }));
  const summary = severityCounts(results.flatMap((r) => r.diagnostics));
  return `${JSON.stringify({ files, summary }, null, 2)}\n`;
}

/**
 * A file as a SARIF artifact location: its path relative to the current folder, `/`-separated, each segment
 * percent-encoded (a relative URI reference); standard input has no URI and is described instead.
 */
function artifactLocation(file: string): { uri: string } | { description: { text: string } } {
  if (file === STDIN) return { description: { text: 'standard input' } };
  const relative = path.relative(process.cwd(), path.resolve(file));
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/') };
}

/** A span as a SARIF region. Tenet's columns are 1-based UTF-16 code units, end exclusive: SARIF's own. */
const regionOf = (span: SourceSpan) => ({
  startLine: span.start.line,
  startColumn: span.start.column,
  endLine: span.end.line,
  endColumn: span.end.column,
});

const physicalLocation = (span: SourceSpan) => ({
  physicalLocation: { artifactLocation: artifactLocation(span.file), region: regionOf(span) },
});

const LEVELS = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A diagnostic's fix as SARIF fixes: one artifact change for each file it edits. */
function sarifFixes(d: Diagnostic) {
  if (!d.fix) return {};
  const files = [...new Set(d.fix.edits.map((e) => e.span.file))];
  return {
    fixes: [
      {
        description: { text: d.fix.title },
        artifactChanges: files.map((file) => ({
          artifactLocation: artifactLocation(file),
          replacements: d.fix?.edits
            .filter((e) => e.span.file === file)
            .map((e) => ({ deletedRegion: regionOf(e.span), insertedContent: { text: e.newText } })),
        })),
      },
    ],
  };
}

/**
 * `tenet check --format sarif`: a SARIF 2.1.0 log of one run of the tool `tenet`, a rule for each diagnostic code
 * used, a result for each diagnostic (its help, where it has one, on a second line of the message), with its
 * location (paths relative to the current folder) and its fix. Two-space indented JSON.
 */
export function sarif(results: readonly { file: string; diagnostics: readonly Diagnostic[] }[]): string {
  const all = results.flatMap((r) => sortDiagnostics(r.diagnostics).map((d) => ({ d, file: r.file })));
  const codes = [...new Set(all.map(({ d }) => d.code))].sort();
  const sarifResults = all.map(({ d, file }) => ({
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: LEVELS[d.severity],
    message: { text: d.help === undefined ? d.message : `${d.message}\nhelp: ${d.help}` },
    locations: [
      d.span ? physicalLocation(d.span) : { physicalLocation: { artifactLocation: artifactLocation(file) } },
    ],
    ...(d.related && {
      relatedLocations: d.related.map((r, id) => ({
        id,
        ...physicalLocation(r.span),
        message: { text: r.message },
      })),
    }),
    ...sarifFixes(d),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'tenet', rules: codes.map((id) => ({ id })) } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** What an example expects, or what the policy decided: the decision, the rules that decided it, the obligations. */
export interface ExampleOutcome {
  decision: string;
  /** Absent in an expectation that names no rules. */
  rules?: readonly string[];
  obligations: readonly string[];
}

/** An outcome in words: `deny by resist-defective-process with notify_director`, `permit with no obligations`. */
export function outcomeText(outcome: ExampleOutcome): string {
  const by = outcome.rules && outcome.rules.length > 0 ? ` by ${outcome.rules.join(', ')}` : '';
  const carrying =
    outcome.obligations.length > 0 ? ` with ${outcome.obligations.join(', ')}` : ' with no obligations';
  return `${outcome.decision}${by}${carrying}`;
}

/** One example run: where it is, what it expected, what the policy decided and why. */
export interface ExampleResult {
  name: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  passed: boolean;
  expected: ExampleOutcome;
  actual: ExampleOutcome;
  /** The rules that decided, each with what it says. */
  reasons: readonly { rule: string; text: string }[];
  /** Why the runtime refused the example's query, if it did. */
  errors: readonly string[];
}

/** The rules and obligations of a policy no example reached: all of them counted, each named. */
export interface Coverage {
  rules: { total: number; unreached: readonly string[] };
  obligations: { total: number; unreached: readonly string[] };
}

/** What `tenet test` did with one file: tested it, could not compile it, or skipped it (no `policy` header). */
export interface TestResult {
  file: string;
  status: 'tested' | 'not-compiled' | 'skipped';
  /** The policy's id, when it compiled. */
  policy?: string;
  /** The examples run (those `--filter` kept), in source order. */
  examples: readonly ExampleResult[];
  /** How many examples `--filter` left out. */
  filtered: number;
  /** What no example run reached; absent when the policy did not compile, or `--filter` left examples out. */
  coverage?: Coverage;
  /** The errors that stopped it compiling. */
  diagnostics: readonly Diagnostic[];
}

/** Why a file found under a folder is skipped by `test` and `verify`, in words. */
export const SKIPPED = 'no `policy` header: a file of declarations the policies beside it import';

/** A count and what it counts, in the singular for one: `1 example`, `2 examples`, `10,000 rules`, `2 policies`. */
export const plural = (n: number, word: string, words = `${word}s`) =>
  `${n.toLocaleString('en')} ${n === 1 ? word : words}`;

/** The most names a line of coverage lists unless asked for all. */
export const LISTED = 10;

/**
 * A test result's coverage in words, a line each for the rules and the obligations: `every rule is reached by an
 * example (12 rules)`, `2 rules no example reaches: a, b`; at most {@link LISTED} names unless `all`.
 */
export function coverageLines(coverage: Coverage, all: boolean): string[] {
  const line = (what: string, verb: string, done: string, { total, unreached }: Coverage['rules']) => {
    if (total === 0) return `the policy has no ${what}s`;
    if (unreached.length === 0) return `every ${what} is ${done} by an example (${plural(total, what)})`;
    const shown = all ? unreached : unreached.slice(0, LISTED);
    const more =
      shown.length < unreached.length
        ? ` and ${(unreached.length - shown.length).toLocaleString('en')} more (--verbose lists them all)`
        : '';
    return `${plural(unreached.length, what)} no example ${verb}: ${shown.join(', ')}${more}`;
  };
  return [
    line('rule', 'reaches', 'reached', coverage.rules),
    line('obligation', 'triggers', 'triggered', coverage.obligations),
  ];
}

/** The totals of a run of `tenet test`. */
export interface TestSummary {
  examples: number;
  passed: number;
  failed: number;
  filtered: number;
  notCompiled: number;
  skipped: number;
}

/** The totals of the results of a run of `tenet test`. */
export function testSummary(results: readonly TestResult[]): TestSummary {
  const examples = results.flatMap((r) => r.examples);
  const failed = examples.filter((e) => !e.passed).length;
  return {
    examples: examples.length,
    passed: examples.length - failed,
    failed,
    filtered: results.reduce((n, r) => n + r.filtered, 0),
    notCompiled: results.filter((r) => r.status === 'not-compiled').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
  };
}

/**
 * `tenet test --format json`: `{ files: [{ file, status, policy?, examples: [{ name, line, column, passed,
 * expected, actual, reasons, errors }], filtered, coverage?, diagnostics }], summary }`, every unreached name listed.
 */
export function testJson(results: readonly TestResult[]): string {
  const files = results.map((r) => ({
    file: r.file,
    status: r.status,
    ...(r.policy !== undefined && { policy: r.policy }),
    examples: r.examples,
    filtered: r.filtered,
    ...(r.coverage && { coverage: r.coverage }),
    diagnostics: diagnosticsJson(r.diagnostics, r.file),
  }));
  return `${JSON.stringify({ files, summary: testSummary(results) }, null, 2)}\n`;
}

/** Whether a UTF-16 code unit is a control XML 1.0 cannot hold (any but tab, LF and CR). */
const notXml = (code: number) => code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;

/**
 * `text` as XML character data (`attribute`: an attribute value, in double quotes): `&`, `<`, `>`, `"` and `'` as
 * entities; in an attribute, tab, LF and CR as character references (which normalisation would turn to spaces);
 * a control XML 1.0 cannot hold as its visible escape (`\x01`); a lone surrogate, U+FFFE and U+FFFF as U+FFFD.
 */
export function xmlEscape(text: string, attribute = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += c + text[++i];
        continue;
      }
      out += '\ufffd';
    } else if ((code >= 0xdc00 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) out += '\ufffd';
    else if (c === '&') out += '&amp;';
    else if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '"') out += '&quot;';
    else if (c === "'") out += '&apos;';
    else if (code === 0x0d || (attribute && (code === 0x09 || code === 0x0a))) out += `&#${code};`;
    else if (notXml(code)) out += visible(c);
    else out += c;
  }
  return out;
}

/** `name="value" …`, each value escaped. */
const attributes = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([name, value]) => `${name}="${xmlEscape(String(value), true)}"`)
    .join(' ');

/** A failed example in words: expected, actual, and why, a line each. */
function failureText(e: ExampleResult): string {
  return [
    `expected: ${outcomeText(e.expected)}`,
    `actual:   ${outcomeText(e.actual)}`,
    ...e.reasons.map((r) => `  because ${r.rule}: ${r.text}`),
    ...e.errors.map((error) => `  invalid: ${error}`),
  ].join('\n');
}

/**
 * `tenet test --format junit`: JUnit XML as CI systems read it. A `testsuite` for each file, a `testcase` for each
 * example (its `classname` the policy's id, with `file` and `line`), a `failure` for each that failed, with the
 * expected and actual outcomes as its message; a file that did not compile is one `testcase` with an `error`
 * holding its diagnostics (`describe` writes each), a skipped one a `testcase` `skipped`. No times: examples take
 * microseconds, and the output stays the same from run to run.
 */
export function junit(results: readonly TestResult[], describe: (d: Diagnostic) => string): string {
  const total = testSummary(results);
  const suites = results.map((r) => {
    const errors = r.status === 'not-compiled' ? 1 : 0;
    const skipped = r.status === 'skipped' ? 1 : 0;
    const failures = r.examples.filter((e) => !e.passed).length;
    const head = `  <testsuite ${attributes({ name: r.file, tests: r.examples.length + errors + skipped, failures, errors, skipped, file: r.file })}>`;
    const properties =
      r.filtered > 0
        ? [`    <properties><property name="filtered" value="${r.filtered}"/></properties>`]
        : [];
    const cases = r.examples.map((e) => {
      const at = attributes({ name: e.name, classname: r.policy ?? r.file, file: r.file, line: e.line });
      if (e.passed) return `    <testcase ${at}/>`;
      const message = `expected ${outcomeText(e.expected)}, got ${outcomeText(e.actual)}`;
      return [
        `    <testcase ${at}>`,
        `      <failure ${attributes({ message, type: 'example-failed' })}>${xmlEscape(failureText(e))}</failure>`,
        '    </testcase>',
      ].join('\n');
    });
    if (r.status === 'not-compiled') {
      const message = `not compiled: ${plural(r.diagnostics.length, 'error')}`;
      const text = sortDiagnostics(r.diagnostics).map(describe).join('\n\n');
      cases.push(
        `    <testcase ${attributes({ name: 'compiles', classname: r.file, file: r.file })}>`,
        `      <error ${attributes({ message, type: 'not-compiled' })}>${xmlEscape(text)}</error>`,
        '    </testcase>',
      );
    }
    if (r.status === 'skipped')
      cases.push(
        `    <testcase ${attributes({ name: r.file, classname: r.file, file: r.file })}><skipped ${attributes({ message: SKIPPED })}/></testcase>`,
      );
    return [head, ...properties, ...cases, '  </testsuite>'].join('\n');
  });
  const head = attributes({
    name: 'tenet test',
    tests: total.examples + total.notCompiled + total.skipped,
    failures: total.failed,
    errors: total.notCompiled,
    skipped: total.skipped,
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${head}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** A TAP description: one line, `\` and `#` escaped (a `#` would start a directive), safe on a terminal. */
const tapDescription = (text: string) => visible(text.replace(/[\\#]/g, '\\$&'));

/** Lines of a YAML block, indented by `indent` spaces: each value a JSON string, which YAML reads as written. */
const yaml = (indent: number, fields: [string, string | readonly string[]][]) => {
  const pad = ' '.repeat(indent);
  return [
    `${pad}---`,
    ...fields.flatMap(([key, value]) =>
      typeof value === 'string'
        ? [`${pad}${key}: ${JSON.stringify(value)}`]
        : [`${pad}${key}:`, ...value.map((v) => `${pad}  - ${JSON.stringify(v)}`)],
    ),
    `${pad}...`,
  ];
};

/**
 * `tenet test --format tap`: TAP version 14. A subtest for each file (`# Subtest: <file>`, its examples as test
 * points, indented four spaces, a failure with a YAML block of where it is, what was expected and what came, the
 * coverage and how many `--filter` left out as comments), then the file's own test point: `ok`, `not ok` (a
 * failure, or not compiled: its diagnostics in the YAML block, written by `describe`), or `ok … # SKIP`.
 */
export function tap(results: readonly TestResult[], describe: (d: Diagnostic) => string): string {
  const lines = ['TAP version 14'];
  results.forEach((r, index) => {
    const point = `${index + 1} - ${tapDescription(r.file)}`;
    if (r.status === 'skipped') {
      lines.push(`ok ${point} # SKIP ${tapDescription(SKIPPED)}`);
      return;
    }
    if (r.status === 'not-compiled') {
      lines.push(
        `not ok ${point}`,
        ...yaml(2, [
          ['message', `not compiled: ${plural(r.diagnostics.length, 'error')}`],
          ['diagnostics', sortDiagnostics(r.diagnostics).map(describe)],
        ]),
      );
      return;
    }
    lines.push(`# Subtest: ${tapDescription(r.file)}`, `    1..${r.examples.length}`);
    r.examples.forEach((e, i) => {
      lines.push(`    ${e.passed ? 'ok' : 'not ok'} ${i + 1} - ${tapDescription(e.name)}`);
      if (!e.passed)
        lines.push(
          ...yaml(6, [
            ['at', `${r.file}:${e.line}:${e.column}`],
            ['expected', outcomeText(e.expected)],
            ['actual', outcomeText(e.actual)],
            ...(e.reasons.length > 0
              ? [
                  ['because', e.reasons.map((reason) => `${reason.rule}: ${reason.text}`)] as [
                    string,
                    string[],
                  ],
                ]
              : []),
            ...(e.errors.length > 0 ? [['invalid', e.errors] as [string, readonly string[]]] : []),
          ]),
        );
    });
    if (r.filtered > 0) lines.push(`    # ${plural(r.filtered, 'example')} filtered out by --filter`);
    for (const line of r.coverage ? coverageLines(r.coverage, true) : [])
      lines.push(`    # ${visible(line)}`);
    lines.push(`${r.examples.every((e) => e.passed) ? 'ok' : 'not ok'} ${point}`);
  });
  lines.push(`1..${results.length}`, '');
  return lines.join('\n');
}

/** The lines of diff context shown around each change. */
const CONTEXT = 3;

/**
 * The most edits the diff searches for a shortest script of: past it (more than 1,000 lines differ, between the
 * first and the last that do), the part that differs is shown as removed and added whole. Bounds the work at
 * O((n + m) · 1,000) steps and the memory at about a million numbers.
 */
const MAX_EDITS = 1000;

/** An edit of a line diff: a line kept (` `), removed (`-`) or added (`+`), each line with its newline if it has one. */
type Edit = { op: ' ' | '-' | '+'; line: string };

/** The lines of `text`, each with its newline (the last one without, if the text does not end in one). */
const linesOf = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/**
 * The edits that turn `a` into `b`: Myers' O((n + m) · d) algorithm on what lies between their common start and
 * end, a shortest edit script when at most {@link MAX_EDITS} edits do it.
 */
function lineEdits(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
    end++;
  const keep = (lines: readonly string[]) => lines.map((line): Edit => ({ op: ' ', line }));
  const x = a.slice(start, a.length - end);
  const y = b.slice(start, b.length - end);
  return [...keep(a.slice(0, start)), ...middleEdits(x, y), ...keep(a.slice(a.length - end))];
}

/** The edits between `a` and `b` (which differ at both ends), by Myers' algorithm; see {@link MAX_EDITS}. */
function middleEdits(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  // v[k + offset]: the furthest x reached on diagonal k (x - y = k); trace[d]: v's band -d..d before step d.
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return [...a.map((line): Edit => ({ op: '-', line })), ...b.map((line): Edit => ({ op: '+', line }))];
}

/** The edit script Myers' search found, read back from the end along the bands it kept. */
function backtrack(a: readonly string[], b: readonly string[], trace: readonly Int32Array[]): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const band = trace[d] as Int32Array;
    const at = (k: number) => band[k + d] as number;
    const k = x - y;
    const previous = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const px = at(previous);
    const py = px - previous;
    while (x > px && y > py) {
      y--;
      edits.push({ op: ' ', line: a[--x] as string });
    }
    if (x === px) edits.push({ op: '+', line: b[--y] as string });
    else edits.push({ op: '-', line: a[--x] as string });
  }
  while (x > 0) edits.push({ op: ' ', line: a[--x] as string });
  return edits.reverse();
}

/** `start,count` of a hunk's side, as diff writes it: `count` left out when 1; an empty side at the line before. */
const hunkRange = (before: number, count: number) =>
  count === 1 ? `${before + 1}` : `${count === 0 ? before : before + 1},${count}`;

/**
 * A unified diff of `before` to `after`, both named `file` (`--- file`, `+++ file`, so `patch -p0` applies it),
 * with hunks of three lines of context; empty when they are the same. A last line without a newline is marked
 * `\ No newline at end of file`.
 *
 * @example
 * unifiedDiff('a.policy', 'permit x  when y\n', 'permit x\n  when y\n');
 */
export function unifiedDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const edits = lineEdits(linesOf(before), linesOf(after));
  // Where each edit is: the lines of `before` and of `after` ahead of it.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const e of edits) {
    oldAt.push(o);
    newAt.push(n);
    if (e.op !== '+') o++;
    if (e.op !== '-') n++;
  }
  const out = [`--- ${file}\n`, `+++ ${file}\n`];
  let i = 0;
  while (i < edits.length) {
    if (edits[i]?.op === ' ') {
      i++;
      continue;
    }
    const first = Math.max(0, i - CONTEXT);
    let last = i;
    for (let j = i; j < edits.length; j++) {
      if (edits[j]?.op !== ' ') last = j;
      else if (j - last > 2 * CONTEXT) break;
    }
    const stop = Math.min(edits.length, last + 1 + CONTEXT);
    const hunk = edits.slice(first, stop);
    const removed = hunk.filter((e) => e.op !== '+').length;
    const added = hunk.filter((e) => e.op !== '-').length;
    out.push(
      `@@ -${hunkRange(oldAt[first] as number, removed)} +${hunkRange(newAt[first] as number, added)} @@\n`,
    );
    for (const e of hunk)
      out.push(`${e.op}${e.line}${e.line.endsWith('\n') ? '' : '\n\\ No newline at end of file\n'}`);
    i = stop;
  }
  return out.join('');
}
