/**
 * The compiler's and the runtime's side of what a second author needed (see
 * packages/language/test/language-gaps.test.ts): bounds carried into the artifact and refused at the door, proofs
 * of which rule decides, and overlap notes a forbid can acknowledge.
 */
import { describe, expect, it } from 'vitest';
import { type CheckedPolicy, checkPolicy, type Diagnostic } from '../../language/src/index.js';
import { type Artifact, createEngine, querySchema, readArtifact } from '../../runtime/src/index.js';
import { analyze, compile, solverAttributes } from '../src/index.js';
import { memoryHost, rule, VOCABULARY } from './fixtures.js';

/** A library under Vermont law, 13 lines: the rules start on line 14. */
const LIBRARY = [
  'policy library "Patron Records"',
  '  default deny because vt',
  'entity requester',
  '  id: identifier',
  '  role: one of patron, parent, officer',
  '  childrenOf: set of identifier = []',
  'entity record',
  '  subjectId: identifier',
  '  subjectAge: integer 0..150 "The borrower\'s age, in years."',
  'entity request',
  '  fields: non-empty set of one of identity, borrowing_history',
  '  copies: integer 1..5',
  'authority vt "22 V.S.A. § 172"',
];

/** The rules, from line 14: a custodial parent, an officer's emergency, and a guard on borrowing history. */
const RULES = [
  'permit own-record',
  '  when requester.id is record.subjectId',
  '  because vt',
  '  says "o"',
  'permit custodial-parent',
  '  when requester.role is parent and record.subjectId in requester.childrenOf and record.subjectAge < 16',
  '  because vt',
  '  says "c"',
  'permit emergency-identity',
  '  when requester.role is officer and request.fields within [identity]',
  '  because vt',
  '  says "e"',
  'forbid history-guard',
  '  when borrowing_history in request.fields and not (requester.id is record.subjectId)',
  '  because vt',
  '  says "g"',
];

function build(lines: readonly string[]): { checked: CheckedPolicy; artifact: Artifact } {
  const text = lines.join('\n');
  const checked = checkPolicy('library.policy', memoryHost({ 'library.policy': text }));
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { checked: checked.value, artifact: compile(checked.value).value as Artifact };
}

function analysis(lines: readonly string[]) {
  const { checked, artifact } = build(lines);
  return { ...analyze(checked, solverAttributes(artifact.vocabulary)), artifact };
}

/** A diagnostic of the analysis as a test compares it. */
const shown = (d: Diagnostic) => ({
  at: `${d.span?.start.line}:${d.span?.start.column}`,
  code: d.code,
  severity: d.severity,
  message: d.message,
  help: d.help,
  ...(d.fix
    ? {
        fix: {
          title: d.fix.title,
          edits: d.fix.edits.map(
            (e) =>
              `${e.span.start.line}:${e.span.start.column}-${e.span.end.line}:${e.span.end.column} ${JSON.stringify(e.newText)}`,
          ),
        },
      }
    : {}),
  ...(d.related
    ? { related: d.related.map((r) => `${r.span.start.line}:${r.span.start.column} ${r.message}`) }
    : {}),
});

const ownRecord = {
  requester: { id: 'p-1', role: 'patron' },
  record: { subjectId: 'p-1', subjectAge: 30 },
  request: { fields: ['identity'], copies: 1 },
};

