import fc from 'fast-check';
import { keywords } from '../../packages/language/src/index.js';

/** How many inputs each property tries: `TENET_FUZZ_RUNS`, or `fallback` (the CI size). */
export function fuzzRuns(fallback: number): number {
  const runs = Number(process.env.TENET_FUZZ_RUNS);
  return Number.isSafeInteger(runs) && runs > 0 ? runs : fallback;
}

// ------------------------------------------------------------------------------------------------------------
// Token soup: the language's tokens in random order
// ------------------------------------------------------------------------------------------------------------

const PUNCTUATION = ['.', ',', ':', '=', '(', ')', '[', ']', '{', '}', '<', '<=', '>', '>='];

const DECLARATION_STARTS = [
  'policy',
  'import',
  'entity',
  'authority',
  'condition',
  'section',
  'permit',
  'forbid',
  'obligation',
  'require',
  'assert',
  'example',
  'interpretation',
];

/** A name that is not a keyword: plain, hyphenated, underscored, or a keyword with something added. */
export const nameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a', 'b', 'x', 'requester', 'record', 'own-record', 'cgs-11-25b', 'notify_director', '_x'),
  fc.constantFrom(...keywords).map((k) => `${k}x`),
  fc.constantFrom(...keywords).map((k) => `${k}-a`),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}(-[a-z0-9_]{1,4}){0,2}$/).filter((n) => !keywords.includes(n)),
);

/** Characters a string or comment may hold, with the awkward ones well represented. */
const textChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'Z', ' ', '-', '.', ',', '0', '9') },
  { weight: 2, arbitrary: fc.constantFrom('#', '{', '}', '(', ')', '\t', "'", 'é', '§', '😀', '\u00a0') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** Any string literal as it may be written: escapes good and bad, closed or not. */
const anyStringToken: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: textChar },
      fc.constantFrom('\\"', '\\\\', '\\n', '\\t', '\\x', '\\', '"'),
    ),
    {
      maxLength: 12,
    },
  )
  .chain((body) => fc.constantFrom(`"${body.join('')}"`, `"${body.join('')}`));

const anyTextBlock: fc.Arbitrary<string> = fc
  .array(fc.oneof(textChar, fc.constantFrom('\n', '\r\n', '"', '  ')), { maxLength: 20 })
  .chain((body) =>
    fc.constantFrom(`"""${body.join('')}"""`, `"""${body.join('')}`, `"""\n  ${body.join('')}\n  """`),
  );

const anyComment = fc
  .array(textChar, { maxLength: 10 })
  .map((c) => `#${c.join('').replace(/[\r\n]/g, ' ')}\n`);

/** One token of the language, or something that almost is one. */
export const tokenArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...keywords) },
  { weight: 4, arbitrary: fc.constantFrom(...DECLARATION_STARTS) },
  { weight: 6, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 6, arbitrary: nameArb },
  { weight: 3, arbitrary: anyStringToken },
  { weight: 1, arbitrary: anyTextBlock },
  { weight: 1, arbitrary: anyComment },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom('2014-02-30', '2014-13-01', '0000-00-00', '2024-02-29', '2023-02-29'),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer().map(String),
      fc.constantFrom('-0', '007', '9007199254740993', '-', '1e5'),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('@', '!', ';', '\\', '-', '$', '\u2028', '\u0000', '\uFEFF', '\uD800'),
  },
);

const separatorArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(' ') },
  { weight: 3, arbitrary: fc.constantFrom('\n', '\n  ', '\n    ', '\r\n', '\r', '\t', '\n\n', '') },
  { weight: 1, arbitrary: anyComment.map((c) => ` ${c}`) },
);

/** Tokens of the language in random order, separated by random whitespace and comments. */
export const tokenSoupArb: fc.Arbitrary<string> = fc
  .array(fc.tuple(tokenArb, separatorArb), { maxLength: 120, size: 'medium' })
  .map((pairs) => pairs.map(([token, separator]) => token + separator).join(''));

