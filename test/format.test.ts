/**
 * The formatter's promises (packages/language/src/format.ts): it is idempotent, keeps every comment, and never
 * changes meaning (the formatted text parses to the same AST, spans aside, and to no new error). Checked on
 * every `.policy` file in the repository and on random well-formed policies generated from the grammar.
 *
 * The generated policies include the inputs of formatter bugs found before (see test/helpers/arbitraries.ts).
 * `TENET_FUZZ_RUNS` sets the number of generated policies (default 3000).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format, hasErrors, parse } from '../packages/language/src/index.js';
import { fuzzRuns, wellFormedPolicyArb } from './helpers/arbitraries.js';
import { commentTexts, policyFilesUnder, readText, relative, stripSpans } from './helpers/policy.js';

const runs = fuzzRuns(3000);

function errorsOf(diagnostics: readonly { severity: string; code: string; message: string }[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}

/** Formats `text` and checks the formatter's promises against it; returns the formatted text. */
function checkFormat(text: string, file: string): string {
  const original = parse(text, file);
  expect(errorsOf(original.diagnostics), 'the input must have no errors to be formatted').toEqual([]);
  const formatted = format(original.value);
  const reparsed = parse(formatted, file);

  // Never changes meaning: no new error, and the same AST once positions are set aside.
  expect(errorsOf(reparsed.diagnostics), 'the formatted text has errors').toEqual([]);
  expect(stripSpans(reparsed.value)).toEqual(stripSpans(original.value));

  // Idempotent.
  expect(format(reparsed.value)).toBe(formatted);

  // Keeps every comment (trailing whitespace aside, which the formatter trims): the same multiset of texts.
  const before = commentTexts(original.value);
  const after = commentTexts(reparsed.value);
  expect(after).toEqual(before);
  return formatted;
}

const policyFiles = policyFilesUnder('policies');
const testFiles = policyFilesUnder('test');

describe('format, on the policy files', () => {
  it('finds policy files to format', () => {
    expect(policyFiles.length).toBeGreaterThan(0);
  });

  for (const file of [...policyFiles, ...testFiles]) {
    const name = relative(file);
    it(`is idempotent on ${name}, keeps its comments and its meaning`, () => {
      const text = readText(file);
      expect(hasErrors(parse(text, name).diagnostics)).toBe(false);
      checkFormat(text, name);
    });
  }

  for (const file of policyFiles) {
    const name = relative(file);
    it(`finds ${name} already formatted`, () => {
      const text = readText(file);
      expect(format(parse(text, name).value)).toBe(text);
    });
  }
});

describe('format, on generated policies', () => {
  it('is idempotent and keeps the comments and the meaning of random well-formed policies', () => {
    fc.assert(
      fc.property(wellFormedPolicyArb, (text) => {
        checkFormat(text, 'generated.policy');
      }),
      { numRuns: runs },
    );
  });
});

describe('format, on layouts that move comments', () => {
  const cases: [string, string][] = [
    ['a comment after the last declaration', 'permit a\n  because b\n# the end\n'],
    ['a comment before the first declaration', '# the start\n\npermit a\n  because b\n'],
    ['a comment on a clause that the formatter moves', 'permit a because b # why\n  when c\n'],
    [
      'a comment inside a long condition',
      'permit a\n  when b # first\n    and c # second\n    or d\n  because e\n',
    ],
    ['comments inside an enumeration', 'entity e\n  role: one of a, # first\n    b, # second\n    c\n'],
    ['comments between the names of a list', 'permit a\n  because b, # one\n    c\n'],
    ['a comment after a text block', 'section s "S"\n  quote """\n    text\n    """ # after\n'],
    [
      'a comment between given values',
      'example "e"\n  given a { x: 1 } # one\n        b { y: 2 }\n  expect deny\n',
    ],
    ['a comment between declarations in a section', 'section s "S"\n\n# own line\npermit a\n  because s\n'],
    ['a comment on the line of a declaration keyword', 'permit # here\n  a because b\n'],
  ];
  for (const [name, text] of cases) {
    it(`keeps ${name}`, () => {
      checkFormat(text, 'case.policy');
    });
  }
});

describe('format, on values that are hard to print', () => {
  const cases: [string, string][] = [
    ['a string ending in an escaped backslash', 'import "a\\\\"\n'],
    ['a string holding `{  }` in an example', 'example "e"\n  given r { a: "{  }" }\n  expect deny\n'],
    ['a string holding `"""`', 'permit a\n  because b\n  says "say \\"\\"\\" here"\n'],
    ['a string holding a tab, raw and escaped', 'permit a\n  because b\n  says "a\tb\\tc"\n'],
    ['a one-line text block', 'section s "S"\n  quote """one line"""\n'],
    ['a text block with a blank line', 'section s "S"\n  quote """\n    a\n\n      b\n    """\n'],
    ['a text block indented with tabs', 'section s "S"\n  quote """\n\t\ta\n\t\t  b\n\t\t"""\n'],
    ['a version that is a string', 'policy p "P"\n  version "second edition"\n'],
    [
      'an enumeration too long for one line',
      `entity e\n  role: one of ${Array.from({ length: 30 }, (_, i) => `value_${i}`).join(', ')} "Role."\n`,
    ],
    ['a condition mixing `and` and `or`', 'permit a\n  when b and c or not d and (e or f)\n  because g\n'],
  ];
  for (const [name, text] of cases) {
    it(`keeps ${name}`, () => {
      checkFormat(text, 'case.policy');
    });
  }
});

