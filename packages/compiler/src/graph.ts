import type { Atom, Found, Graph } from '@tenet/runtime';
import { Bdd, hash3, ONE, ZERO } from './bdd.js';
import { atomsOf, type Formula, settle } from './formula.js';

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

/** A condition the graph decides: a rule's (`id` its index) or an obligation's (`id` the rule count plus its index). */
interface Entry {
  id: number;
  when: Formula;
}

const entriesOf = (input: GraphInput): Entry[] => [
  ...input.rules.map((r, id) => ({ id, when: r.when })),
  ...input.obligations.map((when, o) => ({ id: input.rules.length + o, when })),
];

/**
 * Builds one decision graph of every rule and obligation together: the fastest to decide with, but for rules that
 * test booleans in unrelated combinations it can grow with the ways they combine. Past `limits` it throws a
 * `RangeError`; {@link compileGraph} then builds it in parts.
 */
export function buildGraph(input: GraphInput, limits: GraphLimits = GRAPH_LIMITS): Graph {
  const writer = new GraphWriter(input, { nodes: limits.nodes, remembered: limits.remembered });
  return writer.graph(writer.joint(entriesOf(input), writer.end, limits));
}

/**
 * The decision graph of every policy, exact, in memory that `budget` bounds. Where one graph of all the rules
 * would pass its share of the budget, it is built in parts, one after another on a path: a path through one part
 * goes on, wherever it ends, to the next, and what the path finds adds up over the parts, as it does in one graph.
 * First the rules are split by the cells of the enumerations they pin (a test of the role at the top, then a graph
 * for each role of the rules that can hold there, followed by the graph of the rules that pin no role), then, where
 * a cell's rules still do not fit, into runs of rules that do, and a rule whose own diagram does not fit becomes a
 * graph the shape of its condition, which is never larger than the condition. So a decision tests what its cell's
 * rules test, not every rule of the policy, and no policy is refused for the ways its rules combine. Throws a
 * `RangeError` only when the graph in parts passes `budget.nodes`.
 */
export function compileGraph(input: GraphInput, budget: GraphLimits = GRAPH_LIMITS): Graph {
  const writer = new GraphWriter(input, budget);
  return writer.graph(writer.partitioned(entriesOf(input), writer.end, 0));
}

/** How large a decision graph may grow. */
export interface GraphLimits {
  /** The most nodes. */
  nodes: number;
  /** The most conditions one walk may remember, over all its steps: what its memory grows with. */
  remembered: number;
}

/**
 * What a graph of 10,000 generated rules takes, ten times over: about a gigabyte if a walk reached both limits.
 * The CLI sets them from the heap it has (see {@link graphLimitsFor}).
 */
export const GRAPH_LIMITS: GraphLimits = { nodes: 2_000_000, remembered: 20_000_000 };

/**
 * Limits that keep a compilation within `bytes` of memory: a remembered condition costs about 150 bytes while a
 * walk lasts, a node of the graph about 250 by the time the artifact is written, and each is given a third.
 */
export function graphLimitsFor(bytes: number): GraphLimits {
  return {
    nodes: Math.max(10_000, Math.min(GRAPH_LIMITS.nodes, Math.floor(bytes / 750))),
    remembered: Math.max(100_000, Math.min(GRAPH_LIMITS.remembered, Math.floor(bytes / 450))),
  };
}

/**
 * What one part of `n` conditions may take before it is split: enough for the graphs well-partitioned policies
 * make (the generated ones take 20 nodes and 200 remembered conditions a rule), little enough that an attempt that
 * fails costs no more than the part's size.
 */
function partLimits(n: number, budget: GraphLimits): GraphLimits {
  return {
    nodes: Math.min(budget.nodes, 4096 + 64 * n),
    remembered: Math.min(budget.remembered, 65_536 + 1024 * n),
  };
}

/** A part of the graph that grew past its limits: it is built again in smaller parts. */
class OverBudget extends RangeError {
  constructor() {
    super(
      'its rules test many attributes in unrelated combinations, and its decision graph would grow past what can be built',
    );
  }
}

