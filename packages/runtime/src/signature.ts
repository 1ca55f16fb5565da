import type { Artifact, ArtifactSignature } from './artifact.js';
import { readArtifact } from './artifact-check.js';
import { canonicalJson } from './canonical.js';
import { ArtifactError, type Engine, type EngineOptions, engineOf } from './engine.js';

/** Web Crypto, as far as the runtime uses it: in Node 20+ and every current browser, as `globalThis.crypto`. */
interface Subtle {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    format: 'spki' | 'pkcs8' | 'jwk',
    key: Uint8Array | object,
    algorithm: { name: 'Ed25519' },
    extractable: boolean,
    usages: ('sign' | 'verify')[],
  ): Promise<unknown>;
  exportKey(format: 'spki', key: unknown): Promise<ArrayBuffer>;
  exportKey(format: 'jwk', key: unknown): Promise<{ x?: string }>;
  sign(algorithm: { name: 'Ed25519' }, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
  verify(
    algorithm: { name: 'Ed25519' },
    key: unknown,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
}

declare const btoa: (text: string) => string;
declare const atob: (text: string) => string;
declare class TextEncoder {
  encode(text: string): Uint8Array;
}

const ED25519 = { name: 'Ed25519' } as const;

function subtle(): Subtle {
  const found = (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
  if (!found)
    throw new ArtifactError(
      'this JavaScript engine has no Web Crypto (`crypto.subtle`) to check a hash or signature with',
    );
  return found;
}

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
function unbase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** What an artifact's hash is taken over: the canonical JSON (RFC 8785) of everything but its hash and signature. */
export function hashedContent(artifact: Omit<Artifact, 'hash'> & { hash?: string }): string {
  return canonicalJson({ ...artifact, hash: undefined, signature: undefined });
}

/** The SHA-256 of an artifact's {@link hashedContent}, hex: what its `hash` must be. */
export async function artifactDigest(artifact: Omit<Artifact, 'hash'> & { hash?: string }): Promise<string> {
  return hex(await subtle().digest('SHA-256', new TextEncoder().encode(hashedContent(artifact))));
}

/**
 * What a signature signs: the artifact's format and hash, so that a signature vouches for exactly one content, and
 * cannot be taken for a signature of anything else the key signs.
 */
export function signedMessage(artifact: Pick<Artifact, 'format' | 'hash'>): Uint8Array {
  return new TextEncoder().encode(`${artifact.format} signature\nsha256:${artifact.hash}`);
}

/** A key as the loader accepts it: PEM text (`-----BEGIN PUBLIC KEY-----`, or a private key to sign), or a JWK. */
export type KeyInput = string | { kty: 'OKP'; crv: 'Ed25519'; x: string; d?: string };

/** Imports a key: a public key to verify with, or a private key to sign with (extractable, for its public half). */
async function importKey(key: KeyInput, use: 'sign' | 'verify'): Promise<unknown> {
  const crypto = subtle();
  if (typeof key !== 'string') return crypto.importKey('jwk', key, ED25519, true, [use]);
  const pem = /-----BEGIN (PUBLIC|PRIVATE) KEY-----([A-Za-z0-9+/=\s]+)-----END \1 KEY-----/.exec(key);
  const wanted = use === 'verify' ? 'PUBLIC' : 'PRIVATE';
  if (!pem || pem[1] !== wanted)
    throw new ArtifactError(
      `the key is not an Ed25519 ${wanted.toLowerCase()} key in PEM form (\`-----BEGIN ${wanted} KEY-----\`)`,
    );
  const der = unbase64((pem[2] as string).replace(/\s+/g, ''));
  try {
    return await crypto.importKey(use === 'verify' ? 'spki' : 'pkcs8', der, ED25519, true, [use]);
  } catch {
    throw new ArtifactError(`the key is not an Ed25519 ${wanted.toLowerCase()} key`);
  }
}

/** A public key's id: the first 16 hex digits of the SHA-256 of its SPKI form. */
async function keyId(publicKey: unknown): Promise<string> {
  const crypto = subtle();
  return hex(await crypto.digest('SHA-256', new Uint8Array(await crypto.exportKey('spki', publicKey)))).slice(
    0,
    16,
  );
}

/**
 * Signs an artifact with an Ed25519 private key: the artifact as it was, with its `signature` (see
 * {@link signedMessage}), naming the key by the id of its public half.
 *
 * @throws {ArtifactError} when the artifact's hash is not its content's, or the key is not an Ed25519 private key.
 */
export async function signArtifact(artifact: Artifact, privateKey: KeyInput): Promise<Artifact> {
  if ((await artifactDigest(artifact)) !== artifact.hash)
    throw new ArtifactError(
      'the artifact’s hash is not the hash of its content: it was changed after it was compiled',
    );
  const crypto = subtle();
  const signing = await importKey(privateKey, 'sign');
  const { x } = await crypto.exportKey('jwk', signing);
  const verifying = await importKey({ kty: 'OKP', crv: 'Ed25519', x: x ?? '' }, 'verify');
  const value = base64(await crypto.sign(ED25519, signing, signedMessage(artifact)));
  const signature: ArtifactSignature = { algorithm: 'Ed25519', key: await keyId(verifying), value };
  return { ...artifact, signature };
}

/**
 * Loads an artifact as `createEngine` does, after checking that its hash is its content's and, when a
 * `publicKey` is given, that it is signed by that key. An unsigned artifact, one signed by another key, and one
 * whose signature does not verify are refused: with a key, only what its holder signed is ever decided with.
 *
 * @throws {ArtifactError} (the promise rejects) when the artifact cannot be loaded, or is not signed as required.
 * @example
 * const engine = await loadEngine(JSON.parse(text), { publicKey: readFileSync('tenet.pub', 'utf8') });
 */
export async function loadEngine(
  input: unknown,
  options: EngineOptions & { publicKey?: KeyInput } = {},
): Promise<Engine> {
  // The copy that is checked is the one that is hashed, verified and decided with.
  const read = readArtifact(input);
  if ('problems' in read)
    throw new ArtifactError(`not an artifact this runtime can load: ${read.problems.join('; ')}`);
  const artifact = read.artifact;
  if ((await artifactDigest(artifact)) !== artifact.hash)
    throw new ArtifactError(
      'the artifact has been changed since it was compiled (its hash is not the hash of its content): compile it again',
    );
  let publicKey: KeyInput | undefined;
  try {
    publicKey = Object.hasOwn(options, 'publicKey') ? options.publicKey : undefined;
  } catch {
    throw new ArtifactError('the options could not be read');
  }
  if (publicKey !== undefined) {
    const signature = artifact.signature;
    if (!signature) throw new ArtifactError('the artifact is not signed, and a signed one is required');
    const key = await importKey(publicKey, 'verify');
    const id = await keyId(key);
    if (signature.key !== id)
      throw new ArtifactError(`the artifact is signed by key ${signature.key}, not by the key given (${id})`);
    let valid = false;
    try {
      valid = await subtle().verify(ED25519, key, unbase64(signature.value), signedMessage(artifact));
    } catch {
      valid = false;
    }
    if (!valid)
      throw new ArtifactError(
        'the artifact’s signature does not verify: it was not signed by this key as it is',
      );
  }
  return engineOf(artifact, options);
}
