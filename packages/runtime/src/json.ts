/**
 * Strict JSON, as a query or an artifact must be written: RFC 8259 with nothing left to the reader's choice. A key
 * that appears twice in one object is an error (readers disagree on which one wins: a gateway may read the first,
 * `JSON.parse` takes the last), bytes that are not UTF-8 are an error (never decoded to U+FFFD, which would make
 * different names equal), and nesting is bounded. Objects are made without a prototype, so a key `__proto__` is
 * an own property like any other and nothing is inherited.
 */

/** Why a text is not strict JSON, and where: offsets 0-based, in UTF-16 code units of the decoded text (or bytes). */
export interface JsonError {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** The value of a JSON text, or why it is not one. */
export type JsonResult = { ok: true; value: unknown } | { ok: false; error: JsonError };

/** How deep arrays and objects may nest in a JSON text unless the caller says otherwise. */
export const MAX_JSON_DEPTH = 64;

// A fatal decoder: invalid UTF-8 throws instead of becoming U+FFFD. It drops a leading byte-order mark.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8 bytes, refusing any that are not UTF-8 (a Latin-1 `ü` is byte 0xFC, which UTF-8 never has).
 *
 * @returns the text, or where the first byte that is not UTF-8 is (1-based line and column, counted in bytes).
 */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: JsonError } {
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return {
      ok: false,
      error: {
        message: 'the text is not UTF-8 (a byte no UTF-8 text has)',
        line,
        column: at - lineStart + 1,
      },
    };
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4: no overlong forms, surrogates or values past U+10FFFF.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i + k;
    }
    i += length;
  }
  return bytes.length;
}

/**
 * Parses strict JSON from a string or from UTF-8 bytes. Never throws.
 *
 * @example
 * parseJson('{"a": 1, "a": 2}'); // { ok: false, error: { message: 'a key appears twice in one object', line: 1, column: 10 } }
 */
export function parseJson(input: string | Uint8Array, options: { maxDepth?: number } = {}): JsonResult {
  let text: string;
  if (typeof input === 'string') text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  else {
    const decoded = decodeUtf8(input);
    if (!decoded.ok) return decoded;
    text = decoded.text;
  }
  // The caller's own option alone: not a `maxDepth` a polluted `Object.prototype` lends every object.
  const given = typeof options === 'object' && options !== null && Object.hasOwn(options, 'maxDepth');
  const maxDepth = Math.min(
    Math.max(Math.trunc(Number(given ? options.maxDepth : MAX_JSON_DEPTH)) || 0, 1),
    1024,
  );
  return new JsonParser(text, maxDepth).parse();
}

class Failure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class JsonParser {
  #at = 0;

  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {}

  parse(): JsonResult {
    try {
      this.#space();
      if (this.#at >= this.text.length)
        throw new Failure('there is no JSON value: the text is empty', this.#at);
      const value = this.#value(0);
      this.#space();
      if (this.#at < this.text.length) throw new Failure('there is more after the JSON value', this.#at);
      return { ok: true, value };
    } catch (failure) {
      // Anything else thrown is the host's doing (built-in methods replaced): an error too, at where it stopped.
      if (!(failure instanceof Failure))
        return { ok: false, error: { message: 'the text could not be parsed', ...this.#position(this.#at) } };
      return { ok: false, error: { message: failure.message, ...this.#position(failure.offset) } };
    }
  }

  #position(offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  }

  #space(): void {
    const text = this.text;
    let at = this.#at;
    for (;;) {
      const c = text.charCodeAt(at);
      if (c === 32 || c === 10 || c === 13 || c === 9) at++;
      else break;
    }
    this.#at = at;
  }

  #unexpected(): Failure {
    if (this.#at >= this.text.length) return new Failure('the JSON text ends too soon', this.#at);
    const c = this.text.charCodeAt(this.#at);
    // The character is named only when it is JSON punctuation or a letter of a keyword: input may be personal data.
    const shown = /^[[\]{}:,"tfn0-9-]$/.test(this.text[this.#at] ?? '') ? ` \`${this.text[this.#at]}\`` : '';
    return new Failure(
      c < 0x20 ? 'a control character where a JSON value was expected' : `an unexpected character${shown}`,
      this.#at,
    );
  }

  #value(depth: number): unknown {
    const c = this.text.charCodeAt(this.#at);
    switch (c) {
      case 0x7b /* { */:
        return this.#object(depth + 1);
      case 0x5b /* [ */:
        return this.#array(depth + 1);
      case 0x22 /* " */:
        return this.#string();
      case 0x74 /* t */:
        return this.#word('true', true);
      case 0x66 /* f */:
        return this.#word('false', false);
      case 0x6e /* n */:
        return this.#word('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.#number();
        throw this.#unexpected();
    }
  }

  #word<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.#at)) throw this.#unexpected();
    this.#at += word.length;
    return value;
  }

  #number(): number {
    NUMBER.lastIndex = this.#at;
    const match = NUMBER.exec(this.text);
    if (!match) throw new Failure('a number is not written as JSON writes numbers', this.#at);
    this.#at += match[0].length;
    return Number(match[0]);
  }

  #string(): string {
    const text = this.text;
    const start = this.#at;
    let at = start + 1;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(at);
      if (Number.isNaN(c)) throw new Failure('a string is not closed', start);
      if (c === 0x22) break;
      if (c < 0x20) throw new Failure('a control character in a string (write it as an escape)', at);
      if (c === 0x5c) {
        escaped = true;
        at++;
      }
      at++;
    }
    this.#at = at + 1;
    if (!escaped) return text.slice(start + 1, at);
    try {
      return JSON.parse(text.slice(start, at + 1)) as string;
    } catch {
      throw new Failure('a string has an escape JSON does not have', start);
    }
  }

  #nested(depth: number, start: number): void {
    if (depth > this.maxDepth)
      throw new Failure(`arrays and objects nest more than ${this.maxDepth} deep`, start);
  }

  #array(depth: number): unknown[] {
    const start = this.#at;
    this.#nested(depth, start);
    this.#at++;
    const items: unknown[] = [];
    this.#space();
    if (this.text.charCodeAt(this.#at) === 0x5d) {
      this.#at++;
      return items;
    }
    for (;;) {
      this.#space();
      items.push(this.#value(depth));
      this.#space();
      const c = this.text.charCodeAt(this.#at);
      if (c === 0x2c) this.#at++;
      else if (c === 0x5d) {
        this.#at++;
        return items;
      } else throw this.#unexpected();
    }
  }

  #object(depth: number): Record<string, unknown> {
    const start = this.#at;
    this.#nested(depth, start);
    this.#at++;
    const object: Record<string, unknown> = Object.create(null);
    this.#space();
    if (this.text.charCodeAt(this.#at) === 0x7d) {
      this.#at++;
      return object;
    }
    for (;;) {
      this.#space();
      if (this.text.charCodeAt(this.#at) !== 0x22) throw this.#unexpected();
      const keyAt = this.#at;
      const key = this.#string();
      // INVARIANT: the object has no prototype, so `in` sees own keys only, `__proto__` among them.
      if (key in object) throw new Failure('a key appears twice in one object', keyAt);
      this.#space();
      if (this.text.charCodeAt(this.#at) !== 0x3a) throw this.#unexpected();
      this.#at++;
      this.#space();
      object[key] = this.#value(depth);
      this.#space();
      const c = this.text.charCodeAt(this.#at);
      if (c === 0x2c) this.#at++;
      else if (c === 0x7d) {
        this.#at++;
        return object;
      } else throw this.#unexpected();
    }
  }
}
