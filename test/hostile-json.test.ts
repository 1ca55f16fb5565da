/**
 * Strict JSON (`parseJson`, `decodeUtf8`), as queries and artifacts are read: a key twice in one object (readers
 * disagree on which one wins), bytes that are not UTF-8 (every class: a lone continuation byte, an overlong form,
 * a surrogate, a code point past U+10FFFF, a truncated sequence, Latin-1), nesting past the limit, each at its
 * exact line and column, with a message that never quotes the input (it may be personal data); and `__proto__`
 * as a key like any other. Property tests hold it to `JSON.parse` and `TextDecoder`: any JSON value round-trips,
 * and any text parses exactly when `JSON.parse` accepts it and it has no key twice (found by a scanner of its own)
 * and no nesting past the limit; any bytes decode exactly when a fatal `TextDecoder` accepts them, and otherwise
 * fail at the first byte a streaming decoder stops at.
 *
 * `TENET_FUZZ_RUNS` sets the runs of each property (default 3000; the file takes a few seconds).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, MAX_JSON_DEPTH, parseJson } from '../packages/runtime/src/index.js';
import { fuzzRuns, timeoutFor } from '../packages/runtime/test/hostile-support.js';

const runs = fuzzRuns(3000);
const timeout = timeoutFor(runs, 1);

const NOT_UTF8 = 'the text is not UTF-8 (a byte no UTF-8 text has)';
const TWICE = 'a key appears twice in one object';

/** Where and why a text fails, or `ok`. */
function outcome(input: string | Uint8Array, options?: { maxDepth?: number }) {
  const result = parseJson(input, options);
  return result.ok ? 'ok' : [result.error.message, result.error.line, result.error.column];
}

