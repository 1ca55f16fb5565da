/**
 * What a second author hit, writing a policy from the docs alone (a library under Vermont and Illinois law: the
 * custodial parents of patrons under 16, a sworn officer's emergency request for identity only, fields asked for
 * as a set): diagnostics that said the wrong thing, bounds on attributes, claims about which rule decides, and
 * overlaps a forbid is meant to have.
 */
import { describe, expect, it } from 'vitest';
import {
  checkPolicy,
  type Diagnostic,
  type Fix,
  parse,
  type SourceSpan,
  showType,
  sortDiagnostics,
} from '../src/index.js';

/** The vocabulary, 12 lines: what a case adds starts on line 13. */
const VOCABULARY = [
  'policy library "Patron Records"',
  '  default deny because vt',
  'entity requester',
  '  id: identifier',
  '  role: one of patron, parent, officer',
  '  childrenOf: set of identifier = []',
  'entity record',
  '  subjectId: identifier',
  '  subjectAge: integer 0..150 = 0 "The borrower\'s age, in years."',
  'entity request',
  '  fields: non-empty set of one of identity, borrowing_history = [identity]',
  'authority vt "22 V.S.A. § 172"',
];

const at = (span: SourceSpan) => `${span.start.line}:${span.start.column}`;
const range = (span: SourceSpan) => `${at(span)}-${span.end.line}:${span.end.column}`;

/** A diagnostic as a test compares it: position, code, severity, message, help and fix, edits by their range. */
function shown(d: Diagnostic) {
  const fix = (f: Fix) => ({
    title: f.title,
    edits: f.edits.map((e) => `${range(e.span)} ${JSON.stringify(e.newText)}`),
  });
  return {
    at: d.span ? at(d.span) : '-',
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.help ? { help: d.help } : {}),
    ...(d.fix ? { fix: fix(d.fix) } : {}),
  };
}

function checked(...lines: string[]) {
  const text = [...VOCABULARY, ...lines].join('\n');
  return checkPolicy('library.policy', { read: () => text, resolve: (_, path) => path });
}

/** Every diagnostic of the vocabulary and `lines`, in source order. */
function diagnose(...lines: string[]) {
  return sortDiagnostics(checked(...lines).diagnostics).map(shown);
}

/** A permit on line 13 whose condition, on line 14, starts at column 8. */
const permitWhen = (condition: string) => ['permit p', `  when ${condition}`, '  because vt', '  says "p"'];

describe('the vocabulary', () => {
  it('checks clean', () => {
    expect(diagnose()).toEqual([]);
  });
});

