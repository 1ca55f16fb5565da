import type { Citation, Decision } from './decision.js';

/** One attribute that would have to differ. */
export interface Change {
  /** `entity.attribute`. */
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
  /** The attribute's description in the vocabulary, if it has one. */
  readonly description?: string;
  /** The attribute, and the values it changes between, in the vocabulary's words, where it labels them. */
  readonly label?: string;
  readonly fromLabel?: string;
  readonly toLabel?: string;
  /** Only counsel can establish it: advice refers the question rather than suggesting the change. */
  readonly advice?: 'counsel';
}

/** A smallest set of changes to a query that leads to the other decision. */
export interface Counterfactual {
  readonly decision: 'permit' | 'deny';
  readonly changes: readonly Change[];
  /** The rules that would then decide. */
  readonly rules: readonly string[];
}

/** What a search for counterfactuals found (see `Engine.counterfactuals`). */
export interface CounterfactualSearch {
  /** Each a smallest set of changes that leads to the other decision; empty when none was found. */
  readonly found: readonly Counterfactual[];
  /** The most circumstances a set was allowed to change. */
  readonly maxChanges: number;
  /**
   * Whether the search tried every set it was asked to. When false it stopped at its budget, and that it found
   * nothing does not mean there is nothing to find.
   */
  readonly complete: boolean;
  /** The policy's referral: what advice says where a change only counsel can establish is needed. */
  readonly referral?: string;
}

/**
 * Whether an optional text is the object's own and not empty. What an engine returns leaves an optional field out
 * where there is nothing to say, and a polluted `Object.prototype` would otherwise say it.
 */
const own = (object: object, key: string) =>
  Object.hasOwn(object, key) && !!(object as Record<string, unknown>)[key];
/** An own text, in one line (a label or a referral may hold line breaks), or undefined when blank. */
const ownText = (object: object, key: string) => {
  const text = own(object, key)
    ? String((object as Record<string, unknown>)[key])
        .replace(/\s+/g, ' ')
        .trim()
    : '';
  return text === '' ? undefined : text;
};

const sentence = (text: string) => {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};
const withoutStop = (text: string) => sentence(text).replace(/\.$/, '');

