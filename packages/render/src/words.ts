import type { CheckedPolicy, Expression, Operand } from '@tenet/language';
import type { Atom, AttributeSpec, Value } from '@tenet/runtime';

/** The vocabulary as the document names it: each attribute's spec by its path. */
export type Vocabulary = ReadonlyMap<string, AttributeSpec>;

/** The attributes of an artifact's vocabulary by path. */
export function vocabularyOf(
  entities: readonly { name: string; attributes: readonly AttributeSpec[] }[],
): Vocabulary {
  return new Map(entities.flatMap((e) => e.attributes.map((a) => [`${e.name}.${a.name}`, a] as const)));
}

/** A text that begins a sentence: its first letter a capital. */
export function capitalised(text: string): string {
  return text ? (text[0] as string).toUpperCase() + text.slice(1) : text;
}

/** A text as a clause inside a sentence: no capital to start (unless a proper name follows), no stop to end. */
export function clause(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ').replace(/[.]$/, '');
  const first = /^[A-Z][a-z]*\b/.exec(trimmed)?.[0] ?? '';
  const proper = /^(The )?(Library|Director|Collection|Board|Connecticut|Conn)\b/.test(trimmed);
  return first && !proper ? trimmed[0]?.toLowerCase() + trimmed.slice(1) : trimmed;
}

/** An attribute in words: its label, else its description, else its path. */
export function attributeWords(path: string, vocabulary: Vocabulary): string {
  const spec = vocabulary.get(path);
  return spec?.label ?? (spec?.description ? clause(spec.description) : path);
}

