import type { AttributeSpec, AttributeType, EntitySpec, Value } from './artifact.js';
import { MAX_SET_SIZE, MAX_STRING_LENGTH } from './limits.js';

/**
 * Reads a valid query into the values array and returns true; returns false, having decided nothing, for anything
 * else, which the general reader then checks and explains. It must never accept what the general reader refuses:
 * a test holds the two to that on random and hostile queries.
 */
export type FastReader = (query: unknown, values: Value[]) => boolean;

const literal = (value: unknown) => JSON.stringify(value);

/** The expression that is true when `v` is a valid value of `type`. */
function test(
  type: AttributeType | { kind: 'identifier' } | { kind: 'enum'; values: string[] },
  v: string,
): string {
  switch (type.kind) {
    case 'boolean':
      return `typeof ${v} === "boolean"`;
    case 'integer':
      return `Number.isSafeInteger(${v})`;
    case 'identifier':
      return `(typeof ${v} === "string" && ${v}.length <= ${MAX_STRING_LENGTH})`;
    case 'enum':
      return `(${type.values.map((value) => `${v} === ${literal(value)}`).join(' || ') || 'false'})`;
    case 'set':
      return `isMembers(${v}, ${literal(type.element.kind === 'enum' ? type.element.values : null)})`;
  }
}

/** The statements that read one entity's attributes from `g` (the entity's object, or undefined). */
function entityCode(entity: EntitySpec, first: number, e: number): string {
  const attributes = entity.attributes
    .map((attribute: AttributeSpec, i) => {
      const index = first + i;
      const x = `x${index}`;
      const absent = attribute.default === undefined ? 'return false;' : `v[${index}] = defaults[${index}];`;
      const store = attribute.type.kind === 'set' ? `v[${index}] = slice.call(${x});` : `v[${index}] = ${x};`;
      return `const ${x} = g${e}[${literal(attribute.name)}];
      if (${x} === undefined) { ${absent} } else { if (!(${test(attribute.type, x)})) return false; ${store} found${e}++; }`;
    })
    .join('\n      ');
  const keys = entity.attributes.map((a) => `case ${literal(a.name)}:`).join(' ');
  return `
    const g${e} = q[${literal(entity.name)}];
    if (g${e} === undefined) {
      ${entity.attributes.map((a, i) => (a.default === undefined ? 'return false;' : `v[${first + i}] = defaults[${first + i}];`)).join(' ')}
    } else {
      if (!isPlain(g${e})) return false;
      let found${e} = 0;
      ${attributes}
      const keys${e} = Object.keys(g${e});
      if (keys${e}.length !== found${e}) return false;
      for (const k of keys${e}) { switch (k) { ${keys} break; default: return false; } }
      entities++;
    }`;
}

/**
 * Writes, for one vocabulary, a reader with every name and test in its code, so the engine reads a typical query
 * with straight-line property loads instead of loops over the vocabulary. Every key of the query and of its entities
 * must be known and every value found must be counted against `Object.keys`, so an inherited, hidden or unknown
 * property makes it return false. Undefined where code cannot be generated (a page whose Content Security Policy
 * forbids it): the general reader then serves alone.
 */
export function compileFastReader(vocabulary: readonly EntitySpec[]): FastReader | undefined {
  let first = 0;
  const parts = vocabulary.map((entity, e) => {
    const code = entityCode(entity, first, e);
    first += entity.attributes.length;
    return code;
  });
  const entityKeys = vocabulary.map((e) => `case ${literal(e.name)}:`).join(' ');
  const source = `
    "use strict";
    const slice = Array.prototype.slice;
    const isPlain = (o) => typeof o === "object" && o !== null && !Array.isArray(o) &&
      (Object.getPrototypeOf(o) === Object.prototype || Object.getPrototypeOf(o) === null);
    const isMembers = (a, allowed) => {
      if (!Array.isArray(a) || Object.getPrototypeOf(a) !== Array.prototype || a.length > ${MAX_SET_SIZE}) return false;
      for (let i = 0; i < a.length; i++) {
        const m = a[i];
        if (allowed === null ? !(typeof m === "string" && m.length <= ${MAX_STRING_LENGTH}) : !allowed.includes(m)) return false;
      }
      return true;
    };
    return function read(q, v) {
      if (!isPlain(q)) return false;
      let entities = 0;
      ${parts.join('\n')}
      const keys = Object.keys(q);
      if (keys.length !== entities) return false;
      for (const k of keys) { switch (k) { ${entityKeys} break; default: return false; } }
      return true;
    };`;
  const defaults = vocabulary.flatMap((entity) => entity.attributes.map((a) => a.default));
  try {
    return new Function('defaults', source)(defaults) as FastReader;
  } catch {
    return undefined;
  }
}
