import type { CheckedPolicy } from '@tenet/language';
import { type Atom, type Graph, outcomeOf } from '@tenet/runtime';
import { type Witness, witnessQuery } from './analyze.js';
import { type LoweredPolicy, lowerTogether } from './compile.js';
import { buildGraph, choicesOf } from './graph.js';
import { literal } from './lower.js';
import { type Literal, type SolverAttribute, solve } from './solve.js';

/** What one policy decides for a class of queries. */
export interface Outcome {
  decision: 'permit' | 'deny';
  /** The rules that decide. */
  rules: string[];
  obligations: string[];
}

/** Queries two policies treat differently, all the same way: the conditions that describe them, and one of them. */
export interface DiffCase {
  /** The conditions, in the vocabulary's words: `requester.role is reporter`, `not request.properForm`. */
  conditions: string[];
  example: Witness;
}

/**
 * A kind of difference: what each policy does, and every case of queries where they do that. `looser`: the first
 * policy permits what the second denies; `stricter`: it denies what the second permits; `duties`: they decide
 * alike, with different obligations.
 */
export interface DiffClass {
  kind: 'looser' | 'stricter' | 'duties';
  left: Outcome;
  right: Outcome;
  cases: DiffCase[];
}

/** Two policies compared over their shared vocabulary. */
export interface Comparison {
  /** Why the two cannot be compared (their vocabularies differ); empty when they can. */
  problems: string[];
  classes: DiffClass[];
}

/** A literal in the vocabulary's words. */
export function describeLiteral({ atom, holds }: Literal): string {
  const not = holds ? '' : 'not ';
  switch (atom.kind) {
    case 'true':
      return `${not}${atom.attribute}`;
    case 'equals':
      return `${atom.attribute} is ${not}${typeof atom.value === 'string' ? atom.value : String(atom.value)}`;
    case 'same':
      return `${atom.attribute} is ${not}${atom.other}`;
    case 'member':
      return `${atom.attribute} ${not}in ${atom.set}`;
    case 'contains':
      return `${JSON.stringify(atom.value)} ${not}in ${atom.set}`;
    case 'within':
      return `${holds ? '' : 'not '}${atom.set} within [${atom.values.join(', ')}]`;
    case 'less':
      return `${atom.attribute} ${holds ? '<' : '>='} ${atom.bound}`;
  }
}

/**
 * A path's conditions in the fewest words: an enumeration said once, as the value it is, the values it may be, or
 * the values it is not, whichever is shortest; the other literals as they are.
 */
function describePath(
  literals: readonly Literal[],
  attributes: ReadonlyMap<string, SolverAttribute>,
): string[] {
  const said = new Set<string>();
  return literals.flatMap((literal) => {
    const { atom } = literal;
    const type = atom.kind === 'equals' ? attributes.get(atom.attribute)?.type : undefined;
    if (atom.kind !== 'equals' || type?.kind !== 'enum') return [describeLiteral(literal)];
    if (said.has(atom.attribute)) return [];
    said.add(atom.attribute);
    const about = literals.filter((l) => l.atom.kind === 'equals' && l.atom.attribute === atom.attribute);
    const is = about.find((l) => l.holds);
    if (is) return [describeLiteral(is)];
    const not = new Set(about.map((l) => String((l.atom as { value: unknown }).value)));
    const rest = type.values.filter((v) => !not.has(v));
    if (rest.length === 1) return [`${atom.attribute} is ${rest[0]}`];
    if (not.size === 1) return [`${atom.attribute} is not ${[...not][0]}`];
    if (rest.length <= not.size) return [`${atom.attribute} is one of ${rest.join(', ')}`];
    const excluded = [...not];
    return [
      excluded.length === 2
        ? `${atom.attribute} is neither ${excluded[0]} nor ${excluded[1]}`
        : `${atom.attribute} is none of ${excluded.join(', ')}`,
    ];
  });
}

/** How many paths a check that a case does not turn on a membership may walk: beyond it, the membership stays. */
const RELAX_BUDGET = 2_000;

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
 * Each round looks pairs up by key, so it is linear in the number of paths.
 */
