import type { CheckedPolicy } from '@tenet/language';
import type { Atom, Graph } from '@tenet/runtime';
import { enumerationGroups, type Witness, witnessQuery } from './analyze.js';
import { Bdd, ONE, ZERO } from './bdd.js';
import { attributesOf, type LoweredPolicy, lowerTogether } from './compile.js';
import type { Formula } from './formula.js';
import { buildGraph, choicesOf, type GraphLimits } from './graph.js';
import { literal } from './lower.js';
import { describePath, type Literal, type SolverAttribute, solve } from './solve.js';

/** What one policy decides for a class of queries. */
export interface Outcome {
  decision: 'permit' | 'deny';
  /** The rules that decide (in the policy's order). */
  rules: string[];
  obligations: string[];
  /**
   * Only in a class left merged (see {@link Comparison.merged}): the rules that decide, and the obligations that
   * apply, in some of its queries and not in others. `rules` and `obligations` are then those that do in all.
   */
  varying?: { rules: string[]; obligations: string[] };
}

/** Queries two policies treat differently, all the same way: the conditions that describe them, and one of them. */
export interface DiffCase {
  /** The conditions, in the vocabulary's words: `requester.role is reporter`, `not request.properForm`. */
  conditions: string[];
  example: Witness;
}

/**
 * A kind of difference: what each policy does, how much of the space of queries it covers, and cases of queries
 * where they do that. `looser`: the first policy permits what the second denies; `stricter`: it denies what the
 * second permits; `duties`: they decide alike, with different obligations.
 */
export interface DiffClass {
  kind: 'looser' | 'stricter' | 'duties';
  left: Outcome;
  right: Outcome;
  /**
   * How many combinations of the tests' outcomes fall in the class: the tests are the atoms the two policies test
   * of attributes (`request.properForm`, `requester.role is reporter`, `record.subjectId in requester.guardianOf`),
   * each true or false, an enumeration one value at a time. A measure of the class's size: not of how many
   * queries there are (identifiers make them endless), nor of how often it comes up; combinations no query has
   * (`age < 18` without `age < 21`) are counted too. Exact up to 2^53, rounded beyond.
   */
  count: number;
  /**
   * Cases of the class, each a set of queries described by its conditions: at most `maxCases` (see
   * {@link CompareOptions}), found without listing every query.
   */
  cases: DiffCase[];
  /** Whether `cases` is every case of the class: false when there were more than the bounds let it describe. */
  complete: boolean;
}

/** Two policies compared over their shared vocabulary. */
export interface Comparison {
  /** Why the two cannot be compared (their vocabularies differ); empty when they can. */
  problems: string[];
  /** The classes, legal exposure first (see {@link compare}): all of them, or the first `limit`. */
  classes: DiffClass[];
  /** How many classes there are, listed or not. */
  total: number;
  /** How many combinations of the tests' outcomes the two decide differently: the counts of all classes. */
  count: number;
  /** How many combinations there are in all, decided alike or not: what `count` is out of. */
  combinations: number;
  /**
   * Whether some classes were left merged: the pairs of outcomes were more than `maxClasses`, so some classes
   * were not split by the rules (or obligations) that decide, which their outcomes then list as `varying`.
   */
  merged: boolean;
}

/** What {@link compare} compares, and how much of it it describes. */
export interface CompareOptions {
  /** Compare decisions only: obligations are neither compared nor shown. */
  decisionsOnly?: boolean;
  /** Describe and list only the first `limit` classes; all of them are still found, counted and ordered. */
  limit?: number;
  /** The most classes to tell apart (default {@link MAX_CLASSES}); past it, classes are merged. */
  maxClasses?: number;
  /** The most cases to describe of each class (default {@link MAX_CASES}). */
  maxCases?: number;
  /**
   * How large each policy's decision graph may grow for the classes to be ordered, and their cases walked, along
   * both graphs together (by default 50,000 nodes and 500,000 remembered steps); past it, by each class's own BDD.
   */
  graphLimits?: GraphLimits;
}

/**
 * How many classes {@link compare} tells apart by default. Two policies of n independent rules can decide in 2^n
 * ways; past this many, the rules that decide stop splitting classes.
 */
export const MAX_CLASSES = 256;

/** How many cases of each class {@link compare} describes by default. */
export const MAX_CASES = 32;

