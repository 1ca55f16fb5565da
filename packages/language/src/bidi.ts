import type { IToken } from 'chevrotain';
import type { Diagnostic } from './diagnostics.js';
import { MAX_PARSE_ERRORS } from './parser.js';
import type { SourceText } from './source-text.js';

/**
 * The characters that change the order in which text is displayed, by code point: the embeddings, overrides and
 * isolates ("Trojan Source", CVE-2021-42574) and the three invisible direction marks.
 */
const names: ReadonlyMap<number, string> = new Map([
  [0x061c, 'ARABIC LETTER MARK'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
]);

const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `U+202E RIGHT-TO-LEFT OVERRIDE`. */
function nameOf(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} ${names.get(code) ?? ''}`.trimEnd();
}

const HELP =
  'it can make the text display in an order other than the one Tenet reads; remove it (the language has no escape for it)';

/** Where a token that can hold any character is: in the message, "in a string". */
const holders: Readonly<Record<string, string>> = {
  StringLiteral: 'a string',
  TextBlock: 'a text block',
  Comment: 'a comment',
};

/**
 * Warns of every bidirectional control character in the strings, text blocks and comments of one file (`tokens`
 * and `comments` as lexed), each at its own one-character span; after {@link MAX_PARSE_ERRORS} of them, one more
 * warning counts the rest. (Outside strings and comments no token can hold one: there it is an
 * `unexpected-character` error.)
 */
export function findBidiControls(
  tokens: readonly IToken[],
  comments: readonly IToken[],
  source: SourceText,
): Diagnostic[] {
  const holding = (token: IToken) =>
    Object.hasOwn(holders, token.tokenType.name) && token.image.search(BIDI_CONTROL) >= 0;
  // Few tokens hold one, so sorting them into file order costs nothing.
  const hits = [...tokens.filter(holding), ...comments.filter(holding)].sort(
    (a, b) => a.startOffset - b.startOffset,
  );
  const found: Diagnostic[] = [];
  let more = 0;
  let firstUnlisted = 0;
  for (const token of hits) {
    for (const match of token.image.matchAll(BIDI_CONTROL)) {
      const offset = token.startOffset + match.index;
      if (found.length === MAX_PARSE_ERRORS) {
        if (more++ === 0) firstUnlisted = offset;
        continue;
      }
      found.push({
        code: 'bidi-control',
        severity: 'warning',
        message: `bidirectional control character ${nameOf(match[0].charCodeAt(0))} in ${holders[token.tokenType.name]}`,
        span: source.span(offset, offset + 1),
        help: HELP,
      });
    }
  }
  if (more > 0) {
    found.push({
      code: 'bidi-control',
      severity: 'warning',
      message: `${more} more bidirectional control character${more === 1 ? ' is' : 's are'} not listed, from here on`,
      span: source.span(firstUnlisted, firstUnlisted + 1),
      help: HELP,
    });
  }
  return found;
}
