import { type AttributeSpec, type EntitySpec, inBounds, type Value } from './artifact.js';
import type { QueryError } from './decision.js';
import { compileFastReader, type FastReader } from './fast-reader.js';
import { isIdentifier } from './identifier.js';
import { MAX_SET_SIZE, MAX_STRING_LENGTH } from './limits.js';
import { suggest } from './suggest.js';

export { MAX_SET_SIZE, MAX_STRING_LENGTH };

/** How many errors one query reports at most. */
const MAX_ERRORS = 20;

/**
 * The values of `object` under `names` (by position: `positions` gives a name's), and the first of its other keys,
 * as many as can be reported. INVARIANT: an object's keys are asked for once (`Object.keys`: own and enumerable,
 * what JSON gives), and a value is read only under a key they list, once, as the keys are walked: so nothing
 * inherited (a polluted prototype) or hidden is ever read, and what a getter or proxy would answer if asked again
 * is never asked.
 */
function fieldsOf(
  object: Record<string, unknown>,
  positions: ReadonlyMap<string, number>,
  count: number,
): { values: unknown[]; unknown: string[] } {
  // Filled, never holes: a hole would be read through `Array.prototype`, which a host may have polluted.
  const values: unknown[] = [];
  for (let i = 0; i < count; i++) values.push(undefined);
  const unknown: string[] = [];
  for (const key of Object.keys(object)) {
    const position = positions.get(key);
    if (position !== undefined) values[position] = object[key];
    else if (unknown.length < MAX_ERRORS) unknown.push(key);
  }
  return { values, unknown };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A value as an error message may describe it: by its type and size, never by its content, which may be personal
 * data (a card number, a name), and messages end up in logs.
 */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object')
    return isPlainObject(value) ? 'an object' : 'an object that is not plain JSON';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

/** One attribute, prepared for reading: where its value goes and how it is checked. */
interface PreparedAttribute {
  name: string;
  path: string;
  index: number;
  spec: AttributeSpec;
}

/** One entity, prepared for reading. */
interface PreparedEntity {
  name: string;
  attributes: PreparedAttribute[];
  names: Set<string>;
  /** Each attribute's position in `attributes`, by name. */
  positions: Map<string, number>;
}

/**
 * Checks queries against a policy's vocabulary and reads them into a flat array of values, one per attribute in
 * vocabulary order, defaults filled in. Only own properties are read, so `__proto__`, `constructor` and the like are
 * unknown fields like any other; nothing inherited can reach a decision. Everything that depends only on the
 * vocabulary is prepared once, here; reading a query allocates nothing unless it is invalid.
 */
export class QueryReader {
  /** Every attribute, in vocabulary order: the index of an attribute in the values array. */
  readonly attributes: { path: string; entity: string; spec: AttributeSpec }[] = [];
  readonly #entities: PreparedEntity[] = [];
  readonly #entityNames: Set<string>;
  readonly #entityPositions: Map<string, number>;
  /** The entity each attribute name is first declared in: a query giving it outside one is told where it goes. */
  readonly #owners = new Map<string, string>();
  readonly #fast: FastReader | undefined;
  readonly #indexes = new Map<string, number>();

  constructor(vocabulary: readonly EntitySpec[], options: { fast?: boolean } = {}) {
    this.#fast = options.fast === false ? undefined : compileFastReader(vocabulary);
    for (const entity of vocabulary) {
      const attributes = entity.attributes.map((spec): PreparedAttribute => {
        const path = `${entity.name}.${spec.name}`;
        const index = this.attributes.length;
        this.attributes.push({ path, entity: entity.name, spec });
        this.#indexes.set(path, index);
        if (!this.#owners.has(spec.name)) this.#owners.set(spec.name, entity.name);
        return { name: spec.name, path, index, spec };
      });
      this.#entities.push({
        name: entity.name,
        attributes,
        names: new Set(entity.attributes.map((a) => a.name)),
        positions: new Map(entity.attributes.map((a, i) => [a.name, i])),
      });
    }
    this.#entityNames = new Set(vocabulary.map((e) => e.name));
    this.#entityPositions = new Map(vocabulary.map((e, i) => [e.name, i]));
  }

  /** The index of `entity.attribute` in the values array, or -1. */
  indexOf(path: string): number {
    return this.#indexes.get(path) ?? -1;
  }

  /**
   * Reads `query` into `values` (overwritten from 0), each property of the query read once. Returns the problems
   * found; when there are any, the values must not be used.
   */
  read(query: unknown, values: Value[]): QueryError[] {
    const fast = this.#fast;
    if (!fast) return this.#check(query, values);
    const verdict = fast(query, values);
    if (verdict === true) return NO_ERRORS;
    // Declined before reading anything (a polluted `Object.prototype`): the general reader's is the one reading.
    if (verdict === undefined) return this.#check(query, values);
    // The query is refused. Reading it again says why; but what the second reading finds is never decided on, so a
    // getter or proxy that answers one thing and then another cannot be read as valid the second time.
    const errors = this.#check(query, values);
    return errors.length > 0 ? errors : CHANGED;
  }

  /** Reads and checks a query in one pass, finding every problem (up to {@link MAX_ERRORS}). */
  #check(query: unknown, values: Value[]): QueryError[] {
    if (!isPlainObject(query)) {
      return [
        { code: 'not-an-object', path: '', message: `a query is a JSON object, not ${describe(query)}` },
      ];
    }
    let errors: QueryError[] | undefined;
    const fail = (error: QueryError) => {
      errors ??= [];
      errors.push(error);
    };
    const full = () => errors !== undefined && errors.length >= MAX_ERRORS;
    const entities = fieldsOf(query, this.#entityPositions, this.#entities.length);
    for (const key of entities.unknown) {
      if (full()) break;
      fail(this.#unknown(key, [...this.#entityNames], ''));
    }
    for (let e = 0; e < this.#entities.length; e++) {
      const entity = this.#entities[e] as PreparedEntity;
      const given = entities.values[e];
      if (given === undefined) {
        for (const attribute of entity.attributes) this.#absent(attribute, values, fail);
        continue;
      }
      if (!isPlainObject(given)) {
        fail({
          code: 'not-an-object',
          path: entity.name,
          message: `\`${entity.name}\` is an object of attributes, not ${describe(given)}`,
        });
        continue;
      }
      const attributes = fieldsOf(given, entity.positions, entity.attributes.length);
      for (let a = 0; a < entity.attributes.length; a++) {
        const attribute = entity.attributes[a] as PreparedAttribute;
        const value = attributes.values[a];
        if (value === undefined) {
          this.#absent(attribute, values, fail);
          continue;
        }
        // A scalar is stored as it is, once checked; a set is copied (see readValue).
        const problem =
          attribute.spec.type.kind === 'set'
            ? undefined
            : checkScalar(attribute.path, attribute.spec.type, value);
        if (problem) fail(problem);
        else if (attribute.spec.type.kind !== 'set') values[attribute.index] = value as Value;
        else {
          const read = readValue(attribute.path, attribute.spec, value);
          if (read.ok) values[attribute.index] = read.value;
          else fail(read.error);
        }
      }
      for (const key of attributes.unknown) {
        if (full()) break;
        fail(this.#unknown(key, [...entity.names], entity.name));
      }
      if (full()) break;
    }
    return errors ? errors.slice(0, MAX_ERRORS) : NO_ERRORS;
  }

  /** An attribute the query leaves out: its default, or a missing-field error when it has none. */
  #absent(attribute: PreparedAttribute, values: Value[], fail: (error: QueryError) => void): void {
    const fallback = Object.hasOwn(attribute.spec, 'default') ? attribute.spec.default : undefined;
    if (fallback !== undefined) values[attribute.index] = fallback;
    else {
      const about = attribute.spec.description?.trim().replace(/\.$/, '');
      const described = about ? ` (${about.replace(/^./, (c) => c.toLowerCase())})` : '';
      fail({
        code: 'missing-field',
        path: attribute.path,
        message: `\`${attribute.path}\` is required${described}`,
      });
    }
  }

  /**
   * A key the vocabulary does not have. It is named only when it is a near miss of a name the vocabulary has (a
   * typing slip), an attribute given outside its entity (`role` for `requester.role`, as the checker says of a
   * policy), or a name of JavaScript's own (`__proto__`, `constructor`): any other key may itself be personal data,
   * and is described by its length alone.
   */
  #unknown(key: string, known: string[], entity: string): QueryError {
    const suggestion = suggest(key, known);
    const owner = entity || suggestion ? undefined : this.#owners.get(key);
    if (owner !== undefined) {
      return {
        code: 'unknown-field',
        path: key,
        message: `unknown field \`${key}\`: did you mean the attribute \`${owner}.${key}\`?`,
        suggestion: `${owner}.${key}`,
      };
    }
    const listed = known.map((n) => `\`${n}\``).join(', ');
    if (!suggestion && !CODE_WORDS.has(key)) {
      const size = `a name of ${key.length} character${key.length === 1 ? '' : 's'}`;
      return {
        code: 'unknown-field',
        path: entity,
        message: `${entity ? `\`${entity}\`` : 'the query'} has a field it does not know (${size}): it has ${listed}`,
      };
    }
    const path = entity ? `${entity}.${key}` : key;
    const meant = suggestion && (entity ? `${entity}.${suggestion}` : suggestion);
    const hint = meant
      ? `did you mean \`${meant}\`?`
      : `${entity ? `\`${entity}\`` : 'a query'} has ${listed}`;
    return {
      code: 'unknown-field',
      path,
      message: `unknown field \`${path}\`: ${hint}`,
      ...(meant ? { suggestion: meant } : {}),
    };
  }
}

