import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/policy.js';

const main = path.join(repoRoot, 'packages/cli/dist/main.js');

/** The vocabulary and the authority the policies share, in a file without a policy header. */
const SHARED = `entity requester
  id: identifier
  role: one of patron, reporter

entity record
  subjectId: identifier

authority law "Law"
  quote "The law."
`;

/** A policy that imports them, with an assertion and an example. */
const POLICY = `policy p "P"

import "shared.policy"

permit own
  when requester.id is record.subjectId
  because law
  says "The borrower named in a record may see it."

assert own-only "Only the borrower sees a record."
  never permit when requester.id is not record.subjectId
  because law

example "A borrower sees their own record"
  given requester { id: "p-1", role: patron }
        record { subjectId: "p-1" }
  expect permit by own
`;

/** The law the policy is compared with in `verify`'s test: as the policy, to begin with. */
const LAW = `policy law-in-force "The law in force"
  default deny because law

import "shared.policy"

permit own
  when requester.id is record.subjectId
  because law
  says "The borrower named in a record may see it."
`;

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A folder holding `files`. */
function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenet-watch-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A run's summary line, its time of day and its milliseconds as `HH:MM:SS` and `N`. */
const SUMMARY = /^\[\d\d:\d\d:\d\d\] (.*) \(\d+ ms\)$/;

/**
 * `tenet <args>` started in `dir`, and `run()`: the lines it prints up to and including its next summary line (the
 * summary's time and milliseconds as `HH:MM:SS` and `N`), waited for, however long a slow machine takes.
 */
