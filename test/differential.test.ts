/**
 * Three implementations of one decision procedure, compared on random policies and random queries: the runtime
 * (the compiled decision graph), the reference interpreter (test/helpers/reference-interpreter.ts, which walks the
 * checked AST by the language reference) and json-logic-js 2.0.5 on the JSON-logic export. They must agree on the
 * decision, the deciding rules and the obligations. And formatting a policy never changes what it decides.
 *
 * Policies come from test/helpers/random-policies.ts: every type of attribute, every kind of test, nested `and`,
 * `or` and `not`, named conditions, obligations, either default. `TENET_FUZZ_RUNS` sets the number of policies
 * (default 1400, each asked up to 30 queries).
 */
import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compile, lower, toJsonLogic } from '../packages/compiler/src/index.js';
import { format, parse } from '../packages/language/src/index.js';
import { artifactProblems, createEngine, type Decision } from '../packages/runtime/src/index.js';
import { fuzzRuns } from './helpers/arbitraries.js';
import {
  buildPolicy,
  errorsOf,
  policyTextArb,
  queryArb,
  type RandomQuery,
} from './helpers/random-policies.js';
import { fillDefaults, nestedQuery, referenceDecide } from './helpers/reference-interpreter.js';

const runs = fuzzRuns(1400);
/** Large `TENET_FUZZ_RUNS` get the time they need. */
const timeout = Math.max(60_000, runs * 40);
const queriesArb = fc.array(queryArb, { minLength: 1, maxLength: 30 });

/** What the three implementations are compared on. */
interface Outcome {
  decision: unknown;
  rules: unknown;
  obligations: unknown;
}

function outcomeOf(decision: Decision): Outcome {
  return {
    decision: decision.decision,
    rules: decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
    obligations: decision.obligations.map((o) => o.id),
  };
}

const show = (query: RandomQuery) => `query ${JSON.stringify(query)}`;

describe('the random policies', () => {
  it('check and compile with no errors', { timeout }, () => {
    fc.assert(
      fc.property(policyTextArb, (text) => {
        expect(() => buildPolicy(text)).not.toThrow();
      }),
      { numRuns: runs },
    );
  });
});

describe('the runtime, the reference interpreter and the JSON-logic export', () => {
  it('agree on the decision, the deciding rules and the obligations of random policies and queries', {
    timeout,
  }, () => {
    fc.assert(
      fc.property(policyTextArb, queriesArb, (text, queries) => {
        const { checked, artifact, engine } = buildPolicy(text);
        const logic = toJsonLogic(
          lower(checked).value,
          artifact.obligations.map((o) => o.id),
          artifact.policy.defaultEffect,
        );
        for (const query of queries) {
          const reference = referenceDecide(checked, query);
          const expected: Outcome = {
            decision: reference.decision,
            rules: reference.rules,
            obligations: reference.obligations,
          };

          const decision = engine.decide(query);
          expect(decision.errors, show(query)).toEqual([]);
          expect(outcomeOf(decision), show(query)).toEqual(expected);
          // A decision no rule made gives the default as its reason.
          if (reference.rules.length === 0) {
            expect(decision.reasons.map((r) => r.effect)).toEqual(['default']);
          }

          // The runtime and the reference read the query the same way, defaults filled in.
          const filled = fillDefaults(checked, query);
          expect(engine.read(query), show(query)).toEqual({ values: Object.fromEntries(filled) });

          const data = nestedQuery(filled);
          const viaLogic: Outcome = {
            decision: jsonLogic.apply(logic.decision as jsonLogic.RulesLogic, data),
            rules: jsonLogic.apply(logic.rules as jsonLogic.RulesLogic, data),
            obligations: jsonLogic.apply(logic.obligations as jsonLogic.RulesLogic, data),
          };
          expect(viaLogic, show(query)).toEqual(expected);
        }
      }),
      { numRuns: runs },
    );
  });
});

describe('the decision graph built in parts', () => {
  // A walk that may remember next to nothing cannot build one graph of a policy's rules, or often of one rule: the
  // compiler then splits them by the enumerations they pin, into runs, and into graphs the shape of a condition.
  it('decides as the reference interpreter does, however small the parts', { timeout }, () => {
    fc.assert(
      fc.property(policyTextArb, fc.constantFrom(0, 1, 3, 12), queriesArb, (text, remembered, queries) => {
        const { checked } = buildPolicy(text);
        const artifact = compile(checked, { limits: { nodes: 1_000_000, remembered } }).value;
        if (!artifact) throw new Error('not compiled');
        expect(artifactProblems(artifact)).toEqual([]);
        const engine = createEngine(artifact);
        for (const query of queries) {
          const reference = referenceDecide(checked, query);
          const decision = engine.decide(query);
          expect(decision.errors, show(query)).toEqual([]);
          expect(outcomeOf(decision), show(query)).toEqual({
            decision: reference.decision,
            rules: reference.rules,
            obligations: reference.obligations,
          });
        }
      }),
      { numRuns: runs },
    );
  });
});

describe('formatting', () => {
  it('never changes the decisions, deciding rules or obligations of a random policy', { timeout }, () => {
    fc.assert(
      fc.property(policyTextArb, queriesArb, (text, queries) => {
        const original = buildPolicy(text);
        const parsed = parse(text, 'random.policy');
        expect(errorsOf(parsed.diagnostics)).toEqual([]);
        const formatted = buildPolicy(format(parsed.value));
        for (const query of queries) {
          expect(outcomeOf(formatted.engine.decide(query)), show(query)).toEqual(
            outcomeOf(original.engine.decide(query)),
          );
        }
      }),
      { numRuns: runs },
    );
  });
});
