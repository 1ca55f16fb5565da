/**
 * Completion, from what the text before the cursor asks for: an attribute after `entity.`, a value of the
 * attribute's enumeration after a comparison, a citation after `because`, an obligation after `require` or
 * `with`, a rule after `by` or `apply`; elsewhere the keywords, snippets of the declarations, and the names of
 * entities and conditions. The vocabulary comes from the last check that had one, so a half-typed line still gets it.
 */
import { type CheckedPolicy, keywords, showType, type Type } from '@tenet/language';
import { type CompletionItem, CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';

/** The declarations as snippets: `${1:id}` is a placeholder of the protocol's snippet syntax, not JavaScript's. */
const SNIPPETS: readonly { label: string; detail: string; body: string }[] = [
  {
    label: 'section',
    detail: 'a section of the policy, quoted',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a snippet's placeholders
    body: 'section ${1:id} "${2:Title}"\n  quote """\n    ${3:The text of the section.}\n  """\n',
  },
  {
    label: 'permit',
    detail: 'a rule that permits',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a snippet's placeholders
    body: 'permit ${1:id}\n  when ${2:condition}\n  because ${3:citation}\n  says "${4:What the rule means, as a clerk reads it.}"\n',
  },
  {
    label: 'forbid',
    detail: 'a rule that forbids (a forbid beats any permit)',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a snippet's placeholders
    body: 'forbid ${1:id}\n  when ${2:condition}\n  because ${3:citation}\n  says "${4:What the rule means, as a clerk reads it.}"\n',
  },
  {
    label: 'example',
    detail: 'an example query and its expected decision',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a snippet's placeholders
    body: 'example "${1:What happens}"\n  given ${2:requester} { ${3} }\n  expect ${4|permit,deny|}\n',
  },
  {
    label: 'assert',
    detail: 'a guarantee, proved for every query',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a snippet's placeholders
    body: 'assert ${1:id} "${2:What the policy guarantees.}"\n  ${3|never,always|} ${4|permit,deny|} when ${5:condition}\n  because ${6:citation}\n',
  },
];

/** The completions at a place whose line reads `before` up to the cursor. */
export function completions(checked: CheckedPolicy | undefined, before: string): CompletionItem[] {
  const path = /([A-Za-z_][\w-]*)\.([\w-]*)$/.exec(before);
  if (path?.[1]) {
    const entity = checked?.entities.get(path[1]);
    return (entity?.attributes ?? []).map((a) => {
      const info = checked?.attributes.get(`${path[1]}.${a.name.text}`);
      return {
        label: a.name.text,
        kind: CompletionItemKind.Field,
        ...(info && { detail: showType(info.type) }),
        ...((a.label ?? a.description) && { documentation: (a.label ?? a.description)?.value }),
      };
    });
  }
  const compared =
    /([A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)\s+(?:is not|is|not in|in|within)\s+\[?(?:[\w-]+\s*,\s*)*[\w-]*$/.exec(
      before,
    );
  if (compared?.[1]) {
    const type = checked?.attributes.get(compared[1])?.type;
    const values = type && enumOf(type);
    if (values) return values.map((value) => ({ label: value, kind: CompletionItemKind.EnumMember }));
  }
  if (checked && /\bbecause\s+(?:[\w-]+\s*,\s*)*[\w-]*$/.test(before)) {
    return [
      ...named(checked.authorities.keys(), CompletionItemKind.Reference, 'authority'),
      ...named(checked.sections.keys(), CompletionItemKind.Module, 'section'),
      ...named(
        checked.interpretations.map((i) => i.id.text),
        CompletionItemKind.Interface,
        'interpretation',
      ),
    ];
  }
  if (checked && /\b(?:require|with)\s+(?:[\w-]+\s*,\s*)*[\w-]*$/.test(before))
    return named(checked.obligations.keys(), CompletionItemKind.Event, 'obligation');
  if (checked && /\b(?:by|apply)\s+(?:[\w-]+\s*,\s*)*[\w-]*$/.test(before))
    return named(
      checked.rules.map((r) => r.id.text),
      CompletionItemKind.Function,
      'rule',
    );
  if (checked && /\bcite\s+[\w-]*$/.test(before))
    return named(
      [...checked.authorities.keys(), ...checked.sections.keys()],
      CompletionItemKind.Reference,
      'citation',
    );
  return [
    ...SNIPPETS.map((s) => ({
      label: s.label,
      kind: CompletionItemKind.Snippet,
      detail: s.detail,
      insertText: s.body,
      insertTextFormat: InsertTextFormat.Snippet,
    })),
    ...keywords.map((k) => ({ label: k, kind: CompletionItemKind.Keyword })),
    ...named(checked?.entities.keys() ?? [], CompletionItemKind.Class, 'entity'),
    ...named(checked?.conditions.keys() ?? [], CompletionItemKind.Variable, 'condition'),
  ];
}

function enumOf(type: Type): readonly string[] | undefined {
  if (type.kind === 'set') return enumOf(type.element);
  return type.kind === 'enum' ? type.values : undefined;
}

function named(names: Iterable<string>, kind: CompletionItemKind, detail: string): CompletionItem[] {
  return [...names].map((label) => ({ label, kind, detail }));
}
