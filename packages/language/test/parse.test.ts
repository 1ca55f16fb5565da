import { describe, expect, it } from 'vitest';
import {
  type AttributeDeclaration,
  type Declaration,
  type Diagnostic,
  MAX_NESTING,
  parse,
  type SourceSpan,
  sortDiagnostics,
} from '../src/index.js';

const FILE = 'test.policy';

/** The lines of a source text, joined: keeps each test's line numbers easy to read. */
function lines(...text: string[]): string {
  return text.join('\n');
}

function where(span: SourceSpan | undefined): string {
  return span ? `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}` : '-';
}

function show(d: Diagnostic): string {
  return `${d.code} ${d.severity} ${where(d.span)}`;
}

/** Every diagnostic of parsing `text`, in source order. */
function diagnostics(text: string): Diagnostic[] {
  return sortDiagnostics(parse(text, FILE).diagnostics);
}

function diagnose(text: string): string[] {
  return diagnostics(text).map(show);
}

/** A small file with no problems, varied by the tests below. */
const valid = lines(
  'policy library "Library Records Policy"',
  '  owner "The Library"',
  '  version 2024-01-01',
  '  adopted 2020-01-01 by "the Board"',
  '  default deny',
  '',
  'entity requester "Who asks."',
  '  id: identifier "Who is asking."',
  '  role: one of patron, staff, other',
  '  age: integer = 0',
  '',
  'authority statute "Stat. § 1"',
  '  effective 2019-07-01',
  '  quote """',
  '    Records shall be confidential.',
  '    """',
  '',
  'section access "Access to Records"',
  '',
  'permit own-record',
  '  when requester.id is "p-1" and not (requester.role is staff or requester.age < 18)',
  '  because statute, access',
  '  says "A \\"borrower\\" may see\\n their \\\\ own record."',
  '',
  'example "A patron asks"',
  '  given requester { id: "p-1", role: patron, age: 30 }',
  '  expect permit by own-record',
);

describe('a valid file', () => {
  it('parses with no diagnostics', () => {
    expect(diagnose(valid)).toEqual([]);
  });

  it('parses an empty file with no diagnostics', () => {
    expect(diagnose('')).toEqual([]);
    expect(diagnose('  \n# only a comment\n')).toEqual([]);
  });
});

describe('lexer diagnostics', () => {
  it('reports an unexpected character at its span', () => {
    const text = lines('permit own', '  when requester.id is $x', '  because statute');
    expect(diagnose(text)).toEqual(['unexpected-character error 2:24-2:25']);
  });

  it('reports a run of unexpected characters as one diagnostic', () => {
    const text = lines('permit own', '  when requester.id is x%%%', '  because statute');
    expect(diagnose(text)).toEqual(['unexpected-character error 2:25-2:28']);
  });

  it('reports an unexpected character on a CRLF line at its line and column', () => {
    const text = 'permit own\r\n  because statute\r\n  when x is y @\r\n';
    expect(diagnose(text)).toEqual(['unexpected-character error 3:15-3:16']);
  });

  it('reports an unterminated string from its quote to the end of its line', () => {
    const text = lines('permit own', '  says "A borrower may', '  because statute');
    expect(diagnose(text)).toEqual(['unterminated-string error 2:8-2:23']);
  });

  it('keeps reading the lines after an unterminated string', () => {
    const text = lines('permit own', '  says "A borrower may', '  because statute');
    const rule = parse(text, FILE).value.declarations[0];
    expect(rule?.kind === 'rule' && rule.because.map((n) => n.text)).toEqual(['statute']);
  });

  it('reports an unterminated text block from its opening quotes to the end of the file', () => {
    const text = lines(
      'authority statute "Stat. § 1"',
      '  quote """',
      '    Records shall be',
      '    confidential.',
    );
    expect(diagnose(text)).toEqual(['unterminated-string error 2:9-4:18']);
  });

  it('reports an invalid escape at the backslash and the character after it', () => {
    const text = lines('permit own', '  says "see C:\\qa"', '  because statute');
    expect(diagnose(text)).toEqual(['invalid-escape error 2:15-2:17']);
  });

  it('reports every invalid escape in a string', () => {
    const text = lines('permit own', '  says "\\a and \\b"', '  because statute');
    expect(diagnose(text)).toEqual(['invalid-escape error 2:9-2:11', 'invalid-escape error 2:16-2:18']);
  });

  it('decodes the escapes it knows', () => {
    const rule = parse(valid, FILE).value.declarations.find((d) => d.kind === 'rule');
    expect(rule?.kind === 'rule' && rule.says?.value).toEqual('A "borrower" may see\n their \\ own record.');
  });

  it('lists at most 50 unexpected characters, then counts the rest at the end of the file', () => {
    const text = `permit own\n${'$ '.repeat(53)}`;
    const list = diagnostics(text);
    expect(list.map(show)).toEqual([
      ...Array.from({ length: 50 }, (_, i) => `unexpected-character error 2:${2 * i + 1}-2:${2 * i + 2}`),
      'too-many-errors error 2:107-2:107',
    ]);
    expect(list.at(-1)?.span?.start.offset).toBe(text.length);
    expect(list.at(-1)?.message).toMatch(/^3 more /);
  });
});

