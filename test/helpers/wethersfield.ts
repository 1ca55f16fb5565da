import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compile, lower } from '../../packages/compiler/src/index.js';
import {
  type CheckedPolicy,
  checkPolicy,
  hasErrors,
  type SourceHost,
} from '../../packages/language/src/index.js';
import type { Artifact } from '../../packages/runtime/src/index.js';

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

/** Policy files on disk; imports relative to the importing file. */
export const diskHost: SourceHost = {
  read: (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  resolve: (from, target) => path.join(path.dirname(from), target),
};

/** A policy from `policies/`, checked and compiled; throws if it has errors (a test's own setup). */
export function compiled(relative: string): { checked: CheckedPolicy; artifact: Artifact } {
  const checked = checkPolicy(path.join(repositoryRoot, relative), diskHost);
  const result = hasErrors(checked.diagnostics) ? undefined : compile(checked.value).value;
  if (!result) throw new Error(`${relative} does not compile: ${JSON.stringify(checked.diagnostics)}`);
  return { checked: checked.value, artifact: result };
}

export { lower };
