import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, compile, examplesOf, solverAttributes } from '../packages/compiler/src/index.js';
import { checkPolicy, format, parse } from '../packages/language/src/index.js';
import { createEngine } from '../packages/runtime/src/index.js';

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

  it('opens the language reference with a whole policy that checks clean, passes its examples, proves its guarantees, and is formatted', () => {
    const text = /```\n(# Comments run from[\s\S]*?)```/.exec(read('docs/language.md'))?.[1] ?? '';
    const file = 'docs/language.md#example';
    const checked = checkPolicy(file, { read: (f) => (f === file ? text : undefined), resolve: (_, p) => p });
    expect(checked.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([]);
    const artifact = compile(checked.value).value;
    if (!artifact) throw new Error('the example does not compile');
    const engine = createEngine(artifact);
    for (const example of examplesOf(checked.value)) {
      const decision = engine.decide(example.query);
      expect(decision.decision, example.description).toBe(example.expect.decision);
    }
    const analysis = analyze(checked.value, solverAttributes(artifact.vocabulary));
    expect(analysis.assertions.map((a) => [a.id, a.status])).toEqual([
      ['borrower-always-sees-own-record', 'proved'],
      ['no-release-on-a-subpoena', 'proved'],
    ]);
    expect(format(parse(text, file).value)).toBe(text);
  });
});
