/**
 * An independent recogniser for `.policy` files, written from docs/language.md (not from the parser): the oracle
 * the fuzz tests compare `parse` against. It answers one question, whether a text is free of errors that
 * `parse` alone can find (lexical and syntax errors, a clause written twice, parentheses nested too deep, an
 * impossible date, an integer too large), and where the first one is.
 *
 * Where the reference is silent it follows the implementation's documented behaviour: string escapes are `\"`,
 * `\\`, `\n` and `\t` (the formatter writes `\t`); set literals hold scalars, and names and paths (a path is never a
 * value, but the checker says so, not the parser); `title` is a keyword (it starts an
 * authority's clause); parentheses nest at most `MAX_NESTING` (64) deep, and at most that many `not`s stand in a row.
 */

const KEYWORDS = new Set(
  (
    'policy owner version adopted approved revised amended affirmed default permit deny forbid import authority ' +
    'title enacted effective superseded quote section entity boolean integer identifier set one of condition when ' +
    'because says obligation require assert always never cite apply example given expect by with interpretation ' +
    'and or not is in within true false looser stricter compared referral label advice suggest counsel ' +
    'non-empty overrides'
  ).split(' '),
);

const MAX_NESTING = 64;

type Kind = 'keyword' | 'name' | 'string' | 'block' | 'date' | 'integer' | 'punct' | 'end';

interface Token {
  kind: Kind;
  text: string;
  offset: number;
}

/** Why a text is not a well-formed policy file, and where. */
export interface Rejection {
  offset: number;
  reason: string;
}

class Reject extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const WHITESPACE = /[ \t\r\n\f\v\uFEFF]/y;
const DATE = /\d{4}-\d{2}-\d{2}/y;
const INTEGER = /-?\d+/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/y;
const PUNCTUATION = ['<=', '>=', '<', '>', '=', '..', '.', ',', ':', '(', ')', '[', ']', '{', '}'];

