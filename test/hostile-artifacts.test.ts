/**
 * Artifacts that are corrupt or crafted. Every JSON value of the Wethersfield artifact, each leaf and each
 * container, is replaced in turn by each of a list of alternatives (and each element of each list removed and
 * doubled), the hash recomputed as an attacker would: no mutant may make `createEngine` or `loadEngine` throw
 * anything but an ArtifactError, and no mutant that loads may make `decide`, `counterfactuals` or `explain` throw,
 * or an explanation hold a control character. A rule flipped to permit is refused by `loadEngine` given the key
 * the artifact was signed with; the hash does not depend on key order; an artifact read twice answering
 * differently is decided as first read; a string default for a set is refused; `canonicalJson` writes RFC 8785's
 * own examples as the RFC does.
 *
 * Exhaustive, so `TENET_FUZZ_RUNS` does not size it: 9,359 mutants (900 load), about 15 s on 2 cores.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type Artifact,
  ArtifactError,
  artifactDigest,
  canonicalJson,
  createEngine,
  type Engine,
  explain,
  hashedContent,
  loadEngine,
  parseJson,
  signArtifact,
} from '../packages/runtime/src/index.js';
import { queryFiles } from '../packages/runtime/test/hostile-support.js';
import { compiled } from './helpers/wethersfield.js';

const artifact: Artifact = JSON.parse(
  JSON.stringify(compiled('policies/wethersfield/confidentiality.policy').artifact),
);
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));
/** The SHA-256 an attacker would write into a changed artifact: the runtime's own definition of the hash. */
const rehash = (changed: Record<string, unknown>) =>
  createHash('sha256')
    .update(hashedContent(changed as unknown as Artifact))
    .digest('hex');

const files = queryFiles();
const reporter = files.find((f) => f.name === 'reporter.json')?.query as unknown;
const queries: unknown[] = [...files.map((f) => f.query), {}];

// ---------------------------------------------------------------------------------------------------------------
// (a) Every value of the artifact, mutated
// ---------------------------------------------------------------------------------------------------------------

type Path = (string | number)[];

/** Every value in `value` with its path, containers before what they hold: the artifact itself first. */
function* valuesOf(value: unknown, path: Path = []): Generator<[Path, unknown]> {
  yield [path, value];
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* valuesOf(value[i], [...path, i]);
  else if (typeof value === 'object' && value !== null)
    for (const [key, inner] of Object.entries(value)) yield* valuesOf(inner, [...path, key]);
}

const ESC = '\u001b[2J\u001b[31mpermit';
const alternatives: unknown[] = [null, true, 0, -1, 1.5, 2 ** 31, '', 'x', 'x'.repeat(10_000), [], {}, ESC];

/** `root` with the value at `path` replaced by what `change` makes of it. */
function changedAt(root: unknown, path: Path, change: (old: unknown) => unknown): unknown {
  if (path.length === 0) return change(root);
  const result = copy(root) as Record<string | number, unknown>;
  let parent = result;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  parent[last] = change(parent[last]);
  return result;
}

interface Mutant {
  what: string;
  artifact: unknown;
}

/** Every mutant: each value replaced by each alternative, each list's elements removed and doubled. */
function* mutants(): Generator<Mutant> {
  for (const [path, value] of valuesOf(artifact)) {
    const where = path.length === 0 ? 'the artifact' : path.join('.');
    const variants: [string, (old: unknown) => unknown][] = alternatives
      .filter((alternative) => JSON.stringify(alternative) !== JSON.stringify(value))
      .map((alternative) => [
        `${where} = ${JSON.stringify(alternative).slice(0, 20)}`,
        () => copy(alternative),
      ]);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        variants.push([`${where}[${i}] removed`, (old) => (old as unknown[]).filter((_, j) => j !== i)]);
        variants.push([
          `${where}[${i}] doubled`,
          (old) => (old as unknown[]).flatMap((x, j) => (j === i ? [x, x] : [x])),
        ]);
      }
    }
    for (const [what, change] of variants) {
      const changed = changedAt(artifact, path, change);
      // An attacker writes the hash of what they changed, unless what they changed is the hash.
      if (path[0] !== 'hash' && typeof changed === 'object' && changed !== null && !Array.isArray(changed))
        (changed as Record<string, unknown>).hash = rehash(changed as Record<string, unknown>);
      yield { what, artifact: changed };
    }
  }
}

/** Whether a text holds a control character (C0, DEL or C1) other than the line break: none can drive a terminal. */
const hasControl = (text: string) =>
  Array.from(text).some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
  });