/** Strings over the characters the lexer cares about: quotes, backslashes, `#`, digits, `-`, brackets, breaks. */
export const lexicalStringArb: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(
    ...'"\\#-0123456789abcinotp_ .,:=()[]{}<>\n\r\t'.split(''),
    '"""',
    'in',
    'not',
    'permit x',
    'when',
    '\uFEFF',
    'é',
  ),
  maxLength: 300,
  size: 'medium',
});

// ------------------------------------------------------------------------------------------------------------
// Mutations of real policy text
// ------------------------------------------------------------------------------------------------------------

/** One edit of a text; positions are fractions of its length, so an edit applies to any text. */
export type Mutation =
  | { kind: 'delete' | 'duplicate'; at: number; length: number }
  | { kind: 'swap'; at: number; length: number; to: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'shuffle-lines'; keys: number[] }
  | { kind: 'delete-lines' | 'duplicate-lines'; at: number; count: number }
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'replace-char'; at: number; char: string };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('delete' as const, 'duplicate' as const),
    at: fraction,
    length: fc.nat(400),
  }),
  fc.record({ kind: fc.constant('swap' as const), at: fraction, length: fc.nat(400), to: fraction }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({
    kind: fc.constant('shuffle-lines' as const),
    keys: fc.array(fc.nat(), { minLength: 1, maxLength: 1000 }),
  }),
  fc.record({
    kind: fc.constantFrom('delete-lines' as const, 'duplicate-lines' as const),
    at: fraction,
    count: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, token: tokenArb.map((t) => ` ${t} `) }),
  fc.record({
    kind: fc.constant('replace-char' as const),
    at: fraction,
    char: fc.constantFrom('"', '#', '(', ')', '\n', ' ', '-', '.', '\\', 'x'),
  }),
);

/** Applies one mutation to `text`. */
export function mutate(text: string, m: Mutation): string {
  const at = (f: number) => Math.floor(f * (text.length + 1));
  switch (m.kind) {
    case 'delete': {
      const start = at(m.at);
      return text.slice(0, start) + text.slice(start + m.length);
    }
    case 'duplicate': {
      const start = at(m.at);
      const slice = text.slice(start, start + m.length);
      return text.slice(0, start) + slice + slice + text.slice(start + m.length);
    }
    case 'swap': {
      // Two slices of the same length change places: [a, a+n) and [b, b+n), made disjoint.
      let a = at(m.at);
      let b = at(m.to);
      if (a > b) [a, b] = [b, a];
      const n = Math.min(m.length, b - a, text.length - b);
      if (n <= 0) return text;
      return (
        text.slice(0, a) +
        text.slice(b, b + n) +
        text.slice(a + n, b) +
        text.slice(a, a + n) +
        text.slice(b + n)
      );
    }
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'shuffle-lines': {
      // Each line gets a key (the keys repeat when there are more lines); a stable sort by key shuffles them.
      const lines = text.split('\n');
      return lines
        .map((line, i) => ({ line, key: m.keys[i % m.keys.length] ?? 0 }))
        .sort((x, y) => x.key - y.key)
        .map((x) => x.line)
        .join('\n');
    }
    case 'delete-lines':
    case 'duplicate-lines': {
      const lines = text.split('\n');
      const start = Math.floor(m.at * lines.length);
      const slice = lines.slice(start, start + m.count);
      const rest = lines.slice(start + m.count);
      return [
        ...lines.slice(0, start),
        ...(m.kind === 'duplicate-lines' ? [...slice, ...slice] : []),
        ...rest,
      ].join('\n');
    }
    case 'insert': {
      const start = at(m.at);
      return text.slice(0, start) + m.token + text.slice(start);
    }
    case 'replace-char': {
      const start = at(m.at);
      return text.slice(0, start) + m.char + text.slice(start + 1);
    }
  }
}

