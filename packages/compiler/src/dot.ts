import type { Artifact, Atom } from '@tenet/runtime';

/** An atom as a short label: `request.purpose = disclosure`. */
export function atomLabel(atom: Atom): string {
  switch (atom.kind) {
    case 'true':
      return atom.attribute;
    case 'equals':
      return `${atom.attribute} = ${atom.value}`;
    case 'same':
      return `${atom.attribute} = ${atom.other}`;
    case 'member':
      return `${atom.attribute} ∈ ${atom.set}`;
    case 'contains':
      return `${atom.value} ∈ ${atom.set}`;
    case 'within':
      return `${atom.set} ⊆ {${atom.values.join(', ')}}`;
    case 'less':
      return `${atom.attribute} < ${atom.bound}`;
  }
}

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** How {@link toDot} names atoms, rules and obligations: by default, as programs name them. */
export interface DotLabels {
  atom?: (atom: Atom) => string;
  rule?: (index: number) => string;
  obligation?: (index: number) => string;
}

/**
 * The decision graph in Graphviz's dot language: boxes test an atom (solid edge when it holds, dashed when not);
 * ellipses are found steps, with the rules (green for a permit, red for a forbid) and obligations found to hold there;
 * a path ends at a found step with nothing after it, or at a point. `labels` names them for another reader (the
 * board document asks questions in words).
 */
export function toDot(artifact: Artifact, labels: DotLabels = {}): string {
  const lines = [
    `digraph ${quote(artifact.policy.id)} {`,
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const ref = (r: number) => (r >= 0 ? `n${r}` : `f${-r - 1}`);
  artifact.graph.found.forEach((step, i) => {
    if (step.rules.length + step.obligations.length === 0) {
      lines.push(`  f${i} [shape=point];`);
      return;
    }
    const rules = step.rules.map((r) => {
      const rule = artifact.rules[r];
      return labels.rule?.(r) ?? `${rule?.effect === 'forbid' ? 'forbid' : 'permit'} ${rule?.id}`;
    });
    const obligations = step.obligations.map(
      (o) => labels.obligation?.(o) ?? `+ ${artifact.obligations[o]?.id}`,
    );
    const forbids = step.rules.some((r) => artifact.rules[r]?.effect === 'forbid');
    const colour = forbids ? '#f8d7d7' : step.rules.length > 0 ? '#d9f2d9' : '#eeeeee';
    const label = [...rules, ...obligations].join('\n');
    lines.push(`  f${i} [shape=ellipse, style=filled, fillcolor="${colour}", label=${quote(label)}];`);
    if (step.next !== undefined) lines.push(`  f${i} -> ${ref(step.next)};`);
  });
  artifact.graph.nodes.forEach(([atom, low, high], i) => {
    const tested = artifact.atoms[atom] as Atom;
    lines.push(`  n${i} [shape=box, label=${quote(labels.atom?.(tested) ?? atomLabel(tested))}];`);
    lines.push(`  n${i} -> ${ref(high)};`);
    lines.push(`  n${i} -> ${ref(low)} [style=dashed];`);
  });
  lines.push(`  root [shape=point]; root -> ${ref(artifact.graph.root)};`, '}', '');
  return lines.join('\n');
}
