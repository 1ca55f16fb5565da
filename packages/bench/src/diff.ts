/**
 * `tenet diff` at size: policies whose outcomes combine in exponentially many ways (issue 12, part 2). Each case
 * is a pair of generated policies over one vocabulary, compared in this process (`compare`) and by a fresh
 * `tenet diff` process, with the time it should stay under.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compare, compile, solverAttributes } from '@tenet/compiler';
import { type CheckedPolicy, checkPolicy, hasErrors } from '@tenet/language';
import { root } from './decisions.js';
import { random } from './queries.js';

const ROLES = ['patron', 'staff', 'director', 'police', 'attorney', 'parent', 'agency', 'vendor'];
const PURPOSES = ['circulation', 'investigation', 'research', 'audit', 'billing', 'outreach'];

/** One rule of a generated policy. */
interface GeneratedRule {
  effect: 'permit' | 'forbid';
  when: string;
}

/** A policy's text: `flags` booleans of `request`, a role and a purpose, and `rules`. */
function policyText(id: string, flags: number, rules: readonly GeneratedRule[]): string {
  return [
    `policy ${id} "A generated policy"`,
    '  default deny because act',
    '',
    'authority act "Records Act § 1"',
    '  quote "Records are confidential except as this act provides."',
    '',
    'entity requester "Who asks."',
    '  id: identifier "Who is asking."',
    `  role: one of ${ROLES.join(', ')} = patron "In what capacity."`,
    'entity request "What is asked."',
    `  purpose: one of ${PURPOSES.join(', ')} = circulation "Why."`,
    ...Array.from({ length: flags }, (_, i) => `  b${i}: boolean = false "Circumstance ${i}."`),
    '',
    ...rules.flatMap((rule, i) => [
      `${rule.effect} r-${i}`,
      `  when ${rule.when}`,
      '  because act',
      `  says "Rule ${i} ${rule.effect === 'forbid' ? 'forbids' : 'permits'} this."`,
      '',
    ]),
  ].join('\n');
}

/** `n` rules `permit r-i when request.b_i`: every subset of them decides some query. */
export function independentRules(n: number): GeneratedRule[] {
  return Array.from({ length: n }, (_, i) => ({ effect: 'permit', when: `request.b${i}` }));
}

/**
 * `n` rules `permit r-i when request.b_i and request.b_(n+i)` over `2n` booleans: pairs whose halves are declared
 * apart (every first half before every second), the order in which their BDD would take 2^n nodes.
 */
export function pairRules(n: number): GeneratedRule[] {
  return Array.from({ length: n }, (_, i) => ({
    effect: 'permit',
    when: `request.b${i} and request.b${n + i}`,
  }));
}

/**
 * `count` random rules from `seed`: each of one to three boolean literals over `flags` booleans (30% negated),
 * half of them pinning the role and half the purpose too; 20% forbids.
 */
export function randomRules(count: number, flags: number, seed: number): GeneratedRule[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: count }, () => {
    const parts: string[] = [];
    if (next() < 0.5) parts.push(`requester.role is ${pick(ROLES)}`);
    if (next() < 0.5) parts.push(`request.purpose is ${pick(PURPOSES)}`);
    const literals = 1 + Math.floor(next() * 3);
    for (let k = 0; k < literals; k++)
      parts.push(`${next() < 0.3 ? 'not ' : ''}request.b${Math.floor(next() * flags)}`);
    return { effect: next() < 0.2 ? 'forbid' : 'permit', when: parts.join(' and ') };
  });
}

/** A pair of policies to compare, and the time a comparison should take at most. */
export interface DiffCase {
  name: string;
  left: string;
  right: string;
  goalMs: number;
}

/** The cases: independent rules and pairs against themselves, one rule's effect flipped, two random policies. */
export function diffCases(): DiffCase[] {
  const same = (n: number): DiffCase => {
    const text = policyText('independent', n, independentRules(n));
    return { name: `${n} independent rules, against themselves`, left: text, right: text, goalMs: 1000 };
  };
  const flipped = independentRules(20).map(
    (r, i): GeneratedRule => (i === 0 ? { ...r, effect: 'forbid' } : r),
  );
  return [
    same(16),
    same(20),
    same(22),
    {
      name: '20 independent rules, one turned into a forbid',
      left: policyText('independent', 20, independentRules(20)),
      right: policyText('flipped', 20, flipped),
      goalMs: 1000,
    },
    ...[20, 22].map((n): DiffCase => {
      const text = policyText('pairs', 2 * n, pairRules(n));
      return {
        name: `${n} rules \`x_i and y_i\`, against themselves`,
        left: text,
        right: text,
        goalMs: 1000,
      };
    }),
    {
      name: 'two random policies of 40 rules over 26 booleans',
      left: policyText('random-a', 26, randomRules(40, 26, 12)),
      right: policyText('random-b', 26, randomRules(40, 26, 2012)),
      goalMs: 5000,
    },
  ];
}

/** One row of the benchmark: a case, how long it took, and how long it should take at most. */
export interface DiffFigures {
  case: string;
  ms: number;
  goalMs: number;
}

/** A generated policy, checked; throws when it has errors (the generator's own fault). */
function checked(
  name: string,
  text: string,
): { checked: CheckedPolicy; attributes: ReturnType<typeof solverAttributes> } {
  const file = `${name}.policy`;
  const result = checkPolicy(file, { read: (f) => (f === file ? text : undefined), resolve: (_, p) => p });
  if (hasErrors(result.diagnostics))
    throw new Error(`the generated policy ${name} has errors: ${result.diagnostics[0]?.message}`);
  const artifact = compile(result.value).value;
  if (!artifact) throw new Error(`the generated policy ${name} does not compile`);
  return { checked: result.value, attributes: solverAttributes(artifact.vocabulary) };
}

/**
 * Times every case of {@link diffCases}: `compare` in this process, describing the first 20 classes as `tenet diff`
 * shows them (once, after a warm-up on a small case), then,
 * unless `processes` is false, a fresh `tenet diff` process on the two files (the CLI must be built). `progress`
 * hears of each case as it starts.
 */
export function diffBenchmark(
  options: { processes?: boolean; progress?: (name: string) => void } = {},
): DiffFigures[] {
  const cases = diffCases();
  const warm = cases[0] as DiffCase;
  const w = checked('warm', warm.left);
  compare(w.checked, w.checked, w.attributes);
  const rows: DiffFigures[] = [];
  const folder = mkdtempSync(path.join(tmpdir(), 'tenet-bench-diff-'));
  const cli = path.join(root, 'packages/cli/dist/main.js');
  cases.forEach((c, i) => {
    options.progress?.(c.name);
    const left = checked(`left-${i}`, c.left);
    const right = checked(`right-${i}`, c.right);
    const started = performance.now();
    compare(left.checked, right.checked, left.attributes, { limit: 20 });
    rows.push({ case: `compare: ${c.name}`, ms: Math.round(performance.now() - started), goalMs: c.goalMs });
    if (options.processes === false) return;
    const files = [path.join(folder, `left-${i}.policy`), path.join(folder, `right-${i}.policy`)];
    writeFileSync(files[0] as string, c.left);
    writeFileSync(files[1] as string, c.right);
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [cli, 'diff', ...files], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0 && result.status !== 1)
      throw new Error(`\`tenet diff\` failed on ${c.name}: ${result.stderr}`);
    // The same goal for the whole process: starting, loading both policies and printing included.
    rows.push({ case: `tenet diff: ${c.name}`, ms: Math.round(ms), goalMs: c.goalMs });
  });
  return rows;
}
