/**
 * `pnpm run bench`: Tenet side by side with a hand-written function, json-logic-js and Cedar on the same queries;
 * whole processes, cold; and how cost grows with policy size. Progress goes to standard error, the figures to
 * standard output: tables, or JSON with `--json`.
 *
 *   --only decisions,process,shapes,diff,scaling   run some parts only (all by default)
 *   --sizes 10,100,1000,10000          the policy sizes of the scaling part
 *   --json                             the figures as JSON, for tools
 */
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { decisionBenchmark, HAND, HAND_VALIDATING, TENET, TENET_WITHOUT_CODEGEN } from './decisions.js';
import { diffBenchmark } from './diff.js';
import { REPETITIONS, table } from './measure.js';
import { processBenchmark } from './process.js';
import { type ScalingFigures, scale } from './scaling.js';
import { SHAPE_GOALS, shapesBenchmark } from './shapes.js';

// Node 20's V8 can abort (a fatal error in its deoptimizer) when it deoptimizes code that inlined a call into
// WebAssembly, as timing Cedar beside the others does. Not inlining those calls costs Cedar nothing measurable.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

const { values } = parseArgs({
  // `pnpm run bench -- --json` passes the `--` on.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    only: { type: 'string', default: 'decisions,process,shapes,diff,scaling' },
    sizes: { type: 'string', default: '10,100,1000,10000' },
    json: { type: 'boolean', default: false },
  },
});
const parts = new Set(values.only.split(','));
const sizes = values.sizes.split(',').map(Number);
const say = (text: string) => process.stderr.write(`${text}\n`);

/** The goals of issue 12 for a decision, each beside the ratio measured in this run. */
function decisionGoals(figures: readonly { engine: string; nsPerDecision: number }[]): string[] {
  const ns = (engine: string) => figures.find((f) => f.engine === engine)?.nsPerDecision ?? Number.NaN;
  const line = (what: string, ratio: number, goal: number) =>
    `${what}: ${ratio.toFixed(2)} (goal ≤ ${goal.toFixed(2)}; ${ratio <= goal ? 'met' : 'not met'})`;
  return [
    line('tenet ÷ the hand-written function validating as strictly', ns(TENET) / ns(HAND_VALIDATING), 1),
    line('tenet ÷ the hand-written function validating nothing', ns(TENET) / ns(HAND), 1.5),
    line('tenet without generated code ÷ tenet', ns(TENET_WITHOUT_CODEGEN) / ns(TENET), 2),
  ];
}

const results: Record<string, unknown> = { node: process.version, repetitions: REPETITIONS };
const out: string[] = [];

if (parts.has('decisions')) {
  say('decisions: checking that every engine agrees with Tenet, then timing each…');
  const d = decisionBenchmark();
  results.decisions = d;
  out.push(
    `${d.queries} seeded random Wethersfield queries (seed ${d.seed}; ${d.permits} permits), ${REPETITIONS} repetitions after a warm-up, node ${process.version}`,
    'every engine agrees with Tenet on every query (decision, deciding rules, and obligations where it has them)',
    '',
    table(
      ['engine', 'ns/decision', 'min', 'max', 'decisions/s', '× hand-written'],
      d.figures.map((f) => [
        f.engine,
        f.nsPerDecision,
        f.min,
        f.max,
        f.decisionsPerSecond,
        f.ratioToHand.toFixed(2),
      ]),
    ),
    '',
    ...decisionGoals(d.figures),
    '',
  );
}

if (parts.has('process')) {
  say('process: timing whole processes, cold…');
  const p = processBenchmark();
  results.process = p;
  out.push(
    `whole processes, one query each (median of ${p.runs} runs)`,
    '',
    table(
      ['process', 'ms', 'min', 'max', '× bare node', 'peak MiB', 'goal'],
      p.figures.map((f) => [
        f.process,
        f.ms,
        f.min,
        f.max,
        f.ratioToNode.toFixed(2),
        f.peakMiB,
        f.goal === undefined ? '' : `${f.goal}: ${f.meetsGoal ? 'met' : 'not met'}`,
      ]),
    ),
    '',
  );
}

if (parts.has('shapes')) {
  const figures = shapesBenchmark((shape) => say(`shapes: the ${shape} shape…`));
  results.shapes = { goals: SHAPE_GOALS, figures };
  const beside = (value: number, goal: number) => `${value} (goal < ${goal})`;
  out.push(
    'policies whose rules combine in too many ways for one graph (packages/bench/src/hard.ts): `tenet compile` in a fresh process with a 1 GiB heap, the artifact loaded (parse and createEngine, median of 5), random queries parsed from JSON decided',
    '',
    table(
      [
        'shape',
        'rules',
        'compile ms',
        'peak MiB',
        'nodes',
        'found',
        'artifact KiB',
        'load ms',
        'ns/decision',
      ],
      figures.map((f) => [
        f.shape,
        f.rules,
        beside(f.compileMs, SHAPE_GOALS.compileMs),
        beside(f.peakMiB, SHAPE_GOALS.peakMiB),
        f.nodes,
        f.found,
        f.artifactKiB,
        beside(f.loadMs, SHAPE_GOALS.loadMs),
        beside(f.nsPerDecision, SHAPE_GOALS.nsPerDecision),
      ]),
    ),
    '',
  );
}

if (parts.has('diff')) {
  const figures = diffBenchmark({ progress: (name) => say(`diff: ${name}…`) });
  results.diff = figures;
  out.push(
    '`tenet diff` of policies whose outcomes combine in exponentially many ways (packages/bench/src/diff.ts): compared in this process, and by a fresh `tenet diff` process',
    '',
    table(
      ['case', 'ms', 'goal'],
      figures.map((f) => [f.case, f.ms, `< ${f.goalMs} ms: ${f.ms < f.goalMs ? 'met' : 'not met'}`]),
    ),
    '',
  );
}

if (parts.has('scaling')) {
  const rows: ScalingFigures[] = [];
  for (const size of sizes) {
    const started = performance.now();
    rows.push(scale(size, (stage) => say(`scaling: ${size} rules: ${stage}…`)));
    say(`scaling: ${size} rules done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  results.scaling = rows;
  out.push(
    'generated policies (packages/bench/src/generate.ts), times in ms; depth and mean tests: the tests on the longest path, and on a query’s path on average (decide takes a chain of tests of one enumeration in one lookup)',
    '',
    table(
      [
        'rules',
        'source KiB',
        'parse',
        'check',
        'compile',
        'verify',
        'proved',
        'nodes',
        'found',
        'depth',
        'mean tests',
        'artifact KiB',
        'ns/decision',
      ],
      rows.map((r) => [
        r.rules,
        r.sourceKiB,
        r.parseMs,
        r.checkMs,
        r.compileMs,
        r.verifyMs,
        r.assertionsProved,
        r.nodes,
        r.found,
        r.depth,
        r.meanPath,
        r.artifactKiB,
        r.nsPerDecision,
      ]),
    ),
    '',
  );
}

console.log(values.json ? JSON.stringify(results, null, 2) : out.join('\n'));
