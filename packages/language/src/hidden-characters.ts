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

/** Control characters but tab and line breaks: they can drive a terminal, or hide text, wherever a string is shown. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it finds.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;

/** What one kind of character found in a token is reported as. */
interface Finding {
  pattern: RegExp;
  /** Where it is reported: the token kinds of {@link holders} it may not be in. */
  in: readonly string[];
  code: 'bidi-control' | 'control-character';
  severity: 'error' | 'warning';
  /** What such a character is called. */
  kind: string;
  /** The character, by its code point. */
  what: (code: number) => string;
  help: string;
}

const FINDINGS: readonly Finding[] = [
  {
    pattern: BIDI_CONTROL,
    in: ['StringLiteral', 'TextBlock', 'Comment'],
    code: 'bidi-control',
    severity: 'warning',
    kind: 'bidirectional control character',
    what: (code) => `bidirectional control character ${nameOf(code)}`,
    help: HELP,
  },
  {
    // Strings and text blocks reach decisions, explanations and the board document; a comment reaches none.
    pattern: CONTROL,
    in: ['StringLiteral', 'TextBlock'],
    code: 'control-character',
    severity: 'error',
    kind: 'control character',
    what: (code) => `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`,
    help: 'it can change what a terminal or a document shows, and no reader can see it: remove it',
  },
];

/**
 * Finds, in the strings, text blocks and comments of one file (`tokens` and `comments` as lexed), every
 * bidirectional control character (a warning: Trojan Source) and every control character in a string or text
 * block (an error), each at its own one-character span; after {@link MAX_PARSE_ERRORS} of a kind, one more
 * diagnostic counts the rest. (Outside strings and comments no token can hold one: there it is an
 * `unexpected-character` error.)
 */
export function findHiddenCharacters(
  tokens: readonly IToken[],
  comments: readonly IToken[],
  source: SourceText,
): Diagnostic[] {
  return FINDINGS.flatMap((finding) => {
    const holding = (token: IToken) =>
      finding.in.includes(token.tokenType.name) && token.image.search(finding.pattern) >= 0;
    // Few tokens hold one, so sorting them into file order costs nothing.
    const hits = [...tokens.filter(holding), ...comments.filter(holding)].sort(
      (a, b) => a.startOffset - b.startOffset,
    );
    const found: Diagnostic[] = [];
    let more = 0;
    let firstUnlisted = 0;
    for (const token of hits) {
      for (const match of token.image.matchAll(finding.pattern)) {
        const offset = token.startOffset + match.index;
        if (found.length === MAX_PARSE_ERRORS) {
          if (more++ === 0) firstUnlisted = offset;
          continue;
        }
        found.push({
          code: finding.code,
          severity: finding.severity,
          message: `${finding.what(match[0].charCodeAt(0))} in ${holders[token.tokenType.name]}`,
          span: source.span(offset, offset + 1),
          help: finding.help,
        });
      }
    }
    if (more > 0) {
      found.push({
        code: finding.code,
        severity: finding.severity,
        message: `${more} more ${finding.kind}${more === 1 ? ' is' : 's are'} not listed, from here on`,
        span: source.span(firstUnlisted, firstUnlisted + 1),
        help: finding.help,
      });
    }
    return found;
  });
}
