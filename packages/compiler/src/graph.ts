import type { Graph, Leaf } from '@tenet/runtime';
import { Bdd, ONE } from './bdd.js';
import type { Formula } from './formula.js';

/** What the decision graph is built from: each rule's and each obligation's condition, as formulas. */
export interface GraphInput {
  atomCount: number;
  /**
   * For each atom that tests an enumeration attribute for one value: the attribute, and how many values it has.
   * An attribute holds one value, so on a path where it is one value it is no other, and where it is none of all
   * but one value it is that one: the graph never tests what the path already settles.
   */
  choices: ({ attribute: string; values: number } | undefined)[];
  rules: { effect: 'permit' | 'forbid'; when: Formula }[];
  obligations: Formula[];
  defaultEffect: 'permit' | 'deny';
  /**
   * Whether leaves record every rule that matched, or only the deciding ones: a comparison of decisions needs only
   * these, and leaves that differ only in rules that did not decide then merge.
   */
  matched?: boolean;
}

/**
 * Builds the decision graph: one multi-terminal diagram whose leaves are whole outcomes. Each rule and obligation
 * becomes a BDD over the same variable order; walking all of them together, one variable at a time, gives the graph.
 * Forbid wins over permit; when no rule holds, the default decides. Atoms are already in graph order: atom `a` is
 * variable `a`.
 */
export function buildGraph(input: GraphInput): Graph {
  const bdd = new Bdd();
  const order = Array.from({ length: input.atomCount }, (_, i) => i);
  const roots = [...input.rules.map((r) => r.when), ...input.obligations].map((f) => bdd.build(f, order));
  const ruleCount = input.rules.length;

  const leaves: Leaf[] = [];
  const leafIndex = new Map<string, number>();
  const nodes: Graph['nodes'] = [];
  const nodeIndex = new Map<string, number>();
  const memo = new Map<string, number>();

  const leaf = (terminals: number[]): number => {
    const matched = terminals.flatMap((t, i) => (i < ruleCount && t === ONE ? [i] : []));
    const obligations = terminals.flatMap((t, i) => (i >= ruleCount && t === ONE ? [i - ruleCount] : []));
    const forbids = matched.filter((r) => input.rules[r]?.effect === 'forbid');
    const permits = matched.filter((r) => input.rules[r]?.effect === 'permit');
    const rules = forbids.length > 0 ? forbids : permits;
    const outcome: Leaf = {
      decision: forbids.length > 0 ? 'deny' : permits.length > 0 ? 'permit' : input.defaultEffect,
      rules,
      matched: input.matched === false ? rules : matched,
      obligations,
    };
    const key = JSON.stringify(outcome);
    let index = leafIndex.get(key);
    if (index === undefined) {
      index = leaves.length;
      leaves.push(outcome);
      leafIndex.set(key, index);
    }
    return -index - 1;
  };

  // The atoms of each enumeration attribute. The compiler orders them next to each other; the walk forgets what a
  // path knows of an attribute once it tests another one, which costs only precision (a redundant test), never
  // correctness, if they were not.
  const siblings = new Map<string, number[]>();
  input.choices.forEach((choice, atom) => {
    if (choice) siblings.set(choice.attribute, [...(siblings.get(choice.attribute) ?? []), atom]);
  });
  const settle = (vector: number[], atoms: readonly number[], value: boolean) =>
    vector.map((f) => atoms.reduce((g, atom) => bdd.restrict(g, atom, value), f));

  const node = (top: number, low: number, high: number): number => {
    if (low === high) return low;
    const nodeKey = `${top},${low},${high}`;
    let index = nodeIndex.get(nodeKey);
    if (index === undefined) {
      index = nodes.length;
      nodes.push([top, low, high]);
      nodeIndex.set(nodeKey, index);
    }
    return index;
  };

  /**
   * A step of the walk: the functions still to decide, and the atoms of the current enumeration attribute known
   * false on this path. The walk keeps its own stack, so a path as long as the policy has atoms costs no call stack.
   */
  interface Step {
    vector: number[];
    excluded: readonly number[];
    key?: string;
    top?: number;
    branches?: [low: Step, high: Step];
    low?: number;
  }
  const start = (vector: number[], excluded: readonly number[]): Step => ({ vector, excluded });

  const walk = (vector: number[], excluded: readonly number[]): number => {
    const stack: Step[] = [start(vector, excluded)];
    let result = 0;
    while (stack.length > 0) {
      const step = stack.at(-1) as Step;
      if (step.branches === undefined) {
        let top = Number.POSITIVE_INFINITY;
        for (const f of step.vector) top = Math.min(top, bdd.variable[f] as number);
        const choice = input.choices[top];
        const others = choice ? (siblings.get(choice.attribute) ?? []).filter((a) => a !== top) : [];
        // What the path knows of an enumeration matters only among that enumeration's atoms.
        const known =
          choice && step.excluded.length > 0 && others.includes(step.excluded[0] as number)
            ? step.excluded
            : [];
        const key = `${step.vector.join(',')}|${known.join(',')}`;
        const memoized = memo.get(key);
        if (memoized !== undefined || top === Number.POSITIVE_INFINITY) {
          result = memoized ?? leaf(step.vector);
          memo.set(key, result);
          stack.pop();
          continue;
        }
        const lowVector = step.vector.map((f) => bdd.cofactors(f, top)[0]);
        const highVector = step.vector.map((f) => bdd.cofactors(f, top)[1]);
        // All values but one excluded: the attribute holds the last one. One value held: it holds no other.
        const lastValue = choice !== undefined && known.length + 1 === choice.values - 1;
        const low = lastValue
          ? start(
              settle(
                lowVector,
                others.filter((a) => !known.includes(a)),
                true,
              ),
              [],
            )
          : start(lowVector, choice ? [...known, top].sort((a, b) => a - b) : []);
        const high = start(choice ? settle(highVector, others, false) : highVector, []);
        Object.assign(step, { key, top, branches: [low, high] });
        stack.push(low);
      } else if (step.low === undefined) {
        step.low = result;
        stack.push(step.branches[1]);
      } else {
        result = node(step.top as number, step.low, result);
        memo.set(step.key as string, result);
        stack.pop();
      }
    }
    return result;
  };

  const root = walk(roots, []);
  return { root, nodes, leaves };
}
