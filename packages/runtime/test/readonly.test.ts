// What an engine returns is frozen at run time and readonly in its type: each change below is a type error, which
// `tsc -p tsconfig.test.json` requires (an `@ts-expect-error` with no error under it fails the type check), and a
// TypeError when it runs anyway.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type Artifact,
  type Change,
  type Counterfactual,
  createEngine,
  type Decision,
  type QueryError,
  type Reason,
} from '../src/index.js';
import { sampleQuery, wethersfield } from './wethersfield.js';

const engine = wethersfield();
const decision: Decision = engine.decide(sampleQuery('subpoena-without-good-cause'));
const reason = decision.reasons[0] as Reason;

describe('a decision', () => {
  it('is frozen, and its type says so', () => {
    expect(decision.decision).toBe('deny');
    expect(() => {
      // @ts-expect-error: a decision's reasons are a ReadonlyArray
      decision.reasons.push(reason);
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error: a decision's fields are readonly
      decision.decision = 'permit';
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error: a reason's fields are readonly
      reason.rule = 'another';
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error: a reason's citations are a ReadonlyArray
      reason.citations.push('another');
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error: a decision's policy is readonly
      decision.policy.title = 'another';
    }).toThrow(TypeError);
    expect(decision.decision).toBe('deny');
    expect(decision.reasons).toEqual([reason]);
  });

  it('of an invalid query, and the other answers, are typed readonly too', () => {
    const refused = engine.decide({});
    expect(refused.errors.map((error) => error.code)).toContain('missing-field');
    expectTypeOf(refused.errors).toEqualTypeOf<readonly QueryError[]>();
    expectTypeOf<QueryError>().toEqualTypeOf<Readonly<QueryError>>();
    expectTypeOf(engine.validate({})).toEqualTypeOf<readonly QueryError[]>();
    const search = engine.counterfactuals(sampleQuery('subpoena-without-good-cause'));
    expectTypeOf(search.found).toEqualTypeOf<readonly Counterfactual[]>();
    expectTypeOf<Counterfactual['changes']>().toEqualTypeOf<readonly Change[]>();
  });
});

describe('createEngine', () => {
  it('takes an artifact, or parsed JSON it checks when it runs', () => {
    const artifact: Artifact = engine.artifact;
    expect(createEngine(artifact).artifact.hash).toBe(artifact.hash);
    const parsed: unknown = JSON.parse(JSON.stringify(artifact));
    expect(createEngine(parsed).artifact.hash).toBe(artifact.hash);
  });
});