describe('syntax errors', () => {
  it('reports a missing name at the token found in its place', () => {
    const text = lines('permit', '  because statute');
    expect(diagnose(text)).toEqual(['syntax-error error 2:3-2:10']);
    expect(diagnostics(text)[0]?.message).toBe('expected a name, found `because`');
  });

  it('reports a missing `)` at the token found in its place', () => {
    const text = lines('permit own', '  when (requester.minor and requester.staff', '  because statute');
    expect(diagnose(text)).toEqual(['syntax-error error 3:3-3:10']);
    expect(diagnostics(text)[0]?.message).toBe('expected `)`, found `because`');
  });

  it('reports a missing `:` in an attribute at the token found in its place', () => {
    const text = lines('entity requester', '  minor boolean', '  id: identifier');
    expect(diagnose(text)).toEqual(['syntax-error error 2:9-2:16']);
  });

  it('reports an unexpected token at the top level, and reads the declaration after it', () => {
    const text = lines('entity requester', '  minor: boolean', '}', 'permit own', '  because statute');
    expect(diagnose(text)).toEqual(['syntax-error error 3:1-3:2']);
    expect(parse(text, FILE).value.declarations.map((d) => d.kind)).toEqual(['entity', 'rule']);
  });

  it('reports a run of unexpected tokens at the top level once, over the whole run', () => {
    const text = lines('permit own', '  because statute', ') ] } , .', 'permit other');
    expect(diagnose(text)).toEqual(['syntax-error error 3:1-3:10']);
  });

  it('reports the end of input in the middle of a declaration at the end of the file', () => {
    const text = lines('permit own', '  when requester.minor and');
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['syntax-error error 2:27-2:27']);
    expect(list[0]?.message).toBe('expected a condition, found the end of the file');
    expect(list[0]?.span?.start.offset).toBe(text.length);
    expect(list[0]?.span?.end.offset).toBe(text.length);
  });

  it('reports the end of input after a final line break on the line after it', () => {
    const text = 'authority statute "Stat. § 1"\n  effective\n';
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['syntax-error error 3:1-3:1']);
    expect(list[0]?.span?.start.offset).toBe(text.length);
  });

  it('reports a missing operand at the token found in its place', () => {
    expect(diagnose('permit own when requester.id is because statute')).toEqual([
      'syntax-error error 1:33-1:40',
    ]);
  });
});

