import { open } from 'node:fs/promises';
import { type Decision, type Engine, explain, parseJson } from '@tenet/runtime';
import {
  type Context,
  type ExitStatus,
  FORMAT_OPTION,
  formatOf,
  ioReason,
  options,
  readChunks,
  UsageError,
} from '../context.js';
import { LOAD_OPTIONS, loadOptionsOf, loadPolicy, policyFiles } from '../load.js';

/** The most bytes one query may have: a whole document, or one line of JSON Lines. */
export const MAX_QUERY_BYTES = 1 << 20;

/** A query as read: the line it is on (1-based), whether it is one of a batch, and its value or why it has none. */
export interface QueryInput {
  line: number;
  batch: boolean;
  value?: unknown;
  /** Why the input is not a query (not JSON, too long): the query is then refused. */
  error?: string;
}

/** A line of the input, without its LF. `bytes` is absent when the line is longer than the limit. */
interface Line {
  number: number;
  length: number;
  bytes: Uint8Array | undefined;
  blank: boolean;
}

const NEWLINE = new Uint8Array([0x0a]);

const size = (bytes: number) => (bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : `${bytes} bytes`);

/** Whether the bytes are JSON whitespace alone (a CR before an LF among it). */
function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

/**
 * Whether a line holds a whole JSON value as far as its brackets and strings go: every one it opens, it closes.
 * (Bytes of UTF-8 beyond ASCII are never `"`, `\`, brackets or braces.)
 */
function closes(bytes: Uint8Array): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) depth--;
  }
  return depth <= 0 && !inString;
}

/**
 * Splits bytes into lines at each LF, as they arrive, keeping at most `limit` bytes of a line. A line longer than
 * that is yielded, without its bytes, as soon as it passes the limit with something other than whitespace in it;
 * the rest of it is read and dropped.
 */
async function* linesOf(chunks: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Line> {
  let parts: Uint8Array[] = [];
  let length = 0;
  let blank = true;
  let told = false;
  let number = 1;
  for await (const chunk of chunks) {
    for (let start = 0; start < chunk.length; ) {
      const end = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      length += piece.length;
      // INVARIANT: a line longer than the limit keeps no bytes: it is counted, never held.
      if (length > limit) parts = [];
      else if (piece.length > 0) parts.push(piece);
      blank &&= isBlank(piece);
      if (length > limit && !blank && !told) {
        told = true;
        yield { number, length, bytes: undefined, blank };
      }
      if (end === -1) break;
      if (!told) yield { number, length, bytes: bytesOf(parts, length, limit), blank };
      [parts, length, blank, told] = [[], 0, true, false];
      number++;
      start = end + 1;
    }
  }
  if (length > 0 && !told) yield { number, length, bytes: bytesOf(parts, length, limit), blank };
}

const bytesOf = (parts: Uint8Array[], length: number, limit: number) =>
  length > limit ? undefined : parts.length === 1 ? parts[0] : Buffer.concat(parts, length);

/** One line (or the whole document) parsed: the query, or why it is not one, placed in the input. */
function queryOf(line: Line, batch: boolean, limit: number): QueryInput {
  const at = { line: line.number, batch };
  if (line.bytes === undefined) return { ...at, error: `the query is longer than ${size(limit)}` };
  const parsed = parseJson(line.bytes);
  if (parsed.ok) return { ...at, value: parsed.value };
  const { message, column } = parsed.error;
  const where = batch ? `column ${column}` : `line ${line.number + parsed.error.line - 1}, column ${column}`;
  return { ...at, error: `the query is not valid JSON at ${where}: ${message}` };
}

/**
 * The queries in an input (`what` names it in messages), in order, as they are read: one JSON document, or JSON
 * Lines, one query a line, blank lines skipped. The first line that is not blank decides: when its brackets and
 * strings all close on it, the input is JSON Lines, each query one of a batch however many there are, answered as
 * soon as it is read; otherwise it is one document, read whole. With `loneLine` (a `.json` file, which holds one
 * query by its name), a line that is the input's only one is a document too: the first line is then held until a
 * second shows the input is JSON Lines. A document, or a first line, longer than `limit` bytes is refused (a
 * {@link UsageError}) as soon as it passes the limit; a later line that long is a query refused in its place.
 *
 * @example
 * for await (const q of readQueries(process.stdin, 'standard input', false)) console.log(q.line, q.error ?? q.value);
 */
export async function* readQueries(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  what: string,
  loneLine: boolean,
  limit = MAX_QUERY_BYTES,
): AsyncGenerator<QueryInput> {
  const tooLarge = () =>
    new UsageError(`${what} holds a query larger than ${size(limit)}, the most one may be`);
  let mode: 'lines' | 'document' | undefined;
  let held: Line | undefined;
  let count = 0;
  const document: Uint8Array[] = [];
  // The bytes of the document so far, newlines and the blank lines before it included.
  let documentSize = 0;
  for await (const line of linesOf(readChunks(chunks, what), limit)) {
    if (mode === undefined && line.blank) documentSize += line.length + 1;
    else if (mode === undefined) {
      if (line.bytes === undefined) throw tooLarge();
      mode = closes(line.bytes) ? 'lines' : 'document';
      if (mode === 'document') {
        if (documentSize > limit) throw tooLarge();
        // The blank lines before the document, as newlines alone, so that its lines keep their numbers.
        document.push(new Uint8Array(line.number - 1).fill(0x0a));
      }
    }
    if (mode === 'document') {
      documentSize += line.length + 1;
      if (line.bytes === undefined || documentSize > limit) throw tooLarge();
      document.push(line.bytes, NEWLINE);
    } else if (mode === 'lines' && !line.blank) {
      if (count++ === 0 && loneLine) held = line;
      else {
        if (held) yield queryOf(held, true, limit);
        held = undefined;
        yield queryOf(line, true, limit);
      }
    }
  }
  if (held) yield queryOf(held, false, limit);
  else if (mode === 'document') {
    const bytes = Buffer.concat(document);
    yield queryOf({ number: 1, length: bytes.length, bytes, blank: false }, false, limit);
  } else if (mode === undefined) throw new UsageError(`${what} holds no query`);
}

/**
 * The query input `--query` names, opened: a file that cannot be read is said so before the policy is loaded.
 * `loneLine`: whether one line alone is one document (see {@link readQueries}): in a file named `.json`.
 */
async function openQueries(
  ctx: Context,
  file: string,
): Promise<{
  what: string;
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  loneLine: boolean;
  close(): Promise<void>;
}> {
  if (file === '-')
    return { what: 'standard input', chunks: ctx.io.stdin?.() ?? [], loneLine: false, close: async () => {} };
  const what = `the query file \`${file}\``;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file);
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
  } catch (error) {
    await handle?.close();
    throw new UsageError(`cannot read ${what}: ${ioReason(error)}`);
  }
  const opened = handle;
  return {
    what,
    chunks: opened.createReadStream(),
    loneLine: file.toLowerCase().endsWith('.json'),
    close: () => opened.close(),
  };
}

