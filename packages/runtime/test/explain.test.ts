import { describe, expect, it } from 'vitest';
import { explain } from '../src/index.js';
import { sampleQuery, wethersfield } from './wethersfield.js';

const engine = wethersfield();

/** The explanation the CLI prints for `query`: the decision, with its counterfactuals when the query is valid. */
function explained(query: unknown): string {
  const decision = engine.decide(query);
  return explain(decision, decision.errors.length === 0 ? engine.counterfactuals(query) : undefined);
}

const law = [
  'The law:',
  '  Conn. Gen. Stat. § 11-25(b): "Notwithstanding the provisions of section 1-19, personally identifiable ' +
    'information contained in the circulation records of all public libraries shall be confidential."',
];

const notifyDirector =
  '  - Immediately notify the Library Director or the most senior staff member "in charge" at that time ' +
  '(Policy, Notification of Library Director).';

describe('explain', () => {
  it('tells a reporter asking about the mayor no, what to do, and that nothing would change the answer', () => {
    expect(explained(sampleQuery('reporter'))).toBe(
      [
        "Denied. Tell no one else about a borrower's record: not family, police, reporters, agencies or lawyers " +
          '(Conn. Gen. Stat. § 11-25(b); Policy, Confidentiality of Records).',
        '',
        'Next:',
        notifyDirector,
        '',
        "No change of up to 4 of the request's circumstances would permit it.",
        '',
        ...law,
        '',
      ].join('\n'),
    );
  });

  it('tells a parent of a minor yes, citing the statute, and to notify the Director', () => {
    expect(explain(engine.decide(sampleQuery('parent-of-minor')))).toBe(
      [
        'Permitted. A parent or legal guardian may see the record of their child or ward under 18 ' +
          '(Conn. Gen. Stat. § 11-25(b); Policy, Confidentiality of Records).',
        '',
        'Next:',
        notifyDirector,
        '',
        ...law,
        '',
      ].join('\n'),
    );
  });

  it('finds that the parent would be denied were the borrower an adult, or the record wanted for other work', () => {
    const changes = engine.counterfactuals(sampleQuery('parent-of-minor')).found.map((c) => ({
      decision: c.decision,
      changes: c.changes.map((change) => [change.path, change.to]),
      rules: c.rules,
    }));
    expect(changes).toEqual([
      {
        decision: 'deny',
        changes: [['record.subjectIsMinor', false]],
        rules: ['no-release-to-third-parties'],
      },
      {
        decision: 'deny',
        changes: [['request.purpose', 'circulation']],
        rules: ['no-internal-use-by-outsiders'],
      },
      {
        decision: 'deny',
        changes: [['request.purpose', 'collection_development']],
        rules: ['no-internal-use-by-outsiders'],
      },
      {
        decision: 'deny',
        changes: [['request.purpose', 'card_monitoring']],
        rules: ['card-monitoring-outside-exception'],
      },
    ]);
  });

  it('tells the police serving a subpoena without good cause or a competent court no, what to do, and what was missing', () => {
    expect(explained(sampleQuery('subpoena-without-good-cause'))).toBe(
      [
        'Denied. Release nothing on process not in proper form, or without good cause shown in a competent court ' +
          '(Conn. Gen. Stat. § 11-25(b); Policy, Authority for Policy; Policy, Requests for Library Records).',
        '',
        'Next:',
        notifyDirector,
        '  - The Library Director, or his/her designee, reviews the process in a timely manner and consults legal ' +
          'counsel (the town attorney) to determine if it is in proper form and if there is a showing of good cause ' +
          'for its issuance (Policy, Action by the Library Director; Policy, Requests for Library Records; ' +
          'Policy, Authority for Policy).',
        '  - The process is not in proper form, or good cause has not been shown in a court of competent ' +
          'jurisdiction: the Library Director insists that such defects be cured. Nothing is released until they ' +
          'are (Policy, Requests for Library Records; Policy, Authority for Policy).',
        '',
        'Would have been permitted if:',
        '  request.goodCauseShown were true ("Good cause for the process was shown in a court."); and ' +
          'request.competentJurisdiction were true ("That court is a court of competent jurisdiction."); then: ' +
          'release-on-court-grounds.',
        '',
        ...law,
        '',
      ].join('\n'),
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