describe('nesting', () => {
  const nested = (depth: number) =>
    lines('permit own', `  when ${'('.repeat(depth)}x${')'.repeat(depth)}`, '  because s');

  it(`accepts parentheses nested ${MAX_NESTING} deep`, () => {
    expect(MAX_NESTING).toBe(64);
    expect(diagnose(nested(MAX_NESTING))).toEqual([]);
  });

  it('reports the first parenthesis nested too deep, and the hole left where its group was', () => {
    expect(diagnose(nested(MAX_NESTING + 1))).toEqual([
      'nesting-too-deep error 2:72-2:73',
      'syntax-error error 2:75-2:76',
    ]);
  });

  it('reports 100,000-deep parentheses as too deep, without overflowing the stack', () => {
    const depth = 100_000;
    expect(diagnose(nested(depth))).toEqual([
      'nesting-too-deep error 2:72-2:73',
      `syntax-error error 2:${8 + depth + 1 + depth - MAX_NESTING}-2:${8 + depth + 1 + depth - MAX_NESTING + 1}`,
    ]);
  });

  it('reports 100,000 unclosed parentheses as too deep, without overflowing the stack', () => {
    const text = lines('permit own', `  when ${'('.repeat(100_000)}x`);
    expect(diagnose(text)).toEqual([
      'nesting-too-deep error 2:72-2:73',
      'syntax-error error 2:100009-2:100009',
    ]);
  });
});

describe('AST builder diagnostics', () => {
  it('reports a clause written twice at the repeat, related to the first', () => {
    const text = lines('permit own', '  when requester.minor', '  because statute', '  when requester.staff');
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['duplicate-clause error 4:3-4:23']);
    expect(list[0]?.related?.map((r) => where(r.span))).toEqual(['2:3-2:23']);
  });

  it('reports each repeated clause of a rule', () => {
    const text = lines('permit own', '  says "x"', '  because statute', '  says "y"', '  because access');
    expect(diagnose(text)).toEqual(['duplicate-clause error 4:3-4:11', 'duplicate-clause error 5:3-5:17']);
  });

  it('reports repeated clauses of a policy header, but not its repeatable history', () => {
    const text = lines(
      'policy library "Library Records Policy"',
      '  version 2020-01-01',
      '  revised 2021-01-01',
      '  revised 2022-01-01',
      '  default deny',
      '  version "v2"',
      '  default permit',
    );
    expect(diagnose(text)).toEqual(['duplicate-clause error 6:3-6:15', 'duplicate-clause error 7:3-7:17']);
  });

  it('reports repeated clauses of an authority', () => {
    const text = lines('authority statute "Stat. § 1"', '  effective 2020-01-01', '  effective 2021-01-01');
    expect(diagnose(text)).toEqual(['duplicate-clause error 3:3-3:23']);
  });

  it('reports repeated clauses of an example and of its expectation', () => {
    const text = lines(
      'example "A patron asks"',
      '  given requester { id: "p-1" }',
      '  expect permit by own-record by other-rule',
      '  expect deny',
    );
    expect(diagnose(text)).toEqual(['duplicate-clause error 3:31-3:44', 'duplicate-clause error 4:3-4:14']);
  });

  it('reports a day that its month does not have', () => {
    const text = lines('policy library "Library Records Policy"', '  version 2023-02-29');
    expect(diagnose(text)).toEqual(['invalid-date error 2:11-2:21']);
  });

  it('reports a month that does not exist', () => {
    const text = lines('policy library "Library Records Policy"', '  adopted 2023-13-01 by "the Board"');
    expect(diagnose(text)).toEqual(['invalid-date error 2:11-2:21']);
  });

  it('reports impossible dates in an authority', () => {
    const text = lines(
      'authority statute "Stat. § 1"',
      '  effective 2021-04-31',
      '  superseded 2021-00-10 by other',
    );
    expect(diagnose(text)).toEqual(['invalid-date error 2:13-2:23', 'invalid-date error 3:14-3:24']);
  });

  it('accepts the 29th of February in a leap year', () => {
    const text = lines(
      'policy library "Library Records Policy"',
      '  version 2024-02-29',
      '  revised 2000-02-29',
    );
    expect(diagnose(text)).toEqual([]);
  });

  it('reports an integer too large to hold exactly, in a default, a condition and an example', () => {
    const text = lines(
      'entity requester',
      '  age: integer = 99999999999999999999',
      'permit own',
      '  when requester.age > -9007199254740992',
      'example "A patron asks"',
      '  given requester { age: 9007199254740993 }',
    );
    expect(diagnose(text)).toEqual([
      'invalid-integer error 2:18-2:38',
      'invalid-integer error 4:24-4:41',
      'invalid-integer error 6:26-6:42',
    ]);
  });

  it('accepts the largest integers it can hold exactly', () => {
    const text = lines(
      'permit own',
      '  when requester.age < 9007199254740991 and requester.age > -9007199254740991',
    );
    expect(diagnose(text)).toEqual([]);
  });
});

