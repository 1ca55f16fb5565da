import type { CheckedPolicy } from '@tenet/language';
import type { Atom, Graph, Leaf } from '@tenet/runtime';
import { type Witness, witnessQuery } from './analyze.js';
import { type LoweredPolicy, lowerTogether } from './compile.js';
import { buildGraph } from './graph.js';
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

function vocabularyProblems(a: CheckedPolicy, b: CheckedPolicy): string[] {
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
 * graphs are walked together, and every pair of leaves that differ, on a path some query can take, is a case,
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
  const choices = atoms.map((atom) => {
    const type = atom.kind === 'equals' ? attributes.get(atom.attribute)?.type : undefined;
    return atom.kind === 'equals' && type?.kind === 'enum'
      ? { attribute: atom.attribute, values: type.values.length }
      : undefined;
  });
  const graphOf = (lowered: LoweredPolicy, checked: CheckedPolicy) =>
    buildGraph({
      atomCount: atoms.length,
      choices,
      rules: lowered.rules,
      obligations: options.decisionsOnly ? [] : lowered.obligations,
      defaultEffect: checked.policy?.defaultEffect?.effect ?? 'deny',
      matched: false,
    });
  const graphs = [graphOf(left, a), graphOf(right, b)] as const;
  const outcome = (graph: Graph, leaf: number, checked: CheckedPolicy): Outcome => {
    const l = graph.leaves[leaf] as Leaf;
    return {
      decision: l.decision,
      rules: l.rules.map((r) => checked.rules[r]?.id.text ?? ''),
      obligations: l.obligations.map((o) => [...checked.obligations.keys()][o] ?? ''),
    };
  };
  const differ = (x: Outcome, y: Outcome) =>
    x.decision !== y.decision ||
    (!options.decisionsOnly &&
      JSON.stringify([...x.obligations].sort()) !== JSON.stringify([...y.obligations].sort()));

  const classes = new Map<string, DiffClass>();
  const path: Literal[] = [];
  // Walk both graphs together, one atom at a time: a node of either graph that tests the smaller atom moves on.
  const walk = (x: number, y: number): void => {
    if (x < 0 && y < 0) {
      const [lo, ro] = [outcome(graphs[0], -x - 1, a), outcome(graphs[1], -y - 1, b)];
      if (!differ(lo, ro)) return;
      const witness = solve(path, attributes);
      if (!witness) return;
      const key = JSON.stringify([lo, ro]);
      const found = classes.get(key) ?? { left: lo, right: ro, cases: [] };
      found.cases.push({ conditions: describePath(path, attributes), example: witnessQuery(a, witness) });
      classes.set(key, found);
      return;
    }
    const atomOf = (graph: Graph, r: number) =>
      r >= 0 ? (graph.nodes[r] as [number, number, number])[0] : Number.POSITIVE_INFINITY;
    const top = Math.min(atomOf(graphs[0], x), atomOf(graphs[1], y));
    const branch = (graph: Graph, r: number, truth: boolean) =>
      atomOf(graph, r) === top ? (graph.nodes[r] as [number, number, number])[truth ? 2 : 1] : r;
    for (const truth of [false, true]) {
      path.push({ atom: atoms[top] as Atom, holds: truth });
      if (solve(path, attributes)) walk(branch(graphs[0], x, truth), branch(graphs[1], y, truth));
      path.pop();
    }
  };
  walk(graphs[0].root, graphs[1].root);
  return { problems: [], classes: [...classes.values()] };
}
