import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff, xmlEscape } from '../src/formats.js';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'packages/cli/dist/main.js');
const WETHERSFIELD = 'policies/wethersfield/confidentiality.policy';

/** Runs the built `tenet` command in `cwd`, as a user would (no colour), `input` on its standard input. */
function tenet(args: string[], cwd = root, input: string | Buffer = '') {
  const result = spawnSync(process.execPath, [main, ...args], {
    cwd,
    encoding: 'utf8',
    input,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch folder (its real path) holding `files`, each path relative to it; folders are made as needed. */
function scratch(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'tenet-formats-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const header = `policy p "P"
  version 2024-01-01

entity requester
  id: identifier
  role: one of patron, reporter

authority law "Law"
  quote "The law."
`;

const patrons = `${header}
permit patrons
  when requester.role is patron
  because law
  says "Patrons may."
`;

const example = (name: string, role: string, expect: string) =>
  `\nexample "${name}"\n  given requester { id: "a", role: ${role} }\n  expect ${expect}\n`;

/** A policy with an error (line 12, columns 26 to 35), a policy with a warning (line 11, column 8), both small. */
const broken = `${header}\npermit reporters\n  when requester.role is reporterr\n  because law\n  says "Reporters may."\n`;
const warned = `${header}\npermit x\n  when requester.role is patron\n  because law\n`;

const range = (line: number, start: number, end: number, offset: number) => ({
  start: { line, column: start, offset },
  end: { line, column: end, offset: offset + end - start },
});

describe('tenet check --format', () => {
  const dir = scratch({ 'broken.policy': broken, 'warn.policy': warned });

  it('prints every file and diagnostic as JSON, with the counts, and exits 1 on an error', () => {
    const { status, stdout, stderr } = tenet(
      ['check', '--format', 'json', 'broken.policy', 'warn.policy'],
      dir,
    );
    expect([status, stderr]).toEqual([1, '']);
    expect(JSON.parse(stdout)).toEqual({
      files: [
        {
          file: 'broken.policy',
          ok: false,
          diagnostics: [
            {
              code: 'unknown-value',
              severity: 'error',
              message: 'unknown value `reporterr`',
              file: 'broken.policy',
              range: range(12, 26, 35, 184),
              help: 'did you mean `reporter`?',
              fix: {
                title: 'replace with `reporter`',
                edits: [{ file: 'broken.policy', range: range(12, 26, 35, 184), newText: 'reporter' }],
              },
            },
          ],
        },
        {
          file: 'warn.policy',
          ok: true,
          contents: {
            files: 1,
            sections: 0,
            rules: 1,
            obligations: 0,
            assertions: 0,
            examples: 0,
            interpretations: 0,
          },
          diagnostics: [
            {
              code: 'missing-explanation',
              severity: 'warning',
              message: 'rule `x` has no `says`: its decisions will carry no reason in words',
              file: 'warn.policy',
              range: range(11, 8, 9, 149),
              help: 'add `says "…"` with the rule in plain English, as a clerk would read it',
            },
          ],
        },
      ],
      summary: { errors: 1, warnings: 1, infos: 0 },
    });
  });

  it('prints SARIF 2.1.0: one run of `tenet`, a rule for each code used, each result placed, with its fix', () => {
    const { status, stdout, stderr } = tenet(
      ['check', '--format', 'sarif', 'broken.policy', 'warn.policy'],
      dir,
    );
    expect([status, stderr]).toEqual([1, '']);
    const log = JSON.parse(stdout);
    expectSarif(log);
    const region = (line: number, start: number, end: number) => ({
      startLine: line,
      startColumn: start,
      endLine: line,
      endColumn: end,
    });
    expect(log.runs[0]).toEqual({
      tool: { driver: { name: 'tenet', rules: [{ id: 'missing-explanation' }, { id: 'unknown-value' }] } },
      columnKind: 'utf16CodeUnits',
      results: [
        {
          ruleId: 'unknown-value',
          ruleIndex: 1,
          level: 'error',
          message: { text: 'unknown value `reporterr`\nhelp: did you mean `reporter`?' },
          locations: [
            { physicalLocation: { artifactLocation: { uri: 'broken.policy' }, region: region(12, 26, 35) } },
          ],
          fixes: [
            {
              description: { text: 'replace with `reporter`' },
              artifactChanges: [
                {
                  artifactLocation: { uri: 'broken.policy' },
                  replacements: [
                    { deletedRegion: region(12, 26, 35), insertedContent: { text: 'reporter' } },
                  ],
                },
              ],
            },
          ],
        },
        {
          ruleId: 'missing-explanation',
          ruleIndex: 0,
          level: 'warning',
          message: {
            text: 'rule `x` has no `says`: its decisions will carry no reason in words\nhelp: add `says "…"` with the rule in plain English, as a clerk would read it',
          },
          locations: [
            { physicalLocation: { artifactLocation: { uri: 'warn.policy' }, region: region(11, 8, 9) } },
          ],
        },
      ],
    });
  });

  it('counts SARIF columns in UTF-16 code units, as the checker does, and names files relative to the current folder', () => {
    const line = '  given requester { id: "𝒜é", role: reporterr }';
    const wide = scratch({ 'p/wide.policy': `${patrons}\nexample "wide"\n${line}\n  expect deny\n` });
    // 𝒜 is one code point and two UTF-16 code units: the column counts it as two, as SARIF does.
    const column = line.indexOf('reporterr') + 1;
    expect([...line.slice(0, column)].length).toBe(column - 1);
    const log = JSON.parse(tenet(['check', '--format', 'sarif', 'p/wide.policy'], wide).stdout);
    expectSarif(log);
    expect(log.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'p/wide.policy' },
      region: { startLine: 17, startColumn: column, endLine: 17, endColumn: column + 9 },
    });
    const outside = JSON.parse(
      tenet(['check', '--format', 'sarif', path.join(wide, 'p/wide.policy')], dir).stdout,
    );
    expect(outside.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      `${path.relative(dir, wide)}/p/wide.policy`,
    );
  });

  it('prints SARIF with no result, and JSON with the contents, for the Wethersfield policy', () => {
    const sarif = tenet(['check', '--format', 'sarif', WETHERSFIELD]);
    expect(sarif.status).toBe(0);
    expect(sarif.stdout).toBe(
      `${JSON.stringify(
        {
          $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
          version: '2.1.0',
          runs: [
            { tool: { driver: { name: 'tenet', rules: [] } }, columnKind: 'utf16CodeUnits', results: [] },
          ],
        },
        null,
        2,
      )}\n`,
    );
    const json = tenet(['check', '--format', 'json', WETHERSFIELD]);
    expect([json.status, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout)).toEqual({
      files: [
        {
          file: WETHERSFIELD,
          ok: true,
          contents: {
            files: 3,
            sections: expect.any(Number),
            rules: 12,
            obligations: 4,
            assertions: expect.any(Number),
            examples: expect.any(Number),
            interpretations: expect.any(Number),
          },
          diagnostics: [],
        },
      ],
      summary: { errors: 0, warnings: 0, infos: 0 },
    });
  });

  it('refuses a format it does not have', () => {
    expect(tenet(['check', '--format', 'xml', 'warn.policy'], dir)).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet check: --format is text, json or sarif, not `xml`\n',
    });
  });
});

describe('tenet check and verify --deny-warnings', () => {
  const dir = scratch({ 'warn.policy': warned });

  it('fails check on a warning, saying why, where it passes without', () => {
    expect(tenet(['check', 'warn.policy'], dir).status).toBe(0);
    const { status, stdout, stderr } = tenet(['check', '--deny-warnings', 'warn.policy'], dir);
    expect([status, stdout]).toEqual([1, '']);
    expect(stderr.split('\n').slice(-2)).toEqual([
      '1 warning (--deny-warnings: a warning fails the check)',
      '',
    ]);
    const json = JSON.parse(
      tenet(['check', '--deny-warnings', '--format', 'json', 'warn.policy'], dir).stdout,
    );
    expect(json.files[0].ok).toBe(false);
  });

  it('fails verify on a warning', () => {
    expect(tenet(['verify', 'warn.policy'], dir)).toMatchObject({ status: 0 });
    const { status, stdout, stderr } = tenet(['verify', '--deny-warnings', 'warn.policy'], dir);
    expect(status).toBe(1);
    expect(stdout).toMatch(/^0 of 0 assertions proved in \d+ ms\n$/);
    expect(stderr).toMatch(/^warn\.policy:11:8: warning\[missing-explanation\]/);
    expect(stderr.split('\n').slice(-2)).toEqual([
      '1 warning (--deny-warnings: a warning fails the verification)',
      '',
    ]);
  });
});

describe('tenet check and fmt on standard input', () => {
  const dir = scratch({
    'shared/vocabulary.policy':
      'entity requester\n  id: identifier\n\nauthority law "Law"\n  quote "The law."\n',
    'elsewhere/main.policy': header,
  });
  const importing = (target: string) =>
    `policy p "P"\n  version 2024-01-01\n\nimport "${target}"\n\npermit own\n  when requester.id is "p-1"\n  because law\n  says "Own."\n`;

  it('checks a policy read from `-`, named `<stdin>`, with a code frame of what was read', () => {
    expect(tenet(['check', '-'], dir, warned)).toEqual({
      status: 0,
      stdout:
        '<stdin>: ok (1 file, 0 sections, 1 rule, 0 obligations, 0 assertions, 0 examples, 0 interpretations; 1 warning)\n',
      stderr: [
        '<stdin>:11:8: warning[missing-explanation]: rule `x` has no `says`: its decisions will carry no reason in words',
        '   |',
        '11 | permit x',
        '   |        ^',
        'help: add `says "…"` with the rule in plain English, as a clerk would read it',
        '',
        '',
      ].join('\n'),
    });
  });

  it('imports from under the current folder, and from nowhere else unless --root says', () => {
    expect(tenet(['check', '-'], dir, importing('shared/vocabulary.policy'))).toMatchObject({ status: 0 });
    const outside = tenet(
      ['check', '-'],
      path.join(dir, 'elsewhere'),
      importing('../shared/vocabulary.policy'),
    );
    expect(outside.status).toBe(1);
    expect(outside.stderr.split('\n')[0]).toBe(
      '<stdin>:4:8: error[import-outside-root]: cannot import `../shared/vocabulary.policy`: it is outside the root folder',
    );
    expect(
      tenet(
        ['check', '--root', '..', '-'],
        path.join(dir, 'elsewhere'),
        importing('../shared/vocabulary.policy'),
      ),
    ).toMatchObject({ status: 0 });
  });

  it('refuses input that is not UTF-8, and `-` named with other files', () => {
    expect(tenet(['check', '-'], dir, Buffer.from([0x23, 0x20, 0xfc, 0x0a]))).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet check: standard input is not UTF-8: a byte no UTF-8 text has at line 1, byte 3\n',
    });
    expect(tenet(['fmt', '-', 'a.policy'], dir)).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet fmt: standard input (`-`) is read alone: name no other file with it\n',
    });
    expect(tenet(['test', '-'], dir).stderr).toBe(
      'tenet test: this command reads policies from files: name a `.policy` file, not `-`\n',
    );
  });

  it('formats standard input to standard output; checks it with --check', () => {
    const messy = 'policy p "P"   version 2024-01-01\n';
    expect(tenet(['fmt', '-'], dir, messy)).toEqual({
      status: 0,
      stdout: 'policy p "P"\n  version 2024-01-01\n',
      stderr: '',
    });
    expect(tenet(['fmt', '--check', '-'], dir, messy)).toEqual({
      status: 1,
      stdout: '<stdin>: not formatted\n',
      stderr: '',
    });
    expect(tenet(['fmt', '-'], dir, 'permit (\n')).toMatchObject({ status: 1, stdout: '' });
  });
});

describe('tenet fmt --diff', () => {
  it('prints a unified diff of what it would change, writes nothing, and exits 1', () => {
    const messy =
      'policy p "P"   version 2024-01-01 # the header\npermit x when a and (b or c) because law says "x"';
    const dir = scratch({ 'messy.policy': messy, 'p/clean.policy': 'policy p "P"\n  version 2024-01-01\n' });
    expect(tenet(['fmt', '--diff', '.'], dir)).toEqual({
      status: 1,
      stdout: [
        '--- messy.policy',
        '+++ messy.policy',
        '@@ -1,2 +1,8 @@',
        '-policy p "P"   version 2024-01-01 # the header',
        '-permit x when a and (b or c) because law says "x"',
        '\\ No newline at end of file',
        '+policy p "P"',
        '+  version 2024-01-01  # the header',
        '+',
        '+permit x',
        '+  when a',
        '+    and (b or c)',
        '+  because law',
        '+  says "x"',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(readFileSync(path.join(dir, 'messy.policy'), 'utf8')).toBe(messy);
    expect(tenet(['fmt', '--diff', 'p'], dir)).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('shows three lines of context around each change, in separate hunks when they are far apart', () => {
    const before = `${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((n) => `line ${n}`).join('\n')}\n`;
    const after = before.replace('line 2\n', 'line two\n').replace('line 13\n', '');
    expect(unifiedDiff('f', before, after)).toBe(
      [
        '--- f',
        '+++ f',
        '@@ -1,5 +1,5 @@',
        ' line 1',
        '-line 2',
        '+line two',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -10,5 +10,4 @@',
        ' line 10',
        ' line 11',
        ' line 12',
        '-line 13',
        ' line 14',
        '',
      ].join('\n'),
    );
    expect(unifiedDiff('f', 'a\n', '')).toBe('--- f\n+++ f\n@@ -1 +0,0 @@\n-a\n');
    expect(unifiedDiff('f', 'a\n', 'a\n')).toBe('');
  });

  it('diffs files of 10,000 lines, however much differs, into a diff that applies', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `  line ${i}`);
    const before = `${lines.join('\n')}\n`;
    // A few changes far apart: the shortest diff. Every other line changed: past the bound, one hunk.
    const few = `${lines.map((l, i) => (i % 2500 === 7 ? `${l} changed` : l)).join('\n')}\n`;
    const many = `${lines.map((l, i) => (i % 2 === 0 ? l.trim() : l)).join('\n')}\n`;
    const small = unifiedDiff('f', before, few);
    expect(small.split('\n').filter((l) => l.startsWith('@@'))).toEqual([
      '@@ -5,7 +5,7 @@',
      '@@ -2505,7 +2505,7 @@',
      '@@ -5005,7 +5005,7 @@',
      '@@ -7505,7 +7505,7 @@',
    ]);
    expect(applied(before, small)).toBe(few);
    const large = unifiedDiff('f', before, many);
    expect(applied(before, large)).toBe(many);
    expect(applied(many, unifiedDiff('f', many, before))).toBe(before);
  });
});

/** `text` with a unified diff applied, its hunks checked against the text as they are. */
function applied(text: string, diff: string): string {
  const source = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const result: string[] = [];
  let at = 0;
  const lines = diff.split('\n').slice(2, -1);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const hunk = /^@@ -(\d+)(?:,(\d+))? /.exec(line);
    if (hunk) {
      const start = Number(hunk[1]) - (hunk[2] === '0' ? 0 : 1);
      result.push(...source.slice(at, start));
      at = start;
      continue;
    }
    const noNewline = lines[i + 1] === '\\ No newline at end of file';
    const body = `${line.slice(1)}${noNewline ? '' : '\n'}`;
    if (noNewline) i++;
    if (line[0] !== '+') expect(source[at++]).toBe(body);
    if (line[0] !== '-') result.push(body);
  }
  return [...result, ...source.slice(at)].join('');
}

describe('tenet test and verify, on every file named', () => {
  const dir = scratch({
    'good.policy': patrons + example('A patron asks', 'patron', 'permit by patrons'),
    'broken.policy': broken,
    'suite/failing.policy':
      patrons +
      example('A patron asks', 'patron', 'permit') +
      example('A reporter & <friend> asks', 'reporter', 'permit'),
    'suite/deeper/good.policy': patrons + example('A patron asks', 'patron', 'permit'),
    'suite/lib/vocabulary.policy': 'entity requester\n  id: identifier\n',
    'empty/notes.txt': 'no policies here\n',
  });
  const failure = [
    'suite/failing.policy:20:9: example "A reporter & <friend> asks" failed',
    '  expected: permit with no obligations',
    '  actual:   deny with no obligations',
    '    because default: No rule of the policy permits this, and what the policy does not permit, it denies.',
  ];

  it('tests every file, each under a folder in sorted order, then sums up; the status is the worst', () => {
    expect(tenet(['test', 'good.policy', 'broken.policy', 'suite'], dir)).toEqual({
      status: 1,
      stdout: [
        'good.policy: 1 example: 1 passed, 0 failed',
        '  every rule is reached by an example (1 rule)',
        '  the policy has no obligations',
        'suite/deeper/good.policy: 1 example: 1 passed, 0 failed',
        '  every rule is reached by an example (1 rule)',
        '  the policy has no obligations',
        ...failure,
        'suite/failing.policy: 2 examples: 1 passed, 1 failed',
        '  every rule is reached by an example (1 rule)',
        '  the policy has no obligations',
        'suite/lib/vocabulary.policy: skipped (no `policy` header: a file of declarations the policies beside it import)',
        '3 policies, 4 examples: 3 passed, 1 failed; 1 file not compiled, 1 file skipped',
        '',
      ].join('\n'),
      stderr: [
        'broken.policy:12:26: error[unknown-value]: unknown value `reporterr`',
        '   |',
        '12 |   when requester.role is reporterr',
        '   |                          ^^^^^^^^^',
        'help: did you mean `reporter`?',
        '',
        'broken.policy: not compiled: 1 error',
        '',
      ].join('\n'),
    });
    expect(tenet(['test', 'good.policy', 'broken.policy'], dir).status).toBe(1);
    expect(tenet(['test', 'good.policy', 'suite/deeper'], dir).status).toBe(0);
  });

  it('says a folder holds no policy, and refuses a file named with no `policy` header', () => {
    expect(tenet(['test', 'empty'], dir)).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet test: there is no `.policy` file under `empty`\n',
    });
    expect(tenet(['check', 'empty', 'good.policy'], dir).stderr).toBe(
      'tenet check: there is no `.policy` file under `empty`\n',
    );
    expect(tenet(['verify', 'suite/lib/vocabulary.policy'], dir).stderr).toMatch(
      /^error\[missing-policy\]: there is no `policy` header to compile\n/,
    );
  });

  it('keeps the examples --filter names, says how many it left out, and lists every one with --verbose', () => {
    expect(tenet(['test', '--filter', 'patron', '--verbose', 'suite/failing.policy'], dir)).toEqual({
      status: 0,
      stdout: [
        'suite/failing.policy:16:9: example "A patron asks" passed',
        '1 example: 1 passed, 0 failed (1 example filtered out by --filter)',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect(tenet(['test', '--filter', '20', 'suite/failing.policy'], dir).stdout).toBe(
      [...failure, '1 example: 0 passed, 1 failed (1 example filtered out by --filter)', ''].join('\n'),
    );
  });

  it('prints JUnit XML that parses back to a suite for each file, a case for each example', () => {
    const { status, stdout } = tenet(['test', '--format', 'junit', 'broken.policy', 'suite'], dir);
    expect(status).toBe(1);
    const suites = parseXml(stdout);
    expect(suites.name).toBe('testsuites');
    expect(suites.attributes).toEqual({
      name: 'tenet test',
      tests: '5',
      failures: '1',
      errors: '1',
      skipped: '1',
    });
    const summary = suites.children.map((suite) => [
      suite.attributes.name,
      suite.attributes.tests,
      suite.children.map((c) => [c.attributes.name, c.attributes.classname, c.children.map((f) => f.name)]),
    ]);
    expect(summary).toEqual([
      ['broken.policy', '1', [['compiles', 'broken.policy', ['error']]]],
      ['suite/deeper/good.policy', '1', [['A patron asks', 'p', []]]],
      [
        'suite/failing.policy',
        '2',
        [
          ['A patron asks', 'p', []],
          ['A reporter & <friend> asks', 'p', ['failure']],
        ],
      ],
      [
        'suite/lib/vocabulary.policy',
        '1',
        [['suite/lib/vocabulary.policy', 'suite/lib/vocabulary.policy', ['skipped']]],
      ],
    ]);
    const failed = suites.children[2]?.children[1]?.children[0];
    expect(failed?.attributes.message).toBe(
      'expected permit with no obligations, got deny with no obligations',
    );
    expect(failed?.text).toBe(
      [
        'expected: permit with no obligations',
        'actual:   deny with no obligations',
        '  because default: No rule of the policy permits this, and what the policy does not permit, it denies.',
      ].join('\n'),
    );
    expect(suites.children[0]?.children[0]?.children[0]?.text.split('\n')[0]).toBe(
      'broken.policy:12:26: error[unknown-value]: unknown value `reporterr`',
    );
  });

  it('prints TAP version 14, a subtest for each file', () => {
    expect(tenet(['test', '--format', 'tap', 'broken.policy', 'suite'], dir).stdout).toBe(
      [
        'TAP version 14',
        'not ok 1 - broken.policy',
        '  ---',
        '  message: "not compiled: 1 error"',
        '  diagnostics:',
        '    - "broken.policy:12:26: error[unknown-value]: unknown value `reporterr`\\n   |\\n12 |   when requester.role is reporterr\\n   |                          ^^^^^^^^^\\nhelp: did you mean `reporter`?"',
        '  ...',
        '# Subtest: suite/deeper/good.policy',
        '    1..1',
        '    ok 1 - A patron asks',
        '    # every rule is reached by an example (1 rule)',
        '    # the policy has no obligations',
        'ok 2 - suite/deeper/good.policy',
        '# Subtest: suite/failing.policy',
        '    1..2',
        '    ok 1 - A patron asks',
        '    not ok 2 - A reporter & <friend> asks',
        '      ---',
        '      at: "suite/failing.policy:20:9"',
        '      expected: "permit with no obligations"',
        '      actual: "deny with no obligations"',
        '      because:',
        '        - "default: No rule of the policy permits this, and what the policy does not permit, it denies."',
        '      ...',
        '    # every rule is reached by an example (1 rule)',
        '    # the policy has no obligations',
        'not ok 3 - suite/failing.policy',
        'ok 4 - suite/lib/vocabulary.policy # SKIP no `policy` header: a file of declarations the policies beside it import',
        '1..4',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with every example, what it expected and what came', () => {
    const json = JSON.parse(tenet(['test', '--format', 'json', 'good.policy', 'broken.policy'], dir).stdout);
    expect(json).toEqual({
      files: [
        {
          file: 'good.policy',
          status: 'tested',
          policy: 'p',
          examples: [
            {
              name: 'A patron asks',
              line: 16,
              column: 9,
              passed: true,
              expected: { decision: 'permit', rules: ['patrons'], obligations: [] },
              actual: { decision: 'permit', rules: ['patrons'], obligations: [] },
              reasons: [{ rule: 'patrons', text: 'Patrons may.' }],
              errors: [],
            },
          ],
          filtered: 0,
          coverage: { rules: { total: 1, unreached: [] }, obligations: { total: 0, unreached: [] } },
          diagnostics: [],
        },
        {
          file: 'broken.policy',
          status: 'not-compiled',
          examples: [],
          filtered: 0,
          diagnostics: [expect.objectContaining({ code: 'unknown-value', range: range(12, 26, 35, 184) })],
        },
      ],
      summary: { examples: 1, passed: 1, failed: 0, filtered: 0, notCompiled: 1, skipped: 0 },
    });
  });

  it('verifies every file, and prints JSON even for a policy with errors', () => {
    const text = tenet(['verify', 'good.policy', 'broken.policy'], dir);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(
      /^good\.policy: 0 of 0 assertions proved in \d+ ms\n1 policy: 0 of 0 assertions proved in \d+ ms; 1 file not compiled\n$/,
    );
    expect(text.stderr).toContain('broken.policy: not compiled: 1 error\n');
    const json = tenet(['verify', '--format', 'json', 'broken.policy'], dir);
    expect([json.status, json.stderr]).toEqual([1, '']);
    expect(JSON.parse(json.stdout)).toEqual({
      files: [
        {
          file: 'broken.policy',
          status: 'not-compiled',
          proved: false,
          assertions: [],
          diagnostics: [expect.objectContaining({ code: 'unknown-value', severity: 'error' })],
        },
      ],
      summary: { assertions: 0, proved: 0 },
    });
    expect(tenet(['verify', '--json', 'broken.policy'], dir).stdout).toBe(json.stdout);
    expect(tenet(['verify', '--json', '--format', 'text', 'broken.policy'], dir)).toMatchObject({
      status: 2,
    });
  });
});

describe('the Wethersfield policy, in each format', () => {
  it('tests as JUnit, TAP and JSON', () => {
    const junitOut = tenet(['test', '--format', 'junit', 'policies/wethersfield']);
    expect(junitOut.status).toBe(0);
    const suites = parseXml(junitOut.stdout);
    expect(suites.attributes).toMatchObject({ tests: '33', failures: '0', errors: '0', skipped: '0' });
    const cases = suites.children[0]?.children ?? [];
    expect(cases).toHaveLength(33);
    expect(new Set(cases.map((c) => c.attributes.classname))).toEqual(
      new Set(['wethersfield-confidentiality']),
    );
    expect(cases[0]?.attributes.name).toBe('A reporter asks what the mayor borrowed');
    const tapLines = tenet(['test', '--format', 'tap', WETHERSFIELD]).stdout.split('\n');
    expect(tapLines.slice(0, 4)).toEqual([
      'TAP version 14',
      `# Subtest: ${WETHERSFIELD}`,
      '    1..33',
      '    ok 1 - A reporter asks what the mayor borrowed',
    ]);
    expect(tapLines.slice(-6)).toEqual([
      '    ok 33 - A staff member asks for her own borrowing record',
      '    # every rule is reached by an example (12 rules)',
      '    # every obligation is triggered by an example (4 obligations)',
      `ok 1 - ${WETHERSFIELD}`,
      '1..1',
      '',
    ]);
    const json = JSON.parse(tenet(['test', '--format', 'json', WETHERSFIELD]).stdout);
    expect(json.summary).toEqual({
      examples: 33,
      passed: 33,
      failed: 0,
      filtered: 0,
      notCompiled: 0,
      skipped: 0,
    });
  });

  it('verifies as JSON', () => {
    const { status, stdout } = tenet(['verify', '--format', 'json', WETHERSFIELD]);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.summary).toEqual({ assertions: 29, proved: 29 });
    expect(json.files[0]).toMatchObject({
      file: WETHERSFIELD,
      status: 'verified',
      proved: true,
      diagnostics: [],
    });
    expect(json.files[0].departures.proved).toBe(true);
  });
});

