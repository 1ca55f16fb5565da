/** Timing for the benchmarks: repetitions after a warm-up, reported as median and spread. */

/** How many timed repetitions each measurement takes, after one warm-up. */
export const REPETITIONS = 9;

/** The middle of sorted samples. */
export const median = (samples: readonly number[]): number =>
  samples[Math.floor(samples.length / 2)] as number;

/**
 * Nanoseconds per call for several functions timed together: after a warm-up of each, the repetitions take turns,
 * one pass of each function a round, so that whatever else the machine does falls on all of them alike. One sorted
 * list of samples a function; `counts[k]` calls of function `k` a pass.
 */
export function timeTogether(
  runs: readonly ((i: number) => number)[],
  counts: readonly number[],
  repetitions = REPETITIONS,
): number[][] {
  let sink = 0;
  const pass = (k: number) => {
    const run = runs[k] as (i: number) => number;
    const count = counts[k] as number;
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) sink += run(i);
    return Number(process.hrtime.bigint() - start) / count;
  };
  runs.forEach((_, k) => {
    pass(k);
    pass(k);
  });
  const samples = runs.map((): number[] => []);
  for (let r = 0; r < repetitions; r++) {
    for (let k = 0; k < runs.length; k++) samples[k]?.push(pass(k));
  }
  if (sink === Number.NEGATIVE_INFINITY) console.log(sink);
  return samples.map((s) => s.sort((a, b) => a - b));
}

/** Milliseconds `run` takes, once. */
export function once<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

/** A table for the terminal: columns padded to their widest cell, numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells
    .map((r, i) =>
      r
        .map((cell, c) => {
          const numeric = i > 0 && typeof rows[i - 1]?.[c] === 'number';
          return numeric ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * Loaded before a program (`node --import <this> …`), it prints the process's peak resident memory (in KiB) as it
 * exits: the high-water mark of its own memory (Linux), not `maxRSS`, which a spawned process inherits from the one
 * that spawned it. {@link peakKiB} reads it back.
 */
export const peakMemory = `data:text/javascript,${encodeURIComponent(
  "import { readFileSync } from 'node:fs'; process.on('exit', () => process.stderr.write('\\npeak-rss ' + /VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] + '\\n'));",
)}`;

/** The peak resident memory (KiB) that {@link peakMemory} printed to a process's standard error. */
export const peakKiB = (stderr: string): number => Number(/peak-rss (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
