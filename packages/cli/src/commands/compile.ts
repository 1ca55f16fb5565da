import { writeFileSync } from 'node:fs';
import { toDot } from '@tenet/compiler';
import { type Artifact, ArtifactError, artifactProblems, signArtifact } from '@tenet/runtime';
import { type Context, type ExitStatus, ioReason, options, UsageError } from '../context.js';
import { LOAD_OPTIONS, loadOptionsOf, loadPolicy, policyFiles, readKey } from '../load.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * `tenet compile <policy> -o <artifact.json|-> [--sign <private-key.pem>] [--root <dir>]`: the artifact the runtime
 * loads, signed with an Ed25519 private key when one is given, written to a file or (`-o -`) to standard output. What
 * it holds is said on standard output, or with `-o -` on standard error, its size in bytes of UTF-8.
 */
export async function compileCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    { output: { type: 'string', short: 'o' }, sign: { type: 'string' }, root: LOAD_OPTIONS.root },
    1,
  );
  const [file] = policyFiles(positionals, 1, 'run `tenet compile <policy> -o <file>` once for each');
  if (!values.output)
    throw new UsageError('name the artifact to write with `-o <file.json>` (or `-o -` for standard output)');
  const privateKey = values.sign === undefined ? undefined : readKey(values.sign);
  const loaded = await loadPolicy(ctx, file, { root: values.root });
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
  const toStandardOutput = values.output === '-';
  if (toStandardOutput) ctx.io.stdout(text);
  else {
    try {
      writeFileSync(values.output, text);
    } catch (error) {
      ctx.io.stderr(`tenet compile: cannot write \`${values.output}\`: ${ioReason(error)}\n`);
      return 1;
    }
  }
  const { graph, atoms, rules, signature } = artifact;
  const written = toStandardOutput ? 'standard output' : values.output;
  const holds = [
    plural(rules.length, 'rule'),
    plural(atoms.length, 'atom'),
    plural(graph.nodes.length, 'node'),
    plural(graph.found.length, 'found step'),
    plural(Buffer.byteLength(text), 'byte'),
  ];
  const summary = `${written}: ${holds.join(', ')}${signature ? `, signed with key ${signature.key}` : ''}\n`;
  // With `-o -`, standard output is the artifact alone: what it holds is said beside it, on standard error.
  if (toStandardOutput) ctx.io.stderr(summary);
  else ctx.io.stdout(summary);
  return 0;
}

/** `tenet graph <policy|artifact>`: the decision graph of the one policy named, in Graphviz dot, for inspection. */
export async function graphCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(args, LOAD_OPTIONS, 1);
  const [file] = policyFiles(positionals, 1, 'run `tenet graph <policy>` once for each');
  const loaded = await loadPolicy(ctx, file, loadOptionsOf(values));
  if (!loaded) return 1;
  ctx.io.stdout(toDot(loaded.artifact));
  return 0;
}
