/**
 * The search for counterfactuals is bounded whatever it is asked (`maxChanges: Infinity`, `limit: Infinity`,
 * options that are not numbers, options that throw) and whatever the artifact (700 boolean circumstances, one
 * enumeration of 20,000 values); when it stops at its budget it says so (`complete: false`), and so does the
 * explanation, never claiming that no change would do. And a query that cannot be read is refused with a reason of
 * its own, even under a policy whose default is to permit.
 *
 * Not a property test: every case is fixed, and the file takes a few seconds.
 */
import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_FORMAT,
  type Artifact,
  createEngine,
  explain,
  MAX_CHANGES,
  MAX_CHANGES_LIMIT,
} from '../packages/runtime/src/index.js';
import { queryFiles } from '../packages/runtime/test/hostile-support.js';
import { compiled } from './helpers/wethersfield.js';

const wethersfield: Artifact = JSON.parse(
  JSON.stringify(compiled('policies/wethersfield/confidentiality.policy').artifact),
);
const files = queryFiles();
const reporter = files.find((f) => f.name === 'reporter.json')?.query;

/** How long `run` takes, in milliseconds, and what it returns. */
function timed<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

/** A policy of the format's bare parts, for the cases below. */
const bare = (
  parts: Pick<Artifact, 'vocabulary' | 'atoms' | 'graph' | 'rules'> & { defaultEffect?: 'permit' | 'deny' },
) =>
  ({
    format: ARTIFACT_FORMAT,
    hash: '0'.repeat(64),
    policy: { id: 'crafted', title: 'Crafted', history: [], defaultEffect: parts.defaultEffect ?? 'deny' },
    vocabulary: parts.vocabulary,
    atoms: parts.atoms,
    graph: parts.graph,
    rules: parts.rules,
    obligations: [],
    citations: [],
  }) as Artifact;

/**
 * 700 boolean circumstances `a.c0` … `a.c699`, all false by default. Any of the first 698 is forbidden; the last
 * two together are permitted. So from the empty query two changes permit, and they are the last pair a search in
 * order tries: past its budget of sets.
 */
function sevenHundred(): Artifact {
  const n = 700;
  const nodes: [number, number, number][] = [
    [n - 1, -3, -1], // c699: permitted when it holds too
    [n - 2, -3, 0], // c698
  ];
  for (let i = n - 3; i >= 0; i--) nodes.push([i, nodes.length - 1, -2]);
  return bare({
    vocabulary: [
      {
        name: 'a',
        attributes: Array.from({ length: n }, (_, i) => ({
          name: `c${i}`,
          type: { kind: 'boolean' },
          default: false,
        })),
      },
    ],
    atoms: Array.from({ length: n }, (_, i) => ({ kind: 'true', attribute: `a.c${i}` })),
    graph: {
      root: nodes.length - 1,
      nodes,
      found: [
        { rules: [0], obligations: [] },
        { rules: [1], obligations: [] },
        { rules: [], obligations: [] },
      ],
    },
    rules: [
      { id: 'the-last-two', effect: 'permit', citations: [] },
      { id: 'any-other', effect: 'forbid', citations: [] },
    ],
  });
}

/** One enumeration of `n` values, each tested, none of which permits: a search of sizes 2 and up finds no set. */
function oneLongEnumeration(n: number): Artifact {
  const values = Array.from({ length: n }, (_, i) => `v${i}`);
  return bare({
    vocabulary: [{ name: 'a', attributes: [{ name: 'e', type: { kind: 'enum', values }, default: 'v0' }] }],
    atoms: values.slice(1).map((value) => ({ kind: 'equals', attribute: 'a.e', value })),
    graph: {
      root: n - 2,
      nodes: values.slice(1).map((_, k) => [k, k === 0 ? -1 : k - 1, -1] as [number, number, number]),
      found: [{ rules: [], obligations: [] }],
    },
    rules: [],
  });
}

describe('counterfactuals asked for without bounds', () => {
  const engine = createEngine(wethersfield);

  it.each(files.map((f) => [f.name, f.query]))(
    'of %s come back at once, bounded to %s changes and 20 sets',
    (_, query) => {
      const { ms, value } = timed(() =>
        engine.counterfactuals(query, {
          maxChanges: Number.POSITIVE_INFINITY,
          limit: Number.POSITIVE_INFINITY,
        }),
      );
      expect(ms).toBeLessThan(2000);
      expect(value.maxChanges).toBe(MAX_CHANGES_LIMIT);
      expect(value.complete).toBe(true);
      expect(value.found.length).toBeLessThanOrEqual(20);
    },
  );

  it('of a reporter, whom no change advice may suggest permits, find none after trying every change, and say nothing', () => {
    const search = engine.counterfactuals(reporter, { maxChanges: Number.POSITIVE_INFINITY });
    expect(search).toEqual({
      found: [],
      maxChanges: MAX_CHANGES_LIMIT,
      complete: true,
      referral: wethersfield.policy.referral,
    });
    expect(explain(engine.decide(reporter), search)).toBe(explain(engine.decide(reporter)));
  });

  it.each<[string, unknown, number]>([
    ['a negative count', { maxChanges: -1 }, MAX_CHANGES],
    ['NaN', { maxChanges: Number.NaN }, MAX_CHANGES],
    ['a string', { maxChanges: '8' }, MAX_CHANGES],
    ['an object with valueOf', { maxChanges: { valueOf: () => 1e9 } }, MAX_CHANGES],
    ['a fraction', { maxChanges: 2.9 }, 2],
    ['null options', null, MAX_CHANGES],
    ['inherited options', Object.create({ maxChanges: 1e9, limit: 1e9 }), MAX_CHANGES],
  ])('take %s for the default, or a whole number within bounds', (_, options, maxChanges) => {
    const search = engine.counterfactuals(reporter, options as never);
    expect(search.maxChanges).toBe(maxChanges);
    expect(search.complete).toBe(true);
  });

  it('never throw when reading the options throws: a getter, or a proxy', () => {
    const throwing = Object.defineProperty({}, 'maxChanges', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    const proxy = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error('no');
        },
      },
    );
    for (const options of [throwing, proxy]) {
      const search = engine.counterfactuals(reporter, options as never);
      expect(search).toEqual({ found: [], maxChanges: MAX_CHANGES, complete: false });
    }
  });
});

