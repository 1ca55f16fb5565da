/**
 * Twenty situations a clerk meets at the desk, as queries of the Wethersfield vocabulary: the answers' texts are
 * read as the clerk would read them (test/desk-answers.test.ts), and five are shown in docs/desk-answers.md.
 */
export const DESK_SITUATIONS: { name: string; query: Record<string, Record<string, unknown>> }[] = [
  {
    name: 'A reporter asks what the mayor borrowed',
    query: { requester: { id: 'r-7', role: 'reporter' }, record: { subjectId: 'p-mayor' } },
  },
  {
    name: 'A husband asks what his wife has checked out',
    query: { requester: { id: 'p-8', role: 'family_member' }, record: { subjectId: 'p-9' } },
  },
  {
    name: 'A police officer with no paperwork asks what a patron borrowed',
    query: { requester: { id: 'le-1', role: 'law_enforcement' }, record: { subjectId: 'p-12' } },
  },
  {
    name: 'The police serve a subpoena in proper form',
    query: {
      requester: { id: 'le-2', role: 'law_enforcement' },
      record: { subjectId: 'p-50' },
      request: { legalProcess: 'subpoena', properForm: true },
    },
  },
  {
    name: 'The police bring a court order in proper form, on good cause shown in a competent court',
    query: {
      requester: { id: 'le-3', role: 'law_enforcement' },
      record: { subjectId: 'p-51' },
      request: {
        legalProcess: 'court_order',
        properForm: true,
        goodCauseShown: true,
        competentJurisdiction: true,
      },
    },
  },
  {
    name: 'The police bring a court order that is not in proper form',
    query: {
      requester: { id: 'le-6', role: 'law_enforcement' },
      record: { subjectId: 'p-57' },
      request: { legalProcess: 'court_order', goodCauseShown: true, competentJurisdiction: true },
    },
  },
  {
    name: 'Officers arrive with a search warrant in proper form from a competent court',
    query: {
      requester: { id: 'le-7', role: 'law_enforcement' },
      record: { subjectId: 'p-58' },
      request: {
        legalProcess: 'warrant',
        properForm: true,
        goodCauseShown: true,
        competentJurisdiction: true,
      },
    },
  },
  {
    name: 'Officers arrive with a search warrant from a court without jurisdiction',
    query: {
      requester: { id: 'le-4', role: 'law_enforcement' },
      record: { subjectId: 'p-52' },
      request: { legalProcess: 'warrant', properForm: true, goodCauseShown: true },
    },
  },
  {
    name: 'A private attorney brings a court order in proper form',
    query: {
      requester: { id: 'atty-3', role: 'attorney' },
      record: { subjectId: 'p-59' },
      request: {
        legalProcess: 'court_order',
        properForm: true,
        goodCauseShown: true,
        competentJurisdiction: true,
      },
    },
  },
  {
    name: 'An attorney in a divorce case asks, without any process',
    query: { requester: { id: 'atty-1', role: 'attorney' }, record: { subjectId: 'p-14' } },
  },
  {
    name: 'A patron asks for her own record',
    query: { requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } },
  },
  {
    name: 'A borrower brings a subpoena about his own record',
    query: {
      requester: { id: 'p-40', role: 'patron' },
      record: { subjectId: 'p-40' },
      request: { legalProcess: 'subpoena' },
    },
  },
  {
    name: 'A mother asks what her 12-year-old has borrowed',
    query: {
      requester: { id: 'p-10', role: 'parent_or_guardian', guardianOf: ['p-11'] },
      record: { subjectId: 'p-11', subjectIsMinor: true },
    },
  },
  {
    name: 'A father asks what his 20-year-old son has borrowed',
    query: {
      requester: { id: 'p-20', role: 'parent_or_guardian', guardianOf: ['p-21'] },
      record: { subjectId: 'p-21' },
    },
  },
  {
    name: "A friend brings the borrower's signed permission",
    query: {
      requester: { id: 'p-35', role: 'other' },
      record: { subjectId: 'p-36' },
      request: { writtenConsent: true },
    },
  },
  {
    name: 'A volunteer asks to look through loan records to help at the desk',
    query: {
      requester: { id: 'v-1', role: 'other' },
      record: { subjectId: 'p-41' },
      request: { purpose: 'circulation' },
    },
  },
  {
    name: "A circulation clerk checks a patron's loans to send an overdue notice",
    query: {
      requester: { id: 's-4', role: 'staff' },
      record: { subjectId: 'p-38' },
      request: { purpose: 'circulation' },
    },
  },
  {
    name: "The Library Director looks up a patron's loans out of curiosity",
    query: { requester: { id: 's-1', role: 'library_director' }, record: { subjectId: 'p-37' } },
  },
  {
    name: 'The Collection Services Manager monitors a privileged staff card',
    query: {
      requester: { id: 's-2', role: 'collection_services_manager' },
      record: { subjectId: 's-9', subjectIsStaff: true, staffCardPrivileged: true },
      request: { purpose: 'card_monitoring' },
    },
  },
  {
    name: "A patron asks to monitor a staff member's card",
    query: {
      requester: { id: 'p-42', role: 'patron' },
      record: { subjectId: 's-11', subjectIsStaff: true, staffCardPrivileged: true },
      request: { purpose: 'card_monitoring' },
    },
  },
];
