import type { Atom } from '@tenet/runtime';

/** A boolean formula over the atoms of a policy: what every condition lowers to. */
export type Formula =
  | { kind: 'const'; value: boolean }
  | { kind: 'atom'; atom: number }
  | { kind: 'not'; operand: Formula }
  | { kind: 'and' | 'or'; operands: Formula[] };

/** The formula that always holds. */
export const TRUE: Formula = { kind: 'const', value: true };
/** The formula that never holds. */
export const FALSE: Formula = { kind: 'const', value: false };

/** The negation of a formula, with constants and double negations folded away. */
export function not(operand: Formula): Formula {
  if (operand.kind === 'const') return operand.value ? FALSE : TRUE;
  if (operand.kind === 'not') return operand.operand;
  return { kind: 'not', operand };
}

/** A conjunction or disjunction, with constants folded away. */
export function combine(kind: 'and' | 'or', operands: Formula[]): Formula {
  const absorbing = kind === 'or';
  const kept: Formula[] = [];
  for (const operand of operands) {
    if (operand.kind === 'const') {
      if (operand.value === absorbing) return operand;
      continue;
    }
    kept.push(operand);
  }
  if (kept.length === 0) return absorbing ? FALSE : TRUE;
  return kept.length === 1 ? (kept[0] as Formula) : { kind, operands: kept };
}

/**
 * `formula` with some atoms settled: `value(atom)` is the truth of an atom the question has settled, or
 * `undefined` for one it leaves open. Constants are folded, so a condition the settled atoms decide becomes one.
 */
export function settle(formula: Formula, value: (atom: number) => boolean | undefined): Formula {
  switch (formula.kind) {
    case 'const':
      return formula;
    case 'atom': {
      const known = value(formula.atom);
      return known === undefined ? formula : known ? TRUE : FALSE;
    }
    case 'not':
      return not(settle(formula.operand, value));
    default:
      return combine(
        formula.kind,
        formula.operands.map((o) => settle(o, value)),
      );
  }
}

/** The atoms `formula` tests. */
export function atomsOf(formula: Formula, into = new Set<number>()): Set<number> {
  if (formula.kind === 'atom') into.add(formula.atom);
  else if (formula.kind === 'not') atomsOf(formula.operand, into);
  else if (formula.kind !== 'const') for (const o of formula.operands) atomsOf(o, into);
  return into;
}

/** The atoms of a policy, each stored once, by a canonical key. */
export class AtomTable {
  readonly atoms: Atom[] = [];
  readonly #index = new Map<string, number>();

  /** The formula testing `atom`, adding the atom if it is new. */
  atom(atom: Atom): Formula {
    const key = JSON.stringify(atom);
    let index = this.#index.get(key);
    if (index === undefined) {
      index = this.atoms.length;
      this.atoms.push(atom);
      this.#index.set(key, index);
    }
    return { kind: 'atom', atom: index };
  }
}
