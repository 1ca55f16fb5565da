import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reporterOf } from '../src/report.js';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'packages/cli/dist/main.js');

/** Runs the built `tenet` command in `cwd`, as a user would (standard error not a terminal: no colour). */
function tenet(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [main, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch folder (its real path) holding `files`, each path relative to it; folders are made as needed. */
function scratch(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'tenet-confinement-')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const header = 'policy p "P"\n  version 2024-01-01\n';

/** A file of declarations another policy imports, clean on its own. */
const vocabulary = 'entity requester\n  id: identifier\n\nauthority law "Law"\n  quote "The law."\n';

/** A policy using what {@link vocabulary} declares, after `imports`. */
const using = (...imports: string[]) =>
  `${header}\n${imports.map((i) => `import "${i}"\n`).join('')}\npermit own\n  when requester.id is "p-1"\n  because law\n  says "Own."\n`;

/** What never reaches the output: the content of the files outside a policy's reach. */
const SECRET = 'SECRET-TOKEN-123';

/** Outside `p/`: a text file and a policy, both holding the secret (and an error, so a check would quote it). */
const outsiders = {
  'secret.txt': `${SECRET} @\n`,
  'outside/secret.policy': `${SECRET} @\n`,
  'outside/vocabulary.policy': vocabulary,
};

describe('tenet check, on imports that leave the policy’s folder', () => {
  it('refuses `/proc/self/environ` and a `..` path to a file that is not a policy, quoting neither', () => {
    const dir = scratch({
      ...outsiders,
      'p/main.policy': `${header}import "/proc/self/environ"\nimport "../secret.txt"\n`,
    });
    const { status, stdout, stderr } = tenet(['check', 'p/main.policy'], dir);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'p/main.policy:3:8: error[import-not-policy]: cannot import `/proc/self/environ`: it is not a `.policy` file',
        '  |',
        '3 | import "/proc/self/environ"',
        '  |        ^^^^^^^^^^^^^^^^^^^^',
        'help: only `.policy` files can be imported: move what you need into one',
        '',
        'p/main.policy:4:8: error[import-not-policy]: cannot import `../secret.txt`: it is not a `.policy` file',
        '  |',
        '4 | import "../secret.txt"',
        '  |        ^^^^^^^^^^^^^^^',
        'help: only `.policy` files can be imported: move what you need into one',
        '',
        '2 errors',
        '',
      ].join('\n'),
    );
  });

  it('refuses a `.policy` file outside the folder, by a `..` path or an absolute one, and reads it under `--root`', () => {
    const dir = scratch({ ...outsiders, 'p/relative.policy': using('../outside/vocabulary.policy') });
    const absolute = path.join(dir, 'outside/vocabulary.policy');
    writeFileSync(path.join(dir, 'p/absolute.policy'), using(absolute));
    const refused = (file: string, written: string) => [
      `p/${file}:4:8: error[import-outside-root]: cannot import \`${written}\`: it is outside the root folder`,
      '  |',
      `4 | import "${written}"`,
      `  |        ${'^'.repeat(written.length + 2)}`,
      'help: a policy imports only from under `p`: move the file there, or name a wider root with `--root <dir>`',
      '',
    ];
    expect(tenet(['check', '--root', 'p', 'p/relative.policy', 'p/absolute.policy'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: [
        ...refused('relative.policy', '../outside/vocabulary.policy'),
        ...refused('absolute.policy', absolute),
        '2 errors',
        '',
      ].join('\n'),
    });
    expect(tenet(['check', '--root', dir, 'p/relative.policy', 'p/absolute.policy'], dir)).toEqual({
      status: 0,
      stdout: ['relative', 'absolute']
        .map(
          (name) =>
            `p/${name}.policy: ok (2 files, 0 sections, 1 rule, 0 obligations, 0 assertions, 0 examples, 0 interpretations)\n`,
        )
        .join(''),
      stderr: '',
    });
  });

  it('still reads a file outside the folder only as a policy: under `--root`, its own errors are quoted', () => {
    const dir = scratch({ ...outsiders, 'p/main.policy': `${header}import "../outside/secret.policy"\n` });
    expect(tenet(['check', '--root', 'p', 'p/main.policy'], dir).stderr).not.toContain(SECRET);
    expect(tenet(['check', '--root', '.', 'p/main.policy'], dir).stderr.split('\n').slice(0, 4)).toEqual([
      `outside/secret.policy:1:1: error[syntax-error]: unexpected \`${SECRET}\`: expected a declaration`,
      '  |',
      `1 | ${SECRET} @`,
      '  | ^^^^^^^^^^^^^^^^',
    ]);
  });

  it('refuses a symbolic link inside the folder that leads out of it, even to a policy', () => {
    const dir = scratch({ ...outsiders, 'p/main.policy': using('link.policy') });
    symlinkSync(path.join(dir, 'outside/vocabulary.policy'), path.join(dir, 'p/link.policy'));
    const { status, stderr } = tenet(['check', '--root', 'p', 'p/main.policy'], dir);
    expect(status).toBe(1);
    expect(stderr).toBe(
      [
        'p/main.policy:4:8: error[import-outside-root]: cannot import `link.policy`: it is outside the root folder',
        '  |',
        '4 | import "link.policy"',
        '  |        ^^^^^^^^^^^^^',
        'help: it is a symbolic link to a file outside `p`: move the file there, or name a wider root with `--root <dir>`',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
    // Under a root that holds its target, the link is followed.
    expect(tenet(['check', '--root', '.', 'p/main.policy'], dir)).toEqual({
      status: 0,
      stdout:
        'p/main.policy: ok (2 files, 0 sections, 1 rule, 0 obligations, 0 assertions, 0 examples, 0 interpretations)\n',
      stderr: '',
    });
  });

  it('refuses a symbolic link named `.policy` to a file that is not one, whatever the root', () => {
    const dir = scratch({ ...outsiders, 'p/main.policy': `${header}import "env.policy"\n` });
    symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'p/env.policy'));
    const { status, stderr } = tenet(['check', '--root', '.', 'p/main.policy'], dir);
    expect(status).toBe(1);
    expect(stderr).toBe(
      [
        'p/main.policy:3:8: error[import-not-policy]: cannot import `env.policy`: it is not a `.policy` file',
        '  |',
        '3 | import "env.policy"',
        '  |        ^^^^^^^^^^^^',
        'help: it is a symbolic link to a file that is not a `.policy` file: import the policy itself',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });

  it('refuses an entry file that is not a `.policy` file, or is outside `--root`, without quoting it', () => {
    const dir = scratch({ ...outsiders, 'p/main.policy': using() });
    expect(tenet(['check', 'secret.txt'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: [
        'error[import-not-policy]: cannot read `secret.txt`: it is not a `.policy` file',
        'help: name a `.policy` file',
        '',
        '1 error',
        '',
      ].join('\n'),
    });
    expect(tenet(['check', '--root', 'p', 'outside/secret.policy'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: [
        'error[import-outside-root]: cannot read `outside/secret.policy`: it is outside the root folder',
        'help: name a root that holds it with `--root <dir>`',
        '',
        '1 error',
        '',
      ].join('\n'),
    });
  });

  it('confines a policy by default to the current folder when it is under it, and else to its own folder', () => {
    const dir = scratch({ ...outsiders, 'p/main.policy': using('../outside/vocabulary.policy') });
    // Run from the folder that holds both: the import is inside the current folder.
    expect(tenet(['check', 'p/main.policy'], dir).status).toBe(0);
    // Run from inside `p`: the import leaves the current folder.
    expect(tenet(['check', 'main.policy'], path.join(dir, 'p')).stderr.split('\n')[0]).toBe(
      'main.policy:4:8: error[import-outside-root]: cannot import `../outside/vocabulary.policy`: it is outside the root folder',
    );
    // Run from elsewhere: the policy's own folder is the root.
    const elsewhere = realpathSync(mkdtempSync(path.join(tmpdir(), 'tenet-elsewhere-')));
    expect(tenet(['check', path.join(dir, 'p/main.policy')], elsewhere).stderr).toContain(
      'error[import-outside-root]: cannot import `../outside/vocabulary.policy`: it is outside the root folder',
    );
  });

  it('exits 2 when `--root` names no folder', () => {
    const dir = scratch({ 'p/main.policy': using() });
    expect(tenet(['check', '--root', 'nowhere', 'p/main.policy'], dir)).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet check: the root `nowhere` is not a folder\n',
    });
  });
});

describe('tenet test, verify and diff, on imports that leave the policy’s folder', () => {
  const refusedIn = (file: string) =>
    [
      `p/${file}:4:8: error[import-outside-root]: cannot import \`../outside/vocabulary.policy\`: it is outside the root folder`,
      '  |',
      '4 | import "../outside/vocabulary.policy"',
      '  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
      'help: a policy imports only from under `p`: move the file there, or name a wider root with `--root <dir>`',
      '',
      `p/${file}: not compiled: 1 error`,
      '',
    ].join('\n');
  const refused = refusedIn('main.policy');
  const dir = scratch({
    ...outsiders,
    'p/main.policy': using('../outside/vocabulary.policy'),
    'p/same.policy': using('../outside/vocabulary.policy'),
  });

  it('`tenet test` refuses them, and reads them under `--root`', () => {
    expect(tenet(['test', '--root', 'p', 'p/main.policy'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: refused,
    });
    expect(tenet(['test', '--root', '.', 'p/main.policy'], dir)).toEqual({
      status: 0,
      stdout:
        '0 examples: 0 passed, 0 failed\n1 rule no example reaches: own\nthe policy has no obligations\n',
      stderr: '',
    });
  });

  it('`tenet verify` refuses them, and reads them under `--root`', () => {
    expect(tenet(['verify', '--root', 'p', 'p/main.policy'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: refused,
    });
    expect(tenet(['verify', '--root', '.', '--json', 'p/main.policy'], dir)).toEqual({
      status: 0,
      stdout: `${JSON.stringify(
        {
          files: [
            { file: 'p/main.policy', status: 'verified', proved: true, assertions: [], diagnostics: [] },
          ],
          summary: { assertions: 0, proved: 0 },
        },
        null,
        2,
      )}\n`,
      stderr: '',
    });
  });

  it('`tenet diff` refuses them, and reads both policies’ imports under `--root`', () => {
    expect(tenet(['diff', '--root', 'p', 'p/main.policy', 'p/same.policy'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: refused + refusedIn('same.policy'),
    });
    expect(tenet(['diff', '--root', '.', 'p/main.policy', 'p/same.policy'], dir)).toEqual({
      status: 0,
      stdout: 'p and p decide every query alike, with the same obligations\n',
      stderr: '',
    });
  });
});

describe('the reporter', () => {
  it('quotes no line of a file the CLI has not read as a policy', () => {
    const dir = scratch({ 'secret.txt': `${SECRET}\n`, 'unread.policy': `${SECRET}\n` });
    const reporter = reporterOf({ io: { stdout: () => {}, stderr: () => {}, colour: false } });
    for (const name of ['secret.txt', 'unread.policy']) {
      const file = path.join(dir, name);
      const span = { file, start: { offset: 0, line: 1, column: 1 }, end: { offset: 6, line: 1, column: 7 } };
      expect(
        reporter.format({ code: 'syntax-error', severity: 'error', message: 'expected a declaration', span }),
      ).toBe(`${file}:1:1: error[syntax-error]: expected a declaration`);
    }
  });
});

describe('tenet check, on control characters in a policy', () => {
  /** A policy with a role to misspell and an authority to cite, then the lines of `rule` (from line 11). */
  const policy = (...rule: string[]) =>
    `${header}\nentity requester\n  id: identifier\n  role: one of patron, reporter\n\nauthority law "Law"\n  quote "The law."\n\n${rule.join('\n')}\n`;

  it('shows an ESC sequence in a string as `\\x1b`, with the marker still under the span after it', () => {
    const dir = scratch({
      'p.policy': policy(
        'permit reporters',
        '  says "\u001b[2J\tgone" because law when requester.role is reporterr',
      ),
    });
    expect(tenet(['check', 'p.policy'], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: [
        'p.policy:12:9: error[control-character]: control character U+001B in a string',
        '   |',
        '12 |   says "\\x1b[2J gone" because law when requester.role is reporterr',
        '   |         ^^^^',
        'help: it can change what a terminal or a document shows, and no reader can see it: remove it',
        '',
        'p.policy:12:55: error[unknown-value]: unknown value `reporterr`',
        '   |',
        '12 |   says "\\x1b[2J gone" because law when requester.role is reporterr',
        '   |                                                          ^^^^^^^^^',
        'help: did you mean `reporter`?',
        '',
        '2 errors',
        '',
      ].join('\n'),
    });
  });

  it('prints nothing of an ESC sequence in a comment on a line with no problem, and shows a bidirectional override as `\\u202e`', () => {
    const dir = scratch({
      'p.policy': policy(
        'permit reporters',
        '  when requester.role is reporter # \u001b[2J\u001b[H wiped',
        '  because law',
        '  says "Reporters \u202emay."',
      ),
    });
    expect(tenet(['check', 'p.policy'], dir)).toEqual({
      status: 0,
      stdout:
        'p.policy: ok (1 file, 0 sections, 1 rule, 0 obligations, 0 assertions, 0 examples, 0 interpretations; 1 warning)\n',
      stderr: [
        'p.policy:14:19: warning[bidi-control]: bidirectional control character U+202E RIGHT-TO-LEFT OVERRIDE in a string',
        '   |',
        '14 |   says "Reporters \\u202emay."',
        '   |                   ^^^^^^',
        'help: it can make the text display in an order other than the one Tenet reads; remove it (the language has no escape for it)',
        '',
        '',
      ].join('\n'),
    });
  });

  it('marks a bidirectional override in a comment after an ESC sequence, counting the width of both escapes', () => {
    const dir = scratch({ 'p.policy': `${header}# \u001b[2J wiped \u202e here\n` });
    expect(tenet(['check', 'p.policy'], dir)).toEqual({
      status: 0,
      stdout:
        'p.policy: ok (1 file, 0 sections, 0 rules, 0 obligations, 0 assertions, 0 examples, 0 interpretations; 1 warning)\n',
      stderr: [
        'p.policy:3:14: warning[bidi-control]: bidirectional control character U+202E RIGHT-TO-LEFT OVERRIDE in a comment',
        '  |',
        '3 | # \\x1b[2J wiped \\u202e here',
        '  |                 ^^^^^^',
        'help: it can make the text display in an order other than the one Tenet reads; remove it (the language has no escape for it)',
        '',
        '',
      ].join('\n'),
    });
  });

  it('escapes C0 and C1 controls in the message as in the line quoted', () => {
    const dir = scratch({ 'p.policy': `${header}\u001b\u009b\u0007 permit x because y\n` });
    const { status, stderr } = tenet(['check', 'p.policy'], dir);
    expect(status).toBe(1);
    expect(stderr.split('\n').slice(0, 5)).toEqual([
      'p.policy:3:1: error[unexpected-character]: unexpected characters `\\x1b\\x9b\\x07`',
      '  |',
      '3 | \\x1b\\x9b\\x07 permit x because y',
      '  | ^^^^^^^^^^^^',
      'help: remove it; text belongs in a string: "…"',
    ]);
  });
});
