import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  type AttributeSpec,
  type Counterfactual,
  type Decision,
  MAX_SET_SIZE,
  MAX_STRING_LENGTH,
  type QueryError,
  type Value,
} from '../src/index.js';
import { QueryReader } from '../src/validate.js';
import { fuzzRuns, referenceIsIdentifier, timeoutFor } from './hostile-support.js';
import { wethersfield } from './wethersfield.js';

// Snapshot the built-in prototypes before anything else runs, to find pollution at the end.
const watched = {
  'Object.prototype': Object.prototype,
  'Array.prototype': Array.prototype,
  'Function.prototype': Function.prototype,
};
type Snapshot = Record<string, [key: string | symbol, value: unknown, get: unknown, set: unknown][]>;
function snapshot(): Snapshot {
  return Object.fromEntries(
    Object.entries(watched).map(([name, prototype]) => [
      name,
      Reflect.ownKeys(prototype).map((key) => {
        const d = Object.getOwnPropertyDescriptor(prototype, key);
        return [key, d?.value, d?.get, d?.set];
      }),
    ]),
  );
}
const before = snapshot();

/**
 * Runs per property: `TENET_FUZZ_RUNS` when set (e.g. 100000 for a long soak), else a default that keeps this
 * file to a few seconds in CI. A failure prints fast-check's seed and path to replay it with.
 */
const runs = fuzzRuns(500);
const options = { numRuns: runs };
// The slowest property (counterfactuals checked against every assignment) takes about 10 ms a run.
vi.setConfig({ testTimeout: timeoutFor(runs, 40) });

const engine = wethersfield();
const vocabulary = engine.artifact.vocabulary;
const entityNames = vocabulary.map((e) => e.name);
const attributeNames = vocabulary.flatMap((e) => e.attributes.map((a) => a.name));
const dangerousKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];
const errorCodes = new Set<QueryError['code']>([
  'not-an-object',
  'unknown-field',
  'missing-field',
  'wrong-type',
  'unknown-value',
  'too-large',
  'invalid-identifier',
  'invalid-json',
  'unreadable',
]);

type Query = Record<string, Record<string, unknown>>;

/** A plain JSON copy: what a query read from the wire is. `__proto__` keys stay own properties. */
function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** The entity `name` of `query`, added empty when the query leaves it out. */
function entityIn(query: Query, name: string): Record<string, unknown> {
  const entity = query[name] ?? {};
  query[name] = entity;
  return entity;
}

/** Sets `object[key]` as an own data property, even for `__proto__`. */
function put(object: object, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---------------------------------------------------------------------------------------------------------------
// An independent reading of the vocabulary: what is valid, and queries that are
// ---------------------------------------------------------------------------------------------------------------

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function fitsScalar(type: AttributeSpec['type'], value: unknown): boolean {
  switch (type.kind) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'identifier':
      return referenceIsIdentifier(value);
    case 'enum':
      return typeof value === 'string' && type.values.includes(value);
    case 'set':
      return false;
  }
}

/** Whether `value` is a valid value of the attribute. */
function fits(spec: AttributeSpec, value: unknown): boolean {
  const type = spec.type;
  if (type.kind !== 'set') return fitsScalar(type, value);
  return (
    Array.isArray(value) &&
    value.length <= MAX_SET_SIZE &&
    value.every((member) => fitsScalar(type.element, member))
  );
}

/** Whether a JSON value is a valid query, decided without the runtime. */
function isValid(query: unknown): boolean {
  if (!isPlain(query)) return false;
  if (Object.keys(query).some((key) => !entityNames.includes(key))) return false;
  return vocabulary.every((entity) => {
    const given = Object.hasOwn(query, entity.name) ? query[entity.name] : undefined;
    if (given !== undefined && !isPlain(given)) return false;
    const attributes = given ?? {};
    const names = entity.attributes.map((a) => a.name);
    if (Object.keys(attributes).some((key) => !names.includes(key))) return false;
    return entity.attributes.every((spec) => {
      const value = Object.hasOwn(attributes, spec.name) ? attributes[spec.name] : undefined;
      return value === undefined ? spec.default !== undefined : fits(spec, value);
    });
  });
}

