import { type IToken, Lexer } from 'chevrotain';
import type { SourceFile } from './ast.js';
import { AstBuilder } from './cst-to-ast.js';
import type { Diagnostic, Result } from './diagnostics.js';
import { findHiddenCharacters } from './hidden-characters.js';
import { MAX_PARSE_ERRORS, parser } from './parser.js';
import { SourceText } from './source-text.js';
import { allTokens, LParen, Not, RParen } from './tokens.js';

/** How deeply parentheses may nest. Deeper input is reported, never parsed, so the parser's stack stays small. */
export const MAX_NESTING = 64;

// Chevrotain's checks of the token definitions run in the tests (`test/tokens.test.ts`), not at every start-up.
const lexer = new Lexer(allTokens, {
  positionTracking: 'full',
  ensureOptimizations: true,
  skipValidations: true,
});

/** Whether a character can start a token (see tokens.ts): whitespace, `#`, `"`, digits, `-`, names, punctuation. */
function startsToken(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    ' \t\r\n\f\v\uFEFF#"_-.,:=()[]{}<>'.includes(String.fromCharCode(c))
  );
}

/**
 * Finds the runs of characters, outside strings and comments, that no token can start with, and blanks them out
 * (same length, so offsets and positions stay) before lexing. Left to the lexer, each such character costs a retry
 * of every pattern; a megabyte of junk would take seconds instead of milliseconds.
 */
function maskUnexpected(text: string): { text: string; runs: { offset: number; length: number }[] } {
  const runs: { offset: number; length: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 34 /* " */ && text.startsWith('"""', i)) {
      const end = text.indexOf('"""', i + 3);
      i = end < 0 ? text.length : end + 3;
    } else if (c === 34) {
      i++;
      while (i < text.length && !'"\r\n'.includes(text.charAt(i)))
        i += text.charCodeAt(i) === 92 /* \ */ ? 2 : 1;
      i++;
    } else if (startsToken(c)) {
      i++;
    } else {
      const start = i;
      while (i < text.length && !startsToken(text.charCodeAt(i))) i++;
      runs.push({ offset: start, length: i - start });
    }
  }
  if (runs.length === 0) return { text, runs };
  let masked = '';
  let from = 0;
  for (const run of runs) {
    masked += text.slice(from, run.offset) + ' '.repeat(run.length);
    from = run.offset + run.length;
  }
  return { text: masked + text.slice(from), runs };
}

/**
 * Drops every group of parentheses nested deeper than {@link MAX_NESTING}, reporting each outermost one dropped.
 * The parser then reports the hole where the group was, and nothing deeper is ever recursed into.
 */
function limitNesting(tokens: IToken[], source: SourceText, diagnostics: Diagnostic[]): IToken[] {
  const kept: IToken[] = [];
  let depth = 0;
  let nots = 0;
  for (const token of tokens) {
    // A run of `not`s nests too: each wraps what follows.
    nots = token.tokenType === Not ? nots + 1 : 0;
    if (nots > MAX_NESTING) {
      if (nots === MAX_NESTING + 1) {
        diagnostics.push({
          code: 'nesting-too-deep',
          severity: 'error',
          message: `more than ${MAX_NESTING} \`not\`s in a row here`,
          span: source.span(token.startOffset, token.startOffset + token.image.length),
          help: 'two `not`s cancel out: remove them in pairs',
        });
      }
      continue;
    }
    if (token.tokenType === LParen) {
      depth++;
      if (depth === MAX_NESTING + 1) {
        diagnostics.push({
          code: 'nesting-too-deep',
          severity: 'error',
          message: `parentheses nest more than ${MAX_NESTING} deep here`,
          span: source.span(token.startOffset, token.startOffset + 1),
          help: 'name part of the condition with a `condition` declaration and use its name instead',
        });
      }
    } else if (token.tokenType === RParen && depth > 0) {
      depth--;
      if (depth >= MAX_NESTING) continue;
    }
    if (depth <= MAX_NESTING) kept.push(token);
  }
  return kept;
}

/**
 * Parses one `.policy` file into its AST. Never throws: every problem in the text, however broken, is a
 * positioned diagnostic, and the AST holds every declaration that could be read.
 *
 * @example
 * const { value, diagnostics } = parse('permit own when requester.id is record.subjectId', 'a.policy');
 */
export function parse(text: string, file: string): Result<SourceFile> {
  const source = new SourceText(file, text);
  const diagnostics: Diagnostic[] = [];
  const masked = maskUnexpected(text);
  const lexed = lexer.tokenize(masked.text);
  const unexpected = [...masked.runs, ...lexed.errors].sort((a, b) => a.offset - b.offset);
  for (const error of unexpected.slice(0, MAX_PARSE_ERRORS)) {
    const shown = text.slice(error.offset, error.offset + Math.min(error.length, 12));
    diagnostics.push({
      code: 'unexpected-character',
      severity: 'error',
      message: `unexpected character${error.length > 1 ? 's' : ''} \`${shown}${error.length > 12 ? '…' : ''}\``,
      span: source.span(error.offset, error.offset + error.length),
      help: 'remove it; text belongs in a string: "…"',
    });
  }
  if (unexpected.length > MAX_PARSE_ERRORS) {
    diagnostics.push({
      code: 'too-many-errors',
      severity: 'error',
      message: `${unexpected.length - MAX_PARSE_ERRORS} more runs of unexpected characters are not listed`,
      span: source.span(text.length, text.length),
      help: 'is this a policy file? a `.policy` file is text in the Tenet language',
    });
  }
  diagnostics.push(...findHiddenCharacters(lexed.tokens, lexed.groups.comments ?? [], source));
  const tokens = limitNesting(lexed.tokens, source, diagnostics);

  // Recognition errors are Error objects; their stack traces are never shown, so don't pay for them.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let cst: ReturnType<typeof parser.file>;
  try {
    cst = parser.parseTokens(tokens);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const syntaxErrors = new Set<number>();
  for (const error of parser.errors.slice(0, MAX_PARSE_ERRORS)) {
    const token = error.token;
    const at = Number.isFinite(token.startOffset) ? token.startOffset : text.length;
    const end =
      token.tokenType.name === 'EOF' || !Number.isFinite(token.startOffset) ? at : at + token.image.length;
    syntaxErrors.add(at);
    diagnostics.push({
      code: 'syntax-error',
      severity: 'error',
      message: error.message,
      span: source.span(at, end),
    });
  }
  const stoppedAt = parser.stoppedAt;
  if (stoppedAt) {
    diagnostics.push({
      code: 'too-many-errors',
      severity: 'error',
      message: `stopped after ${MAX_PARSE_ERRORS} syntax errors: the file from here on was not read`,
      span: source.span(stoppedAt.startOffset, stoppedAt.startOffset + stoppedAt.image.length),
      help: 'fix the errors above and check again',
    });
  }

  const builder = new AstBuilder(source);
  const value = builder.build(cst);
  value.comments = (lexed.groups.comments ?? []).map((c) => ({
    text: c.image,
    span: source.span(c.startOffset, c.startOffset + c.image.length),
  }));
  // A token the parser already rejected is not reported again as the start of stray text.
  const fresh = builder.diagnostics.filter(
    (d) => !(d.code === 'syntax-error' && d.span && syntaxErrors.has(d.span.start.offset)),
  );
  return { value, diagnostics: diagnostics.concat(fresh) };
}
