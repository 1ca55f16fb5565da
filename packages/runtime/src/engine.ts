import type { Artifact, Atom, Leaf, Value } from './artifact.js';
import { artifactProblems } from './artifact-check.js';
import type { Citation, Decision, QueryError, Reason } from './decision.js';
import type { Change, Counterfactual } from './explain.js';
import { MAX_CHANGES } from './limits.js';
import { QueryReader } from './validate.js';

/** A loaded policy, ready to answer queries. */
export interface Engine {
  /** The artifact the engine was made from. */
  readonly artifact: Artifact;
  /**
   * Decides a query. Never throws: an invalid or hostile query is a deny carrying its `errors`. The decision
   * returned for a valid query is shared and frozen; do not mutate it.
   */
  decide(query: unknown): Decision;
  /** The deny a query gets when it cannot be decided: for problems found before the engine saw it (bad JSON). */
  refuse(errors: QueryError[]): Decision;
  /** The problems with a query: empty when it is valid. Never throws. */
  validate(query: unknown): QueryError[];
  /**
   * The query's values by attribute path (`entity.attribute`), defaults filled in, or the errors that make it
   * invalid. For tools that show a query back to people.
   */
  read(query: unknown): { values: Record<string, Value> } | { errors: QueryError[] };
  /**
   * Why not the other decision: the smallest sets of changes to the query's circumstances that would have led to
   * it, found by deciding every combination of changes in order of size, so the sets are exactly the smallest.
   * Circumstances are the attributes with a default (booleans, enumerations and integers); the required attributes
   * (who asks, in what role, for whose record) and identifiers and sets are facts of the question and stay as they
   * are. Empty for an invalid query, or when no change of up to `maxChanges` circumstances would do.
   */
  counterfactuals(query: unknown, options?: { maxChanges?: number; limit?: number }): Counterfactual[];
  /** The leaf of the decision graph a valid query reaches, and the truth of every atom tested on the way. */
  trace(query: unknown): { leaf: Leaf; tested: Map<number, boolean> } | { errors: QueryError[] };
}

/** Thrown by {@link createEngine} when what it is given is not an artifact it can load. */
export class ArtifactError extends Error {
  override name = 'ArtifactError';
}

type Test = (values: readonly Value[]) => boolean;

function compileAtom(atom: Atom, index: (path: string) => number): Test {
  switch (atom.kind) {
    case 'true': {
      const i = index(atom.attribute);
      return (v) => v[i] === true;
    }
    case 'equals': {
      const i = index(atom.attribute);
      const value = atom.value;
      return (v) => v[i] === value;
    }
    case 'same': {
      const i = index(atom.attribute);
      const j = index(atom.other);
      return (v) => v[i] === v[j];
    }
    case 'member': {
      const i = index(atom.attribute);
      const j = index(atom.set);
      return (v) => (v[j] as readonly string[]).includes(v[i] as string);
    }
    case 'contains': {
      const j = index(atom.set);
      const value = atom.value;
      return (v) => (v[j] as readonly string[]).includes(value);
    }
    case 'within': {
      const j = index(atom.set);
      const allowed = new Set(atom.values);
      return (v) => (v[j] as readonly string[]).every((member) => allowed.has(member));
    }
    case 'less': {
      const i = index(atom.attribute);
      const bound = atom.bound;
      return (v) => (v[i] as number) < bound;
    }
  }
}