describe('format, on inputs that once broke it', () => {
  it('keeps two comments of one condition apart when a blank line follows the first', () => {
    const text =
      'require\n  record when not\n  not\n  #\n  policy-a is\n  0  and true #\n  and true\nexample ""';
    expect(checkFormat(text, 'merged.policy')).toBe(
      'require record\n  when not not policy-a is 0\n    #\n\n    and true  #\n    and true\n\nexample ""\n',
    );
  });
});

describe('format, on labels, advice, references, departures and claims with obligations', () => {
  /** Formats `text` (checking every promise) and returns the result, which must be `expected`. */
  const formats = (text: string, expected: string) => {
    expect(checkFormat(text, 'case.policy')).toBe(expected);
    expect(checkFormat(expected, 'case.policy')).toBe(expected);
  };

  it('writes each label after its value, filling the enumeration, and `label` and `advice` on lines beneath', () => {
    formats(
      [
        'entity requester "The person asking."',
        '  role: one of patron "a patron", family_member "a family member", parent_or_guardian "a parent or guardian", law_enforcement "a law enforcement officer", other "someone else" "In what capacity the requester asks." label "who is asking"',
        '  guardianOf: set of identifier = [] "The minors this requester is the parent or guardian of." advice never label "the children or wards"',
        '',
        'entity request',
        '  legalProcess: one of none "no legal process", subpoena "a subpoena", court_order "a court order" = none',
        '  properForm: boolean = false "The legal process is in proper form." advice counsel # only counsel can say',
        '  purposes: set of one of disclosure "to have the record disclosed", circulation "for circulation" = [] advice never',
        '',
      ].join('\n'),
      [
        'entity requester "The person asking."',
        '  role: one of patron "a patron", family_member "a family member", parent_or_guardian "a parent or guardian",',
        '    law_enforcement "a law enforcement officer", other "someone else" "In what capacity the requester asks."',
        '    label "who is asking"',
        '  guardianOf: set of identifier = [] "The minors this requester is the parent or guardian of."',
        '    label "the children or wards"',
        '    advice never',
        '',
        'entity request',
        '  legalProcess: one of none "no legal process", subpoena "a subpoena", court_order "a court order" = none',
        '  properForm: boolean = false "The legal process is in proper form."',
        '    advice counsel  # only counsel can say',
        '  purposes: set of one of disclosure "to have the record disclosed", circulation "for circulation" = []',
        '    advice never',
        '',
      ].join('\n'),
    );
  });

  it('keeps the default on the line of the last value, and moves that value down when both do not fit', () => {
    formats(
      'entity request\n  purpose: one of disclosure "to have the record disclosed", circulation "for circulation", collection_development "for collection development", card_monitoring "to monitor a staff card" = disclosure "Why."\n',
      [
        'entity request',
        '  purpose: one of disclosure "to have the record disclosed", circulation "for circulation",',
        '    collection_development "for collection development",',
        '    card_monitoring "to monitor a staff card" = disclosure "Why."',
        '',
      ].join('\n'),
    );
  });

  it('keeps a description written on its own line after a labelled value a description', () => {
    formats(
      'entity request\n  legalProcess: one of none "no legal process", subpoena "a subpoena", court_order "a court order", warrant "a search warrant" "The legal process served."\n',
      [
        'entity request',
        '  legalProcess: one of none "no legal process", subpoena "a subpoena", court_order "a court order",',
        '    warrant "a search warrant" "The legal process served."',
        '',
      ].join('\n'),
    );
    formats(
      'entity request\n  legalProcess: one of none "no legal process", subpoena "a subpoena", court_order "a court order", warrant "a search warrant" "The subpoena, court order, warrant or other legal process served with the request, if any."\n',
      [
        'entity request',
        '  legalProcess: one of none "no legal process", subpoena "a subpoena", court_order "a court order",',
        '    warrant "a search warrant"',
        '    "The subpoena, court order, warrant or other legal process served with the request, if any."',
        '',
      ].join('\n'),
    );
  });

  it('writes `compared with` and `referral` after `default` in the header', () => {
    formats(
      [
        'policy wethersfield-confidentiality "Confidentiality of Records Policy"',
        '  referral """',
        '    Refer the requester to the Library Director,',
        '    who takes it up with counsel.',
        '    """',
        '  compared with "../connecticut/cgs-11-25b.policy"',
        '  default deny because cgs-11-25b',
        '  version 2014-04-22',
        '',
      ].join('\n'),
      [
        'policy wethersfield-confidentiality "Confidentiality of Records Policy"',
        '  version 2014-04-22',
        '  default deny because cgs-11-25b',
        '  compared with "../connecticut/cgs-11-25b.policy"',
        '  referral """',
        '    Refer the requester to the Library Director,',
        '    who takes it up with counsel.',
        '    """',
        '',
      ].join('\n'),
    );
    formats('policy p\n  referral "Ask the Director."\n', 'policy p\n  referral "Ask the Director."\n');
  });

  it('writes departures after `because`, each condition laid out like a `when`', () => {
    formats(
      [
        'interpretation parents-and-the-statute "Parents of minors and the statute in force"',
        '  looser when record.subjectIsMinor and record.subjectId in requester.guardianOf and not request.writtenConsent',
        '  stricter when request.writtenConsent',
        '  because cgs-11-25b',
        '  says "We keep the policy as written."',
        '',
      ].join('\n'),
      [
        'interpretation parents-and-the-statute "Parents of minors and the statute in force"',
        '  says "We keep the policy as written."',
        '  because cgs-11-25b',
        '  looser when record.subjectIsMinor',
        '    and record.subjectId in requester.guardianOf',
        '    and not request.writtenConsent',
        '  stricter when request.writtenConsent',
        '',
      ].join('\n'),
    );
  });

  it('keeps the comments of departures, in a section', () => {
    formats(
      [
        'section general "General"',
        '',
        '  interpretation written-consent "Written permission is not a ground for release"',
        '    because cgs-11-25b',
        '    # the statute allows it; the policy does not',
        '    stricter when request.writtenConsent  # the borrower consents',
        '      and not own-record',
        '',
      ].join('\n'),
      [
        'section general "General"',
        '',
        '  interpretation written-consent "Written permission is not a ground for release"',
        '    because cgs-11-25b',
        '    # the statute allows it; the policy does not',
        '    stricter when request.writtenConsent  # the borrower consents',
        '      and not own-record',
        '',
      ].join('\n'),
    );
  });

  it('writes `with OBLIGATION` after the decision of a claim', () => {
    formats(
      [
        'assert director-told "Every release under legal process notifies the Director."',
        '  always permit with notify_director when request.legalProcess is not none',
        '  because requests, parents-and-the-statute',
        'assert cure "A request in improper form is refused with a demand for a cure."',
        '  never deny   with demand_cure',
        '',
      ].join('\n'),
      [
        'assert director-told "Every release under legal process notifies the Director."',
        '  always permit with notify_director when request.legalProcess is not none',
        '  because requests, parents-and-the-statute',
        '',
        'assert cure "A request in improper form is refused with a demand for a cure."',
        '  never deny with demand_cure',
        '',
      ].join('\n'),
    );
  });
});

