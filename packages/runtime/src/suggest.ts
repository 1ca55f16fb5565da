/**
 * The edit distance between two words (optimal string alignment): each letter added, dropped or changed, and each
 * swap of two neighbouring letters (`rloe` for `role`), counts as one edit.
 */
function distance(a: string, b: string): number {
  // Three rows of the table: the one before the previous is where a swap is counted from.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (beforePrevious[j - 2] as number) + 1);
      current[j] = best;
    }
    [beforePrevious, previous] = [previous, current];
  }
  return previous[b.length] as number;
}

/**
 * The candidate a mistyped `word` most likely meant, for "did you mean": one that differs only in case, or else the
 * closest within a third of the word's letters (at least one edit, a swap of neighbours counted as one) and no more
 * than three letters longer or shorter; the first of the closest. Undefined when none is that close, or the word is
 * longer than 64 characters. The policy's checker and the runtime's query validation both suggest with it, so one
 * typo gets one suggestion wherever it is made.
 *
 * @example
 * suggest('rloe', ['id', 'role', 'guardianOf']); // 'role'
 * suggest('colour', ['id', 'role']); // undefined
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > 64) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    if (Math.abs(candidate.length - word.length) > 3) continue;
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
