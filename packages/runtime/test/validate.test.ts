import { describe, expect, it } from 'vitest';
import { MAX_SET_SIZE, MAX_STRING_LENGTH, type QueryError } from '../src/index.js';
import { sampleQuery, wethersfield } from './wethersfield.js';

const engine = wethersfield();

const roles = [
  'patron',
  'family_member',
  'parent_or_guardian',
  'law_enforcement',
  'government_agency',
  'reporter',
  'attorney',
  'staff',
  'collection_services_manager',
  'library_director',
  'other',
];
const legalProcesses = ['none', 'subpoena', 'court_order', 'warrant', 'other_process'];

/** Errors in order of path: which errors a query has matters, not the order they are found in. */
function byPath<T extends { path: string; code: string }>(errors: readonly T[]): T[] {
  return [...errors].sort((a, b) => a.path.localeCompare(b.path) || a.code.localeCompare(b.code));
}

/**
 * The problems with `query`, in order of path, checking on the way that a decision on it is a deny carrying
 * exactly them.
 */
function problems(query: unknown): QueryError[] {
  const errors = engine.validate(query);
  const decision = engine.decide(query);
  expect(decision.decision).toBe('deny');
  expect(decision.errors).toEqual(errors);
  return byPath(errors);
}

/** A valid query a parent of a minor asks: permitted, so a deny on a variant of it is the variant's doing. */
function parentQuery(): Record<string, Record<string, unknown>> {
  return {
    requester: { id: 'p-1001', role: 'parent_or_guardian', guardianOf: ['p-2002'] },
    record: { subjectId: 'p-2002', subjectIsMinor: true },
  };
}

/** The missing-field error for `path`: the message names the field and says it is required. */
function missing(path: string) {
  return {
    code: 'missing-field',
    path,
    message: expect.stringContaining(`\`${path}\` is required`),
  };
}

describe('a query that is not an object', () => {
  it.each([
    ['null', null, 'null'],
    ['an array', [{ requester: { id: 'r-7', role: 'reporter' } }], 'an array'],
    // A string is described by its length, never quoted: it may be personal data.
    ['a string', '{"requester": {}}', 'a string of 17 characters'],
    ['a number', 42, 'an integer'],
    ['a boolean', true, 'a boolean'],
  ])('is refused when it is %s, and the message says what it was', (_, query, shown) => {
    expect(problems(query)).toStrictEqual([
      { code: 'not-an-object', path: '', message: `a query is a JSON object, not ${shown}` },
    ]);
  });

  it('is refused when it is undefined', () => {
    expect(problems(undefined)).toMatchObject([{ code: 'not-an-object', path: '' }]);
  });

  it.each([
    ['null', null, 'null'],
    ['an array', ['r-7'], 'an array'],
    ['a string', 'r-7', 'a string of 3 characters'],
    ['a number', 7, 'an integer'],
  ])('is refused when an entity is %s instead of an object of attributes', (_, given, shown) => {
    expect(problems({ ...parentQuery(), requester: given })).toStrictEqual([
      {
        code: 'not-an-object',
        path: 'requester',
        message: `\`requester\` is an object of attributes, not ${shown}`,
      },
    ]);
  });
});

