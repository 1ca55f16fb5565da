/**
 * Queries that answer differently each time they are read: getters that change on every read, at every level (an
 * entity of the query, an attribute of an entity, a member of a set), arrays whose length changes, and proxies
 * whose every trap answers differently each time. A query is decided on one reading of it, each property read
 * once: so whatever it answers later, it is never permitted unless its first reading is, with the same rules. Both
 * readers are held to it: the generated one (which, when it refuses a query, leaves the general reader to say why,
 * never to decide), and the general reader alone (`codegen: false`), which reads once and so decides exactly as
 * the first reading is decided.
 *
 * `TENET_FUZZ_RUNS` sets the runs of each property (default 400; the file takes a few seconds).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Artifact, createEngine, type Decision } from '../packages/runtime/src/index.js';
import { fuzzRuns, timeoutFor } from '../packages/runtime/test/hostile-support.js';
import { compiled } from './helpers/wethersfield.js';

const runs = fuzzRuns(400);
const timeout = timeoutFor(runs, 5);

const artifact: Artifact = JSON.parse(
  JSON.stringify(compiled('policies/wethersfield/confidentiality.policy').artifact),
);
const generated = createEngine(artifact);
const general = createEngine(artifact, { codegen: false });
/** What the first readings are decided by: a third engine, which only ever sees plain data. */
const reference = createEngine(artifact);

// ---------------------------------------------------------------------------------------------------------------
// Values that answer one thing, then another
// ---------------------------------------------------------------------------------------------------------------

/**
 * A value built to change, with its first reading beside it: `make` makes what an engine is given (each time
 * afresh, its getters and traps at their first answers), `first` is what every getter and trap in it answers the
 * first time, as plain data.
 */
interface Built {
  make: () => unknown;
  first: unknown;
}

const plain = (value: unknown): Built => ({ make: () => value, first: value });

/** The next of `answers` on each call, round and round. */
function cycling<T>(answers: readonly T[]): () => T {
  let n = 0;
  return () => answers[n++ % answers.length] as T;
}

/**
 * An object of `fields`: a field of one answer is a plain property (left out when it is undefined), a field of
 * more is a getter going through its answers, one per read.
 */
function withGetters(fields: [key: string, answers: Built[]][]): Built {
  const first: Record<string, unknown> = {};
  for (const [key, answers] of fields) {
    const head = (answers[0] as Built).first;
    if (head !== undefined) first[key] = head;
  }
  const make = () => {
    const value: Record<string, unknown> = {};
    for (const [key, answers] of fields) {
      if (answers.length === 1) {
        const only = (answers[0] as Built).make();
        if (only !== undefined) value[key] = only;
        continue;
      }
      const made = answers.map((a) => a.make());
      const next = cycling(made);
      Object.defineProperty(value, key, { enumerable: true, configurable: true, get: next });
    }
    return value;
  };
  return { make, first };
}

/** An array whose members are getters going through their answers. */
function arrayWithGetters(members: Built[][]): Built {
  const make = () => {
    const value: unknown[] = members.map(() => undefined);
    members.forEach((answers, i) => {
      const next = cycling(answers.map((a) => a.make()));
      Object.defineProperty(value, i, { enumerable: true, configurable: true, get: next });
    });
    return value;
  };
  return { make, first: members.map((answers) => (answers[0] as Built).first) };
}

/** An array whose `length` answers `lengths` in turn (its members stay): a proxy, as only a proxy can. */
function arrayOfChangingLength(members: readonly string[], lengths: readonly number[]): Built {
  const make = () => {
    const next = cycling(lengths);
    return new Proxy([...members], {
      get: (target, key, receiver) => (key === 'length' ? next() : Reflect.get(target, key, receiver)),
    });
  };
  const length = lengths[0] as number;
  // Past the real members the first reading has holes, which are refused, as the proxy's are.
  const first = new Array(length);
  for (let i = 0; i < Math.min(length, members.length); i++) first[i] = members[i];
  return { make, first };
}

/**
 * A proxy of an object every trap of which answers differently each time: its keys (`ownKeys`), each key's
 * descriptor (`getOwnPropertyDescriptor`: enumerable or not), each key's value (`get`), and its prototype. Each has
 * its own sequence, so the first reading is what each answers first: the keys first listed, of those the ones
 * first said to be enumerable, each with its first value, under the prototype first given.
 */
