/**
 * Types: every expression is a condition (true or false of every query), every comparison compares values of one
 * type, and every value written out fits the type it stands for. Resolves each path to what it names.
 */
import type { Expression, Name, Operand } from '../ast.js';
import type { Diagnostic, DiagnosticCode, SourceSpan } from '../diagnostics.js';
import { listNames } from '../suggest.js';
import { inRange, sameType, showRange, showType, type Type } from '../types.js';
import { BOOLEAN, type CheckContext, IDENTIFIER, INTEGER } from './context.js';

/** Checks that an expression is a condition: true or false of every query. */
export function expectBoolean(c: CheckContext, e: Expression): void {
  switch (e.kind) {
    case 'and':
    case 'or':
      for (const o of e.operands) expectBoolean(c, o);
      return;
    case 'not':
      expectBoolean(c, e.operand);
      return;
    case 'atom': {
      const type = operandType(c, e.operand, BOOLEAN);
      if (type && type.kind !== 'boolean') {
        const shown =
          e.operand.kind === 'path' ? `\`${e.operand.names.map((n) => n.text).join('.')}\`` : 'this value';
        const example =
          type.kind === 'enum'
            ? `, such as \`${e.operand.kind === 'path' ? e.operand.names.map((n) => n.text).join('.') : 'x'} is ${type.values[0]}\``
            : '';
        c.report('type-mismatch', `${shown} is ${showType(type)}, not a condition`, e.operand.span, {
          help: `compare it with a value${example}`,
        });
      }
      return;
    }
    case 'test':
      checkTest(c, e);
  }
}

function checkTest(c: CheckContext, e: Extract<Expression, { kind: 'test' }>): void {
  if (attributeInSet(c, e)) return;
  // What an operand is, known without the other side: an attribute, or a string, integer or boolean written out
  // (a set, when one of its members is). A bare name (a value of an enumeration, or a condition) and an empty set
  // take their type from the other side, which is therefore typed first.
  const typedAlone = (o: Operand): boolean =>
    o.kind === 'path' ? o.names.length > 1 : o.kind === 'set' ? o.elements.some(typedAlone) : true;
  switch (e.operator) {
    case 'is':
    case 'is not': {
      const [anchor, other] =
        !typedAlone(e.left) && typedAlone(e.right) ? [e.right, e.left] : [e.left, e.right];
      const anchorType = operandType(c, anchor);
      if (!anchorType) return;
      const otherType = operandType(c, other, anchorType);
      if (!otherType) return;
      if (!sameType(anchorType, otherType)) {
        const [leftType, rightType] = anchor === e.left ? [anchorType, otherType] : [otherType, anchorType];
        const quoted = [e.left, e.right].find(
          (o, i) => numeral(o) !== undefined && [rightType, leftType][i]?.kind === 'integer',
        );
        c.report(
          'type-mismatch',
          `cannot compare ${describe(e.left, leftType)} with ${describe(e.right, rightType)}`,
          e.span,
          quoted ? unquote(quoted) : { help: '`is` compares two values of the same type' },
        );
        return;
      }
      setEquality(c, e);
      return;
    }
    case 'in':
    case 'not in': {
      if (e.left.kind === 'set') {
        if (e.right.kind !== 'set') operandType(c, e.right);
        setLiteralIn(c, e);
        return;
      }
      if (e.right.kind === 'set') {
        const leftType = operandType(c, e.left);
        if (!leftType) return;
        operandType(c, e.right, leftType.kind === 'set' ? leftType : { kind: 'set', element: leftType });
        if (leftType.kind === 'set') setInSet(c, e, leftType);
        return;
      }
      const setType = operandType(c, e.right);
      if (!setType) return;
      if (setType.kind !== 'set') {
        c.report(
          'type-mismatch',
          `${describe(e.right, setType)} is not a set: \`in\` needs a set on its right`,
          e.right.span,
          {
            help:
              setType.kind === 'boolean'
                ? 'a boolean is tested on its own, or with `is true` / `is false`'
                : 'write a set such as `[a, b]`, or use `is`',
          },
        );
        operandType(c, e.left);
        return;
      }
      const leftType = operandType(c, e.left, setType.element);
      if (leftType?.kind === 'set') setInSet(c, e, leftType);
      else if (leftType && !sameType(leftType, setType.element)) {
        c.report(
          'type-mismatch',
          `${describe(e.left, leftType)} cannot be in \`${pathText(e.right)}\`, which holds ${showType(setType.element)}`,
          e.span,
        );
      }
      return;
    }
    case 'within': {
      if (e.left.kind === 'set' && e.right.kind !== 'set') {
        const rightType = operandType(c, e.right);
        if (rightType?.kind === 'set') operandType(c, e.left, rightType);
        else if (rightType)
          c.report(
            'type-mismatch',
            `${describe(e.right, rightType)} is not a set: \`within\` tests a set`,
            e.right.span,
          );
        return;
      }
      const leftType = operandType(c, e.left);
      if (!leftType) return;
      if (leftType.kind !== 'set') {
        c.report(
          'type-mismatch',
          `${describe(e.left, leftType)} is not a set: \`within\` tests a set`,
          e.left.span,
          { help: 'use `in` to test one value' },
        );
        return;
      }
      const rightType = operandType(c, e.right, leftType);
      if (rightType && !sameType(leftType, rightType)) {
        c.report(
          'type-mismatch',
          `cannot test ${describe(e.left, leftType)} within ${describe(e.right, rightType)}`,
          e.span,
        );
      }
      return;
    }
    default: {
      for (const side of [e.left, e.right]) {
        const type = operandType(c, side, INTEGER);
        if (type && type.kind !== 'integer') {
          c.report(
            'type-mismatch',
            `${describe(side, type)} is not an integer: \`${e.operator}\` compares integers`,
            side.span,
            numeral(side) === undefined ? {} : unquote(side),
          );
        }
      }
    }
  }
}

