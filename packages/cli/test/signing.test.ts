import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashedContent } from '../../runtime/src/index.js';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'packages/cli/dist/main.js');
const policy = 'policies/wethersfield/confidentiality.policy';
const reporter = 'policies/wethersfield/queries/reporter.json';

function tenet(args: string[]) {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), 'tenet-signing-'));
const at = (name: string) => path.join(dir, name);

/** An Ed25519 key pair written as PEM files (what `openssl genpkey -algorithm ed25519` writes), and its key id. */
function keyPair(name: string): { secret: string; pub: string; id: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(at(`${name}.key`), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(at(`${name}.pub`), publicKey.export({ type: 'spki', format: 'pem' }));
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    secret: at(`${name}.key`),
    pub: at(`${name}.pub`),
    id: createHash('sha256').update(der).digest('hex').slice(0, 16),
  };
}

const library = keyPair('library');
const stranger = keyPair('stranger');
const signed = at('signed.json');
const compiled = tenet(['compile', policy, '-o', signed, '--sign', library.secret]);

/** The signed artifact, changed by `change`, written to `name`. */
function altered(name: string, change: (artifact: Record<string, unknown>) => unknown): string {
  const artifact = JSON.parse(readFileSync(signed, 'utf8'));
  writeFileSync(at(name), JSON.stringify(change(artifact) ?? artifact));
  return at(name);
}

describe('signed artifacts', () => {
  it('compile --sign writes a signed artifact, which decide --key loads', () => {
    expect(compiled.status).toBe(0);
    expect(compiled.stdout).toMatch(new RegExp(`, signed with key ${library.id}\\n$`));
    const decided = tenet(['decide', signed, '--query', reporter, '--key', library.pub]);
    expect([decided.status, decided.stderr, JSON.parse(decided.stdout).decision]).toEqual([0, '', 'deny']);
  });

  it('refuses an artifact signed by another key, naming both keys', () => {
    expect(tenet(['decide', signed, '--query', reporter, '--key', stranger.pub])).toEqual({
      status: 1,
      stdout: '',
      stderr: `tenet: cannot use \`${signed}\`: the artifact is signed by key ${library.id}, not by the key given (${stranger.id})\n`,
    });
  });

  it('refuses an unsigned artifact when a key is given', () => {
    const unsigned = altered('unsigned.json', (a) => {
      delete a.signature;
    });
    expect(tenet(['decide', unsigned, '--query', reporter, '--key', library.pub])).toEqual({
      status: 1,
      stdout: '',
      stderr: `tenet: cannot use \`${unsigned}\`: the artifact is not signed, and a signed one is required\n`,
    });
  });

  it('refuses an artifact whose forbids were turned into permits and its hash recomputed, when a key is given', () => {
    const forged = altered('forged.json', (a) => {
      for (const rule of a.rules as { effect: string }[])
        if (rule.effect === 'forbid') rule.effect = 'permit';
      a.hash = createHash('sha256')
        .update(hashedContent(a as never))
        .digest('hex');
    });
    expect(tenet(['decide', forged, '--query', reporter, '--key', library.pub])).toEqual({
      status: 1,
      stdout: '',
      stderr: `tenet: cannot use \`${forged}\`: the artifact’s signature does not verify: it was not signed by this key as it is\n`,
    });
  });

  it('refuses an artifact changed without its hash, even without a key', () => {
    const changed = altered('changed.json', (a) => {
      (a.policy as { title: string }).title = 'Another policy';
    });
    expect(tenet(['decide', changed, '--query', reporter])).toEqual({
      status: 1,
      stdout: '',
      stderr: `tenet: cannot use \`${changed}\`: the artifact has been changed since it was compiled (its hash is not the hash of its content): compile it again\n`,
    });
  });

  it('loads an artifact saved again with its keys in another order and other spacing: the hash is of its content', () => {
    const reorder = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reorder)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .reverse()
                .map((k) => [k, reorder((v as Record<string, unknown>)[k])]),
            )
          : v;
    const resaved = at('resaved.json');
    writeFileSync(resaved, JSON.stringify(reorder(JSON.parse(readFileSync(signed, 'utf8'))), null, 3));
    expect(tenet(['decide', resaved, '--query', reporter, '--key', library.pub]).status).toBe(0);
  });

  it('refuses an artifact in which a key appears twice', () => {
    const text = readFileSync(signed, 'utf8').replace('{"format":', '{"format":"tenet-artifact/4","format":');
    writeFileSync(at('twice.json'), text);
    expect(tenet(['decide', at('twice.json'), '--query', reporter])).toEqual({
      status: 1,
      stdout: '',
      stderr: `tenet: cannot use \`${at('twice.json')}\`: it is not valid JSON at line 1, column 30: a key appears twice in one object\n`,
    });
  });

  it('says that a key checks artifacts, not sources, and that a public key cannot sign', () => {
    expect(tenet(['decide', policy, '--query', reporter, '--key', library.pub])).toEqual({
      status: 2,
      stdout: '',
      stderr: `tenet decide: \`--key\` checks the signature of a compiled artifact, and \`${policy}\` is a policy source: compile and sign it first\n`,
    });
    expect(tenet(['compile', policy, '-o', at('x.json'), '--sign', library.pub])).toEqual({
      status: 1,
      stdout: '',
      stderr: `tenet compile: cannot sign with \`${library.pub}\`: the key is not an Ed25519 private key in PEM form (\`-----BEGIN PRIVATE KEY-----\`)\n`,
    });
  });
});