describe('an attribute in a set written out', () => {
  it('is said to be an attribute, with the comparison meant as the fix, in one diagnostic', () => {
    expect(diagnose(...permitWhen('requester.id in [record.subjectId]'))).toEqual([
      {
        at: '14:25',
        code: 'type-mismatch',
        severity: 'error',
        message: '`record.subjectId` is an attribute, and a set written out holds values only',
        help: 'write `requester.id is record.subjectId`',
        fix: {
          title: 'write `requester.id is record.subjectId`',
          edits: ['14:8-14:42 "requester.id is record.subjectId"'],
        },
      },
    ]);
  });

  it('is said to be an attribute in `within`, with membership as the fix where the set is on the left', () => {
    expect(diagnose(...permitWhen('[record.subjectId] within requester.childrenOf'))).toEqual([
      {
        at: '14:9',
        code: 'type-mismatch',
        severity: 'error',
        message: '`record.subjectId` is an attribute, and a set written out holds values only',
        help: 'write `record.subjectId in requester.childrenOf`',
        fix: {
          title: 'write `record.subjectId in requester.childrenOf`',
          edits: ['14:8-14:54 "record.subjectId in requester.childrenOf"'],
        },
      },
    ]);
    expect(diagnose(...permitWhen('requester.childrenOf within [record.subjectId]'))).toEqual([
      {
        at: '14:37',
        code: 'type-mismatch',
        severity: 'error',
        message: '`record.subjectId` is an attribute, and a set written out holds values only',
        help: 'to test that `requester.childrenOf` holds it, write `record.subjectId in requester.childrenOf`',
      },
    ]);
  });

  it('is not read as an identifier written without quotes, and is parsed without a syntax error', () => {
    const file = parse(`permit p\n  when requester.id within [record.subjectId]`, 'p.policy');
    expect(file.diagnostics).toEqual([]);
    expect(diagnose(...permitWhen('requester.id within [record.subjectId]'))).toEqual([
      {
        at: '14:29',
        code: 'type-mismatch',
        severity: 'error',
        message: '`record.subjectId` is an attribute, and a set written out holds values only',
        help: 'to compare the two, write `requester.id is record.subjectId`',
      },
    ]);
  });

  it('is reported as an unknown attribute, and nothing more, when it names none', () => {
    expect(diagnose(...permitWhen('requester.id in [record.subject]'))).toMatchObject([
      { at: '14:32', code: 'unknown-attribute', message: 'unknown attribute of `record`: `subject`' },
    ]);
  });

  it('in a default is said to be no value', () => {
    expect(diagnose('entity e', '  ids: set of identifier = [record.subjectId]')).toEqual([
      {
        at: '14:29',
        code: 'invalid-default',
        severity: 'error',
        message: 'each of the default of `e.ids` must be identifier, not `record.subjectId`',
        help: 'a value is written out here: an attribute cannot stand for one',
      },
    ]);
  });
});

describe('a set tested with `in`', () => {
  it('is reported once, with `within` as the fix and membership as the other reading', () => {
    expect(diagnose(...permitWhen('request.fields in [identity, borrowing_history]'))).toEqual([
      {
        at: '14:8',
        code: 'type-mismatch',
        severity: 'error',
        message:
          '`request.fields` (non-empty set of one of identity, borrowing_history) is a set: test a set with `within`, not `in`',
        help:
          '`request.fields within [identity, borrowing_history]` holds when it holds nothing else; to test that it ' +
          'holds one of them, write `identity in request.fields or borrowing_history in request.fields`',
        fix: { title: 'use `within`', edits: ['14:22-14:26 " within "'] },
      },
    ]);
  });

  it('still reports a value the set cannot hold', () => {
    expect(
      diagnose(...permitWhen('request.fields in [identity, borrowng_history]')).map((d) => d.code),
    ).toEqual(['type-mismatch', 'unknown-value']);
  });

  it('is reported once when the right side is a set attribute too', () => {
    expect(diagnose(...permitWhen('requester.childrenOf not in requester.childrenOf'))).toEqual([
      {
        at: '14:8',
        code: 'type-mismatch',
        severity: 'error',
        message: '`requester.childrenOf` (set of identifier) is a set: test a set with `within`, not `in`',
        help: '`requester.childrenOf within requester.childrenOf` holds when it holds nothing else',
      },
    ]);
  });
});

describe('a number written as a string', () => {
  it('is called a string, with the integer as the fix, in a comparison', () => {
    expect(diagnose(...permitWhen('record.subjectAge < "16"'))).toEqual([
      {
        at: '14:28',
        code: 'type-mismatch',
        severity: 'error',
        message: '`"16"` (a string) is not an integer: `<` compares integers',
        help: 'an integer is written without quotes: `16`',
        fix: { title: 'write `16`', edits: ['14:28-14:32 "16"'] },
      },
    ]);
  });

  it('is called a string in `is`, and in a default', () => {
    expect(diagnose(...permitWhen('record.subjectAge is "16"'))).toEqual([
      {
        at: '14:8',
        code: 'type-mismatch',
        severity: 'error',
        message: 'cannot compare `record.subjectAge` (integer 0..150) with `"16"` (a string)',
        help: 'an integer is written without quotes: `16`',
        fix: { title: 'write `16`', edits: ['14:29-14:33 "16"'] },
      },
    ]);
    expect(diagnose('entity e', '  age: integer = "16"')).toEqual([
      {
        at: '14:18',
        code: 'invalid-default',
        severity: 'error',
        message: 'the default of `e.age` must be integer, not a string',
        help: 'an integer is written without quotes: `16`',
        fix: { title: 'write `16`', edits: ['14:18-14:22 "16"'] },
      },
    ]);
  });
});

