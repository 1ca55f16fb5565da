import type { TypeExpression } from './ast.js';

/** The type of an attribute or a value, once resolved. */
export type Type =
  | { kind: 'boolean' | 'integer' | 'identifier' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'set'; element: Type };

/** The resolved form of a written type. */
export function typeOf(written: TypeExpression): Type {
  switch (written.kind) {
    case 'enum':
      return { kind: 'enum', values: written.values.map((v) => v.text) };
    case 'set':
      return { kind: 'set', element: typeOf(written.element) };
    default:
      return { kind: written.kind };
  }
}

/** A type as the language writes it: `one of patron, staff`, `set of identifier`. */
export function showType(type: Type): string {
  switch (type.kind) {
    case 'enum': {
      const shown = type.values.slice(0, 4).join(', ');
      return `one of ${shown}${type.values.length > 4 ? ', …' : ''}`;
    }
    case 'set':
      return `set of ${showType(type.element)}`;
    default:
      return type.kind;
  }
}

/** Whether values of the two types can be compared: the same kind, and for enumerations the same values. */
export function sameType(a: Type, b: Type): boolean {
  if (a.kind === 'enum' && b.kind === 'enum')
    return a === b || (a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]));
  if (a.kind === 'set' && b.kind === 'set') return sameType(a.element, b.element);
  return a.kind === b.kind;
}
