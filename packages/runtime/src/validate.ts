import type { AttributeSpec, EntitySpec, Value } from './artifact.js';
import type { QueryError } from './decision.js';
import { suggest } from './suggest.js';

/** The largest string a query may hold, in UTF-16 code units. */
export const MAX_STRING_LENGTH = 1024;
/** The most members a set in a query may have. */
export const MAX_SET_SIZE = 1000;
/** How many errors one query reports at most. */
const MAX_ERRORS = 20;

const hasOwn = (object: object, key: string) => Object.hasOwn(object, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value.length > 40
      ? `the string "${value.slice(0, 40)}…" (${value.length} characters)`
      : `"${value}"`;
  }
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Checks queries against a policy's vocabulary and reads them into a flat array of values, one per attribute in
 * vocabulary order, defaults filled in. Only own properties are read, so `__proto__`, `constructor` and the like are
 * unknown fields like any other; nothing inherited can reach a decision.
 */
export class QueryReader {
  /** Every attribute, in vocabulary order: the index of an attribute in the values array. */
  readonly attributes: { path: string; entity: string; spec: AttributeSpec }[] = [];
  readonly #entities: { name: string; first: number; spec: EntitySpec }[] = [];

  constructor(vocabulary: readonly EntitySpec[]) {
    for (const entity of vocabulary) {
      this.#entities.push({ name: entity.name, first: this.attributes.length, spec: entity });
      for (const attribute of entity.attributes) {
        this.attributes.push({
          path: `${entity.name}.${attribute.name}`,
          entity: entity.name,
          spec: attribute,
        });
      }
    }
  }

  /** The index of `entity.attribute` in the values array, or -1. */
  indexOf(path: string): number {
    return this.attributes.findIndex((a) => a.path === path);
  }

  /**
   * Reads `query` into `values` (overwritten from 0). Returns the problems found; when there are any, the values
   * must not be used.
   */
  read(query: unknown, values: Value[]): QueryError[] {
    const errors: QueryError[] = [];
    if (!isPlainObject(query)) {
      errors.push({
        code: 'not-an-object',
        path: '',
        message: `a query is a JSON object, not ${describe(query)}`,
      });
      return errors;
    }
    const entityNames = this.#entities.map((e) => e.name);
    for (const key of Object.keys(query)) {
      if (!entityNames.includes(key)) {
        const suggestion = suggest(key, entityNames);
        errors.push({
          code: 'unknown-field',
          path: key.slice(0, 64),
          message: `unknown field \`${key.slice(0, 64)}\`: a query has ${entityNames.map((n) => `\`${n}\``).join(', ')}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
          ...(suggestion ? { suggestion } : {}),
        });
      }
    }
    for (const entity of this.#entities) {
      const given = hasOwn(query, entity.name) ? query[entity.name] : undefined;
      if (given !== undefined && !isPlainObject(given)) {
        errors.push({
          code: 'not-an-object',
          path: entity.name,
          message: `\`${entity.name}\` is an object of attributes, not ${describe(given)}`,
        });
        continue;
      }
      const object = given ?? {};
      const names = entity.spec.attributes.map((a) => a.name);
      for (const key of Object.keys(object)) {
        if (!names.includes(key)) {
          const suggestion = suggest(key, names);
          errors.push({
            code: 'unknown-field',
            path: `${entity.name}.${key.slice(0, 64)}`,
            message: `unknown field \`${entity.name}.${key.slice(0, 64)}\`${suggestion ? `: did you mean \`${entity.name}.${suggestion}\`?` : `: \`${entity.name}\` has ${names.map((n) => `\`${n}\``).join(', ')}`}`,
            ...(suggestion ? { suggestion: `${entity.name}.${suggestion}` } : {}),
          });
        }
      }
      entity.spec.attributes.forEach((attribute, i) => {
        const index = entity.first + i;
        const path = `${entity.name}.${attribute.name}`;
        const value = hasOwn(object, attribute.name) ? object[attribute.name] : undefined;
        if (value === undefined) {
          if (attribute.default === undefined) {
            errors.push({
              code: 'missing-field',
              path,
              message: `\`${path}\` is required${attribute.description ? `: ${attribute.description}` : ''}`,
            });
          } else values[index] = attribute.default;
          return;
        }
        const problem = checkValue(path, attribute, value);
        if (problem) errors.push(problem);
        else values[index] = value as Value;
      });
      if (errors.length >= MAX_ERRORS) break;
    }
    return errors.slice(0, MAX_ERRORS);
  }
}

function checkScalar(path: string, type: AttributeSpec['type'], value: unknown): QueryError | undefined {
  switch (type.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrongType(path, 'true or false', value);
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : wrongType(path, 'an integer', value);
    case 'identifier':
      if (typeof value !== 'string') return wrongType(path, 'a string', value);
      return value.length > MAX_STRING_LENGTH
        ? {
            code: 'too-large',
            path,
            message: `\`${path}\` is ${value.length} characters long; the most is ${MAX_STRING_LENGTH}`,
            limit: MAX_STRING_LENGTH,
          }
        : undefined;
    case 'enum': {
      if (typeof value !== 'string') return wrongType(path, `one of ${type.values.join(', ')}`, value);
      if (type.values.includes(value)) return undefined;
      const suggestion = suggest(value, type.values);
      return {
        code: 'unknown-value',
        path,
        message: `\`${path}\` cannot be ${describe(value)}: it is one of ${type.values.join(', ')}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        allowed: type.values,
        ...(suggestion ? { suggestion } : {}),
      };
    }
    case 'set':
      return undefined;
  }
}

function checkValue(path: string, attribute: AttributeSpec, value: unknown): QueryError | undefined {
  const type = attribute.type;
  if (type.kind !== 'set') return checkScalar(path, type, value);
  if (!Array.isArray(value)) return wrongType(path, 'an array', value);
  if (value.length > MAX_SET_SIZE) {
    return {
      code: 'too-large',
      path,
      message: `\`${path}\` has ${value.length} members; the most is ${MAX_SET_SIZE}`,
      limit: MAX_SET_SIZE,
    };
  }
  for (let i = 0; i < value.length; i++) {
    const problem = checkScalar(`${path}[${i}]`, type.element, value[i]);
    if (problem) return problem;
  }
  return undefined;
}

function wrongType(path: string, expected: string, value: unknown): QueryError {
  return {
    code: 'wrong-type',
    path,
    message: `\`${path}\` must be ${expected}, not ${describe(value)}`,
    expected,
  };
}
