import type { AttributeType, EntitySpec, Value } from './artifact.js';
import { isIdentifier } from './identifier.js';
import { MAX_SET_SIZE } from './limits.js';

/**
 * Reads a valid query into the values array and returns true; returns false, having decided nothing, for anything
 * else, which the general reader then checks and explains. It must never accept what the general reader refuses:
 * a test holds the two to that on random and hostile queries. Returns `undefined`, having read nothing, where it
 * cannot read at all (something was added to `Object.prototype`): the general reader then reads the query alone.
 */
export type FastReader = (query: unknown, values: Value[]) => boolean | undefined;

const literal = (value: unknown) => JSON.stringify(value);

/** The statement that checks `x` as a value of `type` and stores it (a set: a checked copy) at `v[index]`. */
function store(type: AttributeType, x: string, index: number, enumSets: Set<string>[]): string {
  switch (type.kind) {
    case 'boolean':
      return `if (typeof ${x} !== "boolean") return false; v[${index}] = ${x};`;
    case 'integer': {
      const bounds = [
        ...(type.min === undefined ? [] : [` || ${x} < ${literal(type.min)}`]),
        ...(type.max === undefined ? [] : [` || ${x} > ${literal(type.max)}`]),
      ].join('');
      return `if (!Number.isSafeInteger(${x})${bounds}) return false; v[${index}] = ${x};`;
    }
    case 'identifier':
      return `if (!isIdentifier(${x})) return false; v[${index}] = ${x};`;
    case 'enum':
      return `if (${type.values.map((value) => `${x} !== ${literal(value)}`).join(' && ') || 'true'}) return false; v[${index}] = ${x};`;
    case 'set': {
      let allowed = 'null';
      if (type.element.kind === 'enum') {
        allowed = `enumSets[${enumSets.length}]`;
        enumSets.push(new Set(type.element.values));
      }
      const empty = type.nonEmpty ? ' || copy.length === 0' : '';
      return `{ const copy = members(${x}, ${allowed}); if (copy === undefined${empty}) return false; v[${index}] = copy; }`;
    }
  }
}

/**
 * Writes, for one vocabulary, a reader with every name and test in its code: it walks the query's own keys
 * (`for-in`, which allocates nothing, and walks own enumerable keys alone once it has found nothing added to
 * `Object.prototype`: nothing inherited or hidden), and any key it does not know, any value that does
 * not fit, and any missing required attribute makes it return false. Sets are copied member by member into a fresh
 * array before they are checked, so the engine only ever calls real Array methods on an array no caller holds.
 * Undefined where code cannot be generated (a page whose Content Security Policy forbids it): the general reader
 * then serves alone.
 */
export function compileFastReader(vocabulary: readonly EntitySpec[]): FastReader | undefined {
  const enumSets: Set<string>[] = [];
  const names: Map<string, number>[] = [];
  let next = 0;
  const entities = vocabulary.map((entity, e) => {
    const attributes = entity.attributes.map((attribute, i) => ({
      attribute,
      index: next + i,
      x: `x${next + i}`,
    }));
    next += entity.attributes.length;
    // Keys are looked up in a map and the switch is on the number: one hash lookup a key, where a switch on the
    // names compares each key with every name before its own.
    names.push(new Map(attributes.map(({ attribute }, i) => [attribute.name, i])));
    const cases = attributes.map(({ x }, i) => `case ${i}: ${x} = g[k]; break;`).join(' ');
    const reads = attributes
      .map(({ attribute, index, x }) => {
        const absent = Object.hasOwn(attribute, 'default')
          ? `v[${index}] = defaults[${index}];`
          : 'return false;';
        return `if (${x} === undefined) { ${absent} } else { ${store(attribute.type, x, index, enumSets)} }`;
      })
      .join('\n      ');
    return `
    {
      ${attributes.map(({ x }) => `let ${x};`).join(' ')}
      const g = g${e};
      if (g !== undefined) {
        if (!isPlain(g)) return false;
        for (const k in g) { switch (names[${e}].get(k)) { ${cases} default: return false; } }
      }
      ${reads}
    }`;
  });
  const entityCases = vocabulary
    .map((entity, e) => `case ${literal(entity.name)}: g${e} = q[k]; break;`)
    .join(' ');
  const source = `
    "use strict";
    const hasOwn = Object.hasOwn;
    const prototypeOf = Object.getPrototypeOf;
    // The prototype asked for once: a proxy may answer differently the second time.
    const isPlain = (o) => {
      if (typeof o !== "object" || o === null || Array.isArray(o)) return false;
      const p = prototypeOf(o);
      return p === Object.prototype || p === null;
    };
    const members = (a, allowed) => {
      if (!Array.isArray(a) || prototypeOf(a) !== Array.prototype) return undefined;
      const n = a.length;
      if (!(n <= ${MAX_SET_SIZE})) return undefined;
      const copy = new Array(n);
      for (let i = 0; i < n; i++) {
        if (!hasOwn(a, i)) return undefined;
        const m = a[i];
        if (allowed === null ? !isIdentifier(m) : !allowed.has(m)) return undefined;
        copy[i] = m;
      }
      return copy;
    };
    return function read(q, v) {
      // \`for-in\` walks own keys and what \`Object.prototype\` holds: with nothing there, own keys alone.
      for (const k in Object.prototype) return undefined;
      if (!isPlain(q)) return false;
      ${vocabulary.map((_, e) => `let g${e};`).join(' ')}
      for (const k in q) { switch (k) { ${entityCases} default: return false; } }
      ${entities.join('\n')}
      return true;
    };`;
  const defaults = vocabulary.flatMap((entity) => entity.attributes.map((a) => a.default));
  try {
    return new Function('defaults', 'enumSets', 'names', 'isIdentifier', source)(
      defaults,
      enumSets,
      names,
      isIdentifier,
    ) as FastReader;
  } catch {
    return undefined;
  }
}
