/**
 * Types: every expression is a condition (true or false of every query), every comparison compares values of one
 * type, and every value written out fits the type it stands for. Resolves each path to what it names.
 */
import type { Expression, Name, Operand } from '../ast.js';
import type { DiagnosticCode } from '../diagnostics.js';
import { listNames } from '../suggest.js';
import { sameType, showType, type Type } from '../types.js';
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
  // What an operand is, known without the other side: an attribute, or a string, integer or boolean written out
  // (a set, when one of its members is). A bare name (a value of an enumeration, or a condition) and an empty set
  // take their type from the other side, which is therefore typed first.
  const typedAlone = (o: Operand): boolean =>
    o.kind === 'path' ? o.names.length > 1 : o.kind === 'set' ? o.elements.some(typedAlone) : true;
  /** An operand and its type: "`requester.age` (integer)", "`"ten"` (identifier)". */
  const describe = (o: Operand, type: Type) => `\`${show(o)}\` (${showType(type)})`;
  switch (e.operator) {
    case 'is':
    case 'is not': {
      const [anchor, other] =
        !typedAlone(e.left) && typedAlone(e.right) ? [e.right, e.left] : [e.left, e.right];
      const anchorType = operandType(c, anchor);
      if (!anchorType) return;
      const otherType = operandType(c, other, anchorType);
      if (otherType && !sameType(anchorType, otherType)) {
        c.report(
          'type-mismatch',
          `cannot compare ${describe(e.left, anchor === e.left ? anchorType : otherType)} with ${describe(e.right, anchor === e.right ? anchorType : otherType)}`,
          e.span,
          {
            help: '`is` compares two values of the same type',
          },
        );
      }
      return;
    }
    case 'in':
    case 'not in': {
      const rightIsLiteral = e.right.kind === 'set';
      let elementType: Type | undefined;
      if (rightIsLiteral) {
        elementType = operandType(c, e.left);
        if (elementType) operandType(c, e.right, { kind: 'set', element: elementType });
      } else {
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
        elementType = setType.element;
        const leftType = operandType(c, e.left, elementType);
        if (leftType && !sameType(leftType, elementType)) {
          c.report(
            'type-mismatch',
            `${describe(e.left, leftType)} cannot be in \`${pathText(e.right)}\`, which holds ${showType(elementType)}`,
            e.span,
          );
        }
      }
      if (elementType?.kind === 'set') {
        c.report(
          'type-mismatch',
          `${describe(e.left, elementType)} is a set: test a set with \`within\`, not \`in\``,
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
          );
        }
      }
    }
  }
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
      if (expected.kind !== kind)
        mismatch(`${kind === 'identifier' ? 'a string' : `${kind} \`${operand.value}\``}`);
      return;
    }
    case 'set':
      if (expected.kind !== 'set') mismatch('a set');
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
        expected.kind === 'boolean'
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