/** How many paths of a class's diagram are walked to find its cases, for each case described. */
const PATHS_PER_CASE = 8;

/** How many steps one walk of a diagram's paths may take: past it, the walk stops and says so. */
const WALK_BUDGET = 20_000;

/** How many steps a check that a case does not turn on a membership may take: beyond it, the membership stays. */
const RELAX_BUDGET = 2_000;

/** The most nodes the diagrams of one comparison may take: a bound on memory (a few hundred megabytes). */
const MAX_NODES = 4_000_000;

/**
 * How large each policy's decision graph may grow for cases to be walked along it: far beyond what policies of
 * hundreds of rules take, little enough that trying costs a fraction of a second. Past it, cases are the paths of
 * each class's own BDD.
 */
const DIFF_GRAPH_LIMITS: GraphLimits = { nodes: 50_000, remembered: 500_000 };

/**
 * The cases of a class once each, after some were relaxed (`relaxed[i]` is `paths[i]` less what it does not turn
 * on): a relaxed case holds every case whose literals include all of its own, which is then dropped, so no case is
 * counted inside another. Only the relaxed few are compared with the rest.
 */
function withoutSubsumed(paths: readonly Literal[][], relaxed: readonly Literal[][]): Literal[][] {
  const keys = (literals: readonly Literal[]) =>
    new Set(literals.map((l) => `${l.holds ? '' : '!'}${JSON.stringify(l.atom)}`));
  const wider = relaxed.flatMap((r, i) => (r.length < (paths[i]?.length ?? 0) ? [{ i, keys: keys(r) }] : []));
  if (wider.length === 0) return [...relaxed];
  return relaxed.filter((r, j) => {
    const own = keys(r);
    return !wider.some(
      ({ i, keys: k }) => i !== j && [...k].every((key) => own.has(key)) && (k.size < own.size || i < j),
    );
  });
}

/**
 * The paths of one class with every pair that differs only in whether one atom holds merged into one path without
 * it, until no pair is left: a test on which the class does not turn is not a condition of it. So a case reads as
 * what matters, and its example is not made odd by a test that does not (a requester on record as his own ward).
 * Each round looks pairs up by hash, so it is linear in the number of paths and their length.
 */
function merged(paths: readonly Literal[][]): Literal[][] {
  // Each atom by a number, the same for equal atoms; a literal by its atom's number and its truth.
  const byText = new Map<string, number>();
  const numbers = new Map<Atom, number>();
  const numberOf = (atom: Atom) => {
    const known = numbers.get(atom);
    if (known !== undefined) return known;
    const text = JSON.stringify(atom);
    const n = byText.get(text) ?? byText.size;
    byText.set(text, n);
    numbers.set(atom, n);
    return n;
  };
  const codeOf = (l: Literal) => 2 * numberOf(l.atom) + (l.holds ? 1 : 0) + 2;
  /** A path less its literal at `skip`, which is kept only by its atom: what two partners share. */
  const same = (x: readonly Literal[], y: readonly Literal[], skip: number) =>
    x.length === y.length &&
    x.every((l, i) =>
      i === skip
        ? numberOf(l.atom) === numberOf((y[i] as Literal).atom)
        : codeOf(l) === codeOf(y[i] as Literal),
    );
  let current = paths.map((p) => [...p]);
  for (;;) {
    /**
     * The hash of each path with each of its literals left out in turn (kept only by its atom), from one hash of
     * the whole path: linear in its length. Partners are found by hash, and then compared.
     */
    const hashes = (literals: readonly Literal[]) => {
      const powers: number[] = [];
      let whole = 0;
      let power = 1;
      for (const l of literals) {
        powers.push(power);
        whole = (whole + Math.imul(codeOf(l), power)) | 0;
        power = Math.imul(power, 0x01000193);
      }
      return literals.map(
        (l, i) => (whole + Math.imul(-numberOf(l.atom) - 1 - codeOf(l), powers[i] as number)) | 0,
      );
    };
    const partners = new Map<number, { index: number; skip: number }[]>();
    const used = new Set<number>();
    const next: Literal[][] = [];
    current.forEach((literals, index) => {
      const all = hashes(literals);
      for (let skip = 0; skip < literals.length && !used.has(index); skip++) {
        const h = all[skip] as number;
        const list = partners.get(h);
        const partner = list?.find(
          (p) => p.skip === skip && same(current[p.index] as Literal[], literals, skip),
        )?.index;
        if (partner !== undefined && !used.has(partner)) {
          used.add(partner);
          used.add(index);
          next.push(literals.filter((_, i) => i !== skip));
        } else if (partner === undefined) {
          if (list) list.push({ index, skip });
          else partners.set(h, [{ index, skip }]);
        }
      }
    });
    if (used.size === 0) return current;
    current = [...next, ...current.filter((_, i) => !used.has(i))];
  }
}

