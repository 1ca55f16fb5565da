import type { Atom, Found, Graph } from '@tenet/runtime';
import { Bdd, hash3, ONE, ZERO } from './bdd.js';
import type { Formula } from './formula.js';

/** What the decision graph is built from: each rule's and each obligation's condition, as formulas. */
export interface GraphInput {
  atomCount: number;
  /**
   * For each atom that tests an enumeration attribute for one value: the attribute, and how many values it has.
   * An attribute holds one value, so on a path where it is one value it is no other, and where it is none of all
   * but one value it is that one: the graph never tests what the path already settles.
   */
  choices: ({ attribute: string; values: number } | undefined)[];
  rules: { when: Formula; effect: 'permit' | 'forbid' }[];
  obligations: Formula[];
  /**
   * Only what decides: once a path finds a forbid, the permits it has found or has yet to decide are dropped, since
   * none of them can be a reason any more. For comparing decisions (`tenet diff`), where paths that differ only in
   * such permits are one case; an artifact records every rule that matched.
   */
  decisive?: boolean;
}

/**
 * The `choices` of a graph's atoms: for each `equals` test of an enumeration, its attribute and how many values it
 * has. `typeOf` gives an attribute's type (the checker's, or the vocabulary's).
 */
export function choicesOf(
  atoms: readonly Atom[],
  typeOf: (path: string) => { kind: string; values?: readonly string[] } | undefined,
): GraphInput['choices'] {
  return atoms.map((atom) => {
    const type = atom.kind === 'equals' ? typeOf(atom.attribute) : undefined;
    return atom.kind === 'equals' && type?.kind === 'enum' && type.values
      ? { attribute: atom.attribute, values: type.values.length }
      : undefined;
  });
}

/**
 * Builds the decision graph. Each rule and obligation becomes a BDD over the same variable order; walking all of
 * them together, one variable at a time, gives the graph. Where a condition becomes true, the path records it in a
 * found step and stops following it; where it becomes false, the path drops it. So what is below a point of the
 * graph depends only on the conditions left to decide there, and is shared by every path that has those left,
 * whatever it found before: the graph grows with the rules, not with the ways they can combine. Atoms are already
 * in graph order: atom `a` is variable `a`.
 */
