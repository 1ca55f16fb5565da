/**
 * `compare` (`tenet diff`) on BDDs, checked against the engine and by counting: for random pairs of policies over
 * one vocabulary (test/helpers/random-policies.ts), every random query whose two decisions differ falls in exactly
 * the class `compare` reports for its pair of outcomes, and one whose decisions agree in none; each class's count
 * is the number of combinations of the atoms, within the domain, whose outcomes are its pair, found by trying
 * them all. And the shapes that once made the comparison explode (issue 12) come out bounded: n independent rules,
 * one of them turned into a forbid. No test here is timed; the figures are the bench's (packages/bench/src/diff.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Comparison,
  compare,
  type Formula,
  lowerTogether,
  MAX_CLASSES,
  type Outcome,
  solverAttributes,
} from '../packages/compiler/src/index.js';
import { type CheckedPolicy, checkPolicy, hasErrors } from '../packages/language/src/index.js';
import type { Atom, Decision } from '../packages/runtime/src/index.js';
import { fuzzRuns } from './helpers/arbitraries.js';
import { type BuiltPolicy, buildPolicy, policyTextArb, queryArb } from './helpers/random-policies.js';

const runs = fuzzRuns(50);
const timeout = Math.max(120_000, runs * 2_000);

/** What the engine decides, as an outcome of `compare`: the decision, the rules that decide, the obligations. */
function outcomeOf(decision: Decision, decisionsOnly: boolean): Outcome {
  return {
    decision: decision.decision,
    rules: decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
    obligations: decisionsOnly ? [] : decision.obligations.map((o) => o.id),
  };
}

/** Whether a class's outcome is `actual`: what it says decides does, and nothing else but what it says varies. */
function fits(outcome: Outcome, actual: Outcome): boolean {
  const within = (said: readonly string[], varying: readonly string[] = [], is: readonly string[]) =>
    said.every((x) => is.includes(x)) && is.every((x) => said.includes(x) || varying.includes(x));
  return (
    outcome.decision === actual.decision &&
    within(outcome.rules, outcome.varying?.rules, actual.rules) &&
    within(outcome.obligations, outcome.varying?.obligations, actual.obligations)
  );
}

const sameList = (x: readonly string[], y: readonly string[]) =>
  JSON.stringify([...x].sort()) === JSON.stringify([...y].sort());

/** The truth of a formula where atom `a` is `values[a]`. */
function holds(formula: Formula, values: readonly boolean[]): boolean {
  switch (formula.kind) {
    case 'const':
      return formula.value;
    case 'atom':
      return values[formula.atom] === true;
    case 'not':
      return !holds(formula.operand, values);
    case 'and':
      return formula.operands.every((o) => holds(o, values));
    case 'or':
      return formula.operands.some((o) => holds(o, values));
  }
}

/**
 * Every combination of the two policies' atoms within the domain (an enumeration's atoms true one at a time, one
 * of them exactly where they name every value), each pair of outcomes that differ counted by trying them all: the
 * counts by the pair's key (as {@link keyOf} makes it), and how many combinations there are. Undefined past
 * `most` atoms.
 */
