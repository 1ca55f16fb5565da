export type * from './ast.js';
export { sectionsOf } from './ast.js';
export type {
  Diagnostic,
  DiagnosticCode,
  Fix,
  Position,
  Result,
  Severity,
  SourceSpan,
  TextEdit,
} from './diagnostics.js';
export { hasErrors, sortDiagnostics } from './diagnostics.js';
export { MAX_NESTING, parse } from './parse.js';
export { SourceText } from './source-text.js';
export { keywords } from './tokens.js';