/** Decides, searches and explains each query: what went wrong, or nothing. */
function exercise(engine: Engine): string[] {
  const problems: string[] = [];
  for (const query of queries) {
    try {
      const decision = engine.decide(query);
      if (decision.decision !== 'deny' && decision.decision !== 'permit')
        problems.push('a decision neither permit nor deny');
      if (decision.errors.length > 0 && decision.decision !== 'deny') problems.push('a permit with errors');
      const search = engine.counterfactuals(query);
      const text = explain(decision, search) + explain(decision);
      if (hasControl(text)) problems.push('a control character in an explanation');
      engine.trace(query);
    } catch (error) {
      problems.push(`threw ${String(error).slice(0, 200)}`);
    }
  }
  return problems;
}

describe('every value of the artifact, mutated, its hash recomputed', () => {
  it('never makes loading throw anything but an ArtifactError, nor a loaded engine throw at all', async () => {
    const counts = { mutants: 0, loaded: 0, refused: 0 };
    const failures: string[] = [];
    for (const mutant of mutants()) {
      counts.mutants++;
      let engine: Engine | undefined;
      try {
        engine = createEngine(mutant.artifact);
      } catch (error) {
        if (!(error instanceof ArtifactError))
          failures.push(`${mutant.what}: createEngine threw ${String(error)}`);
      }
      if (!engine) {
        counts.refused++;
        continue;
      }
      // What createEngine loads, loadEngine loads too, its hash being the attacker's: unless the hash was changed.
      let verified: boolean;
      try {
        await loadEngine(mutant.artifact);
        verified = true;
      } catch (error) {
        verified = false;
        if (!(error instanceof ArtifactError))
          failures.push(`${mutant.what}: loadEngine threw ${String(error)}`);
      }
      if (verified === mutant.what.startsWith('hash'))
        failures.push(`${mutant.what}: loadEngine ${verified ? 'loaded' : 'refused'} it`);
      counts.loaded++;
      for (const problem of exercise(engine)) failures.push(`${mutant.what}: ${problem}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(counts.mutants).toBeGreaterThan(9000);
    expect(counts.loaded).toBeGreaterThan(100);
    expect(counts.refused).toBeGreaterThan(1000);
  }, 300_000);
});

// ---------------------------------------------------------------------------------------------------------------
// (b) Signatures
// ---------------------------------------------------------------------------------------------------------------

/** An Ed25519 key pair as PEM, and the public key's id as the runtime names it, worked out here from its SPKI. */
function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    id: createHash('sha256').update(spki).digest('hex').slice(0, 16),
  };
}

/** The artifact with the rule that forbids telling a reporter flipped to a permit, and its hash recomputed. */
async function flipped(from: Artifact): Promise<Artifact> {
  const changed = copy(from);
  const rule = changed.rules.find((r) => r.id === 'no-release-to-third-parties');
  if (!rule) throw new Error('the Wethersfield policy has no rule `no-release-to-third-parties`');
  rule.effect = 'permit';
  changed.hash = await artifactDigest(changed);
  return changed;
}

describe('a signed artifact', () => {
  const real = keyPair();
  const other = keyPair();

  it('loads, signed and untouched, with the key that signed it, and decides as compiled', async () => {
    const signed = await signArtifact(artifact, real.privateKey);
    expect(signed.signature).toEqual({ algorithm: 'Ed25519', key: real.id, value: expect.any(String) });
    const engine = await loadEngine(signed, { publicKey: real.publicKey });
    expect(engine.decide(reporter).decision).toBe('deny');
    expect(engine.decide(reporter).reasons.map((r) => r.rule)).toEqual(['no-release-to-third-parties']);
  });

  it('is refused with a rule flipped to permit and its hash recomputed: the signature no longer verifies', async () => {
    const signed = await signArtifact(artifact, real.privateKey);
    const tampered = await flipped(signed);
    // What the attacker wants: without a key, the flipped artifact is whole, and tells a reporter everything.
    expect(createEngine(tampered).decide(reporter).decision).toBe('permit');
    expect((await loadEngine(tampered)).decide(reporter).decision).toBe('permit');
    await expect(loadEngine(tampered, { publicKey: real.publicKey })).rejects.toThrow(ArtifactError);
    await expect(loadEngine(tampered, { publicKey: real.publicKey })).rejects.toThrow(
      /the artifact’s signature does not verify: it was not signed by this key as it is/,
    );
  });

  it('is refused with a rule flipped and the hash left as it was, with or without a key', async () => {
    const signed = await signArtifact(artifact, real.privateKey);
    const tampered = { ...(await flipped(signed)), hash: signed.hash };
    for (const options of [{}, { publicKey: real.publicKey }])
      await expect(loadEngine(tampered, options)).rejects.toThrow(
        /the artifact has been changed since it was compiled \(its hash is not the hash of its content\)/,
      );
  });

  it('is refused when it carries another artifact’s signature by the same key', async () => {
    const another = copy(artifact);
    another.policy.title = 'Another policy';
    another.hash = await artifactDigest(another);
    const { signature } = await signArtifact(another, real.privateKey);
    const grafted = { ...(await flipped(artifact)), signature };
    await expect(loadEngine(grafted, { publicKey: real.publicKey })).rejects.toThrow(
      /signature does not verify/,
    );
  });

  it('is refused when the attacker signs the flipped artifact with a key of their own, naming both keys', async () => {
    const resigned = await signArtifact(await flipped(artifact), other.privateKey);
    const refusal = loadEngine(resigned, { publicKey: real.publicKey });
    await expect(refusal).rejects.toThrow(ArtifactError);
    await expect(refusal).rejects.toThrow(
      `the artifact is signed by key ${other.id}, not by the key given (${real.id})`,
    );
  });

  it('is refused when the attacker names the real key but signs with their own', async () => {
    const resigned = await signArtifact(await flipped(artifact), other.privateKey);
    const forged = { ...resigned, signature: { ...(resigned.signature as object), key: real.id } };
    await expect(loadEngine(forged, { publicKey: real.publicKey })).rejects.toThrow(
      /signature does not verify/,
    );
  });

  it('is required when a key is given: an unsigned artifact is refused', async () => {
    await expect(loadEngine(artifact, { publicKey: real.publicKey })).rejects.toThrow(
      'the artifact is not signed, and a signed one is required',
    );
    await expect(loadEngine(await flipped(artifact), { publicKey: real.publicKey })).rejects.toThrow(
      ArtifactError,
    );
  });

  it('is refused with a signature that is not base64, or of an algorithm not Ed25519', async () => {
    const signed = await signArtifact(artifact, real.privateKey);
    const signature = signed.signature as NonNullable<Artifact['signature']>;
    for (const changed of [
      { ...signature, value: 'not base64!' },
      { ...signature, algorithm: 'RS256' },
      { ...signature, key: 'NOTHEX' },
    ]) {
      await expect(
        loadEngine({ ...signed, signature: changed }, { publicKey: real.publicKey }),
      ).rejects.toThrow(ArtifactError);
    }
  });

  it('refuses a key that is not an Ed25519 public key in PEM form', async () => {
    const signed = await signArtifact(artifact, real.privateKey);
    for (const publicKey of [
      real.privateKey,
      'not a key',
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
    ])
      await expect(loadEngine(signed, { publicKey })).rejects.toThrow(ArtifactError);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (c) The hash and key order
// ---------------------------------------------------------------------------------------------------------------

/** `value` with every object's keys in the order `order` puts them. */
function reordered(value: unknown, order: (keys: string[]) => string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => reordered(v, order));
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(order(Object.keys(object)).map((k) => [k, reordered(object[k], order)]));
}

describe('the hash', () => {
  it('is the same whatever order the keys are saved in, and however the text is spaced', async () => {
    expect(await artifactDigest(artifact)).toBe(artifact.hash);
    for (const order of [(k: string[]) => [...k].sort(), (k: string[]) => [...k].reverse()]) {
      const text = JSON.stringify(reordered(artifact, order), null, 3);
      expect(text).not.toBe(JSON.stringify(artifact, null, 3));
      const parsed = parseJson(text);
      if (!parsed.ok) throw new Error('the re-saved artifact is not JSON');
      expect(await artifactDigest(parsed.value as Artifact)).toBe(artifact.hash);
      expect((await loadEngine(parsed.value)).decide(reporter).decision).toBe('deny');
    }
  });

  it('changes with any change of content, however small', async () => {
    const changed = copy(artifact);
    (changed.rules[0] as { says?: string }).says += ' ';
    expect(await artifactDigest(changed)).not.toBe(artifact.hash);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (d) An artifact that answers differently the second time it is read
// ---------------------------------------------------------------------------------------------------------------

describe('an artifact read twice answering differently', () => {
  it('is decided as first read, when the root node is a getter that points the node at itself the second time', () => {
    for (const codegen of [true, false]) {
      const crafted = copy(artifact);
      const root = crafted.graph.root;
      const node = crafted.graph.nodes[root] as [number, number, number];
      let reads = 0;
      Object.defineProperty(crafted.graph.nodes, root, {
        enumerable: true,
        get: () => (reads++ === 0 ? node : [node[0], root, root]),
      });
      const engine = createEngine(crafted, { codegen });
      expect(reads).toBe(1);
      // The engine decides on its copy, which holds what the first read gave: no node that leads to itself.
      expect(engine.artifact.graph.nodes[root]).toEqual(node);
      expect(Object.isFrozen(engine.artifact.graph.nodes)).toBe(true);
      expect(crafted.graph.nodes[root]).toEqual([node[0], root, root]);
      const decision = engine.decide(reporter);
      expect(decision.reasons.map((r) => r.rule)).toEqual(['no-release-to-third-parties']);
    }
  });

  it('is decided as first read, when the graph is a proxy whose nodes change on every read', () => {
    const crafted = copy(artifact);
    const nodes = crafted.graph.nodes;
    const calls = new Map<PropertyKey, number>();
    crafted.graph.nodes = new Proxy(nodes, {
      get(target, key, receiver) {
        const n = calls.get(key) ?? 0;
        calls.set(key, n + 1);
        // A node index read a second time leads to itself.
        if (typeof key === 'string' && /^\d+$/.test(key) && n > 0) return [0, Number(key), Number(key)];
        return Reflect.get(target, key, receiver);
      },
    });
    const engine = createEngine(crafted);
    expect(engine.artifact.graph.nodes).toEqual(nodes);
    expect(engine.decide(reporter).reasons.map((r) => r.rule)).toEqual(['no-release-to-third-parties']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (e) A string default for a set
// ---------------------------------------------------------------------------------------------------------------

describe('a default for a set', () => {
  const guardianOf = () => {
    const changed = copy(artifact);
    const requester = changed.vocabulary.find((e) => e.name === 'requester');
    const attribute = requester?.attributes.find((a) => a.name === 'guardianOf');
    if (!attribute) throw new Error('no requester.guardianOf');
    return {
      changed,
      attribute,
      where: `vocabulary[0].attributes[${requester?.attributes.indexOf(attribute)}]`,
    };
  };

  it.each<[string, unknown]>([
    ['a string (which would make membership a substring test)', 'p-2002'],
    ['a list with a number', ['p-2002', 7]],
    ['a list with an empty id', ['']],
    ['a list of 1001 ids', Array.from({ length: 1001 }, (_, i) => `p-${i}`)],
    ['an object', { 0: 'p-2' }],
  ])('is refused when it is %s', (_, value) => {
    const { changed, attribute, where } = guardianOf();
    attribute.default = value as string[];
    changed.hash = rehash(changed as unknown as Record<string, unknown>);
    expect(() => createEngine(changed)).toThrow(ArtifactError);
    expect(() => createEngine(changed)).toThrow(
      `\`${where}.default\` is not a value of the attribute’s type`,
    );
  });

  it('of ids is taken as given, and decides membership by whole ids', () => {
    const { changed, attribute } = guardianOf();
    attribute.default = ['p-2002'];
    const engine = createEngine(changed);
    const parent = { id: 'g-1', role: 'parent_or_guardian' };
    expect(
      engine.decide({ requester: parent, record: { subjectId: 'p-2002', subjectIsMinor: true } }).decision,
    ).toBe('permit');
    expect(
      engine.decide({ requester: parent, record: { subjectId: 'p-2', subjectIsMinor: true } }).decision,
    ).toBe('deny');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// (f) canonicalJson and RFC 8785
// ---------------------------------------------------------------------------------------------------------------

/** The number an IEEE 754 double's 16 hex digits stand for. */
const fromHex = (hex: string) =>
  new DataView(new Uint8Array(hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []).buffer).getFloat64(
    0,
  );

describe('canonicalJson', () => {
  it('writes the example of RFC 8785 section 3.2.2 as the RFC does', () => {
    const input =
      '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
      '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}';
    const parsed = parseJson(input);
    if (!parsed.ok) throw new Error('the RFC’s example is JSON');
    expect(canonicalJson(parsed.value)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by their UTF-16 code units, as in RFC 8785 section 3.2.3', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('writes the double %s as %s (RFC 8785 appendix B)', (hex, expected) => {
    expect(canonicalJson(fromHex(hex))).toBe(expected);
    expect(canonicalJson([fromHex(hex)])).toBe(`[${expected}]`);
  });

  it.each(['7fffffffffffffff', '7ff0000000000000', 'fff0000000000000'])(
    'refuses the double %s (NaN or an infinity), as RFC 8785 does',
    (hex) => {
      expect(() => canonicalJson(fromHex(hex))).toThrow(TypeError);
    },
  );

  it('escapes what RFC 8785 escapes, and nothing else', () => {
    const all = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
    const expected = `"${Array.from(
      { length: 0x20 },
      (_, i) =>
        ({ 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' })[i] ??
        `\\u${i.toString(16).padStart(4, '0')}`,
    ).join('')}"`;
    expect(canonicalJson(all)).toBe(expected);
    expect(canonicalJson('"\\/\u007f\u0080\u2028\u2029€😀')).toBe('"\\"\\\\/\u007f\u0080\u2028\u2029€😀"');
  });

  it('leaves out members that are undefined, and writes nothing but the data', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [1, { z: null, y: [] }] })).toBe(
      '{"b":1,"c":[1,{"y":[],"z":null}]}',
    );
    expect(canonicalJson({ __proto__: null, b: 2, a: 1 })).toBe('{"a":1,"b":2}');
    expect(canonicalJson(JSON.parse('{"__proto__": 1}'))).toBe('{"__proto__":1}');
  });
});