function chaoticProxy(
  keyings: readonly string[][],
  fields: [key: string, answers: Built[], enumerable: boolean[]][],
  prototypes: readonly (object | null)[],
): Built {
  const make = () => {
    const keys = cycling(keyings);
    const prototype = cycling(prototypes);
    const values = new Map(fields.map(([key, answers]) => [key, cycling(answers.map((a) => a.make()))]));
    const enumerable = new Map(fields.map(([key, , flags]) => [key, cycling(flags)]));
    return new Proxy(
      {},
      {
        ownKeys: () => [...keys()],
        getOwnPropertyDescriptor: (_, key) => {
          const flag = typeof key === 'string' ? enumerable.get(key) : undefined;
          return flag
            ? { value: undefined, writable: true, enumerable: flag(), configurable: true }
            : undefined;
        },
        get: (_, key) => (typeof key === 'string' ? values.get(key)?.() : undefined),
        getPrototypeOf: () => prototype(),
      },
    );
  };
  const first: Record<string, unknown> = Object.create(prototypes[0] ?? null);
  for (const key of keyings[0] ?? []) {
    const field = fields.find(([name]) => name === key);
    const head = field?.[2][0] ? (field[1][0] as Built).first : undefined;
    if (head !== undefined) first[key] = head;
  }
  return { make, first };
}

// ---------------------------------------------------------------------------------------------------------------
// What must hold
// ---------------------------------------------------------------------------------------------------------------

/** A decision as compared: the answer, the rules, the obligations, and the errors' codes and paths. */
const summary = (d: Decision) => ({
  decision: d.decision,
  rules: d.reasons.map((r) => r.rule),
  obligations: d.obligations.map((o) => o.id),
  errors: d.errors.map((e) => [e.code, e.path]),
});

/**
 * Decides `built` with both readers, and returns both decisions with the first reading's. Neither may permit what
 * the first reading is not permitted, nor decide without errors other than the first reading is decided. The
 * general reader alone, reading once, decides exactly as the first reading is, errors too.
 */
function decideBoth(built: Built) {
  const expected = summary(reference.decide(built.first));
  const byGenerated = summary(generated.decide(built.make()));
  const byGeneral = summary(general.decide(built.make()));
  if (byGenerated.decision === 'permit') expect(expected.decision).toBe('permit');
  if (byGenerated.errors.length === 0) expect(byGenerated).toEqual(expected);
  else expect(byGenerated.decision).toBe('deny');
  expect(byGeneral).toEqual(expected);
  return { expected, byGenerated, byGeneral };
}

// ---------------------------------------------------------------------------------------------------------------
// Cases written out
// ---------------------------------------------------------------------------------------------------------------

const courtGrounds = {
  legalProcess: 'court_order',
  properForm: true,
  goodCauseShown: true,
  competentJurisdiction: true,
};
const parent = { id: 'p-1001', role: 'parent_or_guardian' };
const minor = { subjectId: 'p-2002', subjectIsMinor: true };
/** A parent's query for a minor's record, with the set `guardianOf` as given: permitted when it holds the minor. */
const parentWith = (guardianOf: Built): Built => ({
  make: () => ({ requester: { ...parent, guardianOf: guardianOf.make() }, record: minor }),
  first: { requester: { ...parent, guardianOf: guardianOf.first }, record: minor },
});