/** A small pool of identifiers, so that the requester is often the borrower, or the borrower's guardian. */
const identifier = fc.constantFrom('p-1', 'p-2', 'p-3', 'Müller');
/** Strings that are not identifiers, some of them another of the pool written in other code points. */
const notIdentifiers = fc.constantFrom(
  '',
  ' ',
  'p-1 ',
  'p\u200b1',
  'Mu\u0308ller',
  '\ud800',
  '\ufffd',
  '\u0000',
);

function arbitraryOf(spec: AttributeSpec): fc.Arbitrary<Value> {
  const scalar = (type: AttributeSpec['type']): fc.Arbitrary<string | number | boolean> => {
    switch (type.kind) {
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({ min: -5, max: 120 });
      case 'identifier':
        return identifier;
      case 'enum':
        return fc.constantFrom(...type.values);
      case 'set':
        throw new Error('a set of sets');
    }
  };
  const type = spec.type;
  if (type.kind === 'set') return fc.array(scalar(type.element) as fc.Arbitrary<string>, { maxLength: 4 });
  return scalar(type);
}

/** A valid query of the vocabulary: required attributes always, the others (with defaults) sometimes. */
const validQuery: fc.Arbitrary<Query> = fc.record(
  Object.fromEntries(
    vocabulary.map((entity) => [
      entity.name,
      fc.record(Object.fromEntries(entity.attributes.map((a) => [a.name, arbitraryOf(a)])), {
        requiredKeys: entity.attributes.filter((a) => a.default === undefined).map((a) => a.name),
      }),
    ]),
  ),
  {
    requiredKeys: vocabulary
      .filter((e) => e.attributes.some((a) => a.default === undefined))
      .map((e) => e.name),
  },
) as fc.Arbitrary<Query>;