describe('fixed: review findings', () => {
  it('reads a string that ends in an escaped backslash as closed', () => {
    const parsed = parse('rule-less "C:\\\\"', FILE);
    expect(parsed.diagnostics.map(show)).toEqual(['syntax-error error 1:1-1:17']);
    const text = lines('permit p', '  says "C:\\\\"');
    const rule = parse(text, FILE).value.declarations[0];
    expect(diagnose(text)).toEqual([]);
    expect(rule?.kind === 'rule' ? rule.says?.value : undefined).toBe('C:\\');
  });

  it('stops after 50 syntax errors and says where it stopped', () => {
    const text = 'permit\n'.repeat(60);
    const list = diagnose(text);
    expect(list).toHaveLength(51);
    expect(list.slice(0, 2)).toEqual(['syntax-error error 2:1-2:7', 'syntax-error error 3:1-3:7']);
    expect(list.at(-1)).toBe('too-many-errors error 51:1-51:7');
  });

  it('does not claim to have stopped when the 50th error is the last', () => {
    const list = diagnose('permit\n'.repeat(50));
    expect(list).toHaveLength(50);
    expect(list.filter((d) => d.startsWith('too-many-errors'))).toEqual([]);
  });

  it('reports a reserved word used as a name once', () => {
    expect(diagnose(lines('permit one', '  when a', '  says "x"'))).toEqual(['syntax-error error 1:8-1:11']);
  });

  it('accepts the 29th of February of year 0, a leap year', () => {
    expect(diagnose(lines('policy p', '  adopted 0000-02-29'))).toEqual([]);
  });
});

describe('keywords as attribute names', () => {
  it('reads a keyword as an attribute name where only a name can stand', () => {
    const text = lines(
      'entity record',
      '  owner: identifier',
      '  title: boolean = false',
      'permit x',
      '  when record.owner is "a" and record.title',
      'example "e"',
      '  given record { owner: "a", title: true }',
      '  expect permit',
    );
    expect(diagnose(text)).toEqual([]);
    const [entity, rule] = parse(text, FILE).value.declarations;
    expect(entity?.kind === 'entity' ? entity.attributes.map((a) => a.name.text) : []).toEqual([
      'owner',
      'title',
    ]);
    expect(rule?.kind).toBe('rule');
  });
});

/** A value with every `span` left out: the shape of an AST, to compare exactly. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'span')
        .map(([key, v]) => [key, shape(v)]),
    );
  }
  return value;
}

/** The declarations of `text`, which must parse with no diagnostics. */
function declarationsOf(text: string): Declaration[] {
  const parsed = parse(text, FILE);
  expect(parsed.diagnostics.map(show)).toEqual([]);
  return parsed.value.declarations;
}

/** The attributes of the one entity of `text`. */
function attributesOf(...text: string[]): AttributeDeclaration[] {
  const [entity] = declarationsOf(lines('entity request', ...text));
  return entity?.kind === 'entity' ? entity.attributes : [];
}

const name = (text: string) => ({ text });
const value = (v: string) => ({ value: v });