/** `base` with one to four mutations applied, in order. */
export function mutatedArb(
  base: fc.Arbitrary<string>,
): fc.Arbitrary<{ text: string; mutations: Mutation[] }> {
  return fc
    .tuple(base, fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
    .map(([text, mutations]) => ({ text: mutations.reduce(mutate, text), mutations }));
}

// ------------------------------------------------------------------------------------------------------------
// Well-formed policies, generated from the grammar in docs/language.md
// ------------------------------------------------------------------------------------------------------------

/**
 * Inputs that once showed formatter bugs are generated on purpose: strings holding line breaks (with leading and
 * trailing spaces), text blocks with several blank lines in a row, comments inside wrapped enumerations.
 */
const safeStringChar = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('a', 'b', 'Z', ' ', '-', '.', ',', '0', ':', '(', ')') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('#', '"', '\\', '\t', "'", 'é', '§', '😀', '{', '}', '"""', '\n', ' \n '),
  },
);

/** A string literal's value. */
export const stringValueArb: fc.Arbitrary<string> = fc
  .array(safeStringChar, { maxLength: 24 })
  .map((chars) => chars.join(''));

/** A string literal: `value` quoted, with `"`, `\` and line breaks escaped and a tab written raw or as `\t`. */
export const stringArb: fc.Arbitrary<string> = fc.tuple(stringValueArb, fc.boolean()).map(
  ([value, rawTab]) =>
    `"${value
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/\n/g, '\\n')
      .replace(/\t/g, rawTab ? '\t' : '\\t')}"`,
);

const word = fc.constantFrom(
  'Library',
  'records',
  'shall',
  'be',
  'confidential.',
  '(b)',
  '§ 11-25',
  '"quoted"',
  '#7',
  'x',
);

/** A text block: lines of words under a common indentation, with up to two blank lines in a row. */
export const textBlockArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom('', '', '', '  ', '    '),
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0, 0, 1, 2),
      ),
      { minLength: 1, maxLength: 5 },
    ),
    fc.constantFrom('  ', '    ', '      ', '\t'),
  )
  .map(([lines, indent]) => {
    const body = lines.flatMap(([extra, words, blankAfter], i) => {
      const line = `${indent}${i === 0 ? '' : extra}${words.join(' ')}`;
      return i < lines.length - 1 ? [line, ...Array<string>(blankAfter).fill('')] : [line];
    });
    return `"""\n${body.join('\n')}\n${indent}"""`;
  });

