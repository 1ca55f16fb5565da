/**
 * The stages of the language, in order. Each takes the previous one's value and returns `{ value, diagnostics }`:
 *
 * 1. `tokenize` + `parse` (parse.ts): source text → tokens → concrete syntax tree → AST (cst-to-ast.ts).
 * 2. `load` (program.ts): the entry file and every file it imports, parsed.
 * 3. `check` (checker.ts): names resolved, expressions typed → a `CheckedPolicy`, the compiler's input.
 *
 * `format` (format.ts) prints an AST back in the canonical layout.
 */

import type { CheckedPolicy } from './checker.js';
import { check } from './checker.js';
import type { Diagnostic, DiagnosticCode, Result, SourceSpan } from './diagnostics.js';
import { load, type Program, type SourceHost } from './program.js';

/** Loads and checks the policy whose main file is `entry`: every diagnostic of every stage, in one list. */
export function checkPolicy(entry: string, host: SourceHost): Result<CheckedPolicy> {
  const loaded = load(entry, host);
  const checked = check(loaded.value);
  return {
    value: checked.value,
    diagnostics: [...loaded.diagnostics, ...withoutCascades(loaded, checked.diagnostics)],
  };
}

/** What the checker finds missing from a declaration the parser could not read to its end. */
const cascading = new Set<DiagnosticCode>([
  'missing-citation',
  'missing-explanation',
  'missing-claim',
  'missing-expectation',
]);

/**
 * Drops the checker's complaints that a declaration lacks a clause when a syntax error cut that declaration short:
 * the missing clause is most likely the text the parser could not read, and the syntax error already says so.
 */
function withoutCascades(loaded: Result<Program>, diagnostics: Diagnostic[]): Diagnostic[] {
  const broken = loaded.diagnostics.filter((d) => d.code === 'syntax-error' && d.span);
  if (broken.length === 0) return diagnostics;
  const declarationAt = (span: SourceSpan) =>
    loaded.value.files
      .find((f) => f.file === span.file)
      ?.declarations.find(
        (d) => d.span.start.offset <= span.start.offset && span.start.offset <= d.span.end.offset,
      );
  return diagnostics.filter((d) => {
    if (!cascading.has(d.code) || !d.span) return true;
    const declaration = declarationAt(d.span);
    return !broken.some(
      (e) =>
        declaration &&
        e.span?.file === declaration.span.file &&
        e.span.start.offset >= declaration.span.start.offset &&
        e.span.start.offset <= declaration.span.end.offset,
    );
  });
}