/** An operand and its type: "`requester.age` (integer)"; a string written out is said to be one: "`"16"` (a string)". */
function describe(o: Operand, type: Type): string {
  return `\`${show(o)}\` (${o.kind === 'string' ? 'a string' : showType(type)})`;
}

/** The number a string written out holds, such as `"16"`; undefined for any other operand. */
function numeral(o: Operand): string | undefined {
  return o.kind === 'string' && /^-?\d+$/.test(o.value) ? o.value : undefined;
}

/** The help and fix for a number written in quotes where an integer is wanted. */
function unquote(o: Operand): Pick<Diagnostic, 'help' | 'fix'> {
  const value = numeral(o) ?? '';
  return {
    help: `an integer is written without quotes: \`${value}\``,
    fix: { title: `write \`${value}\``, edits: [{ span: o.span, newText: value }] },
  };
}

/** A help and a fix that replace the whole test `e` by `text`. */
function rewrite(e: Expression, text: string): Pick<Diagnostic, 'help' | 'fix'> {
  return {
    help: `write \`${text}\``,
    fix: { title: `write \`${text}\``, edits: [{ span: e.span, newText: text }] },
  };
}

/**
 * A set written out holds values; an attribute in one (`[record.subjectId]`) is reported once, at the attribute, with
 * the test that says what was most likely meant. True when one was found, and nothing more is checked of the test.
 */
function attributeInSet(c: CheckContext, e: Extract<Expression, { kind: 'test' }>): boolean {
  const literal = [e.left, e.right].find((o) => o.kind === 'set' && o.elements.some(isAttributePath));
  if (literal?.kind !== 'set') return false;
  const path = literal.elements.find(isAttributePath) as Operand;
  // An unknown entity or attribute is reported as such, and is all there is to say.
  if (!operandType(c, path)) return true;
  const other = literal === e.left ? e.right : e.left;
  const otherType = isAttributePath(other) ? operandType(c, other) : undefined;
  const [member, side] = [show(path), show(other)];
  let advice: Pick<Diagnostic, 'help' | 'fix'> = {
    help: 'compare with an attribute by `is` or `in`: `requester.id is record.subjectId`, `record.subjectId in requester.guardianOf`',
  };
  if (literal.elements.length === 1 && otherType?.kind === 'set') {
    advice =
      literal === e.left && (e.operator === 'within' || e.operator === 'in')
        ? rewrite(e, `${member} in ${side}`)
        : { help: `to test that \`${side}\` holds it, write \`${member} in ${side}\`` };
  } else if (literal.elements.length === 1 && otherType && literal === e.right) {
    advice =
      e.operator === 'in' || e.operator === 'is'
        ? rewrite(e, `${side} is ${member}`)
        : e.operator === 'not in' || e.operator === 'is not'
          ? rewrite(e, `${side} is not ${member}`)
          : { help: `to compare the two, write \`${side} is ${member}\`` };
  }
  c.report(
    'type-mismatch',
    `\`${member}\` is an attribute, and a set written out holds values only`,
    path.span,
    advice,
  );
  return true;
}

function isAttributePath(o: Operand): boolean {
  return o.kind === 'path' && o.names.length > 1;
}

/**
 * `request.fields in [identity, borrowing_history]`: a set tested for membership, reported once, with `within` as
 * the fix. The caller types the right side as a set of the same values, so a value it cannot hold is still reported.
 */
