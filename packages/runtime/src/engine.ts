import {
  type Artifact,
  type Atom,
  type AttributeSpec,
  inBounds,
  type Outcome,
  outcomeOf,
  type Value,
} from './artifact.js';
import { readArtifact, withoutPrototype } from './artifact-check.js';
import type { Citation, Decision, QueryError, Reason } from './decision.js';
import type { Change, Counterfactual, CounterfactualSearch } from './explain.js';
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
  refuse(errors: readonly QueryError[]): Decision;
  /** The problems with a query: empty when it is valid. Never throws. */
  validate(query: unknown): readonly QueryError[];
  /**
   * The query's values by attribute path (`entity.attribute`), defaults filled in, or the errors that make it
   * invalid. For tools that show a query back to people. The answer has no prototype, so `'values' in answer`
   * tells the two apart even when `Object.prototype` is polluted.
   */
  read(query: unknown): { values: Record<string, Value> } | { errors: readonly QueryError[] };
  /**
   * Why not the other decision: the smallest sets of changes to the query's circumstances that would have led to
   * it, found by deciding every combination of changes in order of size, so the sets are exactly the smallest.
   * Circumstances are the attributes with a default (booleans, enumerations and integers); the required attributes
   * (who asks, in what role, for whose record) and identifiers and sets are facts of the question and stay as they
   * are. Nothing is found for an invalid query. The search is bounded: `maxChanges` (default {@link MAX_CHANGES},
   * at most {@link MAX_CHANGES_LIMIT}), `limit` sets returned (default 5, at most 20), and a budget of queries
   * decided; `complete` says whether it tried everything it was asked to.
   */
  counterfactuals(query: unknown, options?: { maxChanges?: number; limit?: number }): CounterfactualSearch;
  /**
   * What a valid query's path through the decision graph adds up to, and the truth of every atom tested on it. The
   * answer has no prototype, as `read`'s.
   */
  trace(
    query: unknown,
  ): { outcome: Outcome; tested: Map<number, boolean> } | { errors: readonly QueryError[] };
}

/** Thrown by {@link createEngine} when what it is given is not an artifact it can load. */
export class ArtifactError extends Error {
  override name = 'ArtifactError';
}

/** How engines are made. */
export interface EngineOptions {
  /**
   * Whether the engine may generate code (with `new Function`) for a faster reader of queries. `true`, the default:
   * it tries, and where it cannot (a Content Security Policy without `'unsafe-eval'`, Trusted Types) it falls back
   * to the general reader on its own, but the browser still reports the attempt as a CSP violation. `false`: it
   * never tries and always uses the general reader, so no violation is reported; set it under such a policy. The
   * decisions are the same either way; only the time spent reading a query differs.
   */
  codegen?: boolean;
}

/** The most circumstances one counterfactual may change, whatever the caller asks. */
export const MAX_CHANGES_LIMIT = 8;

/** `options[key]` when it is the options' own property: nothing inherited from a polluted prototype. */
function option(options: unknown, key: string): unknown {
  return typeof options === 'object' && options !== null && Object.hasOwn(options, key)
    ? (options as Record<string, unknown>)[key]
    : undefined;
}

/** A count the caller asked for, as a whole number from 0 to `max`, or `fallback` when it is not a number. */
function bounded(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && value >= 0 ? Math.min(Math.floor(value), max) : fallback;
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
    // Sets are walked by index, not with Array methods: a host's prototypes may have been tampered with.
    case 'member': {
      const i = index(atom.attribute);
      const j = index(atom.set);
      return (v) => has(v[j] as readonly string[], v[i] as string);
    }
    case 'contains': {
      const j = index(atom.set);
      const value = atom.value;
      return (v) => has(v[j] as readonly string[], value);
    }
    case 'within': {
      const j = index(atom.set);
      const allowed = new Set(atom.values);
      return (v) => {
        const set = v[j] as readonly string[];
        for (let k = 0; k < set.length; k++) if (!allowed.has(set[k] as string)) return false;
        return true;
      };
    }
    case 'less': {
      const i = index(atom.attribute);
      const bound = atom.bound;
      return (v) => (v[i] as number) < bound;
    }
  }
}

