import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import {
  createProtocolConnection,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

/** A real language server process on stdio, and a protocol connection to it, as an editor has. */
export interface LspSession {
  connection: ProtocolConnection;
  process: ChildProcess;
  /** The next diagnostics published for `uri` that `accept` accepts (by default, any). */
  diagnostics(
    uri: string,
    accept?: (p: PublishDiagnosticsParams) => boolean,
  ): Promise<PublishDiagnosticsParams>;
  close(): Promise<void>;
}

/** Starts `node <server> --stdio`, by default the built `@tenet/language-server`, and initializes it. */
export async function startLsp(
  server = path.resolve(import.meta.dirname, '../../packages/language-server/dist/main.js'),
): Promise<LspSession> {
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout as NonNullable<typeof child.stdout>),
    new StreamMessageWriter(child.stdin as NonNullable<typeof child.stdin>),
  );
  const waiting: {
    uri: string;
    accept: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    const index = waiting.findIndex((w) => w.uri === params.uri && w.accept(params));
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(params);
  });
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    diagnostics: (uri, accept = () => true) =>
      new Promise((resolve) => {
        waiting.push({ uri, accept, resolve });
      }),
    async close() {
      await connection.sendRequest('shutdown');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await connection.sendNotification('exit');
      await exited;
      connection.dispose();
    },
  };
}
