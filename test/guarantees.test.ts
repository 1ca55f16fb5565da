/**
 * The Wethersfield guarantees, checked a second way: on random queries, by deciding each with the runtime and
 * evaluating each assertion's claim with the reference interpreter. The analyzer proves them for every query; this
 * must find no query that breaks one, and for a false assertion (checked on a policy with one planted) it must find
 * what the analyzer's counterexample shows. `TENET_FUZZ_RUNS` sets the number of queries (default 20,000).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, solverAttributes } from '../packages/compiler/src/index.js';
import type { AssertDeclaration, CheckedPolicy } from '../packages/language/src/index.js';
import { createEngine, type Decision, type Engine } from '../packages/runtime/src/index.js';
import { fuzzRuns } from './helpers/arbitraries.js';
import { referenceHolds } from './helpers/reference-interpreter.js';
import { compiled } from './helpers/wethersfield.js';

const wethersfield = compiled('policies/wethersfield/confidentiality.policy');
/** The roles the vocabulary declares. */
const roles = (() => {
  const type = wethersfield.artifact.vocabulary
    .find((e) => e.name === 'requester')
    ?.attributes.find((a) => a.name === 'role')?.type;
  if (type?.kind !== 'enum') throw new Error('the vocabulary has no requester.role enumeration');
  return type.values;
})();
const people = fc.constantFrom('p-1', 'p-2', 'p-3');

/** Wethersfield queries, with identifiers from a pool of three so that a requester is often the borrower. */
const queryArb = fc.record({
  requester: fc.record(
    { id: people, role: fc.constantFrom(...roles), guardianOf: fc.uniqueArray(people) },
    { requiredKeys: ['id', 'role'] },
  ),
  record: fc.record(
    {
      subjectId: people,
      subjectIsMinor: fc.boolean(),
      subjectIsStaff: fc.boolean(),
      staffCardPrivileged: fc.boolean(),
    },
    { requiredKeys: ['subjectId'] },
  ),
  request: fc.record(
    {
      purpose: fc.constantFrom('disclosure', 'circulation', 'collection_development', 'card_monitoring'),
      legalProcess: fc.constantFrom('none', 'subpoena', 'court_order', 'warrant', 'other_process'),
      properForm: fc.boolean(),
      goodCauseShown: fc.boolean(),
      competentJurisdiction: fc.boolean(),
      writtenConsent: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
});

/**
 * Whether a decision does what a claim speaks of: permits or denies (with an obligation, where the claim says so),
 * carries an obligation, cites, applies a rule.
 */
function does(
  claim: NonNullable<AssertDeclaration['claim']>,
  decision: Decision,
  matched: readonly string[],
): boolean {
  const outcome = claim.outcome;
  const target = 'target' in outcome ? outcome.target.text : '';
  switch (outcome.kind) {
    case 'permit':
    case 'deny':
      return (
        decision.decision === outcome.kind &&
        (!outcome.with || decision.obligations.some((o) => o.id === outcome.with?.text))
      );
    case 'require':
      return decision.obligations.some((o) => o.id === target);
    case 'cite':
      return decision.citations.some((c) => c.id === target);
    case 'apply':
      return matched.includes(target);
  }
}

/** Whether `query` breaks `assertion`, by the runtime's decision and the reference's reading of the claim. */
function breaks(
  checked: CheckedPolicy,
  engine: Engine,
  assertion: AssertDeclaration,
  query: Record<string, Record<string, unknown>>,
): boolean {
  const claim = assertion.claim;
  if (!claim || !referenceHolds(checked, query, claim.when)) return false;
  const trace = engine.trace(query);
  if (!('outcome' in trace)) throw new Error('a generated query is invalid');
  const matched = trace.outcome.matched.map((r) => engine.artifact.rules[r]?.id ?? '');
  const happens = does(claim, engine.decide(query), matched);
  return claim.quantifier === 'always' ? !happens : happens;
}

describe('the Wethersfield guarantees', () => {
  const { checked, artifact } = wethersfield;
  const engine = createEngine(artifact);

  it('are proved by the analyzer', () => {
    const { assertions } = analyze(checked, solverAttributes(artifact.vocabulary));
    expect(assertions.length).toBeGreaterThanOrEqual(20);
    expect(assertions.filter((a) => a.status !== 'proved').map((a) => a.id)).toEqual([]);
  });

  it('hold on random queries decided by the runtime, each claim read by the reference interpreter', () => {
    fc.assert(
      fc.property(queryArb, (query) => {
        for (const assertion of checked.assertions)
          expect(breaks(checked, engine, assertion, query), assertion.id.text).toBe(false);
      }),
      { numRuns: fuzzRuns(20_000) },
    );
  });

  it('are broken, by the second method too, exactly where the analyzer finds a counterexample', () => {
    const planted = compiled('test/cases/guarantees/planted.policy');
    const plantedEngine = createEngine(planted.artifact);
    const { assertions } = analyze(planted.checked, solverAttributes(planted.artifact.vocabulary));
    for (const result of assertions) {
      const assertion = planted.checked.assertions.find((a) => a.id.text === result.id) as AssertDeclaration;
      if (result.status === 'proved') continue;
      expect(result.counterexample).toBeDefined();
      expect(breaks(planted.checked, plantedEngine, assertion, result.counterexample ?? {}), result.id).toBe(
        true,
      );
    }
    expect(assertions.map((a) => [a.id, a.status])).toEqual([
      ['parents-see-adult-records', 'false'],
      ['notify-only-on-process', 'false'],
      ['borrower-sees-own-record', 'proved'],
    ]);
  });
});