describe('unknown fields', () => {
  it('names an unknown entity, lists the entities a query has, and suggests `requester` for `requestor`', () => {
    const query = { requestor: { id: 'r-7', role: 'reporter' }, record: { subjectId: 'p-mayor' } };
    expect(problems(query)).toStrictEqual(
      byPath([
        {
          code: 'unknown-field',
          path: 'requestor',
          message: 'unknown field `requestor`: did you mean `requester`?',
          suggestion: 'requester',
        },
        missing('requester.id'),
        missing('requester.role'),
      ]),
    );
  });

  it('describes an unknown entity with nothing close to it by its length alone, and lists the entities', () => {
    const query = { ...parentQuery(), library: { name: 'Wethersfield' } };
    expect(problems(query)).toStrictEqual([
      {
        code: 'unknown-field',
        path: '',
        message:
          'the query has a field it does not know (a name of 7 characters): it has `requester`, `record`, `request`',
      },
    ]);
  });

  it('describes an unknown attribute by its length alone (a key may be personal data), and lists the attributes', () => {
    const query = parentQuery();
    query.requester = { ...query.requester, 'Jane Doe': true };
    expect(problems(query)).toStrictEqual([
      {
        code: 'unknown-field',
        path: 'requester',
        message:
          '`requester` has a field it does not know (a name of 8 characters): it has `id`, `role`, `guardianOf`',
      },
    ]);
  });

  it('names an unknown key that is a name of JavaScript’s own, such as `__proto__`', () => {
    const query = parentQuery();
    query.requester = { ...query.requester, toString: 'x' };
    expect(problems(query)).toStrictEqual([
      {
        code: 'unknown-field',
        path: 'requester.toString',
        message: 'unknown field `requester.toString`: `requester` has `id`, `role`, `guardianOf`',
      },
    ]);
  });

  it('suggests the attribute a misspelt one most likely meant', () => {
    const query: Record<string, Record<string, unknown>> = {
      ...parentQuery(),
      request: { purpse: 'disclosure' },
    };
    query.record = { subjectId: 'p-2002', subjectIsMinr: true };
    expect(problems(query)).toStrictEqual(
      byPath([
        {
          code: 'unknown-field',
          path: 'record.subjectIsMinr',
          message: 'unknown field `record.subjectIsMinr`: did you mean `record.subjectIsMinor`?',
          suggestion: 'record.subjectIsMinor',
        },
        {
          code: 'unknown-field',
          path: 'request.purpse',
          message: 'unknown field `request.purpse`: did you mean `request.purpose`?',
          suggestion: 'request.purpose',
        },
      ]),
    );
  });

  it('reports at most 20 problems however many there are', () => {
    const query: Record<string, unknown> = parentQuery();
    for (let i = 0; i < 100; i++) query[`extra${i}`] = i;
    const errors = problems(query);
    expect(errors).toHaveLength(20);
    expect(errors.every((e) => e.code === 'unknown-field' && e.path === '')).toBe(true);
  });
});

describe('missing required attributes', () => {
  it('names requester.id, requester.role and record.subjectId when the query is empty', () => {
    expect(problems({})).toStrictEqual(
      byPath([missing('requester.id'), missing('requester.role'), missing('record.subjectId')]),
    );
  });

  it.each([
    ['requester', 'id'],
    ['requester', 'role'],
    ['record', 'subjectId'],
  ])('names %s.%s when only it is missing', (entity, attribute) => {
    const query = parentQuery();
    delete query[entity]?.[attribute];
    expect(problems(query)).toStrictEqual([missing(`${entity}.${attribute}`)]);
  });
});

describe('values of the wrong type', () => {
  it.each([
    [
      'a boolean given a string',
      'record',
      'subjectIsMinor',
      'true',
      'true or false',
      'a string of 4 characters',
    ],
    ['a boolean given a number', 'record', 'subjectIsMinor', 1, 'true or false', 'an integer'],
    ['a boolean given null', 'request', 'properForm', null, 'true or false', 'null'],
    ['an enumeration given a number', 'requester', 'role', 5, `one of ${roles.join(', ')}`, 'an integer'],
    [
      'an enumeration given an array',
      'request',
      'legalProcess',
      ['subpoena'],
      `one of ${legalProcesses.join(', ')}`,
      'an array',
    ],
    // A card number sent as a JSON number is described, not quoted.
    ['an identifier given a number', 'requester', 'id', 29001001234567, 'a string', 'an integer'],
    ['an identifier given a fraction', 'requester', 'id', 2.5, 'a string', 'a number'],
    ['an identifier given an object', 'record', 'subjectId', { id: 'p-2002' }, 'a string', 'an object'],
    ['a set given a string', 'requester', 'guardianOf', 'p-2002', 'an array', 'a string of 6 characters'],
    ['a set given an object', 'requester', 'guardianOf', { 0: 'p-2002' }, 'an array', 'an object'],
  ])(
    'refuses %s, naming the field, what it must be, and what it was',
    (_, entity, attribute, value, expected, shown) => {
      const query: Record<string, Record<string, unknown>> = { ...parentQuery(), request: {} };
      query[entity] = { ...query[entity], [attribute]: value };
      const path = `${entity}.${attribute}`;
      expect(problems(query)).toStrictEqual([
        { code: 'wrong-type', path, message: `\`${path}\` must be ${expected}, not ${shown}`, expected },
      ]);
    },
  );

  it('refuses a set with a member of the wrong type, naming the member', () => {
    const query = parentQuery();
    query.requester = { ...query.requester, guardianOf: ['p-2002', 2002] };
    expect(problems(query)).toStrictEqual([
      {
        code: 'wrong-type',
        path: 'requester.guardianOf[1]',
        message: '`requester.guardianOf[1]` must be a string, not an integer',
        expected: 'a string',
      },
    ]);
  });
});