/** Why two policies cannot be compared: each attribute their vocabularies do not share, type and default alike. */
export function vocabularyProblems(a: CheckedPolicy, b: CheckedPolicy): string[] {
  // Types and defaults both: a query that leaves an attribute out means its default, so defaults must agree too.
  const describe = (p: CheckedPolicy) =>
    new Map(
      [...p.attributes].map(([path, info]) => [
        path,
        JSON.stringify([info.type, info.declaration.default ? literal(info.declaration.default) : null]),
      ]),
    );
  const [left, right] = [describe(a), describe(b)];
  const problems: string[] = [];
  for (const [path, type] of left) {
    if (!right.has(path)) problems.push(`\`${path}\` is only in the first policy's vocabulary`);
    else if (right.get(path) !== type)
      problems.push(`\`${path}\` has a different type or default in the two policies`);
  }
  for (const path of right.keys())
    if (!left.has(path)) problems.push(`\`${path}\` is only in the second policy's vocabulary`);
  return problems;
}

/**
 * Whether some query can take a path whose literals but the last some query can take. A boolean's test, or an
 * enumeration's value, that no other kind of test on the path reads the attribute of, is decided at once (an
 * enumeration holds one value, and not none of all of them): literals of attributes no other literal reads do not
 * constrain one another. Anything else is the solver's.
 */
function possible(path: readonly Literal[], attributes: ReadonlyMap<string, SolverAttribute>): boolean {
  const last = path.at(-1);
  if (!last) return true;
  const { atom } = last;
  const type = atom.kind === 'equals' ? attributes.get(atom.attribute)?.type : undefined;
  const simple = (a: Atom) =>
    a.kind === 'true' || (a.kind === 'equals' && attributes.get(a.attribute)?.type.kind === 'enum');
  const attribute = atom.kind === 'true' || type?.kind === 'enum' ? attributesOf(atom)[0] : undefined;
  if (
    attribute === undefined ||
    path.some((l) => !simple(l.atom) && attributesOf(l.atom).includes(attribute))
  )
    return solve(path, attributes) !== undefined;
  if (type?.kind !== 'enum') return true;
  const about = path.filter((l) => l.atom.kind === 'equals' && l.atom.attribute === attribute);
  const text = (l: Literal) => String((l.atom as { value: unknown }).value);
  const held = new Set(about.flatMap((l) => (l.holds ? [text(l)] : [])));
  if (held.size > 0) return held.size === 1 && !about.some((l) => !l.holds && held.has(text(l)));
  const excluded = new Set(about.map(text));
  return !type.values.every((v) => excluded.has(v));
}

/** How a walk of a diagram's paths ended: every path seen, stopped by its visitor, or out of steps. */
type WalkEnd = 'done' | 'stopped' | 'gave-up';

/**
 * Walks the paths of `f` to its true terminal, the false branch first, pruning a path as soon as no query can take
 * it (the solver), and hands each to `visit`, which answers whether to go on. At most `budget` steps.
 */
function walkPaths(
  bdd: Bdd,
  f: number,
  atoms: readonly Atom[],
  attributes: ReadonlyMap<string, SolverAttribute>,
  visit: (literals: readonly Literal[]) => boolean,
  budget: number,
): WalkEnd {
  const path: Literal[] = [];
  let steps = 0;
  const walk = (n: number): WalkEnd => {
    if (++steps > budget) return 'gave-up';
    if (n === ONE) return visit(path) ? 'done' : 'stopped';
    const atom = atoms[bdd.variable[n] as number] as Atom;
    for (const [child, holds] of [
      [bdd.low[n] as number, false],
      [bdd.high[n] as number, true],
    ] as const) {
      if (child === ZERO) continue;
      path.push({ atom, holds });
      const end = possible(path, attributes) ? walk(child) : 'done';
      path.pop();
      if (end !== 'done') return end;
    }
    return 'done';
  };
  if (f === ZERO) return 'done';
  return walk(f);
}

