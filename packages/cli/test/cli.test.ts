import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli.js';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'packages/cli/dist/main.js');

/** Runs the built `tenet` command in `cwd`, as a user would. */
function tenet(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [main, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenet-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
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

describe('tenet check', () => {
  it('passes the Wethersfield policy and says what it holds', () => {
    const { status, stdout, stderr } = tenet(['check', 'policies/wethersfield/confidentiality.policy']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /^policies\/wethersfield\/confidentiality\.policy: ok \(3 files, \d+ sections, \d+ rules/,
    );
  });

  it('prints each problem with its place, the line marked, and the help, then exits 1', () => {
    const dir = scratch({
      'broken.policy': `${header}
permit reporters
  when requester.role is reporterr
  because law
  says "Reporters may."
`,
    });
    const { status, stdout, stderr } = tenet(['check', 'broken.policy'], dir);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'broken.policy:12:26: error[unknown-value]: unknown value `reporterr`',
        '   |',
        '12 |   when requester.role is reporterr',
        '   |                          ^^^^^^^^^',
        'help: did you mean `reporter`?',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });

  it('reports a syntax error at the end of the file at a real position', () => {
    const dir = scratch({ 'cut.policy': `${header}\npermit x when (requester.role is patron` });
    const { status, stderr } = tenet(['check', 'cut.policy'], dir);
    expect(status).toBe(1);
    // Only the syntax error: the rule it cut short is not also said to lack a citation, nor `law` to be unused.
    expect(stderr.split('\n').filter((line) => line.startsWith('cut.policy:'))).toEqual([
      'cut.policy:11:40: error[syntax-error]: expected `)`, found the end of the file',
    ]);
  });

  it('counts warnings but exits 0 when there are no errors', () => {
    const dir = scratch({
      'warn.policy': `${header}\npermit x\n  when requester.role is patron\n  because law\n`,
    });
    const { status, stdout, stderr } = tenet(['check', 'warn.policy'], dir);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^warn\.policy:11:8: warning\[missing-explanation\]: rule `x` has no `says`/);
    expect(stdout).toBe(
      'warn.policy: ok (1 file, 0 sections, 1 rule, 0 obligations, 0 assertions, 0 examples, 0 interpretations; 1 warning)\n',
    );
  });

  it('uses no colour when its output is not a terminal', () => {
    const dir = scratch({ 'bad.policy': '@' });
    expect(tenet(['check', 'bad.policy'], dir).stderr).not.toContain('\u001b[');
  });

  it('exits 2 with a usage message when no file is named, or the command is unknown', () => {
    expect(tenet(['check'])).toMatchObject({
      status: 2,
      stderr: 'tenet check: name at least one .policy file\n',
    });
    const unknown = tenet(['chek']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      'tenet: unknown command `chek`: did you mean `check`? (`tenet --help` lists them)\n',
    );
  });

  it('reports a file that cannot be read', () => {
    const { status, stderr } = tenet(['check', 'no-such.policy']);
    expect(status).toBe(1);
    expect(stderr.split('\n')[0]).toBe('error[import-not-found]: cannot read `no-such.policy`: no such file');
  });
});

describe('tenet fmt', () => {
  it('finds the policies in policies/ already formatted', () => {
    const { status, stdout } = tenet([
      'fmt',
      '--check',
      'policies/wethersfield/confidentiality.policy',
      'policies/connecticut/authorities.policy',
    ]);
    expect(stdout).toBe('');
    expect(status).toBe(0);
  });

  it('rewrites a file in the canonical layout, and --check then passes', () => {
    const dir = scratch({
      'messy.policy':
        'policy p "P"   version 2024-01-01 # the header\npermit x when a and (b or c) because law says "x"\n',
    });
    expect(tenet(['fmt', '--check', 'messy.policy'], dir)).toMatchObject({
      status: 1,
      stdout: 'messy.policy: not formatted\n',
    });
    expect(tenet(['fmt', 'messy.policy'], dir)).toMatchObject({
      status: 0,
      stdout: 'messy.policy: formatted\n',
    });
    expect(readFileSync(path.join(dir, 'messy.policy'), 'utf8')).toBe(
      [
        'policy p "P"',
        '  version 2024-01-01  # the header',
        '',
        'permit x',
        '  when a',
        '    and (b or c)',
        '  because law',
        '  says "x"',
        '',
      ].join('\n'),
    );
    expect(tenet(['fmt', '--check', 'messy.policy'], dir)).toMatchObject({ status: 0, stdout: '' });
  });

  it('leaves a file with syntax errors alone and exits 1', () => {
    const dir = scratch({ 'bad.policy': 'permit (\n' });
    const { status, stderr } = tenet(['fmt', 'bad.policy'], dir);
    expect(status).toBe(1);
    expect(stderr).toContain('bad.policy: not formatted: fix the syntax errors first');
    expect(readFileSync(path.join(dir, 'bad.policy'), 'utf8')).toBe('permit (\n');
  });
});

describe('tenet compile, decide and explain on an artifact', () => {
  it('decides from the compiled artifact as from the policy, and refuses an artifact changed since', () => {
    const dir = scratch({});
    const artifact = path.join(dir, 'wethersfield.json');
    const compiled = tenet(['compile', 'policies/wethersfield/confidentiality.policy', '-o', artifact]);
    expect(compiled.status).toBe(0);
    expect(compiled.stdout).toMatch(
      /wethersfield\.json: 12 rules, \d+ atoms, \d+ nodes, \d+ found steps, \d+ bytes\n$/,
    );
    const query = 'policies/wethersfield/queries/reporter.json';
    const fromArtifact = tenet(['decide', artifact, '--query', query]);
    const fromPolicy = tenet(['decide', 'policies/wethersfield/confidentiality.policy', '--query', query]);
    expect(fromArtifact).toMatchObject({ status: 0, stderr: '' });
    expect(fromArtifact.stdout).toBe(fromPolicy.stdout);

    writeFileSync(artifact, readFileSync(artifact, 'utf8').replace('"effect":"forbid"', '"effect":"permit"'));
    const tampered = tenet(['decide', artifact, '--query', query]);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toContain('has been changed since it was compiled');
  });

  it('says what to type when given no command, on standard error, with exit status 2', () => {
    const { status, stdout, stderr } = tenet([]);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr.split('\n')[0]).toBe('usage: tenet <command> [options] <file…>');
  });

  it('answers a line that is not JSON with a deny that does not quote the line', () => {
    const dir = scratch({
      'q.jsonl': '{"requester":{"id":"a","role":"patron"},"record":{"subjectId":"a"}}\n{"name": Jane Doe}\n',
    });
    const { status, stdout, stderr } = tenet([
      'decide',
      'policies/wethersfield/confidentiality.policy',
      '--query',
      path.join(dir, 'q.jsonl'),
    ]);
    expect(status).toBe(2);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).decision),
    ).toEqual(['permit', 'deny']);
    expect(stderr).toBe(
      'tenet: invalid query on line 2: the query is not valid JSON at column 10: an unexpected character\n',
    );
    expect(stdout + stderr).not.toContain('Jane');
  });
});

