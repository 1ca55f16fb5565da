/**
 * The generated policies of the scaling benchmark (packages/bench/src/generate.ts), checked, compiled and decided
 * here against the reference interpreter: the shape of a large policy (long enumerations, shared conditions,
 * overlapping permits and forbids) exercises what small random policies rarely do: chains of one enumeration's
 * tests and their jump tables, settled enumerations, found steps shared by many paths.
 */
import { describe, expect, it } from 'vitest';
import { generatedQueries, generatePolicy } from '../packages/bench/src/generate.js';
import { HARD_SHAPES, type HardShape, hardPolicy, hardQueries } from '../packages/bench/src/hard.js';
import { analyze, compile, solverAttributes } from '../packages/compiler/src/index.js';
import { checkPolicy, hasErrors } from '../packages/language/src/index.js';
import { createEngine } from '../packages/runtime/src/index.js';
import { referenceDecide } from './helpers/reference-interpreter.js';

const SEED = 7;

function build(rules: number) {
  return buildText(generatePolicy(rules, SEED));
}

function buildText(text: string) {
  const checked = checkPolicy('generated.policy', {
    read: (file) => (file === 'generated.policy' ? text : undefined),
    resolve: (_, target) => target,
  });
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const compiled = compile(checked.value);
  expect(hasErrors(compiled.diagnostics)).toBe(false);
  if (!compiled.value) throw new Error('not compiled');
  return { checked: checked.value, artifact: compiled.value };
}

describe('generated policies', () => {
  it.each([10, 100, 400])('of %i rules decide as the reference interpreter does', (rules) => {
    const { checked, artifact } = build(rules);
    const engine = createEngine(artifact);
    for (const query of generatedQueries(rules, 400, SEED)) {
      const reference = referenceDecide(checked, query);
      const decision = engine.decide(query);
      expect(decision.errors).toEqual([]);
      expect({
        decision: decision.decision,
        rules: decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
        obligations: decision.obligations.map((o) => o.id),
      }).toEqual({
        decision: reference.decision,
        rules: reference.rules,
        obligations: reference.obligations,
      });
    }
  });

  it('of 100 rules prove every assertion the generator writes', () => {
    const { checked, artifact } = build(100);
    const analysis = analyze(checked, solverAttributes(artifact.vocabulary));
    expect(analysis.assertions.map((a) => [a.id, a.status])).toEqual(
      analysis.assertions.map((a) => [a.id, 'proved']),
    );
    expect(analysis.assertions.length).toBeGreaterThan(3);
  });
});

describe('policies whose rules combine in too many ways for one graph', () => {
  it.each(Object.keys(HARD_SHAPES) as HardShape[])(
    'of the %s shape compile in parts and decide as the reference interpreter does',
    (shape) => {
      const { checked, artifact } = buildText(hardPolicy(shape, SEED));
      // More found steps than rules: the graph is in parts, each finding its rules, one after another on a path.
      expect(artifact.graph.found.length).toBeGreaterThan(artifact.rules.length);
      const engine = createEngine(artifact);
      for (const query of hardQueries(shape, 300, SEED)) {
        const reference = referenceDecide(checked, query);
        const decision = engine.decide(query);
        expect(decision.errors).toEqual([]);
        expect({
          decision: decision.decision,
          rules: decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
        }).toEqual({ decision: reference.decision, rules: reference.rules });
      }
    },
  );
});