describe('a policy of 700 boolean circumstances, two of which permit together', () => {
  const engine = createEngine(sevenHundred());

  it('permits the two, and denies any one of the others', () => {
    expect(engine.decide({}).decision).toBe('deny');
    expect(engine.decide({ a: { c698: true, c699: true } }).reasons.map((r) => r.rule)).toEqual([
      'the-last-two',
    ]);
    expect(engine.decide({ a: { c0: true, c698: true, c699: true } }).decision).toBe('deny');
  });

  it('stops at its budget before the last pair, and says it did not try everything', () => {
    const { ms, value: search } = timed(() => engine.counterfactuals({}));
    expect(ms).toBeLessThan(5000);
    expect(search).toEqual({ found: [], maxChanges: MAX_CHANGES, complete: false });
    // A search that found nothing suggests nothing, whether or not it tried everything.
    expect(explain(engine.decide({}), search)).toBe(explain(engine.decide({})));
  });

  it('comes back as soon, asked for every change and every set', () => {
    const { ms, value: search } = timed(() =>
      engine.counterfactuals({}, { maxChanges: Number.POSITIVE_INFINITY, limit: Number.POSITIVE_INFINITY }),
    );
    expect(ms).toBeLessThan(5000);
    expect(search).toEqual({ found: [], maxChanges: MAX_CHANGES_LIMIT, complete: false });
  });

  it('finds the pair when it is within the budget: from a query that has made the first change already', () => {
    const search = engine.counterfactuals({ a: { c698: true } });
    expect(search.complete).toBe(true);
    expect(search.found).toEqual([
      { decision: 'permit', changes: [{ path: 'a.c699', from: false, to: true }], rules: ['the-last-two'] },
    ]);
  });
});

describe('a policy of one enumeration of 20,000 values', () => {
  const engine = createEngine(oneLongEnumeration(20_000));

  it('is searched for up to the most changes at once: no set of two values of one attribute is tried', () => {
    for (const options of [undefined, { maxChanges: Number.POSITIVE_INFINITY }]) {
      const { ms, value: search } = timed(() => engine.counterfactuals({}, options));
      expect(ms).toBeLessThan(2000);
      expect(search.found).toEqual([]);
      // Every single change was tried (19,999 of them, within the budget): nothing else is possible.
      expect(search.complete).toBe(true);
    }
  });
});

describe('a query that cannot be read', () => {
  const permissive = createEngine(
    bare({
      defaultEffect: 'permit',
      vocabulary: [{ name: 'u', attributes: [{ name: 'id', type: { kind: 'identifier' } }] }],
      atoms: [{ kind: 'equals', attribute: 'u.id', value: 'banned' }],
      graph: {
        root: 0,
        nodes: [[0, -2, -1]],
        found: [
          { rules: [0], obligations: [] },
          { rules: [], obligations: [] },
        ],
      },
      rules: [{ id: 'banned', effect: 'forbid', citations: [] }],
    }),
  );

  it('is permitted when valid and not forbidden, by the policy’s default', () => {
    const decision = permissive.decide({ u: { id: 'someone' } });
    expect(decision.decision).toBe('permit');
    expect(decision.reasons.map((r) => [r.rule, r.effect])).toEqual([['default', 'default']]);
  });

  it.each<[string, unknown, string[][]]>([
    ['an empty query', {}, [['missing-field', 'u.id']]],
    ['an unknown field', { u: { id: 'someone' }, admin: true }, [['unknown-field', '']]],
    ['an empty id', { u: { id: '' } }, [['invalid-identifier', 'u.id']]],
    ['not an object', 'permit', [['not-an-object', '']]],
  ])('is denied under a default-permit policy with the reason it was refused, for %s', (_, query, errors) => {
    const decision = permissive.decide(query);
    expect(decision.decision).toBe('deny');
    expect(decision.errors.map((e) => [e.code, e.path])).toEqual(errors);
    expect(decision.reasons).toEqual([
      {
        rule: 'refused',
        effect: 'refusal',
        text: 'The question could not be read, so it is denied: nothing is released on a question that cannot be read.',
        citations: [],
      },
    ]);
    expect(decision.reasons.some((r) => /does not forbid, it permits/.test(r.text))).toBe(false);
    expect(explain(decision, permissive.counterfactuals(query))).toMatch(
      /^Denied: the question could not be read, so nothing may be released\.\n/,
    );
  });

  it('is refused with the same reason under a default-deny policy', () => {
    const decision = createEngine(wethersfield).decide({});
    expect(decision.reasons.map((r) => [r.rule, r.effect])).toEqual([['refused', 'refusal']]);
  });
});
