/**
 * The laws of combining rules (docs/language.md, docs/embedding.md), checked on the runtime with random policies
 * and random queries from test/helpers/random-policies.ts: with no rule the default decides; a forbid wins over
 * any permit; the order of rules and a duplicated rule change nothing; adding a forbid can only turn permits into
 * denies, and adding a permit only denies into permits. `TENET_FUZZ_RUNS` sets the number of policies (default
 * 400 for each law, each asked up to 20 queries).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../packages/runtime/src/index.js';
import { fuzzRuns } from './helpers/arbitraries.js';
import {
  buildPolicy,
  type PolicyModel,
  policyModelArb,
  queryArb,
  type RandomQuery,
  type RuleModel,
  renderPolicy,
  ruleArb,
} from './helpers/random-policies.js';
import { referenceDecide } from './helpers/reference-interpreter.js';

const runs = fuzzRuns(400);
/** Large `TENET_FUZZ_RUNS` get the time they need. */
const timeout = Math.max(60_000, runs * 40);
const queriesArb = fc.array(queryArb, { minLength: 1, maxLength: 20 });

const show = (query: RandomQuery) => `query ${JSON.stringify(query)}`;
const rulesOf = (decision: Decision) =>
  decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule);
const sorted = (ids: readonly string[]) => [...ids].sort();

/** The engine of a policy model. */
const engineOf = (model: PolicyModel) => buildPolicy(renderPolicy(model)).engine;

/** A random policy with a rule named `extra` to add to it; `effect` fixes the rule's effect. */
function withExtraRule(
  effect?: 'permit' | 'forbid',
): fc.Arbitrary<{ model: PolicyModel; rule: RuleModel; at: number }> {
  return policyModelArb.chain((model) =>
    fc.record({
      model: fc.constant(model),
      rule: ruleArb(
        'extra',
        model.conditions.map((c) => c.id),
        effect,
      ),
      at: fc.integer({ min: 0, max: model.rules.length }),
    }),
  );
}

const inserted = (model: PolicyModel, rule: RuleModel, at: number): PolicyModel => ({
  ...model,
  rules: [...model.rules.slice(0, at), rule, ...model.rules.slice(at)],
});

describe('with no rule that applies', () => {
  it('a policy with no rules denies every query by default when its default is deny or unwritten', {
    timeout,
  }, () => {
    fc.assert(
      fc.property(policyModelArb, fc.boolean(), queriesArb, (model, written, queries) => {
        let text = renderPolicy({ ...model, rules: [], defaultEffect: 'deny' });
        if (!written) text = text.replace('\n  default deny because law', '');
        expect(text.includes('default'), 'the default is written only when asked').toBe(written);
        const { engine } = buildPolicy(text);
        for (const query of queries) {
          const decision = engine.decide(query);
          expect(decision.errors, show(query)).toEqual([]);
          expect(decision.decision, show(query)).toBe('deny');
          expect(
            decision.reasons.map((r) => [r.rule, r.effect]),
            show(query),
          ).toEqual([['default', 'default']]);
        }
      }),
      { numRuns: runs },
    );
  });

  it('a policy with no rules and a default permit permits every query, with the reason `default`', {
    timeout,
  }, () => {
    fc.assert(
      fc.property(policyModelArb, queriesArb, (model, queries) => {
        const engine = engineOf({ ...model, rules: [], defaultEffect: 'permit' });
        for (const query of queries) {
          const decision = engine.decide(query);
          expect(decision.decision, show(query)).toBe('permit');
          expect(
            decision.reasons.map((r) => [r.rule, r.effect]),
            show(query),
          ).toEqual([['default', 'default']]);
        }
      }),
      { numRuns: runs },
    );
  });
});