describe('a query read twice answering differently', () => {
  it('is not permitted when its role is `not-a-role` on the first read and `law_enforcement` on the second', () => {
    const requester = withGetters([
      ['id', [plain('o-12')]],
      ['role', [plain('not-a-role'), plain('law_enforcement')]],
    ]);
    const query = () => ({
      requester: requester.make(),
      record: { subjectId: 'p-1' },
      request: courtGrounds,
    });
    // Read once, law enforcement with court grounds is permitted: so the second reading would be.
    const second = { ...query(), requester: { id: 'o-12', role: 'law_enforcement' } };
    expect(reference.decide(second).decision).toBe('permit');
    const byGenerated = generated.decide(query());
    expect(byGenerated.decision).toBe('deny');
    // The generated reader refused it; the general reader, reading again, found it valid: the query changed.
    expect(byGenerated.errors.map((e) => [e.code, e.path])).toEqual([['unreadable', '']]);
    expect(byGenerated.reasons.map((r) => r.effect)).toEqual(['refusal']);
    // The general reader alone reads it once: `not-a-role`.
    const byGeneral = general.decide(query());
    expect(byGeneral.decision).toBe('deny');
    expect(byGeneral.errors.map((e) => [e.code, e.path])).toEqual([['unknown-value', 'requester.role']]);
  });

  it.each<[string, () => Built]>([
    [
      'an entity (`requester` missing, then a patron asking for their own record)',
      () =>
        withGetters([
          ['requester', [plain(undefined), plain({ id: 'p-2002', role: 'patron' })]],
          ['record', [plain({ subjectId: 'p-2002' })]],
        ]),
    ],
    [
      'an attribute (the requester’s id empty, then the borrower’s)',
      () =>
        withGetters([
          [
            'requester',
            [
              withGetters([
                ['id', [plain(''), plain('p-2002')]],
                ['role', [plain('patron')]],
              ]),
            ],
          ],
          ['record', [plain({ subjectId: 'p-2002' })]],
        ]),
    ],
    [
      'a set member (an empty id, then the minor’s)',
      () => parentWith(arrayWithGetters([[plain(''), plain('p-2002')]])),
    ],
    [
      'a set’s length (2, with no second member, then 1)',
      () => parentWith(arrayOfChangingLength(['p-2002'], [2, 1])),
    ],
    [
      'a proxy’s prototype (an array’s, then none)',
      () =>
        chaoticProxy(
          [['requester', 'record']],
          [
            ['requester', [plain({ id: 'p-2002', role: 'patron' })], [true]],
            ['record', [plain({ subjectId: 'p-2002' })], [true]],
          ],
          [Array.prototype, null],
        ),
    ],
    [
      'a proxy’s keys (an unknown key listed, then not)',
      () =>
        chaoticProxy(
          [
            ['requester', 'record', 'isAdmin'],
            ['requester', 'record'],
          ],
          [
            ['requester', [plain({ id: 'p-2002', role: 'patron' })], [true]],
            ['record', [plain({ subjectId: 'p-2002' })], [true]],
            ['isAdmin', [plain(true)], [true]],
          ],
          [Object.prototype],
        ),
    ],
    [
      'a proxy’s descriptors (an entity not listed among its keys, but described as there)',
      () =>
        chaoticProxy(
          [['requester', 'record']],
          [
            ['requester', [plain({ id: 'p-1', role: 'staff' })], [true]],
            ['record', [plain({ subjectId: 'p-2002' })], [true]],
            ['request', [plain({ purpose: 'circulation' })], [true]],
          ],
          [Object.prototype],
        ),
    ],
  ])('is decided on its first reading when %s changes', (_, make) => {
    const built = make();
    const { expected, byGenerated, byGeneral } = decideBoth(built);
    // Only the first reading counts, and it is not permitted, whatever a later one would be.
    expect(expected.decision).toBe('deny');
    expect(byGenerated.decision).toBe('deny');
    expect(byGeneral.decision).toBe('deny');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Generated: volatile queries of every shape
// ---------------------------------------------------------------------------------------------------------------

/** Mostly values that fit, now and then one that does not: so that one reading is valid and another not. */
const pool = (fitting: unknown[], unfitting: unknown[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...fitting) },
    { weight: 1, arbitrary: fc.constantFrom(...unfitting) },
  );
const goodIds = ['p-1001', 'p-2002'];
const badIds = ['', ' ', 'p\u200b2002', 'p-2002 ', 7];
const id = pool(goodIds, badIds);

/** Plain answers for each attribute. */
const answerFor: Record<string, fc.Arbitrary<unknown>> = {
  'requester.id': id,
  'requester.role': pool(
    ['patron', 'parent_or_guardian', 'law_enforcement', 'reporter', 'staff', 'collection_services_manager'],
    ['not-a-role', 'Patron', 1],
  ),
  'requester.guardianOf': pool([[], ['p-2002'], ['p-1001', 'p-2002']], [[''], ['p-2002', 7], 'p-2002']),
  'record.subjectId': id,
  'record.subjectIsMinor': pool([true, false], ['true', 1]),
  'record.subjectIsStaff': pool([true, false], [null]),
  'record.staffCardPrivileged': pool([true, false], [0]),
  // Most often what a permitted query has: a disclosure, no legal process.
  'request.purpose': pool(
    ['disclosure', 'disclosure', 'disclosure', 'circulation', 'card_monitoring'],
    ['nope'],
  ),
  'request.legalProcess': pool(['none', 'none', 'none', 'court_order', 'subpoena'], ['court']),
  'request.properForm': fc.boolean(),
  'request.goodCauseShown': fc.boolean(),
  'request.competentJurisdiction': fc.boolean(),
  'request.writtenConsent': fc.boolean(),
};
const entities = ['requester', 'record', 'request'];
const attributesOf = (entity: string) =>
  Object.keys(answerFor)
    .filter((path) => path.startsWith(`${entity}.`))
    .map((path) => path.slice(entity.length + 1));

/** One to three answers, the first of which is the first reading's; undefined leaves the property out. */
const answers = (one: fc.Arbitrary<Built>): fc.Arbitrary<Built[]> => {
  const answer = fc.oneof(
    { weight: 8, arbitrary: one },
    { weight: 1, arbitrary: fc.constant(plain(undefined)) },
  );
  return fc.oneof(
    { weight: 3, arbitrary: answer.map((a) => [a]) },
    { weight: 1, arbitrary: fc.array(answer, { minLength: 2, maxLength: 3 }) },
  );
};

/** A set: plain, with getters for members, or of changing length. */
const volatileSet: fc.Arbitrary<Built> = fc.oneof(
  (answerFor['requester.guardianOf'] as fc.Arbitrary<unknown>).map(plain),
  fc.array(answers(id.map(plain)), { minLength: 1, maxLength: 3 }).map(arrayWithGetters),
  fc
    .tuple(
      fc.array(fc.constantFrom(...goodIds), { maxLength: 3 }),
      fc.array(fc.nat(4), { minLength: 1, maxLength: 3 }),
    )
    .map(([members, lengths]) => arrayOfChangingLength(members, lengths)),
);

const attributeAnswer = (path: string): fc.Arbitrary<Built> =>
  path === 'requester.guardianOf' ? volatileSet : (answerFor[path] as fc.Arbitrary<unknown>).map(plain);

/** An entity: an object of attributes, plain or behind getters, or a proxy answering every trap differently. */
const volatileEntity = (entity: string): fc.Arbitrary<Built> => {
  const names = attributesOf(entity);
  const fields = fc.tuple(
    ...names.map((name) => fc.tuple(fc.constant(name), answers(attributeAnswer(`${entity}.${name}`)))),
  );
  return fc.oneof(
    { weight: 3, arbitrary: fields.map(withGetters) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fields,
          fc.array(fc.subarray(names), { minLength: 1, maxLength: 3 }),
          fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 2 }), {
            minLength: names.length,
            maxLength: names.length,
          }),
          fc.array(fc.constantFrom(Object.prototype, null, Array.prototype), { minLength: 1, maxLength: 3 }),
        )
        .map(([list, keyings, flags, prototypes]) =>
          chaoticProxy(
            keyings,
            list.map(([name, built], i) => [name, built, flags[i] ?? [true]]),
            prototypes,
          ),
        ),
    },
  );
};

