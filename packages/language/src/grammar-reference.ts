import type { ISerializedGast } from 'chevrotain';
import { parser } from './parser.js';
import * as t from './tokens.js';

/** Error recovery, not language: the rule that soaks up stray tokens is left out of the reference. */
const RECOVERY_RULE = 'stray';

/** How the reference writes each token that is not a keyword or punctuation. */
const terminalNames: Record<string, string> = {
  Identifier: 'NAME',
  StringLiteral: 'STRING',
  TextBlock: 'TEXT_BLOCK',
  DateLiteral: 'DATE',
  IntegerLiteral: 'INTEGER',
  AnyKeyword: 'KEYWORD',
};

interface Gast {
  type: string;
  name?: string;
  label?: string;
  definition?: Gast[];
  separator?: Gast;
}

function terminal(node: Gast): string {
  const name = node.name ?? '';
  if (terminalNames[name]) return terminalNames[name];
  const label = node.label ?? name;
  return `"${label.replace(/`/g, '')}"`;
}

/** A sequence of elements; a choice standing alone needs no parentheses. */
function sequence(nodes: readonly Gast[]): string {
  const kept = nodes.filter((n) => !(n.type === 'NonTerminal' && n.name === RECOVERY_RULE));
  if (kept.length === 1 && kept[0]?.type === 'Alternation') {
    const choice = element(kept[0]);
    return choice.startsWith('( ') ? choice.slice(2, -2) : choice;
  }
  return kept.map(element).join(' ');
}

function element(node: Gast): string {
  const body = sequence(node.definition ?? []);
  switch (node.type) {
    case 'Terminal':
      return terminal(node);
    case 'NonTerminal':
      return node.name ?? '';
    case 'Alternation': {
      const alternatives = (node.definition ?? [])
        .map((alt) => sequence(alt.definition ?? []))
        .filter((alt) => alt !== '');
      return alternatives.length === 1 ? (alternatives[0] ?? '') : `( ${alternatives.join(' | ')} )`;
    }
    case 'Option':
      return `[ ${body} ]`;
    case 'Repetition':
      return `{ ${body} }`;
    case 'RepetitionMandatory':
      return `${body} { ${body} }`;
    case 'RepetitionWithSeparator':
      return `[ ${body} { ${terminal(node.separator as Gast)} ${body} } ]`;
    case 'RepetitionMandatoryWithSeparator':
      return `${body} { ${terminal(node.separator as Gast)} ${body} }`;
    default:
      return body;
  }
}

const lexical = [
  ['NAME', `? ${String(t.Identifier.PATTERN)} ?`],
  [
    'STRING',
    `? '"', characters other than '"', '\\' and line breaks, or the escapes \\" \\\\ \\n \\t, then '"' ?`,
  ],
  ['TEXT_BLOCK', `? '"""', any text up to the next '"""' ?`],
  ['DATE', `? ${String(t.DateLiteral.PATTERN)} ?`],
  ['INTEGER', `? ${String(t.IntegerLiteral.PATTERN)} ?`],
  ['COMMENT', `? ${String(t.Comment.PATTERN)} ?`],
  ['KEYWORD', '? any of the reserved words below: an attribute may have one as its name ?'],
] as const;

/**
 * What the productions cannot say, in words: where the parser looks further ahead than EBNF shows. The lines of
 * one comment after the rules.
 */
const notes = [
  'enumType: a STRING right after a value is the label of that value only when "," "=" STRING "label" or',
  '"advice" follows it; otherwise it is the description of the attribute (`one of a "A", b "B" = a "The kind."`).',
] as const;

/**
 * The grammar reference, in EBNF, generated from the parser itself so the two cannot drift apart.
 * `grammar/tenet.ebnf` holds its output, and a test keeps that file equal to it.
 */
export function grammarReference(): string {
  const rules = (parser.getSerializedGastProductions() as unknown as Gast[]).filter(
    (r) => r.name !== RECOVERY_RULE,
  );
  const width = Math.max(...rules.map((r) => (r.name ?? '').length));
  const lines = [
    '(* The Tenet policy language: its grammar, generated from the parser by `pnpm run grammar`. Do not edit. *)',
    '(* { x } repeats x zero or more times; [ x ] is optional; ( a | b ) is a choice; "…" is a keyword or symbol. *)',
    '',
    ...rules.map((r) => `${(r.name ?? '').padEnd(width)} = ${sequence(r.definition ?? [])} ;`),
    '',
    `(* ${notes.join(`\n   `)} *)`,
    '',
    '(* Tokens. Whitespace separates tokens and is otherwise ignored; a comment runs to the end of its line. *)',
    ...lexical.map(([name, pattern]) => `${name.padEnd(width)} = ${pattern} ;`),
    '',
    '(* Reserved words, which cannot be used as names:',
    ...(t.keywords.join(' ').match(/.{1,106}(?:\s|$)/g) ?? []).map((l) => `   ${l.trimEnd()}`),
    '*)',
    '',
  ];
  return lines.join('\n');
}

/** The parser's grammar as Chevrotain serializes it, for railroad diagrams. */
export function serializedGrammar(): ISerializedGast[] {
  return parser.getSerializedGastProductions().filter((r) => (r as Gast).name !== RECOVERY_RULE);
}
