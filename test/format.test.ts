/**
 * The formatter's promises (packages/language/src/format.ts): it is idempotent, keeps every comment, and never
 * changes meaning (the formatted text parses to the same AST, spans aside, and to no new error). Checked on
 * every `.policy` file in the repository and on random well-formed policies generated from the grammar.
 *
 * The generated policies include the inputs of formatter bugs found before (see test/helpers/arbitraries.ts).
 * `TENET_FUZZ_RUNS` sets the number of generated policies (default 3000).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format, hasErrors, parse } from '../packages/language/src/index.js';
import { fuzzRuns, wellFormedPolicyArb } from './helpers/arbitraries.js';
import { commentTexts, policyFilesUnder, readText, relative, stripSpans } from './helpers/policy.js';

const runs = fuzzRuns(3000);

function errorsOf(diagnostics: readonly { severity: string; code: string; message: string }[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}

/** Formats `text` and checks the formatter's promises against it; returns the formatted text. */
function checkFormat(text: string, file: string): string {
  const original = parse(text, file);
  expect(errorsOf(original.diagnostics), 'the input must have no errors to be formatted').toEqual([]);
  const formatted = format(original.value);
  const reparsed = parse(formatted, file);

  // Never changes meaning: no new error, and the same AST once positions are set aside.
  expect(errorsOf(reparsed.diagnostics), 'the formatted text has errors').toEqual([]);
  expect(stripSpans(reparsed.value)).toEqual(stripSpans(original.value));

  // Idempotent.
  expect(format(reparsed.value)).toBe(formatted);

  // Keeps every comment (trailing whitespace aside, which the formatter trims): the same multiset of texts.
  const before = commentTexts(original.value);
  const after = commentTexts(reparsed.value);
  expect(after).toEqual(before);
  return formatted;
}

const policyFiles = policyFilesUnder('policies');
const testFiles = policyFilesUnder('test');

describe('format, on the policy files', () => {
  it('finds policy files to format', () => {
    expect(policyFiles.length).toBeGreaterThan(0);
  });

  for (const file of [...policyFiles, ...testFiles]) {
    const name = relative(file);
    it(`is idempotent on ${name}, keeps its comments and its meaning`, () => {
      const text = readText(file);
      expect(hasErrors(parse(text, name).diagnostics)).toBe(false);
      checkFormat(text, name);
    });
  }

  for (const file of policyFiles) {
    const name = relative(file);
    it(`finds ${name} already formatted`, () => {
      const text = readText(file);
      expect(format(parse(text, name).value)).toBe(text);
    });
  }
});

describe('format, on generated policies', () => {
  it('is idempotent and keeps the comments and the meaning of random well-formed policies', () => {
    fc.assert(
      fc.property(wellFormedPolicyArb, (text) => {
        checkFormat(text, 'generated.policy');
      }),
      { numRuns: runs },
    );
  });
});

describe('format, on layouts that move comments', () => {
  const cases: [string, string][] = [
    ['a comment after the last declaration', 'permit a\n  because b\n# the end\n'],
    ['a comment before the first declaration', '# the start\n\npermit a\n  because b\n'],
    ['a comment on a clause that the formatter moves', 'permit a because b # why\n  when c\n'],
    [
      'a comment inside a long condition',
      'permit a\n  when b # first\n    and c # second\n    or d\n  because e\n',
    ],
    ['comments inside an enumeration', 'entity e\n  role: one of a, # first\n    b, # second\n    c\n'],
    ['comments between the names of a list', 'permit a\n  because b, # one\n    c\n'],
    ['a comment after a text block', 'section s "S"\n  quote """\n    text\n    """ # after\n'],
    [
      'a comment between given values',
      'example "e"\n  given a { x: 1 } # one\n        b { y: 2 }\n  expect deny\n',
    ],
    ['a comment between declarations in a section', 'section s "S"\n\n# own line\npermit a\n  because s\n'],
    ['a comment on the line of a declaration keyword', 'permit # here\n  a because b\n'],
  ];
  for (const [name, text] of cases) {
    it(`keeps ${name}`, () => {
      checkFormat(text, 'case.policy');
    });
  }
});

describe('format, on values that are hard to print', () => {
  const cases: [string, string][] = [
    ['a string ending in an escaped backslash', 'import "a\\\\"\n'],
    ['a string holding `{  }` in an example', 'example "e"\n  given r { a: "{  }" }\n  expect deny\n'],
    ['a string holding `"""`', 'permit a\n  because b\n  says "say \\"\\"\\" here"\n'],
    ['a string holding a tab, raw and escaped', 'permit a\n  because b\n  says "a\tb\\tc"\n'],
    ['a one-line text block', 'section s "S"\n  quote """one line"""\n'],
    ['a text block with a blank line', 'section s "S"\n  quote """\n    a\n\n      b\n    """\n'],
    ['a text block indented with tabs', 'section s "S"\n  quote """\n\t\ta\n\t\t  b\n\t\t"""\n'],
    ['a version that is a string', 'policy p "P"\n  version "second edition"\n'],
    [
      'an enumeration too long for one line',
      `entity e\n  role: one of ${Array.from({ length: 30 }, (_, i) => `value_${i}`).join(', ')} "Role."\n`,
    ],
    ['a condition mixing `and` and `or`', 'permit a\n  when b and c or not d and (e or f)\n  because g\n'],
  ];
  for (const [name, text] of cases) {
    it(`keeps ${name}`, () => {
      checkFormat(text, 'case.policy');
    });
  }
});

describe('format, on inputs that once broke it', () => {
  it('keeps two comments of one condition apart when a blank line follows the first', () => {
    const text =
      'require\n  record when not\n  not\n  #\n  policy-a is\n  0  and true #\n  and true\nexample ""';
    expect(checkFormat(text, 'merged.policy')).toBe(
      'require record\n  when not not policy-a is 0\n    #\n\n    and true  #\n    and true\n\nexample ""\n',
    );
  });
});
