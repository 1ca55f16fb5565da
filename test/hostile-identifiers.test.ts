/**
 * Identifiers: who asks (`requester.id`), whose record it is (`record.subjectId`), and whose guardian the
 * requester is (`requester.guardianOf`). Two of them are the same person only when they are equal strings, so
 * anything that looks like nothing or like another identifier (empty, whitespace, controls, invisible and
 * bidirectional characters, unpaired surrogates, U+FFFD, forms not in NFC) is refused, in every place and by both
 * readers, and can never make a requester the borrower or the borrower's guardian. A property test holds
 * `isIdentifier` and both readers to a definition written independently (`referenceIsIdentifier`).
 *
 * `TENET_FUZZ_RUNS` sets the runs of each property (default 2000; the file takes a few seconds).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Artifact,
  createEngine,
  isIdentifier,
  MAX_STRING_LENGTH,
} from '../packages/runtime/src/index.js';
import { fuzzRuns, referenceIsIdentifier, timeoutFor } from '../packages/runtime/test/hostile-support.js';
import { compiled } from './helpers/wethersfield.js';

const runs = fuzzRuns(2000);
const timeout = timeoutFor(runs, 1);

const artifact: Artifact = JSON.parse(
  JSON.stringify(compiled('policies/wethersfield/confidentiality.policy').artifact),
);
const readers = [
  ['generated reader', createEngine(artifact)],
  ['general reader', createEngine(artifact, { codegen: false })],
] as const;

/** Not identifiers, each a way two different names could be taken for one, or a name for none. */
const refused: [string, string][] = [
  ['empty', ''],
  ['a space', ' '],
  ['a tab inside', 'p\t1'],
  ['a no-break space', 'p\u00a01'],
  ['an ideographic space', '\u3000'],
  ['a line separator', 'p\u20281'],
  ['NUL', '\u0000'],
  ['an escape', '\u001b[31m'],
  ['DEL', 'p\u007f'],
  ['a C1 control', 'p\u0085'],
  ['a zero-width space', 'p\u200b2002'],
  ['a zero-width joiner', 'p\u200d'],
  ['a byte order mark', '\ufeffp-2002'],
  ['a right-to-left override', 'p-\u202e2002'],
  ['a soft hyphen', 'p\u00ad2002'],
  ['U+FFFD', '\ufffd'],
  ['U+FFFD inside', 'M\ufffdller'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udc00'],
  ['a high surrogate before a letter', 'a\ud83db'],
  ['surrogates in the wrong order', '\ude00\ud83d'],
  ['a private-use character', 'p\ue000'],
  ['a supplementary private-use character', '\u{f0000}'],
  ['a decomposed ü (NFD)', 'Mu\u0308ller'],
  ['the Angstrom sign (NFC makes it Å)', '\u212b'],
  ['e and a combining acute (NFC makes it é)', 'caf\u0065\u0301'],
  ['a Hangul syllable decomposed', '\u1100\u1161'],
];
const tooLong = 'x'.repeat(MAX_STRING_LENGTH + 1);
/** Identifiers, not ASCII among them. */
const accepted: [string, string][] = [
  ['ASCII', 'p-1001'],
  ['Latin-1, composed (NFC)', 'Müller'],
  ['CJK', '日本'],
  ['an emoji (a surrogate pair)', '😀'],
  ['an emoji with a variation selector', '\u2764\ufe0f'],
  ['Hangul, composed', '\uac00'],
  ['Arabic', 'محمد'],
  ['the longest', 'y'.repeat(MAX_STRING_LENGTH)],
];

const parent = { id: 'g-7', role: 'parent_or_guardian' };
const codesOf = (errors: readonly { code: string; path: string }[]) =>
  errors.map((e) => [e.code, e.path]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));

