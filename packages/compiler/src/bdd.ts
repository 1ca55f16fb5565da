import type { Formula } from './formula.js';

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
  readonly #unique = new Map<string, number>();
  readonly #memo = new Map<string, number>();
  /** The memo is a cache: cleared when it grows this large, it costs recomputation, never correctness. */
  static readonly MEMO_LIMIT = 4_000_000;
  /**
   * The assignments that can happen: everything, unless {@link setDomain} narrowed it. Every function `build`,
   * `negate` and `apply` make from functions within it stays within it, so a BDD never spends nodes on
   * assignments no query can have (an enumeration with two values at once).
   */
  domain = ONE;

  /**
   * Narrows the domain to the assignments where each group of variables (the atoms `attribute = value` of one
   * enumeration) has at most one true, and exactly one when the group holds every value of the enumeration.
   */
  setDomain(groups: readonly { variables: readonly number[]; exhaustive: boolean }[]): void {
    for (const group of groups) {
      const variables = [...group.variables].sort((a, b) => a - b);
      // Built from the last variable up: `none` where no variable so far is true, `one` where one is.
      let none = group.exhaustive ? ZERO : ONE;
      let one = ONE;
      for (const v of variables.reverse()) [none, one] = [this.node(v, none, one), this.node(v, one, ZERO)];
      this.domain = this.apply('and', this.domain, none);
    }
  }

  /** The complement of `f` within the domain. */
  negate(f: number): number {
    return this.apply('and', this.not(f), this.domain);
  }

  /** The node testing `variable`, going to `high` when it holds and `low` when not. */
  node(variable: number, low: number, high: number): number {
    if (low === high) return low;
    const key = `${variable},${low},${high}`;
    let node = this.#unique.get(key);
    if (node === undefined) {
      node = this.variable.length;
      this.variable.push(variable);
      this.low.push(low);
      this.high.push(high);
      this.#unique.set(key, node);
    }
    return node;
  }

  /** The complement of `f`. */
  not(f: number): number {
    if (f === ZERO) return ONE;
    if (f === ONE) return ZERO;
    const key = `!${f}`;
    let result = this.#memo.get(key);
    if (result === undefined) {
      result = this.node(
        this.variable[f] as number,
        this.not(this.low[f] as number),
        this.not(this.high[f] as number),
      );
      this.#remember(key, result);
    }
    return result;
  }

  #remember(key: string, result: number): void {
    if (this.#memo.size >= Bdd.MEMO_LIMIT) this.#memo.clear();
    this.#memo.set(key, result);
  }

  /** `f and g` or `f or g`. */
  apply(op: 'and' | 'or', f: number, g: number): number {
    if (op === 'and') {
      if (f === ZERO || g === ZERO) return ZERO;
      if (f === ONE) return g;
      if (g === ONE || f === g) return f;
    } else {
      if (f === ONE || g === ONE) return ONE;
      if (f === ZERO) return g;
      if (g === ZERO || f === g) return f;
    }
    const [a, b] = f < g ? [f, g] : [g, f];
    const key = `${op}${a},${b}`;
    let result = this.#memo.get(key);
    if (result === undefined) {
      const v = Math.min(this.variable[a] as number, this.variable[b] as number);
      const [aLow, aHigh] = this.cofactors(a, v);
      const [bLow, bHigh] = this.cofactors(b, v);
      result = this.node(v, this.apply(op, aLow, bLow), this.apply(op, aHigh, bHigh));
      this.#remember(key, result);
    }
    return result;
  }

  /** `f` with `variable` fixed to `value`, wherever in `f` it is tested. */
  restrict(f: number, variable: number, value: boolean): number {
    const v = this.variable[f] as number;
    if (v > variable) return f;
    if (v === variable) return (value ? this.high[f] : this.low[f]) as number;
    const key = `r${f},${variable},${value ? 1 : 0}`;
    let result = this.#memo.get(key);
    if (result === undefined) {
      result = this.node(
        v,
        this.restrict(this.low[f] as number, variable, value),
        this.restrict(this.high[f] as number, variable, value),
      );
      this.#remember(key, result);
    }
    return result;
  }

  /** `f` with `variable` false, and with it true. */
  cofactors(f: number, variable: number): [number, number] {
    return this.variable[f] === variable ? [this.low[f] as number, this.high[f] as number] : [f, f];
  }

  /** The BDD of a formula, within the domain; atom `a` is variable `order[a]`. */
  build(formula: Formula, order: readonly number[]): number {
    switch (formula.kind) {
      case 'const':
        return formula.value ? this.domain : ZERO;
      case 'atom':
        return this.apply('and', this.node(order[formula.atom] as number, ZERO, ONE), this.domain);
      case 'not':
        return this.negate(this.build(formula.operand, order));
      case 'and':
      case 'or': {
        // Deepest first: each step then adds a function above everything built so far, so `apply` stays shallow
        // even for a conjunction of thousands of atoms.
        const kind = formula.kind;
        return formula.operands
          .map((o) => this.build(o, order))
          .sort((f, g) => (this.variable[g] as number) - (this.variable[f] as number))
          .reduce((acc, f) => this.apply(kind, f, acc), kind === 'and' ? this.domain : ZERO);
      }
    }
  }
}
