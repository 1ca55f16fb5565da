import type { Formula } from './formula.js';

/** The most results a memo holds at once: 2^20 slots of four numbers, 16 MB. */
const MEMO_SLOTS = 1 << 20;

/** The operations the memo remembers, by number. */
const OPERATIONS = { and: 1, or: 2, andNot: 3 } as const;
const NOT = 4;
const RESTRICT_FALSE = 5;
const RESTRICT_TRUE = 6;
const SIMPLIFY = 7;
const INTERSECTS = 8;
const IMPLIES = 9;

/** A hash of three small integers, for the unique table and the memo. */
export function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (b + 0x7f4a7c15), 0xc2b2ae35);
  h = Math.imul(h ^ (c + 0x165667b1), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The two terminals of every BDD. */
export const ZERO = 0;
export const ONE = 1;

/**
 * Reduced ordered binary decision diagrams over variables 0, 1, 2, …, smaller variables nearer the root. Nodes are
 * shared: one node per (variable, low, high), so equal functions are equal numbers.
 */
export class Bdd {
  /** `variable[n]`, `low[n]`, `high[n]` of node `n`; the terminals have variable `Infinity`. */
  readonly variable: number[] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  readonly low: number[] = [ZERO, ONE];
  readonly high: number[] = [ZERO, ONE];
  /** Open addressing: node numbers by the hash of (variable, low, high); -1 is an empty slot. */
  #unique = new Int32Array(1 << 12).fill(-1);
  /**
   * The results of operations, by the hash of (operation, f, g): a cache, so a result that collides with another
   * is forgotten, which costs recomputation, never correctness. Four numbers a slot: operation, f, g, result. It
   * grows with the diagram, up to {@link MEMO_SLOTS} slots.
   */
  #memo = new Int32Array(4 * 4096).fill(-1);

  /**
   * The assignments that can happen: everything, unless {@link setDomain} narrowed it. Every function `build`,
   * `negate` and `apply` make from functions within it stays within it, so a BDD never spends nodes on
   * assignments no query can have (an enumeration with two values at once).
   */
  domain = ONE;

  /** @param maxNodes past this many nodes, making another throws a `RangeError`: a bound on memory. */
  constructor(readonly maxNodes = Number.POSITIVE_INFINITY) {}

  /**
   * Narrows the domain to the assignments where each group of variables (the atoms `attribute = value` of one
   * enumeration) has at most one true, and exactly one when the group holds every value of the enumeration.
   */
  setDomain(groups: readonly { variables: readonly number[]; exhaustive: boolean }[]): void {
    this.domain = this.apply('and', this.domain, this.exclusive(groups));
  }

  /** Where each group of variables has at most one true, and exactly one where the group is `exhaustive`. */
  exclusive(groups: readonly { variables: readonly number[]; exhaustive: boolean }[]): number {
    let all = ONE;
    for (const group of groups) {
      const variables = [...group.variables].sort((a, b) => a - b);
      // Built from the last variable up: `none` where no variable so far is true, `one` where one is.
      let none = group.exhaustive ? ZERO : ONE;
      let one = ONE;
      for (const v of variables.reverse()) [none, one] = [this.node(v, none, one), this.node(v, one, ZERO)];
      all = this.apply('and', all, none);
    }
    return all;
  }

  /** The variables `f` tests, in order. */
  support(f: number): number[] {
    const seen = new Set<number>();
    const variables = new Set<number>();
    const stack = [f];
    while (stack.length > 0) {
      const n = stack.pop() as number;
      if (n <= ONE || seen.has(n)) continue;
      seen.add(n);
      variables.add(this.variable[n] as number);
      stack.push(this.low[n] as number, this.high[n] as number);
    }
    return [...variables].sort((a, b) => a - b);
  }

  /** The complement of `f` within the domain. */
  negate(f: number): number {
    return this.apply('and', this.not(f), this.domain);
  }

  /** The node testing `variable`, going to `high` when it holds and `low` when not. */
  node(variable: number, low: number, high: number): number {
    if (low === high) return low;
    let mask = this.#unique.length - 1;
    let slot = hash3(variable, low, high) & mask;
    for (;;) {
      const n = this.#unique[slot] as number;
      if (n === -1) break;
      if (this.variable[n] === variable && this.low[n] === low && this.high[n] === high) return n;
      slot = (slot + 1) & mask;
    }
    const node = this.variable.length;
    if (node >= this.maxNodes) throw new RangeError(`a decision diagram grew past ${this.maxNodes} nodes`);
    this.variable.push(variable);
    this.low.push(low);
    this.high.push(high);
    // Kept at most half full, so a lookup finds its node or an empty slot within a few probes.
    if (2 * node >= this.#unique.length) {
      this.#unique = new Int32Array(this.#unique.length * 2).fill(-1);
      mask = this.#unique.length - 1;
      for (let n = 2; n <= node; n++) {
        let at = hash3(this.variable[n] as number, this.low[n] as number, this.high[n] as number) & mask;
        while (this.#unique[at] !== -1) at = (at + 1) & mask;
        this.#unique[at] = n;
      }
      if (this.#memo.length < 4 * MEMO_SLOTS) this.#memo = new Int32Array(this.#memo.length * 2).fill(-1);
    } else this.#unique[slot] = node;
    return node;
  }

  #recall(op: number, f: number, g: number): number {
    const at = 4 * (hash3(op, f, g) & (this.#memo.length / 4 - 1));
    const memo = this.#memo;
    return memo[at] === op && memo[at + 1] === f && memo[at + 2] === g ? (memo[at + 3] as number) : -1;
  }

  #remember(op: number, f: number, g: number, result: number): number {
    const at = 4 * (hash3(op, f, g) & (this.#memo.length / 4 - 1));
    this.#memo[at] = op;
    this.#memo[at + 1] = f;
    this.#memo[at + 2] = g;
    this.#memo[at + 3] = result;
    return result;
  }

  /** The complement of `f`. */
  not(f: number): number {
    if (f === ZERO) return ONE;
    if (f === ONE) return ZERO;
    const known = this.#recall(NOT, f, 0);
    if (known !== -1) return known;
    return this.#remember(
      NOT,
      f,
      0,
      this.node(
        this.variable[f] as number,
        this.not(this.low[f] as number),
        this.not(this.high[f] as number),
      ),
    );
  }

  /** `f and g`, `f or g`, or `f and not g` (which, unlike `negate`, builds nothing of `g` outside `f`). */
  apply(op: 'and' | 'or' | 'andNot', f: number, g: number): number {
    if (op === 'and') {
      if (f === ZERO || g === ZERO) return ZERO;
      if (f === ONE) return g;
      if (g === ONE || f === g) return f;
    } else if (op === 'or') {
      if (f === ONE || g === ONE) return ONE;
      if (f === ZERO) return g;
      if (g === ZERO || f === g) return f;
    } else {
      if (f === ZERO || g === ONE || f === g) return ZERO;
      if (g === ZERO) return f;
      if (f === ONE) return this.not(g);
    }
    const [a, b] = op !== 'andNot' && f > g ? [g, f] : [f, g];
    const code = OPERATIONS[op];
    const known = this.#recall(code, a, b);
    if (known !== -1) return known;
    const v = Math.min(this.variable[a] as number, this.variable[b] as number);
    const [aLow, aHigh] = this.cofactors(a, v);
    const [bLow, bHigh] = this.cofactors(b, v);
    return this.#remember(code, a, b, this.node(v, this.apply(op, aLow, bLow), this.apply(op, aHigh, bHigh)));
  }

  /**
   * The `or` of many functions, in a balanced tree: each `or` then joins functions of about the same size, where
   * folding one by one would join every function with the ever larger `or` of all before it.
   */
  any(fs: readonly number[]): number {
    let level = [...fs];
    while (level.length > 1) {
      const next: number[] = [];
      for (let i = 0; i < level.length; i += 2) {
        next.push(
          i + 1 < level.length
            ? this.apply('or', level[i] as number, level[i + 1] as number)
            : (level[i] as number),
        );
      }
      level = next;
    }
    return level[0] ?? ZERO;
  }

  /** `f` with `variable` fixed to `value`, wherever in `f` it is tested. */
  restrict(f: number, variable: number, value: boolean): number {
    const v = this.variable[f] as number;
    if (v > variable) return f;
    if (v === variable) return (value ? this.high[f] : this.low[f]) as number;
    const code = value ? RESTRICT_TRUE : RESTRICT_FALSE;
    const known = this.#recall(code, f, variable);
    if (known !== -1) return known;
    return this.#remember(
      code,
      f,
      variable,
      this.node(
        v,
        this.restrict(this.low[f] as number, variable, value),
        this.restrict(this.high[f] as number, variable, value),
      ),
    );
  }

  /** `f` with `variable` false, and with it true. */
  cofactors(f: number, variable: number): [number, number] {
    return this.variable[f] === variable ? [this.low[f] as number, this.high[f] as number] : [f, f];
  }

  /** Whether some assignment makes both `f` and `g` hold: `apply('and', f, g) !== ZERO`, building nothing. */
  intersects(f: number, g: number): boolean {
    if (f === ZERO || g === ZERO) return false;
    if (f === ONE || g === ONE || f === g) return true;
    const [a, b] = f < g ? [f, g] : [g, f];
    const known = this.#recall(INTERSECTS, a, b);
    if (known !== -1) return known === 1;
    const v = Math.min(this.variable[a] as number, this.variable[b] as number);
    const [aLow, aHigh] = this.cofactors(a, v);
    const [bLow, bHigh] = this.cofactors(b, v);
    const result = this.intersects(aLow, bLow) || this.intersects(aHigh, bHigh);
    return this.#remember(INTERSECTS, a, b, result ? 1 : 0) === 1;
  }

  /** Whether every assignment that makes `f` hold makes `g` hold: `apply('andNot', f, g) === ZERO`, building nothing. */
  implies(f: number, g: number): boolean {
    if (f === ZERO || g === ONE || f === g) return true;
    if (g === ZERO || f === ONE) return false;
    const known = this.#recall(IMPLIES, f, g);
    if (known !== -1) return known === 1;
    const v = Math.min(this.variable[f] as number, this.variable[g] as number);
    const [fLow, fHigh] = this.cofactors(f, v);
    const [gLow, gHigh] = this.cofactors(g, v);
    const result = this.implies(fLow, gLow) && this.implies(fHigh, gHigh);
    return this.#remember(IMPLIES, f, g, result ? 1 : 0) === 1;
  }

  /**
   * How many assignments of `variables` make `f` hold within the domain: each variable of the list true or false,
   * and only the assignments the domain allows (an enumeration's variables true one at a time, exactly one where
   * the group is exhaustive). Exact however large, so a `bigint`. `variables` must hold every variable `f` and the
   * domain test (it may hold more, each of which doubles the count); a variable counted is an atom, so this counts
   * combinations of the atoms' truth values, not queries, and among them some no query has (`x < 3` without
   * `x < 5`), which only the solver knows.
   *
   * @example
   * bdd.count(bdd.build(formula, order), order) // of the 2^n assignments of n atoms, those the formula holds for
   */
  count(f: number, variables: readonly number[]): bigint {
    const sorted = [...new Set(variables)].sort((x, y) => x - y);
    const position = new Map(sorted.map((v, i) => [v, i]));
    const levelOf = (n: number): number => {
      if (n <= ONE) return sorted.length;
      const at = position.get(this.variable[n] as number);
      if (at === undefined) throw new Error(`count: variable ${this.variable[n]} is not among those counted`);
      return at;
    };
    const memo = new Map<number, bigint>();
    // The models of node `n` over the variables from its own on: a child that skips variables is free in each.
    const models = (n: number): bigint => {
      if (n === ZERO) return 0n;
      if (n === ONE) return 1n;
      const known = memo.get(n);
      if (known !== undefined) return known;
      const at = levelOf(n);
      const low = this.low[n] as number;
      const high = this.high[n] as number;
      const total =
        (models(low) << BigInt(levelOf(low) - at - 1)) + (models(high) << BigInt(levelOf(high) - at - 1));
      memo.set(n, total);
      return total;
    };
    const g = this.apply('and', f, this.domain);
    return models(g) << BigInt(levelOf(g));
  }

  /**
   * The least assignment that makes `f` hold, as the variables it sets true, in order: variables are compared from
   * the smallest, false before true, and any variable `f` leaves free is false. `undefined` when `f` is ZERO.
   * Within the domain when `f` is.
   */
  least(f: number): number[] | undefined {
    if (f === ZERO) return undefined;
    const trues: number[] = [];
    let n = f;
    while (n > ONE) {
      const low = this.low[n] as number;
      if (low !== ZERO) n = low;
      else {
        trues.push(this.variable[n] as number);
        n = this.high[n] as number;
      }
    }
    return trues;
  }

  /**
   * A function that agrees with `f` wherever `care` holds, and is smaller where `care` allows (Coudert and Madre's
   * `restrict`): a test one of whose branches `care` rules out is dropped, and a variable `care` tests but `f` does
   * not is never brought in. So the paths of `simplify(f, domain)` test what `f` turns on, not what the domain
   * alone forces (the other values of an enumeration, once it holds one). Outside `care` it may hold or not.
   */
  simplify(f: number, care: number): number {
    if (care === ZERO) return ZERO;
    if (care === ONE || f <= ONE) return f;
    if (f === care) return ONE;
    const known = this.#recall(SIMPLIFY, f, care);
    if (known !== -1) return known;
    const v = this.variable[f] as number;
    let result: number;
    if ((this.variable[care] as number) < v) {
      result = this.simplify(f, this.apply('or', this.low[care] as number, this.high[care] as number));
    } else {
      const [careLow, careHigh] = this.cofactors(care, v);
      if (careLow === ZERO) result = this.simplify(this.high[f] as number, careHigh);
      else if (careHigh === ZERO) result = this.simplify(this.low[f] as number, careLow);
      else
        result = this.node(
          v,
          this.simplify(this.low[f] as number, careLow),
          this.simplify(this.high[f] as number, careHigh),
        );
    }
    return this.#remember(SIMPLIFY, f, care, result);
  }

  /**
   * The BDD of a formula, within `domain` (the domain, unless a narrower one is given: the exclusions of the
   * enumerations the formula tests, say); atom `a` is variable `order[a]`.
   */
  build(formula: Formula, order: readonly number[], domain = this.domain): number {
    switch (formula.kind) {
      case 'const':
        return formula.value ? domain : ZERO;
      case 'atom':
        return this.apply('and', this.node(order[formula.atom] as number, ZERO, ONE), domain);
      case 'not':
        return this.apply('and', this.not(this.build(formula.operand, order, domain)), domain);
      case 'and':
      case 'or': {
        // Deepest first: each step then adds a function above everything built so far, so `apply` stays shallow
        // even for a conjunction of thousands of atoms.
        const kind = formula.kind;
        return formula.operands
          .map((o) => this.build(o, order, domain))
          .sort((f, g) => (this.variable[g] as number) - (this.variable[f] as number))
          .reduce((acc, f) => this.apply(kind, f, acc), kind === 'and' ? domain : ZERO);
      }
    }
  }
}