describe('tenet verify', () => {
  it('proves every Wethersfield assertion and exits 0', () => {
    const { status, stdout } = tenet(['verify', 'policies/wethersfield/confidentiality.policy']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/\n29 of 29 assertions proved in \d+ ms\n$/);
    expect(stdout).toContain(
      'proved     no-third-party-release-without-court-grounds: No third party sees a record without court grounds.',
    );
    expect(stdout).toContain(
      '          always cite cgs-11-25b  [because statute-text, authority-for-policy, cgs-11-25b]',
    );
    expect(stdout).toContain('          never permit with demand_cure  [because requests]');
    // The departures from the statute in force: each acknowledged, the looser one first proved to be the only one.
    const departures = stdout
      .split('\n')
      .filter((line) => /^(acknowledged|NOT ACKNOWLEDGED|information)/.test(line));
    expect(departures.map((line) => line.replace(/ \(policies.*\)$/, ''))).toEqual([
      "acknowledged   stricter: denies what the law permits, in written-consent: The borrower's written permission is not a ground for release",
      'acknowledged   looser: permits what the law denies, in parents-and-the-statute: Parents of minors and the statute in force',
      'acknowledged   stricter: denies what the law permits, in court-grounds-reading: What a proper show of good cause in a competent court requires',
      "acknowledged   stricter: denies what the law permits, in proper-authorities: Who the 'proper authorities' are",
      'acknowledged   stricter: denies what the law permits, in staff-card-monitoring: What the Collection Services Manager may monitor',
    ]);
    expect(stdout).toContain(
      'every query on which the policy is looser than cgs-11-25b-in-force is acknowledged\n',
    );
  });

  it('refutes a false assertion with a counterexample that tenet decide confirms, and exits 1', () => {
    const dir = scratch({
      'p.policy': [
        'policy p "P"',
        'entity user',
        '  id: identifier',
        '  role: one of patron, staff',
        'entity record',
        '  holder: identifier',
        'authority law "Law"',
        'permit own',
        '  when user.id is record.holder',
        '  because law',
        '  says "Own."',
        'assert staff-see-all "Staff see every record."',
        '  always permit when user.role is staff',
        '  because law',
        '',
      ].join('\n'),
    });
    const { status, stdout } = tenet(['verify', 'p.policy'], dir);
    expect(status).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^FALSE {6}staff-see-all: Staff see every record\. {2}\(\d+\.\d ms\)$/);
    const counterexample = /counterexample \(p\.policy:12\): (.*)$/.exec(lines[2] ?? '')?.[1] ?? '';
    expect(JSON.parse(counterexample)).toEqual({
      user: { id: 'x-1', role: 'staff' },
      record: { holder: 'x-2' },
    });
    expect(lines[3]).toBe('          decided: deny by default');
    writeFileSync(path.join(dir, 'q.json'), counterexample);
    expect(JSON.parse(tenet(['decide', 'p.policy', '--query', 'q.json'], dir).stdout).decision).toBe('deny');
    const json = JSON.parse(tenet(['verify', 'p.policy', '--json'], dir).stdout);
    expect(json.files[0].assertions.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
      ['staff-see-all', 'false'],
    ]);
  });

  it('says how far it has got where a person watches, and clears the line before it reports', async () => {
    const said: string[] = [];
    const output: string[] = [];
    const status = await run(['verify', path.join(root, 'policies/wethersfield/confidentiality.policy')], {
      stdout: (text) => output.push(text),
      stderr: (text) => output.push(text),
      colour: false,
      progress: (text) => said.push(text),
    });
    expect(status).toBe(0);
    expect(said.slice(0, 3).map((line) => line.replace(/^.*confidentiality\.policy: /, ''))).toEqual([
      'checking…',
      'compiling…',
      '',
    ]);
    expect(said[3]).toMatch(/confidentiality\.policy: proving assertion 1 of 29…$/);
    expect(said.at(-1)).toBe('');
    expect(output.join('')).toMatch(/29 of 29 assertions proved/);
  });

  it('says which stage check and compile are in where a person watches, and clears the line', async () => {
    for (const args of [['check'], ['compile', '-o', path.join(scratch({}), 'w.json')]]) {
      const said: string[] = [];
      const status = await run([...args, path.join(root, 'policies/wethersfield/confidentiality.policy')], {
        stdout: () => {},
        stderr: () => {},
        colour: false,
        progress: (text) => said.push(text),
      });
      expect(status).toBe(0);
      expect(
        said.filter((line) => !line.includes('analysing rule')).map((line) => line.replace(/^.*: /, '')),
      ).toEqual(['checking…', 'compiling…', '']);
    }
  });

  it('leaves an assertion it cannot express undecided, says why, and exits 1', () => {
    const dir = scratch({
      'p.policy': [
        'policy p "P"',
        'entity user',
        '  id: identifier',
        '  age: integer',
        'entity record',
        '  holder: identifier',
        '  age: integer',
        'authority law "Law"',
        'permit own',
        '  when user.id is record.holder',
        '  because law',
        '  says "Own."',
        'assert older "Older users see."',
        '  always permit when user.age < record.age',
        '  because law',
        '',
      ].join('\n'),
    });
    const { status, stdout, stderr } = tenet(['verify', 'p.policy'], dir);
    expect(status).toBe(1);
    expect(stderr).toContain(
      'p.policy:14:22: error[unsupported-test]: cannot compile this test: two integer attributes cannot be ordered yet',
    );
    expect(stdout.split('\n')[0]).toMatch(/^UNDECIDED {2}older: Older users see\./);
    expect(stdout).toMatch(/\n0 of 1 assertion proved in \d+ ms\n$/);
  });
});