/** A value as a sentence names it: its label, or the value itself. */
function valueWords(change: Change, side: 'from' | 'to'): string {
  const label = ownText(change, side === 'to' ? 'toLabel' : 'fromLabel');
  if (label) return label;
  const value = change[side];
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A change in words, from the vocabulary's labels where it gives them: `the legal process served were a court
 * order`; a labelled boolean is a statement, said or denied: `the borrower is a minor`, `it were not so that the
 * borrower is a minor`. An attribute without a label is named by its path.
 */
export function describeChange(change: Change): string {
  const label = ownText(change, 'label');
  if (label && typeof change.to === 'boolean') return change.to ? label : `it were not so that ${label}`;
  return `${label ?? change.path} were ${valueWords(change, 'to')}`;
}

/**
 * Alternatives in words: those that change one attribute, and the same things otherwise, said once with the
 * values joined: `the legal process served were a court order or a search warrant`.
 */
function describeAlternatives(alternatives: readonly Change[][]): string[] {
  const key = (changes: readonly Change[]) => changes.map((c) => c.path).join(' ');
  const single = alternatives.every(
    (changes) => changes.length === 1 && key(changes) === key(alternatives[0] ?? []),
  );
  const first = alternatives[0]?.[0];
  if (single && first && alternatives.length > 1 && typeof first.to !== 'boolean') {
    const values = [...new Set(alternatives.map((changes) => valueWords(changes[0] as Change, 'to')))];
    const joined = values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
    return [`${ownText(first, 'label') ?? first.path} were ${joined}`];
  }
  return [...new Set(alternatives.map((changes) => changes.map(describeChange).join(' and ')))];
}

/**
 * What would have changed the answer, as advice a clerk can act on: the circumstances advice may suggest, by their
 * labels; what only counsel can establish is never a box to tick, but the policy's referral.
 */
function advice(search: CounterfactualSearch): string[] {
  const found = search.found;
  const target = found[0]?.decision;
  if (!target) return [];
  const counsel = (c: Counterfactual) => c.changes.filter((change) => own(change, 'advice'));
  const suggested = (c: Counterfactual) => c.changes.filter((change) => !own(change, 'advice'));
  const needsCounsel = found.some((c) => counsel(c).length > 0);
  const plain = found.filter((c) => counsel(c).length === 0);
  const withCounsel = found.filter((c) => counsel(c).length > 0 && suggested(c).length > 0);
  const counselOnly = found.some((c) => suggested(c).length === 0);
  const outcome = target === 'permit' ? 'permitted' : 'denied';
  const lines: string[] = [];
  const ifs = [
    ...describeAlternatives(plain.map(suggested)),
    ...describeAlternatives(withCounsel.map(suggested)).map((words) => `${words}, and counsel confirmed it`),
  ];
  if (ifs.length > 0) lines.push(`Would have been ${outcome} if ${ifs.join('; or if ')}.`);
  if (counselOnly) {
    const would = ifs.length > 0 ? `It would also have been ${outcome}` : `Would have been ${outcome}`;
    lines.push(
      target === 'permit'
        ? `${would} had counsel established what only counsel can.`
        : `${would} had counsel not confirmed what only counsel can establish.`,
    );
  }
  const referral = ownText(search, 'referral');
  if (needsCounsel && target === 'permit' && referral) lines.push(sentence(referral));
  return lines;
}

/**
 * The decision in words a circulation-desk clerk can act on: the answer and the reason in the rule's words with
 * what it cites, what to do now, what would have changed the answer (when the `search` of `engine.counterfactuals`
 * is given), and the law in force quoted, apart from any replaced text the policy quotes. Labels and sentences
 * only: never an attribute's path or a rule's id (an attribute the vocabulary leaves unlabelled excepted). Never
 * throws on a decision an engine made.
 */
export function explain(decision: Decision, search?: CounterfactualSearch): string {
  try {
    return explainDecision(decision, search);
  } catch {
    return 'Denied: the answer could not be put into words, so nothing may be released.\n';
  }
}

function explainDecision(decision: Decision, search: CounterfactualSearch | undefined): string {
  const labels = new Map(decision.citations.map((c) => [c.id, c]));
  const cite = (ids: readonly string[]) => {
    const shown = ids.map((id) => labels.get(id)).filter((c) => c !== undefined);
    // Sections and readings are the policy's own; authorities are cited by their label.
    const parts = shown.map((c) =>
      c.kind === 'section'
        ? `Policy, ${c.label}`
        : c.kind === 'interpretation'
          ? `Interpretation, ${c.label}`
          : c.label,
    );
    return parts.length > 0 ? ` (${[...new Set(parts)].join('; ')})` : '';
  };
  const lines: string[] = [];
  if (decision.errors.length > 0) {
    lines.push('Denied: the question could not be read, so nothing may be released.');
    for (const error of decision.errors) lines.push(`  - ${error.message}`);
    return `${lines.join('\n')}\n`;
  }
  const verdict = decision.decision === 'permit' ? 'Permitted.' : 'Denied.';
  const reasons = decision.reasons.map((r) => `${withoutStop(r.text)}${cite(r.citations)}.`);
  lines.push(`${verdict} ${reasons.join(' ')}`);
  if (decision.obligations.length > 0) {
    lines.push('', 'What to do now:');
    for (const o of decision.obligations) lines.push(`  - ${withoutStop(o.text)}${cite(o.citations)}.`);
  }
  const counsel = search ? advice(search) : [];
  if (counsel.length > 0) lines.push('', ...counsel);
  const quoted = decision.citations.filter((c) => c.kind === 'authority' && own(c, 'text'));
  const quote = (c: Citation) => `"${(c.text ?? '').replace(/\s+/g, ' ').trim()}"`;
  const inForce = quoted.filter((c) => !own(c, 'superseded'));
  if (inForce.length > 0) {
    lines.push('', 'The law in force:');
    for (const c of inForce) {
      const version = [ownText(c, 'act'), own(c, 'effective') ? `in force since ${c.effective}` : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`  ${c.label}${version ? ` (${version})` : ''}: ${quote(c)}`);
    }
  }
  const replaced = quoted.filter((c) => own(c, 'superseded'));
  if (replaced.length > 0) {
    lines.push('', 'Quoted by the policy, but replaced since:');
    for (const c of replaced) {
      const successor = own(c, 'supersededBy') ? labels.get(c.supersededBy as string) : undefined;
      const by = successor ? ` by ${ownText(successor, 'act') ?? successor.label}` : '';
      const act = ownText(c, 'act');
      lines.push(`  ${c.label}${act ? ` (${act})` : ''}, replaced${by} on ${c.superseded}: ${quote(c)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