const integerArb = fc.integer({ min: -1000, max: 100000 }).map(String);
const dateArb = fc
  .date({ min: new Date('1950-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const pathArb = fc.array(nameArb, { minLength: 1, maxLength: 3 }).map((names) => names.join('.'));
const scalarArb = fc.oneof(nameArb, stringArb, integerArb, fc.constantFrom('true', 'false'));
const setArb = fc.array(scalarArb, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`);
const literalArb = fc.oneof({ weight: 4, arbitrary: scalarArb }, { weight: 1, arbitrary: setArb });
const operandArb = fc.oneof(
  { weight: 6, arbitrary: pathArb },
  { weight: 1, arbitrary: stringArb },
  { weight: 1, arbitrary: integerArb },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false') },
  { weight: 1, arbitrary: setArb },
);
const testOperatorArb = fc.constantFrom('is', 'is not', 'in', 'not in', 'within', '<', '<=', '>', '>=');

/** A condition, as tokens; parenthesised wherever its parent binds tighter, and sometimes where it need not be. */
const { expression: expressionArb } = fc.letrec<{ expression: string[]; primary: string[] }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('primary'),
    fc
      .tuple(fc.constantFrom('and', 'or'), fc.array(tie('primary'), { minLength: 2, maxLength: 4 }))
      .map(([op, xs]) => xs.flatMap((x, i) => (i === 0 ? x : [op, ...x]))),
    fc
      .tuple(
        tie('primary'),
        fc.array(tie('primary'), { minLength: 1, maxLength: 2 }),
        fc.array(tie('primary'), { minLength: 1, maxLength: 2 }),
      )
      .map(
        // `a and b or c and d`: precedence without parentheses.
        ([a, bs, cs]) => [
          ...a,
          ...bs.flatMap((b) => ['and', ...b]),
          'or',
          ...cs.flatMap((c, i) => (i === 0 ? c : ['and', ...c])),
        ],
      ),
  ),
  primary: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    operandArb.map((o) => [o]),
    fc.tuple(operandArb, testOperatorArb, operandArb).map(([l, op, r]) => [l, op, r]),
    fc
      .tuple(fc.integer({ min: 1, max: 2 }), tie('primary'))
      .map(([n, p]) => [...Array<string>(n).fill('not'), ...p]),
    tie('expression').map((e) => ['(', ...e, ')']),
  ),
}));

/** A declaration, as tokens; clauses are written in a random order. */
type Tokens = string[];

function inAnyOrder(clauses: fc.Arbitrary<(Tokens | undefined)[]>): fc.Arbitrary<Tokens> {
  return clauses.chain((cs) => {
    const present = cs.filter((c): c is Tokens => c !== undefined);
    return fc
      .shuffledSubarray(present, { minLength: present.length, maxLength: present.length })
      .map((xs) => xs.flat());
  });
}

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const textArb = fc.oneof({ weight: 3, arbitrary: stringArb }, { weight: 1, arbitrary: textBlockArb });
const namesArb = fc
  .array(nameArb, { minLength: 1, maxLength: 3 })
  .map((ns) => ns.flatMap((n, i) => (i === 0 ? [n] : [',', n])));
const whenArb = expressionArb.map((e) => ['when', ...e]);
const becauseArb = namesArb.map((ns) => ['because', ...ns]);
const saysArb = textArb.map((t) => ['says', t]);

const enumArb = fc
  .oneof(
    namesArb,
    fc
      .array(nameArb, { minLength: 8, maxLength: 30 })
      .map((ns) => ns.flatMap((n, i) => (i === 0 ? [n] : [',', n]))),
  )
  .map((ns) => ['one', 'of', ...ns]);
const typeArb = fc.oneof(
  fc.constantFrom(['boolean'], ['integer'], ['identifier'], ['set', 'of', 'identifier']),
  enumArb,
  enumArb.map((e) => ['set', 'of', ...e]),
);
const attributeArb = fc.tuple(nameArb, typeArb, maybe(literalArb), maybe(stringArb)).map(([n, t, d, s]) => {
  const tokens = [n, ':', ...t, ...(d ? ['=', d] : []), ...(s ? [s] : [])];
  return tokens;
});

const entityValueArb = fc
  .tuple(nameArb, fc.array(fc.tuple(nameArb, literalArb), { maxLength: 3 }))
  .map(([e, fields]) => [
    e,
    '{',
    ...fields.flatMap(([n, v], i) => [...(i === 0 ? [] : [',']), n, ':', v]),
    '}',
  ]);

const declarationArb: fc.Arbitrary<Tokens> = fc.oneof(
  fc.tuple(nameArb, maybe(stringArb)).chain(([id, title]) =>
    inAnyOrder(
      fc.tuple(
        maybe(stringArb.map((s) => ['owner', s])),
        // A version that is a string looking like a date is left out: see above.
        maybe(
          fc
            .oneof(
              dateArb,
              stringArb.filter((s) => !/^"\d{4}-\d\d-\d\d"$/.test(s)),
            )
            .map((v) => ['version', v]),
        ),
        maybe(
          fc
            .tuple(fc.constantFrom('deny', 'permit'), maybe(namesArb))
            .map(([effect, citations]) => [
              'default',
              effect,
              ...(citations ? ['because', ...citations] : []),
            ]),
        ),
        fc
          .array(
            fc.tuple(
              fc.constantFrom('adopted', 'approved', 'revised', 'amended', 'affirmed'),
              dateArb,
              maybe(stringArb),
            ),
            { maxLength: 3 },
          )
          .map((events) => events.flatMap(([e, d, by]) => [e, d, ...(by ? ['by', by] : [])])),
      ),
    ).map((clauses) => ['policy', id, ...(title ? [title] : []), ...clauses]),
  ),
  stringArb.map((p) => ['import', p]),
  fc
    .tuple(nameArb, maybe(stringArb), fc.array(attributeArb, { maxLength: 4 }))
    .map(([id, d, attrs]) => ['entity', id, ...(d ? [d] : []), ...attrs.flat()]),
  fc
    .tuple(nameArb, stringArb)
    .chain(([id, label]) =>
      inAnyOrder(
        fc.tuple(
          maybe(stringArb.map((s) => ['title', s])),
          maybe(stringArb.map((s) => ['enacted', 'by', s])),
          maybe(
            fc
              .array(stringArb, { minLength: 1, maxLength: 2 })
              .map((ss) => ss.flatMap((s) => ['amended', 'by', s])),
          ),
          maybe(dateArb.map((d) => ['effective', d])),
          maybe(
            fc.tuple(dateArb, maybe(nameArb)).map(([d, by]) => ['superseded', d, ...(by ? ['by', by] : [])]),
          ),
          maybe(textArb.map((t) => ['quote', t])),
        ),
      ).map((clauses) => ['authority', id, label, ...clauses]),
    ),
  fc
    .tuple(nameArb, maybe(stringArb), maybe(whenArb))
    .map(([id, d, w]) => ['condition', id, ...(d ? [d] : []), ...(w ?? [])]),
  fc
    .tuple(nameArb, stringArb, maybe(textArb))
    .map(([id, title, q]) => ['section', id, title, ...(q ? ['quote', q] : [])]),
  fc
    .tuple(fc.constantFrom('permit', 'forbid'), nameArb)
    .chain(([effect, id]) =>
      inAnyOrder(fc.tuple(maybe(whenArb), maybe(becauseArb), maybe(saysArb))).map((cs) => [
        effect,
        id,
        ...cs,
      ]),
    ),
  fc
    .tuple(fc.constantFrom('obligation', 'interpretation'), nameArb, maybe(stringArb))
    .chain(([keyword, id, title]) =>
      inAnyOrder(fc.tuple(maybe(saysArb), maybe(becauseArb))).map((cs) => [
        keyword,
        id,
        ...(title ? [title] : []),
        ...cs,
      ]),
    ),
  nameArb.chain((id) =>
    inAnyOrder(fc.tuple(maybe(whenArb), maybe(becauseArb))).map((cs) => ['require', id, ...cs]),
  ),
  fc.tuple(nameArb, maybe(stringArb)).chain(([id, d]) => {
    const outcome = fc.oneof(
      fc.constantFrom(['permit'], ['deny']),
      fc.tuple(fc.constantFrom('require', 'cite', 'apply'), nameArb).map(([k, n]) => [k, n]),
    );
    const claim = fc
      .tuple(fc.constantFrom('always', 'never'), outcome, maybe(whenArb))
      .map(([q, o, w]) => [q, ...o, ...(w ?? [])]);
    return inAnyOrder(fc.tuple(maybe(claim), maybe(becauseArb))).map((cs) => [
      'assert',
      id,
      ...(d ? [d] : []),
      ...cs,
    ]);
  }),
  stringArb.chain((description) => {
    const given = fc
      .array(entityValueArb, { minLength: 1, maxLength: 3 })
      .map((vs) => ['given', ...vs.flat()]);
    const expect = fc
      .tuple(
        fc.constantFrom('permit', 'deny'),
        inAnyOrder(
          fc.tuple(maybe(namesArb.map((ns) => ['by', ...ns])), maybe(namesArb.map((ns) => ['with', ...ns]))),
        ),
      )
      .map(([d, lists]) => ['expect', d, ...lists]);
    return inAnyOrder(fc.tuple(maybe(given), maybe(expect))).map((cs) => ['example', description, ...cs]);
  }),
);

/** A comment's text, from `#` to the end of the line (without the line break). */
const commentArb = fc
  .array(safeStringChar, { maxLength: 16 })
  .map((cs) => `#${cs.join('').replace(/\n/g, ' ')}`);

/** What goes between two tokens: a space, a line break and indentation, or a comment at a line's end. */
const gapArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(' ') },
  { weight: 3, arbitrary: fc.constantFrom('\n  ', '\n    ', '\n      ', '\n', '  ', '\t') },
  {
    weight: 1,
    arbitrary: fc.tuple(commentArb, fc.constantFrom('\n  ', '\n    ', '\n')).map(([c, nl]) => ` ${c}${nl}`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(commentArb, fc.constantFrom('  ', '    ')).map(([c, i]) => `\n${i}${c}\n${i}`),
  },
);

/** What comes before a declaration: a line break, blank lines, comments on lines of their own. */
const leadArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('\n', '\n\n', '\n\n\n') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.array(commentArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('', '  '),
        fc.constantFrom('\n', '\n\n'),
      )
      .map(([cs, indent, after]) => `\n${cs.map((c) => `${indent}${c}\n`).join('')}${after}`),
  },
);

/** What goes before a clause in a tidy layout: a line break, with comments at the line's end or on lines of their own. */
const tidyGapArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('\n  ', '\n    ', '\n      ') },
  { weight: 1, arbitrary: fc.constant('\n\n  ') },
  {
    weight: 2,
    arbitrary: fc.tuple(commentArb, fc.constantFrom('\n  ', '\n    ')).map(([c, nl]) => `  ${c}${nl}`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(commentArb, fc.constantFrom('  ', '    ')).map(([c, i]) => `\n${i}${c}\n${i}`),
  },
);

