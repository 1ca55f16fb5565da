import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
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
  /** Present when loaded from a policy source, not from an artifact. */
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

/** A policy loaded from its source: checked, with its examples and what checking and compiling found. */
export type LoadedSource = LoadedPolicy &
  Required<Pick<LoadedPolicy, 'checked' | 'examples' | 'diagnostics'>>;

/**
 * The files a command reads, of those named (at least `count`, which `options` has made sure of): exactly `count`;
 * any more is a usage error naming them and saying what to do (`instead`).
 *
 * @example
 * const [file] = policyFiles(positionals, 1, 'run `tenet graph <policy>` once for each');
 * // tenet graph a.policy b.policy: "one policy at a time, not also `b.policy`: run `tenet graph <policy>` once for each"
 */
export function policyFiles<N extends 1 | 2>(
  files: readonly string[],
  count: N,
  instead: string,
): N extends 1 ? [string] : [string, string] {
  const extra = files.slice(count);
  if (extra.length === 0) return files.slice(0, count) as N extends 1 ? [string] : [string, string];
  const shown = extra.slice(0, 3).map((f) => `\`${f}\``);
  const named =
    extra.length > 3
      ? `${shown.join(', ')} and ${extra.length - 3} more`
      : shown.length > 1
        ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`
        : (shown[0] as string);
  throw new UsageError(
    `${count === 1 ? 'one policy' : 'two policies'} at a time, not also ${named}: ${instead}`,
  );
}

/** JSON's whitespace (space, tab, LF, CR): what may come before the `{` of an artifact. */
const isJsonSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** What a file named as a policy holds, as its first bytes tell (see {@link contentOf}). */
type Content =
  | { kind: 'artifact'; bytes: Uint8Array }
  | { kind: 'source' }
  | { kind: 'unreadable'; reason: string };

/**
 * What a file named as a policy holds, told by its content, never its name: a compiled artifact when its first byte
 * after a UTF-8 byte-order mark and JSON whitespace is `{` (a policy never begins with `{`: it begins with a
 * declaration's keyword or a comment), and then its bytes, read on in the same pass (so a pipe works too); anything
 * else is a policy source, for the policy host to read, of which only the bytes up to the first that is not
 * whitespace are read here.
 */
function contentOf(file: string): Content {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    return { kind: 'unreadable', reason: ioReason(error) };
  }
  try {
    const read: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const chunk = Buffer.alloc(4096);
      // `null`: from where the last read ended, so that `readFileSync(fd)` goes on from there.
      const length = readSync(fd, chunk, 0, chunk.length, null);
      if (length === 0) return { kind: 'source' };
      read.push(chunk.subarray(0, length));
      let at = 0;
      if (offset === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) at = 3;
      while (at < length && isJsonSpace(chunk[at] as number)) at++;
      offset += length;
      if (at === length) continue;
      if (chunk[at] !== 0x7b) return { kind: 'source' };
      return { kind: 'artifact', bytes: Buffer.concat([...read, readFileSync(fd)]) };
    }
  } catch (error) {
    return { kind: 'unreadable', reason: ioReason(error) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads a compiled artifact from its bytes: parsed as strict JSON (a duplicate key or bytes that are not UTF-8 are
 * refused), its hash checked against its content and, with a public key, its signature (see `loadEngine`).
 */
async function loadArtifact(ctx: Context, file: string, bytes: Uint8Array, publicKey: string | undefined) {
  const refuse = (why: string) => {
    ctx.io.stderr(`tenet: cannot use \`${file}\`: ${why}\n`);
    return undefined;
  };
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
 * Says why `file` cannot be read, and returns true, unless it can be or is named `.policy`: a `.policy` file that
 * cannot be read is left to the checker, which says so as `tenet check` does (and refuses one outside the root).
 */
function saidUnreadable(ctx: Context, file: string, content: Content): boolean {
  if (content.kind !== 'unreadable' || file.endsWith('.policy')) return false;
  ctx.io.stderr(`tenet: cannot read \`${file}\`: ${content.reason}\n`);
  return true;
}

/**
 * Loads a policy source (checking and compiling it, its imports confined to `options.root`, see {@link policyHost})
 * or a compiled artifact (see {@link loadArtifact}), told apart by content (see {@link contentOf}): an artifact
 * may have any name. Problems are printed; the result is undefined when there is nothing to decide with. An
 * artifact loads only the runtime: the language and the compiler are loaded for a source alone, so deciding from
 * an artifact starts as fast as the runtime can.
 */
export async function loadPolicy(
  ctx: Context,
  file: string,
  options: LoadOptions = {},
): Promise<LoadedPolicy | undefined> {
  const content = contentOf(file);
  if (content.kind === 'artifact') return loadArtifact(ctx, file, content.bytes, options.publicKey);
  if (saidUnreadable(ctx, file, content)) return undefined;
  if (options.publicKey !== undefined)
    throw new UsageError(
      `\`--key\` checks the signature of a compiled artifact, and \`${file}\` is a policy source: compile and sign it first`,
    );
  return compileSource(ctx, file, options);
}

/**
 * Loads policy sources as {@link loadPolicy} does, for a command that needs the sources themselves (to compare, to
 * test, to render): a compiled artifact among them, whatever its name, is a usage error saying what to do
 * (`instead`), before any is compiled. Each is loaded, and its problems printed; the result is undefined when any
 * has problems.
 *
 * @example
 * const loaded = await loadSources(ctx, ['a.policy', 'b.policy'], {}, 'compare the sources');
 */
export async function loadSources(
  ctx: Context,
  files: readonly string[],
  options: { root?: string | undefined },
  instead: string,
): Promise<LoadedSource[] | undefined> {
  const contents = files.map(contentOf);
  files.forEach((file, i) => {
    if (contents[i]?.kind === 'artifact')
      throw new UsageError(`\`${file}\` is a compiled artifact, not a policy source: ${instead}`);
  });
  const loaded: (LoadedSource | undefined)[] = [];
  for (const [i, file] of files.entries()) {
    const content = contents[i] as Content;
    loaded.push(saidUnreadable(ctx, file, content) ? undefined : await compileSource(ctx, file, options));
  }
  return loaded.every((l) => l !== undefined) ? loaded : undefined;
}

/** Checks and compiles a policy source, printing what is wrong (see {@link loadPolicy}). */
async function compileSource(
  ctx: Context,
  file: string,
  options: { root?: string | undefined },
): Promise<LoadedSource | undefined> {
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
