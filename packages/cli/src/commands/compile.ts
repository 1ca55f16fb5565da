import { writeFileSync } from 'node:fs';
import { toDot } from '@tenet/compiler';
import { artifactProblems } from '@tenet/runtime';
import { type Context, type ExitStatus, options, UsageError } from '../context.js';
import { loadPolicy } from '../load.js';

/** `tenet compile <policy> -o <artifact.json>`: the artifact the runtime loads. */
export async function compileCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(args, { output: { type: 'string', short: 'o' } }, 1);
  if (!values.output) throw new UsageError('name the artifact to write with `-o <file.json>`');
  const loaded = await loadPolicy(ctx, positionals[0] as string);
  if (!loaded) return 1;
  // What the runtime will check when it loads the artifact, checked before it is written.
  const problems = artifactProblems(loaded.artifact);
  if (problems.length > 0) {
    ctx.io.stderr(
      `tenet compile: the compiler wrote an artifact the runtime refuses (a bug): ${problems.join('; ')}\n`,
    );
    return 1;
  }
  const text = `${JSON.stringify(loaded.artifact)}\n`;
  writeFileSync(values.output, text);
  const { graph, atoms, rules } = loaded.artifact;
  ctx.io.stdout(
    `${values.output}: ${rules.length} rules, ${atoms.length} atoms, ${graph.nodes.length} nodes, ${graph.found.length} found steps, ${text.length} bytes\n`,
  );
  return 0;
}

/** `tenet graph <policy|artifact>`: the decision graph in Graphviz dot, for inspection. */
export async function graphCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals } = options(args, {}, 1);
  const loaded = await loadPolicy(ctx, positionals[0] as string);
  if (!loaded) return 1;
  ctx.io.stdout(toDot(loaded.artifact));
  return 0;
}