/** The tokens a tidy layout starts a line with: clause keywords, and `and` / `or`. */
const LINE_STARTS = new Set(
  (
    'owner version adopted approved revised amended affirmed default title enacted effective superseded quote when ' +
    'because says given expect always never and or'
  ).split(' '),
);

/**
 * Lays tokens out on lines. Loose: `gaps[i]` (or a space) comes before token i + 1, anywhere. Tidy: a line break
 * from `gaps[i]` comes before each clause keyword and each `and` or `or`, a space everywhere else.
 */
function layOut(tokens: Tokens, gaps: string[], tidy: boolean): string {
  return tokens
    .map((t, i) => {
      if (i === 0) return t;
      const gap = gaps[i - 1];
      if (!tidy) return `${gap ?? ' '}${t}`;
      if (!LINE_STARTS.has(t)) return ` ${t}`;
      return `${gap ?? '\n  '}${t}`;
    })
    .join('');
}

/**
 * A small well-formed policy file: declarations of every kind with their clauses in any order, laid out with
 * random line breaks and indentation, with comments at the ends of lines and on lines of their own.
 */
export const wellFormedPolicyArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc
        .boolean()
        .chain((tidy) =>
          fc.tuple(
            leadArb,
            declarationArb,
            fc.array(tidy ? tidyGapArb : gapArb, { maxLength: 40 }),
            fc.constant(tidy),
          ),
        ),
      { minLength: 1, maxLength: 6 },
    ),
    maybe(commentArb),
    fc.constantFrom('', '\n', '\n\n'),
  )
  .map(([declarations, last, end]) => {
    const body = declarations.map(([lead, tokens, gaps, tidy]) => lead + layOut(tokens, gaps, tidy)).join('');
    return `${body.replace(/^\n+/, '')}${last ? `\n${last}` : ''}${end}`;
  });