describe('unknown enumeration values', () => {
  it('lists the allowed values and suggests `reporter` for `reporterr`', () => {
    expect(
      problems({ requester: { id: 'r-7', role: 'reporterr' }, record: { subjectId: 'p-mayor' } }),
    ).toStrictEqual([
      {
        code: 'unknown-value',
        path: 'requester.role',
        message: `\`requester.role\` is one of ${roles.join(', ')}, not a string of 9 characters; did you mean \`reporter\`?`,
        allowed: roles,
        suggestion: 'reporter',
      },
    ]);
  });

  it('lists the allowed values and offers no suggestion when none is close', () => {
    const query = { ...parentQuery(), request: { legalProcess: 'letter' } };
    expect(problems(query)).toStrictEqual([
      {
        code: 'unknown-value',
        path: 'request.legalProcess',
        message: `\`request.legalProcess\` is one of ${legalProcesses.join(', ')}, not a string of 6 characters`,
        allowed: legalProcesses,
      },
    ]);
  });
});

describe('sizes', () => {
  const tenMegabytes = 'x'.repeat(10_000_000);

  it('refuses a 10 MB identifier as too large', () => {
    const query = parentQuery();
    query.requester = { ...query.requester, id: tenMegabytes };
    const errors = engine.validate(query);
    expect(errors).toStrictEqual([
      {
        code: 'too-large',
        path: 'requester.id',
        message: `\`requester.id\` is 10000000 characters long; the most is ${MAX_STRING_LENGTH}`,
        limit: MAX_STRING_LENGTH,
      },
    ]);
    expect(engine.decide(query)).toMatchObject({ decision: 'deny', errors });
  });

  it('accepts an identifier of exactly the largest length', () => {
    const query = parentQuery();
    query.requester = { ...query.requester, id: 'x'.repeat(MAX_STRING_LENGTH) };
    expect(engine.validate(query)).toEqual([]);
  });

  it('quotes none of a 10 MB string given as an enumeration value or as a key', () => {
    const query: Record<string, unknown> = { ...parentQuery(), request: { purpose: tenMegabytes } };
    query[tenMegabytes] = true;
    const errors = problems(query);
    expect(errors.map((e) => e.code).sort()).toEqual(['unknown-field', 'unknown-value']);
    for (const error of errors) {
      expect(error.message.length).toBeLessThan(500);
      expect(error.path.length).toBeLessThanOrEqual(64);
    }
    for (const error of errors) expect(error.message).not.toContain('xxxx');
  });

  it('refuses a set of 1001 members as too large', () => {
    const query = parentQuery();
    query.requester = { ...query.requester, guardianOf: Array.from({ length: 1001 }, (_, i) => `p-${i}`) };
    expect(problems(query)).toStrictEqual([
      {
        code: 'too-large',
        path: 'requester.guardianOf',
        message: `\`requester.guardianOf\` has 1001 members; the most is ${MAX_SET_SIZE}`,
        limit: MAX_SET_SIZE,
      },
    ]);
  });

  it('accepts a set of exactly 1000 members', () => {
    const query = parentQuery();
    const guardianOf = Array.from({ length: MAX_SET_SIZE - 1 }, (_, i) => `p-${i}`);
    query.requester = { ...query.requester, guardianOf: [...guardianOf, 'p-2002'] };
    expect(engine.validate(query)).toEqual([]);
    expect(engine.decide(query).decision).toBe('permit');
  });
});