function setInSet(c: CheckContext, e: Extract<Expression, { kind: 'test' }>, leftType: Type): void {
  const left = show(e.left);
  const members = e.right.kind === 'set' ? e.right.elements.map(show) : [];
  const some = members.length > 0 ? members.map((m) => `${m} in ${left}`).join(' or ') : undefined;
  c.report(
    'type-mismatch',
    `${describe(e.left, leftType)} is a set: test a set with \`within\`, not \`in\``,
    e.span,
    {
      help: `\`${left} within ${show(e.right)}\` holds when it holds nothing else${some ? `; to test that it holds one of them, write \`${some}\`` : ''}`,
      ...(e.operator === 'in'
        ? {
            fix: {
              title: 'use `within`',
              edits: [{ span: between(e.left, e.right), newText: ' within ' }],
            },
          }
        : {}),
    },
  );
}

/** `[a, b] in S`: a set written out where one value is wanted. */
function setLiteralIn(c: CheckContext, e: Extract<Expression, { kind: 'test' }>): void {
  c.report(
    'type-mismatch',
    `\`${show(e.left)}\` is a set: test a set with \`within\`, not \`in\``,
    e.left.span,
    {
      help: `\`${show(e.left)} within ${show(e.right)}\` holds when ${show(e.right)} holds every one of them`,
    },
  );
}

/** The text between two operands, as a span: where the operator of a test is written. */
function between(left: Operand, right: Operand): SourceSpan {
  return { file: left.span.file, start: left.span.end, end: right.span.start };
}

/**
 * `request.fields is [identity]`: true only when the set holds exactly these values, which is seldom what is meant.
 * A warning, with the test most likely meant as its fix: membership for one value, `within` for several.
 */
function setEquality(c: CheckContext, e: Extract<Expression, { kind: 'test' }>): void {
  const [set, written] = e.left.kind === 'set' ? [e.right, e.left] : [e.left, e.right];
  if (set.kind === 'set' || written.kind !== 'set' || written.elements.length === 0) return;
  const [one, ...more] = written.elements;
  const negated = e.operator === 'is not';
  const meant =
    more.length === 0 && one
      ? `${show(one)} ${negated ? 'not in' : 'in'} ${show(set)}`
      : negated
        ? undefined
        : `${show(set)} within ${show(written)}`;
  c.report(
    'set-equality',
    `\`${show(set)} ${e.operator} ${show(written)}\` holds only when the set is${negated ? ' anything but' : ''} exactly \`${show(written)}\``,
    e.span,
    {
      severity: 'warning',
      help:
        `to test that it holds ${more.length === 0 ? `\`${show(one as Operand)}\`` : 'each of them'}, write ` +
        `\`${written.elements.map((v) => `${show(v)} in ${show(set)}`).join(' and ')}\`; that it holds nothing else, ` +
        `\`${show(set)} within ${show(written)}\``,
      ...(meant ? { fix: { title: `write \`${meant}\``, edits: [{ span: e.span, newText: meant }] } } : {}),
    },
  );
}

/**
 * The type of an operand, resolving names. `expected` is the type the context wants, which decides what a
 * bare name is (a value of an enumeration, or a condition). Undefined when a problem was already reported.
 */
export function operandType(c: CheckContext, operand: Operand, expected?: Type): Type | undefined {
  switch (operand.kind) {
    case 'string':
      return IDENTIFIER;
    case 'integer':
      return INTEGER;
    case 'boolean':
      return BOOLEAN;
    case 'set': {
      if (expected && expected.kind !== 'set') {
        c.report('type-mismatch', `a set is not ${showType(expected)}`, operand.span);
        return undefined;
      }
      const element = expected?.element;
      let found: Type | undefined = element;
      for (const item of operand.elements) {
        const type = operandType(c, item, element);
        if (!type) continue;
        if (element && !sameType(type, element)) {
          c.report(
            'type-mismatch',
            `\`${show(item)}\` is ${showType(type)}, but this set holds ${showType(element)}`,
            item.span,
          );
        }
        found ??= type;
      }
      return found ? { kind: 'set', element: found } : expected;
    }
    case 'path':
      return pathType(c, operand, expected);
  }
}

