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
import {
  type Diagnostic,
  type DiagnosticCode,
  hasErrors,
  type Result,
  type SourceSpan,
} from './diagnostics.js';
import { load, type Program, type SourceHost } from './program.js';

/**
 * Loads and checks the policy whose main file is `entry`: every diagnostic of every stage, in one list. The policy
 * it is `compared with` (the law in force) is loaded and checked too, through the same host, as
 * `value.reference`; a reference's own `compared with` is not followed.
 */
export function checkPolicy(entry: string, host: SourceHost): Result<CheckedPolicy> {
  const policy = checkOne(entry, host);
  const compared = policy.value.policy?.comparedWith;
  if (!compared) return policy;
  const file = host.resolve(entry, compared.value);
  const reference = checkOne(file, host);
  // A reference that cannot be read is reported where it is named.
  const diagnostics = reference.diagnostics.map((d) => (d.span ? d : { ...d, span: compared.span }));
  if (reference.value.policy && !hasErrors(reference.diagnostics)) policy.value.reference = reference.value;
  else if (!hasErrors(diagnostics))
    diagnostics.push({
      code: 'missing-policy',
      severity: 'error',
      message: `\`${compared.value}\` has no \`policy\` header: a policy is compared with another policy`,
      span: compared.span,
      help: 'name the file of a policy written over the same vocabulary (the statute in force)',
    });
  return { value: policy.value, diagnostics: [...policy.diagnostics, ...diagnostics] };
}

function checkOne(entry: string, host: SourceHost): Result<CheckedPolicy> {
  const loaded = load(entry, host);
  const checked = check(loaded.value);
  return {
    value: checked.value,
    diagnostics: [
      ...loaded.diagnostics,
      ...withoutUnread(loaded, withoutCascades(loaded, checked.diagnostics)),
    ],
  };
}

/** The diagnostics of a file that could not be imported. */
const unreadImports = new Set<DiagnosticCode>([
  'import-not-found',
  'import-outside-root',
  'import-not-policy',
]);

/** What the checker reports of a name a file that was not read could have declared. */
const undeclared = new Set<DiagnosticCode>([
  'unknown-entity',
  'unknown-condition',
  'unknown-citation',
  'unknown-obligation',
  'unknown-rule',
]);

/**
 * Drops the checker's unknown names when an import could not be read: the names are most likely declared in the
 * file that was not read, and the import's own error says what to fix (a policy whose imports all fail would
 * otherwise bury it under one error for every use of every imported name).
 */
function withoutUnread(loaded: Result<Program>, diagnostics: Diagnostic[]): Diagnostic[] {
  if (!loaded.diagnostics.some((d) => unreadImports.has(d.code))) return diagnostics;
  return diagnostics.filter((d) => !undeclared.has(d.code));
}

/** What the checker finds missing from a declaration: after a syntax error, most likely what could not be read. */
const cascading = new Set<DiagnosticCode>([
  'missing-citation',
  'missing-explanation',
  'missing-claim',
  'missing-condition',
  'missing-expectation',
  'missing-required-attribute',
]);

/**
 * Drops the checker's findings that a syntax error explains better. A declaration's region runs from its start to
 * the next declaration's; in a region with a syntax error, the checker's complaints about missing clauses, and any
 * complaint from the error onwards, are noise. After any syntax error, "never used" warnings are unreliable too:
 * the use may be in the text that could not be read.
 */
function withoutCascades(loaded: Result<Program>, diagnostics: Diagnostic[]): Diagnostic[] {
  // A control character in a string is an error, but the string and what follows it were read as written.
  const broken = loaded.diagnostics.filter(
    (d) => d.severity === 'error' && d.span && d.code !== 'control-character',
  );
  if (broken.length === 0) return diagnostics;
  const firstErrorIn = (span: SourceSpan): number | undefined => {
    const declarations = loaded.value.files.find((f) => f.file === span.file)?.declarations ?? [];
    let index = -1;
    while (
      index + 1 < declarations.length &&
      (declarations[index + 1]?.span.start.offset ?? 0) <= span.start.offset
    )
      index++;
    const start = declarations[index]?.span.start.offset ?? 0;
    const end = declarations[index + 1]?.span.start.offset ?? Number.POSITIVE_INFINITY;
    const offsets = broken
      .filter((e) => e.span?.file === span.file && e.span.start.offset >= start && e.span.start.offset < end)
      .map((e) => e.span?.start.offset ?? 0);
    return offsets.length > 0 ? Math.min(...offsets) : undefined;
  };
  return diagnostics.filter((d) => {
    if (d.code === 'unused-declaration') return false;
    if (!d.span) return true;
    const error = firstErrorIn(d.span);
    return error === undefined || (!cascading.has(d.code) && d.span.start.offset < error);
  });
}