describe('keys that name properties of Object.prototype', () => {
  const keys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
  const knows = {
    '': '`requester`, `record`, `request`',
    requester: '`requester` has `id`, `role`, `guardianOf`',
    record: '`record` has `subjectId`, `subjectIsMinor`, `subjectIsStaff`, `staffCardPrivileged`',
    request:
      '`request` has `purpose`, `legalProcess`, `properForm`, `goodCauseShown`, `competentJurisdiction`, `writtenConsent`',
  };
  const levels = Object.keys(knows) as (keyof typeof knows)[];

  /**
   * The parent's (permitted) query with `key` added to the entity `level` ('' for the query itself), as
   * `JSON.parse` makes it from text: so `__proto__` is an own property, as it is in a query read from the wire.
   */
  function withKey(level: keyof typeof knows, key: string, value: string): Record<string, unknown> {
    const entities: Record<string, unknown> = { ...parentQuery(), request: {} };
    const members = Object.entries(entities).map(([name, attributes]) => {
      const inner = JSON.stringify(attributes).slice(1, -1);
      const added = name === level ? `"${key}": ${value}` : '';
      return `"${name}": {${[added, inner].filter(Boolean).join(', ')}}`;
    });
    if (level === '') members.unshift(`"${key}": ${value}`);
    return JSON.parse(`{${members.join(', ')}}`);
  }

  for (const key of keys) {
    for (const level of levels) {
      it(`refuses \`${key}\` as an unknown field ${level ? `of \`${level}\`` : 'of the query'}, and denies`, () => {
        const value =
          level === ''
            ? '{"requester": {"role": "law_enforcement"}, "polluted": true}'
            : '{"polluted": true}';
        const query = withKey(level, key, value);
        expect(Object.hasOwn(level ? (query[level] as object) : query, key)).toBe(true);
        const path = level ? `${level}.${key}` : key;
        const message = level
          ? `unknown field \`${path}\`: ${knows[level]}`
          : `unknown field \`${key}\`: a query has ${knows['']}`;
        expect(problems(query)).toStrictEqual([{ code: 'unknown-field', path, message }]);
      });
    }

    it(`refuses a value that is an object with \`${key}\` in it`, () => {
      const query = JSON.parse(
        `{"requester": {"id": "p-1", "role": {"${key}": "law_enforcement"}}, "record": {"subjectId": "p-2"}}`,
      );
      expect(problems(query)).toMatchObject([{ code: 'wrong-type', path: 'requester.role' }]);
    });
  }

  it('does not take entities from under a `__proto__` key', () => {
    const query = JSON.parse(
      '{"__proto__": {"requester": {"id": "p-1001", "role": "parent_or_guardian", "guardianOf": ["p-2002"]}, "record": {"subjectId": "p-2002", "subjectIsMinor": true}}}',
    );
    expect(problems(query)).toStrictEqual(
      byPath([
        {
          code: 'unknown-field',
          path: '__proto__',
          message: `unknown field \`__proto__\`: a query has ${knows['']}`,
        },
        missing('requester.id'),
        missing('requester.role'),
        missing('record.subjectId'),
      ]),
    );
  });

  it('does not read entities or attributes inherited from a prototype', () => {
    const inherited = Object.create(parentQuery());
    expect(problems(inherited)).toMatchObject([{ code: 'not-an-object', path: '' }]);
    const attributes = Object.create({ role: 'parent_or_guardian', guardianOf: ['p-2002'] });
    attributes.id = 'p-1001';
    expect(problems({ ...parentQuery(), requester: attributes })).toMatchObject([
      { code: 'not-an-object', path: 'requester' },
    ]);
  });
});

