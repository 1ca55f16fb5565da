export type {
  Artifact,
  ArtifactSignature,
  Atom,
  AttributeSpec,
  AttributeType,
  CitationSpec,
  EntitySpec,
  Found,
  Graph,
  ObligationSpec,
  Outcome,
  PolicyInfo,
  RuleSpec,
  Value,
} from './artifact.js';
export { ARTIFACT_FORMAT, inBounds, outcomeOf } from './artifact.js';
export { artifactProblems, readArtifact } from './artifact-check.js';
export { canonicalJson } from './canonical.js';
export type { Citation, Decision, ObligationResult, QueryError, Reason } from './decision.js';
export { ArtifactError, createEngine, type Engine, type EngineOptions, MAX_CHANGES_LIMIT } from './engine.js';
export type { Change, Counterfactual, CounterfactualSearch } from './explain.js';
export { describeChange, explain } from './explain.js';
export { isIdentifier } from './identifier.js';
export { decodeUtf8, type JsonError, type JsonResult, MAX_JSON_DEPTH, parseJson } from './json.js';
export { MAX_CHANGES, MAX_SET_SIZE, MAX_STRING_LENGTH } from './limits.js';
export { type JsonSchema, querySchema, queryTypes } from './schema.js';
export { sha256 } from './sha256.js';
export {
  artifactDigest,
  hashedContent,
  type KeyInput,
  loadEngine,
  signArtifact,
  signedMessage,
} from './signature.js';
export { suggest } from './suggest.js';
