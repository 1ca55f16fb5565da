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
