/**
 * The Tenet language server: the protocol's requests answered from the language's own parser and checker (never
 * a second grammar). Each open policy is checked as you type (debounced), with the analyzer's lints; on save it
 * is also compiled, its examples run and its assertions and departures proved.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dutiesOf } from '@tenet/compiler';
import { type CheckedPolicy, format, hasErrors, parse, type SourceHost } from '@tenet/language';
import {
  type Connection,
  createConnection,
  ErrorCodes,
  type InitializeResult,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Checked, checkAsYouType, checkOnSave, type Outcome } from './analysis.js';
import { completions } from './completion.js';
import { codeActionOf, diagnosticOf, rangeOf, uriOf, workspaceEdit } from './convert.js';
import { hoverText } from './hover.js';
import {
  documentSymbols,
  foldingRanges,
  occurrenceAt,
  occurrencesOfTarget,
  renameProblem,
  type Target,
} from './symbols.js';

/** How long typing pauses before the document is checked again. */
const DEBOUNCE_MS = 150;

/** What the server holds of one open document. */
interface State {
  /** The latest check: as typed, or at the last save with the examples run and the assertions proved. */
  latest?: Checked;
  /** The latest check that had a vocabulary, for completion while the text does not parse. */
  vocabulary?: CheckedPolicy;
  /** What the examples and assertions came to at the last save, while the text is as saved. */
  outcomes: Outcome[];
  /** The obligations each rule's decisions can carry, worked out when first hovered. */
  duties?: Map<string, readonly string[]>;
  timer?: ReturnType<typeof setTimeout>;
}

