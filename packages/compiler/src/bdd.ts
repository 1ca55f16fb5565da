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
      this.#memo.set(key, result);
    }
    return result;
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
      this.#memo.set(key, result);
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
      this.#memo.set(key, result);
    }
    return result;
  }

  /** `f` with `variable` false, and with it true. */
  cofactors(f: number, variable: number): [number, number] {
    return this.variable[f] === variable ? [this.low[f] as number, this.high[f] as number] : [f, f];
  }

  /** The BDD of a formula; atom `a` is variable `order[a]`. */
  build(formula: Formula, order: readonly number[]): number {
    switch (formula.kind) {
      case 'const':
        return formula.value ? ONE : ZERO;
      case 'atom':
        return this.node(order[formula.atom] as number, ZERO, ONE);
      case 'not':
        return this.not(this.build(formula.operand, order));
      case 'and':
      case 'or': {
        // Deepest first: each step then adds a function above everything built so far, so `apply` stays shallow
        // even for a conjunction of thousands of atoms.
        const kind = formula.kind;
        return formula.operands
          .map((o) => this.build(o, order))
          .sort((f, g) => (this.variable[g] as number) - (this.variable[f] as number))
          .reduce((acc, f) => this.apply(kind, f, acc), kind === 'and' ? ONE : ZERO);
      }
    }
  }
}
