import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPolicy } from '../../../test/helpers/random-policies.js';
import type { AttributeType, Engine, EntitySpec } from '../src/index.js';
import { type JsonSchema, querySchema, queryTypes } from '../src/schema.js';
import { wethersfield } from './wethersfield.js';

const engine = wethersfield();
const schema = querySchema(engine.artifact);

/** A policy with a value of every type, an entity every attribute of which has a default, and names to quote. */
const small = buildPolicy(`policy small-test "A small policy"
  default deny because law

entity user "Who asks."
  id: identifier
  role: one of a, b, c
  level: integer = 0 "How senior the user is."
  tags: set of identifier = []
  kinds: set of one of x, y, z = []

entity case-file
  opened-on: integer = 0
  sealed: boolean = false

authority law "The Law"
  quote "Be fair."
`);

// ------------------------------------------------------------------------------------------------------------
// A validator for exactly the keywords `querySchema` writes, as JSON Schema 2020-12 defines them
// ------------------------------------------------------------------------------------------------------------

const ANNOTATIONS = new Set(['$schema', 'title', 'description', '$comment', 'default']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `value` is of JSON Schema type `type`. */
function ofType(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
  }
}

/**
 * Whether `schema` accepts the JSON value `value`. A keyword it does not know is a failure of the test, not a
 * pass: the schema must say nothing this validator would ignore. Lengths count characters (code points), as the
 * specification does.
 */
function accepts(schema: JsonSchema, value: unknown): boolean {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !VALIDATORS.has(keyword)) {
      throw new Error(`the test's validator does not know the keyword \`${keyword}\``);
    }
  }
  return [...VALIDATORS.values()].every((check) => check(schema, value));
}

const VALIDATORS = new Map<string, (schema: JsonSchema, value: unknown) => boolean>([
  ['type', (s, v) => s.type === undefined || ofType(v, s.type)],
  ['enum', (s, v) => s.enum === undefined || s.enum.some((allowed) => allowed === v)],
  ['minLength', (s, v) => typeof v !== 'string' || [...v].length >= (s.minLength ?? 0)],
  ['maxLength', (s, v) => typeof v !== 'string' || [...v].length <= (s.maxLength ?? Infinity)],
  ['minimum', (s, v) => typeof v !== 'number' || v >= (s.minimum ?? -Infinity)],
  ['maximum', (s, v) => typeof v !== 'number' || v <= (s.maximum ?? Infinity)],
  ['maxItems', (s, v) => !Array.isArray(v) || v.length <= (s.maxItems ?? Infinity)],
  [
    'items',
    (s, v) => !Array.isArray(v) || s.items === undefined || v.every((m) => accepts(s.items ?? {}, m)),
  ],
  ['required', (s, v) => !isObject(v) || (s.required ?? []).every((k) => Object.hasOwn(v, k))],
  [
    'properties',
    (s, v) =>
      !isObject(v) ||
      Object.keys(v).every(
        (k) => !s.properties || !Object.hasOwn(s.properties, k) || accepts(s.properties[k] ?? {}, v[k]),
      ),
  ],
  [
    'additionalProperties',
    (s, v) =>
      !isObject(v) ||
      s.additionalProperties !== false ||
      Object.keys(v).every((k) => s.properties !== undefined && Object.hasOwn(s.properties, k)),
  ],
]);

// ------------------------------------------------------------------------------------------------------------
// Random queries of a vocabulary, valid and not
// ------------------------------------------------------------------------------------------------------------