describe('tenet test on a policy of many rules', () => {
  const rules = Array.from(
    { length: 40 },
    (_, i) => `\npermit r${i}\n  when requester.id is "p-${i}"\n  because law\n  says "R${i}."\n`,
  );
  const dir = scratch({
    'many.policy': `${header}${rules.join('')}\nexample "p-0"\n  given requester { id: "p-0", role: patron }\n  expect permit\n`,
  });
  const names = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => `r${from + i}`).join(', ');

  it('lists the first 10 rules no example reaches, and all of them with --verbose', () => {
    expect(tenet(['test', 'many.policy'], dir).stdout).toBe(
      [
        '1 example: 1 passed, 0 failed',
        `39 rules no example reaches: ${names(1, 11)} and 29 more (--verbose lists them all)`,
        'the policy has no obligations',
        '',
      ].join('\n'),
    );
    expect(tenet(['test', '--verbose', 'many.policy'], dir).stdout.split('\n')[2]).toBe(
      `39 rules no example reaches: ${names(1, 40)}`,
    );
  });
});

describe('XML escaping', () => {
  it('escapes markup, and what XML 1.0 cannot hold', () => {
    expect(xmlEscape(`a & b < c > "d" 'e'`)).toBe('a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;');
    expect(xmlEscape('tab\tline\ncr\r', true)).toBe('tab&#9;line&#10;cr&#13;');
    expect(xmlEscape('tab\tline\n')).toBe('tab\tline\n');
    expect(xmlEscape('\u0001 \ud800 𝒜 \uffff')).toBe('\\x01 \ufffd 𝒜 \ufffd');
  });
});

