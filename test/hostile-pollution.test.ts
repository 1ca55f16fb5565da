/**
 * Prototype pollution: a host's naive deep merge of `{"__proto__": {...}}` (or of `{"constructor": {"prototype":
 * ...}}`) puts properties on `Object.prototype` or `Array.prototype`, which every object or array then inherits.
 * Nothing inherited may reach a decision. Every key the runtime could read is polluted in turn, on each prototype,
 * with each of a set of hostile JSON values, before the engines are made and after: the keys are collected, not
 * listed (every property name in the compiled Wethersfield artifact and in what an engine returns, every name
 * after a `.` in the runtime's source, the options' names, the indexes 0 to 9, the vocabulary's names). While a
 * prototype is polluted nothing is asserted (vitest itself may not work then): the results are kept, the prototype
 * restored in a `finally`, and then compared with a clean engine's, exactly. Keys the prototypes already have
 * (Array and Object methods, `length`, `constructor`) are replaced with the same non-function values: then a
 * call may fail, but only as a deny with errors (`internal-error` when deciding itself failed), never as a throw,
 * and never as a permit a clean engine would not give.
 *
 * Exhaustive, so `TENET_FUZZ_RUNS` does not size it: about 8,600 pollutions (about 200 keys added to
 * Object.prototype and 180 to Array.prototype, one at a time, each with 10 values, before and after; all at once;
 * and each prototype's own keys replaced), each asking the engines about 40 queries, or all 220 with every key at
 * once. About 40 s on 2 cores: most of it V8 undoing its optimisations each time a prototype changes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Artifact,
  ArtifactError,
  artifactProblems,
  canonicalJson,
  createEngine,
  type Engine,
  explain,
  parseJson,
} from '../packages/runtime/src/index.js';
import {
  bareArtifact,
  type Query,
  queryFiles,
  wethersfieldSample,
} from '../packages/runtime/test/hostile-support.js';
import { compiled, repositoryRoot } from './helpers/wethersfield.js';

/** The artifact as a host has it: parsed from the JSON `tenet compile` writes. */
const artifact: Artifact = JSON.parse(
  JSON.stringify(compiled('policies/wethersfield/confidentiality.policy').artifact),
);
const clean = createEngine(artifact);
const cleanGeneral = createEngine(artifact, { codegen: false });

/** A policy written by hand whose optional fields are left out (see `bareArtifact`). */
const bare = bareArtifact();
const bareQuery = { u: { id: 'a' } };

const files = queryFiles();
const valid: Query[] = [...wethersfieldSample(200), ...files.map((f) => f.query)];

/** A set with a hole at `at`: reading the hole reads `Array.prototype[at]`. */
function holey(length: number, at: number, fill: string): string[] {
  const set = new Array<string>(length);
  for (let i = 0; i < length; i++) if (i !== at) set[i] = fill;
  return set;
}

/**
 * Invalid queries, each one a pollution could turn into a permit: required attributes left out (a polluted
 * `default`, `id` or `role`), holes in a set (a polluted index), entities missing, or hidden under `__proto__`.
 */
