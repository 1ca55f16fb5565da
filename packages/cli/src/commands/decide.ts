import { type Decision, type Engine, explain } from '@tenet/runtime';
import { type Context, type ExitStatus, options, UsageError } from '../context.js';
import { fileHost } from '../host.js';
import { loadPolicy } from '../load.js';

/** The queries in a text: one JSON value, or JSON Lines (one query a line, blank lines skipped). */
interface Input {
  line: number;
  query?: unknown;
  error?: string;
}

function queries(text: string): Input[] {
  try {
    return [{ line: 1, query: JSON.parse(text) as unknown }];
  } catch {
    return text.split(/\r?\n/).flatMap((line, i): Input[] => {
      if (line.trim() === '') return [];
      try {
        return [{ line: i + 1, query: JSON.parse(line) as unknown }];
      } catch {
        // JSON.parse's message quotes the input, which may be personal data: say only where.
        return [{ line: i + 1, error: 'it is not valid JSON' }];
      }
    });
  }
}

/**
 * `tenet decide` and `tenet explain`: answers each query, in order. One query gives one answer; JSON Lines give
 * JSON Lines. A query that is invalid is answered by a deny carrying its errors, told on standard error, and makes
 * the exit status 2.
 */
export async function decideCommand(ctx: Context, args: string[], explaining: boolean): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    { query: { type: 'string', short: 'q' }, format: { type: 'string' } },
    1,
  );
  const formatName = values.format ?? (explaining ? 'text' : 'json');
  if (formatName !== 'json' && formatName !== 'text')
    throw new UsageError(`--format is json or text, not \`${formatName}\``);
  if (!values.query)
    throw new UsageError('give the query with `--query <file>` (or `--query -` for standard input)');
  const text = values.query === '-' ? (ctx.io.stdin?.() ?? '') : fileHost.read(values.query);
  if (text === undefined) throw new UsageError(`cannot read the query file \`${values.query}\``);
  const loaded = await loadPolicy(ctx, positionals[0] as string);
  if (!loaded) return 1;
  const engine: Engine = loaded.engine;
  const batch = queries(text);
  if (batch.length === 0) throw new UsageError('the query file holds no query');
  let status: ExitStatus = 0;
  for (const { line, query, error } of batch) {
    const decision: Decision =
      error !== undefined
        ? engine.refuse([{ code: 'invalid-json', path: '', message: error }])
        : engine.decide(query);
    if (decision.errors.length > 0) {
      status = 2;
      const where = batch.length > 1 ? `query on line ${line}` : 'query';
      for (const e of decision.errors) ctx.io.stderr(`tenet: invalid ${where}: ${e.message}\n`);
    }
    const counterfactuals =
      explaining && decision.errors.length === 0 ? engine.counterfactuals(query) : undefined;
    if (formatName === 'text') {
      ctx.io.stdout(
        `${batch.length > 1 ? `# query on line ${line}\n` : ''}${explain(decision, counterfactuals)}${batch.length > 1 ? '\n' : ''}`,
      );
    } else {
      const output = counterfactuals
        ? { ...decision, counterfactuals, explanation: explain(decision, counterfactuals) }
        : decision;
      ctx.io.stdout(`${batch.length > 1 ? JSON.stringify(output) : JSON.stringify(output, null, 2)}\n`);
    }
  }
  return status;
}
