/**
 * Between Tenet and the protocol. Tenet's spans count lines and columns from 1 and columns in UTF-16 code units
 * (offsets into the JavaScript string); the protocol counts both from 0, in UTF-16 code units too (its default
 * position encoding). So a column converts by one, whatever `§` or emoji the line holds before it.
 */
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Fix, SourceSpan } from '@tenet/language';
import {
  type CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';

/** The protocol's range of a span. */
export function rangeOf(span: SourceSpan): Range {
  return {
    start: { line: span.start.line - 1, character: span.start.column - 1 },
    end: { line: span.end.line - 1, character: span.end.column - 1 },
  };
}

/** The document URI of a file name as the language's host knows it: a path, or a URI that is not a file's. */
export function uriOf(file: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? file : pathToFileURL(file).href;
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

/** A fix, carried in a protocol diagnostic's `data` so that a code action can apply it. */
export interface FixData {
  fix: { title: string; edits: { file: string; range: Range; newText: string }[] };
}

/** A Tenet diagnostic as the protocol's, on the range of its span; `help` follows the message, the fix rides along. */
export function diagnosticOf(d: Diagnostic, span: SourceSpan): LspDiagnostic {
  const related = (d.related ?? []).map((r) => ({
    location: { uri: uriOf(r.span.file), range: rangeOf(r.span) },
    message: r.message,
  }));
  const data: FixData | undefined = d.fix && { fix: fixData(d.fix) };
  return {
    range: rangeOf(span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'tenet',
    message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
    ...(related.length > 0 && { relatedInformation: related }),
    ...(data && { data }),
  };
}

function fixData(fix: Fix): FixData['fix'] {
  return {
    title: fix.title,
    edits: fix.edits.map((e) => ({ file: e.span.file, range: rangeOf(e.span), newText: e.newText })),
  };
}

/** The quick fix a protocol diagnostic carries, if it carries one. */
export function codeActionOf(diagnostic: LspDiagnostic): CodeAction | undefined {
  const data = diagnostic.data as Partial<FixData> | undefined;
  if (!data?.fix) return undefined;
  const edit = workspaceEdit(
    data.fix.edits.map((e) => ({ uri: uriOf(e.file), range: e.range, newText: e.newText })),
  );
  return {
    title: data.fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit,
  };
}

/** Edits of any number of documents as one workspace edit. */
export function workspaceEdit(
  edits: readonly { uri: string; range: Range; newText: string }[],
): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const { uri, range, newText } of edits) {
    const list = changes[uri] ?? [];
    list.push({ range, newText });
    changes[uri] = list;
  }
  return { changes };
}