function watching(args: string[], dir: string) {
  const child = spawn(process.execPath, [main, ...args], { cwd: dir });
  let stdout = '';
  let stderr = '';
  let read = 0;
  let waiting: (() => void) | undefined;
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    waiting?.();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const closed = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (status, signal) => resolve({ status, signal })),
  );
  const run = async (): Promise<string[]> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const lines = stdout.slice(read).split('\n');
      const end = lines.findIndex((line, i) => i < lines.length - 1 && SUMMARY.test(line));
      if (end >= 0) {
        const taken = lines.slice(0, end + 1);
        read += taken.join('\n').length + 1;
        return taken.map((line) => line.replace(SUMMARY, '[HH:MM:SS] $1 (N ms)'));
      }
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no summary line came; standard output:\n${stdout}\nstandard error:\n${stderr}`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 1000);
      });
    }
  };
  /** Interrupts it, as Ctrl-C does, and waits for it to end. */
  const interrupt = async () => {
    child.kill('SIGINT');
    return { ...(await closed), stderr };
  };
  return { run, interrupt };
}

/** Replaces the first `from` in the file `name` of `dir` with `to`, written in place. */
function edit(dir: string, name: string, from: string, to: string): void {
  const file = path.join(dir, name);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe('tenet check --watch', () => {
  it('prints what changed on each save, runs again what imports a file saved, and stops on Ctrl-C', async () => {
    const dir = scratch({ 'shared.policy': SHARED, 'p.policy': POLICY });
    const tenet = watching(['check', '--watch', '.'], dir);
    expect(await tenet.run()).toEqual([
      'p.policy: ok (2 files, 0 sections, 1 rule, 0 obligations, 1 assertion, 1 example, 0 interpretations)',
      'shared.policy: ok (1 file, 0 sections, 0 rules, 0 obligations, 0 assertions, 0 examples, 0 interpretations)',
      '[HH:MM:SS] watching 2 files: no problems (N ms)',
    ]);

    // Saved as editors do: a new file renamed over the old one.
    writeFileSync(path.join(dir, 'p.policy.tmp'), POLICY.replace('when requester.id', 'when requester.idd'));
    renameSync(path.join(dir, 'p.policy.tmp'), path.join(dir, 'p.policy'));
    expect(await tenet.run()).toEqual([
      'p.policy:6:18: error[unknown-attribute]: unknown attribute of `requester`: `idd`',
      '  |',
      '6 |   when requester.idd is record.subjectId',
      '  |                  ^^^',
      'help: did you mean `id`?',
      '',
      'p.policy: 1 error',
      '[HH:MM:SS] 1 file changed: 1 error (N ms)',
    ]);

    // Saved in place, on the file renamed there.
    edit(dir, 'p.policy', 'requester.idd', 'requester.id');
    expect(await tenet.run()).toEqual([
      'fixed: p.policy:6:18: error[unknown-attribute]: unknown attribute of `requester`: `idd`',
      'p.policy: ok now',
      '[HH:MM:SS] 1 file changed: no problems (N ms)',
    ]);

    // The imported file runs again, its results the same (not printed), and so does the policy importing it.
    edit(dir, 'shared.policy', 'authority law', 'authority statute');
    const help =
      'help: a citation names an `authority`, a `section` or an `interpretation` declared in this policy or a file it imports';
    expect(await tenet.run()).toEqual([
      'p.policy:7:11: error[unknown-citation]: unknown authority, section or interpretation `law`',
      '  |',
      '7 |   because law',
      '  |           ^^^',
      help,
      '',
      'p.policy:12:11: error[unknown-citation]: unknown authority, section or interpretation `law`',
      '   |',
      '12 |   because law',
      '   |           ^^^',
      help,
      '',
      'p.policy: 2 errors',
      '[HH:MM:SS] 1 file changed: 2 errors (N ms)',
    ]);

    // A policy new in the folder watched is run; one deleted is said to be, in a line.
    writeFileSync(path.join(dir, 'q.policy'), 'entity thing\n  id: identifier\n');
    expect(await tenet.run()).toEqual([
      'q.policy: ok (1 file, 0 sections, 0 rules, 0 obligations, 0 assertions, 0 examples, 0 interpretations)',
      '[HH:MM:SS] 1 file changed: 2 errors (N ms)',
    ]);
    unlinkSync(path.join(dir, 'q.policy'));
    expect(await tenet.run()).toEqual(['q.policy: deleted', '[HH:MM:SS] 1 file changed: 2 errors (N ms)']);

    expect(await tenet.interrupt()).toEqual({ status: 0, signal: null, stderr: '' });
  });

  it('refuses to watch standard input, or to print for tools', () => {
    const dir = scratch({ 'p.policy': POLICY });
    const tenet = (...args: string[]) => {
      const { status, stdout, stderr } = spawnSync(process.execPath, [main, ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
      return { status, stdout, stderr };
    };
    expect(tenet('check', '--watch', '-')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet check: `--watch` watches files: it cannot watch standard input (`-`)\n',
    });
    expect(tenet('test', '--watch', '--format', 'junit', 'p.policy')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet test: `--watch` prints text for people: run without it for `--format junit`\n',
    });
    expect(tenet('verify', '--watch', '--json', 'p.policy').stderr).toBe(
      'tenet verify: `--watch` prints text for people: run without it for `--format json`\n',
    );
    expect(tenet('check', '--wach', 'p.policy').stderr).toBe(
      'tenet check: unknown option `--wach`: did you mean `--watch`?\n',
    );
  });
});

describe('tenet verify --watch', () => {
  it('runs the policy again when the law it is compared with is saved', async () => {
    const compared = POLICY.replace('policy p "P"\n', 'policy p "P"\n  compared with "law.policy"\n');
    const dir = scratch({ 'shared.policy': SHARED, 'p.policy': compared, 'law.policy': LAW });
    const tenet = watching(['verify', '--watch', 'p.policy'], dir);
    const first = await tenet.run();
    expect(first.slice(0, 2)).toEqual([
      expect.stringMatching(/^proved {5}own-only: Only the borrower sees a record\. {2}\(\d+\.\d ms\)$/),
      '          never permit when requester.id is not record.subjectId  [because law]',
    ]);
    expect(first.slice(2)).toEqual([
      '',
      'departures from law-in-force ("The law in force"):',
      'every query on which the policy is looser than law-in-force is acknowledged',
      expect.stringMatching(/^1 of 1 assertion proved in \d+ ms$/),
      '[HH:MM:SS] watching 3 files: no problems (N ms)',
    ]);

    // The law permits reporters alone now: the policy is looser than it.
    edit(dir, 'law.policy', 'when requester.id is record.subjectId', 'when requester.role is reporter');
    expect(await tenet.run()).toEqual([
      'p.policy:2:17: error[departure-not-acknowledged]: the policy permits queries that `law-in-force` denies, and no interpretation acknowledges them',
      '  |',
      '2 |   compared with "law.policy"',
      '  |                 ^^^^^^^^^^^^',
      'help: correct the rules, or acknowledge the departure in an interpretation with `looser when …`',
      '',
      'p.policy: 1 of 1 assertion proved',
      '[HH:MM:SS] 1 file changed: 1 error (N ms)',
    ]);
    expect(await tenet.interrupt()).toEqual({ status: 0, signal: null, stderr: '' });
  });
});

describe('tenet test --watch', () => {
  it('shows an example that fails once saved, and says when it passes again', async () => {
    const dir = scratch({ 'shared.policy': SHARED, 'p.policy': POLICY });
    const tenet = watching(['test', '--watch', 'p.policy'], dir);
    expect(await tenet.run()).toEqual([
      '1 example: 1 passed, 0 failed',
      'every rule is reached by an example (1 rule)',
      'the policy has no obligations',
      '[HH:MM:SS] watching 2 files: no problems (N ms)',
    ]);
    edit(dir, 'p.policy', 'expect permit by own', 'expect deny');
    expect(await tenet.run()).toEqual([
      'p.policy:14:9: example "A borrower sees their own record" failed',
      '  expected: deny with no obligations',
      '  actual:   permit by own with no obligations',
      '    because own: The borrower named in a record may see it.',
      'p.policy: 1 example: 0 passed, 1 failed',
      '  every rule is reached by an example (1 rule)',
      '  the policy has no obligations',
      '[HH:MM:SS] 1 file changed: 1 failed example (N ms)',
    ]);
    edit(dir, 'p.policy', 'expect deny', 'expect permit by own');
    expect(await tenet.run()).toEqual([
      'fixed: p.policy:14:9: example "A borrower sees their own record" failed',
      'p.policy: ok now',
      '[HH:MM:SS] 1 file changed: no problems (N ms)',
    ]);
    expect(await tenet.interrupt()).toEqual({ status: 0, signal: null, stderr: '' });
  });
});
