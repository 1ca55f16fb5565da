import type { CheckedPolicy } from '@tenet/language';
import { html, type Markup } from './html.js';
import { conditionWords, type Vocabulary } from './words.js';

/** The longest common subsequence of two word lists, as the edits that turn `before` into `after`. */
function edits(
  before: readonly string[],
  after: readonly string[],
): { kind: 'same' | 'del' | 'ins'; word: string }[] {
  const n = before.length;
  const m = after.length;
  // lengths[i][j]: the LCS of before[i..] and after[j..].
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (lengths[i] as Uint32Array)[j] =
        before[i] === after[j]
          ? ((lengths[i + 1] as Uint32Array)[j + 1] as number) + 1
          : Math.max(
              (lengths[i + 1] as Uint32Array)[j] as number,
              (lengths[i] as Uint32Array)[j + 1] as number,
            );
  const out: { kind: 'same' | 'del' | 'ins'; word: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ kind: 'same', word: before[i++] as string });
      j++;
    } else if (
      i < n &&
      (j === m ||
        ((lengths[i + 1] as Uint32Array)[j] as number) >= ((lengths[i] as Uint32Array)[j + 1] as number))
    )
      // Taken out before put in, where either keeps the longest common part.
      out.push({ kind: 'del', word: before[i++] as string });
    else out.push({ kind: 'ins', word: after[j++] as string });
  }
  return out;
}

/** The most cells the word-by-word comparison fills: beyond it, what differs is shown taken out and put in whole. */
const MAX_CELLS = 4_000_000;

/**
 * The edits that turn `before` into `after`: the words both begin and end with kept, and what lies between compared
 * word by word, or, when that would take more than {@link MAX_CELLS} cells, taken out and put in whole.
 */
function bounded(before: readonly string[], after: readonly string[]) {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  const [a, b] = [before.slice(start, before.length - end), after.slice(start, after.length - end)];
  const same = (words: readonly string[]) => words.map((word) => ({ kind: 'same' as const, word }));
  const middle =
    (a.length + 1) * (b.length + 1) <= MAX_CELLS
      ? edits(a, b)
      : [
          ...a.map((word) => ({ kind: 'del' as const, word })),
          ...b.map((word) => ({ kind: 'ins' as const, word })),
        ];
  return [...same(before.slice(0, start)), ...middle, ...same(before.slice(before.length - end))];
}

/** A text redlined: words taken out struck through (`<del>`), words put in underlined (`<ins>`). */
export function redline(before: string, after: string): Markup {
  const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');
  const runs: { kind: 'same' | 'del' | 'ins'; words: string[] }[] = [];
  for (const { kind, word } of bounded(words(before), words(after))) {
    const last = runs.at(-1);
    if (last?.kind === kind) last.words.push(word);
    else runs.push({ kind, words: [word] });
  }
  return html`${runs.map((r, k) => {
    const text = `${k > 0 ? ' ' : ''}${r.words.join(' ')}`;
    return r.kind === 'same' ? text : r.kind === 'del' ? html`<del>${text}</del>` : html`<ins>${text}</ins>`;
  })}`;
}

/**
 * What a revision changes in the text: each section whose quoted text changed, redlined; each rule added, removed
 * or changed (its sentence, its condition in words), by id; and the version and history.
 */
export function textChanges(earlier: CheckedPolicy, later: CheckedPolicy, vocabulary: Vocabulary): Markup {
  const sections = new Map([...earlier.sections.values()].map((s) => [s.id.text, s]));
  const changedSections = [...later.sections.values()].flatMap((s) => {
    const before = sections.get(s.id.text);
    const [a, b] = [before?.quote?.value ?? '', s.quote?.value ?? ''];
    if (before && a === b && before.title.value === s.title.value) return [];
    return [
      html`<div class="redline"><h4>${before ? 'Section changed' : 'Section added'}: ${s.title.value}</h4><p>${redline(a, b)}</p></div>`,
    ];
  });
  const removedSections = [...earlier.sections.values()]
    .filter((s) => !later.sections.has(s.id.text))
    .map(
      (s) =>
        html`<div class="redline"><h4>Section removed: ${s.title.value}</h4><p><del>${s.quote?.value ?? ''}</del></p></div>`,
    );
  const words = (policy: CheckedPolicy, rule: CheckedPolicy['rules'][number]) =>
    `${rule.effect === 'permit' ? 'Permits' : 'Forbids'}: ${rule.says?.value ?? rule.id.text} When ${rule.when ? conditionWords(rule.when, policy, vocabulary) : 'always'}.`;
  const rules = new Map(earlier.rules.map((r) => [r.id.text, r]));
  const ruleChanges = later.rules.flatMap((r) => {
    const before = rules.get(r.id.text);
    const [a, b] = [before ? words(earlier, before) : '', words(later, r)];
    if (a === b) return [];
    return [
      html`<div class="redline"><h4>Rule ${before ? 'changed' : 'added'}: <code>${r.id.text}</code></h4><p>${redline(a, b)}</p></div>`,
    ];
  });
  const removedRules = earlier.rules
    .filter((r) => !later.rules.some((x) => x.id.text === r.id.text))
    .map(
      (r) =>
        html`<div class="redline"><h4>Rule removed: <code>${r.id.text}</code></h4><p><del>${words(earlier, r)}</del></p></div>`,
    );
  const all = [...changedSections, ...removedSections, ...ruleChanges, ...removedRules];
  return all.length > 0 ? html`${all}` : html`<p>The text of the sections and the rules is unchanged.</p>`;
}