function has(set: readonly string[], value: string): boolean {
  for (let k = 0; k < set.length; k++) if (set[k] === value) return true;
  return false;
}

/**
 * Loads a compiled policy. The artifact is copied first (each property read once) and the copy checked and frozen
 * (see {@link readArtifact}), so nothing the caller does to its object, before or after, changes a decision. Then
 * everything a decision needs is prepared, once: the atoms become functions, and the graph flat arrays. The
 * decision object of each outcome is made the first time a query reaches it, and kept. The artifact's hash and
 * signature are not checked here: {@link loadEngine} does that.
 *
 * It accepts an {@link Artifact}, or JSON text already parsed (by `JSON.parse` or `parseJson`) and not yet
 * known to be one: whatever it is given is checked at run time, so the second signature takes `unknown`.
 *
 * @throws {ArtifactError} when `artifact` is not a Tenet artifact of a format this runtime reads.
 * @example
 * const engine = createEngine(JSON.parse(readFileSync('policy.json', 'utf8')));
 * const decision = engine.decide({ requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } });
 */
export function createEngine(artifact: Artifact, options?: EngineOptions): Engine;
/** Loads a compiled policy from JSON already parsed, not yet known to be an artifact: it is checked here. */
export function createEngine(parsedJson: unknown, options?: EngineOptions): Engine;
export function createEngine(input: unknown, options: EngineOptions = {}): Engine {
  const read = readArtifact(input);
  if ('problems' in read)
    throw new ArtifactError(`not an artifact this runtime can load: ${read.problems.join('; ')}`);
  return engineOf(read.artifact, options);
}

/** The engine of an artifact {@link readArtifact} has read. */
export function engineOf(artifact: Artifact, options: EngineOptions): Engine {
  try {
    return prepare(artifact, option(options, 'codegen') !== false);
  } catch {
    // Only a tampered host (built-in methods replaced) can make a checked artifact fail to load.
    throw new ArtifactError('the artifact could not be loaded: preparing it failed');
  }
}

