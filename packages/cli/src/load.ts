import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import type { CompileOptions, ExampleCase } from '@tenet/compiler';
import type { CheckedPolicy, Diagnostic } from '@tenet/language';
import {
  type Artifact,
  ArtifactError,
  createEngine,
  type Engine,
  loadEngine,
  parseJson,
} from '@tenet/runtime';
import { type Context, ioReason, UsageError } from './context.js';
import { policyHost } from './host.js';

/** A policy checked and compiled, ready to decide. */
export interface LoadedPolicy {
  artifact: Artifact;
  engine: Engine;
  /** Present when loaded from a `.policy` source, not from an artifact. */
  checked?: CheckedPolicy;
  examples?: ExampleCase[];
  /** What checking and compiling a source found (warnings only, since it compiled). */
  diagnostics?: Diagnostic[];
}

/** How {@link loadPolicy} reads a policy. */
export interface LoadOptions {
  /** The folder a `.policy` and its imports must be in (`--root`); by default see {@link policyHost}. */
  root?: string | undefined;
  /**
   * The PEM text of the Ed25519 public key a compiled artifact must be signed by (`--key`): an artifact not signed
   * by it is refused.
   */
  publicKey?: string | undefined;
}

/**
 * How large a decision graph this process can build: half the heap it has left, so that no policy, however its
 * rules combine, runs it out of memory (a policy past even that is refused as `too-complex`).
 */
export function compileOptions(): CompileOptions {
  const heap = getHeapStatistics();
  return { memory: (heap.heap_size_limit - heap.used_heap_size) / 2 };
}

/** The options of every command that loads a policy or an artifact to decide with: `--root` and `--key`. */
export const LOAD_OPTIONS = { root: { type: 'string' }, key: { type: 'string' } } as const;

/** What `--root` and `--key` ask of {@link loadPolicy}; the key file is read here (a usage error if it cannot be). */
export function loadOptionsOf(values: { root?: string | undefined; key?: string | undefined }): LoadOptions {
  return { root: values.root, publicKey: values.key === undefined ? undefined : readKey(values.key) };
}

/** Reads the text of a key file named on the command line (`--key`, `--sign`); a file that cannot be read is a usage error. */
export function readKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the key file \`${file}\`: ${ioReason(error)}`);
  }
}

/**
 * Loads a compiled artifact (`.json`): parsed as strict JSON (a duplicate key or bytes that are not UTF-8 are
 * refused), its hash checked against its content and, with a public key, its signature (see `loadEngine`).
 */
async function loadArtifact(ctx: Context, file: string, publicKey: string | undefined) {
  const refuse = (why: string) => {
    ctx.io.stderr(`tenet: cannot use \`${file}\`: ${why}\n`);
    return undefined;
  };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    ctx.io.stderr(`tenet: cannot read \`${file}\`: ${ioReason(error)}\n`);
    return undefined;
  }
  const parsed = parseJson(bytes);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    return refuse(`it is not valid JSON at line ${line}, column ${column}: ${message}`);
  }
  try {
    const engine = await loadEngine(parsed.value, publicKey === undefined ? {} : { publicKey });
    return { artifact: engine.artifact, engine };
  } catch (error) {
    if (error instanceof ArtifactError) return refuse(error.message);
    throw error;
  }
}

/**
 * Loads a `.policy` (checking and compiling it, its imports confined to `options.root`, see {@link policyHost}) or
 * a compiled artifact (`.json`, see {@link loadArtifact}). Problems are printed; the result is undefined when
 * there is nothing to decide with. An artifact loads only the runtime: the language and the compiler are loaded
 * for a source alone, so deciding from an artifact starts as fast as the runtime can.
 */
export async function loadPolicy(
  ctx: Context,
  file: string,
  options: LoadOptions = {},
): Promise<LoadedPolicy | undefined> {
  if (file.endsWith('.json')) return loadArtifact(ctx, file, options.publicKey);
  if (options.publicKey !== undefined)
    throw new UsageError(
      '`--key` checks the signature of a compiled artifact (a `.json` file): compile and sign the policy first',
    );
  const [{ checkPolicy, hasErrors }, { compile, examplesOf }, { printDiagnostics, reporterOf, visible }] =
    await Promise.all([import('@tenet/language'), import('@tenet/compiler'), import('./report.js')]);
  // Where a person watches, a line says which stage a large policy is in; it is cleared before anything is said.
  ctx.io.progress?.(`${visible(file)}: checking…`);
  const checked = checkPolicy(file, policyHost(file, options));
  if (!hasErrors(checked.diagnostics)) ctx.io.progress?.(`${visible(file)}: compiling…`);
  const compiled = hasErrors(checked.diagnostics) ? undefined : compile(checked.value, compileOptions());
  ctx.io.progress?.('');
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
    diagnostics,
  };
}
