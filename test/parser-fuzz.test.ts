/**
 * Fuzz tests of `parse`: it never throws, every span it reports lies inside its input with lines and columns
 * that agree with the offsets, and it reports an error exactly when the input has one. "Has one" is decided by
 * an independent recogniser written from docs/language.md (test/helpers/reference-grammar.ts).
 *
 * Each property tries `TENET_FUZZ_RUNS` inputs (default 5000, about 10 s for the file on 2 cores). Before a
 * release, run the large size, at least 100,000 inputs a property (a few minutes a property):
 *
 *   TENET_FUZZ_RUNS=100000 npx vitest run test/parser-fuzz.test.ts
 *
 * A failure prints fast-check's seed and path; replay it with `{ seed, path }` in the property's parameters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasErrors, parse } from '../packages/language/src/index.js';
import {
  fuzzRuns,
  lexicalStringArb,
  mutatedArb,
  tokenSoupArb,
  wellFormedPolicyArb,
} from './helpers/arbitraries.js';
import { policyFilesUnder, readText, relative, spanProblems } from './helpers/policy.js';
import { referenceCheck } from './helpers/reference-grammar.js';

const runs = fuzzRuns(5000);
const FILE = 'fuzz.policy';

/**
 * Parses `text` and checks everything a parse must guarantee, whatever the text: no throw, spans inside the
 * text, and an error reported if and only if the reference recogniser finds the text malformed.
 */
function checkParse(text: string): void {
  let result: ReturnType<typeof parse>;
  try {
    result = parse(text, FILE);
  } catch (error) {
    throw new Error(`parse threw on ${JSON.stringify(text.slice(0, 300))}: ${String(error)}`);
  }
  const { value, diagnostics } = result;
  expect(value.file).toBe(FILE);
  expect(spanProblems(text, FILE, diagnostics)).toEqual([]);

  const rejection = referenceCheck(text);
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
  if (rejection) {
    expect(
      hasErrors(diagnostics),
      `${rejection.reason} at offset ${rejection.offset}, yet no error reported`,
    ).toBe(true);
  } else {
    expect(errors, 'a well-formed text was reported as malformed').toEqual([]);
  }
}

const policyTexts = [...policyFilesUnder('policies'), ...policyFilesUnder('test')].map((file) => ({
  name: relative(file),
  text: readText(file),
}));

describe('parse, on any input', () => {
  it('never throws on arbitrary unicode strings, and keeps its spans inside them', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkParse(text)),
      { numRuns: runs },
    );
  });

  it('never throws on strings over the characters the lexer cares about', () => {
    fc.assert(
      fc.property(lexicalStringArb, (text) => checkParse(text)),
      { numRuns: runs },
    );
  });

  it('never throws on a soup of keywords, punctuation, names and literals', () => {
    fc.assert(
      fc.property(tokenSoupArb, (text) => checkParse(text)),
      { numRuns: runs },
    );
  });

  it('never throws on mutations of the policy files', () => {
    expect(policyTexts.length).toBeGreaterThan(0);
    const base = fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(...policyTexts.map((p) => p.text)) },
      {
        // A window of lines keeps most runs short, so more of them fit in the time.
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.constantFrom(...policyTexts.map((p) => p.text.split('\n'))),
            fc.nat(),
            fc.integer({ min: 1, max: 60 }),
          )
          .map(([lines, at, count]) => {
            const start = at % lines.length;
            return lines.slice(start, start + count).join('\n');
          }),
      },
    );
    fc.assert(
      fc.property(mutatedArb(base), ({ text }) => checkParse(text)),
      { numRuns: runs },
    );
  });

  it('never throws on mutations of generated well-formed policies', () => {
    fc.assert(
      fc.property(mutatedArb(wellFormedPolicyArb), ({ text }) => checkParse(text)),
      { numRuns: runs },
    );
  });

  it('reports no error on generated well-formed policies', () => {
    fc.assert(
      fc.property(wellFormedPolicyArb, (text) => {
        expect(referenceCheck(text)).toBeUndefined();
        checkParse(text);
      }),
      { numRuns: runs },
    );
  });

  it('reports no error on the policy files, and agrees with the reference on each', () => {
    for (const { name, text } of policyTexts) {
      expect(referenceCheck(text), name).toBeUndefined();
      checkParse(text);
    }
  });
});

describe('parse, on inputs chosen to be hard', () => {
  const cases: [string, string][] = [
    ['an empty file', ''],
    ['only a byte-order mark', '\uFEFF'],
    ['a lone surrogate', 'permit \uD800 when a'],
    ['a lone carriage return before an error', 'permit a\r\r)'],
    ['CRLF line ends before an error', 'permit a\r\n  when\r\n)'],
    ['a rule without a name at the end', 'permit'],
    ['an unterminated string', 'permit a says "never closed'],
    ['an unterminated text block', 'section s "t"\n  quote """\n    never closed'],
    ['an invalid escape', 'permit a says "\\q"'],
    ['a string ending in an escaped backslash', 'import "a\\\\"'],
    ['a string ending in an escaped quote', 'import "a\\"'],
    ['a date that is not a calendar date', 'policy p\n  version 2014-02-30'],
    ['an integer too large', 'permit a when x < 99999999999999999999'],
    ['a clause written twice', 'permit a because b because c'],
    ['65 nested parentheses', `permit a when ${'('.repeat(65)}b${')'.repeat(65)}`],
    ['64 nested parentheses', `permit a when ${'('.repeat(64)}b${')'.repeat(64)}`],
    ['10,000 unclosed parentheses', `permit a when ${'('.repeat(10_000)}`],
    ['10,000 closing parentheses', `permit a when b${')'.repeat(10_000)}`],
    ['10,000 `not`s', `permit a when ${'not '.repeat(10_000)}b`],
    ['10,000 stray tokens', ') '.repeat(10_000)],
    ['10,000 bad characters', '@'.repeat(10_000)],
    ['a set inside a set', 'permit a when b in [[c]]'],
    ['a path inside a set', 'permit a when b in [c.d]'],
  ];
  for (const [name, text] of cases) {
    it(`handles ${name}`, () => checkParse(text));
  }
});