/**
 * Walks both policies' decision graphs together, as a query's tests would, one atom at a time (a node of either
 * graph that tests the smaller atom moves on), the false branch first, along every path some query can take (the
 * solver) that reaches a query of `set`, and hands each end to `visit`, which answers whether to go on. `set`, a
 * BDD of `bdd` within the domain, prunes the walk: a path none of whose queries is in it goes no further. So the
 * paths are those a walk of both graphs makes through the class, in its order, and their tests are the graphs'.
 * At most `budget` steps.
 */
function walkGraphs(
  graphs: readonly [Graph, Graph],
  bdd: Bdd,
  set: number,
  atoms: readonly Atom[],
  order: readonly number[],
  attributes: ReadonlyMap<string, SolverAttribute>,
  visit: (literals: readonly Literal[]) => boolean,
  budget: number,
): WalkEnd {
  const [first, second] = graphs;
  const path: Literal[] = [];
  let steps = 0;
  // A node, or where a graph ends (`undefined`); past the found steps, which the class already tells apart.
  const settle = (graph: Graph, r: number) => (r >= 0 ? r : graph.found[-r - 1]?.next);
  const atomOf = (graph: Graph, node: number | undefined) =>
    node === undefined ? Number.POSITIVE_INFINITY : (graph.nodes[node] as [number, number, number])[0];
  const walk = (x: number | undefined, y: number | undefined, g: number): WalkEnd => {
    if (g === ZERO) return 'done';
    if (++steps > budget) return 'gave-up';
    if (x === undefined && y === undefined) return visit(path) ? 'done' : 'stopped';
    const top = Math.min(atomOf(first, x), atomOf(second, y));
    const branch = (graph: Graph, node: number | undefined, truth: boolean) =>
      atomOf(graph, node) === top
        ? settle(graph, (graph.nodes[node as number] as [number, number, number])[truth ? 2 : 1])
        : node;
    const atom = atoms[top] as Atom;
    for (const truth of [false, true]) {
      path.push({ atom, holds: truth });
      const end = possible(path, attributes)
        ? walk(
            branch(first, x, truth),
            branch(second, y, truth),
            bdd.restrict(g, order[top] as number, truth),
          )
        : 'done';
      path.pop();
      if (end !== 'done') return end;
    }
    return 'done';
  };
  return walk(settle(first, first.root), settle(second, second.root), set);
}

/**
 * Which of two paths of one walk comes first, by their truths (0 or 1) test by test: the two test the same atoms up
 * to where they part, and there the false branch is walked first. Negative when `x` does.
 */
