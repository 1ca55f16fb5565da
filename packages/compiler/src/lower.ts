import type {
  AttributeInfo,
  CheckedPolicy,
  ConditionDeclaration,
  Diagnostic,
  Expression,
  Operand,
} from '@tenet/language';
import { type AtomTable, combine, FALSE, type Formula, not, TRUE } from './formula.js';

/** A value written in a policy, as the runtime compares it. */
type Literal = string | number | boolean | Literal[];

/** What an operand turned out to be, for lowering. */
type Term =
  | { kind: 'attribute'; attribute: AttributeInfo }
  | { kind: 'formula'; formula: Formula }
  | { kind: 'literal'; value: Literal };

/**
 * Lowers the checked policy's conditions to formulas over atoms. Named conditions are inlined; every test becomes
 * atoms the runtime can evaluate (see `Atom` in `@tenet/runtime`).
 */
export class Lowering {
  readonly diagnostics: Diagnostic[] = [];
  readonly #conditions = new Map<ConditionDeclaration, Formula>();

  constructor(
    private readonly checked: CheckedPolicy,
    private readonly table: AtomTable,
  ) {}

  /** The formula of an optional `when`: absent means always. */
  when(expression: Expression | undefined): Formula {
    return expression ? this.expression(expression) : TRUE;
  }

  /** The formula of a condition. */
  expression(e: Expression): Formula {
    switch (e.kind) {
      case 'and':
      case 'or':
        return combine(
          e.kind,
          e.operands.map((o) => this.expression(o)),
        );
      case 'not':
        return not(this.expression(e.operand));
      case 'atom':
        return this.truth(this.term(e.operand), e);
      case 'test':
        return this.test(e);
    }
  }

