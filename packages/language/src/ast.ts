import type { SourceSpan } from './diagnostics.js';

/** A name as written, with where it was written. */
export interface Name {
  text: string;
  span: SourceSpan;
}

/** A string or text block, decoded (escapes resolved, a text block's indentation removed). */
export interface Text {
  value: string;
  span: SourceSpan;
}

/** A calendar date written `YYYY-MM-DD`. */
export interface DateValue {
  /** The date as written. */
  value: string;
  span: SourceSpan;
}

/** A value written out, or a reference by name. */
export type Operand =
  | { kind: 'path'; names: Name[]; span: SourceSpan }
  | { kind: 'string'; value: string; span: SourceSpan }
  | { kind: 'integer'; value: number; span: SourceSpan }
  | { kind: 'boolean'; value: boolean; span: SourceSpan }
  | { kind: 'set'; elements: Operand[]; span: SourceSpan };

/** The comparison operators, as written. */
export type TestOperator = 'is' | 'is not' | 'in' | 'not in' | 'within' | '<' | '<=' | '>' | '>=';

/** A condition over a query. */
export type Expression =
  | { kind: 'and' | 'or'; operands: Expression[]; span: SourceSpan }
  | { kind: 'not'; operand: Expression; span: SourceSpan }
  | { kind: 'test'; operator: TestOperator; left: Operand; right: Operand; span: SourceSpan }
  /** An operand standing alone: a boolean attribute, a named condition, or `true` / `false`. */
  | { kind: 'atom'; operand: Operand; span: SourceSpan };

/** The type of an attribute. */
export type TypeExpression =
  | { kind: 'boolean' | 'identifier'; span: SourceSpan }
  /** `integer 0..150`: `min` and `max` are the bounds written, inclusive (absent: the safe integers' own). */
  | { kind: 'integer'; min?: number; max?: number; span: SourceSpan }
  /** `labels[i]`: the label of `values[i]`, where it has one (`court_order "a court order"`). */
  | { kind: 'enum'; values: Name[]; labels: (Text | undefined)[]; span: SourceSpan }
  /** `non-empty set of …`: `nonEmpty` when a query must give at least one member. */
  | { kind: 'set'; element: TypeExpression; nonEmpty?: boolean; span: SourceSpan };

/** An event in a policy's history: `revised 2011-12-06`. */
export interface HistoryEvent {
  event: 'adopted' | 'approved' | 'revised' | 'amended' | 'affirmed';
  date: DateValue;
  by?: Text;
  span: SourceSpan;
}

/** `policy ID "Title"` with its identity and history. */
export interface PolicyDeclaration {
  kind: 'policy';
  id: Name;
  title?: Text;
  owner?: Text;
  /** The version as written: a date (`2014-04-22`) or a string (`"2.1"`). */
  version?: { value: string; isDate: boolean; span: SourceSpan };
  history: HistoryEvent[];
  /** `default deny because …`: the effect when no rule applies, and what such a decision cites. */
  defaultEffect?: { effect: 'permit' | 'deny'; because: Name[]; span: SourceSpan };
  /** `compared with "path"`: the reference policy (the law in force) its departures are proved against. */
  comparedWith?: Text;
  /** `referral "…"`: what advice says where only counsel can establish what would change the answer. */
  referral?: Text;
  span: SourceSpan;
}

/** `import "path"`. */
export interface ImportDeclaration {
  kind: 'import';
  path: Text;
  span: SourceSpan;
}

/**
 * What advice may do with an attribute: suggest a change of it (the default), never suggest one (a purpose the
 * requester declares, a fact no one can change), or refer the question to counsel (what only counsel can establish).
 */
export type Advice = 'suggest' | 'never' | 'counsel';

/** One attribute of an entity: `role: one of patron, staff = patron "…"`. */
export interface AttributeDeclaration {
  name: Name;
  type: TypeExpression;
  default?: Operand;
  description?: Text;
  /** `label "…"`: the attribute in the words an answer uses. */
  label?: Text;
  advice?: { value: Advice; span: SourceSpan };
  span: SourceSpan;
}

/** `entity NAME` and its attributes: part of the vocabulary a query is written in. */
export interface EntityDeclaration {
  kind: 'entity';
  id: Name;
  description?: Text;
  attributes: AttributeDeclaration[];
  span: SourceSpan;
}