const bytes = (...list: number[]) => new Uint8Array(list);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('duplicate keys', () => {
  it.each<[string, string, number, number]>([
    ['side by side', '{"a": 1, "a": 2}', 1, 10],
    ['on later lines', '{\n  "a": 1,\n  "a": 2\n}', 3, 3],
    ['in an object in an array in an object', '{"x": [1, {"k": true, "j": 0, "k": true}]}', 1, 31],
    ['with equal values', '{"k": 1, "k": 1}', 1, 10],
    ['written differently (an escape)', '{"a": 1, "\\u0061": 2}', 1, 10],
    ['`__proto__` twice', '{"__proto__": {}, "__proto__": {"polluted": true}}', 1, 19],
    ['`__proto__` twice, nested', '{"requester": {"__proto__": 1, "id": "p", "__proto__": 2}}', 1, 43],
    ['`constructor` twice', '{"constructor": 1, "constructor": 2}', 1, 20],
    ['the empty key twice', '{"": 1, "": 2}', 1, 9],
  ])('are refused %s, at the second key', (_, text, line, column) => {
    expect(outcome(text)).toEqual([TWICE, line, column]);
    // The same text as bytes fails at the same place.
    expect(outcome(utf8(text))).toEqual([TWICE, line, column]);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('are allowed in different objects', () => {
    expect(parseJson('[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]')).toEqual({
      ok: true,
      value: [{ a: 1 }, { a: 2 }, { b: { a: 3 } }],
    });
  });

  it('are refused without quoting the key', () => {
    const result = parseJson('{"4111-1111-1111-1111": 1, "4111-1111-1111-1111": 2}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).not.toMatch(/4111/);
  });
});

describe('`__proto__`', () => {
  it('is an own key of an object with no prototype, and pollutes nothing', () => {
    const result = parseJson(
      '{"__proto__": {"polluted": true, "decision": "permit"}, "a": {"__proto__": []}}',
    );
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, Record<string, unknown>> }).value;
    expect(Object.getPrototypeOf(value)).toBe(null);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    const inner = Object.getOwnPropertyDescriptor(value, '__proto__')?.value;
    expect(inner).toEqual({ polluted: true, decision: 'permit' });
    expect(Object.getPrototypeOf(inner)).toBe(null);
    expect(Object.getPrototypeOf(value.a)).toBe(null);
    expect(Object.hasOwn(value.a as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it('makes every object without a prototype, however deep', () => {
    const result = parseJson('[{"a": [{"b": {}}]}]');
    const value = (result as { value: [{ a: [{ b: object }] }] }).value;
    for (const object of [value[0], value[0].a[0], value[0].a[0].b])
      expect(Object.getPrototypeOf(object)).toBe(null);
    expect(Object.getPrototypeOf(value)).toBe(Array.prototype);
  });
});

describe('bytes that are not UTF-8', () => {
  it.each<[string, Uint8Array, number, number]>([
    ['a lone continuation byte', bytes(0x80), 1, 1],
    ['a lone continuation byte after text', bytes(0x5b, 0x31, 0xbf, 0x5d), 1, 3],
    ['an overlong NUL (C0 80)', bytes(0x22, 0xc0, 0x80, 0x22), 1, 2],
    ['an overlong slash (C1 AF)', bytes(0x22, 0xc1, 0xaf, 0x22), 1, 2],
    ['an overlong three-byte form (E0 80 80)', bytes(0x22, 0xe0, 0x80, 0x80, 0x22), 1, 3],
    ['an overlong three-byte form (E0 9F BF)', bytes(0xe0, 0x9f, 0xbf), 1, 2],
    ['an overlong four-byte form (F0 80 80 80)', bytes(0xf0, 0x80, 0x80, 0x80), 1, 2],
    ['a high surrogate (ED A0 80)', bytes(0x22, 0xed, 0xa0, 0x80, 0x22), 1, 3],
    ['a low surrogate (ED BF BF)', bytes(0xed, 0xbf, 0xbf), 1, 2],
    ['a code point past U+10FFFF (F4 90 80 80)', bytes(0xf4, 0x90, 0x80, 0x80), 1, 2],
    ['a lead byte past F4 (F5)', bytes(0xf5, 0x80, 0x80, 0x80), 1, 1],
    ['FF', bytes(0x31, 0xff), 1, 2],
    ['a sequence cut short by the end (E2 82)', bytes(0x22, 0xe2, 0x82), 1, 4],
    ['a sequence cut short by ASCII (E2 82 41)', bytes(0x22, 0xe2, 0x82, 0x41), 1, 4],
    ['an emoji cut short (F0 9F 98)', bytes(0xf0, 0x9f, 0x98), 1, 4],
    ['Latin-1 `M\\xfcller`', bytes(0x22, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x22), 1, 3],
    ['on the third line', bytes(0x5b, 0x0a, 0x31, 0x2c, 0x0a, 0x22, 0xc3, 0x22, 0x5d), 3, 3],
  ])('are refused: %s, at the byte', (_, input, line, column) => {
    expect(decodeUtf8(input)).toEqual({ ok: false, error: { message: NOT_UTF8, line, column } });
    expect(outcome(input)).toEqual([NOT_UTF8, line, column]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(input)).toThrow(TypeError);
  });

  it('are never replaced by U+FFFD, so `M\\xfcller` is not taken for any name', () => {
    const latin1 = bytes(
      0x7b,
      0x22,
      0x69,
      0x64,
      0x22,
      0x3a,
      0x22,
      0x4d,
      0xfc,
      0x6c,
      0x6c,
      0x65,
      0x72,
      0x22,
      0x7d,
    );
    expect(new TextDecoder().decode(latin1)).toBe('{"id":"M\ufffdller"}');
    expect(parseJson(latin1).ok).toBe(false);
  });

  it('are told apart from UTF-8 that is: Müller, 日本, an emoji, and a leading byte-order mark', () => {
    expect(parseJson(utf8('["Müller", "日本", "😀"]'))).toEqual({
      ok: true,
      value: ['Müller', '日本', '😀'],
    });
    expect(parseJson(bytes(0xef, 0xbb, 0xbf, 0x5b, 0x31, 0x5d))).toEqual({ ok: true, value: [1] });
    expect(decodeUtf8(bytes(0xef, 0xbb, 0xbf, 0x31))).toEqual({ ok: true, text: '1' });
  });
});

describe('nesting', () => {
  it(`is allowed ${MAX_JSON_DEPTH} deep and refused one deeper, at the bracket that goes too deep`, () => {
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ] as const) {
      const within = `${open.repeat(MAX_JSON_DEPTH)}0${close.repeat(MAX_JSON_DEPTH)}`;
      expect(parseJson(within).ok).toBe(true);
      const past = `${open.repeat(MAX_JSON_DEPTH + 1)}0${close.repeat(MAX_JSON_DEPTH + 1)}`;
      expect(outcome(past)).toEqual([
        `arrays and objects nest more than ${MAX_JSON_DEPTH} deep`,
        1,
        MAX_JSON_DEPTH * open.length + 1,
      ]);
    }
  });

  it('is refused 100,000 deep without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(outcome(deep)).toEqual([`arrays and objects nest more than ${MAX_JSON_DEPTH} deep`, 1, 65]);
    expect(outcome(`{"a": ${'{"b":'.repeat(100_000)}`)).toEqual([
      `arrays and objects nest more than ${MAX_JSON_DEPTH} deep`,
      1,
      7 + 5 * (MAX_JSON_DEPTH - 1),
    ]);
  });

  it('is limited by `maxDepth`, which is at least 1 and at most 1024', () => {
    expect(outcome('[[1]]', { maxDepth: 2 })).toBe('ok');
    expect(outcome('[[[1]]]', { maxDepth: 2 })).toEqual(['arrays and objects nest more than 2 deep', 1, 3]);
    expect(outcome('[1]', { maxDepth: 0 })).toBe('ok');
    expect(outcome('[[1]]', { maxDepth: 0 })).toEqual(['arrays and objects nest more than 1 deep', 1, 2]);
    expect(outcome('[[1]]', { maxDepth: Number.NaN })).toEqual([
      'arrays and objects nest more than 1 deep',
      1,
      2,
    ]);
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(outcome(deep(1024), { maxDepth: 1e9 })).toBe('ok');
    expect(outcome(deep(1025), { maxDepth: 1e9 })).toEqual([
      'arrays and objects nest more than 1024 deep',
      1,
      1025,
    ]);
  });

  it('is limited by the caller’s own `maxDepth` alone, not one an object inherits', () => {
    const options = Object.create({ maxDepth: 1 }) as { maxDepth?: number };
    expect(outcome('[[[1]]]', options)).toBe('ok');
  });
});

describe('syntax errors', () => {
  it.each<[string, string, string, number, number]>([
    ['the empty text', '', 'there is no JSON value: the text is empty', 1, 1],
    ['white space alone', ' \n\t', 'there is no JSON value: the text is empty', 2, 2],
    ['an object not closed', '{', 'the JSON text ends too soon', 1, 2],
    ['a trailing comma in an array', '[1,]', 'an unexpected character `]`', 1, 4],
    ['a trailing comma in an object', '{"a":1,\n}', 'an unexpected character `}`', 2, 1],
    ['a leading zero', '01', 'there is more after the JSON value', 1, 2],
    ['a bare minus', '[-]', 'a number is not written as JSON writes numbers', 1, 2],
    ['a plus sign', '+1', 'an unexpected character', 1, 1],
    ['NaN', 'NaN', 'an unexpected character', 1, 1],
    ['a word that is not one', 'tru', 'an unexpected character `t`', 1, 1],
    ['a key without quotes', '{id: 1}', 'an unexpected character', 1, 2],
    ['single quotes', "{'id': 1}", 'an unexpected character', 1, 2],
    ['a missing colon', '{"a" 1}', 'an unexpected character `1`', 1, 6],
    ['two values', '1 2', 'there is more after the JSON value', 1, 3],
    ['a line break in a string', '"a\nb"', 'a control character in a string (write it as an escape)', 1, 3],
    [
      'a control character where a value goes',
      '[\u0001]',
      'a control character where a JSON value was expected',
      1,
      2,
    ],
    ['an escape JSON does not have', '["\\x41"]', 'a string has an escape JSON does not have', 1, 2],
    ['a short \\u escape', '"\\u12"', 'a string has an escape JSON does not have', 1, 1],
    ['a string not closed', '["abc', 'a string is not closed', 1, 2],
    ['a no-break space as white space', '\u00a0[]', 'an unexpected character', 1, 1],
    ['a byte-order mark at the end', '[1]\ufeff', 'there is more after the JSON value', 1, 4],
  ])('are reported for %s, at the exact line and column', (_, text, message, line, column) => {
    expect(outcome(text)).toEqual([message, line, column]);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('never quote the input: a secret in the wrong place is not repeated', () => {
    for (const text of [
      'SECRET',
      '[SECRET]',
      '{"a": SECRET}',
      '{SECRET: 1}',
      '"SECRET',
      '"SECRET\\q"',
      '["SECRET\u0007"]',
      '{"SECRET": 1, "SECRET": 2}',
      '{"a": 1} SECRET',
    ]) {
      const result = parseJson(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error.message, text).not.toMatch(/SECRET|SEC|ET/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// References: JSON.parse, a scanner for duplicate keys and depth, and a streaming decoder
// ---------------------------------------------------------------------------------------------------------------

/**
 * For a text `JSON.parse` accepts: whether some object has a key twice, and how deep it nests. A scanner of its
 * own (strings decoded by `JSON.parse`), which may assume the text is valid.
 */
function scan(text: string): { duplicate: boolean; depth: number } {
  const stack: (Set<string> | null)[] = [];
  let depth = 0;
  let duplicate = false;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c === '{' ? new Set() : null);
      depth = Math.max(depth, stack.length);
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') expectKey = stack[stack.length - 1] instanceof Set;
    else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const value = JSON.parse(text.slice(i, j + 1)) as string;
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        if (keys.has(value)) duplicate = true;
        keys.add(value);
      }
      expectKey = false;
      i = j;
    }
  }
  return { duplicate, depth };
}

/** Whether two values are the same JSON data: arrays by element, objects by own keys, whatever their prototype. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a).sort();
    const others = Object.keys(b).sort();
    return (
      keys.length === others.length &&
      keys.every(
        (k, i) =>
          k === others[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return Object.is(a, b);
}

/** Every object in a value has no prototype: what `parseJson` makes. */
function prototypeFree(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(prototypeFree);
  if (typeof value !== 'object' || value === null) return true;
  return Object.getPrototypeOf(value) === null && Object.values(value).every(prototypeFree);
}

/** What a message may say: the parser's own sentences, with at most one character of JSON's own named. */
const MESSAGES = new Set([
  'there is no JSON value: the text is empty',
  'there is more after the JSON value',
  'the JSON text ends too soon',
  'a control character where a JSON value was expected',
  'an unexpected character',
  'a number is not written as JSON writes numbers',
  'a string is not closed',
  'a control character in a string (write it as an escape)',
  'a string has an escape JSON does not have',
  TWICE,
  `arrays and objects nest more than ${MAX_JSON_DEPTH} deep`,
  NOT_UTF8,
]);
function checkError(text: string, error: { message: string; line: number; column: number }): void {
  const named = /^an unexpected character `(.)`$/.exec(error.message);
  if (named) expect('[]{}:,"tfn0123456789-').toContain(named[1]);
  else expect(MESSAGES).toContain(error.message);
  const lines = text.split('\n');
  expect(error.line).toBeGreaterThanOrEqual(1);
  expect(error.line).toBeLessThanOrEqual(lines.length);
  expect(error.column).toBeGreaterThanOrEqual(1);
  expect(error.column).toBeLessThanOrEqual((lines[error.line - 1] as string).length + 1);
  if (named) expect(lines[error.line - 1]?.[error.column - 1]).toBe(named[1]);
}

/** Where a streaming fatal decoder first stops: the byte it cannot take, or the end when the last is cut short. */
function firstInvalidByte(input: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < input.length; i++) {
    try {
      decoder.decode(input.subarray(i, i + 1), { stream: true });
    } catch {
      return i;
    }
  }
  return input.length;
}

/** JSON values, with keys JavaScript has its own ideas about among them. */
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 4 }),
        fc.constantFrom('__proto__', 'constructor', 'toString'),
      ),
      tie('json'),
      { maxKeys: 4 },
    ),
  ),
}));

