import { type Artifact, hashedContent, sha256 } from '@tenet/runtime';

/**
 * The SHA-256 of an artifact's content: the canonical JSON (RFC 8785) of everything but its `hash` and
 * `signature`, as the runtime defines it (`hashedContent`), which checks it with Web Crypto when it loads one.
 * Computed with the runtime's own `sha256`, in plain JavaScript, so that the compiler runs in a browser too.
 */
export function artifactHash(artifact: Omit<Artifact, 'hash'>): string {
  return sha256(hashedContent(artifact));
}
