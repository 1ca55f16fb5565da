import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli.js';
import { colourWanted } from '../src/context.js';
import { COMMANDS } from '../src/help.js';
import { displayWidth, Reporter } from '../src/report.js';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'packages/cli/dist/main.js');
const version = (
  JSON.parse(readFileSync(path.join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }
).version;

/** Runs the built `tenet` command as a user would, with only `env` (and PATH) in its environment. */
function tenet(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [main, ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `tenet` in this process, its output collected. */
async function inProcess(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    colour: false,
  });
  return { status, stdout, stderr };
}

const bad = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenet-conventions-'));
  writeFileSync(path.join(dir, 'bad.policy'), 'policy p "P"\n  default deny because nowhere\n');
  return dir;
};

describe('help and version', () => {
  it('gives each command its own help, on standard output, with exit status 0', async () => {
    for (const name of Object.keys(COMMANDS)) {
      const help = await inProcess([name, '--help']);
      expect(help.status, name).toBe(0);
      expect(help.stderr).toBe('');
      expect(help.stdout.split('\n')[0]).toBe(`usage: tenet ${COMMANDS[name]?.usage}`);
      expect(help.stdout).toContain('\nexit status: 0 success; ');
      expect(help.stdout).toContain('\nexample:\n  $ tenet ');
      expect(await inProcess([name, '-h'])).toEqual(help);
      expect(await inProcess(['help', name])).toEqual(help);
    }
  });

  it('lists every command in the general help, and has help for every command it runs', async () => {
    const help = await inProcess(['--help']);
    expect(help.status).toBe(0);
    const listed = [...help.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(COMMANDS));
    for (const name of Object.keys(COMMANDS))
      expect((await inProcess([name])).stderr, name).not.toMatch(/unknown command/);
  });

  it('says its version', () => {
    expect(tenet(['--version'])).toEqual({
      status: 0,
      stdout: `tenet ${version} (node ${process.version})\n`,
      stderr: '',
    });
  });

  it('suggests the command or option meant', async () => {
    expect(await inProcess(['verfy', 'p.policy'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet: unknown command `verfy`: did you mean `verify`? (`tenet --help` lists them)\n',
    });
    expect((await inProcess(['help', 'chek'])).stderr).toBe(
      'tenet: unknown command `chek`: did you mean `check`? (`tenet --help` lists them)\n',
    );
    expect((await inProcess(['fmt', '--chek', 'p.policy'])).stderr).toBe(
      'tenet fmt: unknown option `--chek`: did you mean `--check`?\n',
    );
    expect((await inProcess(['fmt', '--zzz', 'p.policy'])).stderr).toBe(
      'tenet fmt: unknown option `--zzz` (`--help` lists the options)\n',
    );
    expect((await inProcess(['check', '--json', 'p.policy'])).stderr).toBe(
      'tenet check: unknown option `--json`: did you mean `--format json`?\n',
    );
    expect((await inProcess(['diff', 'a.policy', 'b.policy', '--limit'])).stderr).toBe(
      'tenet diff: `--limit` needs a value\n',
    );
  });

  it('takes the `--` pnpm passes on before the command', async () => {
    expect((await inProcess(['--', '--version'])).stdout).toMatch(/^tenet /);
  });
});

describe('colour', () => {
  it('follows FORCE_COLOR, NO_COLOR and TERM, then whether the stream is a terminal', () => {
    const cases: [boolean, Record<string, string>, boolean][] = [
      [true, {}, true],
      [false, {}, false],
      [true, { NO_COLOR: '1' }, false],
      [true, { NO_COLOR: '' }, true],
      [true, { TERM: 'dumb' }, false],
      [false, { FORCE_COLOR: '1' }, true],
      [false, { FORCE_COLOR: '' }, true],
      [true, { FORCE_COLOR: '0' }, false],
      [true, { FORCE_COLOR: 'false', NO_COLOR: '' }, false],
      [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    ];
    for (const [terminal, env, wanted] of cases)
      expect(colourWanted(terminal, env), `${terminal} ${JSON.stringify(env)}`).toBe(wanted);
  });

  it('colours the whole diagnostic, on standard error, when asked, and nothing when not', () => {
    const cwd = bad();
    const coloured = tenet(['check', 'bad.policy', '--color=always'], { cwd });
    expect(coloured.stderr.split('\n').slice(0, 4)).toEqual([
      '\u001b[1mbad.policy:2:24: \u001b[22m\u001b[1m\u001b[31merror[unknown-citation]\u001b[39m\u001b[22m: unknown authority, section or interpretation `nowhere`',
      '  |',
      '2 |   default deny because nowhere',
      '  |                        \u001b[31m^^^^^^^\u001b[39m',
    ]);
    expect(tenet(['check', 'bad.policy', '--color', 'always'], { cwd }).stderr).toBe(coloured.stderr);
    expect(tenet(['check', 'bad.policy'], { cwd, env: { FORCE_COLOR: '1' } }).stderr).toBe(coloured.stderr);
    const plain = tenet(['check', 'bad.policy'], { cwd, env: { TERM: 'dumb' } });
    expect(plain.stderr).not.toContain('\u001b');
    expect(plain.stderr.split('\n')[0]).toBe(
      'bad.policy:2:24: error[unknown-citation]: unknown authority, section or interpretation `nowhere`',
    );
    expect(tenet(['check', 'bad.policy', '--no-color'], { cwd, env: { FORCE_COLOR: '1' } }).stderr).toBe(
      plain.stderr,
    );
    expect(tenet(['check', 'bad.policy', '--color=blue'], { cwd })).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet: --color is auto, always or never, not `blue`\n',
    });
  });
});

describe('code frames', () => {
  it('counts wide characters as two columns and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('图书馆')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('§')).toBe(1);
  });

  it('puts the marker under the span after wide characters', () => {
    const text = 'policy p "图书馆" x\n';
    const reporter = new Reporter(false, () => text);
    const frame = reporter.format({
      code: 'syntax-error',
      severity: 'error',
      message: 'unexpected `x`',
      span: {
        file: 'p.policy',
        start: { line: 1, column: 16, offset: 15 },
        end: { line: 1, column: 17, offset: 16 },
      },
    });
    expect(frame.split('\n').slice(2, 4)).toEqual([
      '1 | policy p "图书馆" x',
      // `policy p "` is 10 columns, the three characters 6, `" ` 2: the marker is at the 19th.
      `  | ${' '.repeat(18)}^`,
    ]);
  });
});

describe('files', () => {
  it('says why a policy named cannot be read', () => {
    const cwd = bad();
    expect(tenet(['check', 'missing.policy'], { cwd }).stderr.split('\n')[0]).toBe(
      'error[import-not-found]: cannot read `missing.policy`: no such file',
    );
  });

  it('reads a policy from any folder of a project, its imports confined to the project', () => {
    const fromSubfolder = tenet(['check', 'confidentiality.policy'], {
      cwd: path.join(root, 'policies/wethersfield'),
    });
    expect(fromSubfolder.stderr).toBe('');
    expect(fromSubfolder.stdout).toMatch(/^confidentiality\.policy: ok \(3 files, /);
  });

  it('reads file names from the folder `pnpm tenet` was typed in', () => {
    const viaPnpm = tenet(['check', 'confidentiality.policy'], {
      env: { npm_lifecycle_event: 'tenet', INIT_CWD: path.join(root, 'policies/wethersfield') },
    });
    expect(viaPnpm.stderr).toBe('');
    expect(viaPnpm.stdout).toMatch(/^confidentiality\.policy: ok \(3 files, /);
  });
});