describe('a word after a condition', () => {
  it('is said to follow where the condition ends; a unit after a number is removed by the fix', () => {
    expect(diagnose('permit p', '  when record.subjectAge < 16 years', '  because vt', '  says "p"')).toEqual(
      [
        {
          at: '14:31',
          code: 'syntax-error',
          severity: 'error',
          message: 'unexpected `years`: the condition ends at `16`, and `years` is not part of the language',
          help: "numbers are written without units (the attribute's description says what it counts): write `16`",
          fix: { title: 'remove `years`', edits: ['14:30-14:36 ""'] },
        },
      ],
    );
  });

  it('says where the condition ended when a test is not joined to it', () => {
    expect(
      diagnose('condition c', '  when requester.role is parent record.subjectAge < 16', ...permitWhen('c')),
    ).toEqual([
      {
        at: '14:33',
        code: 'syntax-error',
        severity: 'error',
        message: 'unexpected `record`: the condition ends at `parent`',
        help: 'join another test to it with `and` or `or`; a declaration starts on a line of its own',
      },
    ]);
  });

  it('is still a stray token where no condition ends the declaration before it', () => {
    expect(diagnose('permit p', '  because vt', '  says "p" years')).toMatchObject([
      { at: '15:12', code: 'syntax-error', message: 'unexpected `years`: expected a declaration' },
    ]);
  });
});

describe('a set compared with `is`', () => {
  it('is warned of: it holds of that set alone; membership is the fix for one value', () => {
    expect(diagnose(...permitWhen('request.fields is [identity]'))).toEqual([
      {
        at: '14:8',
        code: 'set-equality',
        severity: 'warning',
        message: '`request.fields is [identity]` holds only when the set is exactly `[identity]`',
        help:
          'to test that it holds `identity`, write `identity in request.fields`; that it holds nothing else, ' +
          '`request.fields within [identity]`',
        fix: {
          title: 'write `identity in request.fields`',
          edits: ['14:8-14:36 "identity in request.fields"'],
        },
      },
    ]);
  });

  it('has `within` as the fix for several values, and `not in` for `is not` one', () => {
    expect(diagnose(...permitWhen('[identity, borrowing_history] is request.fields'))).toEqual([
      {
        at: '14:8',
        code: 'set-equality',
        severity: 'warning',
        message:
          '`request.fields is [identity, borrowing_history]` holds only when the set is exactly `[identity, borrowing_history]`',
        help:
          'to test that it holds each of them, write `identity in request.fields and borrowing_history in request.fields`; ' +
          'that it holds nothing else, `request.fields within [identity, borrowing_history]`',
        fix: {
          title: 'write `request.fields within [identity, borrowing_history]`',
          edits: ['14:8-14:55 "request.fields within [identity, borrowing_history]"'],
        },
      },
    ]);
    expect(diagnose(...permitWhen('request.fields is not [identity]'))).toMatchObject([
      {
        code: 'set-equality',
        message:
          '`request.fields is not [identity]` holds only when the set is anything but exactly `[identity]`',
        fix: { title: 'write `identity not in request.fields`' },
      },
    ]);
  });

  it('is not warned of against the empty set, nor once rewritten as the fix says', () => {
    expect(diagnose(...permitWhen('requester.childrenOf is []'))).toEqual([]);
    expect(diagnose(...permitWhen('identity in request.fields'))).toEqual([]);
    expect(diagnose(...permitWhen('request.fields within [identity]'))).toEqual([]);
  });
});