  #condition(condition: ConditionDeclaration): Formula {
    let formula = this.#conditions.get(condition);
    if (!formula) {
      // A cycle is a checker error; compilation never starts on one, but never loop either.
      this.#conditions.set(condition, FALSE);
      formula = this.when(condition.when);
      this.#conditions.set(condition, formula);
    }
    return formula;
  }

  /** What an operand is: an attribute, a condition's formula, or a written value. */
  term(operand: Operand): Term {
    const reference = this.checked.references.get(operand);
    if (reference?.kind === 'attribute') return { kind: 'attribute', attribute: reference.attribute };
    if (reference?.kind === 'condition')
      return { kind: 'formula', formula: this.#condition(reference.condition) };
    if (reference?.kind === 'value') return { kind: 'literal', value: reference.value };
    return { kind: 'literal', value: literal(operand) };
  }

  /** A term that stands for a truth value. */
  truth(term: Term, at: Expression): Formula {
    switch (term.kind) {
      case 'formula':
        return term.formula;
      case 'attribute':
        return this.table.atom({ kind: 'true', attribute: term.attribute.path });
      case 'literal':
        if (typeof term.value === 'boolean') return term.value ? TRUE : FALSE;
        return this.unsupported(at, 'this value is not a condition');
    }
  }

  unsupported(at: Expression, why: string): Formula {
    this.diagnostics.push({
      code: 'unsupported-test',
      severity: 'error',
      message: `cannot compile this test: ${why}`,
      span: at.span,
      help: 'rewrite it with an attribute on one side and a written value on the other',
    });
    return FALSE;
  }

  /** The formula of one test (`is`, `in`, `within`, `<`, …). */
  test(e: Extract<Expression, { kind: 'test' }>): Formula {
    const left = this.term(e.left);
    const right = this.term(e.right);
    switch (e.operator) {
      case 'is':
        return this.equal(left, right, e);
      case 'is not':
        return not(this.equal(left, right, e));
      case 'in':
        return this.member(left, right, e);
      case 'not in':
        return not(this.member(left, right, e));
      case 'within':
        return this.within(left, right, e);
      default:
        return this.compare(e.operator, left, right, e);
    }
  }

  /** `left is right`, for every pair of kinds of term. */
  equal(left: Term, right: Term, at: Expression): Formula {
    if (left.kind === 'literal' && right.kind === 'literal')
      return same(left.value, right.value) ? TRUE : FALSE;
    if (left.kind === 'literal') return this.equal(right, left, at);
    if (left.kind === 'formula' || (left.kind === 'attribute' && left.attribute.type.kind === 'boolean')) {
      const a = this.truth(left, at);
      if (right.kind === 'literal') return right.value === true ? a : not(a);
      const b = this.truth(right, at);
      return combine('or', [combine('and', [a, b]), combine('and', [not(a), not(b)])]);
    }
    const attribute = left.attribute;
    if (right.kind === 'attribute') {
      if (attribute.type.kind === 'set') return this.unsupported(at, 'two sets cannot be compared yet');
      const [a, b] = [attribute.path, right.attribute.path].sort() as [string, string];
      return a === b ? TRUE : this.table.atom({ kind: 'same', attribute: a, other: b });
    }
    if (right.kind === 'formula') return this.unsupported(at, 'a condition is not a value');
    if (Array.isArray(right.value)) {
      // A set attribute equal to a written set: it holds those values and nothing else.
      const values = [...new Set(right.value.map(String))].sort();
      return combine('and', [
        this.table.atom({ kind: 'within', set: attribute.path, values }),
        ...values.map((value) => this.table.atom({ kind: 'contains', set: attribute.path, value })),
      ]);
    }
    if (typeof right.value === 'boolean')
      return this.unsupported(at, 'a boolean is not this attribute’s value');
    return this.table.atom({ kind: 'equals', attribute: attribute.path, value: right.value });
  }

  /** `left in right`: one of written values, or a member of a set attribute. */
  member(left: Term, right: Term, at: Expression): Formula {
    if (right.kind === 'literal' && Array.isArray(right.value)) {
      return combine(
        'or',
        right.value.map((value) => this.equal(left, { kind: 'literal', value }, at)),
      );
    }
    if (right.kind !== 'attribute') return this.unsupported(at, '`in` needs a set on its right');
    if (left.kind === 'attribute')
      return this.table.atom({ kind: 'member', attribute: left.attribute.path, set: right.attribute.path });
    if (left.kind === 'literal' && typeof left.value === 'string') {
      return this.table.atom({ kind: 'contains', set: right.attribute.path, value: left.value });
    }
    return this.unsupported(at, 'only a value or an attribute can be a member of a set');
  }

  /** `left within right`: every member of a set is among written values. */
  within(left: Term, right: Term, at: Expression): Formula {
    if (left.kind === 'attribute' && right.kind === 'literal' && Array.isArray(right.value)) {
      return this.table.atom({
        kind: 'within',
        set: left.attribute.path,
        values: [...new Set(right.value.map(String))].sort(),
      });
    }
    if (left.kind === 'literal' && Array.isArray(left.value) && right.kind === 'attribute') {
      return combine(
        'and',
        left.value.map((value) =>
          this.table.atom({ kind: 'contains', set: right.attribute.path, value: String(value) }),
        ),
      );
    }
    if (
      left.kind === 'literal' &&
      Array.isArray(left.value) &&
      right.kind === 'literal' &&
      Array.isArray(right.value)
    ) {
      const outer = right.value;
      return left.value.every((v) => outer.some((w) => same(v, w))) ? TRUE : FALSE;
    }
    return this.unsupported(at, '`within` compares a set attribute with a written set');
  }

  /** An integer comparison, as `less` atoms or their negations. */
  compare(operator: '<' | '<=' | '>' | '>=', left: Term, right: Term, at: Expression): Formula {
    if (left.kind === 'literal' && right.kind === 'literal') {
      const [a, b] = [Number(left.value), Number(right.value)];
      return (operator === '<' ? a < b : operator === '<=' ? a <= b : operator === '>' ? a > b : a >= b)
        ? TRUE
        : FALSE;
    }
    if (left.kind === 'literal') {
      const mirrored = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const)[operator];
      return this.compare(mirrored, right, left, at);
    }
    if (left.kind !== 'attribute' || right.kind !== 'literal' || typeof right.value !== 'number') {
      return this.unsupported(
        at,
        'two integer attributes cannot be ordered yet; compare an integer attribute with a written integer',
      );
    }
    const attribute = left.attribute.path;
    const bound = right.value;
    // Every comparison is `less` or its negation: a <= n is a < n + 1; a > n is not a < n + 1.
    switch (operator) {
      case '<':
        return this.table.atom({ kind: 'less', attribute, bound });
      case '<=':
        return this.table.atom({ kind: 'less', attribute, bound: bound + 1 });
      case '>':
        return not(this.table.atom({ kind: 'less', attribute, bound: bound + 1 }));
      case '>=':
        return not(this.table.atom({ kind: 'less', attribute, bound }));
    }
  }
}

function same(a: Literal, b: Literal): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.every((v) => b.some((w) => same(v, w))) && b.every((w) => a.some((v) => same(v, w)));
  }
  return a === b;
}

/** The value of a written operand: a string, an integer, a boolean, a set of them, or a name (an enum value). */
export function literal(operand: Operand): Literal {
  switch (operand.kind) {
    case 'set':
      return operand.elements.map(literal);
    case 'path':
      return operand.names.map((n) => n.text).join('.');
    default:
      return operand.value;
  }
}
