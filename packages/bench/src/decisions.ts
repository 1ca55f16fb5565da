/**
 * The same seeded random Wethersfield queries through Tenet's runtime, a hand-written function of the same rules,
 * json-logic-js on Tenet's JSON-logic export, and Cedar with an equivalent policy. Every engine is first checked to
 * agree with Tenet on every query (decision and deciding rules, and obligations where the engine has them); then
 * each is timed, and reported with its ratio to the hand-written function, pair by pair in the same run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, lower, toJsonLogic } from '@tenet/compiler';
import { checkPolicy, hasErrors } from '@tenet/language';
import { createEngine, type Decision, explain } from '@tenet/runtime';
import jsonLogic from 'json-logic-js';
import { createCedarEngine } from './cedar.js';
import { median, timeTogether } from './measure.js';
import { randomQueries } from './queries.js';
import { decideByHand, decideValidatedByHand, decisionByHand, validatedByHand } from './wethersfield.js';

const QUERIES = 10_000;
const SEED = 20_261_128;

/** The repository's root, where the policies are. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The Wethersfield policy's main file. */
export const wethersfieldFile = path.join(root, 'policies/wethersfield/confidentiality.policy');

/** A source host on the file system, as the CLI's. */
export const fileHost = {
  read: (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  resolve: (from: string, target: string) => path.join(path.dirname(from), target),
};

/** The rows the goals of issue 12 compare. */
export const HAND = 'hand-written function (validates nothing)';
export const HAND_VALIDATING = 'hand-written function, validating as strictly as Tenet';
export const TENET = 'tenet runtime (validated; reasons, obligations; decision kept per outcome)';
export const TENET_WITHOUT_CODEGEN =
  'tenet runtime without generated code (`codegen: false`, as under a CSP)';

/** One engine's figures: ns per decision (median, and the fastest and slowest repetition) and its ratio. */
export interface EngineFigures {
  engine: string;
  nsPerDecision: number;
  min: number;
  max: number;
  decisionsPerSecond: number;
  ratioToHand: number;
}

/** What an engine says of a query; what it does not say (Cedar's obligations, say) is not compared. */
interface Outcome {
  decision: string;
  rules?: string[];
  obligations?: string[];
}

/** Runs the decision benchmark; throws when an engine disagrees with Tenet on a query. */
export function decisionBenchmark(): {
  queries: number;
  seed: number;
  permits: number;
  figures: EngineFigures[];
} {
  const checked = checkPolicy(wethersfieldFile, fileHost);
  const compiled = compile(checked.value);
  if (hasErrors(checked.diagnostics) || !compiled.value)
    throw new Error('the Wethersfield policy does not compile');
  const artifact = compiled.value;
  const engine = createEngine(artifact);
  const withoutCodegen = createEngine(artifact, { codegen: false });
  const logic = toJsonLogic(
    lower(checked.value).value,
    artifact.obligations.map((o) => o.id),
    artifact.policy.defaultEffect,
  );
  const cedar = createCedarEngine();

  // As a service gets them: parsed from JSON text, untrusted.
  const queries = randomQueries(QUERIES, SEED).map((q) => JSON.parse(JSON.stringify(q)) as typeof q);
  const query = (i: number) => queries[i] as (typeof queries)[number];
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
  // What a host would write around json-logic-js: each condition applied once, combined by forbid-wins.
  const byCondition = (i: number) => {
    const holding = logic.conditions.rules.filter((r) =>
      jsonLogic.apply(r.when as jsonLogic.RulesLogic, data[i]),
    );
    const forbids = holding.filter((r) => r.effect === 'forbid');
    const deciding = forbids.length > 0 ? forbids : holding;
    return {
      decision: forbids.length > 0 ? 'deny' : holding.length > 0 ? 'permit' : artifact.policy.defaultEffect,
      rules: deciding.map((r) => r.id),
      obligations: logic.conditions.obligations
        .filter((o) => jsonLogic.apply(o.when as jsonLogic.RulesLogic, data[i]))
        .map((o) => o.id),
    };
  };
  const outcomeOf = (d: Decision): Outcome => ({
    decision: d.decision,
    rules: d.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
    obligations: d.obligations.map((o) => o.id),
  });
  const engines: { name: string; outcome: (i: number) => Outcome; run: (i: number) => number }[] = [
    {
      name: HAND,
      outcome: (i) => decideByHand(query(i)),
      run: (i) => decideByHand(query(i)).obligations.length,
    },
    // The yardstick of equal work: the same rules by hand, the query validated first as strictly as Tenet does.
    {
      name: HAND_VALIDATING,
      outcome: (i) => decideValidatedByHand(query(i)),
      run: (i) => decideValidatedByHand(query(i)).obligations.length,
    },
    {
      name: TENET,
      outcome: (i) => outcomeOf(engine.decide(query(i))),
      run: (i) => engine.decide(query(i)).obligations.length,
    },
    {
      name: TENET_WITHOUT_CODEGEN,
      outcome: (i) => outcomeOf(withoutCodegen.decide(query(i))),
      run: (i) => withoutCodegen.decide(query(i)).obligations.length,
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
    {
      name: 'json-logic-js 2.0.5 (one apply per rule and obligation)',
      outcome: (i) => byCondition(i),
      run: (i) => byCondition(i).obligations.length,
    },
    {
      name: 'cedar-wasm 4.13.0 (pre-parsed policies, validated requests)',
      outcome: (i) => cedar.decide(query(i)),
      run: (i) => cedar.decide(query(i)).rules.length,
    },
    // For reference: what the rules cost without validation, reasons or obligations, written by hand.
    {
      name: 'hand-written function, decision only',
      outcome: (i) => ({ decision: decisionByHand(query(i)) }),
      run: (i) => (decisionByHand(query(i)) === 'permit' ? 1 : 0),
    },
  ];

  // Agreement first: a benchmark of engines that disagree measures nothing.
  const list = (items: string[] | undefined) => (items ? [...items].sort().join(',') : '-');
  for (const e of engines) {
    for (let i = 0; i < QUERIES; i++) {
      const theirs = e.outcome(i);
      const ours = outcomeOf(engine.decide(query(i)));
      const key = (o: Outcome) =>
        `${o.decision}|${theirs.rules ? list(o.rules) : '-'}|${theirs.obligations ? list(o.obligations) : '-'}`;
      if (key(theirs) !== key(ours)) {
        throw new Error(
          `${e.name} disagrees with Tenet on query ${i}: ${JSON.stringify(query(i))}\n` +
            `  ${e.name}: ${key(theirs)}\n  tenet: ${key(ours)}`,
        );
      }
    }
  }
  // The validating yardstick refuses exactly what Tenet refuses: checked on spoiled copies of the queries.
  const spoilings: ((q: Record<string, Record<string, unknown>>) => unknown)[] = [
    (q) => ({ ...q, extra: {} }),
    (q) => ({ ...q, requester: { ...q.requester, role: 'king' } }),
    (q) => ({ ...q, requester: { ...q.requester, id: 'p 1' } }),
    (q) => ({ ...q, requester: { ...q.requester, id: '' } }),
    (q) => ({ ...q, requester: { ...q.requester, id: 'p\u200b1' } }),
    (q) => ({ ...q, requester: { ...q.requester, guardianOf: 'p-1' } }),
    (q) => ({ ...q, record: { ...q.record, subjectIsMinor: 'yes' } }),
    (q) => ({ ...q, request: { ...q.request, purpose: 'curiosity' } }),
    (q) => JSON.parse(JSON.stringify(q).replace('{"requester":{', '{"requester":{"__proto__":{},')),
    (q) => ({ ...q, record: { ...q.record, subjectId: 'x'.repeat(1025) } }),
  ];
  for (let i = 0; i < 1_000; i++)
    for (const [k, spoil] of spoilings.entries()) {
      const spoiled = spoil(query(i) as unknown as Record<string, Record<string, unknown>>);
      const refused = [engine.validate(spoiled).length > 0, validatedByHand(spoiled) === undefined];
      if (refused[0] !== refused[1])
        throw new Error(
          `the validating yardstick and Tenet disagree on spoiling ${k} of query ${i}: ${refused}`,
        );
    }
  const permits = queries.filter((q) => engine.decide(q).decision === 'permit').length;

  // Timed together, pass by pass. Cedar is some thousand times slower, and counterfactuals a hundred: they decide
  // the first tenth of the queries, so that a pass of each takes about as long as the others'.
  const timed = [
    ...engines,
    {
      name: 'tenet explain (text, per decision)',
      run: (i: number) => explain(engine.decide(query(i))).length,
    },
    {
      name: 'tenet counterfactuals (why not, per decision)',
      run: (i: number) => engine.counterfactuals(query(i)).found.length,
    },
  ];
  const slow = (name: string) => name.startsWith('cedar') || name.includes('counterfactuals');
  const samples = timeTogether(
    timed.map((t) => t.run),
    timed.map((t) => (slow(t.name) ? QUERIES / 10 : QUERIES)),
  );
  const rows = timed.map((t, k) => ({ name: t.name, samples: samples[k] as number[] }));
  const hand = median((rows[0] as (typeof rows)[number]).samples);
  return {
    queries: QUERIES,
    seed: SEED,
    permits,
    figures: rows.map((r) => ({
      engine: r.name,
      nsPerDecision: Math.round(median(r.samples)),
      min: Math.round(r.samples[0] as number),
      max: Math.round(r.samples.at(-1) as number),
      decisionsPerSecond: Math.round(1e9 / median(r.samples)),
      ratioToHand: Number((median(r.samples) / hand).toFixed(2)),
    })),
  };
}