describe('bounds', () => {
  it('are read from `integer MIN..MAX` and `non-empty set of …`, either bound left out where it has none', () => {
    const [entity] = parse(
      'entity e\n  a: integer 0..150\n  b: integer ..-1\n  c: integer 3..\n  d: non-empty set of identifier',
      'e.policy',
    ).value.declarations;
    const types = entity?.kind === 'entity' ? entity.attributes.map((a) => a.type) : [];
    expect(
      types.map(({ span, ...type }) =>
        type.kind === 'set' ? { ...type, element: type.element.kind } : type,
      ),
    ).toEqual([
      { kind: 'integer', min: 0, max: 150 },
      { kind: 'integer', max: -1 },
      { kind: 'integer', min: 3 },
      { kind: 'set', element: 'identifier', nonEmpty: true },
    ]);
    const attributes = checked().value.attributes;
    expect(
      [attributes.get('record.subjectAge'), attributes.get('request.fields')].map(
        (a) => a && showType(a.type),
      ),
    ).toEqual(['integer 0..150', 'non-empty set of one of identity, borrowing_history']);
  });

  it('that hold no integer are reported, with the bounds the other way round as the fix', () => {
    expect(diagnose('entity e', '  n: integer 150..0')).toEqual([
      {
        at: '14:14',
        code: 'invalid-range',
        severity: 'error',
        message: '`150..0` holds no integer: the least value comes first',
        help: 'write `0..150`',
        fix: { title: 'write `0..150`', edits: ['14:14-14:20 "0..150"'] },
      },
    ]);
  });

  it('hold of defaults', () => {
    expect(diagnose('entity e', '  n: integer ..5 = 7', '  ids: non-empty set of identifier = []')).toEqual([
      {
        at: '14:20',
        code: 'invalid-default',
        severity: 'error',
        message: 'the default of `e.n` must be integer ..5, not `7`',
        help: 'the bounds are `..5`, both included',
      },
      {
        at: '15:38',
        code: 'invalid-default',
        severity: 'error',
        message: 'the default of `e.ids` must be non-empty set of identifier, not an empty set',
        help: 'give at least one member',
      },
    ]);
  });

  it('hold of examples', () => {
    expect(
      diagnose(
        'example "A patron of -3"',
        '  given requester { id: "p-1", role: patron } record { subjectId: "p-1", subjectAge: -3 }',
        '        request { fields: [] }',
        '  expect deny',
      ),
    ).toEqual([
      {
        at: '14:86',
        code: 'type-mismatch',
        severity: 'error',
        message: '`record.subjectAge` must be integer 0..150, not `-3`',
        help: 'the bounds are `0..150`, both included',
      },
      {
        at: '15:27',
        code: 'type-mismatch',
        severity: 'error',
        message:
          '`request.fields` must be non-empty set of one of identity, borrowing_history, not an empty set',
        help: 'give at least one member',
      },
    ]);
  });
});

