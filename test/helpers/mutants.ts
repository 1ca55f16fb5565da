/**
 * Single-point changes of a policy's main file, made on its AST and printed back with the formatter: the mutants of
 * test/mutation.test.ts. Only the conditions the policy decides by are changed (the `when` of every rule, named
 * condition and `require`, the effect of every rule, the `require`s themselves); assertions and examples, which
 * are what must catch the change, are left as written. Imported files are never changed.
 */
import {
  type CheckedPolicy,
  type Declaration,
  type Expression,
  format,
  formatExpression,
  type Operand,
  type SourceFile,
  type TestOperator,
  type Type,
} from '../../packages/language/src/index.js';

/** The kinds of change. */
export type MutationOperator =
  | 'drop-operand'
  | 'flip-comparison'
  | 'remove-not'
  | 'widen-set'
  | 'flip-effect'
  | 'delete-require';

/** The main file with one change. */
export interface Mutant {
  operator: MutationOperator;
  /** Where and what: `condition third-party: drop \`not own-record\` from the \`and\``. */
  description: string;
  /** The main file's text, printed by the formatter, with the change. */
  text: string;
}

/** One change of an expression: what changed, and the expression with it. */
interface ExpressionChange {
  operator: MutationOperator;
  what: string;
  result: Expression;
}

/** A comparison and the one it flips to. */
const FLIPPED: Partial<Record<TestOperator, TestOperator>> = {
  is: 'is not',
  'is not': 'is',
  in: 'not in',
  'not in': 'in',
};

/** An identifier no policy is expected to mention: what widens a set of identifiers. */
export const FRESH_IDENTIFIER = 'mutant-fresh-identifier';

const code = (e: Expression) => `\`${formatExpression(e)}\``;

/**
 * Every single-point change of the main file of `checked`, in the order of the file. `checked` must be the policy
 * as read (its AST is the one changed, its references give the type a set literal is compared with).
 *
 * @example
 * const mutants = mutantsOf(checkPolicy(entry, diskHost).value);
 */
export function mutantsOf(checked: CheckedPolicy): Mutant[] {
  const file = checked.program.files[0];
  if (!file) return [];
  const typeOf = (o: Operand): Type | undefined => {
    const reference = checked.references.get(o);
    return reference?.kind === 'attribute' ? reference.attribute.type : undefined;
  };
  const requireCount = new Map<string, number>();
  for (const d of file.declarations)
    if (d.kind === 'require')
      requireCount.set(d.obligation.text, (requireCount.get(d.obligation.text) ?? 0) + 1);
  const requireSeen = new Map<string, number>();

  const mutants: Mutant[] = [];
  const replaced = (index: number, declaration: Declaration | undefined): string => {
    const declarations =
      declaration === undefined
        ? file.declarations.filter((_, i) => i !== index)
        : file.declarations.map((d, i) => (i === index ? declaration : d));
    const changed: SourceFile = { ...file, declarations };
    return format(changed);
  };

  file.declarations.forEach((d, index) => {
    if (d.kind !== 'rule' && d.kind !== 'condition' && d.kind !== 'require') return;
    let where: string;
    if (d.kind === 'rule') where = `${d.effect} ${d.id.text}`;
    else if (d.kind === 'condition') where = `condition ${d.id.text}`;
    else {
      const name = d.obligation.text;
      const nth = (requireSeen.get(name) ?? 0) + 1;
      requireSeen.set(name, nth);
      where = `require ${name}${(requireCount.get(name) ?? 0) > 1 ? ` (#${nth})` : ''}`;
    }
    if (d.when) {
      for (const change of expressionChanges(d.when, typeOf)) {
        mutants.push({
          operator: change.operator,
          description: `${where}: ${change.what}`,
          text: replaced(index, { ...d, when: change.result }),
        });
      }
    }
    if (d.kind === 'rule') {
      const effect = d.effect === 'permit' ? 'forbid' : 'permit';
      mutants.push({
        operator: 'flip-effect',
        description: `${where}: ${d.effect} → ${effect}`,
        text: replaced(index, { ...d, effect }),
      });
    }
    if (d.kind === 'require') {
      mutants.push({
        operator: 'delete-require',
        description: `${where}: deleted`,
        text: replaced(index, undefined),
      });
    }
  });
  return mutants;
}

/** Every single-point change of `e` and of the expressions inside it. */
function expressionChanges(e: Expression, typeOf: (o: Operand) => Type | undefined): ExpressionChange[] {
  switch (e.kind) {
    case 'and':
    case 'or': {
      const changes: ExpressionChange[] = [];
      e.operands.forEach((operand, i) => {
        const rest = e.operands.filter((_, j) => j !== i);
        const [only] = rest;
        changes.push({
          operator: 'drop-operand',
          what: `drop ${code(operand)} from ${code(e)}`,
          result: rest.length === 1 && only ? only : { ...e, operands: rest },
        });
      });
      e.operands.forEach((operand, i) => {
        for (const inner of expressionChanges(operand, typeOf))
          changes.push({
            ...inner,
            result: { ...e, operands: e.operands.map((o, j) => (j === i ? inner.result : o)) },
          });
      });
      return changes;
    }
    case 'not':
      return [
        { operator: 'remove-not', what: `remove the \`not\` of ${code(e)}`, result: e.operand },
        ...expressionChanges(e.operand, typeOf).map((inner) => ({
          ...inner,
          result: { ...e, operand: inner.result },
        })),
      ];
    case 'test': {
      const changes: ExpressionChange[] = [];
      const flipped = FLIPPED[e.operator];
      if (flipped) {
        const result: Expression = { ...e, operator: flipped };
        changes.push({ operator: 'flip-comparison', what: `${code(e)} → ${code(result)}`, result });
      }
      for (const side of ['left', 'right'] as const) {
        const set = e[side];
        const other = side === 'left' ? e.right : e.left;
        if (set.kind !== 'set') continue;
        for (const added of widenings(set, typeOf(other))) {
          const widened: Operand = { ...set, elements: [...set.elements, added] };
          const result: Expression = { ...e, [side]: widened };
          changes.push({ operator: 'widen-set', what: `${code(e)} → ${code(result)}`, result });
        }
      }
      return changes;
    }
    case 'atom':
      return [];
  }
}

/**
 * The values one could add to a written set compared with an operand of type `other`: every value of its
 * enumeration the set leaves out, or a fresh identifier.
 */
function widenings(set: Operand & { kind: 'set' }, other: Type | undefined): Operand[] {
  const element = other?.kind === 'set' ? other.element : other;
  const span = set.span;
  const written = new Set(
    set.elements.map((o) =>
      o.kind === 'path' ? o.names.map((n) => n.text).join('.') : o.kind === 'string' ? o.value : '',
    ),
  );
  if (element?.kind === 'enum') {
    return element.values
      .filter((v) => !written.has(v))
      .map((v): Operand => ({ kind: 'path', names: [{ text: v, span }], span }));
  }
  const identifiers = element?.kind === 'identifier' || set.elements.some((o) => o.kind === 'string');
  return identifiers && !written.has(FRESH_IDENTIFIER)
    ? [{ kind: 'string', value: FRESH_IDENTIFIER, span }]
    : [];
}
