import { MAX_STRING_LENGTH } from './limits.js';

/** Printable ASCII alone: the common case, valid as it stands. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
/**
 * What no identifier holds: whitespace; control and format characters (among them zero-width spaces, joiners and
 * bidirectional controls); surrogates that pair with nothing; private-use characters; and U+FFFD, the replacement
 * character, which stands where a decoder met bytes it could not read, so that different names would become equal.
 */
const FORBIDDEN = /[\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Co}\uFFFD]/u;

/**
 * Whether `value` is an identifier, as a query's ids must be: a string of 1 to {@link MAX_STRING_LENGTH} UTF-16
 * code units, in Unicode normalization form C, with no whitespace, control, format, private-use or replacement
 * character and no unpaired surrogate. Two identifiers are the same only when they are equal strings, so anything
 * that looks like nothing, or like another identifier written in other code points, is refused rather than
 * compared.
 *
 * @example
 * isIdentifier('p-1001'); // true
 * isIdentifier(''); // false
 * isIdentifier('p\u200b1001'); // false: a zero-width space
 */
export function isIdentifier(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_STRING_LENGTH) return false;
  if (PRINTABLE_ASCII.test(value)) return true;
  return !FORBIDDEN.test(value) && value.normalize('NFC') === value;
}
