import { createToken, Lexer, type TokenType } from 'chevrotain';

// INVARIANT: every pattern here matches in time linear in its input. Strings and text blocks match even when
// unterminated (up to the end of the line or the input), so an unterminated literal is one token reported by the
// AST step, never a retry at every following offset.

/** Letters, digits and `_`, with single inner hyphens: `notify_director`, `cgs-11-25b`, `guardianOf`. */
export const Identifier = createToken({
  name: 'Identifier',
  label: 'a name',
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/,
});

/**
 * Every keyword, as one category: where only a name can stand (an attribute, after a `.` or before a `:`), a
 * keyword is read as a name, so a vocabulary can have an `owner` or a `title`.
 */
export const AnyKeyword = createToken({ name: 'AnyKeyword', label: 'a name', pattern: Lexer.NA });

const keywordTokens: TokenType[] = [];
function keyword(word: string, name = word[0]?.toUpperCase() + word.slice(1)): TokenType {
  const token = createToken({
    name,
    label: `\`${word}\``,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [AnyKeyword],
    // Said rather than found: the lexer would otherwise parse each keyword's pattern to learn them, which is a
    // tenth of the time it takes to build.
    start_chars_hint: [word.charAt(0)],
    line_breaks: false,
  });
  keywordTokens.push(token);
  return token;
}

export const Policy = keyword('policy');
export const Owner = keyword('owner');
export const Version = keyword('version');
export const Adopted = keyword('adopted');
export const Approved = keyword('approved');
export const Revised = keyword('revised');
export const Amended = keyword('amended');
export const Affirmed = keyword('affirmed');
export const Default = keyword('default');
export const Permit = keyword('permit');
export const Deny = keyword('deny');
export const Forbid = keyword('forbid');
export const Import = keyword('import');
export const Authority = keyword('authority');
export const Title = keyword('title');
export const Enacted = keyword('enacted');
export const Effective = keyword('effective');
export const Superseded = keyword('superseded');
export const Quote = keyword('quote');
export const Section = keyword('section');
export const Entity = keyword('entity');
export const BooleanType = keyword('boolean', 'BooleanType');
export const IntegerType = keyword('integer', 'IntegerType');
export const IdentifierType = keyword('identifier', 'IdentifierType');
export const SetOf = keyword('set', 'SetType');
export const NonEmpty = keyword('non-empty', 'NonEmpty');
export const One = keyword('one');
export const Of = keyword('of');
export const Condition = keyword('condition');
export const When = keyword('when');
export const Because = keyword('because');
export const Says = keyword('says');
export const Obligation = keyword('obligation');
export const Require = keyword('require');
export const Assert = keyword('assert');
export const Always = keyword('always');
export const Never = keyword('never');
export const Cite = keyword('cite');
export const Apply = keyword('apply');
export const Overrides = keyword('overrides');
export const Example = keyword('example');
export const Given = keyword('given');
export const Expect = keyword('expect');
export const By = keyword('by');
export const With = keyword('with');
export const Interpretation = keyword('interpretation');
export const Looser = keyword('looser');
export const Stricter = keyword('stricter');
export const Compared = keyword('compared');
export const Referral = keyword('referral');
export const Label = keyword('label');
export const Advice = keyword('advice');
export const Suggest = keyword('suggest');
export const Counsel = keyword('counsel');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const Is = keyword('is');
export const In = keyword('in');
export const Within = keyword('within');
export const True = keyword('true');
export const False = keyword('false');

/** Every reserved word, in the order the grammar reference lists them. */
export const keywords: readonly string[] = keywordTokens.map((t) => String(t.PATTERN).slice(1, -1));

/** `"""` up to the next `"""`, or to the end of the input when there is none: one scan, no backtracking. */
function matchTextBlock(text: string, offset: number): RegExpExecArray | null {
  if (!text.startsWith('"""', offset)) return null;
  const close = text.indexOf('"""', offset + 3);
  const match = [text.slice(offset, close < 0 ? text.length : close + 3)] as unknown as RegExpExecArray;
  return match;
}

export const TextBlock = createToken({
  name: 'TextBlock',
  label: 'a text block',
  pattern: { exec: matchTextBlock },
  start_chars_hint: ['"'],
  line_breaks: true,
});
export const StringLiteral = createToken({
  name: 'StringLiteral',
  label: 'a string',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"?/,
});
export const DateLiteral = createToken({
  name: 'DateLiteral',
  label: 'a date',
  pattern: /\d{4}-\d{2}-\d{2}/,
});
export const IntegerLiteral = createToken({ name: 'IntegerLiteral', label: 'an integer', pattern: /-?\d+/ });
export const LessEqual = createToken({ name: 'LessEqual', label: '`<=`', pattern: /<=/ });
export const GreaterEqual = createToken({ name: 'GreaterEqual', label: '`>=`', pattern: />=/ });
export const Less = createToken({ name: 'Less', label: '`<`', pattern: /</ });
export const Greater = createToken({ name: 'Greater', label: '`>`', pattern: />/ });
export const Equals = createToken({ name: 'Equals', label: '`=`', pattern: /=/ });
/** `..` between the bounds of an integer: `integer 0..150`. */
export const Range = createToken({ name: 'Range', label: '`..`', pattern: /\.\./ });
export const Dot = createToken({ name: 'Dot', label: '`.`', pattern: /\./ });
export const Comma = createToken({ name: 'Comma', label: '`,`', pattern: /,/ });
export const Colon = createToken({ name: 'Colon', label: '`:`', pattern: /:/ });
export const LParen = createToken({ name: 'LParen', label: '`(`', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', label: '`)`', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', label: '`[`', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', label: '`]`', pattern: /]/ });
export const LBrace = createToken({ name: 'LBrace', label: '`{`', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', label: '`}`', pattern: /}/ });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });
export const Whitespace = createToken({
  name: 'Whitespace',
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** All tokens, in the order the lexer tries them. */
export const allTokens: TokenType[] = [
  AnyKeyword,
  Whitespace,
  Comment,
  TextBlock,
  StringLiteral,
  DateLiteral,
  IntegerLiteral,
  // Longest keyword first, so `integer` is not read as `in` followed by more letters.
  ...[...keywordTokens].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Equals,
  Range,
  Dot,
  Comma,
  Colon,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
];

/** The tokens that begin a declaration: the parser resynchronises on them after an error. */
export const declarationStarts: TokenType[] = [
  Policy,
  Import,
  Entity,
  Authority,
  Condition,
  Section,
  Permit,
  Forbid,
  Obligation,
  Require,
  Assert,
  Example,
  Interpretation,
];
