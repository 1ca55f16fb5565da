/**
 * The built `tenet check` command, run as a child process on input no policy author would write: random bytes,
 * plain English, broken copies of a real policy, absurd nesting, a megabyte of one token. Each must end in exit
 * status 1 with at least one positioned error (`file:line:col: error[code]: …`) and never a stack trace. Then
 * `tenet decide` on queries no caller should send: bytes that are not UTF-8, a key twice, random bytes, absurd
 * nesting, more on standard input than a string can hold. Each must end in exit status 2 with one line said about it.
 *
 * The wall time of each case is printed (the goal is well within a second each); it is not asserted, so a slow
 * machine does not fail the suite. Build first: `npx tsc -b packages/cli`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OWN_RECORD, repoRoot } from './helpers/policy.js';

const main = path.join(repoRoot, 'packages/cli/dist/main.js');
const wethersfield = readFileSync(
  path.join(repoRoot, 'policies/wethersfield/confidentiality.policy'),
  'utf8',
);
const connecticut = readFileSync(path.join(repoRoot, 'policies/connecticut/authorities.policy'), 'utf8');
const MEGABYTE = 1 << 20;

/** The opening paragraphs of the seed: the policy as the Wethersfield Library publishes it, in plain English. */
const SEED_ENGLISH = `Confidentiality of Records Policy

Revised April 22, 2014

It is the policy of the Wethersfield Library to preserve the confidentiality of all records identifying by name any user of the library to the fullest extent permitted by law.

The various records which are required to control the use of library materials either on or off the library premises are for the sole purpose of protecting library property and implementing the orderly development of the library collection.

Names, addresses, telephone numbers of customers, and information on materials borrowed or money owed by customers are confidential. Library staff shall not provide information of a personal nature about any borrowers except to the borrower himself or to the parent/guardian of a borrower who is a minor.

In all cases, whether it be a request from a family member, a law enforcement agent, or a reporter, the library staff is ethically and legally bound to make every effort to protect the confidentiality of an individual's data and personal information no matter how convincing the argument to release information. By protecting the confidentiality of each borrower's record, staff upholds the law and assures borrowers that they may borrow materials based on their individual needs.
`;

/** A small seeded generator (mulberry32), so every run writes the same "random" input. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(length: number, seed: number): Buffer {
  const next = random(seed);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(next() * 256);
  return bytes;
}

function shuffledLines(text: string, seed: number): string {
  const next = random(seed);
  const lines = text.split('\n');
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
  }
  return lines.join('\n');
}

/** The Wethersfield policy cut off just after a `when`, half way through: the condition is missing. */
function truncated(text: string): string {
  const at = text.indexOf(' when ', Math.floor(text.length / 2));
  expect(at).toBeGreaterThan(0);
  return text.slice(0, at + ' when '.length);
}

function repeatTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

const cases: { name: string; content: () => string | Buffer }[] = [
  { name: 'a megabyte of random bytes', content: () => randomBytes(MEGABYTE, 0x7e4e7) },
  { name: 'the seed policy in plain English', content: () => SEED_ENGLISH },
  { name: 'the Wethersfield policy cut off in the middle of a rule', content: () => truncated(wethersfield) },
  { name: 'the Wethersfield policy with its lines shuffled', content: () => shuffledLines(wethersfield, 42) },
  {
    name: 'a condition in 100,000 nested parentheses',
    content: () => `permit x when ${'('.repeat(100_000)}a${')'.repeat(100_000)}\n  because y\n`,
  },
  { name: 'a megabyte of `a`', content: () => 'a'.repeat(MEGABYTE) },
  { name: 'a megabyte of `(`', content: () => '('.repeat(MEGABYTE) },
  { name: 'a megabyte of `"`', content: () => '"'.repeat(MEGABYTE) },
  { name: 'a megabyte of `permit `', content: () => repeatTo('permit ', MEGABYTE) },
  { name: 'a megabyte of `not `', content: () => repeatTo('not ', MEGABYTE) },
];

/** A diagnostic's first line, as the CLI prints it. */
const POSITIONED_ERROR = /^(.+):(\d+):(\d+): error\[([a-z]+(?:-[a-z]+)*)\]: \S/m;
/** What a crash leaves behind: a stack frame, or an exception's name as node prints it. */
const CRASH = [
  /^\s+at /m,
  /\b[A-Za-z]*Error: /,
  /RangeError/,
  /Maximum call stack/,
  /node:internal/,
  /FATAL ERROR/,
];