/** What a thrown value says, read without trusting it: it may itself be hostile. */
function thrown(error: unknown): string {
  try {
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message.slice(0, 200) : 'it threw something other than an error';
  } catch {
    return 'it threw something that cannot be described';
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Loads a compiled policy. Everything a decision needs is prepared here, once: the atoms become functions, and
 * every leaf of the graph becomes the decision object it returns.
 *
 * @throws {ArtifactError} when `artifact` is not a Tenet artifact of a format this runtime reads.
 * @example
 * const engine = createEngine(JSON.parse(readFileSync('policy.json', 'utf8')));
 * const decision = engine.decide({ requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } });
 */
export function createEngine(input: Artifact | unknown): Engine {
  const problems = artifactProblems(input);
  if (problems.length > 0) {
    throw new ArtifactError(
      `not an artifact this runtime can load: ${problems.join('; ')}; recompile the policy with \`tenet compile\``,
    );
  }
  // The engine's own copy, frozen: nothing the caller does to its object, or to what the engine returns (defaults
  // included), can change a later decision.
  const artifact = deepFreeze(structuredClone(input) as Artifact);
  const reader = new QueryReader(artifact.vocabulary);
  const position = (path: string) => reader.indexOf(path);
  const tests = artifact.atoms.map((atom) => compileAtom(atom, position));
  const { nodes, root } = artifact.graph;
  const atomOf = Int32Array.from(nodes, (n) => n[0]);
  const lowOf = Int32Array.from(nodes, (n) => n[1]);
  const highOf = Int32Array.from(nodes, (n) => n[2]);

  const citationsById = new Map(artifact.citations.map((c) => [c.id, c]));
  const policy = deepFreeze({
    id: artifact.policy.id,
    title: artifact.policy.title,
    ...(artifact.policy.version ? { version: artifact.policy.version } : {}),
  });
  const defaultReason: Reason = {
    rule: 'default',
    effect: 'default',
    text:
      artifact.policy.defaultEffect === 'deny'
        ? 'No rule of the policy permits this, and what the policy does not permit, it denies.'
        : 'No rule of the policy forbids this, and what the policy does not forbid, it permits.',
    citations: artifact.policy.defaultCitations ?? [],
  };
  const cite = (ids: Iterable<string>): Citation[] =>
    [...new Set(ids)].flatMap((id) => {
      const c = citationsById.get(id);
      // The law is quoted; the policy's own sections are named (their text is the policy the reader has).
      return c
        ? [
            {
              id: c.id,
              kind: c.kind,
              label: c.label,
              ...(c.text && c.kind === 'authority' ? { text: c.text } : {}),
            },
          ]
        : [];
    });
  const decisionOf = (leaf: Leaf, errors: QueryError[] = []): Decision => {
    const reasons: Reason[] =
      leaf.rules.length === 0
        ? [defaultReason]
        : leaf.rules.map((r) => {
            const rule = artifact.rules[r] as Artifact['rules'][number];
            return { rule: rule.id, effect: rule.effect, text: rule.says ?? '', citations: rule.citations };
          });
    const obligations = leaf.obligations.map((o) => {
      const obligation = artifact.obligations[o] as Artifact['obligations'][number];
      return {
        id: obligation.id,
        text: obligation.says ?? obligation.title ?? '',
        citations: obligation.citations,
      };
    });
    return {
      decision: leaf.decision,
      policy,
      reasons,
      obligations,
      citations: cite([...reasons.flatMap((r) => r.citations), ...obligations.flatMap((o) => o.citations)]),
      errors,
    };
  };
  const decisions = artifact.graph.leaves.map((leaf) => deepFreeze(decisionOf(leaf)));
  const denied: Leaf = { decision: 'deny', rules: [], matched: [], obligations: [] };
  const candidateChanges = counterfactualCandidates(artifact, reader);

  const walk = (values: readonly Value[], tested?: Map<number, boolean>): number => {
    let r = root;
    while (r >= 0) {
      const atom = atomOf[r] as number;
      const holds = (tests[atom] as Test)(values);
      tested?.set(atom, holds);
      r = holds ? (highOf[r] as number) : (lowOf[r] as number);
    }
    return -r - 1;
  };
  const readSafely = (query: unknown, values: Value[]): QueryError[] => {
    try {
      return reader.read(query, values);
    } catch (error) {
      // A query that throws while being read (a getter, a proxy) is refused, never propagated.
      return [{ code: 'unreadable', path: '', message: `the query could not be read: ${thrown(error)}` }];
    }
  };

  // One values array, reused. A getter in a query can call the engine again while the query is being read: such a
  // nested call gets an array of its own, so no two queries ever share one.
  const shared: Value[] = new Array(reader.attributes.length);
  let busy = false;
  const withValues = <T>(use: (values: Value[]) => T): T => {
    if (busy) return use(new Array(reader.attributes.length));
    busy = true;
    try {
      return use(shared);
    } finally {
      busy = false;
    }
  };
  const decideWith = (query: unknown, values: Value[]): Decision => {
    const errors = readSafely(query, values);
    return errors.length > 0 ? decisionOf(denied, errors) : (decisions[walk(values)] as Decision);
  };

  return {
    artifact,
    decide(query) {
      if (busy) return decideWith(query, new Array(reader.attributes.length));
      busy = true;
      try {
        return decideWith(query, shared);
      } finally {
        busy = false;
      }
    },
    refuse: (errors) => decisionOf(denied, errors),
    validate: (query) => withValues((values) => readSafely(query, values)),
    read: (query) =>
      withValues((values) => {
        const errors = readSafely(query, values);
        if (errors.length > 0) return { errors };
        return { values: Object.fromEntries(reader.attributes.map((a, i) => [a.path, values[i] as Value])) };
      }),
    counterfactuals: (query, { maxChanges = MAX_CHANGES, limit = 5 } = {}) =>
      withValues((values) => {
        if (readSafely(query, values).length > 0) return [];
        const target =
          (artifact.graph.leaves[walk(values)] as Leaf).decision === 'permit' ? 'deny' : 'permit';
        const original = values.slice();
        const options = candidateChanges(original);
        const found: Counterfactual[] = [];
        const chosen: { index: number; to: Value }[] = [];
        let budget = MAX_WALKS;
        const search = (from: number, size: number): void => {
          if (found.length >= limit || budget <= 0) return;
          if (chosen.length === size) {
            budget--;
            const leaf = artifact.graph.leaves[walk(values)] as Leaf;
            if (leaf.decision === target) {
              found.push({
                decision: target,
                changes: chosen.map(({ index, to }): Change => {
                  const attribute = reader.attributes[index] as QueryReader['attributes'][number];
                  const description = attribute.spec.description;
                  return {
                    path: attribute.path,
                    from: original[index],
                    to,
                    ...(description ? { description } : {}),
                  };
                }),
                rules: leaf.rules.map((r) => artifact.rules[r]?.id ?? ''),
              });
            }
            return;
          }
          for (let k = from; k < options.length; k++) {
            const option = options[k] as { index: number; to: Value };
            if (chosen.some((c) => c.index === option.index)) continue;
            chosen.push(option);
            values[option.index] = option.to;
            search(k + 1, size);
            values[option.index] = original[option.index] as Value;
            chosen.pop();
          }
        };
        for (let size = 1; size <= maxChanges && found.length === 0; size++) search(0, size);
        return found;
      }),
    trace: (query) =>
      withValues((values) => {
        const errors = readSafely(query, values);
        if (errors.length > 0) return { errors };
        const tested = new Map<number, boolean>();
        return { leaf: artifact.graph.leaves[walk(values, tested)] as Leaf, tested };
      }),
  };
}

/** How many changed queries one search for counterfactuals decides at most. */
const MAX_WALKS = 200_000;

/**
 * The single changes a counterfactual is made of: for each circumstance (an attribute with a default, boolean,
 * enumeration or integer) that some atom tests, the values that atoms tell apart. Values no atom distinguishes
 * lead to the same decisions, so one of them stands for all.
 */
function counterfactualCandidates(artifact: Artifact, reader: QueryReader) {
  const tested = new Map<number, Set<Value>>();
  const note = (path: string, ...candidates: Value[]) => {
    const i = reader.indexOf(path);
    const set = tested.get(i) ?? new Set<Value>();
    for (const c of candidates) set.add(c);
    tested.set(i, set);
  };
  for (const atom of artifact.atoms) {
    if (atom.kind === 'true') note(atom.attribute, true, false);
    else if (atom.kind === 'equals') note(atom.attribute, atom.value);
    else if (atom.kind === 'less') note(atom.attribute, atom.bound, atom.bound - 1);
  }
  return (original: readonly Value[]) =>
    reader.attributes.flatMap(({ spec }, index) => {
      const values = tested.get(index);
      if (spec.default === undefined || !values) return [];
      const alternatives = [...values];
      if (spec.type.kind === 'enum') {
        const untested = spec.type.values.find((v) => !values.has(v));
        if (untested !== undefined) alternatives.push(untested);
      }
      return alternatives.filter((to) => to !== original[index]).map((to) => ({ index, to }));
    });
}