const invalid: unknown[] = [
  {},
  { requester: {} },
  { requester: { id: 'p-1', role: 'patron' } },
  { requester: { role: 'patron' }, record: { subjectId: 'p-1' } },
  { requester: { id: 'p-1' }, record: { subjectId: 'p-1' } },
  { requester: { id: 'p-1', role: 'patron' }, record: {} },
  {
    requester: { id: 'p-1001', role: 'parent_or_guardian', guardianOf: holey(1, 0, '') },
    record: { subjectId: 'p-1', subjectIsMinor: true },
  },
  {
    requester: { id: 'p-1001', role: 'parent_or_guardian', guardianOf: holey(3, 2, 'p-9') },
    record: { subjectId: 'p-1', subjectIsMinor: true },
  },
  JSON.parse('{"__proto__": {"requester": {"id": "p-1", "role": "patron"}}, "record": {"subjectId": "p-1"}}'),
  JSON.parse('{"requester": {"__proto__": {"id": "p-1"}, "role": "patron"}, "record": {"subjectId": "p-1"}}'),
  { requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' }, isAdmin: true },
  { requester: { id: 'p-1', role: 'permit' }, record: { subjectId: 'p-1' } },
  { requester: { id: '', role: 'patron' }, record: { subjectId: '' } },
  { requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' }, request: { purpose: 1 } },
  [],
  null,
  'permit',
  undefined,
];

/** A value that looks like a decision: what a polluted `decision` would have handed out as one. */
const decisionShaped = () => ({
  decision: 'permit',
  policy: { id: artifact.policy.id, title: artifact.policy.title },
  reasons: [{ rule: 'borrower-sees-own-record', effect: 'permit', text: '', citations: [] }],
  obligations: [],
  citations: [],
  errors: [],
});
/** The hostile JSON values each key is polluted with, made afresh for each pollution. */
const hostileValues = (): unknown[] => [
  true,
  false,
  0,
  1,
  'permit',
  'p-1',
  [],
  ['p-1'],
  {},
  decisionShaped(),
];
const describeValue = (v: unknown) => JSON.stringify(v).slice(0, 24);

// ---------------------------------------------------------------------------------------------------------------
// The keys
// ---------------------------------------------------------------------------------------------------------------

function namesIn(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) namesIn(item, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      namesIn(inner, into);
    }
  }
}

const collected = new Set<string>();
namesIn(artifact, collected);
for (const query of [...valid.slice(0, 20), ...invalid]) {
  for (const engine of [clean, cleanGeneral]) {
    const decision = engine.decide(query);
    namesIn(decision, collected);
    namesIn(engine.counterfactuals(query), collected);
    namesIn(engine.read(query), collected);
    const trace = engine.trace(query);
    namesIn('outcome' in trace ? { outcome: trace.outcome } : trace, collected);
  }
}
const sourceFolder = path.join(repositoryRoot, 'packages', 'runtime', 'src');
for (const file of readdirSync(sourceFolder).filter((f) => f.endsWith('.ts'))) {
  for (const match of readFileSync(path.join(sourceFolder, file), 'utf8').matchAll(/\.([A-Za-z_$][\w$]*)/g))
    collected.add(match[1] as string);
}
for (const name of ['codegen', 'maxChanges', 'limit', 'publicKey', 'maxDepth', 'fast', 'fatal', 'ignoreBOM'])
  collected.add(name);
for (let i = 0; i < 10; i++) collected.add(String(i));
for (const entity of artifact.vocabulary) {
  collected.add(entity.name);
  for (const attribute of entity.attributes) collected.add(attribute.name);
}
// `__proto__` is the prototype itself, not a key on it: assigning it replaces or refuses the prototype.
collected.delete('__proto__');
const keys = [...collected].sort();

const prototypes = { 'Object.prototype': Object.prototype, 'Array.prototype': Array.prototype } as const;
type Where = keyof typeof prototypes;

/** Every own string key a prototype has (its methods, `length`, `constructor`), `__proto__` aside. */
const ownKeys = (where: Where) =>
  Object.getOwnPropertyNames(prototypes[where]).filter((key) => key !== '__proto__');

// ---------------------------------------------------------------------------------------------------------------
// Polluting, and what is run while polluted
// ---------------------------------------------------------------------------------------------------------------

/** What a call threw, kept to be looked at once the prototypes are clean again. */
class Thrown {
  constructor(readonly error: unknown) {}
}

/**
 * Sets `prototype[key] = value` for each of `keys`, as a naive merge does, runs `use`, and restores the prototype
 * in a `finally`. Returns false, having run nothing, when an assignment throws (`Array.prototype.length =
 * 'permit'`).
 */
function whilePolluted(prototype: object, keys: readonly string[], value: unknown, use: () => void): boolean {
  // The descriptors are put back while the prototype is still polluted: they must inherit nothing (a `get`).
  const before = keys.map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    if (descriptor) Object.setPrototypeOf(descriptor, null);
    return descriptor;
  });
  // An index set on Array.prototype (an array itself) lengthens it: the length is put back too.
  const length = Array.prototype.length;
  let set = 0;
  try {
    for (; set < keys.length; set++) {
      try {
        (prototype as Record<string, unknown>)[keys[set] as string] = value;
      } catch {
        return false;
      }
    }
    use();
    return true;
  } finally {
    for (let i = set < keys.length ? set : keys.length - 1; i >= 0; i--) {
      const descriptor = before[i];
      if (descriptor) Object.defineProperty(prototype, keys[i] as string, descriptor);
      else delete (prototype as Record<string, unknown>)[keys[i] as string];
    }
    Array.prototype.length = length;
  }
}