/** A value of an attribute in words: an enumeration value's label, else the value. */
export function valueWords(path: string, value: Value, vocabulary: Vocabulary): string {
  const spec = vocabulary.get(path);
  const type = spec?.type.kind === 'set' ? spec.type.element : spec?.type;
  if (type?.kind === 'enum' && typeof value === 'string') {
    const label = spec?.valueLabels?.[type.values.indexOf(value)];
    if (label) return label;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Several alternatives joined: `a, b or c`. */
export function either(words: readonly string[], joiner = 'or'): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${joiner} ${words.at(-1)}`;
}

/** A boolean attribute's statement, said or denied: `the borrower is a minor`, `not so: the borrower is a minor`. */
function statement(path: string, holds: boolean, vocabulary: Vocabulary): string {
  const words = attributeWords(path, vocabulary);
  return holds ? words : `it is not so that ${words}`;
}

/** An atom of the decision graph as a question a reader can answer yes or no to. */
export function atomQuestion(atom: Atom, vocabulary: Vocabulary): string {
  const words = (path: string) => attributeWords(path, vocabulary);
  switch (atom.kind) {
    case 'true':
      return `${statement(atom.attribute, true, vocabulary)}?`;
    case 'equals':
      return `${words(atom.attribute)}: ${valueWords(atom.attribute, atom.value, vocabulary)}?`;
    case 'same':
      return `${words(atom.attribute)} is ${words(atom.other)}?`;
    case 'member':
      return `${words(atom.attribute)} is among ${words(atom.set)}?`;
    case 'contains':
      return `${words(atom.set)} include ${valueWords(atom.set, atom.value, vocabulary)}?`;
    case 'within':
      return `${words(atom.set)} are only ${either(atom.values.map((v) => valueWords(atom.set, v, vocabulary)))}?`;
    case 'less':
      return `${words(atom.attribute)} is less than ${atom.bound}?`;
  }
}

/**
 * A condition of the policy in plain English, from the condition itself (not the author's sentence): attributes by
 * their labels, values by theirs, named conditions by their descriptions. `and` and `or` of more than two parts
 * become lists, so that a reader sees the structure.
 */
export function conditionWords(
  expression: Expression,
  checked: CheckedPolicy,
  vocabulary: Vocabulary,
): string {
  const operand = (o: Operand): string => {
    const reference = checked.references.get(o);
    if (reference?.kind === 'attribute') return attributeWords(reference.attribute.path, vocabulary);
    if (reference?.kind === 'condition')
      return reference.condition.description
        ? clause(reference.condition.description.value)
        : reference.condition.id.text;
    if (o.kind === 'set') return either(o.elements.map(operand));
    if (o.kind === 'path') return o.names.map((n) => n.text).join('.');
    return String(o.value);
  };
  /** An operand compared with attribute `path`: an enumeration value by its label. */
  const against = (o: Operand, path: string | undefined): string => {
    const reference = checked.references.get(o);
    if (path && reference?.kind === 'value') return valueWords(path, reference.value, vocabulary);
    if (o.kind === 'set' && path) return either(o.elements.map((e) => against(e, path)));
    return operand(o);
  };
  const pathOf = (o: Operand) => {
    const reference = checked.references.get(o);
    return reference?.kind === 'attribute' ? reference.attribute.path : undefined;
  };
  const say = (e: Expression, nested: boolean): string => {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const parts = e.operands.map((x) => say(x, true));
        const joined = either(parts, e.kind);
        return nested && e.operands.length > 1 ? `(${joined})` : joined;
      }
      case 'not':
        return `it is not so that ${say(e.operand, true)}`;
      case 'atom': {
        const path = pathOf(e.operand);
        if (path && vocabulary.get(path)?.type.kind === 'boolean') return statement(path, true, vocabulary);
        if (e.operand.kind === 'boolean') return e.operand.value ? 'always' : 'never';
        return operand(e.operand);
      }
      case 'test': {
        const path = pathOf(e.left);
        const left = operand(e.left);
        const right = against(e.right, path);
        switch (e.operator) {
          case 'is':
            return `${left} is ${right}`;
          case 'is not':
            return `${left} is not ${right}`;
          case 'in':
            return e.right.kind === 'set' ? `${left} is ${right}` : `${left} is among ${right}`;
          case 'not in':
            return e.right.kind === 'set'
              ? `${left} is neither ${right.replace(/ or /, ' nor ')}`
              : `${left} is not among ${right}`;
          case 'within':
            return `${left} are only ${right}`;
          case '<':
            return `${left} is less than ${right}`;
          case '<=':
            return `${left} is at most ${right}`;
          case '>':
            return `${left} is more than ${right}`;
          case '>=':
            return `${left} is at least ${right}`;
        }
      }
    }
  };
  return say(expression, false);
}

/**
 * A query in words: each attribute it gives, by label. Identifiers are not shown as they are (they are only
 * stand-ins): what matters is which are the same, so each pair that is equal, and each identifier in a set, is said
 * as a relation (`the requester is the borrower`, `the borrower is among the minors …`), and one that is not.
 */
export function queryWords(query: Record<string, Record<string, Value>>, vocabulary: Vocabulary): string[] {
  const given = Object.entries(query).flatMap(([entity, values]) =>
    Object.entries(values).map(([name, value]) => ({ path: `${entity}.${name}`, value })),
  );
  const identifiers = [...vocabulary]
    .filter(([, spec]) => spec.type.kind === 'identifier')
    .map(([path]) => ({ path, value: given.find((g) => g.path === path)?.value }));
  const words: string[] = [];
  for (const { path, value } of given) {
    const spec = vocabulary.get(path);
    if (spec?.type.kind === 'identifier') continue;
    if (spec?.type.kind === 'boolean') words.push(statement(path, value === true, vocabulary));
    else if (spec?.type.kind === 'set' && spec.type.element.kind === 'identifier') {
      const members = identifiers.filter((i) => Array.isArray(value) && value.includes(i.value as string));
      for (const m of members)
        words.push(`${attributeWords(m.path, vocabulary)} is among ${attributeWords(path, vocabulary)}`);
    } else words.push(`${attributeWords(path, vocabulary)}: ${valueWords(path, value, vocabulary)}`);
  }
  identifiers.forEach((a, i) => {
    for (const b of identifiers.slice(i + 1))
      if (a.value !== undefined && b.value !== undefined)
        words.push(
          `${attributeWords(a.path, vocabulary)} ${a.value === b.value ? 'is' : 'is not'} ${attributeWords(b.path, vocabulary)}`,
        );
  });
  return words;
}