describe('tenet diff', () => {
  it('shows where the Wethersfield policy and the statute in force decide differently, and exits 1', () => {
    const { status, stdout } = tenet([
      'diff',
      'policies/wethersfield/confidentiality.policy',
      'policies/connecticut/cgs-11-25b.policy',
      '--decisions-only',
    ]);
    expect(status).toBe(1);
    expect(stdout).toMatch(
      /^wethersfield-confidentiality and cgs-11-25b-in-force differ in \d+ ways \(\d+ cases\):\n/,
    );
    const ways = stdout
      .split(/\n\n\d+\. /)
      .slice(1)
      .map((way) => way.split('\n').slice(0, 3).join(' '));
    const has = (left: string, right: string) =>
      ways.some(
        (w) =>
          w.includes(left) && w.includes(right) && w.includes(' is stricter: ') === left.includes(' denies '),
      );
    // The parent of a minor: the policy permits, the statute does not; legal exposure is listed first.
    expect(ways[0]).toMatch(
      /^wethersfield-confidentiality is looser: it permits what cgs-11-25b-in-force denies\./,
    );
    expect(
      has(
        'wethersfield-confidentiality permits (parent-sees-minors-record',
        'cgs-11-25b-in-force denies (by default',
      ),
    ).toBe(true);
    // Written consent: the statute permits, the policy does not.
    expect(
      has(
        'wethersfield-confidentiality denies (no-release-to-third-parties',
        'cgs-11-25b-in-force permits (written-permission',
      ),
    ).toBe(true);
    // A court order in proper form from a competent court, without good cause shown: the statute permits.
    expect(
      has(
        'wethersfield-confidentiality denies (resist-defective-process',
        'cgs-11-25b-in-force permits (court-order',
      ),
    ).toBe(true);
  });

  it('finds nothing between a policy and itself, and exits 0', () => {
    const { status, stdout } = tenet([
      'diff',
      'policies/connecticut/cgs-11-25b.policy',
      'policies/connecticut/cgs-11-25b.policy',
    ]);
    expect([status, stdout]).toEqual([
      0,
      'cgs-11-25b-in-force and cgs-11-25b-in-force decide every query alike, with the same obligations\n',
    ]);
  });
});