/** The nodes and found steps of a graph being written, shared by all its parts, each stored once. */
class GraphWriter {
  readonly nodes: Graph['nodes'] = [];
  readonly found: Found[] = [];
  readonly #foundIds: number[][] = [];
  // Entries past the lists' ends, or overwritten since, are left behind when an attempt is undone (`#undo`): every
  // lookup compares what the entry now holds, so they only ever cost a comparison.
  readonly #nodeIndex = new HashIndex();
  readonly #foundIndex = new HashIndex();
  /** Where every path ends: a found step that finds nothing. */
  readonly end: number;
  /** The atoms of each enumeration attribute, in graph order; by attribute, and by atom. */
  readonly #enumerations: number[][];
  readonly #group: (number[] | undefined)[];
  readonly #positionOf: number[];

  constructor(
    readonly input: GraphInput,
    readonly budget: GraphLimits,
  ) {
    // The compiler orders the atoms of an enumeration next to each other, so a path that settles the attribute
    // passes over the rest of them at once; were they not, the graph would only test some of them again, on
    // paths no query takes.
    const siblings = new Map<string, number[]>();
    input.choices.forEach((choice, atom) => {
      if (choice) siblings.set(choice.attribute, [...(siblings.get(choice.attribute) ?? []), atom]);
    });
    this.#enumerations = [...siblings.values()];
    this.#group = input.choices.map((choice) =>
      choice ? (siblings.get(choice.attribute) as number[]) : undefined,
    );
    this.#positionOf = this.#group.map((atoms, atom) => (atoms ? atoms.indexOf(atom) : -1));
    this.end = this.find([], undefined);
  }

  /**
   * The graph from `root`: what the walks wrote that it reaches, in the order they wrote it, so children still come
   * before their parents.
   */
  graph(root: number): Graph {
    const nodeKept = new Uint8Array(this.nodes.length);
    const foundKept = new Uint8Array(this.found.length);
    const pending = [root];
    while (pending.length > 0) {
      const r = pending.pop() as number;
      if (r >= 0) {
        if (nodeKept[r] === 1) continue;
        nodeKept[r] = 1;
        const [, low, high] = this.nodes[r] as [number, number, number];
        pending.push(low, high);
      } else if (foundKept[-r - 1] === 0) {
        foundKept[-r - 1] = 1;
        const next = this.found[-r - 1]?.next;
        if (next !== undefined) pending.push(next);
      }
    }
    const nodeAt = new Int32Array(this.nodes.length);
    const foundAt = new Int32Array(this.found.length);
    let n = 0;
    let f = 0;
    nodeKept.forEach((k, i) => {
      if (k === 1) nodeAt[i] = n++;
    });
    foundKept.forEach((k, i) => {
      if (k === 1) foundAt[i] = f++;
    });
    const to = (r: number) => (r >= 0 ? (nodeAt[r] as number) : -(foundAt[-r - 1] as number) - 1);
    return {
      root: to(root),
      nodes: this.nodes.flatMap(([atom, low, high], i) =>
        nodeKept[i] === 1 ? [[atom, to(low), to(high)]] : [],
      ),
      found: this.found.flatMap((step, i) =>
        foundKept[i] === 1
          ? [
              {
                rules: step.rules,
                obligations: step.obligations,
                ...(step.next === undefined ? {} : { next: to(step.next) }),
              },
            ]
          : [],
      ),
    };
  }

  /** The node testing `top`, to `high` where it holds and `low` where not. */
  node(top: number, low: number, high: number, limit = this.budget.nodes): number {
    if (low === high) return low;
    const hash = hash3(top, low, high);
    let index = this.#nodeIndex.find(hash, (n) => {
      const node = this.nodes[n];
      return node !== undefined && node[0] === top && node[1] === low && node[2] === high;
    });
    if (index === undefined) {
      index = this.nodes.length;
      if (index >= limit) throw new OverBudget();
      if (index >= this.budget.nodes)
        throw new RangeError(
          `its decision graph would have more than ${this.budget.nodes} nodes, even in parts`,
        );
      this.nodes.push([top, low, high]);
      this.#nodeIndex.add(hash, index);
    }
    return index;
  }

  /**
   * The reference that records `ids` (rules, then obligations, by index) found to hold, then goes on to `below`: a
   * node, the end (`undefined`), or another found step, which then becomes part of this one.
   */
  find(ids: readonly number[], below: number | undefined): number {
    const ruleCount = this.input.rules.length;
    const merged = below !== undefined && below < 0;
    const all = merged
      ? [...ids, ...(this.#foundIds[-below - 1] as number[])].sort((a, b) => a - b)
      : [...ids];
    const next = merged ? this.found[-below - 1]?.next : below;
    const hash = hashOf(all, next ?? 0x7fffffff);
    let index = this.#foundIndex.find(
      hash,
      (i) =>
        i < this.found.length && this.found[i]?.next === next && equal(this.#foundIds[i] as number[], all),
    );
    if (index === undefined) {
      index = this.found.length;
      this.found.push({
        rules: all.filter((id) => id < ruleCount),
        obligations: all.flatMap((id) => (id >= ruleCount ? [id - ruleCount] : [])),
        ...(next === undefined ? {} : { next }),
      });
      this.#foundIds.push(all);
      this.#foundIndex.add(hash, index);
    }
    return -index - 1;
  }

  /** What `build` writes, or `undefined` (with nothing written) if it passes its limits. */
  #attempt(build: () => number): number | undefined {
    const nodes = this.nodes.length;
    const found = this.found.length;
    try {
      return build();
    } catch (error) {
      if (!(error instanceof OverBudget)) throw error;
      this.nodes.length = nodes;
      this.found.length = found;
      this.#foundIds.length = found;
      return undefined;
    }
  }

  /**
   * The graph of `entries`, going on to `continuation` wherever it ends: one graph of them all where it fits,
   * otherwise split by the first enumeration from `level` on that some of them pin, and where none is left, into
   * runs (see {@link compileGraph}).
   */
  partitioned(entries: readonly Entry[], continuation: number, level: number): number {
    if (entries.length === 0) return continuation;
    const whole = this.#attempt(() =>
      this.joint(entries, continuation, partLimits(entries.length, this.budget)),
    );
    if (whole !== undefined) return whole;
    for (let k = level; k < this.#enumerations.length; k++) {
      const atoms = this.#enumerations[k] as number[];
      // One cell per value an atom tests, and one for the values none tests, unless every value has an atom.
      const exhaustive = this.input.choices[atoms[0] as number]?.values === atoms.length;
      const cells = exhaustive ? atoms : [...atoms, -1];
      const inCell = (f: Formula, cell: number) =>
        settle(f, (atom) => (this.#group[atom] === atoms ? atom === cell : undefined));
      const tested = entries.map(
        (e) => new Set([...atomsOf(e.when)].filter((atom) => this.#group[atom] === atoms)),
      );
      // A condition pins the attribute when some value makes it false; the others are decided after every cell.
      const elsewhere = entries.map((e, i) =>
        (tested[i] as Set<number>).size > 0 ? inCell(e.when, -1) : e.when,
      );
      const pins = entries.map(
        (e, i) =>
          isFalse(elsewhere[i] as Formula) ||
          [...(tested[i] as Set<number>)].some((atom) => isFalse(inCell(e.when, atom))),
      );
      if (!pins.some(Boolean)) continue;
      const tail = this.partitioned(
        entries.filter((_, i) => !pins[i]),
        continuation,
        k + 1,
      );
      const roots = cells.map((cell) =>
        this.partitioned(
          entries.flatMap((e, i) => {
            if (!pins[i]) return [];
            const when = (tested[i] as Set<number>).has(cell)
              ? inCell(e.when, cell)
              : (elsewhere[i] as Formula);
            return isFalse(when) ? [] : [{ id: e.id, when }];
          }),
          tail,
          k + 1,
        ),
      );
      // The attribute's tests, one value at a time: where every value but the last is false, it holds the last.
      let r = roots.at(-1) as number;
      for (let j = cells.length - 2; j >= 0; j--) r = this.node(cells[j] as number, r, roots[j] as number);
      return r;
    }
    return this.#runs(entries, continuation);
  }

  /**
   * The graphs of runs of `entries`, one after another: each run as long as fits (twice the last one's length is
   * tried first, and half of what did not fit next), a single condition that does not fit as its own shape.
   */
  #runs(entries: readonly Entry[], continuation: number): number {
    // From the last run to the first, since each goes on to the one after it.
    let r = continuation;
    let end = entries.length;
    let size = 1;
    while (end > 0) {
      const n = Math.min(size, end);
      const run = entries.slice(end - n, end);
      const below = r;
      const part = this.#attempt(() => this.joint(run, below, partLimits(n, this.budget)));
      if (part !== undefined) {
        r = part;
        end -= n;
        size = 2 * n;
      } else if (n === 1) {
        r = this.#shaped(run[0] as Entry, r);
        end -= 1;
      } else size = Math.ceil(n / 2);
    }
    return r;
  }

  /**
   * The graph of one condition in the shape of its formula: each atom's test leads, where it settles the formula,
   * to where the formula holds or fails, and otherwise to the test of the next atom that may settle it. It tests
   * an atom as often as the formula names it, so it has as many nodes as the formula has atoms, however its
   * diagram would grow.
   */
  #shaped(entry: Entry, continuation: number): number {
    const program = (f: Formula, holds: number, fails: number): number => {
      switch (f.kind) {
        case 'const':
          return f.value ? holds : fails;
        case 'atom':
          return this.node(f.atom, fails, holds);
        case 'not':
          return program(f.operand, fails, holds);
        case 'and':
          return f.operands.reduceRight((then, o) => program(o, then, fails), holds);
        case 'or':
          return f.operands.reduceRight((otherwise, o) => program(o, holds, otherwise), fails);
      }
    };
    return program(entry.when, this.find([entry.id], continuation), continuation);
  }

  /**
   * One graph of `entries`, going on to `continuation` wherever it ends. Each condition becomes a BDD over the
   * same variable order; walking all of them together, one variable at a time, gives the graph. Where a condition
   * becomes true, the path records it in a found step and stops following it; where it becomes false, the path
   * drops it. So what is below a point of the graph depends only on the conditions left to decide there, and is
   * shared by every path that has those left, whatever it found before: the graph grows with the rules, not with
   * the ways they can combine, as long as they combine in few ways. Atoms are already in graph order: atom `a` is
   * variable `a`. Past `limits`, it throws {@link OverBudget}.
   */
  joint(entries: readonly Entry[], continuation: number, limits: GraphLimits): number {
    const input = this.input;
    const group = this.#group;
    const positionOf = this.#positionOf;
    const firstNode = this.nodes.length;
    const bdd = new Bdd(4 * limits.nodes);
    const order = Array.from({ length: input.atomCount }, (_, i) => i);
    let roots: number[];
    try {
      roots = entries.map((e) => bdd.build(e.when, order));
    } catch (error) {
      if (error instanceof RangeError) throw new OverBudget();
      throw error;
    }

    /** `f` where the enumeration of `atoms` holds none of the values its atoms still in `f` test. */
    const passOver = (f: number, atoms: readonly number[]): number => {
      let g = f;
      while (group[bdd.variable[g] as number] === atoms) g = bdd.low[g] as number;
      return g;
    };

    /** How many conditions the memo holds, over all its steps: what the walk's memory grows with. */
    let remembering = 0;
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
    const node = (top: number, low: number, high: number) =>
      this.node(top, low, high, firstNode + limits.nodes);

    /**
     * A step of the walk: the rules and obligations still to decide on this path (`ids`), each with what is left
     * of its condition (`fs`, neither ZERO nor ONE); those this step found true (`found`); and `through`: an
     * enumeration atom such that the path found it and every atom of its attribute before it false, or -1. The
     * walk keeps its own stack, so a path as long as the policy has atoms costs no call stack.
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
    const step = (
      ids: number[],
      fs: number[],
      found: number[],
      through: number,
      forbidden: boolean,
    ): Step => ({
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
    const reference = (at: Step, below: number) => (at.found.length > 0 ? this.find(at.found, below) : below);

    const stack: Step[] = [
      branch(
        step(
          entries.map((e) => e.id),
          roots,
          NONE,
          -1,
          false,
        ),
        -1,
        false,
        same,
        -1,
      ),
    ];
    let result = 0;
    while (stack.length > 0) {
      const at = stack.at(-1) as Step;
      if (at.lowStep === undefined) {
        if (at.ids.length === 0) {
          result = reference(at, continuation);
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
        if (remembering > limits.remembered) throw new OverBudget();
        result = reference(at, below);
        stack.pop();
      }
    }
    return result;
  }
}

const isFalse = (f: Formula) => f.kind === 'const' && !f.value;

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
