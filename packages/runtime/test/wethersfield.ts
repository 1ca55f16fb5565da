import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../compiler/src/index.js';
import { checkPolicy, type SourceHost } from '../../language/src/index.js';
import { type Artifact, createEngine, type Engine } from '../src/index.js';

/** The repository's root directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The Wethersfield policy's entry file. */
export const policyFile = path.join(repoRoot, 'policies', 'wethersfield', 'confidentiality.policy');

/** Reads policy files from disk; imports are relative to the importing file. */
const host: SourceHost = {
  read: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
  resolve: (from, p) => path.join(path.dirname(from), p),
};

/** Checks and compiles the Wethersfield policy; throws with the diagnostics when it does not compile. */
function compileWethersfield(): Artifact {
  const checked = checkPolicy(policyFile, host);
  const compiled = compile(checked.value);
  const errors = [...checked.diagnostics, ...compiled.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length > 0 || !compiled.value) {
    throw new Error(`the Wethersfield policy does not compile:\n${errors.map((d) => d.message).join('\n')}`);
  }
  return compiled.value;
}

let cached: Engine | undefined;

/** The engine for the Wethersfield policy, compiled once per test file. */
export function wethersfield(): Engine {
  cached ??= createEngine(compileWethersfield());
  return cached;
}

/** A query of the sample queries in `policies/wethersfield/queries`, parsed. */
export function sampleQuery(name: string): unknown {
  return JSON.parse(
    readFileSync(path.join(repoRoot, 'policies', 'wethersfield', 'queries', `${name}.json`), 'utf8'),
  );
}
