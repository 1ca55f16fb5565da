import { describe, expect, it } from 'vitest';
import { describeChange, explain } from '../src/index.js';
import { sampleQuery, wethersfield } from './wethersfield.js';

const engine = wethersfield();

/** The explanation the CLI prints for `query`: the decision, with its counterfactuals when the query is valid. */
function explained(query: unknown): string {
  const decision = engine.decide(query);
  return explain(decision, decision.errors.length === 0 ? engine.counterfactuals(query) : undefined);
}

/** § 11-25(b) as in force, quoted as every answer quotes it. */
const lawInForce = [
  'The law in force:',
  '  Conn. Gen. Stat. § 11-25(b) (P.A. 07-227, in force since 2007-07-01): "(1) Notwithstanding section 1-210, ' +
    'records maintained by libraries that can be used to identify any library user, or link any user to a library ' +
    'transaction, regardless of format, shall be kept confidential, except that the records may be disclosed to ' +
    'officers, employees and agents of the library, as necessary for operation of the library. (2) Information ' +
    'contained in such records shall not be released to any third party, except (A) pursuant to a court order, or ' +
    '(B) with the written permission of the library user whose personal information is contained in the records. ' +
    '(3) For purposes of this subsection, "library" includes any library regularly open to the public, whether ' +
    'public or private, maintained by any industrial, commercial or other group or association, or by any ' +
    'governmental agency, but does not include libraries maintained by schools and institutions of higher ' +
    'education. (4) No provision of this subsection shall be construed to prevent a library from publishing or ' +
    'making available to the public statistical reports regarding library registration and use of library ' +
    'materials, if such reports do not contain personally identifying information."',
];

const notifyDirector =
  '  - Immediately notify the Library Director or the most senior staff member "in charge" at that time ' +
  '(Policy, Notification of Library Director).';

describe('explain', () => {
  it('tells a reporter asking about the mayor no and what to do, and suggests nothing she could say instead', () => {
    expect(explained(sampleQuery('reporter'))).toBe(
      [
        "Denied. No one but the borrower, or the parent or guardian of a minor borrower, may see a borrower's " +
          'record: not family, police, reporters, agencies, lawyers, or staff asking for themselves ' +
          '(Conn. Gen. Stat. § 11-25(b); Policy, Confidentiality of Records).',
        '',
        'What to do now:',
        notifyDirector,
        '',
        ...lawInForce,
        '',
      ].join('\n'),
    );
  });

  it('tells a parent of a minor yes, citing the policy and its reading, and quotes the 1981 text only as replaced', () => {
    expect(explain(engine.decide(sampleQuery('parent-of-minor')))).toBe(
      [
        'Permitted. A parent or legal guardian may see the record of their child or ward under 18 ' +
          '(Policy, Confidentiality of Records; Interpretation, Parents of minors and the statute in force).',
        '',
        'What to do now:',
        notifyDirector,
        '',
        ...lawInForce,
        '',
        'Quoted by the policy, but replaced since:',
        '  Conn. Gen. Stat. § 11-25(b) (P.A. 81-431), replaced by P.A. 07-227 on 2007-07-01: "Notwithstanding the ' +
          'provisions of section 1-19, personally identifiable information contained in the circulation records ' +
          'of all public libraries shall be confidential."',
        '',
      ].join('\n'),
    );
  });

  it('never suggests what the author forbids advice to vary: the parent is offered no change at all', () => {
    // The borrower's age, the Library's record of wards and the purpose given are `advice never`.
    expect(engine.counterfactuals(sampleQuery('parent-of-minor'))).toEqual({
      found: [],
      maxChanges: 4,
      complete: true,
      referral:
        'Refer the requester to the Library Director, who takes it up with counsel; desk staff release nothing themselves.',
    });
  });

  it('tells the police a subpoena releases nothing, and refers what only counsel can establish to the Director', () => {
    expect(explained(sampleQuery('subpoena-without-good-cause'))).toBe(
      [
        'Denied. A subpoena or other process that is not a court order releases nothing: give it to the Director, ' +
          'who takes it up with counsel (Conn. Gen. Stat. § 11-25(b); Policy, Requests for Library Records; ' +
          'Interpretation, What a proper show of good cause in a competent court requires).',
        '',
        'What to do now:',
        notifyDirector,
        '  - The Library Director, or his/her designee, reviews the process in a timely manner and consults legal ' +
          'counsel (the town attorney) to determine if it is in proper form and if there is a showing of good cause ' +
          'for its issuance (Policy, Action by the Library Director; Policy, Requests for Library Records; ' +
          'Policy, Authority for Policy).',
        '',
        'Would have been permitted if the legal process served were a court order or a search warrant, and ' +
          'counsel confirmed it.',
        'Refer the requester to the Library Director, who takes it up with counsel; desk staff release nothing ' +
          'themselves.',
        '',
        ...lawInForce,
        '',
      ].join('\n'),
    );
  });

  it("names a change by the vocabulary's labels, and by its path only where there is no label", () => {
    const change = { path: 'request.legalProcess', from: 'none', to: 'court_order' };
    expect(describeChange(change)).toBe('request.legalProcess were court_order');
    expect(describeChange({ ...change, label: 'the legal process served', toLabel: 'a court order' })).toBe(
      'the legal process served were a court order',
    );
    const consent = {
      path: 'request.writtenConsent',
      label: "the borrower's written permission comes with the request",
    };
    expect(describeChange({ ...consent, from: false, to: true })).toBe(
      "the borrower's written permission comes with the request",
    );
    expect(describeChange({ ...consent, from: true, to: false })).toBe(
      "it were not so that the borrower's written permission comes with the request",
    );
  });

  it('tells whoever sent a query it could not read that nothing may be released, and why', () => {
    const query = {
      requester: { id: 'r-7', role: 'reporterr' },
      record: { subjectId: 'p-mayor', subjectIsMinor: 'no' },
    };
    expect(explained(query)).toBe(
      [
        'Denied: the question could not be read, so nothing may be released.',
        '  - `requester.role` is one of patron, family_member, parent_or_guardian, ' +
          'law_enforcement, government_agency, reporter, attorney, staff, collection_services_manager, ' +
          'library_director, other, not a string of 9 characters; did you mean `reporter`?',
        '  - `record.subjectIsMinor` must be true or false, not a string of 2 characters',
        '',
      ].join('\n'),
    );
  });

  it('gives the same text for an invalid query whether or not it is given counterfactuals', () => {
    const query = { requestor: { id: 'r-7', role: 'reporter' } };
    const decision = engine.decide(query);
    const search = engine.counterfactuals(query);
    expect(search).toEqual({ found: [], maxChanges: 4, complete: true });
    expect(explain(decision, search)).toBe(explain(decision));
    expect(explain(decision)).toMatch(
      /^Denied: the question could not be read, so nothing may be released\.\n {2}- unknown field `requestor`: did you mean `requester`\?\n/,
    );
  });
});
