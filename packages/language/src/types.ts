import type { TypeExpression } from './ast.js';

/** The type of an attribute or a value, once resolved. */
export type Type =
  | { kind: 'boolean' | 'identifier' }
  /** Bounds inclusive; absent, the safe integers' own. */
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'enum'; values: readonly string[] }
  /** `nonEmpty`: a query gives at least one member. */
  | { kind: 'set'; element: Type; nonEmpty?: boolean };

/** The resolved form of a written type. */
export function typeOf(written: TypeExpression): Type {
  switch (written.kind) {
    case 'enum':
      return { kind: 'enum', values: written.values.map((v) => v.text) };
    case 'set':
      return {
        kind: 'set',
        element: typeOf(written.element),
        ...(written.nonEmpty ? { nonEmpty: true } : {}),
      };
    case 'integer':
      return {
        kind: 'integer',
        ...(written.min === undefined ? {} : { min: written.min }),
        ...(written.max === undefined ? {} : { max: written.max }),
      };
    default:
      return { kind: written.kind };
  }
}

/** `0..150`, `0..`, `..150`: an integer type's bounds as written; empty when it has none. */
export function showRange(type: { min?: number; max?: number }): string {
  if (type.min === undefined && type.max === undefined) return '';
  return `${type.min ?? ''}..${type.max ?? ''}`;
}

/** Whether `value` lies within the bounds of an integer type (both inclusive). */
export function inRange(type: { min?: number; max?: number }, value: number): boolean {
  return (type.min === undefined || value >= type.min) && (type.max === undefined || value <= type.max);
}

/** A type as the language writes it: `one of patron, staff`, `set of identifier`. */
export function showType(type: Type): string {
  switch (type.kind) {
    case 'enum': {
      const shown = type.values.slice(0, 4).join(', ');
      return `one of ${shown}${type.values.length > 4 ? ', …' : ''}`;
    }
    case 'set':
      return `${type.nonEmpty ? 'non-empty ' : ''}set of ${showType(type.element)}`;
    case 'integer': {
      const range = showRange(type);
      return range ? `integer ${range}` : 'integer';
    }
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
