import { writeFileSync } from 'node:fs';
import { toDot } from '@tenet/compiler';
import { type Artifact, ArtifactError, artifactProblems, signArtifact } from '@tenet/runtime';
import { type Context, type ExitStatus, ioReason, options, UsageError } from '../context.js';
import { LOAD_OPTIONS, loadOptionsOf, loadPolicy, readKey } from '../load.js';

/**
 * `tenet compile <policy> -o <artifact.json> [--sign <private-key.pem>] [--root <dir>]`: the artifact the runtime
 * loads, signed with an Ed25519 private key when one is given.
 */
export async function compileCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    { output: { type: 'string', short: 'o' }, sign: { type: 'string' }, root: LOAD_OPTIONS.root },
    1,
  );
  if (!values.output) throw new UsageError('name the artifact to write with `-o <file.json>`');
  const privateKey = values.sign === undefined ? undefined : readKey(values.sign);
  const loaded = await loadPolicy(ctx, positionals[0] as string, { root: values.root });
  if (!loaded) return 1;
  // What the runtime will check when it loads the artifact, checked before it is written.
  const problems = artifactProblems(loaded.artifact);
  if (problems.length > 0) {
    ctx.io.stderr(
      `tenet compile: the compiler wrote an artifact the runtime refuses (a bug): ${problems.join('; ')}\n`,
    );
    return 1;
  }
  let artifact: Artifact = loaded.artifact;
  if (privateKey !== undefined) {
    try {
      artifact = await signArtifact(artifact, privateKey);
    } catch (error) {
      if (!(error instanceof ArtifactError)) throw error;
      ctx.io.stderr(`tenet compile: cannot sign with \`${values.sign}\`: ${error.message}\n`);
      return 1;
    }
  }
  const text = `${JSON.stringify(artifact)}\n`;
  try {
    writeFileSync(values.output, text);
  } catch (error) {
    ctx.io.stderr(`tenet compile: cannot write \`${values.output}\`: ${ioReason(error)}\n`);
    return 1;
  }
  const { graph, atoms, rules, signature } = artifact;
  ctx.io.stdout(
    `${values.output}: ${rules.length} rules, ${atoms.length} atoms, ${graph.nodes.length} nodes, ${graph.found.length} found steps, ${text.length} bytes${signature ? `, signed with key ${signature.key}` : ''}\n`,
  );
  return 0;
}

/** `tenet graph <policy|artifact>`: the decision graph in Graphviz dot, for inspection. */
export async function graphCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(args, LOAD_OPTIONS, 1);
  const loaded = await loadPolicy(ctx, positionals[0] as string, loadOptionsOf(values));
  if (!loaded) return 1;
  ctx.io.stdout(toDot(loaded.artifact));
  return 0;
}