/** Texts near JSON: JSON texts with a character added, removed or doubled, a key repeated, or JSON's own pieces. */
const nearJson = fc.oneof(
  json.map((v) => JSON.stringify(v)),
  fc
    .tuple(
      json,
      fc.nat(),
      fc.constantFrom('', ',', '"', '[', ']', '{', '}', ':', ' ', '\\', '0', '-', '\ufeff', '\u0000'),
    )
    .map(([v, at, piece]) => {
      const text = JSON.stringify(v);
      const i = at % (text.length + 1);
      return text.slice(0, i) + piece + text.slice(i + (piece === '' ? 1 : 0));
    }),
  fc
    .tuple(fc.dictionary(fc.string({ maxLength: 3 }), json, { minKeys: 1, maxKeys: 3 }), fc.nat())
    .map(([object, n]) => {
      const keys = Object.keys(object);
      const key = keys[n % keys.length] as string;
      return `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(key)}:1}`;
    }),
  fc.string({ unit: fc.constantFrom(...'{}[],:"\\ 0123456789.eE+-tfnrulase\n\t'.split('')), maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.nat(80).map((n) => '['.repeat(n) + ']'.repeat(n)),
);

describe('random input', () => {
  it(
    'parses every JSON value to the same data as JSON.parse, objects without a prototype',
    () => {
      fc.assert(
        fc.property(json, (v) => {
          const text = JSON.stringify(v);
          const result = parseJson(text);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(same(result.value, JSON.parse(text))).toBe(true);
          expect(prototypeFree(result.value)).toBe(true);
          expect(parseJson(utf8(text))).toEqual(result);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'parses a text exactly when JSON.parse does and it has no key twice and no nesting past the limit, never throwing',
    () => {
      const seen = { ok: 0, twice: 0, deep: 0, syntax: 0 };
      fc.assert(
        fc.property(nearJson, (text) => {
          const result = parseJson(text);
          // A leading byte-order mark is dropped, as RFC 8259 allows; JSON.parse does not.
          const body = text.startsWith('\ufeff') ? text.slice(1) : text;
          let parsed: { value: unknown } | undefined;
          try {
            parsed = { value: JSON.parse(body) };
          } catch {
            parsed = undefined;
          }
          const { duplicate, depth } = parsed ? scan(body) : { duplicate: false, depth: 0 };
          const expected = parsed !== undefined && !duplicate && depth <= MAX_JSON_DEPTH;
          expect(result.ok).toBe(expected);
          if (result.ok) {
            seen.ok++;
            expect(same(result.value, parsed?.value)).toBe(true);
          } else {
            checkError(text, result.error);
            if (parsed && duplicate) {
              seen.twice++;
              expect(result.error.message).toBe(TWICE);
            } else if (parsed) {
              seen.deep++;
              expect(result.error.message).toMatch(/nest more than/);
            } else seen.syntax++;
          }
        }),
        { numRuns: runs },
      );
      expect(Math.min(seen.ok, seen.twice, seen.deep, seen.syntax)).toBeGreaterThan(0);
    },
    timeout,
  );

  it(
    'decodes bytes exactly when a fatal TextDecoder does, refusing the others at the byte a streaming one stops at',
    () => {
      const someBytes = fc.oneof(
        fc.uint8Array({ maxLength: 12 }),
        fc
          .tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.nat(), fc.integer({ min: 0x80, max: 0xff }))
          .map(([text, at, byte]) => {
            const encoded = [...utf8(JSON.stringify(text))];
            encoded.splice(at % (encoded.length + 1), 0, byte);
            return new Uint8Array(encoded);
          }),
        fc.tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.nat()).map(([text, cut]) => {
          const encoded = utf8(text);
          return encoded.subarray(0, cut % (encoded.length + 1));
        }),
      );
      fc.assert(
        fc.property(someBytes, (input) => {
          let text: string | undefined;
          try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(input);
          } catch {
            text = undefined;
          }
          const decoded = decodeUtf8(input);
          if (text !== undefined) {
            expect(decoded).toEqual({ ok: true, text });
            expect(parseJson(input)).toEqual(parseJson(text));
            return;
          }
          const at = firstInvalidByte(input);
          const before = input.subarray(0, at);
          const line = before.filter((b) => b === 0x0a).length + 1;
          const column = at - (before.lastIndexOf(0x0a) + 1) + 1;
          expect(decoded).toEqual({ ok: false, error: { message: NOT_UTF8, line, column } });
          expect(parseJson(input)).toEqual(decoded);
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );
});