function prepare(artifact: Artifact, codegen: boolean): Engine {
  const reader = new QueryReader(artifact.vocabulary, { fast: codegen });
  const position = (path: string) => reader.indexOf(path);
  const tests = artifact.atoms.map((atom) => compileAtom(atom, position));
  const { nodes, root, found } = artifact.graph;
  const atomOf = Int32Array.from(nodes, (n) => n[0]);
  const lowOf = Int32Array.from(nodes, (n) => n[1]);
  const highOf = Int32Array.from(nodes, (n) => n[2]);
  // The tests most nodes make, a boolean's truth and an attribute's value, made in the walk itself; the rest call
  // their atom's function.
  const kindOf = Int8Array.from(nodes, ([atom]) => {
    const kind = artifact.atoms[atom]?.kind;
    return kind === 'true' ? IS_TRUE : kind === 'equals' ? EQUALS : OTHER;
  });
  const attributeOf = Int32Array.from(nodes, ([atom]) => {
    const a = artifact.atoms[atom];
    return a?.kind === 'true' || a?.kind === 'equals' ? position(a.attribute) : -1;
  });
  const testedValue = nodes.map(([atom]) => {
    const a = artifact.atoms[atom];
    return a?.kind === 'equals' ? a.value : undefined;
  });
  // A found step that finds nothing (where a path ends with nothing more) is not part of any outcome.
  const finds = Uint8Array.from(found, (f) => (f.rules.length + f.obligations.length > 0 ? 1 : 0));
  const effectsFound = found.map((f) => ({
    forbid: f.rules.some((r) => artifact.rules[r]?.effect === 'forbid'),
    permit: f.rules.some((r) => artifact.rules[r]?.effect === 'permit'),
  }));
  const nextOf = Int32Array.from(found, (f) => f.next ?? END);
  const effects = artifact.rules.map((r) => r.effect);
  const jumps = chainJumps(artifact, position);
  jumps.forEach((jump, n) => {
    if (jump) kindOf[n] = JUMP;
  });

  const policy = Object.freeze({
    id: artifact.policy.id,
    title: artifact.policy.title,
    ...(artifact.policy.version ? { version: artifact.policy.version } : {}),
  });
  const defaultReason: Reason = Object.freeze({
    rule: 'default',
    effect: 'default',
    text:
      artifact.policy.defaultEffect === 'deny'
        ? 'No rule of the policy permits this, and what the policy does not permit, it denies.'
        : 'No rule of the policy forbids this, and what the policy does not forbid, it permits.',
    citations: artifact.policy.defaultCitations ?? [],
  });
  const refusalReason: Reason = Object.freeze({
    rule: 'refused',
    effect: 'refusal',
    text: 'The question could not be read, so it is denied: nothing is released on a question that cannot be read.',
    citations: Object.freeze([]) as unknown as string[],
  });
  // Every part a decision is made of, made once and frozen, and shared by every decision that has it: a decision
  // kept for a path costs its three lists, not copies of its reasons.
  const citationOf = new Map(
    artifact.citations.map((c) => {
      const act = c.amendedBy?.at(-1) ?? c.enactedBy;
      return [
        c.id,
        Object.freeze({
          id: c.id,
          kind: c.kind,
          label: c.label,
          // The law is quoted, with its version; the policy's own sections and readings are named.
          ...(c.kind === 'authority'
            ? {
                ...(c.text ? { text: c.text } : {}),
                ...(act ? { act } : {}),
                ...(c.effective ? { effective: c.effective } : {}),
                ...(c.superseded ? { superseded: c.superseded } : {}),
                ...(c.supersededBy ? { supersededBy: c.supersededBy } : {}),
              }
            : {}),
        }) as Citation,
      ];
    }),
  );
  /**
   * What citing an id cites: itself; what an interpretation reads; and, for an authority replaced since, the
   * authority that replaced it, so that an answer quoting the old text always quotes the law in force too. As
   * indexes into `citationList`, in the order a decision lists them.
   */
  const citationList = artifact.citations.map((c) => citationOf.get(c.id) as Citation);
  const citationIndex = new Map(artifact.citations.map((c, i) => [c.id, i]));
  const closure = (ids: readonly string[]): number[] => {
    // Without recursion: an artifact decides how long a chain of replaced authorities is.
    const seen = new Set<string>();
    const pending = [...ids].reverse();
    while (pending.length > 0) {
      const id = pending.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      const i = citationIndex.get(id);
      const c = i === undefined ? undefined : artifact.citations[i];
      const next = [...(c?.citations ?? []), ...(c?.supersededBy ? [c.supersededBy] : [])];
      for (let k = next.length - 1; k >= 0; k--) pending.push(next[k] as string);
    }
    return [...seen].flatMap((id) => citationIndex.get(id) ?? []);
  };
  const reasonOf = artifact.rules.map(
    (rule): Reason =>
      Object.freeze({ rule: rule.id, effect: rule.effect, text: rule.says ?? '', citations: rule.citations }),
  );
  const obligationOf = artifact.obligations.map((obligation) =>
    Object.freeze({
      id: obligation.id,
      text: obligation.says ?? obligation.title ?? '',
      citations: obligation.citations,
    }),
  );
  const ruleCites = artifact.rules.map((r) => closure(r.citations));
  const obligationCites = artifact.obligations.map((o) => closure(o.citations));
  const defaultCites = closure(defaultReason.citations);
  // What a decision has already listed, marked with the number of the decision being made: no set is made per
  // decision, and the citations of its reasons and duties, each closed once when the engine was made, are joined
  // in order. (The closure of a list is the closures of its members joined: whatever one reaches, all it reaches
  // is already there.)
  const citationMark = new Int32Array(citationList.length);
  // The rules and obligations found on the last path walked, marked so too: what a path found more than once (a
  // rule found in two parts of the graph) counts once.
  const ruleMark = new Int32Array(artifact.rules.length);
  const obligationMark = new Int32Array(artifact.obligations.length);
  let marking = 0;
  const nextMark = () => {
    if (marking === 0x7fffffff) {
      for (const marks of [citationMark, ruleMark, obligationMark]) marks.fill(0);
      marking = 0;
    }
    return ++marking;
  };
  /** A decision: frozen, its lists too, when it is kept and shared. */
  const decisionOf = (outcome: Outcome, errors: readonly QueryError[] = [], frozen = false): Decision => {
    const refused = errors.length > 0;
    const byDefault = outcome.rules.length === 0;
    const reasons = refused
      ? [refusalReason]
      : byDefault
        ? [defaultReason]
        : outcome.rules.map((r) => reasonOf[r] as Reason);
    const obligations = outcome.obligations.map((o) => obligationOf[o] as Decision['obligations'][number]);
    const mark = nextMark();
    const citations: Citation[] = [];
    const cite = (list: readonly number[]) => {
      for (let k = 0; k < list.length; k++) {
        const c = list[k] as number;
        if (citationMark[c] === mark) continue;
        citationMark[c] = mark;
        citations.push(citationList[c] as Citation);
      }
    };
    if (!refused) {
      if (byDefault) cite(defaultCites);
      else for (const r of outcome.rules) cite(ruleCites[r] as number[]);
    }
    for (const o of outcome.obligations) cite(obligationCites[o] as number[]);
    const decision = { decision: outcome.decision, policy, reasons, obligations, citations, errors };
    if (frozen) for (const part of [reasons, obligations, citations, errors, decision]) Object.freeze(part);
    return decision;
  };
  const denied: Outcome = { decision: 'deny', rules: [], matched: [], obligations: [] };
  // What every call answers when deciding itself fails: made now, while the host's built-ins are known to work.
  const failure: QueryError = Object.freeze({
    code: 'internal-error',
    path: '',
    message: 'the question could not be decided (the program’s built-in objects may have been tampered with)',
  });
  const failed = decisionOf(denied, [failure], true);
  const failedErrors = failed.errors;
  const candidateChanges = counterfactualCandidates(artifact, reader);
  const referral = artifact.policy.referral ? { referral: artifact.policy.referral } : {};

  // The found steps of the last path walked (a path passes a step once at most, and one before each node at most).
  // Walking calls nothing of the caller's, so one array serves every walk.
  const steps = new Int32Array(Math.min(found.length, nodes.length + 1));
  let stepCount = 0;
  /** Walks the graph on a query's values, noting the found steps of its path. */
  const walk = (values: readonly Value[], tested?: Map<number, boolean>): void => {
    let r = root;
    stepCount = 0;
    for (;;) {
      if (r >= 0) {
        const kind = kindOf[r];
        if (kind === JUMP && !tested) {
          const jump = jumps[r] as Jump;
          r = jump.targets.get(values[jump.attribute] as Value) ?? jump.exit;
          continue;
        }
        const atom = atomOf[r] as number;
        const holds =
          kind === IS_TRUE
            ? values[attributeOf[r] as number] === true
            : kind === OTHER
              ? (tests[atom] as Test)(values)
              : values[attributeOf[r] as number] === testedValue[r];
        tested?.set(atom, holds);
        r = holds ? (highOf[r] as number) : (lowOf[r] as number);
        continue;
      }
      const step = -r - 1;
      if (finds[step] === 1) steps[stepCount++] = step;
      r = nextOf[step] as number;
      if (r === END) return;
    }
  };
  /** The decision alone of the last path walked: what a search for counterfactuals needs of each. */
  const decisionOfWalk = (): 'permit' | 'deny' => {
    let permit = false;
    for (let k = 0; k < stepCount; k++) {
      const step = effectsFound[steps[k] as number] as { forbid: boolean; permit: boolean };
      if (step.forbid) return 'deny';
      permit ||= step.permit;
    }
    return permit ? 'permit' : artifact.policy.defaultEffect;
  };
  // What each found step finds, in flat arrays: step `s` finds `ruleList[ruleStart[s]]` up to `ruleStart[s + 1]`.
  const flat = (lists: readonly (readonly number[])[]) => {
    const start = new Int32Array(lists.length + 1);
    lists.forEach((list, i) => {
      start[i + 1] = (start[i] as number) + list.length;
    });
    return { start, list: Int32Array.from(lists.flat()) };
  };
  const { start: ruleStart, list: ruleList } = flat(found.map((f) => f.rules));
  const { start: obligationStart, list: obligationList } = flat(found.map((f) => f.obligations));
  const forbidding = Uint8Array.from(effects, (e) => (e === 'forbid' ? 1 : 0));
  // What the last path walked found, each once, in index order: `forbidsFound` up to `forbidCount`, and so on.
  const forbidsFound = new Int32Array(effects.length);
  const permitsFound = new Int32Array(effects.length);
  const obligationsFound = new Int32Array(artifact.obligations.length);
  let forbidCount = 0;
  let permitCount = 0;
  let obligationCount = 0;
  /** Collects what the last path walked found, allocating nothing. */
  const collect = () => {
    const mark = nextMark();
    forbidCount = 0;
    permitCount = 0;
    obligationCount = 0;
    for (let k = 0; k < stepCount; k++) {
      const step = steps[k] as number;
      for (let j = ruleStart[step] as number, end = ruleStart[step + 1] as number; j < end; j++) {
        const r = ruleList[j] as number;
        if (ruleMark[r] === mark) continue;
        ruleMark[r] = mark;
        if (forbidding[r] === 1) forbidsFound[forbidCount++] = r;
        else permitsFound[permitCount++] = r;
      }
      for (let j = obligationStart[step] as number, end = obligationStart[step + 1] as number; j < end; j++) {
        const o = obligationList[j] as number;
        if (obligationMark[o] === mark) continue;
        obligationMark[o] = mark;
        obligationsFound[obligationCount++] = o;
      }
    }
    sortStart(forbidsFound, forbidCount);
    sortStart(permitsFound, permitCount);
    sortStart(obligationsFound, obligationCount);
  };
  const listOf = (found: Int32Array, count: number) => Array.from(found.subarray(0, count));
  /** What the last path walked adds up to (as {@link outcomeOf} has it). */
  const outcome = (): Outcome => {
    collect();
    const forbids = listOf(forbidsFound, forbidCount);
    const permits = listOf(permitsFound, permitCount);
    const rules = forbidCount > 0 ? forbids : permits;
    return {
      decision: forbidCount > 0 ? 'deny' : permitCount > 0 ? 'permit' : artifact.policy.defaultEffect,
      rules,
      matched: forbidCount > 0 && permitCount > 0 ? [...forbids, ...permits].sort((a, b) => a - b) : rules,
      obligations: listOf(obligationsFound, obligationCount),
    };
  };
  // Decisions kept by what decided them (the deciding rules and the obligations), made when first reached: paths
  // that differ in permits a forbid overrides, or in the parts of the graph that found a rule, share one. Entries
  // by a hash of the two lists; when MAX_CACHED are kept, all are dropped and the cache fills again with what
  // queries reach from then on, so no stream of queries can grow it without bound.
  let kept = new Map<number, Kept[]>();
  let keptCount = 0;
  const decisionOfOutcome = (): Decision => {
    collect();
    const deciding = forbidCount > 0 ? forbidsFound : permitsFound;
    const count = forbidCount > 0 ? forbidCount : permitCount;
    let hash = 0x811c9dc5;
    for (let k = 0; k < count; k++) hash = Math.imul(hash ^ (deciding[k] as number), 0x01000193);
    hash = Math.imul(hash ^ 0x7fffffff, 0x01000193);
    for (let k = 0; k < obligationCount; k++)
      hash = Math.imul(hash ^ (obligationsFound[k] as number), 0x01000193);
    hash &= 0x3fffffff;
    const same = (list: readonly number[], found: Int32Array, n: number) => {
      if (list.length !== n) return false;
      for (let k = 0; k < n; k++) if (list[k] !== found[k]) return false;
      return true;
    };
    const bucket = kept.get(hash);
    if (bucket !== undefined)
      for (const entry of bucket)
        if (same(entry.rules, deciding, count) && same(entry.obligations, obligationsFound, obligationCount))
          return entry.decision;
    const rules = listOf(deciding, count);
    const obligations = listOf(obligationsFound, obligationCount);
    const decision = decisionOf(
      {
        decision: forbidCount > 0 ? 'deny' : permitCount > 0 ? 'permit' : artifact.policy.defaultEffect,
        rules,
        matched: rules,
        obligations,
      },
      [],
      true,
    );
    if (++keptCount > MAX_CACHED) {
      kept = new Map();
      keptCount = 1;
    }
    const entry: Kept = { rules, obligations, decision };
    const list = kept.get(hash);
    if (list === undefined) kept.set(hash, [entry]);
    else list.push(entry);
    return decision;
  };
  // And by the found steps of their path, for a path of a few: a trie, quicker to look up than the outcome is to
  // add up. It is emptied, as the other, when it holds MAX_CACHED.
  let rootEntry: CacheNode = { children: new Map(), decision: undefined };
  let entries = 0;
  const decisionOfPath = (): Decision => {
    if (stepCount > MAX_KEPT_STEPS) return decisionOfOutcome();
    let entry = rootEntry;
    for (let k = 0; k < stepCount; k++) {
      const step = steps[k] as number;
      let child = entry.children.get(step);
      if (child === undefined) {
        if (++entries > MAX_CACHED) {
          rootEntry = { children: new Map(), decision: undefined };
          entries = 0;
          return decisionOfPath();
        }
        child = { children: new Map(), decision: undefined };
        entry.children.set(step, child);
      }
      entry = child;
    }
    entry.decision ??= decisionOfOutcome();
    return entry.decision;
  };

  const readSafely = (query: unknown, values: Value[]): readonly QueryError[] => {
    try {
      return reader.read(query, values);
    } catch {
      // A query that throws while being read (a getter, a proxy) is refused, never propagated. What it threw is
      // not repeated: it may be anything, personal data too.
      return [{ code: 'unreadable', path: '', message: 'the query could not be read: reading it threw' }];
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
    if (errors.length > 0) return decisionOf(denied, errors);
    walk(values);
    return decisionOfPath();
  };

  /** The smallest sets of changes to a valid query's `values` that reach the other decision, smallest first. */
  const searchChanges = (values: Value[], maxChanges: number, limit: number): CounterfactualSearch => {
    walk(values);
    const target = decisionOfWalk() === 'permit' ? 'deny' : 'permit';
    const original = values.slice();
    const options = candidateChanges(original);
    const found: Counterfactual[] = [];
    const chosen: { index: number; to: Value }[] = [];
    // The options of one attribute are side by side. After choosing one, the search goes on from the next
    // attribute's first option, and it tries only options with enough attributes after them to complete a set:
    // so every step leads to a set it decides, and the budget of sets decided bounds the whole search (skipping a
    // long enumeration's other values one by one cost the square of its length).
    const next = new Int32Array(options.length);
    const attributesFrom = new Int32Array(options.length + 1);
    for (let k = options.length - 1; k >= 0; k--) {
      const sameAsNext = k + 1 < options.length && options[k + 1]?.index === options[k]?.index;
      next[k] = sameAsNext ? (next[k + 1] as number) : k + 1;
      attributesFrom[k] = (attributesFrom[next[k] as number] as number) + 1;
    }
    let budget = MAX_WALKS;
    const search = (from: number, size: number): void => {
      if (found.length >= limit || budget <= 0) return;
      if (chosen.length === size) {
        budget--;
        walk(values);
        if (decisionOfWalk() === target) {
          const reached = outcome();
          found.push({
            decision: target,
            changes: chosen.map(({ index, to }): Change => {
              const { path, spec } = reader.attributes[index] as QueryReader['attributes'][number];
              const from = original[index];
              const { description, label } = spec;
              const fromLabel = valueLabel(spec, from);
              const toLabel = valueLabel(spec, to);
              return {
                path,
                from,
                to,
                ...(description ? { description } : {}),
                ...(label ? { label } : {}),
                ...(fromLabel ? { fromLabel } : {}),
                ...(toLabel ? { toLabel } : {}),
                ...(spec.advice === 'counsel' ? { advice: 'counsel' as const } : {}),
              };
            }),
            rules: reached.rules.map((r) => artifact.rules[r]?.id ?? ''),
          });
        }
        return;
      }
      const needed = size - chosen.length;
      for (let k = from; k < options.length && (attributesFrom[k] as number) >= needed; k++) {
        const option = options[k] as { index: number; to: Value };
        chosen.push(option);
        values[option.index] = option.to;
        search(next[k] as number, size);
        values[option.index] = original[option.index] as Value;
        chosen.pop();
      }
    };
    for (let size = 1; size <= maxChanges && found.length === 0 && budget > 0; size++) search(0, size);
    // Out of budget, it did not try every set it was asked to: unless it found some, that says nothing.
    return { found, maxChanges, complete: budget > 0 || found.length > 0, ...referral };
  };

  /**
   * Runs `use`, and answers `fallback` if it throws: the host never gets an exception from an engine, even when its
   * built-in objects were tampered with after the engine was made.
   */
  const guarded = <T>(fallback: () => NoInfer<T>, use: () => T): T => {
    try {
      return use();
    } catch {
      return fallback();
    }
  };

  /**
   * What `use` makes of a valid query's values, or the query's errors: an answer without a prototype, since callers
   * tell the two apart with `in` (`'outcome' in answer`), which must not find a polluted `Object.prototype.outcome`.
   */
  const whenValid = <T extends object>(query: unknown, use: (values: Value[]) => T) =>
    guarded(
      () => withoutPrototype({ errors: failedErrors }),
      () =>
        withValues((values) => {
          const errors = readSafely(query, values);
          return withoutPrototype(errors.length > 0 ? { errors } : use(values));
        }),
    );

  return {
    artifact,
    // The hot path, written out: no closures made per decision.
    decide(query) {
      try {
        if (busy) return decideWith(query, new Array(reader.attributes.length));
        busy = true;
        try {
          return decideWith(query, shared);
        } finally {
          busy = false;
        }
      } catch {
        return failed;
      }
    },
    refuse: (errors) =>
      guarded(
        () => failed,
        () => decisionOf(denied, errors.length > 0 ? errors : [failure]),
      ),
    validate: (query) =>
      guarded(
        () => failedErrors,
        () => withValues((values) => readSafely(query, values)),
      ),
    read: (query) =>
      whenValid(query, (values) => ({
        values: Object.fromEntries(reader.attributes.map((a, i) => [a.path, values[i] as Value])),
      })),
    counterfactuals: (query, options) => {
      // The options are the caller's too, and read inside the guard: a getter in them may throw.
      let maxChanges = MAX_CHANGES;
      return guarded(
        () => ({ found: [], maxChanges, complete: false }),
        () => {
          maxChanges = bounded(option(options, 'maxChanges'), MAX_CHANGES, MAX_CHANGES_LIMIT);
          const limit = Math.max(1, bounded(option(options, 'limit'), 5, 20));
          return withValues((values) =>
            readSafely(query, values).length > 0
              ? { found: [], maxChanges, complete: true }
              : searchChanges(values, maxChanges, limit),
          );
        },
      );
    },
    trace: (query) =>
      whenValid(query, (values) => {
        const tested = new Map<number, boolean>();
        walk(values, tested);
        return { outcome: outcome(), tested };
      }),
  };
}

/** The shortest chain of tests of one attribute worth a jump table. */
const MIN_CHAIN = 4;

/**
 * Jump tables for chains of tests of one attribute's value: a node testing `role = a` whose `low` tests
 * `role = b`, and so on, as the graph tests an enumeration one value at a time. The chain from a node where walks
 * enter it becomes one lookup: the value's first test in the chain leads to that test's `high`, any other value
 * to where the chain's last `low` goes. A reduced, ordered graph never tests one atom twice on a path, so this is
 * exactly what the tests one by one would do.
 */
function chainJumps(artifact: Artifact, position: (path: string) => number): (Jump | undefined)[] {
  const { nodes, root, found } = artifact.graph;
  const equalsOf = (r: number) => {
    const atom = r >= 0 ? artifact.atoms[(nodes[r] as [number, number, number])[0]] : undefined;
    return atom?.kind === 'equals' ? atom : undefined;
  };
  // Where walks enter chains: the root, and every edge but a `low` that continues a chain of the same attribute.
  const entered = new Set<number>([root]);
  for (const [atom, low, high] of nodes) {
    entered.add(high);
    const here = artifact.atoms[atom];
    if (!(here?.kind === 'equals' && equalsOf(low)?.attribute === here.attribute)) entered.add(low);
  }
  for (const step of found) if (step.next !== undefined) entered.add(step.next);
  // Chains entered in many places share their tails, and each entry has a table of its own: the tables together
  // hold at most twice as many entries as the graph has nodes (a compiled graph needs less than one a node), so a
  // crafted artifact cannot make loading it quadratic. Past that, the tests are taken one by one.
  let budget = 2 * nodes.length;
  return nodes.map((_, start) => {
    const first = equalsOf(start);
    if (!first || !entered.has(start) || budget <= 0) return undefined;
    const targets = new Map<Value, number>();
    let r = start;
    while (equalsOf(r)?.attribute === first.attribute && budget > 0) {
      const [atom, low, high] = nodes[r] as [number, number, number];
      const value = (artifact.atoms[atom] as { value: string | number }).value;
      if (!targets.has(value)) targets.set(value, high);
      budget--;
      r = low;
    }
    // A chain the budget cut short is no jump: its exit would be a test of the chain, not the end of it.
    if (equalsOf(r)?.attribute === first.attribute) return undefined;
    return targets.size >= MIN_CHAIN ? { attribute: position(first.attribute), targets, exit: r } : undefined;
  });
}

/** Where a path through the graph ends. */
const END = -1;

/**
 * What a node tests: a boolean attribute's truth, an attribute's value, something its atom's function tests; or an
 * attribute's value, at the start of a chain of its tests with a jump table.
 */
const OTHER = 0;
const IS_TRUE = 1;
const EQUALS = 2;
const JUMP = 3;

/** A chain of tests of one attribute's value, as one lookup (see {@link chainJumps}). */
interface Jump {
  attribute: number;
  targets: Map<Value, number>;
  exit: number;
}

/** How many decisions an engine keeps, by what decided them; beyond, the ones kept are dropped. */
const MAX_CACHED = 65_536;

/** The most found steps a path may have for its decision to be kept by its path. */
const MAX_KEPT_STEPS = 64;

interface CacheNode {
  children: Map<number, CacheNode>;
  /** An own property from the start, so that `??=` never reads a polluted `Object.prototype.decision`. */
  decision: Decision | undefined;
}

/** A decision kept, with what decided it. */
interface Kept {
  rules: number[];
  obligations: number[];
  decision: Decision;
}

/**
 * Sorts the first `count` numbers of `list` in place: by insertion where there are few (the usual case, and no
 * allocation), by the typed array's own sort otherwise.
 */
function sortStart(list: Int32Array, count: number): void {
  if (count > 16) {
    list.subarray(0, count).sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const x = list[i] as number;
    let j = i - 1;
    while (j >= 0 && (list[j] as number) > x) {
      list[j + 1] = list[j] as number;
      j--;
    }
    list[j + 1] = x;
  }
}

/** The label the vocabulary gives an enumeration's value, if any. */
function valueLabel(spec: AttributeSpec, value: Value | undefined): string | undefined {
  const type = spec.type.kind === 'set' ? spec.type.element : spec.type;
  if (type.kind !== 'enum' || typeof value !== 'string') return undefined;
  return spec.valueLabels?.[type.values.indexOf(value)];
}

/** How many changed queries one search for counterfactuals decides at most. */
const MAX_WALKS = 200_000;

/**
 * The single changes a counterfactual is made of: for each circumstance (an attribute with a default, boolean,
 * enumeration or integer) that some atom tests, and that advice may change (not one whose advice is `never`), the values that atoms tell apart. Values no atom distinguishes
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
      if (spec.default === undefined || !values || spec.advice === 'never') return [];
      const alternatives = [...values];
      if (spec.type.kind === 'enum') {
        const untested = spec.type.values.find((v) => !values.has(v));
        if (untested !== undefined) alternatives.push(untested);
      }
      // A change no query may make (an integer beyond its attribute's bounds) is no advice.
      return alternatives
        .filter((to) => to !== original[index] && inBounds(spec.type, to))
        .map((to) => ({ index, to }));
    });
}
