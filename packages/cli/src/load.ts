import type { ExampleCase } from '@tenet/compiler';
import { artifactHash } from '@tenet/compiler/hash';
import type { CheckedPolicy } from '@tenet/language';
import { type Artifact, ArtifactError, createEngine, type Engine } from '@tenet/runtime';
import type { Context } from './context.js';
import { fileHost, policyHost } from './host.js';

/** A policy checked and compiled, ready to decide. */
export interface LoadedPolicy {
  artifact: Artifact;
  engine: Engine;
  /** Present when loaded from a `.policy` source, not from an artifact. */
  checked?: CheckedPolicy;
  examples?: ExampleCase[];
}

/** How {@link loadPolicy} reads a `.policy` source. */
export interface LoadOptions {
  /** The folder the policy and its imports must be in (`--root`); by default the folder of `file`. */
  root?: string | undefined;
}

/**
 * Loads a `.policy` (checking and compiling it, its imports confined to `options.root`, see {@link policyHost}) or
 * a compiled artifact (`.json`). Problems are printed; the result is undefined when there is nothing to decide
 * with. An artifact loads only the runtime: the language and the compiler are loaded for a source alone, so
 * deciding from an artifact starts as fast as the runtime can.
 */
export async function loadPolicy(
  ctx: Context,
  file: string,
  options: LoadOptions = {},
): Promise<LoadedPolicy | undefined> {
  if (file.endsWith('.json')) {
    const text = fileHost.read(file);
    if (text === undefined) {
      ctx.io.stderr(`tenet: cannot read \`${file}\`\n`);
      return undefined;
    }
    try {
      const artifact = JSON.parse(text) as Artifact;
      const engine = createEngine(artifact);
      const { hash, ...content } = engine.artifact;
      if (artifactHash(content) !== hash) {
        ctx.io.stderr(
          `tenet: \`${file}\` has been changed since it was compiled (its hash does not match); compile it again\n`,
        );
        return undefined;
      }
      return { artifact: engine.artifact, engine };
    } catch (error) {
      const why =
        error instanceof ArtifactError || error instanceof SyntaxError ? error.message : String(error);
      ctx.io.stderr(`tenet: \`${file}\` is not a compiled policy: ${why}\n`);
      return undefined;
    }
  }
  const [{ checkPolicy, hasErrors }, { compile, examplesOf }, { printDiagnostics, reporterOf, visible }] =
    await Promise.all([import('@tenet/language'), import('@tenet/compiler'), import('./report.js')]);
  const checked = checkPolicy(file, policyHost(file, options));
  const compiled = hasErrors(checked.diagnostics) ? undefined : compile(checked.value);
  const diagnostics = [...checked.diagnostics, ...(compiled?.diagnostics ?? [])];
  const problems = diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0 || !compiled?.value) {
    printDiagnostics(ctx, problems);
    ctx.io.stderr(`${visible(file)}: not compiled: ${reporterOf(ctx).summary(problems)}\n`);
    return undefined;
  }
  const artifact = compiled.value;
  let engine: Engine | undefined;
  return {
    artifact,
    // Made when first asked for: `tenet compile` never needs one.
    get engine() {
      engine ??= createEngine(artifact);
      return engine;
    },
    checked: checked.value,
    examples: examplesOf(checked.value),
  };
}
