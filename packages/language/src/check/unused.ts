/** Declarations of the main file that nothing uses. */
import type { Declaration, Name } from '../ast.js';
import type { CheckContext } from './context.js';

export function reportUnused(c: CheckContext): void {
  const r = c.result;
  // A file without a `policy` header is a library for others to import: it need not use what it declares.
  const entry = r.program.files[0];
  if (!r.policy || !entry) return;
  const own = new Set<Declaration>(entry.declarations);
  const warn = (what: string, name: Name, declaration: Declaration, help: string) => {
    if (own.has(declaration) && !c.used.has(declaration)) {
      c.report('unused-declaration', `${what} \`${name.text}\` is never used`, name.span, {
        severity: 'warning',
        help,
      });
    }
  };
  for (const condition of r.conditions.values())
    warn('condition', condition.id, condition, 'use it in a `when`, or remove it');
  for (const obligation of r.obligations.values())
    warn(
      'obligation',
      obligation.id,
      obligation,
      `trigger it with \`require ${obligation.id.text} when …\`, or remove it`,
    );
  for (const authority of r.authorities.values())
    warn('authority', authority.id, authority, 'cite it with `because`, or remove it');
}