describe('bounds', () => {
  it('are carried by the artifact', () => {
    const { artifact } = build([...LIBRARY, ...RULES]);
    const types = artifact.vocabulary.flatMap((e) =>
      e.attributes.map((a) => [`${e.name}.${a.name}`, a.type]),
    );
    expect(Object.fromEntries(types)).toMatchObject({
      'record.subjectAge': { kind: 'integer', min: 0, max: 150 },
      'request.fields': { kind: 'set', element: { kind: 'enum' }, nonEmpty: true },
      'request.copies': { kind: 'integer', min: 1, max: 5 },
    });
    expect(artifact.format).toBe('tenet-artifact/5');
  });

  it('refuse, as an invalid query, an age of -3 or 151 and an empty set, where the query is otherwise permitted', () => {
    const { artifact } = build([...LIBRARY, ...RULES]);
    for (const codegen of [true, false]) {
      const engine = createEngine(artifact, { codegen });
      expect(engine.decide(ownRecord).decision).toBe('permit');
      expect(engine.decide({ ...ownRecord, record: { subjectId: 'p-1', subjectAge: 150 } }).errors).toEqual(
        [],
      );
      for (const [query, error] of [
        [
          { ...ownRecord, record: { subjectId: 'p-1', subjectAge: -3 } },
          {
            code: 'out-of-range',
            path: 'record.subjectAge',
            message: '`record.subjectAge` must be an integer from 0 to 150',
            min: 0,
            max: 150,
          },
        ],
        [
          { ...ownRecord, record: { subjectId: 'p-1', subjectAge: 151 } },
          {
            code: 'out-of-range',
            path: 'record.subjectAge',
            message: '`record.subjectAge` must be an integer from 0 to 150',
            min: 0,
            max: 150,
          },
        ],
        [
          { ...ownRecord, request: { fields: [], copies: 1 } },
          {
            code: 'empty-set',
            path: 'request.fields',
            message: '`request.fields` must hold at least one member',
          },
        ],
      ] as const) {
        const decision = engine.decide(query);
        expect([codegen, decision.decision, decision.errors]).toEqual([codegen, 'deny', [error]]);
        expect(engine.validate(query)).toEqual([error]);
      }
    }
  });

  it('are checked when an artifact is read: bounds that are no integers, or out of order, and a default beyond them', () => {
    const { artifact } = build([...LIBRARY, ...RULES, 'entity loan', '  days: integer 1..30 = 14']);
    /** The artifact with the type of attribute `a` of entity `e` replaced, and the default `value` if given. */
    const spoiled = (e: number, a: number, type: object, value?: unknown) => {
      const copy = structuredClone(artifact) as unknown as {
        vocabulary: { attributes: Record<string, unknown>[] }[];
      };
      const attribute = copy.vocabulary[e]?.attributes[a] as Record<string, unknown>;
      attribute.type = type;
      if (value !== undefined) attribute.default = value;
      return readArtifact(copy);
    };
    expect(spoiled(1, 1, { kind: 'integer', min: 0.5 })).toEqual({
      problems: ['`vocabulary[1].attributes[1].type.min` is a safe integer'],
    });
    expect(spoiled(1, 1, { kind: 'integer', min: 9, max: 1 })).toEqual({
      problems: ['`vocabulary[1].attributes[1].type` has no integer between its bounds'],
    });
    expect(spoiled(2, 0, { kind: 'set', element: { kind: 'identifier' }, nonEmpty: false })).toEqual({
      problems: ['`vocabulary[2].attributes[0].type.nonEmpty` is true where present'],
    });
    expect(spoiled(3, 0, { kind: 'integer', min: 1, max: 30 }, 31)).toEqual({
      problems: ['`vocabulary[3].attributes[0].default` is not a value of the attribute’s type'],
    });
  });

  it('keep advice to values a query may give', () => {
    const { artifact } = build([
      ...LIBRARY,
      ...RULES,
      'entity loan',
      '  days: integer 1..30 = 14',
      '  renewed: boolean = false',
      'permit short-or-renewed',
      '  when loan.days < 1 or loan.renewed',
      '  because vt',
      '  says "s"',
    ]);
    const query = { ...ownRecord, requester: { id: 'p-2', role: 'patron' } };
    const changes = createEngine(artifact)
      .counterfactuals(query)
      .found.map((c) => c.changes.map((change) => `${change.path} ${String(change.to)}`));
    // `loan.days` of 0 would permit too, but no query may give it.
    expect(changes).toEqual([['loan.renewed true']]);
  });

  it('are in the query schema', () => {
    const { artifact } = build([...LIBRARY, ...RULES]);
    const schema = querySchema(artifact);
    expect(schema.properties?.record?.properties?.subjectAge).toEqual({
      description: "The borrower's age, in years.",
      type: 'integer',
      minimum: 0,
      maximum: 150,
    });
    expect(schema.properties?.request?.properties?.fields).toMatchObject({ type: 'array', minItems: 1 });
  });

  it('are known to the analysis: a test beyond them never holds, and counterexamples keep within them', () => {
    const { diagnostics, assertions, artifact } = analysis([
      ...LIBRARY,
      ...RULES,
      'forbid ageless',
      '  when record.subjectAge > 150',
      '  because vt',
      '  says "a"',
      'assert no-negative-ages',
      '  never permit when record.subjectAge < 0',
      '  because vt',
      'assert parents-see-more',
      '  never permit when requester.role is parent',
      '  because vt',
    ]);
    expect(diagnostics.map((d) => `${d.code} ${d.span?.start.line}:${d.span?.start.column}`)).toContain(
      'rule-never-applies 30:8',
    );
    expect(assertions.map((a) => [a.id, a.status])).toEqual([
      ['no-negative-ages', 'proved'],
      ['parents-see-more', 'false'],
    ]);
    // The copies asked for, which no condition tests, are within their bounds; so is the set that must not be empty.
    const counterexample = assertions[1]?.counterexample;
    expect(counterexample?.request).toEqual({ fields: ['identity'], copies: 1 });
    const decision = createEngine(artifact).decide(counterexample);
    expect([decision.decision, decision.errors]).toEqual(['permit', []]);
  });
});

