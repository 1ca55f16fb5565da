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
import type { Result } from './diagnostics.js';
import { load, type SourceHost } from './program.js';

/** Loads and checks the policy whose main file is `entry`: every diagnostic of every stage, in one list. */
export function checkPolicy(entry: string, host: SourceHost): Result<CheckedPolicy> {
  const loaded = load(entry, host);
  const checked = check(loaded.value);
  return { value: checked.value, diagnostics: [...loaded.diagnostics, ...checked.diagnostics] };
}