describe('tenet check, on hostile input', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenet-hostile-'));
  // The policies sit at the same depth as in the repository, so the Wethersfield import still resolves.
  mkdirSync(path.join(dir, 'connecticut'));
  mkdirSync(path.join(dir, 'wethersfield'));
  writeFileSync(path.join(dir, 'connecticut', 'authorities.policy'), connecticut);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the CLI built', () => {
    expect(existsSync(main), `build it first: npx tsc -b packages/cli (no ${main})`).toBe(true);
  });

  cases.forEach(({ name, content }, i) => {
    it(`exits 1 with a positioned error and no stack trace on ${name}`, { timeout: 120_000 }, () => {
      const file = path.join(dir, 'wethersfield', `case-${i}.policy`);
      writeFileSync(file, content());

      const result = spawnSync(process.execPath, [main, 'check', file], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        maxBuffer: 256 * MEGABYTE,
        timeout: 100_000,
      });

      expect(result.error, 'the CLI could not be run to its end').toBeUndefined();
      const output = `${result.stdout}\n${result.stderr}`;
      for (const crash of CRASH)
        expect(output, `the output looks like a crash (${crash})`).not.toMatch(crash);
      expect(result.status).toBe(1);
      const error = POSITIONED_ERROR.exec(result.stderr);
      expect(
        error,
        `no \`file:line:col: error[code]:\` line in:\n${result.stderr.slice(0, 2000)}`,
      ).not.toBeNull();
      expect(error?.[1]).toBe(file);
      expect(Number(error?.[2])).toBeGreaterThanOrEqual(1);
      expect(Number(error?.[3])).toBeGreaterThanOrEqual(1);
    });
  });
});

/**
 * Queries, and what `tenet decide` must say about each on standard error: one line, or lines each of a pattern (where
 * the input is read as JSON Lines, one line said for each line refused).
 */
const queries: { name: string; input: () => Buffer; says: string | RegExp }[] = [
  {
    // Decoded leniently, both names become `M\uFFFDller`: equal, so the reporter would be the record's borrower.
    name: 'two Latin-1 names, `M\xfcller` and `M\xe4ller`',
    input: () =>
      Buffer.from(
        '{"requester":{"id":"M\xfcller","role":"reporter"},"record":{"subjectId":"M\xe4ller"}}',
        'latin1',
      ),
    says: 'tenet: invalid query on line 1: the query is not valid JSON at column 22: the text is not UTF-8 (a byte no UTF-8 text has)',
  },
  {
    // One reader takes the first `id`, another the last: the reporter would be the record's borrower.
    name: 'a key twice in one object',
    input: () =>
      Buffer.from('{"requester":{"id":"r-7","role":"reporter","id":"p-2"},"record":{"subjectId":"p-2"}}'),
    says: 'tenet: invalid query on line 1: the query is not valid JSON at column 44: a key appears twice in one object',
  },
  {
    name: 'a query in 100,000 nested arrays',
    input: () => Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    says: 'tenet: invalid query on line 1: the query is not valid JSON at column 65: arrays and objects nest more than 64 deep',
  },
  {
    name: 'a megabyte of `{`',
    input: () => Buffer.from('{'.repeat(MEGABYTE - 1)),
    says: 'tenet: invalid query: the query is not valid JSON at line 1, column 2: an unexpected character `{`',
  },
  {
    name: 'a megabyte of random bytes',
    input: () => randomBytes(MEGABYTE, 0x5eed),
    says: /^tenet: invalid query on line \d+: .+$/,
  },
];

describe('tenet decide, on hostile queries', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenet-hostile-queries-'));
  writeFileSync(path.join(dir, 'p.policy'), OWN_RECORD);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const { name, input, says } of queries) {
    it(`exits 2 and says one line, never a stack trace, on ${name}`, () => {
      const result = spawnSync(process.execPath, [main, 'decide', 'p.policy', '--query', '-'], {
        cwd: dir,
        input: input(),
        encoding: 'utf8',
        maxBuffer: 256 * MEGABYTE,
        timeout: 100_000,
      });
      expect(result.error, 'the CLI could not be run to its end').toBeUndefined();
      for (const crash of CRASH) expect(`${result.stdout}\n${result.stderr}`).not.toMatch(crash);
      expect(result.status).toBe(2);
      if (typeof says === 'string') {
        expect(result.stderr).toBe(`${says}\n`);
        expect(JSON.parse(result.stdout).decision).toBe('deny');
      } else {
        const said = result.stderr.split('\n').slice(0, -1);
        for (const line of said) expect(line).toMatch(says);
        const answers = result.stdout
          .split('\n')
          .slice(0, -1)
          .map((answer) => JSON.parse(answer));
        expect(answers.length).toBe(said.length);
        for (const answer of answers) expect(answer.decision).toBe('deny');
      }
    });
  }

  it('refuses 600 MiB on standard input once the first MiB is past, without reading the rest', {
    timeout: 120_000,
  }, async () => {
    const child = spawn(process.execPath, [main, 'decide', 'p.policy', '--query', '-'], { cwd: dir });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.on('error', () => {});
    // One line of `{`, written a MiB at a time as the CLI takes it, until it has had 600 MiB or stops.
    const chunk = Buffer.alloc(MEGABYTE, '{');
    let written = 0;
    while (written < 600 * MEGABYTE && child.exitCode === null && !child.stdin.destroyed) {
      written += chunk.length;
      if (!child.stdin.write(chunk))
        await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), closed]);
    }
    child.stdin.destroy();
    expect(await closed).toBe(2);
    expect(stderr).toBe(
      'tenet decide: standard input holds a query larger than 1 MiB, the most one may be\n',
    );
    expect(written).toBeLessThan(100 * MEGABYTE);
  });
});