describe('labels of enumeration values', () => {
  it('reads a string after each value as its label, beside a default and a description', () => {
    const [legalProcess] = attributesOf(
      '  legalProcess: one of none "no legal process", subpoena "a subpoena", court_order "a court order" = none "The process served."',
    );
    expect(shape(legalProcess)).toEqual({
      name: name('legalProcess'),
      type: {
        kind: 'enum',
        values: [name('none'), name('subpoena'), name('court_order')],
        labels: [value('no legal process'), value('a subpoena'), value('a court order')],
      },
      default: { kind: 'path', names: [name('none')] },
      description: value('The process served.'),
    });
    expect(where(legalProcess?.type.span)).toBe('2:17-2:99');
    const type = legalProcess?.type;
    expect(type?.kind === 'enum' && type.labels.map((l) => where(l?.span))).toEqual([
      '2:29-2:47',
      '2:58-2:70',
      '2:84-2:99',
    ]);
  });

  it('reads a string after the last value as the description when nothing of the attribute follows it', () => {
    const [legalProcess, properForm] = attributesOf(
      '  legalProcess: one of none, subpoena "The process served."',
      '  properForm: boolean = false',
    );
    expect(shape(legalProcess?.type)).toEqual({
      kind: 'enum',
      values: [name('none'), name('subpoena')],
      labels: [undefined, undefined],
    });
    expect(legalProcess?.description?.value).toBe('The process served.');
    expect(properForm?.name.text).toBe('properForm');
  });

  it('reads a labelled last value, then a description', () => {
    const [legalProcess] = attributesOf(
      '  legalProcess: one of none "no legal process", subpoena "a subpoena" "Served."',
    );
    expect(shape(legalProcess?.type)).toEqual({
      kind: 'enum',
      values: [name('none'), name('subpoena')],
      labels: [value('no legal process'), value('a subpoena')],
    });
    expect(legalProcess?.description?.value).toBe('Served.');
  });

  it('reads the string after the last value as its label when a `label` or `advice` clause follows', () => {
    const [purpose, legalProcess] = attributesOf(
      '  purpose: one of disclosure, circulation "for circulation" label "what the record is wanted for"',
      '  legalProcess: one of none, subpoena "a subpoena" advice counsel',
    );
    expect(purpose?.type.kind === 'enum' && purpose.type.labels.map((l) => l?.value)).toEqual([
      undefined,
      'for circulation',
    ]);
    expect(purpose?.description).toBeUndefined();
    expect(purpose?.label?.value).toBe('what the record is wanted for');
    expect(legalProcess?.type.kind === 'enum' && legalProcess.type.labels.map((l) => l?.value)).toEqual([
      undefined,
      'a subpoena',
    ]);
    expect(legalProcess?.description).toBeUndefined();
    expect(legalProcess?.advice?.value).toBe('counsel');
  });

  it('reads a label before a comma or a default, and leaves unlabelled values without one', () => {
    const [legalProcess] = attributesOf('  legalProcess: one of none, subpoena "a subpoena", warrant = none');
    expect(legalProcess?.type.kind === 'enum' && legalProcess.type.labels.map((l) => l?.value)).toEqual([
      undefined,
      'a subpoena',
      undefined,
    ]);
    expect(legalProcess?.default?.kind).toBe('path');
    expect(legalProcess?.description).toBeUndefined();
  });

  it('reads labels in the enumeration of a set', () => {
    const [fields] = attributesOf('  fields: set of one of name "the name", due_date "the due date" = []');
    expect(shape(fields?.type)).toEqual({
      kind: 'set',
      element: {
        kind: 'enum',
        values: [name('name'), name('due_date')],
        labels: [value('the name'), value('the due date')],
      },
    });
  });
});