describe('a claim of the rule that decides', () => {
  const rules = [
    ...permitWhen('requester.role is officer and request.fields within [identity]').map((l) =>
      l.replace('permit p', 'permit emergency-identity'),
    ),
    'forbid history-guard',
    '  when borrowing_history in request.fields',
    '  because vt',
    '  says "g"',
  ];

  it('is read with its rule and its obligation, and the rule is resolved for the editor', () => {
    const result = checked(
      ...rules,
      'assert a',
      '  never permit by emergency-identity when borrowing_history in request.fields',
      '  because vt',
    );
    expect(sortDiagnostics(result.diagnostics).map(shown)).toEqual([]);
    const claim = result.value.assertions[0]?.claim;
    const outcome = claim?.outcome;
    expect(outcome && 'by' in outcome ? [outcome.kind, outcome.by?.text, range(outcome.span)] : []).toEqual([
      'permit',
      'emergency-identity',
      '22:9-22:37',
    ]);
    const use = outcome && 'by' in outcome && outcome.by ? result.value.uses.get(outcome.by) : undefined;
    expect(use?.kind === 'declaration' ? use.declaration : undefined).toBe(result.value.rules[0]);
    const both = parse('assert a\n  always deny by g with notify', 'a.policy').value.declarations[0];
    expect(both?.kind === 'assert' ? both.claim?.outcome : undefined).toMatchObject({
      kind: 'deny',
      by: { text: 'g' },
      with: { text: 'notify' },
    });
  });

  it('reports an unknown rule, with the closest rule of that effect as the fix', () => {
    expect(diagnose(...rules, 'assert a', '  never permit by emergency-identiy', '  because vt')).toEqual([
      {
        at: '22:19',
        code: 'unknown-rule',
        severity: 'error',
        message: 'unknown permit `emergency-identiy`',
        help: 'did you mean `emergency-identity`?',
        fix: { title: 'replace with `emergency-identity`', edits: ['22:19-22:36 "emergency-identity"'] },
      },
    ]);
  });

  it('reports a rule of the other effect', () => {
    expect(diagnose(...rules, 'assert a', '  never permit by history-guard', '  because vt')).toEqual([
      {
        at: '22:19',
        code: 'wrong-effect',
        severity: 'error',
        message:
          '`history-guard` is a forbid: a permit is decided by permits; claim `deny by` it, or name a permit',
      },
    ]);
    expect(
      diagnose(...rules, 'assert a', '  always deny by emergency-identity', '  because vt'),
    ).toMatchObject([
      {
        at: '22:18',
        code: 'wrong-effect',
        message:
          '`emergency-identity` is a permit: a deny is decided by forbids; claim `permit by` it, or name a forbid',
      },
    ]);
  });
});

describe('`overrides`', () => {
  const rules = [
    ...permitWhen('requester.role is parent and record.subjectId in requester.childrenOf').map((l) =>
      l.replace('permit p', 'permit custodial-parent'),
    ),
    'forbid history-guard',
    '  when borrowing_history in request.fields',
    '  because vt',
    '  says "g"',
  ];

  it('names the permits a forbid wins over, resolved for the editor', () => {
    const result = checked(...rules, '  overrides custodial-parent');
    expect(sortDiagnostics(result.diagnostics).map(shown)).toEqual([]);
    const forbid = result.value.rules[1];
    const [name] = forbid?.overrides ?? [];
    expect(name && [name.text, range(name.span)]).toEqual(['custodial-parent', '21:13-21:29']);
    const use = name ? result.value.uses.get(name) : undefined;
    expect(use?.kind === 'declaration' ? use.declaration : undefined).toBe(result.value.rules[0]);
  });

  it('reports an unknown rule, with the closest permit as the fix, and a forbid named', () => {
    expect(diagnose(...rules, '  overrides custodial-parnt, history-guard')).toEqual([
      {
        at: '21:13',
        code: 'unknown-rule',
        severity: 'error',
        message: 'unknown permit `custodial-parnt`',
        help: 'did you mean `custodial-parent`?',
        fix: { title: 'replace with `custodial-parent`', edits: ['21:13-21:28 "custodial-parent"'] },
      },
      {
        at: '21:30',
        code: 'wrong-effect',
        severity: 'error',
        message: '`history-guard` is a forbid: a forbid overrides permits',
      },
    ]);
  });

  it('reports a permit that overrides, and a clause written twice', () => {
    expect(diagnose(...permitWhen('requester.role is parent'), '  overrides p')).toEqual([
      {
        at: '17:13',
        code: 'wrong-effect',
        severity: 'error',
        message: 'permit `p` overrides nothing: only a forbid wins over permits',
        help: 'remove `overrides`, or make the rule a `forbid`',
      },
    ]);
    expect(diagnose(...rules, '  overrides custodial-parent', '  overrides custodial-parent')).toMatchObject([
      { at: '22:3', code: 'duplicate-clause', message: '`overrides` is written more than once here' },
    ]);
  });
});
