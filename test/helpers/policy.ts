import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, SourceSpan } from '../../packages/language/src/index.js';

/** The repository's root directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every `.policy` file under `dir` (relative to the repository root), recursively, as absolute paths, sorted. */
export function policyFilesUnder(dir: string): string[] {
  const root = path.join(repoRoot, dir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.policy') && !name.split(path.sep).includes('node_modules'))
    .map((name) => path.join(root, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** A file's path relative to the repository root, with `/` separators: for test names. */
export function relative(file: string): string {
  return path.relative(repoRoot, file).split(path.sep).join('/');
}

/**
 * The 1-based line and column of a 0-based offset, computed independently of the language package: a line
 * ends at `\n`, at `\r\n` (one break) or at a lone `\r`; columns count UTF-16 code units.
 */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function spanProblem(text: string, file: string, span: SourceSpan, where: string): string | undefined {
  const { start, end } = span;
  const show = `${where}: ${JSON.stringify({ start, end })}`;
  if (span.file !== file) return `${show} names file ${JSON.stringify(span.file)}`;
  for (const p of [start, end]) {
    if (![p.offset, p.line, p.column].every(Number.isSafeInteger))
      return `${show} has a position that is not an integer`;
  }
  if (!(start.offset >= 0 && start.offset <= end.offset && end.offset <= text.length)) {
    return `${show} is not inside the text of length ${text.length}`;
  }
  if (start.line < 1 || start.column < 1 || end.line < 1 || end.column < 1)
    return `${show} has a line or column below 1`;
  for (const p of [start, end]) {
    const expected = positionAt(text, p.offset);
    if (p.line !== expected.line || p.column !== expected.column) {
      return `${show}: offset ${p.offset} is line ${expected.line}, column ${expected.column}`;
    }
  }
  return undefined;
}

/**
 * What is wrong with the spans of `diagnostics` for `text`: each must lie inside the text (0 ≤ start ≤ end ≤
 * length), with lines and columns from 1 that agree with its offsets. Related spans and the spans of fixes
 * are held to the same rules. Empty when all is well.
 */
export function spanProblems(text: string, file: string, diagnostics: readonly Diagnostic[]): string[] {
  const problems: string[] = [];
  diagnostics.forEach((d, i) => {
    const label = `diagnostic ${i} (${d.code}: ${d.message.slice(0, 80)})`;
    const spans: [SourceSpan, string][] = [];
    if (d.span) spans.push([d.span, label]);
    for (const r of d.related ?? []) spans.push([r.span, `${label}, related`]);
    for (const e of d.fix?.edits ?? []) spans.push([e.span, `${label}, fix`]);
    for (const [span, where] of spans) {
      const problem = spanProblem(text, file, span, where);
      if (problem) problems.push(problem);
    }
  });
  return problems;
}

/** A JSON-like value: what an AST is made of. */
export type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

/**
 * A deep copy of an AST without its positions: every `span` key and the `comments` array are dropped, so two
 * parses of texts that mean the same compare equal.
 */
export function stripSpans(value: unknown): Json {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value !== null && typeof value === 'object') {
    const copy: { [key: string]: Json } = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'span' || key === 'comments') continue;
      copy[key] = stripSpans(inner);
    }
    return copy;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value === null || value === undefined) return value;
  throw new TypeError(`unexpected ${typeof value} in an AST`);
}

/** The comment texts of a parsed file, sorted, as a multiset to compare. Trailing whitespace is not kept. */
export function commentTexts(file: { comments: readonly { text: string }[] }): string[] {
  return file.comments.map((c) => c.text.trimEnd()).sort();
}

/** The file `policies/…` or `test/…` read as text. */
export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/** A policy of one rule, over the shape of the Wethersfield query: the borrower named in a record may see it. */
export const OWN_RECORD = `policy p "P"

entity requester
  id: identifier
  role: one of patron, reporter

entity record
  subjectId: identifier

authority law "Law"
  quote "The law."

permit own
  when requester.id is record.subjectId
  because law
  says "The borrower named in a record may see it."
`;
