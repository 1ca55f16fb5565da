/**
 * The Wethersfield rules written by hand, as an app developer would without Tenet: the yardstick the runtime is
 * measured against. Same rules, same reasons (deciding rule ids) and obligations as
 * policies/wethersfield/confidentiality.policy; the benchmark checks that they agree on every query.
 */
export interface WethersfieldQuery {
  requester: { id: string; role: string; guardianOf?: string[] };
  record: {
    subjectId: string;
    subjectIsMinor?: boolean;
    subjectIsStaff?: boolean;
    staffCardPrivileged?: boolean;
  };
  request?: {
    purpose?: string;
    legalProcess?: string;
    properForm?: boolean;
    goodCauseShown?: boolean;
    competentJurisdiction?: boolean;
    writtenConsent?: boolean;
  };
}

export interface HandDecision {
  decision: 'permit' | 'deny';
  rules: string[];
  obligations: string[];
}

export function decideByHand(q: WethersfieldQuery): HandDecision {
  const requester = q.requester;
  const record = q.record;
  const request = q.request ?? {};
  const purpose = request.purpose ?? 'disclosure';
  const legalProcess = request.legalProcess ?? 'none';
  const role = requester.role;

  const own = requester.id === record.subjectId;
  const parentOfMinor =
    (record.subjectIsMinor ?? false) && (requester.guardianOf ?? []).includes(record.subjectId);
  const thirdParty = !own && !parentOfMinor;
  const disclosure = purpose === 'disclosure';
  const served = legalProcess !== 'none';
  const courtProcess = legalProcess === 'court_order' || legalProcess === 'warrant';
  const otherProcess = legalProcess === 'subpoena' || legalProcess === 'other_process';
  const form = request.properForm ?? false;
  const cause = request.goodCauseShown ?? false;
  const court = request.competentJurisdiction ?? false;
  const courtGrounds = courtProcess && form && cause && court;
  const defective = courtProcess && (!form || !cause || !court);
  const properAuthority = role === 'law_enforcement' || role === 'government_agency';
  const staff = role === 'staff' || role === 'collection_services_manager' || role === 'library_director';
  const internal = purpose === 'circulation' || purpose === 'collection_development';
  const monitoring = purpose === 'card_monitoring';
  const privilegedCard = (record.subjectIsStaff ?? false) && (record.staffCardPrivileged ?? false);
  const manager = role === 'collection_services_manager';
  const libraryWork = (internal && staff) || (monitoring && manager && privilegedCard);

  const forbids: string[] = [];
  if (disclosure && thirdParty && !served) forbids.push('no-release-to-third-parties');
  if (internal && !staff) forbids.push('no-internal-use-by-outsiders');
  if (disclosure && thirdParty && otherProcess) forbids.push('subpoena-releases-nothing');
  if (disclosure && thirdParty && courtProcess && !properAuthority)
    forbids.push('court-release-only-to-proper-authorities');
  if (disclosure && thirdParty && properAuthority && defective) forbids.push('resist-defective-process');
  if (monitoring && !(manager && privilegedCard)) forbids.push('card-monitoring-outside-exception');

  const obligations: string[] = [];
  if (role !== 'library_director' && ((!own && !libraryWork) || served)) obligations.push('notify_director');
  if (served) obligations.push('consult_counsel');
  if (disclosure && thirdParty && properAuthority && legalProcess === 'court_order' && defective)
    obligations.push('demand_cure');
  if (legalProcess === 'warrant' && properAuthority) obligations.push('do_not_obstruct');

  if (forbids.length > 0) return { decision: 'deny', rules: forbids, obligations };
  const permits: string[] = [];
  if (own && disclosure) permits.push('borrower-sees-own-record');
  if (parentOfMinor && disclosure) permits.push('parent-sees-minors-record');
  if (internal && staff) permits.push('staff-use-for-library-operations');
  if (disclosure && properAuthority && courtGrounds && legalProcess === 'court_order')
    permits.push('release-on-court-order');
  if (disclosure && properAuthority && courtGrounds && legalProcess === 'warrant')
    permits.push('warrant-is-executed');
  if (monitoring && manager && privilegedCard) permits.push('csm-monitors-privileged-staff-card');
  return { decision: permits.length > 0 ? 'permit' : 'deny', rules: permits, obligations };
}

/** The decision alone, as a hand-written function that needs no reasons or obligations would compute it. */
export function decisionByHand(q: WethersfieldQuery): 'permit' | 'deny' {
  const role = q.requester.role;
  const request = q.request ?? {};
  const purpose = request.purpose ?? 'disclosure';
  const legalProcess = request.legalProcess ?? 'none';
  const own = q.requester.id === q.record.subjectId;
  const parentOfMinor =
    (q.record.subjectIsMinor ?? false) && (q.requester.guardianOf ?? []).includes(q.record.subjectId);
  const courtGrounds =
    (legalProcess === 'court_order' || legalProcess === 'warrant') &&
    (request.properForm ?? false) &&
    (request.goodCauseShown ?? false) &&
    (request.competentJurisdiction ?? false);
  const properAuthority = role === 'law_enforcement' || role === 'government_agency';
  const staff = role === 'staff' || role === 'collection_services_manager' || role === 'library_director';
  // Every forbid on a disclosure is of a third party, and a third party is released a record only by a court
  // order or warrant in proper form, on good cause shown in a competent court, brought by the proper authorities.
  if (purpose === 'disclosure')
    return own || parentOfMinor || (properAuthority && courtGrounds) ? 'permit' : 'deny';
  if (purpose === 'circulation' || purpose === 'collection_development') return staff ? 'permit' : 'deny';
  if (purpose === 'card_monitoring')
    return role === 'collection_services_manager' &&
      (q.record.subjectIsStaff ?? false) &&
      (q.record.staffCardPrivileged ?? false)
      ? 'permit'
      : 'deny';
  return 'deny';
}

