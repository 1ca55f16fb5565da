import { ARTIFACT_FORMAT, type AttributeType } from './artifact.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isIndex = (v: unknown, length: number) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;

function typeProblem(type: unknown): string | undefined {
  if (!isObject(type)) return 'a type is an object';
  const values = (t: Json) => Array.isArray(t.values) && t.values.every(isString);
  switch (type.kind) {
    case 'boolean':
    case 'integer':
    case 'identifier':
      return undefined;
    case 'enum':
      return values(type) ? undefined : 'an enumeration lists its values as strings';
    case 'set': {
      const element = type.element;
      if (
        isObject(element) &&
        (element.kind === 'identifier' || (element.kind === 'enum' && values(element)))
      )
        return undefined;
      return 'a set holds identifiers or enumeration values';
    }
    default:
      return `unknown type \`${String(type.kind)}\``;
  }
}

/**
 * The problems that keep `input` from being an artifact this runtime can decide with: its format, and every index
 * and type the engine will rely on, so that no artifact, corrupt or crafted, can make a decision throw or loop.
 * Children in the graph come before their parents (the compiler writes them so), which also rules out cycles,
 * and a found step goes on only to a node.
 */
export function artifactProblems(input: unknown): string[] {
  if (!isObject(input)) return ['an artifact is a JSON object'];
  if (input.format !== ARTIFACT_FORMAT)
    return [`the format is \`${String(input.format)}\`, not \`${ARTIFACT_FORMAT}\``];
  const problems: string[] = [];
  const policy = input.policy;
  if (!isObject(policy) || !isString(policy.id) || !isString(policy.title))
    problems.push('`policy` lacks its id or title');
  else if (policy.defaultEffect !== 'permit' && policy.defaultEffect !== 'deny')
    problems.push('`policy.defaultEffect` is permit or deny');

  const types = new Map<string, AttributeType>();
  if (!Array.isArray(input.vocabulary)) problems.push('`vocabulary` is a list of entities');
  else {
    for (const entity of input.vocabulary as unknown[]) {
      if (!isObject(entity) || !isString(entity.name) || !Array.isArray(entity.attributes)) {
        problems.push('an entity has a name and a list of attributes');
        continue;
      }
      for (const attribute of entity.attributes as unknown[]) {
        const problem =
          isObject(attribute) && isString(attribute.name)
            ? typeProblem(attribute.type)
            : 'an attribute has a name and a type';
        const path = `${entity.name}.${isObject(attribute) ? String(attribute.name) : '?'}`;
        if (problem) problems.push(`\`${path}\`: ${problem}`);
        else if (types.has(path)) problems.push(`\`${path}\` is declared twice`);
        else types.set(path, (attribute as Json).type as AttributeType);
      }
    }
  }

  const kindOf = (path: unknown) => (isString(path) ? types.get(path)?.kind : undefined);
  const scalar = (path: unknown) => ['boolean', 'integer', 'identifier', 'enum'].includes(kindOf(path) ?? '');
  const atoms = Array.isArray(input.atoms) ? (input.atoms as unknown[]) : [];
  if (!Array.isArray(input.atoms)) problems.push('`atoms` is a list');
  atoms.forEach((atom, i) => {
    const a = isObject(atom) ? atom : {};
    const fits =
      a.kind === 'true'
        ? kindOf(a.attribute) === 'boolean'
        : a.kind === 'equals'
          ? scalar(a.attribute) && (isString(a.value) || Number.isInteger(a.value))
          : a.kind === 'same'
            ? scalar(a.attribute) && kindOf(a.attribute) === kindOf(a.other)
            : a.kind === 'member'
              ? scalar(a.attribute) && kindOf(a.set) === 'set'
              : a.kind === 'contains'
                ? kindOf(a.set) === 'set' && isString(a.value)
                : a.kind === 'within'
                  ? kindOf(a.set) === 'set' && Array.isArray(a.values) && a.values.every(isString)
                  : a.kind === 'less'
                    ? kindOf(a.attribute) === 'integer' && Number.isInteger(a.bound)
                    : false;
    if (!fits) problems.push(`atom ${i} does not fit the vocabulary`);
  });

  const rules = Array.isArray(input.rules) ? (input.rules as unknown[]) : [];
  const obligations = Array.isArray(input.obligations) ? (input.obligations as unknown[]) : [];
  const cited = (v: Json) => Array.isArray(v.citations) && v.citations.every(isString);
  if (
    !rules.every(
      (r) => isObject(r) && isString(r.id) && (r.effect === 'permit' || r.effect === 'forbid') && cited(r),
    )
  ) {
    problems.push('`rules` are objects with an id, an effect and citations');
  }
  if (!obligations.every((o) => isObject(o) && isString(o.id) && cited(o)))
    problems.push('`obligations` are objects with an id and citations');
  if (
    !Array.isArray(input.citations) ||
    !(input.citations as unknown[]).every((c) => isObject(c) && isString(c.id) && isString(c.label))
  ) {
    problems.push('`citations` are objects with an id and a label');
  }

  const graph = isObject(input.graph) ? input.graph : {};
  const nodes = Array.isArray(graph.nodes) ? (graph.nodes as unknown[]) : undefined;
  const found = Array.isArray(graph.found) ? (graph.found as unknown[]) : undefined;
  if (!nodes || !found) return [...problems, '`graph` has nodes and found steps'];
  const indexes = (list: unknown, length: number) =>
    Array.isArray(list) && list.every((x) => isIndex(x, length));
  found.forEach((step, i) => {
    const f = isObject(step) ? step : {};
    const ok =
      indexes(f.rules, rules.length) &&
      indexes(f.obligations, obligations.length) &&
      (f.next === undefined || isIndex(f.next, nodes.length));
    if (!ok)
      problems.push(`found step ${i} names no rules and obligations of this artifact, or goes on to no node`);
  });
  if (problems.length > 0) return problems.slice(0, 20);
  // Every reference leads to a node before the one it leaves, directly or through one found step.
  const leadsBefore = (r: unknown, below: number) => {
    if (!Number.isInteger(r)) return false;
    if ((r as number) >= 0) return (r as number) < below;
    const step = found[-(r as number) - 1] as { next?: number } | undefined;
    return step !== undefined && (step.next === undefined || step.next < below);
  };
  nodes.forEach((node, i) => {
    const ok =
      Array.isArray(node) &&
      node.length === 3 &&
      isIndex(node[0], atoms.length) &&
      leadsBefore(node[1], i) &&
      leadsBefore(node[2], i);
    if (!ok) problems.push(`graph node ${i} tests no atom, or leads to a node that does not come before it`);
  });
  if (!leadsBefore(graph.root, nodes.length)) problems.push('the graph’s root is no node or found step');
  return problems.slice(0, 20);
}