describe('the label and advice of an attribute', () => {
  it('reads `label` and `advice` after the description, on the same line or the next', () => {
    const [properForm, purpose] = attributesOf(
      '  properForm: boolean = false "The legal process is in proper form."',
      '    label "the process is in proper form"',
      '    advice counsel',
      '  purpose: one of disclosure, circulation = disclosure advice never label "what it is wanted for"',
    );
    expect(shape(properForm)).toEqual({
      name: name('properForm'),
      type: { kind: 'boolean' },
      default: { kind: 'boolean', value: false },
      description: value('The legal process is in proper form.'),
      label: value('the process is in proper form'),
      advice: { value: 'counsel' },
    });
    expect(where(properForm?.label?.span)).toBe('3:11-3:42');
    expect(where(properForm?.advice?.span)).toBe('4:5-4:19');
    expect(where(properForm?.span)).toBe('2:3-4:19');
    expect(purpose?.advice?.value).toBe('never');
    expect(purpose?.label?.value).toBe('what it is wanted for');
  });

  it('reads an attribute named `label` or `advice` as an attribute, not as a clause of the one before', () => {
    const attributes = attributesOf(
      '  properForm: boolean',
      '  label: identifier',
      '  kind: one of a, b "The kind."',
      '  advice: identifier',
    );
    expect(attributes.map((a) => a.name.text)).toEqual(['properForm', 'label', 'kind', 'advice']);
    expect(attributes.map((a) => a.label)).toEqual([undefined, undefined, undefined, undefined]);
    const kind = attributes[2];
    expect(kind?.description?.value).toBe('The kind.');
    expect(kind?.type.kind === 'enum' && kind.type.labels).toEqual([undefined, undefined]);
  });

  it('reads each of the three words of `advice`', () => {
    const attributes = attributesOf(
      '  writtenConsent: boolean = false advice suggest',
      '  subjectIsMinor: boolean = false advice never',
      '  goodCauseShown: boolean = false advice counsel',
    );
    expect(attributes.map((a) => a.advice?.value)).toEqual(['suggest', 'never', 'counsel']);
  });

  it('reports a label or an advice clause written twice', () => {
    const text = lines(
      'entity request',
      '  properForm: boolean = false label "in proper form" label "proper"',
      '  purpose: one of disclosure = disclosure advice never advice suggest',
    );
    expect(diagnose(text)).toEqual(['duplicate-clause error 2:54-2:68', 'duplicate-clause error 3:56-3:70']);
  });

  it('reports an advice word it does not know at the word', () => {
    expect(diagnose(lines('entity request', '  properForm: boolean = false advice always'))).toEqual([
      'syntax-error error 2:38-2:44',
    ]);
  });
});

describe('the reference and the referral of a policy', () => {
  it('reads `compared with` and `referral` in the header, a referral as a string or a text block', () => {
    const [policy] = declarationsOf(
      lines(
        'policy wethersfield-confidentiality "Confidentiality of Records Policy"',
        '  default deny',
        '  compared with "../connecticut/cgs-11-25b.policy"',
        '  referral """',
        '    Refer the requester to the Library Director,',
        '    who takes it up with counsel.',
        '    """',
      ),
    );
    expect(
      policy?.kind === 'policy' && shape({ compared: policy.comparedWith, referral: policy.referral }),
    ).toEqual({
      compared: value('../connecticut/cgs-11-25b.policy'),
      referral: value('Refer the requester to the Library Director,\nwho takes it up with counsel.'),
    });
    expect(policy?.kind === 'policy' && where(policy.comparedWith?.span)).toBe('3:17-3:51');
    const [short] = declarationsOf(lines('policy p', '  referral "Ask the Director."'));
    expect(short?.kind === 'policy' && short.referral?.value).toBe('Ask the Director.');
  });

  it('reports a `compared with` without its path, and a second `referral`', () => {
    expect(diagnose(lines('policy p', '  compared with', '  default deny'))).toEqual([
      'syntax-error error 3:3-3:10',
    ]);
    expect(diagnose(lines('policy p', '  referral "a"', '  referral "b"'))).toEqual([
      'duplicate-clause error 3:3-3:15',
    ]);
  });
});

