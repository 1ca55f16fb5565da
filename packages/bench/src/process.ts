/**
 * Whole processes, cold: `tenet decide` on a compiled artifact and on a `.policy`, one Cedar decision in a fresh
 * process, and bare `node -e ''` as the floor each is compared with. Wall time from spawn to exit (median of
 * several runs), and peak resident memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { root, wethersfieldFile } from './decisions.js';
import { median, peakKiB, peakMemory } from './measure.js';

const RUNS = 15;
const cli = path.join(root, 'packages/cli/dist/main.js');
const cedarOnce = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cedar-once.js');
const query = path.join(root, 'policies/wethersfield/queries/reporter.json');

/** One whole process's figures. */
export interface ProcessFigures {
  process: string;
  ms: number;
  min: number;
  max: number;
  ratioToNode: number;
  peakMiB: number;
}

function run(args: readonly string[]): { ms: number; stdout: string; stderr: string } {
  const start = process.hrtime.bigint();
  // From the repository root: a policy reads imports only under the folder the CLI runs in (or its own).
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`\`node ${args.join(' ')}\` failed: ${result.stderr}`);
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the whole-process benchmark; throws when a process fails or decides other than it should. */
export function processBenchmark(): { runs: number; figures: ProcessFigures[] } {
  const artifact = path.join(mkdtempSync(path.join(tmpdir(), 'tenet-bench-')), 'wethersfield.json');
  run([cli, 'compile', wethersfieldFile, '-o', artifact]);
  const cases: { name: string; args: string[]; expect?: RegExp }[] = [
    { name: "node -e '' (bare Node)", args: ['-e', ''] },
    {
      name: 'tenet decide <artifact.json>',
      args: [cli, 'decide', artifact, '--query', query],
      expect: /"decision": "deny"/,
    },
    {
      name: 'tenet decide <policy.policy>',
      args: [cli, 'decide', wethersfieldFile, '--query', query],
      expect: /"decision": "deny"/,
    },
    { name: 'cedar-wasm, one decision', args: [cedarOnce], expect: /"decision":"deny"/ },
  ];
  const rows = cases.map(({ name, args, expect }) => {
    const first = run(args);
    if (expect && !expect.test(first.stdout))
      throw new Error(`${name} did not decide as expected: ${first.stdout}`);
    run(args); // the files are in the page cache now, as on any machine that ran the command before
    const samples = Array.from({ length: RUNS }, () => run(args).ms).sort((a, b) => a - b);
    const memory = peakKiB(run(['--import', peakMemory, ...args]).stderr);
    return { name, samples, peakKiB: memory };
  });
  const floor = median((rows[0] as (typeof rows)[number]).samples);
  return {
    runs: RUNS,
    figures: rows.map((r) => ({
      process: r.name,
      ms: Number(median(r.samples).toFixed(1)),
      min: Number((r.samples[0] as number).toFixed(1)),
      max: Number((r.samples.at(-1) as number).toFixed(1)),
      ratioToNode: Number((median(r.samples) / floor).toFixed(2)),
      peakMiB: Number((r.peakKiB / 1024).toFixed(1)),
    })),
  };
}
