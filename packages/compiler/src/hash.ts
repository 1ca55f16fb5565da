import { createHash } from 'node:crypto';
import { type Artifact, hashedContent } from '@tenet/runtime';

/**
 * The SHA-256 of an artifact's content: the canonical JSON (RFC 8785) of everything but its `hash` and
 * `signature`, as the runtime defines it (`hashedContent`), which checks it with Web Crypto when it loads one.
 */
export function artifactHash(artifact: Omit<Artifact, 'hash'>): string {
  return createHash('sha256').update(hashedContent(artifact)).digest('hex');
}
