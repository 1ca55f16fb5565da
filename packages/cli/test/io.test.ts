import { type SpawnSyncOptions, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_RECORD } from '../../../test/helpers/policy.js';
import { run } from '../src/cli.js';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'packages/cli/dist/main.js');

const OWN = '{"requester":{"id":"p-1","role":"patron"},"record":{"subjectId":"p-1"}}';
const OTHER = '{"requester":{"id":"r-7","role":"reporter"},"record":{"subjectId":"p-1"}}';

/** A folder with the policy and `files` in it, open to the user the CLI may run as (see {@link unprivileged}). */
function scratch(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenet-io-'));
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, 'p.policy'), OWN_RECORD);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** Runs the built `tenet` command in `dir`, as a user would. */
function tenet(args: string[], dir: string, options: SpawnSyncOptions = {}) {
  const result = spawnSync(process.execPath, [main, ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    ...options,
  });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Root may write any file: a test of a file it must not write runs the CLI as `nobody` instead. */
const unprivileged: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** Starts the built `tenet` command, for a test that writes to it as it runs. */
function start(args: string[], dir: string) {
  const child = spawn(process.execPath, [main, ...args], { cwd: dir });
  const seen = { stdout: '', stderr: '', status: undefined as number | null | undefined };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    seen.stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    seen.stderr += text;
  });
  // Once the CLI has stopped reading, what is still written to it goes nowhere.
  child.stdin.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    child.on('close', (status) => {
      seen.status = status;
      resolve();
    }),
  );
  return { child, seen, closed };
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('tenet decide and explain: reading queries', () => {
  it('refuses a query that is not UTF-8, from a file and from standard input, instead of decoding it', () => {
    // Two Latin-1 names: decoded leniently, both become `M\uFFFDller`, equal, and the reporter is the record's borrower.
    const latin1 = Buffer.from(
      '{"requester":{"id":"M\xfcller","role":"reporter"},"record":{"subjectId":"M\xe4ller"}}',
      'latin1',
    );
    const dir = scratch({ 'q.json': latin1 });
    // A `.json` file is one document, placed by line and column; a line on standard input is a query of a batch.
    for (const { result, where, at, line } of [
      {
        result: tenet(['decide', 'p.policy', '--query', 'q.json'], dir),
        where: 'query',
        at: 'line 1, column 22',
      },
      {
        result: tenet(['decide', 'p.policy', '--query', '-'], dir, { input: latin1 }),
        where: 'query on line 1',
        at: 'column 22',
        line: 1,
      },
    ]) {
      const expected = `the query is not valid JSON at ${at}: the text is not UTF-8 (a byte no UTF-8 text has)`;
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`tenet: invalid ${where}: ${expected}\n`);
      const answer = JSON.parse(result.stdout);
      expect([answer.line, answer.decision]).toEqual([line, 'deny']);
      expect(answer.errors).toEqual([{ code: 'invalid-json', path: '', message: expected }]);
    }
  });

  it('refuses a query in which a key appears twice', () => {
    const dir = scratch();
    const { status, stdout, stderr } = tenet(['decide', 'p.policy', '--query', '-'], dir, {
      input: '{"requester":{"id":"r-7","role":"reporter","id":"p-2"},"record":{"subjectId":"p-2"}}\n',
    });
    expect(status).toBe(2);
    expect(stderr).toBe(
      'tenet: invalid query on line 1: the query is not valid JSON at column 44: a key appears twice in one object\n',
    );
    expect(JSON.parse(stdout).decision).toBe('deny');
  });

  it('answers a lone line as JSON Lines on standard input, and as one pretty-printed document in a `.json` file', () => {
    const input = `\n${OWN}\n\n`;
    const dir = scratch({ 'q.json': input });
    const streamed = tenet(['decide', 'p.policy', '--query', '-'], dir, { input });
    expect([streamed.status, streamed.stderr]).toEqual([0, '']);
    expect(lines(streamed.stdout)).toHaveLength(1);
    expect(streamed.stdout.startsWith('{"line":2,"decision":"permit",')).toBe(true);
    expect(JSON.parse(streamed.stdout).line).toBe(2);
    const { status, stdout, stderr } = tenet(['decide', 'p.policy', '--query', 'q.json'], dir);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout.split('\n').slice(0, 2)).toEqual(['{', '  "decision": "permit",']);
    expect(JSON.parse(stdout).line).toBeUndefined();
  });

  it('answers every line of JSON Lines once, in order, each with its line number, skipping blank lines', () => {
    const input: string[] = [];
    const expected: { line: number; decision: string }[] = [];
    const invalid: string[] = [];
    for (let n = 1; n <= 3000; n++) {
      if (n % 7 === 0) input.push(n % 2 ? '' : '  \r');
      else if (n % 11 === 0) {
        input.push('{"name": Jane Doe}');
        expected.push({ line: n, decision: 'deny' });
        invalid.push(
          `tenet: invalid query on line ${n}: the query is not valid JSON at column 10: an unexpected character`,
        );
      } else {
        input.push(n % 2 ? OWN : `${OTHER}\r`);
        expected.push({ line: n, decision: n % 2 ? 'permit' : 'deny' });
      }
    }
    const dir = scratch({ 'q.jsonl': input.join('\n') });
    const { status, stdout, stderr } = tenet(['decide', 'p.policy', '--query', 'q.jsonl'], dir);
    expect(status).toBe(2);
    const answers = lines(stdout);
    expect(answers.length).toBe(expected.length);
    answers.forEach((answer, i) => {
      expect(answer.startsWith(`{"line":${expected[i]?.line},"decision":`)).toBe(true);
    });
    expect(
      answers.map((answer) => JSON.parse(answer)).map(({ line, decision }) => ({ line, decision })),
    ).toEqual(expected);
    expect(lines(stderr)).toEqual(invalid);
    expect(stdout + stderr).not.toContain('Jane');
  });

  it('prints each answer of a batch in text under a header naming its line', () => {
    const dir = scratch();
    const { status, stdout } = tenet(['explain', 'p.policy', '--query', '-'], dir, {
      input: `${OTHER}\n\n${OWN}\n`,
    });
    expect(status).toBe(0);
    expect(stdout.split('\n').filter((line) => line.startsWith('#'))).toEqual([
      '# query on line 1',
      '# query on line 3',
    ]);
    expect(stdout.split('\n')[1]).toMatch(/^Denied\./);
  });

  it('reports a malformed document of several lines once, at its line and column', () => {
    const dir = scratch({
      'q.json': '{\n  "requester": {"id": "p-1", "role": patron},\n  "record": {"subjectId": "p-1"}\n}\n',
    });
    const { status, stdout, stderr } = tenet(['decide', 'p.policy', '--query', 'q.json'], dir);
    expect(status).toBe(2);
    expect(stderr).toBe(
      'tenet: invalid query: the query is not valid JSON at line 2, column 38: an unexpected character\n',
    );
    expect(JSON.parse(stdout).decision).toBe('deny');
  });

  it('answers each line as it is read, before the input ends', async () => {
    const dir = scratch();
    const { child, seen, closed } = start(['decide', 'p.policy', '--query', '-'], dir);
    child.stdin.write(`${OWN}\n${OTHER}\n`);
    await until(() => lines(seen.stdout).length === 2, 'the answers to the first two lines');
    child.stdin.end(`${OWN}\n`);
    await closed;
    expect(seen.status).toBe(0);
    expect(lines(seen.stdout).map((answer) => JSON.parse(answer).line)).toEqual([1, 2, 3]);
  });

  it('refuses a document larger than 1 MiB as soon as it passes the limit, without reading it all', async () => {
    const dir = scratch();
    const { child, seen, closed } = start(['decide', 'p.policy', '--query', '-'], dir);
    child.stdin.write(`{\n${`${' '.repeat(1023)}\n`.repeat(1536)}`);
    // Standard input stays open: the CLI must not wait for its end.
    await closed;
    child.stdin.destroy();
    expect(seen).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet decide: standard input holds a query larger than 1 MiB, the most one may be\n',
    });
  });

  it('answers a line longer than 1 MiB with an error for that line alone', () => {
    const long = `{"requester":{"id":"${'a'.repeat(2 << 20)}","role":"patron"},"record":{"subjectId":"a"}}`;
    const dir = scratch({ 'q.jsonl': `${OWN}\n${long}\n${OWN}\n` });
    const { status, stdout, stderr } = tenet(['decide', 'p.policy', '--query', 'q.jsonl'], dir);
    expect(status).toBe(2);
    expect(lines(stdout).map((answer) => JSON.parse(answer).decision)).toEqual(['permit', 'deny', 'permit']);
    expect(stderr).toBe('tenet: invalid query on line 2: the query is longer than 1 MiB\n');
  });

  it('reads no further while standard output is full, and goes on when it drains', async () => {
    const dir = scratch();
    let pulled = 0;
    async function* stdin() {
      for (let n = 1; n <= 40; n++) {
        pulled++;
        yield Buffer.from(`${n % 2 ? OWN : OTHER}\n`);
      }
    }
    const written: string[] = [];
    let full = true;
    let release = () => {};
    const finished = run(['decide', path.join(dir, 'p.policy'), '--query', '-'], {
      stdout: (text) => written.push(text),
      stderr: (text) => written.push(text),
      colour: false,
      stdin,
      drained: () =>
        full
          ? new Promise((resolve) => {
              release = resolve;
            })
          : Promise.resolve(),
    });
    await until(() => written.length === 1, 'the first answer');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The first line is answered as soon as it is read; then the reader waits, and pulls no second line.
    expect([written.length, pulled]).toEqual([1, 1]);
    full = false;
    release();
    expect(await finished).toBe(0);
    expect(written.map((answer) => JSON.parse(answer).line)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });
});

