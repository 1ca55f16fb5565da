/**
 * Whole processes, cold: `tenet check` and `tenet decide` on the Wethersfield policy and on its compiled artifact,
 * `tenet compile` of the generated 10,000-rule policy, one Cedar decision in a fresh process, and bare `node -e ''`
 * as the floor each is compared with. Wall time from spawn to exit (median of several runs), and peak resident
 * memory; a row with a goal says it beside its figures.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { root, wethersfieldFile } from './decisions.js';
import { generatePolicy } from './generate.js';
import { median, peakKiB, peakMemory } from './measure.js';

const RUNS = 15;
/** `tenet compile` of 10,000 rules takes seconds a run: fewer runs of it. */
const LARGE_RUNS = 5;
const cli = path.join(root, 'packages/cli/dist/main.js');
const cedarOnce = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cedar-once.js');
const query = path.join(root, 'policies/wethersfield/queries/reporter.json');
/** The policy and seed of the scaling benchmark's largest size (see generate.ts). */
const LARGE_RULES = 10_000;
const LARGE_SEED = 11252011;
/** What a row must reach: a ratio to bare Node, or a wall time. */
type Goal = { ratioToNode: number } | { ms: number };

/** One whole process's figures. */
export interface ProcessFigures {
  process: string;
  /** How many timed runs the figures are of. */
  runs: number;
  ms: number;
  min: number;
  max: number;
  ratioToNode: number;
  peakMiB: number;
  /** The goal, in words (`≤ 3× bare node`, `< 2000 ms`), where the row has one. */
  goal?: string;
  /** Whether the median reaches the goal, where the row has one. */
  meetsGoal?: boolean;
}

function run(args: readonly string[]): { ms: number; stdout: string; stderr: string } {
  const start = process.hrtime.bigint();
  // From the repository root: a policy reads imports only under the folder the CLI runs in (or its own).
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`\`node ${args.join(' ')}\` failed: ${result.stderr}`);
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the whole-process benchmark; throws when a process fails or does other than it should. */
export function processBenchmark(): { runs: number; figures: ProcessFigures[] } {
  const scratch = mkdtempSync(path.join(tmpdir(), 'tenet-bench-'));
  const artifact = path.join(scratch, 'wethersfield.json');
  run([cli, 'compile', wethersfieldFile, '-o', artifact]);
  const large = path.join(scratch, `generated-${LARGE_RULES}.policy`);
  writeFileSync(large, generatePolicy(LARGE_RULES, LARGE_SEED));
  const cases: { name: string; args: string[]; expect?: RegExp; goal?: Goal; runs?: number }[] = [
    { name: "node -e '' (bare Node)", args: ['-e', ''] },
    {
      name: 'tenet check <policy.policy>',
      args: [cli, 'check', wethersfieldFile],
      expect: /: ok \(/,
      goal: { ratioToNode: 3 },
    },
    {
      name: 'tenet decide <artifact.json>',
      args: [cli, 'decide', artifact, '--query', query],
      expect: /"decision": "deny"/,
      goal: { ratioToNode: 1.3 },
    },
    {
      name: 'tenet decide <policy.policy>',
      args: [cli, 'decide', wethersfieldFile, '--query', query],
      expect: /"decision": "deny"/,
    },
    {
      name: `tenet compile <${LARGE_RULES.toLocaleString('en-US')} rules>`,
      args: [cli, 'compile', large, '-o', path.join(scratch, 'large.json')],
      expect: new RegExp(`: ${LARGE_RULES} rules,`),
      goal: { ms: 2000 },
      runs: LARGE_RUNS,
    },
    { name: 'cedar-wasm, one decision', args: [cedarOnce], expect: /"decision":"deny"/ },
  ];
  const rows = cases.map(({ name, args, expect, goal, runs = RUNS }) => {
    const first = run(args);
    if (expect && !expect.test(first.stdout))
      throw new Error(`${name} did not do as expected: ${first.stdout.slice(0, 500)}`);
    run(args); // the files are in the page cache now, as on any machine that ran the command before
    const samples = Array.from({ length: runs }, () => run(args).ms).sort((a, b) => a - b);
    const memory = peakKiB(run(['--import', peakMemory, ...args]).stderr);
    return { name, samples, goal, peakKiB: memory };
  });
  const floor = median((rows[0] as (typeof rows)[number]).samples);
  return {
    runs: RUNS,
    figures: rows.map((r) => {
      const ms = median(r.samples);
      const ratio = ms / floor;
      return {
        process: r.name,
        runs: r.samples.length,
        ms: Number(ms.toFixed(1)),
        min: Number((r.samples[0] as number).toFixed(1)),
        max: Number((r.samples.at(-1) as number).toFixed(1)),
        ratioToNode: Number(ratio.toFixed(2)),
        peakMiB: Number((r.peakKiB / 1024).toFixed(1)),
        ...(r.goal &&
          ('ratioToNode' in r.goal
            ? { goal: `≤ ${r.goal.ratioToNode}× bare node`, meetsGoal: ratio <= r.goal.ratioToNode }
            : { goal: `< ${r.goal.ms} ms`, meetsGoal: ms < r.goal.ms })),
      };
    }),
  };
}