export function buildGraph(input: GraphInput, limits: GraphLimits = GRAPH_LIMITS): Graph {
  const bdd = new Bdd();
  const order = Array.from({ length: input.atomCount }, (_, i) => i);
  const roots = [...input.rules.map((r) => r.when), ...input.obligations].map((f) => bdd.build(f, order));
  const ruleCount = input.rules.length;

  const found: Found[] = [];
  const foundIds: number[][] = [];
  const foundIndex = new HashIndex();
  const nodes: Graph['nodes'] = [];
  const nodeIndex = new HashIndex();

  /**
   * The reference that records `ids` (rules, then obligations, by index) found to hold, then goes on to `below`: a
   * node, the end (`undefined`), or another found step, which then becomes part of this one.
   */
  const find = (ids: readonly number[], below: number | undefined): number => {
    const merged = below !== undefined && below < 0;
    const all = merged ? [...ids, ...(foundIds[-below - 1] as number[])].sort((a, b) => a - b) : [...ids];
    const next = merged ? found[-below - 1]?.next : below;
    const hash = hashOf(all, next ?? 0x7fffffff);
    let index = foundIndex.find(hash, (i) => found[i]?.next === next && equal(foundIds[i] as number[], all));
    if (index === undefined) {
      index = found.length;
      found.push({
        rules: all.filter((id) => id < ruleCount),
        obligations: all.flatMap((id) => (id >= ruleCount ? [id - ruleCount] : [])),
        ...(next === undefined ? {} : { next }),
      });
      foundIds.push(all);
      foundIndex.add(hash, index);
    }
    return -index - 1;
  };

  // The atoms of each enumeration attribute, in graph order. The compiler orders them next to each other, so a
  // path that settles the attribute passes over the rest of them at once; were they not, the graph would only test
  // some of them again, on paths no query takes.
  const siblings = new Map<string, number[]>();
  input.choices.forEach((choice, atom) => {
    if (choice) siblings.set(choice.attribute, [...(siblings.get(choice.attribute) ?? []), atom]);
  });
  const group = input.choices.map((choice) =>
    choice ? (siblings.get(choice.attribute) as number[]) : undefined,
  );
  const positionOf = group.map((atoms, atom) => (atoms ? atoms.indexOf(atom) : -1));
  /** `f` where the enumeration of `atoms` holds none of the values its atoms still in `f` test. */
  const passOver = (f: number, atoms: readonly number[]): number => {
    let g = f;
    while (group[bdd.variable[g] as number] === atoms) g = bdd.low[g] as number;
    return g;
  };

  /** How many conditions the memo holds, over all its steps: what the walk's memory grows with. */
  let remembering = 0;
  const tooLarge = () => {
    throw new RangeError(
      'its rules test many attributes in unrelated combinations, and its decision graph would grow past what can be built',
    );
  };
  /** What is below each step already walked, by what the step has left to decide. */
  const memo: { ids: number[]; fs: number[]; exhausting: boolean; below: number }[] = [];
  const memoIndex = new HashIndex();
  const memoHash = (at: Step, exhausting: boolean) => hashOf(at.fs, hashOf(at.ids, exhausting ? 1 : 0));
  const remembered = (at: Step, hash: number, exhausting: boolean) => {
    const i = memoIndex.find(hash, (m) => {
      const entry = memo[m] as (typeof memo)[number];
      return entry.exhausting === exhausting && equal(entry.fs, at.fs) && equal(entry.ids, at.ids);
    });
    return i === undefined ? undefined : memo[i]?.below;
  };

  const node = (top: number, low: number, high: number): number => {
    if (low === high) return low;
    const hash = hash3(top, low, high);
    let index = nodeIndex.find(hash, (n) => {
      const [t, l, h] = nodes[n] as [number, number, number];
      return t === top && l === low && h === high;
    });
    if (index === undefined) {
      index = nodes.length;
      if (index >= limits.nodes) tooLarge();
      nodes.push([top, low, high]);
      nodeIndex.add(hash, index);
    }
    return index;
  };

  /**
   * A step of the walk: the rules and obligations still to decide on this path (`ids`), each with what is left of
   * its condition (`fs`, neither ZERO nor ONE); those this step found true (`found`); and `through`: an enumeration
   * atom such that the path found it and every atom of its attribute before it false, or -1. The walk keeps its own
   * stack, so a path as long as the policy has atoms costs no call stack.
   */
  interface Step {
    ids: number[];
    fs: number[];
    found: number[];
    through: number;
    /** A forbid was found on the path (kept only when `decisive`; `ids` then holds no permit). */
    forbidden: boolean;
    // Set once the step is expanded: what it tests, its two branches, and (once walked) what is below the low one.
    hash: number;
    exhausting: boolean;
    top: number;
    lowStep: Step | undefined;
    highStep: Step | undefined;
    low: number | undefined;
  }
  const step = (ids: number[], fs: number[], found: number[], through: number, forbidden: boolean): Step => ({
    ids,
    fs,
    found,
    through,
    forbidden,
    hash: 0,
    exhausting: false,
    top: -1,
    lowStep: undefined,
    highStep: undefined,
    low: undefined,
  });
  const NONE: number[] = [];
  /** The step where `top` is `value`, each condition then changed by `then`. */
  const branch = (
    at: Step,
    top: number,
    value: boolean,
    then: (f: number) => number,
    through: number,
  ): Step => {
    const next = step([], [], NONE, through, at.forbidden);
    for (let i = 0; i < at.fs.length; i++) {
      const f = at.fs[i] as number;
      const g = then(bdd.variable[f] === top ? ((value ? bdd.high[f] : bdd.low[f]) as number) : f);
      const id = at.ids[i] as number;
      if (g === ONE) {
        if (next.found === NONE) next.found = [];
        next.found.push(id);
      } else if (g !== ZERO) {
        next.ids.push(id);
        next.fs.push(g);
      }
    }
    if (!input.decisive) return next;
    next.forbidden ||= next.found.some((id) => input.rules[id]?.effect === 'forbid');
    if (!next.forbidden) return next;
    const deciding = (id: number) => input.rules[id]?.effect !== 'permit';
    const kept = next.ids.flatMap((id, i) => (deciding(id) ? [i] : []));
    return step(
      kept.map((i) => next.ids[i] as number),
      kept.map((i) => next.fs[i] as number),
      next.found.filter(deciding),
      through,
      true,
    );
  };
  const same = (f: number) => f;
  /** The reference for a step, once what is below it is `below`: with its found step first, if it found any. */
  const reference = (at: Step, below: number | undefined) =>
    at.found.length > 0 || below === undefined ? find(at.found, below) : below;

  const walk = (first: Step): number => {
    const stack: Step[] = [first];
    let result = 0;
    while (stack.length > 0) {
      const at = stack.at(-1) as Step;
      if (at.lowStep === undefined) {
        if (at.ids.length === 0) {
          result = reference(at, undefined);
          stack.pop();
          continue;
        }
        let top = Number.POSITIVE_INFINITY;
        for (const f of at.fs) top = Math.min(top, bdd.variable[f] as number);
        const atoms = group[top];
        const position = positionOf[top] as number;
        // Every value of the enumeration before this one known false, and every value has an atom: the path may
        // come to know the attribute's value without testing it.
        const exhausting =
          atoms !== undefined &&
          input.choices[top]?.values === atoms.length &&
          (position === 0 || at.through === atoms[position - 1]);
        const hash = memoHash(at, exhausting);
        const memoized = remembered(at, hash, exhausting);
        if (memoized !== undefined) {
          result = reference(at, memoized);
          stack.pop();
          continue;
        }
        // All values but the last one false: the attribute holds the last one.
        const last = exhausting && position === atoms.length - 2 ? (atoms.at(-1) as number) : -1;
        const low =
          last >= 0
            ? branch(at, top, false, (f) => (bdd.variable[f] === last ? (bdd.high[f] as number) : f), -1)
            : branch(at, top, false, same, exhausting ? top : -1);
        // One value held: it holds no other.
        const high = branch(at, top, true, atoms ? (f) => passOver(f, atoms) : same, -1);
        at.hash = hash;
        at.exhausting = exhausting;
        at.top = top;
        at.lowStep = low;
        at.highStep = high;
        stack.push(low);
      } else if (at.low === undefined) {
        at.low = result;
        stack.push(at.highStep as Step);
      } else {
        const below = node(at.top, at.low, result);
        memoIndex.add(at.hash, memo.length);
        memo.push({ ids: at.ids, fs: at.fs, exhausting: at.exhausting, below });
        remembering += at.ids.length;
        if (remembering > limits.remembered) tooLarge();
        result = reference(at, below);
        stack.pop();
      }
    }
    return result;
  };

  const first = branch(
    step(
      roots.map((_, id) => id),
      roots,
      NONE,
      -1,
      false,
    ),
    -1,
    false,
    same,
    -1,
  );
  return { root: walk(first), nodes, found };
}

