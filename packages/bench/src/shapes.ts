/**
 * The shapes no single decision graph holds (hard.ts): each compiled by `tenet compile` in a fresh process whose
 * heap is V8's default on a 4 GB container (1 GiB), its artifact loaded, and seeded random queries decided. Each
 * figure is printed beside its goal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine } from '@tenet/runtime';
import { root } from './decisions.js';
import { HARD_SHAPES, type HardShape, hardPolicy, hardQueries } from './hard.js';
import { median, peakKiB, peakMemory, timeTogether } from './measure.js';

const SEED = 12_022_026;
const QUERIES = 10_000;
const cli = path.join(root, 'packages/cli/dist/main.js');

/** The goals of issue 12 for every shape. */
export const SHAPE_GOALS = { compileMs: 5000, peakMiB: 1024, loadMs: 1000, nsPerDecision: 5000 };

/** One shape's figures. */
export interface ShapeFigures {
  shape: HardShape;
  rules: number;
  compileMs: number;
  peakMiB: number;
  nodes: number;
  found: number;
  artifactKiB: number;
  loadMs: number;
  nsPerDecision: number;
}

/** Measures every shape; `progress` hears of each as it starts. */
export function shapesBenchmark(progress: (shape: string) => void): ShapeFigures[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenet-shapes-'));
  return (Object.keys(HARD_SHAPES) as HardShape[]).map((shape) => {
    progress(shape);
    const source = path.join(dir, `${shape}.policy`);
    const output = path.join(dir, `${shape}.json`);
    writeFileSync(source, hardPolicy(shape, SEED));
    const started = process.hrtime.bigint();
    const compiled = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=1024',
        '--import',
        peakMemory,
        cli,
        'compile',
        source,
        '-o',
        output,
        '--root',
        dir,
      ],
      { encoding: 'utf8' },
    );
    const compileMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (compiled.status !== 0) throw new Error(`the ${shape} shape did not compile: ${compiled.stderr}`);
    const text = readFileSync(output, 'utf8');
    const loads = Array.from({ length: 5 }, () => {
      const start = performance.now();
      createEngine(JSON.parse(text));
      return performance.now() - start;
    }).sort((a, b) => a - b);
    const engine = createEngine(JSON.parse(text));
    // As an app's queries arrive: parsed from JSON text.
    const queries = hardQueries(shape, QUERIES, SEED).map((q) => JSON.parse(JSON.stringify(q)));
    const [samples = []] = timeTogether([(i) => engine.decide(queries[i]).reasons.length], [QUERIES]);
    const { graph, rules } = engine.artifact;
    return {
      shape,
      rules: rules.length,
      compileMs: Math.round(compileMs),
      peakMiB: Math.round(peakKiB(compiled.stderr) / 1024),
      nodes: graph.nodes.length,
      found: graph.found.length,
      artifactKiB: Math.round(Buffer.byteLength(text) / 1024),
      loadMs: Math.round(median(loads)),
      nsPerDecision: Math.round(median(samples)),
    };
  });
}
