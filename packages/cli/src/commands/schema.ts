import { writeFileSync } from 'node:fs';
import { querySchema, queryTypes } from '@tenet/runtime';
import {
  type Context,
  type ExitStatus,
  FORMAT_OPTION,
  formatOf,
  ioReason,
  options,
  UsageError,
} from '../context.js';
import { LOAD_OPTIONS, loadOptionsOf, loadPolicy, policyFiles } from '../load.js';

/** The formats `tenet schema` writes: a JSON Schema (draft 2020-12), or TypeScript declarations. */
const FORMATS = ['json-schema', 'ts'] as const;

/**
 * `tenet schema <policy|artifact> [--format json-schema|ts] [-o <file|->]`: what a query of the policy holds, as a
 * JSON Schema (the default) or as TypeScript types, written to standard output (also `-o -`) or to a file, which is
 * then named on standard output with its size in bytes of UTF-8. From a compiled artifact, only the runtime is
 * loaded.
 */
export async function schemaCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    { ...FORMAT_OPTION, output: { type: 'string', short: 'o' }, ...LOAD_OPTIONS },
    1,
  );
  const [file] = policyFiles(positionals, 1, 'run `tenet schema <policy>` once for each') as [string];
  const format = formatOf(values.format, FORMATS, 'json-schema');
  const output = values.output;
  if (output === '')
    throw new UsageError('name the file to write with `-o <file>`, or `-o -` for standard output');
  const loaded = await loadPolicy(ctx, file, loadOptionsOf(values));
  if (!loaded) return 1;
  const text =
    format === 'ts'
      ? queryTypes(loaded.artifact)
      : `${JSON.stringify(querySchema(loaded.artifact), null, 2)}\n`;
  if (output === undefined || output === '-') {
    ctx.io.stdout(text);
    return 0;
  }
  try {
    writeFileSync(output, text);
  } catch (error) {
    ctx.io.stderr(`tenet schema: cannot write \`${output}\`: ${ioReason(error)}\n`);
    return 1;
  }
  const what = format === 'ts' ? 'TypeScript types' : 'a JSON Schema';
  ctx.io.stdout(
    `${output}: ${what} of a query of “${loaded.artifact.policy.title}”, ${Buffer.byteLength(text)} bytes\n`,
  );
  return 0;
}
