/** A position in a source file. `offset` is 0-based (UTF-16 code units); `line` and `column` are 1-based. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** A half-open range in one source file: `start` is the first character, `end` the one after the last. */
export interface SourceSpan {
  file: string;
  start: Position;
  end: Position;
}

/** A replacement of the text in `span` by `newText`. */
export interface TextEdit {
  span: SourceSpan;
  newText: string;
}

/** A change that resolves a diagnostic, ready for an editor's quick fix. */
export interface Fix {
  /** What the fix does, as a command: "replace with `goodCauseShown`". */
  title: string;
  edits: TextEdit[];
}

/**
 * The stable identifier of every problem Tenet reports. Documented in `docs/diagnostics.md`;
 * a code, once published, keeps its meaning.
 */
export type DiagnosticCode =
  // lexer
  | 'unexpected-character'
  | 'unterminated-string'
  | 'invalid-escape'
  | 'bidi-control'
  | 'control-character'
  // parser
  | 'syntax-error'
  | 'nesting-too-deep'
  | 'too-many-errors'
  | 'duplicate-clause'
  | 'invalid-date'
  | 'invalid-integer'
  | 'invalid-range'
  // files
  | 'import-not-found'
  | 'import-outside-root'
  | 'import-not-policy'
  | 'import-cycle'
  | 'missing-policy'
  | 'misplaced-declaration'
  // names
  | 'duplicate-declaration'
  | 'reserved-name'
  | 'unknown-entity'
  | 'unknown-attribute'
  | 'unknown-condition'
  | 'unknown-value'
  | 'unknown-citation'
  | 'unknown-obligation'
  | 'unknown-rule'
  | 'wrong-effect'
  | 'cyclic-condition'
  // types
  | 'type-mismatch'
  | 'invalid-default'
  | 'duplicate-value'
  | 'set-equality'
  // completeness
  | 'missing-citation'
  | 'missing-explanation'
  | 'missing-claim'
  | 'missing-condition'
  | 'missing-expectation'
  | 'missing-required-attribute'
  | 'unused-declaration'
  | 'history-out-of-order'
  | 'unlabelled-value'
  | 'advice-may-coach'
  | 'departure-without-reference'
  // compiler
  | 'unsupported-test'
  | 'too-complex'
  // analysis
  | 'rule-never-applies'
  | 'permit-overridden'
  | 'rule-covered'
  | 'rules-overlap'
  | 'override-unused'
  | 'obligation-never-triggered'
  | 'duplicate-example'
  | 'departure-not-acknowledged'
  | 'departure-unused'
  | 'reference-mismatch'
  // on save, in an editor (as `tenet test` and `tenet verify` report them)
  | 'example-fails'
  | 'assertion-fails';

/** The weight of a diagnostic: errors stop compilation, warnings and information do not. */
export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a policy: what, where, and where possible how to fix it. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** One lowercase line; names in `backticks`. */
  message: string;
  span?: SourceSpan;
  /** A hint on what to write instead: "did you mean `goodCauseShown`?". */
  help?: string;
  fix?: Fix;
  related?: { span: SourceSpan; message: string }[];
}

/** The result of a stage: its value, and every problem it found on the way. */
export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, then code, for stable output. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.span?.file ?? '').localeCompare(b.span?.file ?? '') ||
      (a.span?.start.offset ?? -1) - (b.span?.start.offset ?? -1) ||
      a.code.localeCompare(b.code),
  );
}
