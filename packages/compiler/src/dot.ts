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

/**
 * The decision graph in Graphviz's dot language: boxes test an atom (solid edge when it holds, dashed when not),
 * ellipses are leaves with their decision, deciding rules and obligations.
 */
export function toDot(artifact: Artifact): string {
  const lines = [
    `digraph ${quote(artifact.policy.id)} {`,
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const ref = (r: number) => (r >= 0 ? `n${r}` : `l${-r - 1}`);
  artifact.graph.leaves.forEach((leaf, i) => {
    const rules = leaf.rules.map((r) => artifact.rules[r]?.id).join('\n');
    const obligations = leaf.obligations.map((o) => `+ ${artifact.obligations[o]?.id}`).join('\n');
    const label = [leaf.decision.toUpperCase(), rules || '(default)', obligations].filter(Boolean).join('\n');
    const colour = leaf.decision === 'permit' ? '#d9f2d9' : '#f8d7d7';
    lines.push(`  l${i} [shape=ellipse, style=filled, fillcolor="${colour}", label=${quote(label)}];`);
  });
  artifact.graph.nodes.forEach(([atom, low, high], i) => {
    lines.push(`  n${i} [shape=box, label=${quote(atomLabel(artifact.atoms[atom] as Atom))}];`);
    lines.push(`  n${i} -> ${ref(high)};`);
    lines.push(`  n${i} -> ${ref(low)} [style=dashed];`);
  });
  lines.push(`  root [shape=point]; root -> ${ref(artifact.graph.root)};`, '}', '');
  return lines.join('\n');
}
