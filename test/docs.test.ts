import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('the documentation', () => {
  it('documents every diagnostic code the language can report, and no other', () => {
    const union =
      read('packages/language/src/diagnostics.ts').split('export type DiagnosticCode =')[1]?.split(';')[0] ??
      '';
    const codes = [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort();
    const documented = [...read('docs/diagnostics.md').matchAll(/^\| `([a-z-]+)` \|/gm)]
      .map((m) => m[1])
      .sort();
    expect(codes.length).toBeGreaterThan(30);
    expect(documented).toEqual(codes);
  });
});
