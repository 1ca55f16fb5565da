/**
 * A second implementation of Tenet's decision procedure, written from docs/language.md and docs/embedding.md and
 * nothing else: it walks the checked AST directly, one query at a time, with no formulas, atoms or graphs. It is
 * slow and obvious on purpose, so that when it and the compiled engine disagree, the engine is the suspect.
 *
 * What it reads of a `CheckedPolicy`: `attributes` (types and defaults), `conditions`, `rules`, `obligations`,
 * `requirements` and `policy.defaultEffect`. Paths in expressions are resolved here, from the language reference:
 * `entity.attribute` is an attribute of the query; a bare name is a condition where a truth value is wanted, or a
 * value of an enumeration (compared with an attribute of that enumeration, or written in a list).
 */
import type { CheckedPolicy, Expression, Operand, Type } from '../../packages/language/src/index.js';

/** A value in a query: booleans, integers, identifiers and enumeration values, and sets of them. */
export type ScalarValue = string | number | boolean;
export type ReferenceValue = ScalarValue | readonly ScalarValue[];

/** A query's values by `entity.attribute`, defaults filled in. */
export type FilledQuery = Map<string, ReferenceValue>;

/** What the reference reads from a query: one object per entity, one field per attribute. */
export type ReferenceQuery = Record<string, Record<string, unknown>>;

/** The reference's answer: the decision, the rules that decided it, and the obligations triggered. */
export interface ReferenceDecision {
  decision: 'permit' | 'deny';
  /** The forbids that matched if any, else the permits that matched, else none (the default decided). */
  rules: string[];
  /** Every rule whose `when` holds (or that has none), in declaration order. */
  matched: { id: string; effect: 'permit' | 'forbid' }[];
  /** The obligations a `require` triggered, in the order the obligations are declared, each once. */
  obligations: string[];
}

function isSet(value: ReferenceValue): value is readonly ScalarValue[] {
  return Array.isArray(value);
}

/** A value written in the policy: a default, or an operand that is not a path. */
function writtenValue(operand: Operand): ReferenceValue {
  switch (operand.kind) {
    case 'string':
    case 'integer':
    case 'boolean':
      return operand.value;
    case 'set':
      return operand.elements.map((element) => {
        const value = writtenValue(element);
        if (isSet(value)) throw new Error('a set cannot hold a set');
        return value;
      });
    case 'path': {
      // A bare name written as a value is an enumeration value.
      const [name, ...rest] = operand.names;
      if (!name || rest.length > 0) throw new Error('a value cannot be an attribute');
      return name.text;
    }
  }
}

/** The query's values for every attribute of the vocabulary: what the query gives, else the default. */
export function fillDefaults(checked: CheckedPolicy, query: ReferenceQuery): FilledQuery {
  const values: FilledQuery = new Map();
  for (const [path, info] of checked.attributes) {
    const [entity, attribute] = path.split('.') as [string, string];
    const given = query[entity]?.[attribute];
    if (given !== undefined) {
      values.set(path, Array.isArray(given) ? [...(given as ScalarValue[])] : (given as ScalarValue));
    } else if (info.declaration.default) {
      values.set(path, writtenValue(info.declaration.default));
    } else {
      throw new Error(`the query lacks the required attribute ${path}`);
    }
  }
  return values;
}

/** The filled query as nested objects, `{ entity: { attribute: value } }`: what JSON-logic reads. */
export function nestedQuery(values: FilledQuery): ReferenceQuery {
  const nested: ReferenceQuery = {};
  for (const [path, value] of values) {
    const [entity, attribute] = path.split('.') as [string, string];
    nested[entity] = { ...nested[entity], [attribute]: isSet(value) ? [...value] : value };
  }
  return nested;
}

/** `is`: values of one type are equal; sets are equal when they have the same members. */
function equal(left: ReferenceValue, right: ReferenceValue): boolean {
  if (isSet(left) && isSet(right)) return within(left, right) && within(right, left);
  if (isSet(left) || isSet(right)) throw new Error('a set compared with a single value');
  return left === right;
}

/** `within`: every member of `left` is a member of `right`. */
function within(left: readonly ScalarValue[], right: readonly ScalarValue[]): boolean {
  return left.every((member) => right.includes(member));
}

class Evaluation {
  readonly #conditions = new Map<string, boolean>();

  constructor(
    readonly checked: CheckedPolicy,
    readonly values: FilledQuery,
  ) {}

  /** The type of an operand when it is an attribute, else undefined. */
  attributeType(operand: Operand): Type | undefined {
    if (operand.kind !== 'path' || operand.names.length !== 2) return undefined;
    return this.checked.attributes.get(operand.names.map((n) => n.text).join('.'))?.type;
  }