/** What a SARIF 2.1.0 log must hold (its schema's required properties, and the values Tenet's results take). */
function expectSarif(log: {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region?: Record<string, number> };
      }[];
    }[];
  }[];
}): void {
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const [run] = log.runs;
  expect(run?.tool.driver.name).toBe('tenet');
  const ids = run?.tool.driver.rules.map((r) => r.id) ?? [];
  expect(new Set(ids).size).toBe(ids.length);
  for (const result of run?.results ?? []) {
    expect(ids[result.ruleIndex]).toBe(result.ruleId);
    expect(['error', 'warning', 'note']).toContain(result.level);
    expect(typeof result.message.text).toBe('string');
    for (const { physicalLocation } of result.locations) {
      expect(physicalLocation.artifactLocation.uri).not.toMatch(/^\/|^[a-z]+:/);
      const region = physicalLocation.region ?? {};
      for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn'])
        expect(region[key]).toBeGreaterThanOrEqual(1);
    }
  }
}

/** An XML element as {@link parseXml} reads it. */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * Parses the XML the JUnit format writes (a declaration, elements, attributes in double quotes, text, the five
 * entities and character references): enough to read it back as a CI system would, and to fail on anything else.
 */
function parseXml(xml: string): XmlElement {
  const decode = (text: string) =>
    text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) =>
      e.startsWith('#')
        ? String.fromCharCode(Number(e.slice(1)))
        : (({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] ?? ''),
    );
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const stack: XmlElement[] = [{ name: '', attributes: {}, children: [], text: '' }];
  const tag = /<(\/?)([a-z-]+)((?:\s+[a-z]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let read = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    read = tag.lastIndex;
    const top = stack.at(-1) as XmlElement;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
      continue;
    }
    if (m[1]) {
      expect(top.name).toBe(m[2]);
      stack.pop();
      continue;
    }
    const attributes = Object.fromEntries(
      [...(m[3] ?? '').matchAll(/([a-z]+)="([^"]*)"/g)].map((a) => [a[1] as string, decode(a[2] as string)]),
    );
    const element = { name: m[2] as string, attributes, children: [], text: '' };
    top.children.push(element);
    if (!m[4]) stack.push(element);
  }
  expect(read).toBe(body.length);
  expect(stack).toHaveLength(1);
  for (const element of stack[0]?.children ?? []) trimText(element);
  return stack[0]?.children[0] as XmlElement;
}

/** Drops the whitespace between elements, which is layout, not text. */
function trimText(element: XmlElement): void {
  if (element.children.length > 0 && element.text.trim() === '') element.text = '';
  for (const child of element.children) trimText(child);
}
