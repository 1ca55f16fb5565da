import { createHash } from 'node:crypto';
import type { Artifact } from '@tenet/runtime';

/**
 * The SHA-256 of an artifact's content, the `hash` field aside. A module of its own, so that a tool checking an
 * artifact's hash (`@tenet/compiler/hash`) loads nothing of the compiler.
 */
export function artifactHash(artifact: Omit<Artifact, 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...artifact, hash: undefined }))
    .digest('hex');
}