describe('identifiers', () => {
  it.each(refused)('refuses %s, in isIdentifier', (_, id) => {
    expect(isIdentifier(id)).toBe(false);
    expect(referenceIsIdentifier(id)).toBe(false);
  });

  it.each(accepted)('accepts %s, in isIdentifier', (_, id) => {
    expect(isIdentifier(id)).toBe(true);
    expect(referenceIsIdentifier(id)).toBe(true);
  });

  it('refuses what is not a string, or is longer than the longest', () => {
    for (const value of [undefined, null, 7, ['p-1'], { id: 'p-1' }, true])
      expect(isIdentifier(value)).toBe(false);
    expect(isIdentifier(tooLong)).toBe(false);
  });

  for (const [name, engine] of readers) {
    describe(`the ${name}`, () => {
      it.each([...refused, ['too long', tooLong]])(
        'never takes a requester whose id is %s for the borrower of that id',
        (what, id) => {
          const code = what === 'too long' ? 'too-large' : 'invalid-identifier';
          const decision = engine.decide({ requester: { id, role: 'patron' }, record: { subjectId: id } });
          expect(decision.decision).toBe('deny');
          expect(decision.reasons.map((r) => r.effect)).toEqual(['refusal']);
          expect(codesOf(decision.errors)).toEqual([
            [code, 'record.subjectId'],
            [code, 'requester.id'],
          ]);
        },
      );

      it.each([...refused, ['too long', tooLong]])(
        'never takes a requester for the guardian of a minor whose id is %s',
        (what, id) => {
          const code = what === 'too long' ? 'too-large' : 'invalid-identifier';
          const decision = engine.decide({
            requester: { ...parent, guardianOf: ['p-3', id] },
            record: { subjectId: id, subjectIsMinor: true },
          });
          expect(decision.decision).toBe('deny');
          expect(codesOf(decision.errors)).toEqual([
            [code, 'record.subjectId'],
            [code, 'requester.guardianOf[1]'],
          ]);
          // And a guardian of a valid id is refused for a bad one beside it in the set.
          const beside = engine.decide({
            requester: { ...parent, guardianOf: ['p-2002', id] },
            record: { subjectId: 'p-2002', subjectIsMinor: true },
          });
          expect(beside.decision).toBe('deny');
          expect(codesOf(beside.errors)).toEqual([[code, 'requester.guardianOf[1]']]);
        },
      );

      it.each(accepted)(
        'takes a requester whose id is %s for the borrower of that id, and the guardian',
        (_, id) => {
          const own = engine.decide({ requester: { id, role: 'patron' }, record: { subjectId: id } });
          expect(own.errors).toEqual([]);
          expect(own.decision).toBe('permit');
          expect(own.reasons.map((r) => r.rule)).toEqual(['borrower-sees-own-record']);
          const guardian = engine.decide({
            requester: { ...parent, guardianOf: [id] },
            record: { subjectId: id, subjectIsMinor: true },
          });
          expect(guardian.decision).toBe('permit');
          expect(guardian.reasons.map((r) => r.rule)).toEqual(['parent-sees-minors-record']);
        },
      );

      it('does not take a name for another written in other code points (NFC and NFD of Müller)', () => {
        const decision = engine.decide({
          requester: { id: 'Müller', role: 'patron' },
          record: { subjectId: 'Mu\u0308ller' },
        });
        expect(decision.decision).toBe('deny');
        expect(codesOf(decision.errors)).toEqual([['invalid-identifier', 'record.subjectId']]);
      });

      it('describes a refused identifier by its length, never quoting it', () => {
        const secret = 'SECRET-4111\u200b1111';
        const [error] = engine.validate({
          requester: { id: secret, role: 'patron' },
          record: { subjectId: 'x' },
        });
        expect(error?.code).toBe('invalid-identifier');
        expect(error?.message).not.toContain('SECRET');
        expect(error?.message).toContain(`a string of ${secret.length} characters`);
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Random strings
// ---------------------------------------------------------------------------------------------------------------

/** Characters at the edges of the definition: the classes refused, their neighbours accepted. */
const edgy = fc.constantFrom(
  ...[' ', '\t', '\n', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u202f', '\u205f', '\u3000'],
  ...[
    '\u0000',
    '\u001f',
    '\u007f',
    '\u0080',
    '\u009f',
    '\u00a1',
    '\u00ad',
    '\u061c',
    '\u200b',
    '\u200e',
    '\u2060',
  ],
  ...[
    '\u2066',
    '\ufeff',
    '\ufff9',
    '\u{e0001}',
    '\ue000',
    '\uf8ff',
    '\uf900',
    '\u{f0000}',
    '\u{10fffd}',
    '\u{10ffff}',
  ],
  ...[
    '\ufffd',
    '\ufffc',
    '\ud800',
    '\udbff',
    '\udc00',
    '\udfff',
    '\u0301',
    '\u0308',
    '\u212b',
    '\u00c5',
    '\u1100',
  ],
  ...['\u1161', '\uac00', '\u0344', '\u0f73', 'e', 'u', 'A', '-', '😀', '\ufe0f', '\u{1d15e}', '\u2126'],
);
const randomString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: edgy, maxLength: 6 }),
  fc.string({ unit: fc.oneof(edgy, fc.constantFrom('a', 'b', '1')), maxLength: 8 }),
  // Around the longest an identifier may be.
  fc
    .tuple(
      fc.integer({ min: MAX_STRING_LENGTH - 2, max: MAX_STRING_LENGTH + 2 }),
      fc.string({ unit: edgy, maxLength: 1 }),
    )
    .map(([length, tail]) => 'z'.repeat(Math.max(0, length - tail.length)) + tail),
);

describe('random strings', () => {
  it(
    'are identifiers to isIdentifier exactly when they are by the independent definition',
    () => {
      let identifiers = 0;
      fc.assert(
        fc.property(randomString, (s) => {
          const expected = referenceIsIdentifier(s);
          expect(isIdentifier(s)).toBe(expected);
          if (expected) identifiers++;
        }),
        { numRuns: runs },
      );
      expect(identifiers).toBeGreaterThan(runs / 20);
    },
    timeout,
  );

  it(
    'are refused by both readers exactly when they are not identifiers, wherever an identifier goes',
    () => {
      fc.assert(
        fc.property(
          randomString,
          fc.constantFrom('requester.id', 'record.subjectId', 'guardianOf'),
          (s, where) => {
            const query = {
              requester: {
                id: where === 'requester.id' ? s : 'p-1',
                role: 'patron',
                guardianOf: [where === 'guardianOf' ? s : 'p-2'],
              },
              record: { subjectId: where === 'record.subjectId' ? s : 'p-3' },
            };
            const path = where === 'guardianOf' ? 'requester.guardianOf[0]' : where;
            const code = s.length > MAX_STRING_LENGTH ? 'too-large' : 'invalid-identifier';
            const expected = referenceIsIdentifier(s) ? [] : [[code, path]];
            for (const [, engine] of readers) expect(codesOf(engine.validate(query))).toEqual(expected);
          },
        ),
        { numRuns: runs },
      );
    },
    timeout,
  );
});