/** Any value a valid query could hold somewhere, or any JSON. */
const someValue = fc.oneof(
  ...vocabulary.flatMap((e) => e.attributes.map(arbitraryOf)),
  notIdentifiers,
  fc.array(fc.oneof(identifier, notIdentifiers), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A key that is often one the vocabulary knows, and sometimes a dangerous one. */
const someKey = (known: string[]) =>
  fc.oneof(fc.constantFrom(...known), fc.constantFrom(...dangerousKeys), fc.string({ maxLength: 12 }));

/** Objects shaped like queries, valid now and then: known and unknown keys, fitting and unfitting values. */
const queryLike = fc
  .oneof(
    fc.dictionary(
      someKey(entityNames),
      fc.oneof(
        { weight: 4, arbitrary: fc.dictionary(someKey(attributeNames), someValue, { maxKeys: 6 }) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
      ),
      { maxKeys: 4 },
    ),
    // A valid query with keys set here and there: known or not, to values that fit or not.
    fc
      .tuple(
        validQuery,
        fc.array(
          fc.tuple(
            fc.constantFrom('', ...entityNames),
            someKey([...entityNames, ...attributeNames]),
            someValue,
          ),
          {
            maxLength: 3,
          },
        ),
      )
      .map(([valid, edits]) => {
        const query: Query = json(valid);
        for (const [entity, key, value] of edits) {
          const owner = entity === '' ? query : entityIn(query, entity);
          if (isPlain(owner)) put(owner, key, value);
        }
        return query;
      }),
  )
  .map(json);

// ---------------------------------------------------------------------------------------------------------------
// What must hold of every decision
// ---------------------------------------------------------------------------------------------------------------

/** Decides `query` with every entry point of the engine, none of which may throw; returns the decision. */
function decideSafely(query: unknown): Decision {
  const decision = engine.decide(query);
  const errors = engine.validate(query);
  expect(decision.errors).toEqual(errors);
  if (decision.decision === 'permit') expect(errors).toEqual([]);
  if (errors.length > 0) {
    expect(decision.decision).toBe('deny');
    expect(errors.length).toBeLessThanOrEqual(20);
    for (const error of errors) {
      expect(errorCodes.has(error.code)).toBe(true);
      expect(typeof error.path).toBe('string');
      expect(typeof error.message).toBe('string');
      expect(error.message.length).toBeLessThan(2000);
    }
    expect(engine.read(query)).toEqual({ errors });
    expect(engine.counterfactuals(query)).toEqual({ found: [], maxChanges: 4, complete: true });
    expect(engine.trace(query)).toEqual({ errors });
  } else {
    expect(engine.read(query)).toHaveProperty('values');
    expect(engine.trace(query)).toHaveProperty('outcome.decision', decision.decision);
  }
  return decision;
}

describe('arbitrary values as queries', () => {
  it('never throw, and are permitted only when valid, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (query) => {
        decideSafely(query);
      }),
      options,
    );
  });

  it('never throw, and are permitted exactly when valid as the vocabulary says, for query-like JSON', () => {
    let permits = 0;
    let valid = 0;
    fc.assert(
      fc.property(queryLike, (query) => {
        const decision = decideSafely(query);
        expect(engine.validate(query).length === 0).toBe(isValid(query));
        if (isValid(query)) valid++;
        if (decision.decision === 'permit') permits++;
      }),
      { ...options, numRuns: runs * 5 },
    );
    // Not a property: a check that the arbitrary reaches valid queries and permits at all.
    expect(valid).toBeGreaterThan(0);
    expect(permits).toBeGreaterThan(0);
  });

  it('never throw for any JavaScript value: boxed values, maps, sets, dates, typed and sparse arrays, bare objects', () => {
    const anything = fc.anything({
      key: someKey([...entityNames, ...attributeNames]),
      maxDepth: 4,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withObjectString: true,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
    });
    fc.assert(
      fc.property(anything, (query) => {
        decideSafely(query);
      }),
      options,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Objects that fight back: getters that throw, proxies that throw on every trap, revoked proxies
// ---------------------------------------------------------------------------------------------------------------

/**
 * What a hostile getter or trap throws. Left out, as they make the engine throw (see the report): a Proxy whose
 * `getPrototypeOf` trap throws, and an Error whose `message` is a getter that throws or is not a string.
 */
const thrown = fc.constantFrom<[string, () => unknown]>(
  ['an Error', () => new Error('no')],
  ['a TypeError with a long message', () => new TypeError('x'.repeat(100_000))],
  ['a string', () => 'no'],
  ['a number', () => 42],
  ['undefined', () => undefined],
  ['null', () => null],
  ['an object that looks like an Error', () => ({ name: 'Error', message: 'no' })],
  ['a symbol', () => Symbol('no')],
  ['an object made from Error.prototype', () => Object.create(Error.prototype)],
);

const traps: (keyof ProxyHandler<object>)[] = [
  'apply',
  'construct',
  'defineProperty',
  'deleteProperty',
  'get',
  'getOwnPropertyDescriptor',
  'getPrototypeOf',
  'has',
  'isExtensible',
  'ownKeys',
  'preventExtensions',
  'set',
  'setPrototypeOf',
];

/** A thing that throws whatever is done with it, or (for a getter) when a key of it is read. */
function hostile(kind: string, keys: string[], raise: () => unknown): unknown {
  const fail = () => {
    throw raise();
  };
  switch (kind) {
    case 'getters': {
      const object: Record<string, unknown> = {};
      for (const key of keys) Object.defineProperty(object, key, { enumerable: true, get: fail });
      return object;
    }
    case 'array with a getter': {
      const array = ['p-1'];
      Object.defineProperty(array, 0, { enumerable: true, get: fail });
      return array;
    }
    case 'proxy of an object':
    case 'proxy of an array': {
      const handler: ProxyHandler<object> = Object.fromEntries(traps.map((trap) => [trap, fail]));
      return new Proxy(kind === 'proxy of an array' ? [] : {}, handler);
    }
    default: {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }
  }
}
const hostileKinds = [
  'getters',
  'array with a getter',
  'proxy of an object',
  'proxy of an array',
  'revoked proxy',
];

describe('hostile objects in a query', () => {
  it('are refused, never thrown through, wherever they are', () => {
    const where = fc.oneof(
      fc.constant({ at: 'query' }),
      fc.record({ at: fc.constant('entity'), entity: fc.constantFrom(...entityNames) }),
      fc
        .constantFrom(...vocabulary.flatMap((e) => e.attributes.map((a) => `${e.name}.${a.name}`)))
        .map((path) => ({ at: 'value', path })),
    );
    fc.assert(
      fc.property(
        validQuery,
        where,
        fc.constantFrom(...hostileKinds),
        thrown,
        (valid, place, kind, [, raise]) => {
          const query: Query = json(valid);
          let target: unknown = query;
          if (place.at === 'query') target = hostile(kind, entityNames, raise);
          else if (place.at === 'entity' && 'entity' in place) {
            const entity = vocabulary.find((e) => e.name === place.entity);
            query[place.entity] = hostile(
              kind,
              entity?.attributes.map((a) => a.name) ?? [],
              raise,
            ) as Query[string];
          } else if ('path' in place) {
            const [entity = '', attribute = ''] = place.path.split('.');
            query[entity] = { ...query[entity], [attribute]: hostile(kind, ['0', 'length'], raise) };
          }
          const decision = decideSafely(target);
          expect(decision.decision).toBe('deny');
          expect(decision.errors.length).toBeGreaterThan(0);
        },
      ),
      options,
    );
  });

  it('are refused when a getter on the query or an entity throws as its key is read', () => {
    fc.assert(
      fc.property(validQuery, fc.constantFrom('', ...entityNames), thrown, (valid, level, [, raise]) => {
        const query: Query = json(valid);
        const owner: Record<string, unknown> = level === '' ? query : entityIn(query, level);
        const names =
          level === ''
            ? entityNames
            : (vocabulary.find((e) => e.name === level)?.attributes ?? []).map((a) => a.name);
        for (const name of names) {
          Object.defineProperty(owner, name, {
            enumerable: true,
            get: () => {
              throw raise();
            },
          });
        }
        const decision = decideSafely(query);
        expect(decision.errors).toMatchObject([{ code: 'unreadable', path: '' }]);
      }),
      options,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Valid queries, spoiled
// ---------------------------------------------------------------------------------------------------------------

/** A spoiled query, and the field the spoiling concerns: some error must name it, or something inside it. */
interface Spoiled {
  what: string;
  query: unknown;
  at: string;
}

const attributePaths = vocabulary.flatMap((e) => e.attributes.map((a) => ({ entity: e.name, spec: a })));

/** Nested `depth` deep: arrays in arrays, or objects in objects. */
function nested(depth: number, kind: 'array' | 'object', leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { junk: value };
  return value;
}

const spoil = (valid: Query): fc.Arbitrary<Spoiled> => {
  const level = fc.constantFrom('', ...entityNames);
  const attribute = fc.constantFrom(...attributePaths);
  return fc.oneof(
    // A dangerous key, at the top or in an entity, with a value that would grant access were it merged.
    fc
      .tuple(
        level,
        fc.constantFrom(...dangerousKeys),
        fc.constantFrom<unknown>({ polluted: true }, json(valid), 'x'),
      )
      .map(([entity, key, value]) => {
        const query: Query = json(valid);
        put(entity === '' ? query : entityIn(query, entity), key, value);
        return {
          what: `\`${key}\` in ${entity || 'the query'}`,
          query: json(query),
          at: entity ? `${entity}.${key}` : key,
        };
      }),
    // A dangerous key wrapping an attribute's value.
    fc.tuple(attribute, fc.constantFrom(...dangerousKeys)).map(([{ entity, spec }, key]) => {
      const query: Query = json(valid);
      const wrapper = {};
      put(wrapper, key, query[entity]?.[spec.name] ?? spec.default ?? 'p-1');
      entityIn(query, entity)[spec.name] = wrapper;
      return {
        what: `\`${key}\` around ${entity}.${spec.name}`,
        query: json(query),
        at: `${entity}.${spec.name}`,
      };
    }),
    // A value of another type, or out of range.
    fc
      .tuple(
        attribute,
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom<unknown>(
            'x'.repeat(MAX_STRING_LENGTH + 1),
            Array(MAX_SET_SIZE + 1).fill('p-1'),
            [1],
            [null],
          ),
        ),
      )
      .filter(([{ spec }, value]) => !fits(spec, value))
      .map(([{ entity, spec }, value]) => {
        const query: Query = json(valid);
        entityIn(query, entity)[spec.name] = value;
        return { what: `${entity}.${spec.name} swapped`, query: json(query), at: `${entity}.${spec.name}` };
      }),
    // An unknown key.
    fc
      .tuple(level, fc.string({ minLength: 1, maxLength: 80 }), fc.jsonValue({ maxDepth: 2 }))
      .filter(([entity, key]) =>
        entity === ''
          ? !entityNames.includes(key)
          : !(vocabulary.find((e) => e.name === entity)?.attributes.some((a) => a.name === key) ?? false),
      )
      .map(([entity, key, value]) => {
        const query: Query = json(valid);
        put(entity === '' ? query : entityIn(query, entity), key, value);
        const path = key.slice(0, 64);
        return {
          what: `unknown key in ${entity || 'the query'}`,
          query: json(query),
          at: entity ? `${entity}.${path}` : path,
        };
      }),
    // Wrapped in an array: the query, an entity, or a value.
    fc.oneof(level, attribute).map((target) => {
      const query: Query = json(valid);
      if (target === '') return { what: 'the query in an array', query: [query], at: '' };
      if (typeof target === 'string') {
        (query as Record<string, unknown>)[target] = [entityIn(query, target)];
        return { what: `${target} in an array`, query: json(query), at: target };
      }
      const { entity, spec } = target;
      entityIn(query, entity)[spec.name] = [query[entity]?.[spec.name] ?? spec.default];
      return { what: `${entity}.${spec.name} in an array`, query: json(query), at: `${entity}.${spec.name}` };
    }),
    // Junk nested 1000 deep: as the query, an entity, a value, or under an unknown key.
    fc
      .tuple(fc.constantFrom<'array' | 'object'>('array', 'object'), fc.oneof(level, attribute), fc.boolean())
      .map(([kind, target, asUnknownKey]) => {
        const junk = nested(1000, kind, 'p-1');
        const query: Query = json(valid);
        if (target === '') {
          if (asUnknownKey) {
            put(query, 'junk', junk);
            return { what: `1000-deep ${kind} under a key`, query: json(query), at: 'junk' };
          }
          return { what: `1000-deep ${kind} as the query`, query: junk, at: '' };
        }
        if (typeof target === 'string') {
          (query as Record<string, unknown>)[target] = junk;
          return { what: `1000-deep ${kind} as ${target}`, query: json(query), at: target };
        }
        entityIn(query, target.entity)[target.spec.name] = junk;
        const path = `${target.entity}.${target.spec.name}`;
        return { what: `1000-deep ${kind} as ${path}`, query: json(query), at: path };
      }),
  );
};

/** Whether an error at `path` concerns the field at `at` ('' is the whole query). */
const concerns = (path: string, at: string) =>
  at === '' || path === at || path.startsWith(`${at}.`) || path.startsWith(`${at}[`);

/**
 * Whether some error concerns the field at `at`. An unknown key that is not named (it may be personal data) is
 * reported at the object that holds it.
 */
const someErrorConcerns = (errors: readonly QueryError[], at: string) =>
  errors.some(
    (e) =>
      concerns(e.path, at) || (e.code === 'unknown-field' && (e.path === '' || at.startsWith(`${e.path}.`))),
  );

describe('valid queries, spoiled', () => {
  it('are generated valid before they are spoiled', () => {
    fc.assert(
      fc.property(validQuery, (query) => {
        expect(isValid(query)).toBe(true);
        expect(engine.validate(query)).toEqual([]);
      }),
      options,
    );
  });

  it('are denied, with an error naming what was spoiled, and never throw', () => {
    fc.assert(
      fc.property(
        validQuery.chain((valid) => spoil(valid)),
        ({ what, query, at }) => {
          const decision = decideSafely(query);
          expect(decision.decision, what).toBe('deny');
          expect(decision.errors, what).toSatisfy((errors: QueryError[]) => someErrorConcerns(errors, at));
        },
      ),
      options,
    );
  });

  it('are denied however many spoilings are stacked on each other', () => {
    const stacked = validQuery.chain((valid) =>
      fc
        .array(fc.constant(null), { minLength: 1, maxLength: 3 })
        .chain((times) =>
          times.reduce<fc.Arbitrary<Spoiled>>(
            (previous) =>
              previous.chain((spoiled) =>
                isPlain(spoiled.query) &&
                Object.values(spoiled.query).every((v) => isPlain(v) || v === undefined)
                  ? spoil(spoiled.query as Query)
                  : fc.constant(spoiled),
              ),
            spoil(valid),
          ),
        ),
    );
    fc.assert(
      fc.property(stacked, ({ query }) => {
        const decision = decideSafely(query);
        expect(decision.decision).toBe('deny');
        expect(decision.errors.length).toBeGreaterThan(0);
      }),
      options,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Counterfactuals of valid queries
// ---------------------------------------------------------------------------------------------------------------

/** The circumstances: attributes with a default, of the kinds counterfactuals change, with every value of each. */
/** The circumstances advice may vary: attributes with a default, boolean or enumerated, not `advice never`. */
const circumstances = attributePaths
  .filter(
    ({ spec }) =>
      spec.default !== undefined &&
      spec.advice !== 'never' &&
      (spec.type.kind === 'boolean' || spec.type.kind === 'enum'),
  )
  .map(({ entity, spec }) => ({
    entity,
    name: spec.name,
    path: `${entity}.${spec.name}`,
    values: spec.type.kind === 'enum' ? spec.type.values : [false, true],
  }));

/** `query` with `changes` applied: a new query, the original untouched. */
function applied(query: Query, changes: readonly { path: string; to: unknown }[]): Query {
  const changed: Query = json(query);
  for (const { path, to } of changes) {
    const [entity = '', attribute = ''] = path.split('.');
    changed[entity] = { ...changed[entity], [attribute]: to };
  }
  return changed;
}

/** Where an atom tests an attribute for a value, the value; any other value of the attribute is `*`. */
const testedValues = new Set(
  engine.artifact.atoms.flatMap((a) =>
    a.kind === 'equals' ? [`${a.attribute}=${JSON.stringify(a.value)}`] : [],
  ),
);
const byClass = (c: { path: string; to: unknown }) =>
  typeof c.to === 'string' && !testedValues.has(`${c.path}=${JSON.stringify(c.to)}`)
    ? { path: c.path, to: '*' }
    : c;

/** A change set as a comparable string. */
const keyOf = (changes: readonly { path: string; to: unknown }[]) =>
  changes
    .map((c) => `${c.path}=${JSON.stringify(c.to)}`)
    .sort()
    .join(' & ');

/**
 * Every assignment of the circumstances that reaches `target`, found by trying them all, with the number of
 * circumstances each changes from `current`.
 */
function everyWayTo(query: Query, current: Record<string, Value>, target: Decision['decision']) {
  const ways: { changes: { path: string; to: unknown }[]; size: number }[] = [];
  const working: Query = json(query);
  const chosen: { path: string; to: unknown }[] = [];
  const visit = (i: number): void => {
    const circumstance = circumstances[i];
    if (!circumstance) {
      if (engine.decide(working).decision === target) {
        const changes = chosen.filter((c) => c.to !== current[c.path]);
        ways.push({ changes, size: changes.length });
      }
      return;
    }
    for (const value of circumstance.values) {
      working[circumstance.entity] = { ...working[circumstance.entity], [circumstance.name]: value };
      chosen.push({ path: circumstance.path, to: value });
      visit(i + 1);
      chosen.pop();
    }
  };
  visit(0);
  return ways;
}

describe('counterfactuals of valid queries', () => {
  it('are decided without errors', () => {
    fc.assert(
      fc.property(validQuery, (query) => {
        expect(engine.decide(query).errors).toEqual([]);
      }),
      options,
    );
  });

  it('reach the other decision, change only circumstances, and are exactly the smallest ways to get there', () => {
    let found = 0;
    fc.assert(
      fc.property(validQuery, (query) => {
        const decision = engine.decide(query);
        const target = decision.decision === 'permit' ? 'deny' : 'permit';
        const read = engine.read(query);
        if (!('values' in read)) throw new Error('a valid query was not read');
        const current = read.values;
        const counterfactuals: readonly Counterfactual[] = engine.counterfactuals(query).found;
        found += counterfactuals.length;
        for (const c of counterfactuals) {
          expect(c.decision).toBe(target);
          expect(c.changes.length).toBeGreaterThan(0);
          expect(new Set(c.changes.map((change) => change.path)).size).toBe(c.changes.length);
          for (const change of c.changes) {
            expect(circumstances.map((x) => x.path)).toContain(change.path);
            expect(change.from).toEqual(current[change.path]);
            expect(change.to).not.toEqual(change.from);
          }
          // Decided afresh, the changed query reaches the other decision, by the rules the counterfactual names.
          const changed = engine.decide(applied(query, c.changes));
          expect(changed.errors).toEqual([]);
          expect(changed.decision).toBe(target);
          expect(c.rules).toEqual(changed.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule));
        }
        expect(new Set(counterfactuals.map((c) => keyOf(c.changes))).size).toBe(counterfactuals.length);
        const sizes = new Set(counterfactuals.map((c) => c.changes.length));
        expect(sizes.size).toBeLessThanOrEqual(1);
        const smallest = counterfactuals[0]?.changes.length ?? Number.POSITIVE_INFINITY;

        // No single change reaches the other decision when the smallest found changes more than one circumstance.
        if (smallest >= 2) {
          for (const circumstance of circumstances) {
            for (const value of circumstance.values) {
              if (value === current[circumstance.path]) continue;
              const changed = engine.decide(applied(query, [{ path: circumstance.path, to: value }]));
              expect(changed.decision, `${circumstance.path} = ${String(value)}`).toBe(decision.decision);
            }
          }
        }

        // Trying every assignment of the circumstances: the counterfactuals are of the smallest size there is (up
        // to the engine's four changes), and are all of that size, up to its limit of five.
        const ways = everyWayTo(query, current, target);
        const least = Math.min(...ways.map((w) => w.size));
        if (counterfactuals.length === 0) expect(least).toBeGreaterThan(4);
        else {
          expect(smallest).toBe(least);
          const smallestWays = new Set(ways.filter((w) => w.size === least).map((w) => keyOf(w.changes)));
          for (const c of counterfactuals) expect(smallestWays).toContain(keyOf(c.changes));
          // Values that no atom tells apart decide alike: one of them stands for all, so ways are counted by class.
          const classes = new Set(
            ways.filter((w) => w.size === least).map((w) => keyOf(w.changes.map(byClass))),
          );
          if (counterfactuals.length < 5) expect(counterfactuals.length).toBe(classes.size);
        }
      }),
      options,
    );
    expect(found).toBeGreaterThan(0);
  });
});

describe('the built-in prototypes', () => {
  it('are as they were before all of the above: nothing polluted', () => {
    expect(snapshot()).toEqual(before);
    const plain: Record<string, unknown> = {};
    expect(plain.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(Object.hasOwn(Object.prototype, 'requester')).toBe(false);
    expect(Object.hasOwn(Object.prototype, 'junk')).toBe(false);
  });
});

describe('fixed: hostile values found by fuzzing', () => {
  const parent = { id: 'p-1', role: 'parent_or_guardian' };
  const minor = { subjectId: 'p-2002', subjectIsMinor: true };

  it('refuses, without throwing, a getter that throws a hostile value', () => {
    const hostileErrors: unknown[] = [
      new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error('p');
          },
        },
      ),
      Object.defineProperty(new Error('x'), 'message', {
        get() {
          throw new Error('inner');
        },
      }),
      Object.assign(new Error('x'), { message: 42 }),
    ];
    for (const error of hostileErrors) {
      const requester = Object.defineProperty({ id: 'a' }, 'role', {
        enumerable: true,
        get() {
          throw error;
        },
      });
      const decision = engine.decide({ requester, record: { subjectId: 'b' } });
      expect(decision.decision).toBe('deny');
      expect(decision.errors.map((e) => e.code)).toEqual(['unreadable']);
    }
  });

  it('refuses a set whose prototype is not Array.prototype, so its own `includes` is never called', () => {
    class Ids extends Array<string> {
      override includes(): boolean {
        return true;
      }
    }
    const forged = [Object.setPrototypeOf(['p-9'], { includes: () => true }), Ids.from(['p-9'])];
    for (const guardianOf of forged) {
      const decision = engine.decide({ requester: { ...parent, guardianOf }, record: minor });
      expect(decision.decision).toBe('deny');
      expect(decision.errors.map((e) => [e.code, e.path])).toEqual([['wrong-type', 'requester.guardianOf']]);
    }
  });

  it('decides on its own copy of a set, never calling the caller’s array again', () => {
    const guardianOf = new Proxy(['p-2002'], {
      get(target, key, receiver) {
        if (key === 'includes') throw new Error('never called');
        return Reflect.get(target, key, receiver);
      },
    });
    const decision = engine.decide({ requester: { ...parent, guardianOf }, record: minor });
    expect(decision.errors).toEqual([]);
    expect(decision.decision).toBe('permit');
  });

  it('reads no hidden property, so a non-enumerable entity cannot hide an unknown key', () => {
    const query = { requester: parent, record: minor, isAdmin: true };
    Object.defineProperty(query, 'request', { value: {}, enumerable: false });
    const decision = engine.decide(query);
    expect(decision.decision).toBe('deny');
    expect(decision.errors.map((e) => [e.code, e.path])).toEqual([['unknown-field', '']]);
  });

  it('stops at 20 errors, however many unknown keys a query has', () => {
    const query: Record<string, unknown> = { requester: parent, record: minor };
    for (let i = 0; i < 200_000; i++) query[`k${i}`] = i;
    const decision = engine.decide(query);
    expect(decision.errors).toHaveLength(20);
  });
});

describe('the reader specialised to the vocabulary', () => {
  const fast = new QueryReader(vocabulary);
  const general = new QueryReader(vocabulary, { fast: false });

  /** Reads `query` with both readers: the specialised one must accept only what the general one accepts, alike. */
  function agree(query: unknown): void {
    const fastValues: Value[] = [];
    const generalValues: Value[] = [];
    const fastErrors = fast.read(query, fastValues);
    const generalErrors = general.read(query, generalValues);
    expect(fastErrors).toEqual(generalErrors);
    if (generalErrors.length === 0) expect(fastValues).toEqual(generalValues);
  }

  it('reads exactly as the general reader on valid, query-like and arbitrary queries', () => {
    fc.assert(fc.property(fc.oneof(validQuery, queryLike, fc.jsonValue({ maxDepth: 4 })), agree), options);
  });

  it('leaves to the general reader what it must refuse: inherited, hidden, undefined and forged values', () => {
    const parent = { id: 'p-1', role: 'parent_or_guardian' };
    const minor = { subjectId: 'p-2002', subjectIsMinor: true };
    const hidden = { requester: parent, record: minor, isAdmin: true };
    Object.defineProperty(hidden, 'request', { value: {}, enumerable: false });
    const inherited = Object.assign(Object.create({ record: minor }) as object, { requester: parent });
    const forged = {
      requester: { ...parent, guardianOf: Object.setPrototypeOf(['p-2002'], {}) },
      record: minor,
    };
    for (const query of [
      hidden,
      inherited,
      forged,
      { requester: { ...parent, role: undefined }, record: minor },
      { requester: parent, record: minor, request: undefined, extra: undefined },
    ]) {
      agree(query);
      expect(fast.read(query, [])).not.toEqual([]);
    }
  });
});

describe('fixed: findings of the review', () => {
  const parent = { id: 'stranger', role: 'patron' };
  const minor = { subjectId: 'kid', subjectIsMinor: true };

  it('never lets an array choose the class of its copy (Symbol.species)', () => {
    class Evil {
      length: number;
      constructor(n: number) {
        this.length = n;
      }
      includes(): boolean {
        return true;
      }
    }
    const guardianOf = ['nobody'];
    Object.defineProperty(guardianOf, 'constructor', { value: { [Symbol.species]: Evil } });
    const decision = engine.decide({ requester: { ...parent, guardianOf }, record: minor });
    expect(decision.decision).toBe('deny');
    expect(decision.reasons.map((r) => r.rule)).toEqual(['no-release-to-third-parties']);
  });

  it('reads no hidden or inherited attribute, even beside own attributes set to undefined', () => {
    const request: Record<string, unknown> = {
      legalProcess: 'court_order',
      properForm: true,
      purpose: undefined,
      writtenConsent: undefined,
    };
    Object.defineProperty(request, 'goodCauseShown', { value: true });
    Object.defineProperty(request, 'competentJurisdiction', { value: true });
    const decision = engine.decide({
      requester: { id: 'cop', role: 'law_enforcement' },
      record: { subjectId: 'p-1' },
      request,
    });
    expect(decision.decision).toBe('deny');
    expect(decision.reasons.map((r) => r.rule)).toEqual(['resist-defective-process']);
  });

  it('keeps two queries apart when reading one decides the other', () => {
    const request = {};
    Object.defineProperty(request, 'purpose', {
      enumerable: true,
      get() {
        engine.decide({ requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } });
        return 'disclosure';
      },
    });
    const decision = engine.decide({
      requester: { id: 'stranger', role: 'reporter' },
      record: { subjectId: 'mayor' },
      request,
    });
    expect(decision.decision).toBe('deny');
    expect(decision.reasons.map((r) => r.rule)).toEqual(['no-release-to-third-parties']);
  });

  it('gives out defaults no caller can change', () => {
    const read = engine.read({ requester: parent, record: minor });
    if (!('values' in read)) throw new Error('the query is valid');
    expect(() => (read.values['requester.guardianOf'] as string[]).push('kid')).toThrow(TypeError);
    expect(engine.decide({ requester: parent, record: minor }).decision).toBe('deny');
  });
});