/** Names of JavaScript's own that a hostile query uses as keys: they are code, not data, and are named. */
const CODE_WORDS = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

const NO_ERRORS: QueryError[] = Object.freeze([]) as unknown as QueryError[];
const CHANGED: QueryError[] = Object.freeze([
  Object.freeze({
    code: 'unreadable',
    path: '',
    message: 'the query read differently the second time it was read (a getter or proxy in it)',
  }),
]) as unknown as QueryError[];

function checkScalar(path: string, type: AttributeSpec['type'], value: unknown): QueryError | undefined {
  switch (type.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrongType(path, 'true or false', value);
    case 'integer': {
      if (!Number.isSafeInteger(value)) return wrongType(path, 'an integer', value);
      if (inBounds(type, value as number)) return undefined;
      const { min, max } = type;
      const bounds =
        min !== undefined && max !== undefined
          ? `from ${min} to ${max}`
          : min !== undefined
            ? `of at least ${min}`
            : `of at most ${max}`;
      // The value is not repeated (it may be personal data): the bounds say what it should have been.
      return {
        code: 'out-of-range',
        path,
        message: `\`${path}\` must be an integer ${bounds}`,
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
      };
    }
    case 'identifier':
      if (typeof value !== 'string') return wrongType(path, 'a string', value);
      if (value.length > MAX_STRING_LENGTH)
        return {
          code: 'too-large',
          path,
          message: `\`${path}\` is ${value.length} characters long; the most is ${MAX_STRING_LENGTH}`,
          limit: MAX_STRING_LENGTH,
        };
      return isIdentifier(value)
        ? undefined
        : {
            code: 'invalid-identifier',
            path,
            message: `\`${path}\` is not an identifier: ${describe(value)}, ${value.length === 0 ? 'and an identifier is never empty' : 'holding whitespace, a control or invisible character, or characters not in Unicode form NFC'}`,
          };
    case 'enum': {
      if (typeof value !== 'string') return wrongType(path, `one of ${type.values.join(', ')}`, value);
      if (type.values.includes(value)) return undefined;
      const suggestion = suggest(value, type.values);
      return {
        code: 'unknown-value',
        path,
        // The value is not repeated (it may be personal data); a near miss of a value the vocabulary has is named.
        message: `\`${path}\` is one of ${type.values.join(', ')}, not ${describe(value)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
        allowed: type.values,
        ...(suggestion ? { suggestion } : {}),
      };
    }
    case 'set':
      return undefined;
  }
}

/**
 * Checks a value of an attribute and returns what to store: the value itself, or for a set a copy made member by
 * member into a fresh array (read once, by index), so the engine only calls real Array methods on an array that no
 * caller holds and whose members were checked. The two answers are told apart by `ok`, an own property of both:
 * `'error' in` would also find a polluted `Object.prototype.error`.
 */
function readValue(
  path: string,
  attribute: AttributeSpec,
  value: unknown,
): { ok: true; value: Value } | { ok: false; error: QueryError } {
  const type = attribute.type;
  if (type.kind !== 'set') {
    const problem = checkScalar(path, type, value);
    return problem ? { ok: false, error: problem } : { ok: true, value: value as Value };
  }
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) {
    return { ok: false, error: wrongType(path, 'an array', value) };
  }
  const length = value.length;
  if (!(length <= MAX_SET_SIZE)) {
    return {
      ok: false,
      error: {
        code: 'too-large',
        path,
        message: `\`${path}\` has ${length} members; the most is ${MAX_SET_SIZE}`,
        limit: MAX_SET_SIZE,
      },
    };
  }
  if (length === 0 && type.nonEmpty)
    return {
      ok: false,
      error: { code: 'empty-set', path, message: `\`${path}\` must hold at least one member` },
    };
  const copy: string[] = new Array(length);
  for (let i = 0; i < length; i++) {
    // A hole would read what the prototype holds at that index: a polluted `Array.prototype[0]`.
    if (!Object.hasOwn(value, i))
      return { ok: false, error: wrongType(`${path}[${i}]`, 'a member (the array has a hole)', undefined) };
    const member: unknown = value[i];
    const problem = checkScalar(`${path}[${i}]`, type.element, member);
    if (problem) return { ok: false, error: problem };
    copy[i] = member as string;
  }
  return { ok: true, value: copy };
}

function wrongType(path: string, expected: string, value: unknown): QueryError {
  return {
    code: 'wrong-type',
    path,
    message: `\`${path}\` must be ${expected}, not ${describe(value)}`,
    expected,
  };
}
