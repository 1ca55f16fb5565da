import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPolicy,
  type Diagnostic,
  load,
  type Refusal,
  type SourceHost,
  type SourceSpan,
} from '../src/index.js';

function where(span: SourceSpan | undefined): string {
  return span
    ? `${span.file}:${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`
    : '-';
}

/** A diagnostic as its code, severity, place, message and help: the whole of what a refusal says. */
function show(d: Diagnostic) {
  return { code: d.code, severity: d.severity, at: where(d.span), message: d.message, help: d.help };
}

/** Files in memory, with the refusals a confining host would give; `asked` lists every file it was asked for. */
function host(files: Record<string, string>, refusals: Record<string, Refusal> = {}) {
  const asked: string[] = [];
  const source: SourceHost = {
    read(file) {
      asked.push(file);
      return refusals[file] ?? files[file];
    },
    resolve: (from, path) => posix.normalize(posix.join(posix.dirname(from), path)),
  };
  return { source, asked };
}

describe('imports a host refuses', () => {
  it('refuses an import that is not a `.policy` file at its path, without asking the host for it', () => {
    const { source, asked } = host({
      'p/main.policy': 'import "/proc/self/environ"\nimport "../../etc/passwd"\n',
      '/proc/self/environ': 'SECRET=1',
      '../etc/passwd': 'root:x:0:0',
    });
    const { value, diagnostics } = load('p/main.policy', source);
    expect(diagnostics.map(show)).toEqual([
      {
        code: 'import-not-policy',
        severity: 'error',
        at: 'p/main.policy:1:8-1:28',
        message: 'cannot import `/proc/self/environ`: it is not a `.policy` file',
        help: 'only `.policy` files can be imported: move what you need into one',
      },
      {
        code: 'import-not-policy',
        severity: 'error',
        at: 'p/main.policy:2:8-2:26',
        message: 'cannot import `../../etc/passwd`: it is not a `.policy` file',
        help: 'only `.policy` files can be imported: move what you need into one',
      },
    ]);
    expect(asked).toEqual(['p/main.policy']);
    expect(value.files.map((f) => f.file)).toEqual(['p/main.policy']);
  });

  it('reports an import the host refuses as outside the root at its path, with the help the host gives', () => {
    const { source } = host(
      { 'p/main.policy': 'import "../secret.policy"' },
      { 'secret.policy': { refused: 'outside-root', help: 'name a wider root with `--root <dir>`' } },
    );
    expect(load('p/main.policy', source).diagnostics.map(show)).toEqual([
      {
        code: 'import-outside-root',
        severity: 'error',
        at: 'p/main.policy:1:8-1:26',
        message: 'cannot import `../secret.policy`: it is outside the root folder',
        help: 'name a wider root with `--root <dir>`',
      },
    ]);
  });

  it('gives a help of its own when the host gives none', () => {
    const { source } = host(
      { 'p/main.policy': 'import "../a.policy"\nimport "b.policy"' },
      { 'a.policy': { refused: 'outside-root' }, 'p/b.policy': { refused: 'not-a-policy' } },
    );
    expect(load('p/main.policy', source).diagnostics.map(show)).toEqual([
      {
        code: 'import-outside-root',
        severity: 'error',
        at: 'p/main.policy:1:8-1:21',
        message: 'cannot import `../a.policy`: it is outside the root folder',
        help: 'move the file under the folder of the policy that imports it',
      },
      {
        code: 'import-not-policy',
        severity: 'error',
        at: 'p/main.policy:2:8-2:18',
        message: 'cannot import `b.policy`: it is not a `.policy` file',
        help: 'only `.policy` files can be imported: move what you need into one',
      },
    ]);
  });

  it('reports an entry file the host refuses without a span', () => {
    const { source } = host({}, { 'main.policy': { refused: 'outside-root', help: 'name its root' } });
    expect(load('main.policy', source).diagnostics.map(show)).toEqual([
      {
        code: 'import-outside-root',
        severity: 'error',
        at: '-',
        message: 'cannot read `main.policy`: it is outside the root folder',
        help: 'name its root',
      },
    ]);
    const notPolicy = host({}, { 'notes.txt': { refused: 'not-a-policy' } });
    expect(load('notes.txt', notPolicy.source).diagnostics.map(show)).toEqual([
      {
        code: 'import-not-policy',
        severity: 'error',
        at: '-',
        message: 'cannot read `notes.txt`: it is not a `.policy` file',
        help: 'name a `.policy` file',
      },
    ]);
  });

  it('does not also report, as unknown, the names the file it could not read would have declared', () => {
    const main = [
      'policy p "P"',
      '  version 2024-01-01',
      'import "../shared/vocabulary.policy"',
      'permit own when requester.id is record.owner because law says "Own."',
    ].join('\n');
    const { source } = host(
      { 'p/main.policy': main },
      { 'shared/vocabulary.policy': { refused: 'outside-root' } },
    );
    expect(checkPolicy('p/main.policy', source).diagnostics.map((d) => `${d.code} ${where(d.span)}`)).toEqual(
      ['import-outside-root p/main.policy:3:8-3:37'],
    );
  });
});
