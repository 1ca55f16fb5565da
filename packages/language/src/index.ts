export type * from './ast.js';
export { sectionsOf } from './ast.js';
export type { AttributeInfo, CheckedPolicy, Reference, Resolution } from './checker.js';
export { check } from './checker.js';
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
export { format, formatExpression, LINE_WIDTH } from './format.js';
export { grammarReference, serializedGrammar } from './grammar-reference.js';
export { MAX_NESTING, parse } from './parse.js';
export { checkPolicy } from './pipeline.js';
export type { Program, Refusal, SourceHost } from './program.js';
export { load } from './program.js';
export { SourceText } from './source-text.js';
export { keywords } from './tokens.js';
export type { Type } from './types.js';
export { showType } from './types.js';