/** How large a decision graph may grow: past either limit, building it throws a `RangeError`. */
export interface GraphLimits {
  /** The most nodes. */
  nodes: number;
  /** The most conditions the walk may remember, over all its steps: what its memory grows with. */
  remembered: number;
}

/**
 * Ten times what the graph of 10,000 generated rules takes: past these, compiling fails with `too-complex` instead
 * of running out of memory (a gigabyte or two, reached in seconds).
 */
export const GRAPH_LIMITS: GraphLimits = { nodes: 2_000_000, remembered: 20_000_000 };

/** A 32-bit hash of a list of integers, from `seed`. */
function hashOf(numbers: readonly number[], seed: number): number {
  let h = Math.imul(seed ^ 0x811c9dc5, 0x01000193);
  for (const n of numbers) h = Math.imul(h ^ n, 0x5bd1e995) ^ (h >>> 13);
  return h;
}

function equal(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Entries (numbers) by a 32-bit hash of what they hold; the caller compares what they hold on a hash hit. No key
 * is built as a string, or kept.
 */
class HashIndex {
  readonly #buckets = new Map<number, number | number[]>();

  /** The entry of this hash that is `same`, if any. */
  find(hash: number, same: (entry: number) => boolean): number | undefined {
    const bucket = this.#buckets.get(hash);
    if (bucket === undefined) return undefined;
    if (typeof bucket === 'number') return same(bucket) ? bucket : undefined;
    return bucket.find(same);
  }

  add(hash: number, entry: number): void {
    const bucket = this.#buckets.get(hash);
    if (bucket === undefined) this.#buckets.set(hash, entry);
    else if (typeof bucket === 'number') this.#buckets.set(hash, [bucket, entry]);
    else bucket.push(entry);
  }
}