describe('a forbid', () => {
  it('wins: whenever a forbid applies the decision is deny, and only forbids are its reasons', {
    timeout,
  }, () => {
    fc.assert(
      fc.property(policyModelArb, queriesArb, (model, queries) => {
        const { checked, engine } = buildPolicy(renderPolicy(model));
        for (const query of queries) {
          const forbids = referenceDecide(checked, query)
            .matched.filter((r) => r.effect === 'forbid')
            .map((r) => r.id);
          if (forbids.length === 0) continue;
          const decision = engine.decide(query);
          expect(decision.decision, show(query)).toBe('deny');
          expect(
            decision.reasons.every((r) => r.effect === 'forbid'),
            show(query),
          ).toBe(true);
          expect(sorted(rulesOf(decision)), show(query)).toEqual(sorted(forbids));
        }
      }),
      { numRuns: runs },
    );
  });

  it('that always applies, added anywhere, denies every query', { timeout }, () => {
    fc.assert(
      fc.property(withExtraRule('forbid'), queriesArb, ({ model, rule, at }, queries) => {
        const { when: _ignored, ...always } = rule;
        const engine = engineOf(inserted(model, always, at));
        for (const query of queries) {
          const decision = engine.decide(query);
          expect(decision.decision, show(query)).toBe('deny');
          expect(rulesOf(decision), show(query)).toContain('extra');
        }
      }),
      { numRuns: runs },
    );
  });
});

describe('the rules of a policy', () => {
  it('decide the same whatever their order', { timeout }, () => {
    const arb = policyModelArb.chain((model) =>
      fc
        .shuffledSubarray(model.rules, { minLength: model.rules.length, maxLength: model.rules.length })
        .map((rules) => ({ model, shuffled: { ...model, rules } })),
    );
    fc.assert(
      fc.property(arb, queriesArb, ({ model, shuffled }, queries) => {
        const [before, after] = [engineOf(model), engineOf(shuffled)];
        for (const query of queries) {
          const [a, b] = [before.decide(query), after.decide(query)];
          expect(b.decision, show(query)).toBe(a.decision);
          expect(sorted(rulesOf(b)), show(query)).toEqual(sorted(rulesOf(a)));
          expect(
            b.obligations.map((o) => o.id),
            show(query),
          ).toEqual(a.obligations.map((o) => o.id));
        }
      }),
      { numRuns: runs },
    );
  });

  it('decide the same when one of them is duplicated under a new name', { timeout }, () => {
    const arb = policyModelArb.chain((model) =>
      fc.record({
        model: fc.constant(model),
        index: fc.integer({ min: 0, max: model.rules.length - 1 }),
        at: fc.integer({ min: 0, max: model.rules.length }),
      }),
    );
    fc.assert(
      fc.property(arb, queriesArb, ({ model, index, at }, queries) => {
        const original = model.rules[index] as RuleModel;
        const copy = { ...original, id: `${original.id}-copy` };
        const [before, after] = [engineOf(model), engineOf(inserted(model, copy, at))];
        for (const query of queries) {
          const [a, b] = [before.decide(query), after.decide(query)];
          expect(b.decision, show(query)).toBe(a.decision);
          // The copy decides exactly when the original does.
          const expected = rulesOf(a).includes(original.id) ? [...rulesOf(a), copy.id] : rulesOf(a);
          expect(sorted(rulesOf(b)), show(query)).toEqual(sorted(expected));
          expect(
            b.obligations.map((o) => o.id),
            show(query),
          ).toEqual(a.obligations.map((o) => o.id));
        }
      }),
      { numRuns: runs },
    );
  });
});

describe('adding a rule', () => {
  it('never turns a deny into a permit when the rule is a forbid', { timeout }, () => {
    fc.assert(
      fc.property(withExtraRule('forbid'), queriesArb, ({ model, rule, at }, queries) => {
        const [before, after] = [engineOf(model), engineOf(inserted(model, rule, at))];
        for (const query of queries) {
          if (before.decide(query).decision === 'deny') {
            expect(after.decide(query).decision, show(query)).toBe('deny');
          }
        }
      }),
      { numRuns: runs },
    );
  });

  it('never turns a permit into a deny when the rule is a permit', { timeout }, () => {
    fc.assert(
      fc.property(withExtraRule('permit'), queriesArb, ({ model, rule, at }, queries) => {
        const [before, after] = [engineOf(model), engineOf(inserted(model, rule, at))];
        for (const query of queries) {
          if (before.decide(query).decision === 'permit') {
            expect(after.decide(query).decision, show(query)).toBe('permit');
          }
        }
      }),
      { numRuns: runs },
    );
  });
});