/** `authority ID "label"`: a statute or other source, in one version of its text. */
export interface AuthorityDeclaration {
  kind: 'authority';
  id: Name;
  label: Text;
  title?: Text;
  enactedBy?: Text;
  amendedBy: Text[];
  effective?: DateValue;
  superseded?: { date: DateValue; by?: Name; span: SourceSpan };
  quote?: Text;
  span: SourceSpan;
}

/** `condition ID when …`: a named condition. */
export interface ConditionDeclaration {
  kind: 'condition';
  id: Name;
  description?: Text;
  when?: Expression;
  span: SourceSpan;
}

/** `section ID "Title"`: a section of the source document. */
export interface SectionDeclaration {
  kind: 'section';
  id: Name;
  title: Text;
  quote?: Text;
  span: SourceSpan;
}

/** `permit ID` or `forbid ID`. */
export interface RuleDeclaration {
  kind: 'rule';
  effect: 'permit' | 'forbid';
  id: Name;
  when?: Expression;
  because: Name[];
  says?: Text;
  /** `overrides RULE, …` (a forbid): the permits it is meant to win over where both apply. */
  overrides?: Name[];
  span: SourceSpan;
}

/** `obligation ID "Title"`: a duty a decision can carry. */
export interface ObligationDeclaration {
  kind: 'obligation';
  id: Name;
  title?: Text;
  says?: Text;
  because: Name[];
  span: SourceSpan;
}

/** `require OBLIGATION when …`: when an obligation is triggered. */
export interface RequireDeclaration {
  kind: 'require';
  obligation: Name;
  when?: Expression;
  because: Name[];
  span: SourceSpan;
}

/** What an assertion claims about every decision (or every decision where `when` holds). */
export interface Claim {
  quantifier: 'always' | 'never';
  outcome: /** `by`: the rule is among those that decide; `with`: the decision carries this obligation too. */
    | { kind: 'permit' | 'deny'; by?: Name; with?: Name; span: SourceSpan }
    | { kind: 'require' | 'cite' | 'apply'; target: Name; span: SourceSpan };
  when?: Expression;
  span: SourceSpan;
}

/** `assert ID "description"`: a guarantee proved for every query. */
export interface AssertDeclaration {
  kind: 'assert';
  id: Name;
  description?: Text;
  claim?: Claim;
  because: Name[];
  span: SourceSpan;
}

/** The attributes an example gives one entity: `requester { id: "p-1", role: patron }`. */
export interface EntityValue {
  entity: Name;
  fields: { name: Name; value: Operand; span: SourceSpan }[];
  span: SourceSpan;
}

/** `expect permit by RULE with OBLIGATION`. */
export interface Expectation {
  decision: 'permit' | 'deny';
  rules?: Name[];
  obligations: Name[];
  span: SourceSpan;
}

/** `example "…"`: a query and the decision it must get. */
export interface ExampleDeclaration {
  kind: 'example';
  description: Text;
  given: EntityValue[];
  expect?: Expectation;
  span: SourceSpan;
}

/** `looser when …` / `stricter when …`: queries on which a policy knowingly departs from its reference. */
export interface Departure {
  kind: 'looser' | 'stricter';
  when?: Expression;
  span: SourceSpan;
}

/** `interpretation ID "Title"`: a reading the policy had to choose, and the departures from the law it owns to. */
export interface InterpretationDeclaration {
  kind: 'interpretation';
  id: Name;
  title?: Text;
  says?: Text;
  because: Name[];
  departures: Departure[];
  span: SourceSpan;
}

/** Any top-level declaration. */
export type Declaration =
  | PolicyDeclaration
  | ImportDeclaration
  | EntityDeclaration
  | AuthorityDeclaration
  | ConditionDeclaration
  | SectionDeclaration
  | RuleDeclaration
  | ObligationDeclaration
  | RequireDeclaration
  | AssertDeclaration
  | ExampleDeclaration
  | InterpretationDeclaration;

/** A `#` comment, kept for the formatter. */
export interface Comment {
  text: string;
  span: SourceSpan;
}

/** One parsed `.policy` file. Declarations after a `section` belong to it until the next `section`. */
export interface SourceFile {
  file: string;
  declarations: Declaration[];
  comments: Comment[];
}

/** The section a declaration belongs to: the nearest `section` before it in its file. */
export function sectionsOf(file: SourceFile): Map<Declaration, SectionDeclaration> {
  const owner = new Map<Declaration, SectionDeclaration>();
  let current: SectionDeclaration | undefined;
  for (const declaration of file.declarations) {
    if (declaration.kind === 'section') current = declaration;
    else if (current) owner.set(declaration, current);
  }
  return owner;
}