  /** Whether the bare name `name` is, beside `other`, an enumeration value rather than a condition. */
  isEnumValue(name: string, other: Operand | undefined): boolean {
    if (!this.checked.conditions.has(name)) return true;
    let type = other ? this.attributeType(other) : undefined;
    if (type?.kind === 'set') type = type.element;
    return type?.kind === 'enum' && type.values.includes(name);
  }

  /** The value of an operand; `other` is the operand it is compared with, to tell a value from a condition. */
  operand(operand: Operand, other?: Operand): ReferenceValue {
    if (operand.kind !== 'path') return writtenValue(operand);
    const path = operand.names.map((n) => n.text).join('.');
    if (operand.names.length === 2) {
      const value = this.values.get(path);
      if (value === undefined) throw new Error(`no attribute ${path}`);
      return value;
    }
    if (operand.names.length !== 1) throw new Error(`a path of ${operand.names.length} names: ${path}`);
    return this.isEnumValue(path, other) ? path : this.condition(path);
  }

  /** A named condition's truth value, worked out once per query. */
  condition(id: string): boolean {
    const known = this.#conditions.get(id);
    if (known !== undefined) return known;
    const declaration = this.checked.conditions.get(id);
    if (!declaration) throw new Error(`no condition ${id}`);
    const value = declaration.when ? this.expression(declaration.when) : true;
    this.#conditions.set(id, value);
    return value;
  }

  expression(e: Expression): boolean {
    switch (e.kind) {
      case 'and':
        return e.operands.every((operand) => this.expression(operand));
      case 'or':
        return e.operands.some((operand) => this.expression(operand));
      case 'not':
        return !this.expression(e.operand);
      case 'atom': {
        const value = this.operand(e.operand);
        if (typeof value !== 'boolean') throw new Error('a condition that is not a truth value');
        return value;
      }
      case 'test':
        return this.test(e);
    }
  }

  test(e: Extract<Expression, { kind: 'test' }>): boolean {
    const left = this.operand(e.left, e.right);
    const right = this.operand(e.right, e.left);
    switch (e.operator) {
      case 'is':
        return equal(left, right);
      case 'is not':
        return !equal(left, right);
      case 'in':
      case 'not in': {
        if (isSet(left) || !isSet(right)) throw new Error('`in` tests a single value against a set');
        const member = right.includes(left);
        return e.operator === 'in' ? member : !member;
      }
      case 'within':
        if (!isSet(left) || !isSet(right)) throw new Error('`within` compares two sets');
        return within(left, right);
      default: {
        if (typeof left !== 'number' || typeof right !== 'number')
          throw new Error(`\`${e.operator}\` compares integers`);
        switch (e.operator) {
          case '<':
            return left < right;
          case '<=':
            return left <= right;
          case '>':
            return left > right;
          case '>=':
            return left >= right;
        }
      }
    }
  }
}

/**
 * Decides `query` by the language reference: every rule whose `when` holds (a rule without one always does)
 * matches; a matching forbid wins over any permit; with no match the policy's default decides (deny if it names
 * none). Obligations are triggered by their `require … when …`, whatever the decision.
 */
export function referenceDecide(checked: CheckedPolicy, query: ReferenceQuery): ReferenceDecision {
  const evaluation = new Evaluation(checked, fillDefaults(checked, query));
  const holds = (when: Expression | undefined) => (when ? evaluation.expression(when) : true);

  const matched = checked.rules
    .filter((rule) => holds(rule.when))
    .map((rule) => ({ id: rule.id.text, effect: rule.effect }));
  const forbids = matched.filter((r) => r.effect === 'forbid').map((r) => r.id);
  const permits = matched.filter((r) => r.effect === 'permit').map((r) => r.id);
  const defaultEffect = checked.policy?.defaultEffect?.effect ?? 'deny';

  let decision: 'permit' | 'deny';
  let rules: string[];
  if (forbids.length > 0) [decision, rules] = ['deny', forbids];
  else if (permits.length > 0) [decision, rules] = ['permit', permits];
  else [decision, rules] = [defaultEffect, []];

  const triggered = new Set(checked.requirements.filter((r) => holds(r.when)).map((r) => r.obligation.text));
  const obligations = [...checked.obligations.keys()].filter((id) => triggered.has(id));
  return { decision, rules, matched, obligations };
}

/** Whether a condition holds of `query` (defaults filled in), by the language reference: for checking claims. */
export function referenceHolds(
  checked: CheckedPolicy,
  query: ReferenceQuery,
  when: Expression | undefined,
): boolean {
  return when ? new Evaluation(checked, fillDefaults(checked, query)).expression(when) : true;
}