describe('tenet: files and streams that cannot be read or written', () => {
  it('says in one line why a query file cannot be read, with exit status 2', () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'queries'));
    expect(tenet(['decide', 'p.policy', '--query', 'missing.json'], dir)).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet decide: cannot read the query file `missing.json`: no such file or folder\n',
    });
    expect(tenet(['explain', 'p.policy', '--query', 'queries'], dir)).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet explain: cannot read the query file `queries`: is a directory\n',
    });
  });

  it('says in one line when standard input is a directory, or closed', () => {
    const dir = scratch();
    const folder = openSync(dir, 'r');
    try {
      expect(tenet(['decide', 'p.policy', '--query', '-'], dir, { stdio: [folder, 'pipe', 'pipe'] })).toEqual(
        {
          status: 2,
          stdout: '',
          stderr: 'tenet decide: cannot read standard input: is a directory\n',
        },
      );
    } finally {
      closeSync(folder);
    }
    const closed = spawnSync(
      '/bin/sh',
      ['-c', `exec "${process.execPath}" "${main}" decide p.policy --query - <&-`],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect([closed.status, closed.stdout, closed.stderr]).toEqual([
      2,
      '',
      'tenet decide: standard input holds no query\n',
    ]);
  });

  it('says in one line why compile cannot write its artifact, with exit status 1', () => {
    const dir = scratch({ 'locked.json': '' });
    chmodSync(path.join(dir, 'locked.json'), 0o444);
    mkdirSync(path.join(dir, 'out'));
    const cases: [string, string][] = [
      ['/nonexistent/dir/a.json', 'no such file or folder'],
      ['out', 'is a directory'],
      ['locked.json', 'permission denied'],
    ];
    for (const [file, why] of cases) {
      expect(tenet(['compile', 'p.policy', '-o', file], dir, unprivileged)).toEqual({
        status: 1,
        stdout: '',
        stderr: `tenet compile: cannot write \`${file}\`: ${why}\n`,
      });
    }
  });

  it('says in one line that fmt cannot rewrite a read-only file, and leaves it as it was', () => {
    const messy = 'policy p "P"   version 2024-01-01\n';
    const dir = scratch({ 'messy.policy': messy });
    chmodSync(path.join(dir, 'messy.policy'), 0o444);
    expect(tenet(['fmt', 'messy.policy'], dir, unprivileged)).toEqual({
      status: 1,
      stdout: '',
      stderr: 'tenet fmt: cannot write `messy.policy`: permission denied\n',
    });
    expect(readFileSync(path.join(dir, 'messy.policy'), 'utf8')).toBe(messy);
  });

  it('says in one line that standard output cannot be written, with exit status 1', () => {
    const dir = scratch({ 'q.json': OWN });
    const full = openSync('/dev/full', 'w');
    try {
      const { status, stderr } = tenet(['decide', 'p.policy', '--query', 'q.json'], dir, {
        stdio: ['pipe', full, 'pipe'],
      });
      expect([status, stderr]).toEqual([
        1,
        'tenet decide: cannot write standard output: no space left on the device\n',
      ]);
    } finally {
      closeSync(full);
    }
  });

  it('stays quiet when the reader of standard output stops early', async () => {
    const dir = scratch({ 'q.jsonl': `${OWN}\n`.repeat(20_000) });
    const { child, seen, closed } = start(['decide', 'p.policy', '--query', 'q.jsonl'], dir);
    await until(() => seen.stdout.length > 0, 'the first answer');
    child.stdout.destroy();
    await closed;
    expect([seen.status, seen.stderr]).toEqual([0, '']);
  });

  it('says that an unexpected error is a bug, in one line, with exit status 1', async () => {
    const said: string[] = [];
    const status = await run(['check', path.join(scratch(), 'p.policy')], {
      stdout: () => {
        throw new TypeError('the console is broken');
      },
      stderr: (text) => said.push(text),
      colour: false,
    });
    expect([status, said.join('')]).toEqual([
      1,
      'tenet check: internal error: the console is broken (this is a bug; please report it)\n',
    ]);
  });
});
