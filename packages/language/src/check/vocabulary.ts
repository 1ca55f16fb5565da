/** The vocabulary: entities and their attributes, with their types, values, labels and advice. */
import type { AttributeDeclaration, Name, TypeExpression } from '../ast.js';
import { typeOf } from '../types.js';
import type { CheckContext } from './context.js';
import { checkLiteral } from './expressions.js';

export function checkVocabulary(c: CheckContext): void {
  for (const entity of c.result.entities.values()) {
    if (reserved(c, entity.id, 'an entity')) continue;
    const seen = new Map<string, AttributeDeclaration>();
    for (const attribute of entity.attributes) {
      if (attribute.name.text === '' || reserved(c, attribute.name, 'an attribute')) continue;
      const previous = seen.get(attribute.name.text);
      if (previous) {
        c.report(
          'duplicate-declaration',
          `\`${entity.id.text}.${attribute.name.text}\` is declared more than once`,
          attribute.name.span,
          {
            related: [{ span: previous.span, message: 'first declared here' }],
          },
        );
        continue;
      }
      seen.set(attribute.name.text, attribute);
      const type = typeOf(attribute.type);
      checkEnumValues(c, attribute.type);
      const path = `${entity.id.text}.${attribute.name.text}`;
      checkLabels(c, path, attribute);
      c.result.attributes.set(path, {
        path,
        entity,
        declaration: attribute,
        type,
        required: attribute.default === undefined,
      });
      if (attribute.default)
        checkLiteral(c, attribute.default, type, 'invalid-default', `the default of \`${path}\``);
    }
  }
}

/** Names that are JavaScript's own on every object: as query keys they would be read as something else. */
function reserved(c: CheckContext, name: Name, what: string): boolean {
  if (!['__proto__', 'constructor', 'prototype'].includes(name.text)) return false;
  c.report(
    'reserved-name',
    `\`${name.text}\` cannot name ${what}: it means something else to every JavaScript object`,
    name.span,
    {
      help: 'choose another name',
    },
  );
  return true;
}

/**
 * An enumeration is labelled throughout or not at all (one value left bare is most likely a label read as the
 * description); and advice left free to suggest a change of what looks like a declared purpose or a legal
 * conclusion is flagged, since an answer could then coach someone to say something different.
 */
function checkLabels(c: CheckContext, path: string, attribute: AttributeDeclaration): void {
  const type = attribute.type.kind === 'set' ? attribute.type.element : attribute.type;
  if (type.kind === 'enum' && type.labels.some((l) => l) && type.labels.some((l) => !l)) {
    const bare = type.values.filter((_, i) => !type.labels[i]).map((v) => `\`${v.text}\``);
    c.report(
      'unlabelled-value',
      `${bare.join(', ')} of \`${path}\` ha${bare.length === 1 ? 's' : 've'} no label, though other values do`,
      type.span,
      {
        severity: 'warning',
        help: 'write a label after each value (`court_order "a court order"`); a string after the last value with nothing after it is the description',
      },
    );
  }
  if (attribute.advice || attribute.default === undefined) return;
  const words = `${attribute.name.text} ${attribute.description?.value ?? ''}`;
  const declared =
    type.kind === 'enum' &&
    (/purpose|reason|intent/i.test(words) || /^\s*why\b/i.test(attribute.description?.value ?? ''));
  const legal =
    attribute.type.kind === 'boolean' &&
    /proper|valid|lawful|good ?cause|jurisdiction|competent/i.test(words);
  if (!declared && !legal) return;
  c.report(
    'advice-may-coach',
    declared
      ? `advice may suggest another value of \`${path}\`, which looks like a purpose the requester declares: an answer could tell someone what to say to be permitted`
      : `advice may suggest changing \`${path}\`, which looks like a legal conclusion only counsel can establish`,
    attribute.name.span,
    {
      severity: 'warning',
      help: declared
        ? 'add `advice never`, or `advice suggest` if suggesting it is real advice'
        : 'add `advice counsel` so that advice refers the question instead, or `advice suggest` to keep it',
      fix: {
        title: declared ? 'add `advice never`' : 'add `advice counsel`',
        edits: [
          {
            span: { ...attribute.span, start: attribute.span.end },
            newText: declared ? ' advice never' : ' advice counsel',
          },
        ],
      },
    },
  );
}

function checkEnumValues(c: CheckContext, type: TypeExpression): void {
  if (type.kind === 'set') {
    checkEnumValues(c, type.element);
    return;
  }
  if (type.kind !== 'enum') return;
  const seen = new Set<string>();
  for (const value of type.values) {
    if (seen.has(value.text)) {
      c.report('duplicate-value', `\`${value.text}\` is listed twice`, value.span, {
        fix: { title: `remove the repeated \`${value.text}\``, edits: [{ span: value.span, newText: '' }] },
      });
    }
    seen.add(value.text);
  }
}