describe('a claim of the rule that decides', () => {
  it('is proved when the rule never decides so where the claim says', () => {
    const { assertions } = analysis([
      ...LIBRARY,
      ...RULES,
      'assert emergencies-are-identity-only',
      '  never permit by emergency-identity when borrowing_history in request.fields',
      '  because vt',
      'assert the-guard-decides',
      '  always deny by history-guard when borrowing_history in request.fields and not (requester.id is record.subjectId)',
      '  because vt',
    ]);
    expect(assertions.map((a) => [a.id, a.status, a.claim])).toEqual([
      [
        'emergencies-are-identity-only',
        'proved',
        'never permit by emergency-identity when borrowing_history in request.fields',
      ],
      [
        'the-guard-decides',
        'proved',
        'always deny by history-guard when borrowing_history in request.fields and not requester.id is record.subjectId',
      ],
    ]);
  });

  it('is refuted with a query on which the rule is not among those that decide', () => {
    const { assertions, artifact } = analysis([
      ...LIBRARY,
      ...RULES,
      'assert parents-always',
      '  always permit by custodial-parent when requester.role is parent and record.subjectId in requester.childrenOf',
      '  because vt',
      'assert officers-never',
      '  never permit by emergency-identity',
      '  because vt',
    ]);
    expect(assertions.map((a) => [a.id, a.status])).toEqual([
      ['parents-always', 'false'],
      ['officers-never', 'false'],
    ]);
    const engine = createEngine(artifact);
    const [parents, officers] = assertions.map((a) => engine.decide(a.counterexample));
    expect(parents?.errors).toEqual([]);
    expect(parents?.reasons.map((r) => r.rule)).not.toContain('custodial-parent');
    expect([officers?.decision, officers?.reasons.map((r) => r.rule)]).toEqual([
      'permit',
      ['emergency-identity'],
    ]);
  });
});

describe('the overlap of a forbid with the permits it wins over', () => {
  it('is one note at the forbid, naming every permit, with a query in the vocabulary’s words and the fix', () => {
    const lines = [
      'policy p "P"',
      '  default deny because law',
      ...VOCABULARY,
      ...rule('permit', 'staff', 'user.role is staff'),
      ...rule('permit', 'officers', 'user.role is officer'),
      ...rule('permit', 'cleared', 'user.cleared'),
      ...rule('permit', 'elders', 'user.age > 60'),
      ...rule('permit', 'public', 'public in record.tags'),
      ...rule('forbid', 'no-minors', 'user.minor'),
    ];
    const notes = analysis(lines).diagnostics.filter((d) => d.code === 'rules-overlap');
    expect(notes.map(shown)).toEqual([
      {
        at: '34:8',
        code: 'rules-overlap',
        severity: 'info',
        message:
          'forbid `no-minors` overrides permits `staff`, `officers`, `cleared`, `elders` and `public` where they apply ' +
          'too, such as where `user.role is staff` and `user.minor` (with `staff`)',
        help: 'if that is intended, say so with `overrides staff, officers, cleared, elders, public` on the forbid; if not, narrow one of the rules',
        fix: {
          title: 'add `overrides staff, officers, cleared, elders, public` to `no-minors`',
          edits: ['37:20-37:20 "\\n  overrides staff, officers, cleared, elders, public"'],
        },
        related: [
          '14:8 permit `staff`',
          '18:8 permit `officers`',
          '22:8 permit `cleared`',
          '26:8 permit `elders`',
          '30:8 permit `public`',
        ],
      },
    ]);
    // The fix applied, the note goes; a permit named that the forbid never meets is warned of.
    const acknowledged = [...lines, '  overrides staff, officers, cleared, elders, public'];
    expect(analysis(acknowledged).diagnostics.filter((d) => d.code === 'rules-overlap')).toEqual([]);
    const stray = [
      ...lines.slice(0, -4),
      ...rule('forbid', 'no-minors', 'user.minor and user.role is patron'),
    ];
    expect(analysis([...stray, '  overrides staff, cleared, elders, public']).diagnostics.map(shown)).toEqual(
      [
        {
          at: '38:13',
          code: 'override-unused',
          severity: 'warning',
          message: 'forbid `no-minors` overrides `staff`, but the two never apply to the same query',
          help: 'remove it from `overrides`, or correct the condition of one of them',
        },
      ],
    );
  });

  it('names only the permits its `overrides` leaves out, and its fix adds them to the list', () => {
    const { diagnostics } = analysis([
      ...LIBRARY,
      ...RULES.slice(0, -1),
      '  says "g"',
      '  overrides own-record',
    ]);
    expect(diagnostics.map(shown)).toEqual([
      {
        at: '30:13',
        code: 'override-unused',
        severity: 'warning',
        message: 'forbid `history-guard` overrides `own-record`, but the two never apply to the same query',
        help: 'remove it from `overrides`, or correct the condition of one of them',
      },
      {
        at: '26:8',
        code: 'rules-overlap',
        severity: 'info',
        message:
          'forbid `history-guard` overrides permit `custodial-parent` where both apply, such as where ' +
          '`requester.role is parent` and `record.subjectId in requester.childrenOf` and ' +
          '`record.subjectId is not requester.id` and `"borrowing_history" in request.fields` and ' +
          '`record.subjectAge < 16`',
        help: 'if that is intended, say so with `overrides custodial-parent` on the forbid; if not, narrow one of the rules',
        fix: {
          title: 'add `overrides custodial-parent` to `history-guard`',
          edits: ['30:23-30:23 ", custodial-parent"'],
        },
        related: ['18:8 permit `custodial-parent`'],
      },
    ]);
  });
});