function countByTrying(
  a: CheckedPolicy,
  b: CheckedPolicy,
  decisionsOnly: boolean,
  most: number,
): { counts: Map<string, number>; combinations: number } | undefined {
  const lowered = lowerTogether([a, b]).value;
  const atoms = (lowered[0]?.atoms ?? []) as Atom[];
  if (atoms.length > most) return undefined;
  const attributes = new Map([...a.attributes].map(([path, info]) => [path, info.type]));
  const groups = new Map<string, number[]>();
  atoms.forEach((atom, i) => {
    if (atom.kind === 'equals' && attributes.get(atom.attribute)?.kind === 'enum')
      groups.set(atom.attribute, [...(groups.get(atom.attribute) ?? []), i]);
  });
  const within = (values: readonly boolean[]) =>
    [...groups].every(([attribute, group]) => {
      const type = attributes.get(attribute);
      const trues = group.filter((v) => values[v]).length;
      return trues <= 1 && (trues === 1 || type?.kind !== 'enum' || type.values.length > group.length);
    });
  const outcome = (checked: CheckedPolicy, side: number, values: readonly boolean[]): Outcome => {
    const policy = lowered[side];
    const held = (policy?.rules ?? []).filter((r) => holds(r.when, values));
    const forbids = held.filter((r) => r.effect === 'forbid');
    const permits = held.filter((r) => r.effect === 'permit');
    const ids = [...checked.obligations.keys()];
    return {
      decision:
        forbids.length > 0
          ? 'deny'
          : permits.length > 0 || checked.policy?.defaultEffect?.effect === 'permit'
            ? 'permit'
            : 'deny',
      rules: (forbids.length > 0 ? forbids : permits).map((r) => r.id),
      obligations: decisionsOnly
        ? []
        : ids.filter((_, j) => holds(policy?.obligations[j] as Formula, values)),
    };
  };
  const counts = new Map<string, number>();
  let combinations = 0;
  for (let bits = 0; bits < 2 ** atoms.length; bits++) {
    const values = atoms.map((_, i) => (bits & (1 << i)) !== 0);
    if (!within(values)) continue;
    combinations++;
    const [left, right] = [outcome(a, 0, values), outcome(b, 1, values)];
    if (left.decision === right.decision && sameList(left.obligations, right.obligations)) continue;
    const key = keyOf(left, right);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, combinations };
}

const keyOf = (left: Outcome, right: Outcome) =>
  JSON.stringify([left, right].map((o) => [o.decision, [...o.rules].sort(), [...o.obligations].sort()]));

describe('compare on random pairs of policies over one vocabulary', () => {
  const pairArb = fc.record({
    left: policyTextArb,
    right: policyTextArb,
    queries: fc.array(queryArb, { minLength: 1, maxLength: 30 }),
    decisionsOnly: fc.boolean(),
    graphs: fc.boolean(),
  });
  /** No graph at all, and the comparison works on its BDDs alone, as it does where the graphs are too large. */
  const noGraphs = { nodes: 0, remembered: 0 };

  it('puts every query whose decisions differ in exactly the class of its outcomes, others in none, and shows each class by queries of its own, with the graphs or without', {
    timeout,
  }, () => {
    fc.assert(
      fc.property(pairArb, ({ left, right, queries, decisionsOnly, graphs }) => {
        const [a, b] = [buildPolicy(left), buildPolicy(right)];
        const comparison = compare(a.checked, b.checked, solverAttributes(a.artifact.vocabulary), {
          decisionsOnly,
          maxCases: 2,
          ...(graphs ? {} : { graphLimits: noGraphs }),
        });
        expect(comparison.problems).toEqual([]);
        // The example of each case is a query of its class.
        for (const c of comparison.classes) {
          for (const { example } of c.cases) {
            const [x, y] = [a.engine.decide(example), b.engine.decide(example)];
            expect(fits(c.left, outcomeOf(x, decisionsOnly)), JSON.stringify(example)).toBe(true);
            expect(fits(c.right, outcomeOf(y, decisionsOnly)), JSON.stringify(example)).toBe(true);
          }
        }
        for (const query of queries) {
          const [x, y] = [a.engine.decide(query), b.engine.decide(query)];
          expect([x.errors, y.errors]).toEqual([[], []]);
          const [l, r] = [outcomeOf(x, decisionsOnly), outcomeOf(y, decisionsOnly)];
          const differ = l.decision !== r.decision || !sameList(l.obligations, r.obligations);
          const found = comparison.classes.filter((c) => fits(c.left, l) && fits(c.right, r));
          expect(found.length, `query ${JSON.stringify(query)}`).toBe(differ ? 1 : 0);
          const kind = l.decision === r.decision ? 'duties' : l.decision === 'permit' ? 'looser' : 'stricter';
          if (differ) expect(found[0]?.kind).toBe(kind);
        }
      }),
      { numRuns: runs },
    );
  });

  it('counts each class as trying every combination of the atoms counts it, and the counts add up', {
    timeout,
  }, () => {
    fc.assert(
      fc.property(
        policyTextArb,
        policyTextArb,
        fc.boolean(),
        fc.boolean(),
        (left, right, decisionsOnly, graphs) => {
          const [a, b] = [buildPolicy(left), buildPolicy(right)];
          const comparison = compare(a.checked, b.checked, solverAttributes(a.artifact.vocabulary), {
            decisionsOnly,
            maxCases: 1,
            ...(graphs ? {} : { graphLimits: noGraphs }),
          });
          expect(comparison.classes.length).toBe(comparison.total);
          expect(comparison.classes.reduce((n, c) => n + c.count, 0)).toBe(comparison.count);
          expect(comparison.count).toBeLessThanOrEqual(comparison.combinations);
          expect(comparison.classes.every((c) => c.count >= 1)).toBe(true);
          const tried = countByTrying(a.checked, b.checked, decisionsOnly, 14);
          if (!tried || comparison.merged) return;
          expect(comparison.combinations).toBe(tried.combinations);
          // A class of combinations no query has is left out: every class reported is one tried, counted alike.
          for (const c of comparison.classes) expect(c.count).toBe(tried.counts.get(keyOf(c.left, c.right)));
        },
      ),
      { numRuns: runs },
    );
  });
});

