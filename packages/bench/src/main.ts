/**
 * `pnpm run bench`: the same seeded random Wethersfield queries through Tenet's runtime, a hand-written function of
 * the same rules, and json-logic-js on Tenet's JSON-logic export. Every engine is first checked to agree with Tenet
 * on every query (decision, deciding rules, obligations); then each is timed over several repetitions after a
 * warm-up, and reported in ns per decision with its ratio to the hand-written function. `--json` prints the figures
 * for tools.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, lower, toJsonLogic } from '@tenet/compiler';
import { checkPolicy, hasErrors } from '@tenet/language';
import { createEngine, explain } from '@tenet/runtime';
import jsonLogic from 'json-logic-js';
import { randomQueries } from './queries.js';
import { decideByHand } from './wethersfield.js';

const QUERIES = 10_000;
const SEED = 20_261_128;
const REPETITIONS = 9;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const policyFile = path.join(root, 'policies/wethersfield/confidentiality.policy');
const host = {
  read: (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  resolve: (from: string, target: string) => path.join(path.dirname(from), target),
};

const checked = checkPolicy(policyFile, host);
const compiled = compile(checked.value);
if (hasErrors(checked.diagnostics) || !compiled.value)
  throw new Error('the Wethersfield policy does not compile');
const artifact = compiled.value;
const engine = createEngine(artifact);
const logic = toJsonLogic(
  lower(checked.value).value,
  artifact.obligations.map((o) => o.id),
  artifact.policy.defaultEffect,
);

const queries = randomQueries(QUERIES, SEED);
// json-logic-js reads the query as data, defaults included: prepared once, outside the timing.
const data = queries.map((q) => {
  const read = engine.read(q);
  if (!('values' in read)) throw new Error(`a generated query is invalid: ${JSON.stringify(read.errors)}`);
  const nested: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(read.values)) {
    const [entity, attribute] = key.split('.') as [string, string];
    nested[entity] = { ...nested[entity], [attribute]: value };
  }
  return nested;
});

interface Outcome {
  decision: string;
  rules: string[];
  obligations: string[];
}
const engines: { name: string; outcome: (i: number) => Outcome; run: (i: number) => number }[] = [
  {
    name: 'hand-written function',
    outcome: (i) => decideByHand(queries[i] as (typeof queries)[number]),
    run: (i) => decideByHand(queries[i] as (typeof queries)[number]).obligations.length,
  },
  {
    name: 'tenet runtime (validated, with reasons and obligations)',
    outcome: (i) => {
      const d = engine.decide(queries[i]);
      return {
        decision: d.decision,
        rules: d.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
        obligations: d.obligations.map((o) => o.id),
      };
    },
    run: (i) => engine.decide(queries[i]).obligations.length,
  },
  {
    name: 'json-logic-js 2.0.5 (Tenet export, 3 applies)',
    outcome: (i) => ({
      decision: jsonLogic.apply(logic.decision as jsonLogic.RulesLogic, data[i]) as string,
      rules: jsonLogic.apply(logic.rules as jsonLogic.RulesLogic, data[i]) as string[],
      obligations: jsonLogic.apply(logic.obligations as jsonLogic.RulesLogic, data[i]) as string[],
    }),
    run: (i) => {
      jsonLogic.apply(logic.decision as jsonLogic.RulesLogic, data[i]);
      jsonLogic.apply(logic.rules as jsonLogic.RulesLogic, data[i]);
      return (jsonLogic.apply(logic.obligations as jsonLogic.RulesLogic, data[i]) as string[]).length;
    },
  },
];

// Agreement first: a benchmark of engines that disagree measures nothing.
const key = (o: Outcome) =>
  `${o.decision}|${[...o.rules].sort().join(',')}|${[...o.obligations].sort().join(',')}`;
const tenet = engines[1] as (typeof engines)[number];
for (const e of engines) {
  for (let i = 0; i < QUERIES; i++) {
    if (key(e.outcome(i)) !== key(tenet.outcome(i))) {
      console.error(`${e.name} disagrees with Tenet on query ${i}: ${JSON.stringify(queries[i])}`);
      console.error(`  ${e.name}: ${key(e.outcome(i))}\n  tenet: ${key(tenet.outcome(i))}`);
      process.exit(1);
    }
  }
}
const permits = queries.filter((q) => engine.decide(q).decision === 'permit').length;

function time(run: (i: number) => number, count: number): number[] {
  let sink = 0;
  for (let i = 0; i < count; i++) sink += run(i % count); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) sink += run(i);
    samples.push(Number(process.hrtime.bigint() - start) / count);
  }
  if (sink < 0) console.log(sink);
  return samples.sort((a, b) => a - b);
}

const rows = engines.map((e) => ({ name: e.name, samples: time(e.run, QUERIES) }));
const extras = [
  {
    name: 'tenet explain (text, per decision)',
    samples: time((i) => explain(engine.decide(queries[i])).length, QUERIES),
  },
  {
    name: 'tenet counterfactuals (why not, per decision)',
    samples: time((i) => engine.counterfactuals(queries[i]).length, 1000),
  },
];
const median = (s: number[]) => s[Math.floor(s.length / 2)] as number;
const hand = median((rows[0] as (typeof rows)[number]).samples);
const figures = [...rows, ...extras].map((r) => ({
  engine: r.name,
  nsPerDecision: Math.round(median(r.samples)),
  min: Math.round(r.samples[0] as number),
  max: Math.round(r.samples.at(-1) as number),
  decisionsPerSecond: Math.round(1e9 / median(r.samples)),
  ratioToHand: Number((median(r.samples) / hand).toFixed(2)),
}));

if (process.argv.includes('--json')) {
  console.log(
    JSON.stringify(
      { queries: QUERIES, seed: SEED, repetitions: REPETITIONS, permits, node: process.version, figures },
      null,
      2,
    ),
  );
} else {
  console.log(
    `${QUERIES} seeded random Wethersfield queries (seed ${SEED}; ${permits} permits), ${REPETITIONS} repetitions after a warm-up, node ${process.version}`,
  );
  console.log(
    `all ${engines.length} engines agree with Tenet on every query (decision, deciding rules, obligations)\n`,
  );
  const width = Math.max(...figures.map((f) => f.engine.length));
  console.log(`${'engine'.padEnd(width)}  ns/decision (min–max)   decisions/s   × hand-written`);
  for (const f of figures) {
    const range = `${f.nsPerDecision} (${f.min}–${f.max})`;
    console.log(
      `${f.engine.padEnd(width)}  ${range.padEnd(22)}  ${String(f.decisionsPerSecond).padStart(11)}   ${f.ratioToHand.toFixed(2)}`,
    );
  }
}
