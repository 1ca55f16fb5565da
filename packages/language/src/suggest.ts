/**
 * Names in the checker's messages. Which name a mistyped one most likely meant is the runtime's `suggest`, shared
 * with its query validation so that a typo gets the same "did you mean" in a policy as in a query.
 */

/** A list of names for a message: "`a`, `b` or `c`", shortened past `limit` names. */
export function listNames(names: readonly string[], limit = 8): string {
  const shown = names.slice(0, limit).map((n) => `\`${n}\``);
  if (names.length > limit) return `${shown.join(', ')}, … (${names.length} in all)`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}
