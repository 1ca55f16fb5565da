/**
 * The compiled form of a policy: everything the runtime needs to decide and explain, and nothing of the source.
 * The compiler writes it; the runtime owns its format. JSON throughout, so it can be stored, shipped to a browser,
 * or inspected by hand.
 */
export const ARTIFACT_FORMAT = 'tenet-artifact/5';

/** The type of a query attribute. */
export type AttributeType =
  | { kind: 'boolean' | 'identifier' }
  /** `min` and `max`, where present: the least and the greatest value a query may give, both included. */
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'enum'; values: string[] }
  /** `nonEmpty`, where present: a query gives at least one member. */
  | { kind: 'set'; element: { kind: 'identifier' } | { kind: 'enum'; values: string[] }; nonEmpty?: true };

/** A value a query can hold: a scalar, or a set of scalars (as a JSON array). */
export type Value = boolean | number | string | readonly string[];

/**
 * Whether a value of `type` lies within the type's bounds: an integer between its `min` and `max`, a set that must
 * not be empty with a member. Every other value is within bounds; whether it is of the type is asked apart.
 */
export function inBounds(type: AttributeType, value: Value): boolean {
  if (type.kind === 'integer')
    return !(typeof value === 'number' && ((type.min ?? value) > value || (type.max ?? value) < value));
  if (type.kind === 'set' && type.nonEmpty) return !Array.isArray(value) || value.length > 0;
  return true;
}

/** One attribute of the vocabulary. */
export interface AttributeSpec {
  name: string;
  type: AttributeType;
  /** Absent: the attribute is required. */
  default?: Value;
  description?: string;
  /** The attribute in the words an answer uses: "the legal process served", "the process is in proper form". */
  label?: string;
  /** For an enumeration (or a set of one): the label of each value, in the order of the type's `values`. */
  valueLabels?: string[];
  /**
   * What advice may do with the attribute: absent, suggest a change of it; `never`, never suggest one (a purpose the
   * requester declares); `counsel`, refer the question (what only counsel can establish: see `PolicyInfo.referral`).
   */
  advice?: 'never' | 'counsel';
}

/** One entity of the vocabulary: a top-level key of the query. */
export interface EntitySpec {
  name: string;
  description?: string;
  attributes: AttributeSpec[];
}

/**
 * A test of the query, at an internal node of the decision graph. Attributes are named `entity.attribute`.
 * Every condition of the policy is a boolean combination of these.
 */
export type Atom =
  /** A boolean attribute is true. */
  | { kind: 'true'; attribute: string }
  /** An attribute equals a value (an enumeration value, an identifier, an integer). */
  | { kind: 'equals'; attribute: string; value: string | number }
  /** Two attributes hold the same value. */
  | { kind: 'same'; attribute: string; other: string }
  /** A value attribute is a member of a set attribute. */
  | { kind: 'member'; attribute: string; set: string }
  /** A set attribute contains a value. */
  | { kind: 'contains'; set: string; value: string }
  /** A set attribute holds only values from a list. */
  | { kind: 'within'; set: string; values: string[] }
  /** An integer attribute is less than a bound. */
  | { kind: 'less'; attribute: string; bound: number };

/**
 * The decision graph: a reduced, ordered, shared DAG whose paths collect what holds. A node is `[atom, low, high]`:
 * test `atoms[atom]`, go to `high` when it holds and `low` when not. A reference `r >= 0` is `nodes[r]`; `r < 0` is
 * `found[-r - 1]`, a step where conditions are found to hold, from which the path goes on to `next`, or ends.
 *
 * A rule's condition is found to hold where the path has settled it, once: so the part of the graph below is
 * shared by every path that has the same rules left to decide, whatever it has already found. A path's outcome is
 * what its found steps add up to (see {@link outcomeOf}).
 */
export interface Graph {
  root: number;
  nodes: [atom: number, low: number, high: number][];
  found: Found[];
}

/** A step of a path in the decision graph: the rules and obligations whose conditions hold on every path through it. */
export interface Found {
  /** Indexes into `rules`. */
  rules: number[];
  /** Indexes into `obligations`. */
  obligations: number[];
  /** Where the path goes on: a node, never another found step. Absent where the path ends. */
  next?: number;
}