function merged(paths: readonly Literal[][]): Literal[][] {
  let current = paths.map((p) => [...p]);
  for (;;) {
    const key = (literals: readonly Literal[], skip: number) =>
      literals
        .map((l, i) =>
          i === skip ? `?${JSON.stringify(l.atom)}` : `${l.holds ? '' : '!'}${JSON.stringify(l.atom)}`,
        )
        .join('|');
    const partners = new Map<string, number>();
    const used = new Set<number>();
    const next: Literal[][] = [];
    current.forEach((literals, index) => {
      for (let skip = 0; skip < literals.length && !used.has(index); skip++) {
        const k = key(literals, skip);
        const partner = partners.get(k);
        if (partner !== undefined && !used.has(partner)) {
          used.add(partner);
          used.add(index);
          next.push(literals.filter((_, i) => i !== skip));
        } else if (partner === undefined) partners.set(k, index);
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
 * Compares two policies over the vocabulary they share: every class of queries they decide differently (or, unless
 * `decisionsOnly`, with different obligations), exactly. Both are compiled over one set of atoms; their decision
 * graphs are walked together, and every pair of outcomes that differ, on a path some query can take, is a case,
 * described by the path's conditions and shown by the query closest to the defaults.
 *
 * @example
 * const { classes } = compare(wethersfield, statute, attributes);
 */
export function compare(
  a: CheckedPolicy,
  b: CheckedPolicy,
  attributes: ReadonlyMap<string, SolverAttribute>,
  options: { decisionsOnly?: boolean } = {},
): Comparison {
  const problems = vocabularyProblems(a, b);
  if (problems.length > 0) return { problems, classes: [] };
  const [left, right] = lowerTogether([a, b]).value as [LoweredPolicy, LoweredPolicy];
  const atoms = left.atoms;
  const choices = choicesOf(atoms, (path) => attributes.get(path)?.type);
  const sides = (
    [
      [left, a],
      [right, b],
    ] as const
  ).map(([lowered, checked]) => ({
    checked,
    lowered,
    graph: buildGraph({
      atomCount: atoms.length,
      choices,
      rules: lowered.rules,
      obligations: options.decisionsOnly ? [] : lowered.obligations,
      decisive: true,
    }),
  }));
  const outcome = (side: (typeof sides)[number], steps: readonly number[]): Outcome => {
    const { checked, lowered, graph } = side;
    const reached = outcomeOf(
      graph,
      steps,
      lowered.rules.map((r) => r.effect),
      checked.policy?.defaultEffect?.effect ?? 'deny',
    );
    return {
      decision: reached.decision,
      rules: reached.rules.map((r) => checked.rules[r]?.id.text ?? ''),
      obligations: reached.obligations.map((o) => [...checked.obligations.keys()][o] ?? ''),
    };
  };
  const differ = (x: Outcome, y: Outcome) =>
    x.decision !== y.decision ||
    (!options.decisionsOnly &&
      JSON.stringify([...x.obligations].sort()) !== JSON.stringify([...y.obligations].sort()));

  /** Where a side of the walk is: at a node, or at the end (`undefined`), with the found steps it has passed. */
  interface At {
    node: number | undefined;
    steps: number[];
  }
  /** Past the found steps at `r`, to the next node or the end. */
  const settle = (graph: Graph, r: number, steps: number[]): At => {
    if (r >= 0) return { node: r, steps };
    const next = graph.found[-r - 1]?.next;
    return next === undefined
      ? { node: undefined, steps: [...steps, -r - 1] }
      : { node: next, steps: [...steps, -r - 1] };
  };
  const [first, second] = sides as [(typeof sides)[number], (typeof sides)[number]];

  const classes = new Map<
    string,
    { kind: DiffClass['kind']; left: Outcome; right: Outcome; paths: Literal[][] }
  >();
  /**
   * Walks both graphs together, one atom at a time (a node of either graph that tests the smaller atom moves on),
   * along every path some query can take that agrees with `fixed`, and hands each end to `leaf` with its literals.
   * Stops, answering false, as soon as `leaf` does, or after `budget` ends.
   */
  const walkTogether = (
    fixed: ReadonlyMap<Atom, boolean>,
    leaf: (lo: Outcome, ro: Outcome, path: readonly Literal[]) => boolean,
    budget = Number.POSITIVE_INFINITY,
  ): boolean => {
    const path: Literal[] = [...fixed].map(([atom, holds]) => ({ atom, holds }));
    let ends = 0;
    const walk = (x: At, y: At): boolean => {
      if (x.node === undefined && y.node === undefined)
        return ++ends <= budget && leaf(outcome(first, x.steps), outcome(second, y.steps), path);
      const atomOf = (graph: Graph, at: At) =>
        at.node === undefined
          ? Number.POSITIVE_INFINITY
          : (graph.nodes[at.node] as [number, number, number])[0];
      const top = Math.min(atomOf(first.graph, x), atomOf(second.graph, y));
      const branch = (graph: Graph, at: At, truth: boolean): At =>
        atomOf(graph, at) === top
          ? settle(
              graph,
              (graph.nodes[at.node as number] as [number, number, number])[truth ? 2 : 1],
              at.steps,
            )
          : at;
      const atom = atoms[top] as Atom;
      const known = fixed.get(atom);
      for (const truth of known === undefined ? [false, true] : [known]) {
        if (known === undefined) path.push({ atom, holds: truth });
        const go = known !== undefined || solve(path, attributes);
        const ok = !go || walk(branch(first.graph, x, truth), branch(second.graph, y, truth));
        if (known === undefined) path.pop();
        if (!ok) return false;
      }
      return true;
    };
    return walk(settle(first.graph, first.graph.root, []), settle(second.graph, second.graph.root, []));
  };
  const keyOf = (lo: Outcome, ro: Outcome) => JSON.stringify([lo, ro]);
  walkTogether(new Map(), (lo, ro, path) => {
    if (!differ(lo, ro) || !solve(path, attributes)) return true;
    const key = keyOf(lo, ro);
    const kind = lo.decision === ro.decision ? 'duties' : lo.decision === 'permit' ? 'looser' : 'stricter';
    const found = classes.get(key) ?? { kind, left: lo, right: ro, paths: [] };
    found.paths.push([...path]);
    classes.set(key, found);
    return true;
  });
  /**
   * A case without the set memberships it does not turn on: a membership that holds is dropped when every query
   * without it still falls in the class. So no example puts a value in a set for nothing (a requester on record as
   * his own ward, where being the borrower is what decides).
   */
  const relaxed = (literals: Literal[], key: string): Literal[] => {
    let kept = literals;
    for (const literal of literals) {
      if (!literal.holds || (literal.atom.kind !== 'member' && literal.atom.kind !== 'contains')) continue;
      const without = kept.filter((l) => l !== literal);
      const fixed = new Map(without.map((l) => [l.atom, l.holds]));
      if (walkTogether(fixed, (lo, ro) => keyOf(lo, ro) === key, RELAX_BUDGET)) kept = without;
    }
    return kept;
  };
  const casesOf = (paths: Literal[][], key: string) =>
    withoutSubsumed(
      paths,
      paths.map((literals) => relaxed(literals, key)),
    );
  // Legal exposure first: where the first policy releases what the second would not.
  const rank = { looser: 0, stricter: 1, duties: 2 };
  const described = [...classes.values()].map(
    ({ paths, ...outcomes }): DiffClass => ({
      ...outcomes,
      cases: casesOf(merged(paths), keyOf(outcomes.left, outcomes.right)).flatMap((literals) => {
        const witness = solve(literals, attributes);
        return witness
          ? [{ conditions: describePath(literals, attributes), example: witnessQuery(a, witness) }]
          : [];
      }),
    }),
  );
  return { problems: [], classes: described.sort((x, y) => rank[x.kind] - rank[y.kind]) };
}
