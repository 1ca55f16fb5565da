/**
 * Hover: what the name under the pointer means, in the policy's own words. A rule: its effect, what it says in
 * plain English, when it applies, the law it cites with the text quoted, and the duties its decisions can carry;
 * an attribute: its type, values and labels; an authority or a section: its text and version; and so on.
 */
import {
  type AttributeDeclaration,
  type AuthorityDeclaration,
  type CheckedPolicy,
  type Declaration,
  formatExpression,
  type Name,
  showType,
  type Text,
  type TypeExpression,
} from '@tenet/language';
import type { Target } from './symbols.js';

/** A citation quoted at most this long in a hover; the rest is elided. */
const QUOTED = 600;

/** The hover text (Markdown) of what `target` names; `duties` are the obligations a rule's decisions can carry. */
export function hoverText(
  checked: CheckedPolicy,
  target: Target,
  duties: ReadonlyMap<string, readonly string[]>,
): string {
  if (!('kind' in target)) return attributeText(checked, target);
  return declarationText(checked, target, duties).join('\n\n');
}

function declarationText(
  checked: CheckedPolicy,
  d: Declaration,
  duties: ReadonlyMap<string, readonly string[]>,
): string[] {
  switch (d.kind) {
    case 'rule': {
      const owed = (duties.get(d.id.text) ?? []).map((id) => {
        const obligation = checked.obligations.get(id);
        return `- ${obligation?.title?.value ?? id}${obligation?.says ? `: ${prose(obligation.says)}` : ''}`;
      });
      return [
        `**${d.effect} \`${d.id.text}\`**`,
        ...(d.says ? [prose(d.says)] : []),
        d.when ? `Applies when \`${formatExpression(d.when)}\`.` : 'Applies to every query.',
        ...citationsText(checked, d.because),
        ...(owed.length > 0 ? [`Duties its decisions can carry:\n${owed.join('\n')}`] : []),
      ];
    }
    case 'authority':
      return [authorityText(d)];
    case 'section':
      return [`**${d.title.value}** (section \`${d.id.text}\`)`, ...(d.quote ? [quoted(d.quote.value)] : [])];
    case 'interpretation':
      return [
        `**${d.title?.value ?? d.id.text}** (interpretation \`${d.id.text}\`)`,
        ...(d.says ? [prose(d.says)] : []),
        ...d.departures.map(
          (departure) =>
            `Departs from the law (${departure.kind}) when \`${departure.when ? formatExpression(departure.when) : '…'}\`.`,
        ),
        ...citationsText(checked, d.because),
      ];
    case 'obligation':
      return [
        `**${d.title?.value ?? d.id.text}** (obligation \`${d.id.text}\`)`,
        ...(d.says ? [prose(d.says)] : []),
        ...citationsText(checked, d.because),
      ];
    case 'condition':
      return [
        `**condition \`${d.id.text}\`**`,
        ...(d.description ? [d.description.value] : []),
        ...(d.when ? [`Holds when \`${formatExpression(d.when)}\`.`] : []),
      ];
    case 'entity':
      return [
        `**entity \`${d.id.text}\`**`,
        ...(d.description ? [d.description.value] : []),
        d.attributes.map((a) => `- \`${a.name.text}\`: ${typeText(a.type)}`).join('\n'),
      ];
    case 'assert':
      return [`**assertion \`${d.id.text}\`**`, ...(d.description ? [d.description.value] : [])];
    default:
      return [];
  }
}

function attributeText(checked: CheckedPolicy, declaration: AttributeDeclaration): string {
  const info = [...checked.attributes.values()].find((a) => a.declaration === declaration);
  const path = info?.path ?? declaration.name.text;
  const type = declaration.type.kind === 'set' ? declaration.type.element : declaration.type;
  const values =
    type.kind === 'enum'
      ? type.values
          .map((v, i) => `- \`${v.text}\`${type.labels[i] ? `: ${type.labels[i]?.value}` : ''}`)
          .join('\n')
      : undefined;
  return [
    `**\`${path}\`**: ${info ? showType(info.type) : typeText(declaration.type)}${declaration.label ? ` (“${declaration.label.value}”)` : ''}`,
    ...(declaration.description ? [declaration.description.value] : []),
    ...(values ? [values] : []),
    info?.required ? 'Every query must give it.' : 'Optional: queries may leave it out.',
  ].join('\n\n');
}

function typeText(type: TypeExpression): string {
  switch (type.kind) {
    case 'enum':
      return `one of ${type.values.map((v) => v.text).join(', ')}`;
    case 'set':
      return `set of ${typeText(type.element)}`;
    default:
      return type.kind;
  }
}

function authorityText(a: AuthorityDeclaration): string {
  const version = [
    a.enactedBy && `enacted by ${a.enactedBy.value}`,
    ...a.amendedBy.map((t) => `amended by ${t.value}`),
    a.effective && `in force since ${a.effective.value}`,
    a.superseded &&
      `superseded ${a.superseded.date.value}${a.superseded.by ? ` by \`${a.superseded.by.text}\`` : ''}`,
  ].filter(Boolean);
  return [
    `**${a.label.value}**${a.title ? `: ${a.title.value}` : ''}${version.length > 0 ? ` (${version.join('; ')})` : ''}`,
    ...(a.quote ? [quoted(a.quote.value)] : []),
  ].join('\n\n');
}

/** Each citation of `because`, with the law's text quoted. */
function citationsText(checked: CheckedPolicy, because: readonly Name[]): string[] {
  return because.map((name) => {
    const resolution = checked.uses.get(name);
    const cited = resolution?.kind === 'declaration' ? resolution.declaration : undefined;
    switch (cited?.kind) {
      case 'authority':
        return `Cites ${authorityText(cited)}`;
      case 'section':
        return `Cites the policy, **${cited.title.value}**${cited.quote ? `\n\n${quoted(cited.quote.value)}` : ''}`;
      case 'interpretation':
        return `Cites the interpretation **${cited.title?.value ?? cited.id.text}**${cited.says ? `: ${prose(cited.says)}` : ''}`;
      default:
        return `Cites \`${name.text}\``;
    }
  });
}

/** Text as decisions read it: a single line break is a space, a blank line a new paragraph. */
function prose(text: Text | undefined): string {
  return (text?.value ?? '').replace(/(?<!\n)\n(?!\n)/g, ' ');
}

function quoted(text: string): string {
  const shown = text.length > QUOTED ? `${text.slice(0, QUOTED).trimEnd()} …` : text;
  return shown
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
