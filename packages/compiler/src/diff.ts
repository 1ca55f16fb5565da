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

/** A kind of difference: what each policy does, and every case of queries where they do that. */
export interface DiffClass {
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

  const classes = new Map<string, DiffClass>();
  const path: Literal[] = [];
  // Walk both graphs together, one atom at a time: a node of either graph that tests the smaller atom moves on.
  const walk = (x: At, y: At): void => {
    if (x.node === undefined && y.node === undefined) {
      const [lo, ro] = [outcome(first, x.steps), outcome(second, y.steps)];
      if (!differ(lo, ro)) return;
      const witness = solve(path, attributes);
      if (!witness) return;
      const key = JSON.stringify([lo, ro]);
      const found = classes.get(key) ?? { left: lo, right: ro, cases: [] };
      found.cases.push({ conditions: describePath(path, attributes), example: witnessQuery(a, witness) });
      classes.set(key, found);
      return;
    }
    const atomOf = (graph: Graph, at: At) =>
      at.node === undefined
        ? Number.POSITIVE_INFINITY
        : (graph.nodes[at.node] as [number, number, number])[0];
    const top = Math.min(atomOf(first.graph, x), atomOf(second.graph, y));
    const branch = (graph: Graph, at: At, truth: boolean): At =>
      atomOf(graph, at) === top
        ? settle(graph, (graph.nodes[at.node as number] as [number, number, number])[truth ? 2 : 1], at.steps)
        : at;
    for (const truth of [false, true]) {
      path.push({ atom: atoms[top] as Atom, holds: truth });
      if (solve(path, attributes)) walk(branch(first.graph, x, truth), branch(second.graph, y, truth));
      path.pop();
    }
  };
  walk(settle(first.graph, first.graph.root, []), settle(second.graph, second.graph.root, []));
  return { problems: [], classes: [...classes.values()] };
}
