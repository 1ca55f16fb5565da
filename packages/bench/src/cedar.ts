/**
 * The Wethersfield rules in Cedar (cedar/wethersfield.cedar, schema cedar/wethersfield.cedarschema), decided by
 * @cedar-policy/cedar-wasm: a fourth engine for the benchmark. The policy is validated against the schema and
 * parsed once, when the engine is made; each decision converts the query to a Cedar request and asks Cedar's
 * stateful authorizer, which reuses the parsed policies. Cedar's determining policies are Tenet's deciding rules:
 * each Cedar policy's id is the Tenet rule id in its `@id` annotation. Cedar has no obligations, so a Cedar
 * decision has none.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  CedarValueJson,
  DetailedError,
  EntityJson,
  EntityUidJson,
  StatefulAuthorizationCall,
} from '@cedar-policy/cedar-wasm/nodejs';
import {
  policySetTextToParts,
  policyToJson,
  preparsePolicySet,
  preparseSchema,
  statefulIsAuthorized,
  validate,
} from '@cedar-policy/cedar-wasm/nodejs';
import type { WethersfieldQuery } from './wethersfield.js';

/** Cedar's answer to a Wethersfield query, in Tenet's terms. */
export interface CedarDecision {
  decision: 'permit' | 'deny';
  /** The Tenet rule ids of the policies that determined the decision: empty for a deny by default. */
  rules: string[];
}

/** The Wethersfield policy loaded into Cedar, ready to decide queries. */
export interface CedarEngine {
  /** Decides a query. Throws when Cedar refuses the request or a policy fails to evaluate. */
  decide(q: WethersfieldQuery): CedarDecision;
}

/** How a {@link CedarEngine} asks Cedar. */
export interface CedarEngineOptions {
  /**
   * Check every request, its entities and its context against the schema (the default), as Tenet's runtime checks
   * every query: a value outside the vocabulary (an unknown role, say) is an error. With `false` Cedar is given no
   * schema at decision time, which is faster, and an unknown value is just unequal to every value a policy names,
   * as in `decideByHand`.
   */
  validateRequests?: boolean;
}

/** The request Cedar is asked for one query, preparsed policy set and schema left out. */
export type CedarRequest = Omit<
  StatefulAuthorizationCall,
  'preparsedPolicySetId' | 'preparsedSchemaName' | 'validateRequest'
>;

const POLICY_SET = 'wethersfield';
const SCHEMA = 'wethersfield';
const directory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cedar');

/** Cedar's errors as one message, each with its help when it has some. */
function describe(errors: readonly DetailedError[]): string {
  return errors.map((e) => (e.help ? `${e.message} (${e.help})` : e.message)).join('; ');
}

const entity = (type: string, id: string): CedarValueJson => ({ __entity: { type, id } });

/**
 * The Cedar request for a query, with Tenet's defaults filled in as `decideByHand` fills them in (Cedar has no
 * defaults: the schema requires every attribute). The requester is the principal `Person::"<id>"`, the record
 * the resource `BorrowerRecord::"<subjectId>"`, the purpose the action, and the rest of the request the context;
 * `guardianOf` is a set of `Person` entities, a role or legal process an entity of its enumerated type.
 */
export function toCedarRequest(q: WethersfieldQuery): CedarRequest {
  const requester = q.requester;
  const record = q.record;
  const request = q.request ?? {};
  const principal: EntityUidJson = { type: 'Person', id: requester.id };
  const resource: EntityUidJson = { type: 'BorrowerRecord', id: record.subjectId };
  const entities: EntityJson[] = [
    {
      uid: principal,
      attrs: {
        role: entity('Role', requester.role),
        guardianOf: (requester.guardianOf ?? []).map((id) => entity('Person', id)),
      },
      parents: [],
    },
    {
      uid: resource,
      attrs: {
        subject: entity('Person', record.subjectId),
        subjectIsMinor: record.subjectIsMinor ?? false,
        subjectIsStaff: record.subjectIsStaff ?? false,
        staffCardPrivileged: record.staffCardPrivileged ?? false,
      },
      parents: [],
    },
  ];
  return {
    principal,
    action: { type: 'Action', id: request.purpose ?? 'disclosure' },
    resource,
    context: {
      legalProcess: entity('LegalProcess', request.legalProcess ?? 'none'),
      properForm: request.properForm ?? false,
      goodCauseShown: request.goodCauseShown ?? false,
      competentJurisdiction: request.competentJurisdiction ?? false,
      writtenConsent: request.writtenConsent ?? false,
    },
    entities,
  };
}

