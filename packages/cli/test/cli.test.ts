import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

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
    expect(unknown.stderr.split('\n')[0]).toBe('tenet: unknown command `chek`');
  });

  it('reports a file that cannot be read', () => {
    const { status, stderr } = tenet(['check', 'no-such.policy']);
    expect(status).toBe(1);
    expect(stderr.split('\n')[0]).toBe('error[import-not-found]: cannot read `no-such.policy`');
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
      /wethersfield\.json: 10 rules, \d+ atoms, \d+ nodes, \d+ leaves, \d+ bytes\n$/,
    );
    const query = 'policies/wethersfield/queries/reporter.json';
    const fromArtifact = tenet(['decide', artifact, '--query', query]);
    const fromPolicy = tenet(['decide', 'policies/wethersfield/confidentiality.policy', '--query', query]);
    expect(fromArtifact).toMatchObject({ status: 0, stderr: '' });
    expect(fromArtifact.stdout).toBe(fromPolicy.stdout);

    writeFileSync(
      artifact,
      readFileSync(artifact, 'utf8').replace('"decision":"deny"', '"decision":"permit"'),
    );
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
    expect(stderr).toBe('tenet: invalid query on line 2: it is not valid JSON\n');
    expect(stdout + stderr).not.toContain('Jane');
  });
});