/** A query: its entities plain or behind getters going through several answers, each volatile inside. */
const volatileQuery: fc.Arbitrary<Built> = fc
  .tuple(...entities.map((entity) => answers(volatileEntity(entity))))
  .map((perEntity) => withGetters(perEntity.map((list, e) => [entities[e] as string, list])));

describe('volatile queries', () => {
  it(
    'are never permitted unless their first reading is, by the same rules, by either reader',
    () => {
      let permits = 0;
      let changed = 0;
      fc.assert(
        fc.property(volatileQuery, (built) => {
          const { expected, byGenerated } = decideBoth(built);
          if (expected.decision === 'permit') permits++;
          if (byGenerated.errors.some(([code]) => code === 'unreadable')) changed++;
        }),
        { numRuns: runs },
      );
      // Not properties: the generator reaches permits, and queries the generated reader catches changing.
      expect(permits).toBeGreaterThan(0);
      expect(changed).toBeGreaterThan(0);
    },
    timeout,
  );

  it(
    'give `read`, `trace` and `counterfactuals` only what their first reading gives',
    () => {
      fc.assert(
        fc.property(volatileQuery, (built) => {
          const read = reference.read(built.first);
          const trace = reference.trace(built.first);
          const search = reference.counterfactuals(built.first);
          for (const engine of [generated, general]) {
            const got = engine.read(built.make());
            if ('values' in got) expect(got).toEqual(read);
            const traced = engine.trace(built.make());
            if ('outcome' in traced) expect(traced).toEqual(trace);
            const searched = engine.counterfactuals(built.make());
            if (searched.found.length > 0) expect(searched).toEqual(search);
          }
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );
});