const call = (f: () => unknown): unknown => {
  try {
    return f();
  } catch (error) {
    return new Thrown(error);
  }
};

/**
 * What is asked while a prototype is polluted. One key at a time: a sample of the valid queries (the sample
 * queries and 10 generated) of both engines, every invalid one of the engine whose generated reader passes them
 * to the general reader, one query's counterfactuals and explanation. With every key at once: all 200 generated
 * queries, every invalid one of both engines, validated too, the counterfactuals of each sample query, and the
 * artifact checked and written canonically.
 */
interface Plan {
  valid: readonly Query[];
  /** The queries whose counterfactuals and explanation are asked for too. */
  searched: readonly unknown[];
  whole: boolean;
}
const eachKey: Plan = {
  valid: [...files.map((f) => f.query), ...valid.slice(0, 10)],
  searched: [files.find((f) => f.name.startsWith('subpoena'))?.query, invalid[0]],
  whole: false,
};
const everyKey: Plan = { valid, searched: [...files.map((f) => f.query), invalid[0]], whole: true };

/**
 * Everything the engines are asked, into `out` from 0, calling no method of an array or object that a pollution
 * could have replaced: only loops by index and the runtime's own functions. The engine with the generated reader
 * comes first; the general reader's engine is asked to decide and validate.
 */
function exercise(engines: readonly Engine[], plan: Plan, out: unknown[]): void {
  let n = 0;
  for (let e = 0; e < engines.length; e++) {
    const engine = engines[e] as Engine;
    for (let i = 0; i < plan.valid.length; i++) out[n++] = call(() => engine.decide(plan.valid[i]));
    // The generated reader leaves invalid queries to the general one: the general reader's engine gets them only
    // when everything is asked.
    if (e > 0 && !plan.whole) continue;
    for (let i = 0; i < invalid.length; i++) {
      out[n++] = call(() => engine.decide(invalid[i]));
      if (plan.whole) out[n++] = call(() => engine.validate(invalid[i]));
    }
    if (e > 0) continue;
    for (let i = 0; i < plan.searched.length; i++) {
      const query = plan.searched[i];
      const search = call(() => engine.counterfactuals(query));
      out[n++] = search;
      out[n++] = call(() => explain(engine.decide(query), search as never));
      out[n++] = call(() => engine.read(query));
      out[n++] = call(() => {
        const trace = engine.trace(query);
        return 'outcome' in trace ? { outcome: trace.outcome, tested: [...trace.tested] } : trace;
      });
    }
    if (plan.whole)
      out[n++] = call(() =>
        engine.counterfactuals(plan.valid[0], { maxChanges: Number.POSITIVE_INFINITY, limit: 1e9 }),
      );
  }
  out[n++] = call(() => {
    const engine = createEngine(bare);
    return explain(engine.decide(bareQuery), engine.counterfactuals(bareQuery));
  });
  for (let i = 0; i < files.length; i++)
    out[n++] = call(() => parseJson((files[i] as { text: string }).text));
  out[n++] = call(() => canonicalJson((files[0] as { query: Query }).query));
  if (plan.whole) {
    out[n++] = call(() => canonicalJson(artifact));
    out[n++] = call(() => artifactProblems(artifact));
  }
}

interface Slot {
  what: string;
  /**
   * `made`: an engine is made there, which a host whose built-ins were replaced may be refused (ArtifactError);
   * `throws`: `canonicalJson`, which throws a TypeError on what it cannot write, as it may then.
   */
  kind: 'decision' | 'errors' | 'made' | 'throws' | 'other';
}

