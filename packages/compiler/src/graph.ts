import type { Graph, Leaf } from '@tenet/runtime';
import { Bdd, ONE } from './bdd.js';
import type { Formula } from './formula.js';

/** What the decision graph is built from: each rule's and each obligation's condition, as formulas. */
export interface GraphInput {
  atomCount: number;
  rules: { effect: 'permit' | 'forbid'; when: Formula }[];
  obligations: Formula[];
  defaultEffect: 'permit' | 'deny';
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
    const outcome: Leaf =
      forbids.length > 0
        ? { decision: 'deny', rules: forbids, matched, obligations }
        : permits.length > 0
          ? { decision: 'permit', rules: permits, matched, obligations }
          : { decision: input.defaultEffect, rules: [], matched, obligations };
    const key = JSON.stringify(outcome);
    let index = leafIndex.get(key);
    if (index === undefined) {
      index = leaves.length;
      leaves.push(outcome);
      leafIndex.set(key, index);
    }
    return -index - 1;
  };

  const walk = (vector: number[]): number => {
    const key = vector.join(',');
    const known = memo.get(key);
    if (known !== undefined) return known;
    let top = Number.POSITIVE_INFINITY;
    for (const f of vector) top = Math.min(top, bdd.variable[f] as number);
    let result: number;
    if (top === Number.POSITIVE_INFINITY) result = leaf(vector);
    else {
      const low = walk(vector.map((f) => bdd.cofactors(f, top)[0]));
      const high = walk(vector.map((f) => bdd.cofactors(f, top)[1]));
      if (low === high) result = low;
      else {
        const nodeKey = `${top},${low},${high}`;
        result = nodeIndex.get(nodeKey) ?? nodes.length;
        if (result === nodes.length) {
          nodes.push([top, low, high]);
          nodeIndex.set(nodeKey, result);
        }
      }
    }
    memo.set(key, result);
    return result;
  };

  const root = walk(roots);
  return { root, nodes, leaves };
}