/**
 * The answer to one query as printed: JSON (one line, its line number first, in a batch) or text (under a header
 * with its line, in a batch). The only place the CLI asks the runtime for counterfactuals and an explanation.
 */
function answerOf(
  engine: Engine,
  input: QueryInput,
  decision: Decision,
  format: string,
  explaining: boolean,
) {
  const search = explaining && decision.errors.length === 0 ? engine.counterfactuals(input.value) : undefined;
  if (format === 'text') {
    const text = explain(decision, search);
    return input.batch ? `# query on line ${input.line}\n${text}\n` : text;
  }
  const output = search
    ? { ...decision, counterfactuals: search, explanation: explain(decision, search) }
    : decision;
  return input.batch
    ? `${JSON.stringify({ line: input.line, ...output })}\n`
    : `${JSON.stringify(output, null, 2)}\n`;
}

/**
 * `tenet decide` and `tenet explain`: answers each query, in order, as it is read, with the one policy named. One
 * query (a document) gives one answer; JSON Lines give JSON Lines, each answer with its line, however many lines
 * (see {@link readQueries}). A query that is invalid is answered by a deny carrying its errors, told on standard
 * error, and makes the exit status 2.
 */
export async function decideCommand(ctx: Context, args: string[], explaining: boolean): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    { query: { type: 'string', short: 'q' }, ...FORMAT_OPTION, ...LOAD_OPTIONS },
    1,
  );
  const command = explaining ? 'explain' : 'decide';
  const [file] = policyFiles(
    positionals,
    1,
    // A second file and no `--query`: most likely the query, written without its option.
    values.query === undefined && positionals.length === 2
      ? `if it is the query, give it with \`--query ${positionals[1]}\``
      : `run \`tenet ${command}\` once for each policy`,
  );
  const formatName = explaining
    ? formatOf(values.format, ['text', 'json'], 'text')
    : formatOf(values.format, ['json', 'text'], 'json');
  if (!values.query)
    throw new UsageError('give the query with `--query <file>` (or `--query -` for standard input)');
  const input = await openQueries(ctx, values.query);
  try {
    const loaded = await loadPolicy(ctx, file, loadOptionsOf(values));
    if (!loaded) return 1;
    const engine: Engine = loaded.engine;
    let status: ExitStatus = 0;
    for await (const query of readQueries(input.chunks, input.what, input.loneLine)) {
      const decision =
        query.error !== undefined
          ? engine.refuse([{ code: 'invalid-json', path: '', message: query.error }])
          : engine.decide(query.value);
      if (decision.errors.length > 0) {
        status = 2;
        const where = query.batch ? `query on line ${query.line}` : 'query';
        for (const e of decision.errors) ctx.io.stderr(`tenet: invalid ${where}: ${e.message}\n`);
      }
      ctx.io.stdout(answerOf(engine, query, decision, formatName, explaining));
      // Back-pressure: the next line is read once the reader of the answers has caught up.
      await ctx.io.drained?.();
    }
    return status;
  } finally {
    await input.close();
  }
}