describe('objects that are not plain', () => {
  it('accepts objects with a null prototype, at every level', () => {
    const bare = (entries: Record<string, unknown>) => Object.assign(Object.create(null), entries);
    const query = bare({
      requester: bare({ id: 'p-1001', role: 'parent_or_guardian', guardianOf: ['p-2002'] }),
      record: bare({ subjectId: 'p-2002', subjectIsMinor: true }),
      request: bare({}),
    });
    expect(engine.validate(query)).toEqual([]);
    expect(engine.decide(query).decision).toBe('permit');
  });

  class Query {
    requester = { id: 'p-1001', role: 'parent_or_guardian', guardianOf: ['p-2002'] };
    record = { subjectId: 'p-2002', subjectIsMinor: true };
  }
  class Requester {
    id = 'p-1001';
    role = 'parent_or_guardian';
    guardianOf = ['p-2002'];
  }

  it.each([
    ['a class instance', new Query()],
    ['a Date', new Date(0)],
    ['a Map of the entities', new Map(Object.entries(parentQuery()))],
    ['a boxed string', new String('{}')],
  ])('refuses %s as the query', (_, query) => {
    expect(problems(query)).toMatchObject([{ code: 'not-an-object', path: '' }]);
  });

  it.each([
    ['a class instance', new Requester()],
    ['a Map of the attributes', new Map(Object.entries(parentQuery().requester ?? {}))],
    ['a Date', new Date(0)],
  ])('refuses %s as an entity', (_, requester) => {
    expect(problems({ ...parentQuery(), requester })).toMatchObject([
      { code: 'not-an-object', path: 'requester' },
    ]);
  });

  it.each([
    ['a boxed boolean', 'record', 'subjectIsMinor', new Boolean(true)],
    ['a boxed string', 'requester', 'id', new String('p-1001')],
    ['a Date', 'requester', 'id', new Date(0)],
    ['a Set', 'requester', 'guardianOf', new Set(['p-2002'])],
  ])('refuses %s as a value', (_, entity, attribute, value) => {
    const query: Record<string, Record<string, unknown>> = parentQuery();
    query[entity] = { ...query[entity], [attribute]: value };
    expect(problems(query)).toMatchObject([{ code: 'wrong-type', path: `${entity}.${attribute}` }]);
  });
});

describe('defaults', () => {
  it('fills in every attribute the query leaves out', () => {
    const read = engine.read(sampleQuery('reporter'));
    // Without a prototype: `'values' in read` finds its own field, never a polluted `Object.prototype.values`.
    expect(Object.getPrototypeOf(read)).toBe(null);
    expect({ ...read }).toStrictEqual({
      values: {
        'requester.id': 'r-7',
        'requester.role': 'reporter',
        'requester.guardianOf': [],
        'record.subjectId': 'p-mayor',
        'record.subjectIsMinor': false,
        'record.subjectIsStaff': false,
        'record.staffCardPrivileged': false,
        'request.purpose': 'disclosure',
        'request.legalProcess': 'none',
        'request.properForm': false,
        'request.goodCauseShown': false,
        'request.competentJurisdiction': false,
        'request.writtenConsent': false,
      },
    });
  });

  it('keeps the values the query gives', () => {
    expect(engine.read(sampleQuery('subpoena-without-good-cause'))).toMatchObject({
      values: {
        'requester.role': 'law_enforcement',
        'record.subjectIsMinor': false,
        'request.legalProcess': 'subpoena',
        'request.properForm': true,
        'request.goodCauseShown': false,
      },
    });
  });

  it('gives the errors, and no values, for an invalid query', () => {
    const read = engine.read({ requester: { id: 'r-7' } });
    expect(Object.getPrototypeOf(read)).toBe(null);
    expect({ ...read }).toStrictEqual({
      errors: [missing('requester.role'), missing('record.subjectId')],
    });
  });
});