/** Printable ASCII strings: identifiers, but for the empty one. */
const ascii = (min: number) => fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{${min},6}$`));

/**
 * JSON values of every type, as a wrong value. Their strings are printable ASCII, so the only identifiers they
 * are not are empty (see `leaves to the runtime what it cannot say`).
 */
const anyJson: fc.Arbitrary<unknown> = (() => {
  const scalar = fc.oneof(fc.constantFrom(null, true, false, 0, -1, 1.5, 1e300), fc.integer(), ascii(0));
  return fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), scalar, { maxKeys: 3 }),
  );
})();

/** How often a value, a field or a key is wrong: rarely, so that most queries have one mistake or none. */
const OFTEN = 30;
const RARELY = 1;

/** Values of `type` the runtime accepts, limits reached among them. */
function allowed(type: AttributeType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.oneof(
        fc.integer({ min: -5, max: 5 }),
        fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
      );
    case 'identifier':
      return fc.oneof(
        ascii(1),
        fc.constantFrom('p-1001', 'p-2002', 'é', '中文', 'ß-7', 'a'.repeat(1024), 'é'.repeat(1024)),
      );
    case 'enum':
      return fc.constantFrom(...type.values);
    case 'set': {
      // Members repeat: the runtime takes a set with a member twice as it is, and so must the schema.
      const member = allowed(type.element);
      return fc.oneof(
        { weight: OFTEN, arbitrary: fc.array(member, { maxLength: 3 }) },
        { weight: RARELY, arbitrary: member.map((m) => new Array(1000).fill(m)) },
      );
    }
  }
}

/** Values of `type` the runtime refuses: just past a limit, or just not a value it has. */
function nearMiss(type: AttributeType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'boolean':
      return fc.constantFrom('true', 0, null);
    case 'integer':
      return fc.constantFrom(Number.MAX_SAFE_INTEGER + 1, Number.MIN_SAFE_INTEGER - 1, 2.5, '1');
    case 'identifier':
      return fc.constantFrom('', 'a'.repeat(1025), 'é'.repeat(1025), 7);
    case 'enum':
      return fc.constantFrom(...type.values.map((v) => `${v}s`), 'Other', '');
    case 'set':
      return fc.oneof(
        allowed(type.element).map((m) => new Array(1001).fill(m)),
        fc
          .tuple(fc.array(allowed(type.element), { maxLength: 2 }), nearMiss(type.element))
          .map(([members, miss]) => [...members, miss]),
        allowed(type.element),
      );
  }
}

/** A value of `type`, mostly one it allows; now and then a near miss or any JSON at all. */
const someValue = (type: AttributeType) =>
  fc.oneof(
    { weight: OFTEN, arbitrary: allowed(type) },
    { weight: RARELY, arbitrary: fc.oneof(nearMiss(type), anyJson) },
  );

/** Keys no vocabulary here has: misspellings, JavaScript's own names. */
const unknownKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'extra', 'requestor', 'ID');

/**
 * An object of `fields`, each now and then left out, and now and then a key it does not have. Every key is its
 * own property (`__proto__` too): `Object.fromEntries` defines them.
 */
function objectArb(fields: [string, fc.Arbitrary<unknown>][]): fc.Arbitrary<unknown> {
  const field = (arb: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: OFTEN, arbitrary: arb }, { weight: RARELY, arbitrary: fc.constant(undefined) });
  const extras = fc.oneof(
    { weight: OFTEN, arbitrary: fc.constant([]) },
    { weight: RARELY, arbitrary: fc.tuple(unknownKey, anyJson).map((extra) => [extra]) },
  );
  return fc
    .tuple(fc.tuple(...fields.map(([, arb]) => field(arb))), extras)
    .map(([values, extra]) =>
      Object.fromEntries(
        [...fields.map(([name], i) => [name, values[i]]), ...extra].filter(([, v]) => v !== undefined),
      ),
    );
}

/** Queries of `vocabulary`, valid and not, as JSON texts make them. */
function queryArb(vocabulary: readonly EntitySpec[]): fc.Arbitrary<unknown> {
  const entity = (e: EntitySpec) =>
    fc.oneof(
      { weight: OFTEN, arbitrary: objectArb(e.attributes.map((a) => [a.name, someValue(a.type)])) },
      { weight: RARELY, arbitrary: anyJson },
    );
  return fc
    .oneof(
      { weight: OFTEN, arbitrary: objectArb(vocabulary.map((e) => [e.name, entity(e)])) },
      { weight: RARELY, arbitrary: anyJson },
    )
    .map((query) => JSON.parse(JSON.stringify(query)));
}

/** Holds the schema to the runtime on random queries: it accepts exactly those the engine decides without errors. */
function agreesWithTheRuntime(policy: Engine): void {
  const policySchema = querySchema(policy.artifact);
  const seen = { accepted: 0, refused: 0 };
  fc.assert(
    fc.property(queryArb(policy.artifact.vocabulary), (query) => {
      const valid = policy.decide(query).errors.length === 0;
      seen[valid ? 'accepted' : 'refused']++;
      expect(accepts(policySchema, query)).toBe(valid);
    }),
    { numRuns: 2000 },
  );
  // Both kinds of query were tried, often enough to mean something.
  expect(seen.accepted).toBeGreaterThan(200);
  expect(seen.refused).toBeGreaterThan(200);
}

// ------------------------------------------------------------------------------------------------------------

describe('querySchema', () => {
  it('names the policy and requires the entities that hold a required attribute', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('Confidentiality of Records Policy: a query');
    expect(schema.description).toBe(
      'A query of “Confidentiality of Records Policy” (Wethersfield Library, version 2014-04-22).',
    );
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties ?? {})).toEqual(['requester', 'record', 'request']);
    expect(schema.required).toEqual(['requester', 'record']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.hasOwn(schema, '$id')).toBe(false);
  });

  it('describes the requester exactly: an identifier, an enumeration and a set with its default', () => {
    const identifier = {
      $comment:
        'an identifier: no whitespace, control or invisible character, in Unicode form NFC, at most 1024 UTF-16 code units; the runtime checks what a schema cannot',
      type: 'string',
      minLength: 1,
      maxLength: 1024,
    };
    expect(schema.properties?.requester).toEqual({
      description: "The person asking to see or use a borrower's record.",
      type: 'object',
      properties: {
        id: {
          title: 'The requester',
          description: 'Who is asking: a library card number or another identifier.',
          ...identifier,
        },
        role: {
          title: 'Who is asking',
          description: 'In what capacity the requester asks.',
          type: 'string',
          enum: [
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
          ],
        },
        guardianOf: {
          title: "The minors the Library has on record as the requester's children or wards",
          description: 'The minors this requester is on record as parent or legal guardian of.',
          type: 'array',
          items: identifier,
          maxItems: 1000,
          default: [],
        },
      },
      required: ['id', 'role'],
      additionalProperties: false,
    });
  });

  it('gives an entity whose attributes all have defaults a default of its own, and requires nothing of it', () => {
    const request = schema.properties?.request;
    expect(request?.required).toBeUndefined();
    expect(request?.default).toEqual({});
    expect(Object.keys(request?.properties ?? {})).toEqual([
      'purpose',
      'legalProcess',
      'properForm',
      'goodCauseShown',
      'competentJurisdiction',
      'writtenConsent',
    ]);
    expect(request?.properties?.legalProcess).toEqual({
      title: 'The legal process served',
      description: 'The subpoena, court order, warrant or other legal process served, if any.',
      type: 'string',
      enum: ['none', 'subpoena', 'court_order', 'warrant', 'other_process'],
      default: 'none',
    });
    expect(request?.properties?.properForm).toEqual({
      title: 'The process is in proper form',
      description: 'The legal process is in proper form.',
      type: 'boolean',
      default: false,
    });
    expect(schema.properties?.record?.required).toEqual(['subjectId']);
  });

  it('bounds integers to the safe range and writes sets of enumeration values', () => {
    const user = querySchema(small.artifact).properties?.user?.properties;
    expect(user?.level).toEqual({
      description: 'How senior the user is.',
      type: 'integer',
      minimum: -9007199254740991,
      maximum: 9007199254740991,
      default: 0,
    });
    expect(user?.kinds).toEqual({
      type: 'array',
      items: { type: 'string', enum: ['x', 'y', 'z'] },
      maxItems: 1000,
      default: [],
    });
    expect(querySchema(small.artifact).required).toEqual(['user']);
  });

  it('is the same every time, and shares nothing with the artifact', () => {
    const again = querySchema(engine.artifact);
    expect(JSON.stringify(again)).toBe(JSON.stringify(schema));
    const requester = again.properties?.requester?.properties ?? {};
    requester.role?.enum?.push('intruder');
    (requester.guardianOf?.default as string[] | undefined)?.push('p-1');
    expect(requester.role?.enum).toContain('intruder');
    expect(querySchema(engine.artifact)).toEqual(schema);
  });

  it('accepts a query exactly when the runtime decides it without errors (Wethersfield)', () => {
    agreesWithTheRuntime(engine);
  });

  it('accepts a query exactly when the runtime decides it without errors (every type)', () => {
    agreesWithTheRuntime(small.engine);
  });

  it('leaves to the runtime what it cannot say: the identifier rule, and lengths in UTF-16 code units', () => {
    const query = (id: string) => ({ requester: { id, role: 'patron' }, record: { subjectId: 'p-1' } });
    for (const id of ['p 1001', 'p\u200b1001', 'e\u0301', '😀'.repeat(513)]) {
      expect(accepts(schema, query(id))).toBe(true);
      expect(engine.decide(query(id)).errors.map((e) => e.code)).toEqual([
        id.startsWith('😀') ? 'too-large' : 'invalid-identifier',
      ]);
    }
  });
});

// ------------------------------------------------------------------------------------------------------------

describe('queryTypes', () => {
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'tenet-schema-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** The diagnostics of compiling `files` (name → text) in `folder`, strictly, one line each. */
  function compileErrors(files: Record<string, string>): string[] {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
    const program = ts.createProgram(
      Object.keys(files).map((name) => path.join(folder, name)),
      {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        types: [],
      },
    );
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const where =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const at = where ? `${path.basename(d.file?.fileName ?? '')}:${where.line + 1}: ` : '';
      return `${at}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  }

  /** A valid Wethersfield query, written as an app would. */
  const valid = {
    requester: { id: 'p-1001', role: 'parent_or_guardian', guardianOf: ['p-2002'] },
    record: { subjectId: 'p-2002', subjectIsMinor: true },
    request: { purpose: 'disclosure', legalProcess: 'none' },
  };

  it('types a valid query, and refuses what the runtime refuses', () => {
    expect(engine.decide(valid).errors).toEqual([]);
    const usage = [
      "import type { WethersfieldConfidentialityQuery as Query } from './query.js';",
      '',
      `export const valid: Query = ${JSON.stringify(valid)};`,
      "export const least: Query = { requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } };",
      '// @ts-expect-error: no such role',
      "export const role: Query = { requester: { id: 'p-1', role: 'librarian' }, record: { subjectId: 'p-1' } };",
      '// @ts-expect-error: the record is required',
      "export const record: Query = { requester: { id: 'p-1', role: 'patron' } };",
      '// @ts-expect-error: no such field',
      "export const extra: Query = { requester: { id: 'p-1', role: 'patron', name: 'x' }, record: { subjectId: 'p-1' } };",
      '// @ts-expect-error: a boolean, not a string',
      "export const flag: Query = { ...least, record: { subjectId: 'p-1', subjectIsMinor: 'yes' } };",
      '// @ts-expect-error: a set is read-only',
      "valid.requester.guardianOf?.push('p-3');",
      '',
    ].join('\n');
    expect(compileErrors({ 'query.ts': queryTypes(engine.artifact), 'usage.ts': usage })).toEqual([]);
  });

  it('writes an interface for the query and one for each entity, with the descriptions as JSDoc', () => {
    const text = queryTypes(engine.artifact);
    expect(
      text.startsWith(`/**
 * A query of “Confidentiality of Records Policy” (Wethersfield Library, version 2014-04-22).
 *
 * Generated from its vocabulary by \`tenet schema --format ts\`.
 */
export interface WethersfieldConfidentialityQuery {
  /** The person asking to see or use a borrower's record. */
  requester: WethersfieldConfidentialityRequester;
  /** The library record asked about, and the borrower it identifies. */
  record: WethersfieldConfidentialityRecord;
  /** What the record is wanted for, and any legal process served with the request. */
  request?: WethersfieldConfidentialityRequest;
}

/** The person asking to see or use a borrower's record. */
export interface WethersfieldConfidentialityRequester {
  /** Who is asking: a library card number or another identifier. */
  id: string;
  /**
   * In what capacity the requester asks.
   *
   * - \`patron\`: a patron
`),
    ).toBe(true);
    expect(text).toContain(`   * - \`other\`: someone else
   */
  role:
    | "patron"
    | "family_member"
`);
    expect(text).toContain(`  /**
   * The subpoena, court order, warrant or other legal process served, if any.
   *
   * - \`none\`: no legal process
   * - \`subpoena\`: a subpoena
   * - \`court_order\`: a court order
   * - \`warrant\`: a search warrant
   * - \`other_process\`: other legal process
   *
   * @defaultValue \`"none"\`
   */
  legalProcess?: "none" | "subpoena" | "court_order" | "warrant" | "other_process";
`);
    expect(text).toContain(`  /**
   * The minors this requester is on record as parent or legal guardian of.
   *
   * @defaultValue \`[]\`
   */
  guardianOf?: readonly string[];
`);
    expect(queryTypes(engine.artifact)).toBe(text);
  });

  it('quotes names that are not identifiers, and writes sets of enumeration values', () => {
    const text = queryTypes(small.artifact);
    expect(text).toContain(`export interface SmallTestQuery {
  /** Who asks. */
  user: SmallTestUser;
  "case-file"?: SmallTestCaseFile;
}
`);
    expect(text).toContain(`export interface SmallTestCaseFile {
  /** @defaultValue \`0\` */
  "opened-on"?: number;
`);
    expect(text).toContain(`  kinds?: readonly ("x" | "y" | "z")[];\n`);
    expect(compileErrors({ 'small.ts': text })).toEqual([]);
  });
});