function byPath(x: readonly number[], y: readonly number[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++)
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/** Which of two least assignments (the variables each sets true, in order) comes first; negative when `x` does. */
function byLeast(x: readonly number[], y: readonly number[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    // The first variable set true in one and not the other: the one that leaves it false comes first.
    if (x[i] !== y[i]) return (y[i] as number) - (x[i] as number);
  }
  return x.length - y.length;
}

/** A feature a class is split by: whether one side's rule decides, or one of its obligations applies. */
interface Feature {
  side: 0 | 1;
  kind: 'rule' | 'obligation';
  name: string;
  /** Where it holds. */
  f: number;
}

/** A class as it is split: its queries, each side's decision, and each feature's value (`undefined`: it varies). */
interface Part {
  set: number;
  permits: readonly [boolean, boolean];
  values: (boolean | undefined)[];
}

/**
 * Where each side's decision is permit, where the two differ, and the features that split the classes: `permits`
 * and `differ` within the domain, `plain` the same over no domain (where they test only what the rules test), and
 * each feature over no domain (a class is within it, so a feature need not be).
 */
interface OutcomeFunctions {
  permits: readonly [number, number];
  differ: number;
  plain: { permits: readonly [number, number]; differ: number };
  features: Feature[];
}

/**
 * The variable of each atom: in the order the rules first test them, the first policy's, then the second's, then
 * their obligations', the atoms of an enumeration together where the first of them comes; any other atom after,
 * in its own order. Policies declare their attributes in an order of their own (every `x` before every `y`), in
 * which `x_i and y_i` for many `i` takes exponentially many nodes; in the order the rules test them, it takes a few
 * a rule.
 */
function variableOrder(
  lowered: readonly [LoweredPolicy, LoweredPolicy],
  groups: readonly { variables: readonly number[] }[],
): number[] {
  const count = lowered[0].atoms.length;
  const groupOf = new Map(groups.flatMap((g) => g.variables.map((v) => [v, g.variables] as const)));
  const order: number[] = Array.from({ length: count }, () => -1);
  let next = 0;
  const place = (atom: number) => {
    for (const a of [...(groupOf.get(atom) ?? [atom])].sort((x, y) => x - y))
      if (order[a] === -1) order[a] = next++;
  };
  const visit = (f: Formula): void => {
    if (f.kind === 'atom') place(f.atom);
    else if (f.kind === 'not') visit(f.operand);
    else if (f.kind !== 'const') for (const o of f.operands) visit(o);
  };
  for (const side of lowered) for (const r of side.rules) visit(r.when);
  for (const side of lowered) for (const o of side.obligations) visit(o);
  for (let a = 0; a < count; a++) place(a);
  return order;
}

/**
 * The BDDs of what two policies (lowered together) decide, atom `a` variable `order[a]`: where each permits; where
 * they differ in the decision or, unless `decisionsOnly`, in an obligation; and the features that split the
 * classes, each side's obligations first (what a `duties` class is about), then where each of its rules decides.
 */
function outcomeFunctions(
  bdd: Bdd,
  lowered: readonly [LoweredPolicy, LoweredPolicy],
  checked: readonly [CheckedPolicy, CheckedPolicy],
  order: readonly number[],
  decisionsOnly: boolean,
): OutcomeFunctions {
  const xor = (f: number, g: number) => bdd.apply('or', bdd.apply('andNot', f, g), bdd.apply('andNot', g, f));
  /** One side's functions. */
  interface Side {
    rules: number[];
    notForbidden: number;
    permit: number;
    obligations: number[];
  }
  const sides = lowered.map((policy, side): Side => {
    const rules = policy.rules.map((r) => bdd.build(r.when, order, ONE));
    const any = (effect: 'permit' | 'forbid') =>
      bdd.any(rules.filter((_, i) => policy.rules[i]?.effect === effect));
    const notForbidden = bdd.not(any('forbid'));
    const defaultPermits = (checked[side]?.policy?.defaultEffect?.effect ?? 'deny') === 'permit';
    return {
      rules,
      notForbidden,
      permit: defaultPermits ? notForbidden : bdd.apply('and', notForbidden, any('permit')),
      obligations: policy.obligations.map((f) => bdd.build(f, order, ONE)),
    };
  }) as [Side, Side];
  const obligationIds = checked.map((c) => [...c.obligations.keys()]) as [string[], string[]];
  const obligationOf = (side: 0 | 1, id: string) =>
    sides[side].obligations[obligationIds[side].indexOf(id)] ?? ZERO;
  let differ = xor(sides[0].permit, sides[1].permit);
  const features: Feature[] = [];
  if (!decisionsOnly) {
    for (const id of new Set(obligationIds.flat()))
      differ = bdd.apply('or', differ, xor(obligationOf(0, id), obligationOf(1, id)));
    for (const side of [0, 1] as const)
      for (const [j, name] of obligationIds[side].entries())
        features.push({ side, kind: 'obligation', name, f: sides[side].obligations[j] as number });
  }
  for (const side of [0, 1] as const) {
    const { rules, notForbidden } = sides[side];
    rules.forEach((rule, i) => {
      // A forbid decides wherever it holds; a permit where no forbid does.
      const decides =
        lowered[side].rules[i]?.effect === 'forbid' ? rule : bdd.apply('and', rule, notForbidden);
      features.push({ side, kind: 'rule', name: checked[side].rules[i]?.id.text ?? '', f: decides });
    });
  }
  const permits = [sides[0].permit, sides[1].permit] as const;
  const within = (f: number) => bdd.apply('and', f, bdd.domain);
  return {
    permits: [within(permits[0]), within(permits[1])],
    differ: within(differ),
    plain: { permits, differ },
    features,
  };
}

/** `set` where each side's decision is permit or not, as `decisions` says. */
function withDecisions(
  bdd: Bdd,
  set: number,
  permits: readonly [number, number],
  decisions: readonly [boolean, boolean],
): number {
  return permits.reduce((f, g, side) => bdd.apply(decisions[side] ? 'and' : 'andNot', f, g), set);
}

/**
 * The queries two policies treat differently, split into classes: first by each side's decision, then by each
 * feature in turn, in every class at once, unless that would make more than `maxClasses`; a feature so skipped
 * is left to vary in the classes it splits (its value `undefined`). A part no query can be in (`realizable`
 * says) is no class: it is dropped, and a feature that only it would split off does not split. Each class is a
 * BDD within the domain; the classes are disjoint and together hold every query of `differ` some query can be.
 */
function split(
  bdd: Bdd,
  functions: OutcomeFunctions,
  maxClasses: number,
  realizable: (set: number) => boolean,
): Part[] {
  const { permits, differ, features } = functions;
  let parts: Part[] = [];
  for (const decisions of [
    [true, false],
    [false, true],
    [true, true],
    [false, false],
  ] as const) {
    const set = withDecisions(bdd, differ, permits, decisions);
    if (set !== ZERO && realizable(set))
      parts.push({ set, permits: decisions, values: features.map(() => undefined) });
  }
  /** Where `f` holds in a class, and where it fails: ZERO where no query can be. */
  const halves = (set: number, f: number): [number, number] => {
    if (!bdd.intersects(set, f)) return [ZERO, set];
    if (bdd.implies(set, f)) return [set, ZERO];
    const [yes, no] = [bdd.apply('and', set, f), bdd.apply('andNot', set, f)];
    const [y, n] = [realizable(yes), realizable(no)];
    // Neither, only if a search gave up on the class: both, then, on the safe side.
    return y === n ? [yes, no] : y ? [yes, ZERO] : [ZERO, no];
  };
  const skipped: number[] = [];
  features.forEach((feature, k) => {
    const cut = parts.map((p) => halves(p.set, feature.f));
    const splits = parts.length + cut.filter(([yes, no]) => yes !== ZERO && no !== ZERO).length <= maxClasses;
    if (!splits) skipped.push(k);
    parts = parts.flatMap((p, i): Part[] => {
      const [yes, no] = cut[i] as [number, number];
      const valued = (set: number, value: boolean | undefined): Part => {
        const values = [...p.values];
        values[k] = value;
        return { set, permits: p.permits, values };
      };
      if (no === ZERO) return [valued(yes, true)];
      if (yes === ZERO) return [valued(no, false)];
      return splits ? [valued(yes, true), valued(no, false)] : [valued(p.set, undefined)];
    });
  });
  // A feature skipped may no longer vary in a class that later features split.
  for (const part of parts) {
    for (const k of skipped) {
      if (part.values[k] !== undefined) continue;
      const [yes, no] = halves(part.set, (features[k] as Feature).f);
      if (no === ZERO) [part.set, part.values[k]] = [yes, true];
      else if (yes === ZERO) [part.set, part.values[k]] = [no, false];
    }
  }
  return parts;
}

/** `make()`, made once, when first asked for. */
function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/**
 * Compares two policies over the vocabulary they share: every class of queries they decide differently (or, unless
 * `decisionsOnly`, with different obligations), exactly. A class is a pair of outcomes, one of each policy: the
 * decision, the rules that decide, the obligations. Both policies are compiled over one set of atoms into BDDs of
 * what decides (where the decision is permit, where each rule decides, where each obligation applies); the queries
 * they treat differently are one BDD, split by each of these in turn into the classes, while there are at most
 * `maxClasses` of them (past that, a class keeps what it was not split by as `varying`), a part no query can be in
 * dropped, and never listed query by query. Each class is counted on its BDD (see {@link DiffClass.count}).
 *
 * The classes come legal exposure first (`looser`, then `stricter`, then `duties`), each kind in the order in which
 * a walk of both policies' decision graphs together, false before true, first meets them; the first `limit` are
 * described, each by at most `maxCases` cases from a bounded walk: the paths of that walk through the class, some
 * query can take each, merged where they differ in one test only, each without the set memberships it does not
 * turn on, and shown by the query the solver builds for it. Where a graph would pass `graphLimits`, the BDDs are
 * ordered as the rules test the atoms, the classes by their least combinations in that order, and the cases are
 * the paths of each class's own BDD.
 *
 * @example
 * const { classes, total } = compare(wethersfield, statute, attributes, { limit: 20 });
 */
export function compare(
  a: CheckedPolicy,
  b: CheckedPolicy,
  attributes: ReadonlyMap<string, SolverAttribute>,
  options: CompareOptions = {},
): Comparison {
  const problems = vocabularyProblems(a, b);
  if (problems.length > 0)
    return { problems, classes: [], total: 0, count: 0, combinations: 0, merged: false };
  const decisionsOnly = options.decisionsOnly === true;
  const maxCases = Math.max(1, options.maxCases ?? MAX_CASES);
  const [left, right] = lowerTogether([a, b]).value as [LoweredPolicy, LoweredPolicy];
  const atoms = left.atoms;
  const variables = atoms.map((_, i) => i);
  /** Both policies' decision graphs, if each fits `graphLimits`: what classes are ordered and cases walked by. */
  const graphs = ((): readonly [Graph, Graph] | undefined => {
    const choices = choicesOf(atoms, (path) => attributes.get(path)?.type);
    const graphOf = (lowered: LoweredPolicy) =>
      buildGraph(
        {
          atomCount: atoms.length,
          choices,
          rules: lowered.rules,
          obligations: decisionsOnly ? [] : lowered.obligations,
          decisive: true,
        },
        options.graphLimits ?? DIFF_GRAPH_LIMITS,
      );
    try {
      return [graphOf(left), graphOf(right)];
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return undefined;
    }
  })();
  const atomGroups = enumerationGroups(atoms, attributes);
  // The graphs are diagrams in the atoms' own order: where they fit, so do the BDDs, and a walk of the graphs
  // fixes their variables in turn, from the top. Elsewhere, the order the rules test the atoms in.
  const order = graphs ? atoms.map((_, i) => i) : variableOrder([left, right], atomGroups);
  /** The atom each variable tests. */
  const tested: Atom[] = [];
  atoms.forEach((atom, i) => {
    tested[order[i] as number] = atom;
  });
  const groups = atomGroups.map((g) => ({ ...g, variables: g.variables.map((v) => order[v] as number) }));
  const bdd = new Bdd(MAX_NODES);
  bdd.setDomain(groups);
  const functions = outcomeFunctions(bdd, [left, right], [a, b], order, decisionsOnly);
  // Of booleans and enumeration values alone, every combination within the domain is some query's.
  const plainAtoms = atoms.every(
    (atom) =>
      atom.kind === 'true' ||
      (atom.kind === 'equals' && attributes.get(atom.attribute)?.type.kind === 'enum'),
  );
  // Whether some query is in a set, where the BDD admits combinations no query has. A search that gives up says
  // yes, on the safe side of what a reader is told.
  const known = new Map<number, boolean>();
  const realizable = (set: number) => {
    if (plainAtoms) return set !== ZERO;
    let yes = known.get(set);
    if (yes === undefined) {
      yes = walkPaths(bdd, set, tested, attributes, () => false, WALK_BUDGET) !== 'done';
      known.set(set, yes);
    }
    return yes;
  };
  const parts = split(bdd, functions, Math.max(1, options.maxClasses ?? MAX_CLASSES), realizable);
  // Legal exposure first: where the first policy releases what the second would not.
  const rank = { looser: 0, stricter: 1, duties: 2 };
  const kindOf = ({ permits: [l, r] }: Part): DiffClass['kind'] =>
    l === r ? 'duties' : l ? 'looser' : 'stricter';
  /**
   * Where each class comes in its kind: where a walk of both graphs together (false before true) first meets it, by
   * the truths of that first path; or, where the graphs are too large or a walk gives up, by its least combination
   * of the atoms, which is where that walk would first meet it if every combination were some query's.
   */
  const firsts = ((): number[][] | undefined => {
    const walked = parts.length > 0 ? graphs : undefined;
    if (!walked) return undefined;
    const found: number[][] = [];
    for (const part of parts) {
      let first: number[] | undefined;
      walkGraphs(
        walked,
        bdd,
        part.set,
        atoms,
        order,
        attributes,
        (literals) => {
          first = literals.map((l) => (l.holds ? 1 : 0));
          return false;
        },
        WALK_BUDGET,
      );
      if (!first) return undefined;
      found.push(first);
    }
    return found;
  })();
  const ordered = parts
    .map((part, i) => ({ part, kind: kindOf(part), first: firsts?.[i] ?? (bdd.least(part.set) as number[]) }))
    .sort(
      (x, y) =>
        rank[x.kind] - rank[y.kind] || (firsts ? byPath(x.first, y.first) : byLeast(x.first, y.first)),
    );
  const counts = ordered.map(({ part }) => Number(bdd.count(part.set, variables)));

  const outcome = (part: Part, side: 0 | 1): Outcome => {
    const named = (kind: Feature['kind'], value: boolean | undefined) =>
      functions.features.flatMap((f, k) =>
        f.side === side && f.kind === kind && part.values[k] === value ? [f.name] : [],
      );
    const varying = { rules: named('rule', undefined), obligations: named('obligation', undefined) };
    return {
      decision: part.permits[side] ? 'permit' : 'deny',
      rules: named('rule', true),
      obligations: named('obligation', true),
      ...(varying.rules.length + varying.obligations.length > 0 ? { varying } : {}),
    };
  };

  /** The enumerations' exclusions, as a care set: where the graphs are too large, what a class's paths lose. */
  const care = lazy(() => bdd.exclusive(groups));
  /**
   * The paths a class's cases are made of, each handed to `visit` until it answers false: those of both graphs
   * walked together; or, where the graphs are too large, those of the class rebuilt over no domain (so it tests
   * only what the rules test, never the other values of an enumeration they do not name), then simplified within
   * the domain (see {@link Bdd.simplify}), so that a path does not test what it has already settled.
   */
  const walkClass = (part: Part, visit: (literals: readonly Literal[]) => boolean): WalkEnd => {
    if (graphs) return walkGraphs(graphs, bdd, part.set, atoms, order, attributes, visit, WALK_BUDGET);
    let f = withDecisions(bdd, functions.plain.differ, functions.plain.permits, part.permits);
    part.values.forEach((value, k) => {
      if (value !== undefined)
        f = bdd.apply(value ? 'and' : 'andNot', f, (functions.features[k] as Feature).f);
    });
    return walkPaths(bdd, bdd.simplify(f, care()), tested, attributes, visit, WALK_BUDGET);
  };

  const variableOf = new Map(atoms.map((atom, i) => [atom, order[i] as number]));
  /** The conjunction of some literals, within the domain. */
  const cube = (literals: readonly Literal[]) =>
    literals.reduce((f, l) => {
      const v = variableOf.get(l.atom) as number;
      return bdd.apply('and', f, l.holds ? bdd.node(v, ZERO, ONE) : bdd.node(v, ONE, ZERO));
    }, bdd.domain);
  /**
   * A case without the set memberships it does not turn on: a membership that holds is dropped when no query
   * without it falls outside the class. So no example puts a value in a set for nothing (a requester on record as
   * his own ward, where being the borrower is what decides).
   */
  const relaxed = (literals: Literal[], set: number): Literal[] => {
    let kept = literals;
    for (const l of literals) {
      if (!l.holds || (l.atom.kind !== 'member' && l.atom.kind !== 'contains')) continue;
      const without = kept.filter((k) => k !== l);
      const outside = bdd.apply('andNot', cube(without), set);
      if (walkPaths(bdd, outside, tested, attributes, () => false, RELAX_BUDGET) === 'done') kept = without;
    }
    return kept;
  };
  const describe = (part: Part): Pick<DiffClass, 'cases' | 'complete'> => {
    const paths: Literal[][] = [];
    const most = PATHS_PER_CASE * maxCases;
    const end = walkClass(part, (literals) => {
      paths.push([...literals]);
      return paths.length < most;
    });
    const joined = merged(paths);
    const cases = withoutSubsumed(
      joined,
      joined.map((literals) => relaxed(literals, part.set)),
    ).flatMap((literals) => {
      const witness = solve(literals, attributes);
      return witness
        ? [{ conditions: describePath(literals, attributes), example: witnessQuery(a, witness) }]
        : [];
    });
    // A walk its visitor stopped may have had no path left; telling would cost another walk.
    return { cases: cases.slice(0, maxCases), complete: end === 'done' && cases.length <= maxCases };
  };
  const classes = ordered.slice(0, options.limit ?? ordered.length).map(
    ({ part, kind }, i): DiffClass => ({
      kind,
      left: outcome(part, 0),
      right: outcome(part, 1),
      count: counts[i] as number,
      ...describe(part),
    }),
  );
  return {
    problems: [],
    classes,
    total: ordered.length,
    count: counts.reduce((n, c) => n + c, 0),
    combinations: Number(bdd.count(ONE, variables)),
    merged: parts.some((p) => p.values.some((v) => v === undefined)),
  };
}
