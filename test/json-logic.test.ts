/**
 * The JSON-logic export and the runtime are two forms of one decision procedure: on random valid queries,
 * json-logic-js 2.0.5 and the runtime agree on the decision, the deciding rules and the obligations. Queries are
 * drawn from the policy's own vocabulary, with identifiers from a small pool so that equalities and memberships
 * happen. `TENET_FUZZ_RUNS` sets the number of queries (default 2000).
 */
import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { toJsonLogic } from '../packages/compiler/src/index.js';
import { type AttributeType, createEngine, type EntitySpec } from '../packages/runtime/src/index.js';
import { fuzzRuns } from './helpers/arbitraries.js';
import { compiled, lower } from './helpers/wethersfield.js';

const pool = ['p-1', 'p-2', 'p-3'];

function valueArb(type: AttributeType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: -5, max: 30 });
    case 'identifier':
      return fc.constantFrom(...pool);
    case 'enum':
      return fc.constantFrom(...type.values);
    case 'set':
      return fc.uniqueArray(
        type.element.kind === 'enum' ? fc.constantFrom(...type.element.values) : fc.constantFrom(...pool),
      );
  }
}

/** Valid queries of a vocabulary: required attributes always, the others sometimes (so defaults apply). */
function queryArb(vocabulary: readonly EntitySpec[]): fc.Arbitrary<Record<string, Record<string, unknown>>> {
  return fc.record(
    Object.fromEntries(
      vocabulary.map((entity) => [
        entity.name,
        fc.record(Object.fromEntries(entity.attributes.map((a) => [a.name, valueArb(a.type)])), {
          requiredKeys: entity.attributes.filter((a) => a.default === undefined).map((a) => a.name),
        }),
      ]),
    ),
  );
}

describe('the JSON-logic export', () => {
  const { checked, artifact } = compiled('policies/wethersfield/confidentiality.policy');
  const engine = createEngine(artifact);
  const logic = toJsonLogic(
    lower(checked).value,
    artifact.obligations.map((o) => o.id),
    artifact.policy.defaultEffect,
  );

  it('agrees with the runtime on decision, rules and obligations for random Wethersfield queries', () => {
    fc.assert(
      fc.property(queryArb(artifact.vocabulary), (query) => {
        const read = engine.read(query);
        expect(read).toHaveProperty('values');
        if (!('values' in read)) return;
        // JSON-logic reads the query with its defaults filled in: the same values the runtime decided on.
        const data: Record<string, Record<string, unknown>> = {};
        for (const [key, value] of Object.entries(read.values)) {
          const [entity, attribute] = key.split('.') as [string, string];
          data[entity] = { ...data[entity], [attribute]: value };
        }
        const decision = engine.decide(query);
        expect(jsonLogic.apply(logic.decision as jsonLogic.RulesLogic, data)).toBe(decision.decision);
        expect(jsonLogic.apply(logic.rules as jsonLogic.RulesLogic, data)).toEqual(
          decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
        );
        expect(jsonLogic.apply(logic.obligations as jsonLogic.RulesLogic, data)).toEqual(
          decision.obligations.map((o) => o.id),
        );
        // Each condition alone: the rules and obligations that hold, of which the decision's are a part.
        const holds = (when: unknown) => jsonLogic.apply(when as jsonLogic.RulesLogic, data) === true;
        const holding = logic.conditions.rules.filter((r) => holds(r.when));
        const forbids = holding.filter((r) => r.effect === 'forbid');
        expect((forbids.length > 0 ? forbids : holding).map((r) => r.id)).toEqual(
          decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
        );
        expect(logic.conditions.obligations.filter((o) => holds(o.when)).map((o) => o.id)).toEqual(
          decision.obligations.map((o) => o.id),
        );
      }),
      { numRuns: fuzzRuns(2000) },
    );
  });
});
