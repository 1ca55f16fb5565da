/** Examples: each gives every required attribute once, with values of their types, and expects a decision. */
import type { ExampleDeclaration } from '../ast.js';
import type { SourceSpan } from '../diagnostics.js';
import type { CheckContext } from './context.js';
import { checkLiteral } from './expressions.js';
import { resolveObligation, resolveRule } from './names.js';

export function checkExample(c: CheckContext, example: ExampleDeclaration): void {
  const r = c.result;
  const given = new Map<string, SourceSpan>();
  const entities = new Map<string, SourceSpan>();
  for (const value of example.given) {
    const twice = entities.get(value.entity.text);
    if (twice) {
      c.report(
        'duplicate-declaration',
        `\`${value.entity.text}\` is given more than once`,
        value.entity.span,
        {
          help: `give all of \`${value.entity.text}\`'s attributes in one \`${value.entity.text} { … }\``,
          related: [{ span: twice, message: 'first given here' }],
        },
      );
    }
    entities.set(value.entity.text, value.entity.span);
    const entity = r.entities.get(value.entity.text);
    if (!entity) {
      if (value.entity.text) c.unknown('unknown-entity', 'entity', value.entity, r.entities.keys());
      continue;
    }
    c.resolve(value.entity, entity);
    for (const field of value.fields) {
      const path = `${entity.id.text}.${field.name.text}`;
      const attribute = r.attributes.get(path);
      if (!attribute) {
        if (field.name.text) {
          c.unknown(
            'unknown-attribute',
            `attribute of \`${entity.id.text}\`:`,
            field.name,
            entity.attributes.map((a) => a.name.text),
          );
        }
        continue;
      }
      c.resolveAttribute(field.name, attribute);
      const earlier = given.get(path);
      if (earlier) {
        c.report('duplicate-declaration', `\`${path}\` is given more than once`, field.name.span, {
          help: 'give each attribute once',
          related: [{ span: earlier, message: `\`${path}\` is first given here` }],
        });
      }
      given.set(path, field.span);
      checkLiteral(c, field.value, attribute.type, 'type-mismatch', `\`${path}\``);
    }
  }
  for (const attribute of r.attributes.values()) {
    if (attribute.required && !given.has(attribute.path)) {
      c.report(
        'missing-required-attribute',
        `this example does not give \`${attribute.path}\`, which every query must have`,
        example.description.span,
        {
          help: `add \`${attribute.declaration.name.text}: …\` to \`${attribute.entity.id.text} { … }\``,
        },
      );
    }
  }
  if (!example.expect) {
    c.report('missing-expectation', 'this example expects nothing', example.description.span, {
      help: 'add `expect permit` or `expect deny`, with the obligations it carries',
    });
    return;
  }
  for (const rule of example.expect.rules ?? []) resolveRule(c, rule);
  for (const obligation of example.expect.obligations) resolveObligation(c, obligation);
}