describe('departures in an interpretation', () => {
  it('reads `looser when` and `stricter when` beside `says` and `because`, in order', () => {
    const [interpretation] = declarationsOf(
      lines(
        'interpretation parents-and-the-statute "Parents of minors and the statute in force"',
        '  looser when record.subjectIsMinor',
        '    and record.subjectId in requester.guardianOf',
        '  says "We keep the policy as written."',
        '  stricter when request.writtenConsent',
        '  because cgs-11-25b',
      ),
    );
    expect(shape(interpretation)).toEqual({
      kind: 'interpretation',
      id: name('parents-and-the-statute'),
      title: value('Parents of minors and the statute in force'),
      says: value('We keep the policy as written.'),
      because: [name('cgs-11-25b')],
      departures: [
        {
          kind: 'looser',
          when: {
            kind: 'and',
            operands: [
              { kind: 'atom', operand: { kind: 'path', names: [name('record'), name('subjectIsMinor')] } },
              {
                kind: 'test',
                operator: 'in',
                left: { kind: 'path', names: [name('record'), name('subjectId')] },
                right: { kind: 'path', names: [name('requester'), name('guardianOf')] },
              },
            ],
          },
        },
        {
          kind: 'stricter',
          when: { kind: 'atom', operand: { kind: 'path', names: [name('request'), name('writtenConsent')] } },
        },
      ],
    });
    expect(
      interpretation?.kind === 'interpretation' && interpretation.departures.map((d) => where(d.span)),
    ).toEqual(['2:3-3:49', '5:3-5:39']);
  });

  it('reads an interpretation without departures as having none', () => {
    const [interpretation] = declarationsOf(
      lines('interpretation minor "Who is a minor"', '  because cgs-1-1d'),
    );
    expect(interpretation?.kind === 'interpretation' && interpretation.departures).toEqual([]);
  });

  it('reports a departure without `when`', () => {
    expect(diagnose(lines('interpretation i', '  looser', '  because s'))).toEqual([
      'syntax-error error 3:3-3:10',
    ]);
  });
});

describe('claims that a decision carries an obligation', () => {
  it('reads `with OBLIGATION` after permit or deny, before `when`', () => {
    const [permits, denies] = declarationsOf(
      lines(
        'assert notified "Every release notifies the Director."',
        '  always permit with notify_director when request.legalProcess is not none',
        'assert cured "A request in improper form is never granted."',
        '  never deny with demand_cure',
      ),
    );
    expect(permits?.kind === 'assert' && shape(permits.claim)).toEqual({
      quantifier: 'always',
      outcome: { kind: 'permit', with: name('notify_director') },
      when: {
        kind: 'test',
        operator: 'is not',
        left: { kind: 'path', names: [name('request'), name('legalProcess')] },
        right: { kind: 'path', names: [name('none')] },
      },
    });
    expect(permits?.kind === 'assert' && where(permits.claim?.outcome.span)).toBe('2:10-2:37');
    expect(denies?.kind === 'assert' && shape(denies.claim)).toEqual({
      quantifier: 'never',
      outcome: { kind: 'deny', with: name('demand_cure') },
    });
  });

  it('reads a claim without `with` as before', () => {
    const [assertion] = declarationsOf(lines('assert a', '  always deny when requester.minor'));
    expect(assertion?.kind === 'assert' && shape(assertion.claim?.outcome)).toEqual({ kind: 'deny' });
    expect(assertion?.kind === 'assert' && where(assertion.claim?.outcome.span)).toBe('2:10-2:14');
  });

  it('reports `with` and no obligation at the token found in its place', () => {
    expect(diagnose(lines('assert a', '  always permit with when requester.minor'))).toEqual([
      'syntax-error error 2:22-2:26',
    ]);
  });
});

describe('the new keywords', () => {
  it('reserves looser, stricter, compared, referral, label, advice, suggest and counsel', () => {
    for (const word of [
      'looser',
      'stricter',
      'compared',
      'referral',
      'label',
      'advice',
      'suggest',
      'counsel',
    ]) {
      expect(diagnose(lines(`permit ${word}`, '  because s')), word).toEqual([
        `syntax-error error 1:8-1:${8 + word.length}`,
      ]);
    }
  });
});