/** What each place of `exercise`'s output holds, to say what differed. */
function slotsOf(plan: Plan): Slot[] {
  const slots: Slot[] = [];
  for (const name of ['generated reader', 'general reader']) {
    for (let i = 0; i < plan.valid.length; i++)
      slots.push({ what: `${name}: decide(valid[${i}])`, kind: 'decision' });
    if (name !== 'generated reader' && !plan.whole) continue;
    for (let i = 0; i < invalid.length; i++) {
      slots.push({ what: `${name}: decide(invalid[${i}])`, kind: 'decision' });
      if (plan.whole) slots.push({ what: `${name}: validate(invalid[${i}])`, kind: 'errors' });
    }
    if (name !== 'generated reader') continue;
    for (let i = 0; i < plan.searched.length; i++)
      for (const asked of ['counterfactuals', 'explain', 'read', 'trace'])
        slots.push({ what: `${name}: ${asked}(searched[${i}])`, kind: 'other' });
    if (plan.whole) slots.push({ what: `${name}: counterfactuals(valid[0], unbounded)`, kind: 'other' });
  }
  slots.push({ what: 'explain(a policy without descriptions or quotes)', kind: 'made' });
  for (const f of files) slots.push({ what: `parseJson(${f.name})`, kind: 'other' });
  slots.push({ what: `canonicalJson(${files[0]?.name})`, kind: 'throws' });
  if (plan.whole) {
    slots.push({ what: 'canonicalJson(artifact)', kind: 'throws' });
    slots.push({ what: 'artifactProblems(artifact)', kind: 'other' });
  }
  return slots;
}

/** A result as comparable text; a decision's fields must be its own, or a host would read them inherited. */
function textOf(value: unknown): string {
  if (value instanceof Thrown) return `threw ${String((value.error as Error)?.name ?? value.error)}`;
  if (typeof value === 'object' && value !== null && 'decision' in value) {
    for (const field of ['decision', 'policy', 'reasons', 'obligations', 'citations', 'errors'])
      if (!Object.hasOwn(value, field)) return `a decision without its own \`${field}\``;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** What clean engines answer to a plan. */
function cleanAnswers(plan: Plan): string[] {
  const out: unknown[] = new Array(slotsOf(plan).length);
  exercise([clean, cleanGeneral], plan, out);
  return out.map(textOf);
}

interface Verdict {
  pollutions: number;
  failures: string[];
}

/**
 * Pollutes `where` with each hostile value, before the engines are made and after, and checks what they answered:
 * exactly what clean engines answer (`strict`), or at least never a throw and never a permit a clean engine would
 * not give. `keys` are polluted one at a time, or all at once (`together`).
 */
function pollute(where: Where, keys: readonly string[], strict: boolean, together = false): Verdict {
  const prototype = prototypes[where];
  const plan = together ? everyKey : eachKey;
  const slots = slotsOf(plan);
  const expected = cleanAnswers(plan);
  const verdict: Verdict = { pollutions: 0, failures: [] };
  const out: unknown[] = new Array(slots.length);
  const fail = (text: string) => verdict.failures.push(text);
  for (const group of together ? [keys] : keys.map((key) => [key])) {
    const name = together ? `${group.length} keys` : JSON.stringify(group[0]);
    // Made clean, and polluted afterwards: once for all the values of a key. Made polluted: the engine with the
    // generated reader, whose general reader (the same as the other engine's) reads the invalid queries.
    const prepared = [createEngine(artifact), createEngine(artifact, { codegen: false })];
    for (const timing of ['before', 'after'] as const) {
      for (const value of hostileValues()) {
        const label = `${where}[${name}] = ${describeValue(value)}, ${timing} the engines were made`;
        let engines: unknown;
        const polluted = whilePolluted(prototype, group, value, () => {
          engines = timing === 'after' ? prepared : call(() => [createEngine(artifact), prepared[1]]);
          if (!(engines instanceof Thrown)) exercise(engines as Engine[], plan, out);
        });
        // A prototype that refuses the key (a frozen one) is not polluted: nothing to check.
        if (!polluted) continue;
        verdict.pollutions++;
        if (engines instanceof Thrown) {
          // A host whose built-ins were replaced may be refused an engine, as an ArtifactError and nothing else.
          if (strict || !(engines.error instanceof ArtifactError))
            fail(`${label}: createEngine ${textOf(engines)}`);
          continue;
        }
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i] as Slot;
          const got = textOf(out[i]);
          if (got === expected[i]) continue;
          const differs = `${label}: ${slot.what} is ${got.slice(0, 400)}, not ${expected[i]?.slice(0, 400)}`;
          const thrown = out[i] instanceof Thrown ? (out[i] as Thrown).error : undefined;
          if (!strict && slot.kind === 'made' && thrown instanceof ArtifactError) continue;
          if (!strict && slot.kind === 'throws' && thrown instanceof TypeError) continue;
          if (strict || thrown !== undefined) fail(differs);
          else if (slot.kind === 'decision') {
            // Not as a clean engine decides: then only a deny that says why.
            const decision = out[i] as { decision?: unknown; errors?: unknown[] };
            if (
              !(decision.decision === 'deny' && Array.isArray(decision.errors) && decision.errors.length > 0)
            )
              fail(differs);
          } else if (slot.kind === 'errors' && !(Array.isArray(out[i]) && (out[i] as unknown[]).length > 0))
            fail(differs);
        }
      }
    }
  }
  return verdict;
}