function sticky(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function isCalendarDate(image: string): boolean {
  const [year, month, day] = image.split('-').map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** The tokens of `text`, or the first lexical error. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (sticky(WHITESPACE, text, at)) {
      at++;
      continue;
    }
    const c = text[at];
    if (c === '#') {
      while (at < text.length && text[at] !== '\n' && text[at] !== '\r') at++;
      continue;
    }
    if (text.startsWith('"""', at)) {
      const close = text.indexOf('"""', at + 3);
      if (close < 0) throw new Reject(at, 'unterminated text block');
      tokens.push({ kind: 'block', text: text.slice(at, close + 3), offset: at });
      at = close + 3;
      continue;
    }
    if (c === '"') {
      let i = at + 1;
      for (;;) {
        const d = text[i];
        if (d === undefined || d === '\n' || d === '\r') throw new Reject(at, 'unterminated string');
        if (d === '"') break;
        if (d === '\\') {
          const e = text[i + 1];
          if (e === undefined || e === '\n' || e === '\r') throw new Reject(at, 'unterminated string');
          if (!'"\\nt'.includes(e)) throw new Reject(i, `invalid escape \\${e}`);
          i += 2;
        } else i++;
      }
      tokens.push({ kind: 'string', text: text.slice(at, i + 1), offset: at });
      at = i + 1;
      continue;
    }
    const date = sticky(DATE, text, at);
    if (date) {
      if (!isCalendarDate(date)) throw new Reject(at, `invalid date ${date}`);
      tokens.push({ kind: 'date', text: date, offset: at });
      at += date.length;
      continue;
    }
    const integer = sticky(INTEGER, text, at);
    if (integer) {
      tokens.push({ kind: 'integer', text: integer, offset: at });
      at += integer.length;
      continue;
    }
    const name = sticky(NAME, text, at);
    if (name) {
      tokens.push({ kind: KEYWORDS.has(name) ? 'keyword' : 'name', text: name, offset: at });
      at += name.length;
      continue;
    }
    const punctuation = PUNCTUATION.find((p) => text.startsWith(p, at));
    if (punctuation) {
      tokens.push({ kind: 'punct', text: punctuation, offset: at });
      at += punctuation.length;
      continue;
    }
    throw new Reject(at, `unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return tokens;
}

const DECLARATION_STARTS = new Set([
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
]);

class Recogniser {
  #at = 0;
  #depth = 0;

  constructor(private readonly tokens: Token[]) {}

  get #token(): Token {
    return this.tokens[this.#at] ?? { kind: 'end', text: '', offset: 0 };
  }

  #fail(expected: string): never {
    const t = this.#token;
    throw new Reject(
      t.offset,
      `expected ${expected}, found ${t.kind === 'end' ? 'the end' : JSON.stringify(t.text)}`,
    );
  }

  #is(kind: Kind, text?: string): boolean {
    const t = this.#token;
    return t.kind === kind && (text === undefined || t.text === text);
  }

  #isKeyword(...words: string[]): boolean {
    return this.#token.kind === 'keyword' && words.includes(this.#token.text);
  }

  #accept(kind: Kind, text?: string): boolean {
    if (!this.#is(kind, text)) return false;
    this.#at++;
    return true;
  }

  #expect(kind: Kind, text?: string): void {
    if (!this.#accept(kind, text)) this.#fail(text ?? kind);
  }

  #keyword(word: string): void {
    this.#expect('keyword', word);
  }

  file(): void {
    while (!this.#is('end')) {
      const t = this.#token;
      if (t.kind !== 'keyword' || !DECLARATION_STARTS.has(t.text)) this.#fail('a declaration');
      this.#declaration(t.text);
    }
  }

  /** Clauses in any order, each at most once unless `repeatable`, until a token that starts none of them. */
  #clauses(clauses: Record<string, () => void>, repeatable: string[] = []): void {
    const seen = new Set<string>();
    for (;;) {
      const t = this.#token;
      const clause = t.kind === 'keyword' && Object.hasOwn(clauses, t.text) ? clauses[t.text] : undefined;
      if (!clause) return;
      if (seen.has(t.text) && !repeatable.includes(t.text))
        throw new Reject(t.offset, `duplicate clause ${t.text}`);
      seen.add(t.text);
      clause();
    }
  }

  #declaration(keyword: string): void {
    this.#at++;
    const because = () => this.#because();
    const when = () => this.#when();
    const says = () => this.#says();
    switch (keyword) {
      case 'policy': {
        this.#expect('name');
        this.#accept('string');
        const history = () => {
          this.#at++;
          this.#expect('date');
          if (this.#accept('keyword', 'by')) this.#expect('string');
        };
        // Each history event is its own clause and may be written again.
        const events = ['adopted', 'approved', 'revised', 'amended', 'affirmed'];
        this.#clauses(
          {
            owner: () => {
              this.#at++;
              this.#expect('string');
            },
            version: () => {
              this.#at++;
              if (!this.#accept('date') && !this.#accept('string')) this.#fail('a date or a string');
            },
            default: () => {
              this.#at++;
              if (!this.#accept('keyword', 'permit') && !this.#accept('keyword', 'deny'))
                this.#fail('permit or deny');
              // `default deny because CITATION, …`: the citations of a decision no rule made.
              if (this.#isKeyword('because')) this.#because();
            },
            // `compared with "path"`: the policy of the law in force; `referral "…"`: advice's referral.
            compared: () => {
              this.#at++;
              this.#keyword('with');
              this.#expect('string');
            },
            referral: () => this.#textClause(),
            ...Object.fromEntries(events.map((e) => [e, history])),
          },
          events,
        );
        return;
      }
      case 'import':
        this.#expect('string');
        return;
      case 'entity':
        this.#expect('name');
        this.#accept('string');
        // An attribute's name may be a keyword; a keyword followed by `:` is an attribute, not a declaration.
        while (this.#is('name') || (this.#is('keyword') && this.tokens[this.#at + 1]?.text === ':'))
          this.#attribute();
        return;
      case 'authority': {
        this.#expect('name');
        this.#expect('string');
        const byString = () => {
          this.#at++;
          this.#keyword('by');
          this.#expect('string');
        };
        this.#clauses(
          {
            title: () => {
              this.#at++;
              this.#expect('string');
            },
            enacted: byString,
            amended: byString,
            effective: () => {
              this.#at++;
              this.#expect('date');
            },
            superseded: () => {
              this.#at++;
              this.#expect('date');
              if (this.#accept('keyword', 'by')) this.#expect('name');
            },
            quote: () => this.#textClause(),
          },
          ['amended'],
        );
        return;
      }
      case 'condition':
        this.#expect('name');
        this.#accept('string');
        this.#clauses({ when });
        return;
      case 'section':
        this.#expect('name');
        this.#expect('string');
        this.#clauses({ quote: () => this.#textClause() });
        return;
      case 'permit':
      case 'forbid':
        this.#expect('name');
        // `overrides RULE, …`: the permits a forbid is meant to win over (the checker refuses it on a permit).
        this.#clauses({ when, because, says, overrides: because });
        return;
      case 'obligation':
        this.#expect('name');
        this.#accept('string');
        this.#clauses({ says, because });
        return;
      case 'interpretation': {
        this.#expect('name');
        this.#accept('string');
        // `looser when …` and `stricter when …`: the departures it acknowledges, as many as it names.
        const departure = () => {
          this.#at++;
          if (!this.#isKeyword('when')) this.#fail('`when`');
          this.#when();
        };
        this.#clauses({ says, because, looser: departure, stricter: departure }, ['looser', 'stricter']);
        return;
      }
      case 'require':
        this.#expect('name');
        this.#clauses({ when, because });
        return;
      case 'assert': {
        this.#expect('name');
        this.#accept('string');
        const claim = () => this.#claim();
        // `always` and `never` are one clause: the claim.
        const seen = { claim: false };
        const once = () => {
          if (seen.claim) throw new Reject(this.#token.offset, 'duplicate clause always/never');
          seen.claim = true;
          claim();
        };
        this.#clauses({ always: once, never: once, because }, ['always', 'never']);
        return;
      }
      case 'example':
        this.#expect('string');
        this.#clauses({
          given: () => {
            this.#at++;
            do this.#entityValue();
            while (this.#is('name'));
          },
          expect: () => {
            this.#at++;
            if (!this.#accept('keyword', 'permit') && !this.#accept('keyword', 'deny'))
              this.#fail('permit or deny');
            this.#clauses({
              by: () => {
                this.#at++;
                this.#names();
              },
              with: () => {
                this.#at++;
                this.#names();
              },
            });
          },
        });
        return;
    }
  }

  /** A name where only an attribute can stand: a keyword is a name there too. */
  #attributeName(): void {
    if (!this.#accept('name') && !this.#accept('keyword')) this.#fail('a name');
  }

  #attribute(): void {
    this.#attributeName();
    this.#expect('punct', ':');
    if (this.#accept('keyword', 'integer')) {
      // `integer MIN..MAX`, either bound left out where it has none; the least first
      if (this.#is('integer') || this.#is('punct', '..')) {
        const start = this.#token.offset;
        const min = this.#is('integer') ? this.#bound() : undefined;
        this.#expect('punct', '..');
        const max = this.#is('integer') ? this.#bound() : undefined;
        if (min !== undefined && max !== undefined && min > max)
          throw new Reject(start, 'bounds out of order');
      }
    } else if (this.#accept('keyword', 'boolean') || this.#accept('keyword', 'identifier')) {
      // a scalar type
    } else if (this.#isKeyword('one')) {
      this.#enumeration();
    } else if (this.#isKeyword('set', 'non-empty')) {
      this.#accept('keyword', 'non-empty');
      this.#keyword('set');
      this.#keyword('of');
      if (this.#isKeyword('one')) this.#enumeration();
      else this.#keyword('identifier');
    } else this.#fail('a type');
    if (this.#accept('punct', '=')) this.#literal();
    this.#accept('string');
    // `label "…"` and `advice WORD`, each once; `label:` or `advice:` is the next attribute instead.
    const seen = new Set<string>();
    while (this.#isKeyword('label', 'advice') && this.tokens[this.#at + 1]?.text !== ':') {
      const word = this.#token.text;
      if (seen.has(word)) throw new Reject(this.#token.offset, `duplicate clause ${word}`);
      seen.add(word);
      this.#at++;
      if (word === 'label') this.#expect('string');
      else if (!['suggest', 'never', 'counsel'].some((w) => this.#accept('keyword', w)))
        this.#fail('suggest, never or counsel');
    }
  }

  /** One bound of an integer type, a safe integer. */
  #bound(): number {
    const t = this.#token;
    if (!this.#scalarLiteral()) this.#fail('an integer');
    return Number(t.text);
  }

  /**
   * `one of a "label", b`: a string after a value is its label when more of the attribute follows it (a comma, `=`,
   * a string, `label` or `advice`); otherwise it is the attribute's description.
   */
  #enumeration(): void {
    this.#keyword('one');
    this.#keyword('of');
    do {
      this.#expect('name');
      const next = this.tokens[this.#at + 1];
      const more =
        next !== undefined &&
        ((next.kind === 'punct' && (next.text === ',' || next.text === '=')) ||
          next.kind === 'string' ||
          (next.kind === 'keyword' &&
            (next.text === 'label' || next.text === 'advice') &&
            this.tokens[this.#at + 2]?.text !== ':'));
      if (this.#is('string') && more) this.#at++;
    } while (this.#accept('punct', ','));
  }

  #names(): void {
    do this.#expect('name');
    while (this.#accept('punct', ','));
  }

  #because(): void {
    this.#at++;
    this.#names();
  }

  #when(): void {
    this.#at++;
    this.#expression();
  }

  #says(): void {
    this.#textClause();
  }

  /** `quote` or `says` and a string or a text block. */
  #textClause(): void {
    this.#at++;
    if (!this.#accept('string') && !this.#accept('block')) this.#fail('a string or a text block');
  }

  #claim(): void {
    this.#at++;
    if (this.#accept('keyword', 'permit') || this.#accept('keyword', 'deny')) {
      // an effect, perhaps the rule that decides it and an obligation it carries: `never permit by r with o`
      if (this.#accept('keyword', 'by')) this.#expect('name');
      if (this.#accept('keyword', 'with')) this.#expect('name');
    } else if (
      this.#accept('keyword', 'require') ||
      this.#accept('keyword', 'cite') ||
      this.#accept('keyword', 'apply')
    ) {
      this.#expect('name');
    } else this.#fail('permit, deny, require, cite or apply');
    if (this.#isKeyword('when')) this.#when();
  }

  #entityValue(): void {
    this.#expect('name');
    this.#expect('punct', '{');
    if (!this.#is('punct', '}')) {
      do {
        this.#attributeName();
        this.#expect('punct', ':');
        this.#literal();
      } while (this.#accept('punct', ','));
    }
    this.#expect('punct', '}');
  }

  #expression(): void {
    do this.#and();
    while (this.#accept('keyword', 'or'));
  }

  #and(): void {
    do this.#not();
    while (this.#accept('keyword', 'and'));
  }

  #not(): void {
    let nots = 0;
    while (this.#is('keyword', 'not')) {
      const not = this.#token;
      this.#accept('keyword', 'not');
      // A run of `not`s nests like parentheses, and has the same limit.
      if (++nots > MAX_NESTING) throw new Reject(not.offset, 'too many `not`s in a row');
    }
    this.#primary();
  }

  #primary(): void {
    const open = this.#token;
    if (this.#accept('punct', '(')) {
      if (++this.#depth > MAX_NESTING) throw new Reject(open.offset, 'parentheses nested too deep');
      this.#expression();
      this.#expect('punct', ')');
      this.#depth--;
      return;
    }
    this.#operand();
    if (this.#accept('keyword', 'is')) {
      this.#accept('keyword', 'not');
      this.#operand();
    } else if (this.#accept('keyword', 'not')) {
      this.#keyword('in');
      this.#operand();
    } else if (
      this.#accept('keyword', 'in') ||
      this.#accept('keyword', 'within') ||
      ['<', '<=', '>', '>='].some((op) => this.#accept('punct', op))
    ) {
      this.#operand();
    }
  }

  #operand(): void {
    if (this.#accept('name')) {
      while (this.#accept('punct', '.')) this.#attributeName();
    } else if (this.#is('punct', '[')) {
      this.#set();
    } else if (!this.#scalarLiteral()) this.#fail('a value or an attribute');
  }

  /** A string, an integer, `true` or `false`. */
  #scalarLiteral(): boolean {
    const t = this.#token;
    if (t.kind === 'integer' && !Number.isSafeInteger(Number(t.text)))
      throw new Reject(t.offset, 'integer too large');
    return (
      this.#accept('string') ||
      this.#accept('integer') ||
      this.#accept('keyword', 'true') ||
      this.#accept('keyword', 'false')
    );
  }

  #scalar(): void {
    if (this.#accept('name')) {
      while (this.#accept('punct', '.')) this.#attributeName();
    } else if (!this.#scalarLiteral()) this.#fail('a value');
  }

  #set(): void {
    this.#expect('punct', '[');
    if (!this.#is('punct', ']')) {
      do this.#scalar();
      while (this.#accept('punct', ','));
    }
    this.#expect('punct', ']');
  }

  #literal(): void {
    if (this.#is('punct', '[')) this.#set();
    else this.#scalar();
  }
}

/**
 * Whether `text` is a well-formed `.policy` file as far as one file's text can tell: undefined when it is, or
 * the first problem found.
 */
export function referenceCheck(text: string): Rejection | undefined {
  try {
    new Recogniser(tokenize(text)).file();
    return undefined;
  } catch (error) {
    if (error instanceof Reject) return { offset: error.offset, reason: error.reason };
    throw error;
  }
}
