import type { Decision } from './decision.js';

/** One attribute that would have to differ. */
export interface Change {
  /** `entity.attribute`. */
  path: string;
  from: unknown;
  to: unknown;
  /** The attribute's description in the vocabulary, if it has one. */
  description?: string;
}

/** A smallest set of changes to a query that leads to the other decision. */
export interface Counterfactual {
  decision: 'permit' | 'deny';
  changes: Change[];
  /** The rules that would then decide. */
  rules: string[];
}

/** What a search for counterfactuals found (see `Engine.counterfactuals`). */
export interface CounterfactualSearch {
  /** Each a smallest set of changes that leads to the other decision; empty when none was found. */
  found: Counterfactual[];
  /** The most circumstances a set was allowed to change. */
  maxChanges: number;
  /**
   * Whether the search tried every set it was asked to. When false it stopped at its budget, and that it found
   * nothing does not mean there is nothing to find.
   */
  complete: boolean;
}

/**
 * Whether an optional text is the object's own and not empty. What an engine returns leaves an optional field out
 * where there is nothing to say, and a polluted `Object.prototype` would otherwise say it.
 */
const own = (object: object, key: 'description' | 'text') =>
  Object.hasOwn(object, key) && !!(object as Record<string, unknown>)[key];

const sentence = (text: string) => {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

/**
 * A change in words: the attribute, the value it would have, and what the attribute means, in the vocabulary's
 * own words: `request.goodCauseShown were true ("Good cause for the process was shown in a court.")`.
 */
export function describeChange(change: Change): string {
  const value = typeof change.to === 'string' ? change.to : JSON.stringify(change.to);
  const meaning = own(change, 'description') ? ` ("${(change.description as string).trim()}")` : '';
  return `${change.path} were ${value}${meaning}`;
}

/**
 * The decision in words a circulation-desk clerk can act on: the answer and the reason in the rule's words with
 * what it cites, what to do now, what would have changed the answer (when the `search` of `engine.counterfactuals`
 * is given), and the law quoted. Never throws on a decision an engine made.
 */
export function explain(decision: Decision, search?: CounterfactualSearch): string {
  try {
    return explainDecision(decision, search);
  } catch {
    return 'Denied: the answer could not be put into words, so nothing may be released.\n';
  }
}

function explainDecision(decision: Decision, search: CounterfactualSearch | undefined): string {
  const counterfactuals = search?.found;
  const labels = new Map(decision.citations.map((c) => [c.id, c]));
  const cite = (ids: readonly string[]) => {
    const shown = ids.map((id) => labels.get(id)).filter((c) => c !== undefined);
    // Sections are the policy's own; authorities are cited by their label.
    const parts = shown.map((c) => (c.kind === 'section' ? `Policy, ${c.label}` : c.label));
    return parts.length > 0 ? ` (${[...new Set(parts)].join('; ')})` : '';
  };
  const lines: string[] = [];
  if (decision.errors.length > 0) {
    lines.push('Denied: the question could not be read, so nothing may be released.');
    for (const error of decision.errors) lines.push(`  - ${error.message}`);
    return `${lines.join('\n')}\n`;
  }
  const verdict = decision.decision === 'permit' ? 'Permitted.' : 'Denied.';
  const reasons = decision.reasons.map((r) => `${sentence(r.text).replace(/\.$/, '')}${cite(r.citations)}.`);
  lines.push(`${verdict} ${reasons.join(' ')}`);
  if (decision.obligations.length > 0) {
    lines.push('', 'Next:');
    for (const o of decision.obligations)
      lines.push(`  - ${sentence(o.text).replace(/\.$/, '')}${cite(o.citations)}.`);
  }
  if (search && search.found.length === 0) {
    const other = decision.decision === 'permit' ? 'deny' : 'permit';
    const circumstances = `${search.maxChanges} of the request's circumstances`;
    lines.push(
      '',
      search.complete
        ? `No change of up to ${circumstances} would ${other} it.`
        : `The search for a change that would ${other} it stopped before it had tried every change of up to ${circumstances}: it found none, which does not mean there is none.`,
    );
  }
  if (counterfactuals && counterfactuals.length > 0) {
    const other = counterfactuals[0]?.decision === 'permit' ? 'permitted' : 'denied';
    // Alternatives: each a smallest set of changes, any one of which would have done.
    lines.push('', `Would have been ${other} if:`);
    counterfactuals.forEach((c, i) => {
      const prefix = counterfactuals.length > 1 ? `  ${i === 0 ? '' : 'or '}` : '  ';
      lines.push(
        `${prefix}${c.changes.map(describeChange).join('; and ')}; then: ${c.rules.join(', ') || 'the default'}.`,
      );
    });
  }
  const law = decision.citations.filter((c) => c.kind === 'authority' && own(c, 'text'));
  if (law.length > 0) {
    lines.push('', 'The law:');
    for (const c of law) lines.push(`  ${c.label}: "${(c.text ?? '').replace(/\s+/g, ' ').trim()}"`);
  }
  return `${lines.join('\n')}\n`;
}