// ---------------------------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------------------------

/** The keys a prototype does not have: added by a pollution. */
const addedTo = (where: Where) => {
  const own = new Set(ownKeys(where));
  return keys.filter((key) => !own.has(key));
};

describe('a polluted prototype', () => {
  it('is polluted with a few hundred keys the runtime could read, collected from the artifact, decisions and source', () => {
    expect(keys.length).toBeGreaterThan(150);
    for (const key of [
      'default',
      'decision',
      'error',
      'problems',
      'id',
      'role',
      'subjectId',
      'guardianOf',
      '0',
    ])
      expect(keys).toContain(key);
    // The clean answers are what the polluted ones are held to: valid queries decided, some permitted.
    expect(valid.filter((q) => clean.decide(q).decision === 'permit').length).toBeGreaterThan(20);
    for (const query of invalid) {
      expect(clean.decide(query).decision).toBe('deny');
      expect(clean.decide(query).errors.length).toBeGreaterThan(0);
    }
  });

  for (const where of Object.keys(prototypes) as Where[]) {
    it(`changes nothing when ${where} gains any one of those keys, before or after the engines are made`, () => {
      const verdict = pollute(where, addedTo(where), true);
      expect(verdict.failures.slice(0, 10)).toEqual([]);
      expect(verdict.pollutions).toBe(addedTo(where).length * 20);
    }, 300_000);

    it(`changes nothing when ${where} gains all of those keys at once, for all 200 generated queries`, () => {
      const verdict = pollute(where, addedTo(where), true, true);
      expect(verdict.failures.slice(0, 10)).toEqual([]);
      expect(verdict.pollutions).toBe(20);
    });

    it(`never throws, and never permits what a clean engine denies, when ${where}'s own keys are replaced`, () => {
      const verdict = pollute(where, ownKeys(where), false);
      expect(verdict.failures.slice(0, 10)).toEqual([]);
      expect(verdict.pollutions).toBeGreaterThan(ownKeys(where).length * 15);
    }, 300_000);
  }

  it('never lets an index that Array.prototype holds stand for a found step a crafted graph leads to but lacks', () => {
    // The node's `low` is found step 1, of a list of one: checked by what `found[1]` reads, a polluted index 1
    // would pass, and the walk would go on from nowhere, forever.
    const dangling = {
      ...bare,
      graph: { root: 0, nodes: [[0, -2, -1]], found: [{ rules: [0], obligations: [] }] },
    };
    const outcomes: unknown[] = [];
    for (const value of hostileValues()) {
      whilePolluted(Array.prototype, ['1'], value, () => {
        outcomes[outcomes.length] = call(() => createEngine(dangling));
      });
    }
    expect(outcomes).toHaveLength(10);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(Thrown);
      expect((outcome as Thrown).error).toBeInstanceOf(ArtifactError);
      expect(String((outcome as Thrown).error)).toMatch(
        /`graph.nodes\[0\]` tests no atom, or leads to a node/,
      );
    }
  });

  it('leaves the prototypes as they were', () => {
    const plain: Record<string, unknown> = {};
    for (const key of keys) expect(plain[key], key).toBe(Object.prototype[key as never]);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(Object.keys(Array.prototype)).toEqual([]);
    expect(Array.prototype.length).toBe(0);
  });
});
