import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type IToken, Lexer } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allTokens, keywords } from '../src/tokens.js';

const root = path.resolve(import.meta.dirname, '../../..');

/** Every `.policy` file under `dir`. */
function policies(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.policy'))
    .map((name) => path.join(dir, name));
}

/** What a lexer makes of `text`, in a form two lexers' results can be compared in. */
function lexed(lexer: Lexer, text: string) {
  const { tokens, groups, errors } = lexer.tokenize(text);
  const show = (t: IToken) => [
    t.tokenType.name,
    t.startOffset,
    t.image,
    t.startLine,
    t.startColumn,
    t.endLine,
  ];
  return {
    tokens: tokens.map(show),
    comments: (groups.comments ?? []).map(show),
    errors: errors.map((e) => [e.offset, e.length]),
  };
}

describe('the lexer', () => {
  // The lexer parse.ts builds skips these checks to start faster: they are run here.
  it('passes Chevrotain’s checks of the token definitions', () => {
    expect(() => new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: true })).not.toThrow();
  });

  // Each keyword says which character it starts with and that it holds no line break (see tokens.ts). A wrong
  // hint would make the optimised lexer miss a token the plain one, which tries every pattern everywhere, finds.
  it('reads every text as it would without the start-character hints', () => {
    const optimised = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: true });
    const plain = new Lexer(allTokens, { positionTracking: 'full', safeMode: true });
    for (const file of [
      ...policies(path.join(root, 'policies')),
      ...policies(path.join(root, 'test/cases')),
    ]) {
      const text = readFileSync(file, 'utf8');
      expect(lexed(optimised, text), file).toEqual(lexed(plain, text));
    }
    const word = fc.oneof(fc.constantFrom(...keywords), fc.string({ maxLength: 8 }));
    const separator = fc.constantFrom(' ', '\n', '\r\n', '-', '_', '.', '"', '#', '"""', '');
    const text = fc.array(fc.tuple(word, separator), { maxLength: 30 }).map((parts) => parts.flat().join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(lexed(optimised, t)).toEqual(lexed(plain, t));
      }),
      { numRuns: 2000 },
    );
  });
});