/** What a query's path through the graph adds up to. */
export interface Outcome {
  decision: 'permit' | 'deny';
  /** Indexes into `rules`: the rules whose effect is the decision's (empty for a default decision). */
  rules: number[];
  /** Indexes into `rules`: every rule whose condition held, of either effect. */
  matched: number[];
  /** Indexes into `obligations`. */
  obligations: number[];
}

/**
 * The outcome of a path that passed through the found steps `steps` (indexes into `graph.found`): forbid wins over
 * permit, and where no rule holds the default decides. Rules and obligations in index order.
 */
export function outcomeOf(
  graph: Pick<Graph, 'found'>,
  steps: Iterable<number>,
  effects: readonly ('permit' | 'forbid')[],
  defaultEffect: 'permit' | 'deny',
): Outcome {
  const matched = new Set<number>();
  const obligations = new Set<number>();
  for (const step of steps) {
    const found = graph.found[step] as Found;
    for (const r of found.rules) matched.add(r);
    for (const o of found.obligations) obligations.add(o);
  }
  const ordered = [...matched].sort((a, b) => a - b);
  const forbids = ordered.filter((r) => effects[r] === 'forbid');
  const permits = ordered.filter((r) => effects[r] === 'permit');
  return {
    decision: forbids.length > 0 ? 'deny' : permits.length > 0 ? 'permit' : defaultEffect,
    rules: forbids.length > 0 ? forbids : permits,
    matched: ordered,
    obligations: [...obligations].sort((a, b) => a - b),
  };
}

/** A rule, as explanations need it. */
export interface RuleSpec {
  id: string;
  effect: 'permit' | 'forbid';
  says?: string;
  /** Ids into `citations`. */
  citations: string[];
  /** The id of the section the rule is written under. */
  section?: string;
}

/** An obligation, as staff need it. */
export interface ObligationSpec {
  id: string;
  title?: string;
  says?: string;
  citations: string[];
}

/** An authority, a section or an interpretation, with the text it quotes. */
export interface CitationSpec {
  id: string;
  /** An interpretation is a reading of the policy or the law: citing it cites what it reads (`citations`). */
  kind: 'authority' | 'section' | 'interpretation';
  /** How it is cited: "Conn. Gen. Stat. § 11-25(b)", or a section's title. */
  label: string;
  title?: string;
  text?: string;
  /** For an authority: the version of the law it quotes. */
  enactedBy?: string;
  amendedBy?: string[];
  effective?: string;
  superseded?: string;
  supersededBy?: string;
  /** For an interpretation: the authorities and sections it reads, which a decision citing it cites too. */
  citations?: string[];
}

/** A policy's identity and history. */
export interface PolicyInfo {
  id: string;
  title: string;
  owner?: string;
  version?: string;
  history: { event: string; date: string; by?: string }[];
  defaultEffect: 'permit' | 'deny';
  /** What a decision no rule made cites. */
  defaultCitations?: string[];
  /**
   * What advice says where a different answer turns on what only counsel can establish (an attribute with advice
   * `counsel`): "Refer the requester to the Director, who takes it up with counsel."
   */
  referral?: string;
}

/**
 * Who vouches for an artifact: an Ed25519 signature over its hash (see {@link signedMessage}), by the key whose id
 * is given. Only a key the loader was given can make it mean anything.
 */
export interface ArtifactSignature {
  algorithm: 'Ed25519';
  /** The signing key's id: the first 16 hex digits of the SHA-256 of its public key (SPKI, DER). */
  key: string;
  /** The signature, base64. */
  value: string;
}

/** The compiled policy. */
export interface Artifact {
  format: typeof ARTIFACT_FORMAT;
  /**
   * The SHA-256, hex, of the canonical JSON (RFC 8785) of the artifact without its `hash` and `signature`: the same
   * for every text of the same artifact, whatever its key order or spacing.
   */
  hash: string;
  signature?: ArtifactSignature;
  policy: PolicyInfo;
  vocabulary: EntitySpec[];
  atoms: Atom[];
  graph: Graph;
  rules: RuleSpec[];
  obligations: ObligationSpec[];
  citations: CitationSpec[];
}
