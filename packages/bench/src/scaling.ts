/**
 * How cost grows with policy size: generated policies of 10 to 10,000 rules (see generate.ts), each parsed, checked,
 * compiled, verified, and deciding seeded random queries. Graph size and depth beside decision time show that a
 * decision follows the graph's depth, not the number of rules.
 */
import { analyze, compile, solverAttributes } from '@tenet/compiler';
import { check, hasErrors, load } from '@tenet/language';
import { createEngine, type Graph } from '@tenet/runtime';
import { generatedQueries, generatePolicy } from './generate.js';
import { median, once, timeTogether } from './measure.js';

const SEED = 11_252_011;
const QUERIES = 10_000;

/** The figures of one size. */
export interface ScalingFigures {
  rules: number;
  sourceKiB: number;
  parseMs: number;
  checkMs: number;
  compileMs: number;
  verifyMs: number;
  assertionsProved: string;
  nodes: number;
  found: number;
  depth: number;
  meanPath: number;
  artifactKiB: number;
  nsPerDecision: number;
}

/** The longest path from the root, in tests: found steps cost a step each too, but test nothing. */
function depthOf(graph: Graph): number {
  const depths: number[] = [];
  const depth = (r: number): number => {
    if (r >= 0) return depths[r] as number;
    const next = graph.found[-r - 1]?.next;
    return next === undefined ? 0 : depth(next);
  };
  // Children come before their parents, so one pass in order sees every child's depth first.
  graph.nodes.forEach(([, low, high], n) => {
    depths[n] = 1 + Math.max(depth(low), depth(high));
  });
  return depth(graph.root);
}

/** Measures one size; `progress` hears of each stage as it starts. */
export function scale(rules: number, progress: (stage: string) => void): ScalingFigures {
  const file = `generated-${rules}.policy`;
  const text = generatePolicy(rules, SEED);
  const host = {
    read: (f: string) => (f === file ? text : undefined),
    resolve: (_: string, target: string) => target,
  };
  progress('parse');
  const loaded = once(() => load(file, host));
  progress('check');
  const checked = once(() => check(loaded.value.value));
  const diagnostics = [...loaded.value.diagnostics, ...checked.value.diagnostics];
  if (hasErrors(diagnostics))
    throw new Error(`the generated policy of ${rules} rules has errors: ${diagnostics[0]?.message}`);
  progress('compile');
  const compiled = once(() => compile(checked.value.value));
  const artifact = compiled.value.value;
  if (!artifact) throw new Error(`the generated policy of ${rules} rules does not compile`);
  progress('verify');
  const verified = once(() => analyze(checked.value.value, solverAttributes(artifact.vocabulary)));
  const proved = verified.value.assertions.filter((a) => a.status === 'proved').length;
  progress('decide');
  const engine = createEngine(artifact);
  const queries = generatedQueries(rules, QUERIES, SEED);
  let tested = 0;
  for (const q of queries) {
    const trace = engine.trace(q);
    if (!('outcome' in trace))
      throw new Error(`a generated query is invalid: ${JSON.stringify(trace.errors)}`);
    tested += trace.tested.size;
  }
  const [samples = []] = timeTogether([(i) => engine.decide(queries[i]).reasons.length], [QUERIES]);
  return {
    rules,
    sourceKiB: Math.round(text.length / 1024),
    parseMs: Math.round(loaded.ms),
    checkMs: Math.round(checked.ms),
    compileMs: Math.round(compiled.ms),
    verifyMs: Math.round(verified.ms),
    assertionsProved: `${proved}/${verified.value.assertions.length}`,
    nodes: artifact.graph.nodes.length,
    found: artifact.graph.found.length,
    depth: depthOf(artifact.graph),
    meanPath: Number((tested / QUERIES).toFixed(1)),
    artifactKiB: Math.round(JSON.stringify(artifact).length / 1024),
    nsPerDecision: Math.round(median(samples)),
  };
}