/** A policy of `n` rules `rule i: permit when request.b_i`, rule 0 a forbid where `flipped`. */
function independent(n: number, flipped = false): BuiltPolicy['checked'] {
  const text = [
    `policy independent${flipped ? '-flipped' : ''} "Independent rules"`,
    '  default deny because act',
    'authority act "Act"',
    'entity request "What is asked."',
    ...Array.from({ length: n }, (_, i) => `  b${i}: boolean = false`),
    ...Array.from({ length: n }, (_, i) => [
      `${flipped && i === 0 ? 'forbid' : 'permit'} r-${i}`,
      `  when request.b${i}`,
      '  because act',
    ]).flat(),
  ].join('\n');
  const checked = checkPolicy('p.policy', {
    read: (f) => (f === 'p.policy' ? text : undefined),
    resolve: (_, p) => p,
  });
  if (hasErrors(checked.diagnostics)) throw new Error(checked.diagnostics[0]?.message);
  return checked.value;
}

describe('compare at the sizes that once exploded (issue 12)', () => {
  const n = 20;
  const attributes = solverAttributes([
    {
      name: 'request',
      attributes: Array.from({ length: n }, (_, i) => ({
        name: `b${i}`,
        type: { kind: 'boolean' as const },
        default: false,
      })),
    },
  ]);

  it('finds nothing between a policy of independent rules and itself', () => {
    const policy = independent(n);
    expect(compare(policy, policy, attributes)).toMatchObject({ classes: [], total: 0, count: 0 });
  });

  it('merges the 2^19 ways one rule turned into a forbid differs into a bounded number, counted exactly', () => {
    const comparison: Comparison = compare(independent(n), independent(n, true), attributes, { maxCases: 1 });
    // Rule 0 holds on half of the 2^20 combinations: there, one permits (with whichever others hold), one denies.
    expect([comparison.count, comparison.combinations, comparison.merged]).toEqual([2 ** 19, 2 ** 20, true]);
    expect(comparison.total).toBeLessThanOrEqual(MAX_CLASSES);
    expect(comparison.classes.reduce((sum, c) => sum + c.count, 0)).toBe(2 ** 19);
    for (const c of comparison.classes) {
      expect([c.kind, c.left.rules[0], c.right.rules]).toEqual(['looser', 'r-0', ['r-0']]);
      expect(c.left.varying?.rules.length).toBeGreaterThan(0);
      expect(c.cases.length).toBe(1);
    }
  });
});
