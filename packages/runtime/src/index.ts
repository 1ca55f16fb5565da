export type {
  Artifact,
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
export { ARTIFACT_FORMAT, outcomeOf } from './artifact.js';
export { artifactProblems } from './artifact-check.js';
export type { Citation, Decision, ObligationResult, QueryError, Reason } from './decision.js';
export { ArtifactError, createEngine, type Engine } from './engine.js';
export type { Change, Counterfactual } from './explain.js';
export { describeChange, explain } from './explain.js';
export { MAX_CHANGES, MAX_SET_SIZE, MAX_STRING_LENGTH } from './limits.js';