function pathType(
  c: CheckContext,
  operand: Extract<Operand, { kind: 'path' }>,
  expected?: Type,
): Type | undefined {
  const r = c.result;
  const [first, second, ...rest] = operand.names;
  if (!first) return undefined;
  if (second) {
    const entity = r.entities.get(first.text);
    if (!entity) {
      c.unknown('unknown-entity', 'entity', first, r.entities.keys(), 'declare it with `entity NAME`');
      return undefined;
    }
    c.resolve(first, entity);
    const attribute = r.attributes.get(`${first.text}.${second.text}`);
    if (!attribute) {
      c.unknown(
        'unknown-attribute',
        `attribute of \`${first.text}\`:`,
        second,
        entity.attributes.map((a) => a.name.text),
        `\`${first.text}\` has ${listNames(entity.attributes.map((a) => a.name.text))}`,
      );
      return undefined;
    }
    if (rest.length > 0) {
      c.report(
        'unknown-attribute',
        `\`${attribute.path}\` has no attributes of its own`,
        (rest[0] as Name).span,
        {
          help: 'attributes are written `entity.attribute`',
        },
      );
      return undefined;
    }
    r.references.set(operand, { kind: 'attribute', attribute });
    c.resolveAttribute(second, attribute);
    return attribute.type;
  }
  const enumType = expected?.kind === 'enum' ? expected : undefined;
  if (enumType) {
    if (enumType.values.includes(first.text)) {
      r.references.set(operand, { kind: 'value', value: first.text });
      return enumType;
    }
    c.unknown(
      'unknown-value',
      'value',
      first,
      enumType.values,
      `the values are ${listNames(enumType.values)}`,
    );
    return undefined;
  }
  const condition = r.conditions.get(first.text);
  if (condition) {
    c.resolve(first, condition);
    r.references.set(operand, { kind: 'condition', condition });
    return BOOLEAN;
  }
  if (expected && expected.kind !== 'boolean') {
    c.report('type-mismatch', `\`${first.text}\` is not ${showType(expected)}`, first.span, {
      help:
        expected.kind === 'identifier'
          ? `identifiers are written as strings: \`"${first.text}"\``
          : undefined,
    });
    return undefined;
  }
  const attributeNamed = [...r.attributes.values()].find((a) => a.declaration.name.text === first.text);
  if (attributeNamed) {
    c.report('unknown-condition', `unknown condition \`${first.text}\``, first.span, {
      help: `did you mean the attribute \`${attributeNamed.path}\`?`,
      fix: {
        title: `replace with \`${attributeNamed.path}\``,
        edits: [{ span: first.span, newText: attributeNamed.path }],
      },
    });
    return undefined;
  }
  c.unknown(
    'unknown-condition',
    'condition',
    first,
    r.conditions.keys(),
    'declare it with `condition NAME when …`, or name an attribute as `entity.attribute`',
  );
  return undefined;
}

/**
 * Checks a value written out where a value of `expected` is wanted (a default, an example): a literal of that type,
 * or for an enumeration one of its values. Names of conditions or attributes are not values.
 */
export function checkLiteral(
  c: CheckContext,
  operand: Operand,
  expected: Type,
  code: DiagnosticCode,
  what: string,
): void {
  const mismatch = (found: string, help?: string) =>
    c.report(code, `${what} must be ${showType(expected)}, not ${found}`, operand.span, help ? { help } : {});
  switch (operand.kind) {
    case 'string':
    case 'integer':
    case 'boolean': {
      const kind = operand.kind === 'string' ? 'identifier' : operand.kind;
      if (expected.kind !== kind) {
        if (expected.kind === 'integer' && numeral(operand) !== undefined)
          c.report(
            code,
            `${what} must be ${showType(expected)}, not a string`,
            operand.span,
            unquote(operand),
          );
        else mismatch(`${kind === 'identifier' ? 'a string' : `${kind} \`${operand.value}\``}`);
      } else if (
        expected.kind === 'integer' &&
        operand.kind === 'integer' &&
        !inRange(expected, operand.value)
      )
        mismatch(`\`${operand.value}\``, `the bounds are \`${showRange(expected)}\`, both included`);
      return;
    }
    case 'set':
      if (expected.kind !== 'set') mismatch('a set');
      else if (expected.nonEmpty && operand.elements.length === 0)
        mismatch('an empty set', 'give at least one member');
      else
        for (const element of operand.elements)
          checkLiteral(c, element, expected.element, code, `each of ${what}`);
      return;
    case 'path': {
      const name = operand.names.map((n) => n.text).join('.');
      if (expected.kind === 'enum' && operand.names.length === 1 && operand.names[0]) {
        if (!expected.values.includes(name)) {
          c.unknown(
            'unknown-value',
            'value',
            operand.names[0],
            expected.values,
            `the values are ${listNames(expected.values)}`,
          );
        }
        return;
      }
      const help =
        operand.names.length > 1
          ? 'a value is written out here: an attribute cannot stand for one'
          : expected.kind === 'boolean'
            ? 'write `true` or `false`'
            : expected.kind === 'identifier'
              ? `identifiers are written as strings: \`"${name}"\``
              : undefined;
      mismatch(`\`${name}\``, help);
    }
  }
}

function show(operand: Operand): string {
  switch (operand.kind) {
    case 'string':
      return JSON.stringify(operand.value);
    case 'path':
      return pathText(operand);
    case 'set':
      return `[${operand.elements.map((e) => show(e)).join(', ')}]`;
    default:
      return String(operand.value);
  }
}

function pathText(operand: Operand): string {
  return operand.kind === 'path' ? operand.names.map((n) => n.text).join('.') : '';
}
