import type { Atom } from '@tenet/runtime';
import type { LoweredPolicy } from './compile.js';
import type { Formula } from './formula.js';

/** A JSON-logic expression (see jsonlogic.com). */
export type JsonLogic = boolean | number | string | JsonLogic[] | { [operator: string]: JsonLogic };

/**
 * The policy's decision procedure as JSON-logic, for engines that evaluate it (json-logic-js 2.0.5 and others). Each
 * part is applied to the query with its defaults filled in (`{ requester: { … }, record: { … }, … }`):
 * `decision` gives `"permit"` or `"deny"`, `rules` the ids of the rules that decided, `obligations` the ids of the
 * obligations the decision carries. Inputs must be validated first: JSON-logic reads inherited properties.
 */
export interface JsonLogicExport {
  decision: JsonLogic;
  rules: JsonLogic;
  obligations: JsonLogic;
  /**
   * Each rule's and each obligation's condition alone, for a host that applies them one by one and combines the
   * results itself: forbid wins, then permit, then the default.
   */
  conditions: {
    rules: { id: string; effect: 'permit' | 'forbid'; when: JsonLogic }[];
    obligations: { id: string; when: JsonLogic }[];
  };
}

function atom(a: Atom): JsonLogic {
  const variable = (path: string) => ({ var: path });
  switch (a.kind) {
    case 'true':
      return { '===': [variable(a.attribute), true] };
    case 'equals':
      return { '===': [variable(a.attribute), a.value] };
    case 'same':
      return { '===': [variable(a.attribute), variable(a.other)] };
    case 'member':
      return { in: [variable(a.attribute), variable(a.set)] };
    case 'contains':
      return { in: [a.value, variable(a.set)] };
    case 'within':
      // `none … not in`, not `all … in`: json-logic-js's `all` is false for an empty list, and an empty set is within any.
      return { none: [variable(a.set), { '!': { in: [{ var: '' }, a.values] } }] };
    case 'less':
      return { '<': [variable(a.attribute), a.bound] };
  }
}

function formula(f: Formula, atoms: readonly Atom[]): JsonLogic {
  switch (f.kind) {
    case 'const':
      return f.value;
    case 'atom':
      return atom(atoms[f.atom] as Atom);
    case 'not':
      return { '!': formula(f.operand, atoms) };
    default:
      return { [f.kind]: f.operands.map((o) => formula(o, atoms)) };
  }
}

/** The ids whose condition holds, as one JSON-logic list. */
function holding(entries: { id: string; when: JsonLogic }[]): JsonLogic {
  return { merge: entries.map((e) => ({ if: [e.when, [e.id], []] })) };
}

/** The JSON-logic form of a lowered policy. */
export function toJsonLogic(
  lowered: LoweredPolicy,
  obligationIds: readonly string[],
  defaultEffect: 'permit' | 'deny',
): JsonLogicExport {
  const rules = lowered.rules.map((r) => ({
    id: r.id,
    effect: r.effect,
    when: formula(r.when, lowered.atoms),
  }));
  const obligations = lowered.obligations.map((when, i) => ({
    id: obligationIds[i] ?? '',
    when: formula(when, lowered.atoms),
  }));
  const forbids = rules.filter((r) => r.effect === 'forbid');
  const permits = rules.filter((r) => r.effect === 'permit');
  const any = (list: typeof rules): JsonLogic =>
    list.length === 0 ? false : { or: list.map((r) => r.when) };
  return {
    decision: { if: [any(forbids), 'deny', any(permits), 'permit', defaultEffect] },
    rules: { if: [any(forbids), holding(forbids), any(permits), holding(permits), []] },
    obligations: holding(obligations),
    conditions: { rules, obligations },
  };
}