/** The file name the language knows a document by: its path for a `file:` URI, else the URI itself. */
export function fileOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/**
 * Starts the server on a connection (by default the process's standard input and output, as `tenet lsp --stdio`
 * runs it) and answers until the client says exit.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const states = new Map<string, State>();
  const stateOf = (uri: string): State => {
    const state = states.get(uri) ?? { outcomes: [] };
    states.set(uri, state);
    return state;
  };

  // Open documents as typed; other files from the disk (a policy's imports, the law it is compared with).
  const host: SourceHost = {
    read(file) {
      const open = documents.get(uriOf(file));
      if (open) return open.getText();
      try {
        if (!statSync(file).isFile()) return { refused: 'unreadable', reason: 'it is a folder' };
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    resolve: (from, path) => resolve(dirname(from), path),
  };

  const publish = (uri: string) => {
    const state = stateOf(uri);
    const file = fileOf(uri);
    const nowhere = { offset: 0, line: 1, column: 1 };
    const diagnostics = (state.latest?.diagnostics ?? []).flatMap((d) => {
      const span = d.span ?? { file, start: nowhere, end: nowhere };
      return span.file === file ? [diagnosticOf(d, span)] : [];
    });
    void connection.sendDiagnostics({ uri, diagnostics });
  };

  const recheck = (uri: string) => {
    const state = stateOf(uri);
    state.latest = checkAsYouType(fileOf(uri), host);
    state.duties = undefined;
    if (state.latest.checked.attributes.size > 0) state.vocabulary = state.latest.checked;
    publish(uri);
  };

  // Also on open (the documents' manager reports an open as a change): a newly opened document is checked at once.
  documents.onDidChangeContent(({ document }) => {
    // A change in one policy can change the others that import it: each open one is checked again, after a pause.
    for (const open of documents.all()) {
      const state = stateOf(open.uri);
      clearTimeout(state.timer);
      if (open.uri !== document.uri) {
        state.timer = setTimeout(() => recheck(open.uri), DEBOUNCE_MS);
        continue;
      }
      state.outcomes = [];
      if (state.latest) state.timer = setTimeout(() => recheck(open.uri), DEBOUNCE_MS);
      else recheck(open.uri);
    }
  });
  documents.onDidSave(({ document }) => {
    const state = stateOf(document.uri);
    clearTimeout(state.timer);
    const { outcomes, ...checked } = checkOnSave(fileOf(document.uri), host);
    state.latest = checked;
    state.duties = undefined;
    state.outcomes = outcomes;
    publish(document.uri);
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => {});
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(stateOf(document.uri).timer);
    states.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  /** What is under the cursor of a document: its check, and the name written there with what it names. */
  const at = (uri: string, position: { line: number; character: number }) => {
    const document = documents.get(uri);
    const checked = stateOf(uri).latest?.checked;
    if (!document || !checked) return undefined;
    const occurrence = occurrenceAt(checked, fileOf(uri), document.offsetAt(position));
    return occurrence && { checked, occurrence };
  };
  const locationsOf = (checked: CheckedPolicy, target: Target, declarations = true) =>
    occurrencesOfTarget(checked, target)
      .filter((o) => declarations || !o.declares)
      .map((o) => ({ uri: uriOf(o.name.span.file), range: rangeOf(o.name.span) }));

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
          save: { includeText: false },
        },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', ' ', ',', '['] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'tenet-language-server', version: '0.1.0' },
    }),
  );

  connection.onHover(({ textDocument, position }) => {
    const found = at(textDocument.uri, position);
    if (!found) return null;
    const state = stateOf(textDocument.uri);
    const attributes = state.latest?.attributes;
    if (!state.duties && attributes) {
      const duties = dutiesOf(found.checked, attributes);
      state.duties = new Map(found.checked.rules.map((rule, i) => [rule.id.text, duties[i] ?? []]));
    }
    return {
      contents: {
        kind: 'markdown',
        value: hoverText(found.checked, found.occurrence.target, state.duties ?? new Map()),
      },
      range: rangeOf(found.occurrence.name.span),
    };
  });

  connection.onCompletion(({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    const before = document.getText({ start: { line: position.line, character: 0 }, end: position });
    return completions(stateOf(textDocument.uri).vocabulary, before);
  });

  connection.onDefinition(({ textDocument, position }) => {
    const found = at(textDocument.uri, position);
    if (!found) return null;
    const declaration = occurrencesOfTarget(found.checked, found.occurrence.target).find((o) => o.declares);
    return declaration
      ? { uri: uriOf(declaration.name.span.file), range: rangeOf(declaration.name.span) }
      : null;
  });

  connection.onReferences(({ textDocument, position, context }) => {
    const found = at(textDocument.uri, position);
    return found ? locationsOf(found.checked, found.occurrence.target, context.includeDeclaration) : [];
  });

  connection.onPrepareRename(({ textDocument, position }) => {
    const found = at(textDocument.uri, position);
    return found
      ? { range: rangeOf(found.occurrence.name.span), placeholder: found.occurrence.name.text }
      : null;
  });

  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const found = at(textDocument.uri, position);
    if (!found) return null;
    const problem = renameProblem(found.checked, found.occurrence.target, newName);
    if (problem) {
      const old = found.occurrence.name.text;
      return new ResponseError(
        ErrorCodes.InvalidRequest,
        `cannot rename \`${old}\` to \`${newName}\`: ${problem}`,
      );
    }
    return workspaceEdit(
      locationsOf(found.checked, found.occurrence.target).map((l) => ({ ...l, newText: newName })),
    );
  });

  const entryOf = (uri: string) => stateOf(uri).latest?.checked.program.files[0];
  connection.onDocumentSymbol(({ textDocument }) => {
    const file = entryOf(textDocument.uri);
    return file ? documentSymbols(file) : [];
  });
  connection.onFoldingRanges(({ textDocument }) => {
    const file = entryOf(textDocument.uri);
    return file ? foldingRanges(file) : [];
  });

  connection.onDocumentFormatting(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    const text = document.getText();
    const parsed = parse(text, fileOf(textDocument.uri));
    // A policy that does not parse is left as it is: the formatter prints only what it read.
    if (hasErrors(parsed.diagnostics)) return [];
    const formatted = format(parsed.value);
    if (formatted === text) return [];
    const end = document.positionAt(text.length);
    return [{ range: { start: { line: 0, character: 0 }, end }, newText: formatted }];
  });

  connection.onCodeAction(({ context }) =>
    context.diagnostics.flatMap((d) => {
      const action = codeActionOf(d);
      return action ? [action] : [];
    }),
  );

  connection.onCodeLens(({ textDocument }) => {
    const file = fileOf(textDocument.uri);
    return stateOf(textDocument.uri)
      .outcomes.filter((o) => o.span.file === file)
      .map((o) => ({ range: rangeOf(o.span), command: { title: o.title, command: '' } }));
  });

  documents.listen(connection);
  connection.listen();
}