/** The values of the Wethersfield vocabulary's enumerations, as the yardsticks and the query generator know them. */
export const ROLE_VALUES = [
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
] as const;
export const PURPOSE_VALUES = [
  'disclosure',
  'circulation',
  'collection_development',
  'card_monitoring',
] as const;
export const PROCESS_VALUES = ['none', 'subpoena', 'court_order', 'warrant', 'other_process'] as const;
const ROLES = new Set<string>(ROLE_VALUES);
const PURPOSES = new Set<string>(PURPOSE_VALUES);
const PROCESSES = new Set<string>(PROCESS_VALUES);
/** What an identifier may not hold: whitespace, control, format, surrogate, private-use, U+FFFD. */
const NOT_IN_IDENTIFIER = /[\s\p{Cc}\p{Cf}\p{Cs}\p{Co}\uFFFD]/u;

/** Whether `value` is a plain object: its own, made by a literal or `JSON.parse`, or without a prototype. */
function plain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Whether every own key of `object` is one of `keys` (JSON has no symbol keys, and Tenet reads none). */
function only(object: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const key in object) if (Object.hasOwn(object, key) && !keys.includes(key)) return false;
  return true;
}

/** Printable ASCII: an identifier as it nearly always is, in NFC and free of what is not allowed. */
const ASCII_IDENTIFIER = /^[\x21-\x7e]+$/;
const identifier = (v: unknown): v is string =>
  typeof v === 'string' &&
  v.length >= 1 &&
  v.length <= 1024 &&
  (ASCII_IDENTIFIER.test(v) || (!NOT_IN_IDENTIFIER.test(v) && v.normalize('NFC') === v));
const flag = (v: unknown) => v === undefined || typeof v === 'boolean';
const oneOf = (set: ReadonlySet<string>, v: unknown) =>
  v === undefined || (typeof v === 'string' && set.has(v));

/**
 * The Wethersfield query validated by hand as strictly as Tenet validates it: plain objects with known keys only,
 * each field of its type, enumerations by their values, identifiers by Tenet's rule (1 to 1,024 UTF-16 units, NFC,
 * no whitespace, control, format, surrogate, private-use or replacement character), sets dense arrays of at most
 * 1,000 identifiers. Undefined when the query is invalid: the yardstick an app that validates its input would write.
 */
export function validatedByHand(q: unknown): WethersfieldQuery | undefined {
  if (!plain(q) || !only(q, ['requester', 'record', 'request'])) return undefined;
  const { requester, record, request = {} } = q;
  if (!plain(requester) || !only(requester, ['id', 'role', 'guardianOf'])) return undefined;
  if (!identifier(requester.id) || typeof requester.role !== 'string' || !ROLES.has(requester.role))
    return undefined;
  const wards = requester.guardianOf;
  if (wards !== undefined) {
    if (!Array.isArray(wards) || wards.length > 1000) return undefined;
    for (let i = 0; i < wards.length; i++)
      if (!Object.hasOwn(wards, i) || !identifier(wards[i])) return undefined;
  }
  if (
    !plain(record) ||
    !only(record, ['subjectId', 'subjectIsMinor', 'subjectIsStaff', 'staffCardPrivileged'])
  )
    return undefined;
  if (!identifier(record.subjectId) || !flag(record.subjectIsMinor) || !flag(record.subjectIsStaff))
    return undefined;
  if (!flag(record.staffCardPrivileged)) return undefined;
  const fields = [
    'purpose',
    'legalProcess',
    'properForm',
    'goodCauseShown',
    'competentJurisdiction',
    'writtenConsent',
  ];
  if (!plain(request) || !only(request, fields)) return undefined;
  if (!oneOf(PURPOSES, request.purpose) || !oneOf(PROCESSES, request.legalProcess)) return undefined;
  if (!flag(request.properForm) || !flag(request.goodCauseShown) || !flag(request.competentJurisdiction))
    return undefined;
  if (!flag(request.writtenConsent)) return undefined;
  return q as unknown as WethersfieldQuery;
}

/** {@link decideByHand} on a query {@link validatedByHand} first: a deny, with no rule, when it is invalid. */
export function decideValidatedByHand(q: unknown): HandDecision {
  const valid = validatedByHand(q);
  return valid ? decideByHand(valid) : { decision: 'deny', rules: [], obligations: [] };
}