/**
 * The policies of cedar/wethersfield.cedar by the Tenet rule id in their `@id` annotation. Throws when the file
 * does not parse, or a policy has no `@id` or one another policy has.
 */
function policiesById(text: string): Record<string, string> {
  const parts = policySetTextToParts(text);
  if (parts.type === 'failure')
    throw new Error(`cedar/wethersfield.cedar does not parse: ${describe(parts.errors)}`);
  if (parts.policy_templates.length > 0)
    throw new Error('cedar/wethersfield.cedar has templates: none expected');
  const byId: Record<string, string> = {};
  for (const policy of parts.policies) {
    const json = policyToJson(policy);
    if (json.type === 'failure') throw new Error(`a Cedar policy does not parse: ${describe(json.errors)}`);
    const id = json.json.annotations?.id;
    if (!id) throw new Error(`a Cedar policy has no @id annotation: ${policy}`);
    if (id in byId) throw new Error(`two Cedar policies have @id("${id}")`);
    byId[id] = policy;
  }
  return byId;
}

/**
 * Loads cedar/wethersfield.cedar into Cedar: validates it against cedar/wethersfield.cedarschema in strict mode
 * and throws on any validation error or warning, then parses the policies (and the schema, when requests are
 * validated) once for every decision.
 */
export function createCedarEngine(options: CedarEngineOptions = {}): CedarEngine {
  const validateRequests = options.validateRequests ?? true;
  const schema = readFileSync(path.join(directory, 'wethersfield.cedarschema'), 'utf8');
  const policies = {
    staticPolicies: policiesById(readFileSync(path.join(directory, 'wethersfield.cedar'), 'utf8')),
  };

  const validation = validate({ schema, policies, validationSettings: { mode: 'strict' } });
  if (validation.type === 'failure')
    throw new Error(`the Cedar policy or schema does not parse: ${describe(validation.errors)}`);
  const problems = [...validation.validationErrors, ...validation.validationWarnings].map(
    (p) => `${p.policyId}: ${describe([p.error])}`,
  );
  problems.push(...validation.otherWarnings.map((w) => describe([w])));
  if (problems.length > 0)
    throw new Error(`the Cedar policy does not validate against its schema:\n  ${problems.join('\n  ')}`);

  const parsedPolicies = preparsePolicySet(POLICY_SET, policies);
  if (parsedPolicies.type === 'failure')
    throw new Error(`Cedar cannot preparse the policy: ${describe(parsedPolicies.errors)}`);
  if (validateRequests) {
    const parsedSchema = preparseSchema(SCHEMA, schema);
    if (parsedSchema.type === 'failure')
      throw new Error(`Cedar cannot preparse the schema: ${describe(parsedSchema.errors)}`);
  }
  const prepared = validateRequests
    ? { preparsedPolicySetId: POLICY_SET, preparsedSchemaName: SCHEMA, validateRequest: true }
    : { preparsedPolicySetId: POLICY_SET };

  return {
    decide(q) {
      const answer = statefulIsAuthorized({ ...toCedarRequest(q), ...prepared });
      if (answer.type === 'failure') throw new Error(`Cedar refuses the request: ${describe(answer.errors)}`);
      const { decision, diagnostics } = answer.response;
      // Cedar skips a policy whose condition fails to evaluate and decides without it: never let that pass.
      if (diagnostics.errors.length > 0) {
        const failures = diagnostics.errors.map((e) => `${e.policyId}: ${describe([e.error])}`);
        throw new Error(`Cedar policies failed to evaluate: ${failures.join('; ')}`);
      }
      return { decision: decision === 'allow' ? 'permit' : 'deny', rules: diagnostics.reason };
    },
  };
}