describe('format, on long parenthesised conditions', () => {
  it('breaks a group too long for its line one condition a line, one level deeper, and leaves short ones', () => {
    const text = [
      'section requests "Requests for Library Records"',
      '',
      '  forbid release-to-agencies',
      '    when third-party and not (requester.role in [law_enforcement, government_agency] and request.legalProcess in [court_order, warrant] and request.properForm) and not (record.subjectIsMinor and record.subjectId in requester.guardianOf)',
      '    because requests',
      '',
    ].join('\n');
    expect(checkFormat(text, 'case.policy')).toBe(
      [
        'section requests "Requests for Library Records"',
        '',
        '  forbid release-to-agencies',
        '    when third-party',
        '      and not (requester.role in [law_enforcement, government_agency]',
        '        and request.legalProcess in [court_order, warrant]',
        '        and request.properForm)',
        '      and not (record.subjectIsMinor and record.subjectId in requester.guardianOf)',
        '    because requests',
        '',
      ].join('\n'),
    );
  });

  it('breaks groups within groups, a group that is the whole condition, and a group that comes first', () => {
    const text = [
      'condition court-grounds "Grounds a court has found."',
      '  when not (request.properForm and request.goodCauseShown and request.competentJurisdiction and (request.legalProcess is court_order or request.legalProcess is warrant or request.legalProcess is other_process))',
      '',
      'permit agencies',
      '  when (requester.role in [law_enforcement, government_agency] and request.legalProcess in [court_order, warrant, other_process]) or own-record',
      '  because requests',
      '',
    ].join('\n');
    expect(checkFormat(text, 'case.policy')).toBe(
      [
        'condition court-grounds "Grounds a court has found."',
        '  when not (request.properForm',
        '    and request.goodCauseShown',
        '    and request.competentJurisdiction',
        '    and (request.legalProcess is court_order',
        '      or request.legalProcess is warrant',
        '      or request.legalProcess is other_process))',
        '',
        'permit agencies',
        '  when (requester.role in [law_enforcement, government_agency]',
        '      and request.legalProcess in [court_order, warrant, other_process])',
        '    or own-record',
        '  because requests',
        '',
      ].join('\n'),
    );
  });

  it('keeps the comments inside a broken group where they were', () => {
    const text = [
      'forbid release-to-agencies',
      '  when third-party',
      '    and not (requester.role in [law_enforcement, government_agency]  # who asks',
      '      # and what they bring',
      '      and request.legalProcess in [court_order, warrant]',
      '      and request.properForm)  # proper form',
      '  because requests',
      '',
    ].join('\n');
    expect(checkFormat(text, 'case.policy')).toBe(text);
  });
});
