/**
 * The canonical form of JSON data (RFC 8785, the JSON Canonicalization Scheme): no whitespace, object keys sorted by
 * their UTF-16 code units, strings and numbers written as ECMAScript's `JSON.stringify` writes them (which is what
 * RFC 8785 prescribes). Two texts of the same data, whatever their key order or spacing, have one canonical form, so
 * a hash of it names the data, not the text it was saved as.
 *
 * @throws {TypeError} on what JSON cannot hold (a number that is not finite, a function, a cycle too deep).
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > 256) throw new TypeError('data nested too deep to be written canonically');
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('a number that is not finite has no JSON form');
    return JSON.stringify(value);
  }
  if (typeof value !== 'object') throw new TypeError(`a ${typeof value} has no JSON form`);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++)
      text += `${i > 0 ? ',' : ''}${canonicalJson(value[i] ?? null, depth + 1)}`;
    return `${text}]`;
  }
  const object = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(member, depth + 1)}`;
  }
  return `${text}}`;
}
