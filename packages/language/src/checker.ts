/**
 * The checker: a parsed policy in, a checked policy (the compiler's input) and every problem found out. Its parts,
 * one file each under `check/`, share a state (`check/context.ts`): names (the index of declarations and what
 * ids refer to), vocabulary, expressions (types), citations, examples and unused declarations. The language server
 * uses the same parts: what a name resolves to for definition and rename, the types for hover and completion.
 */
import type {
  AssertDeclaration,
  AttributeDeclaration,
  AuthorityDeclaration,
  ConditionDeclaration,
  Declaration,
  EntityDeclaration,
  ExampleDeclaration,
  InterpretationDeclaration,
  Name,
  ObligationDeclaration,
  Operand,
  PolicyDeclaration,
  RequireDeclaration,
  RuleDeclaration,
  SectionDeclaration,
} from './ast.js';
import {
  checkAssertion,
  checkInterpretation,
  checkObligation,
  checkRequirement,
  checkRule,
  citation,
  citations,
} from './check/citations.js';
import { CheckContext } from './check/context.js';
import { checkExample } from './check/examples.js';
import { checkConditions, collect } from './check/names.js';
import { reportUnused } from './check/unused.js';
import { checkVocabulary } from './check/vocabulary.js';
import type { Result } from './diagnostics.js';
import type { Program } from './program.js';
import type { Type } from './types.js';

/** An attribute of the vocabulary, by its path `entity.attribute`. */
export interface AttributeInfo {
  path: string;
  entity: EntityDeclaration;
  declaration: AttributeDeclaration;
  type: Type;
  required: boolean;
}

/** What a name in an expression turned out to be. */
export type Reference =
  | { kind: 'attribute'; attribute: AttributeInfo }
  | { kind: 'condition'; condition: ConditionDeclaration }
  | { kind: 'value'; value: string };

/**
 * What a name written where a declared one is used resolves to: a declaration (an entity, a condition, a rule, an
 * obligation, an authority, a section, an interpretation) or an attribute of the vocabulary.
 */
export type Resolution =
  | { kind: 'declaration'; declaration: Declaration }
  | { kind: 'attribute'; attribute: AttributeInfo };

/** A policy whose names all resolve and whose expressions are well typed: the compiler's input. */
export interface CheckedPolicy {
  program: Program;
  policy?: PolicyDeclaration;
  entities: Map<string, EntityDeclaration>;
  attributes: Map<string, AttributeInfo>;
  authorities: Map<string, AuthorityDeclaration>;
  sections: Map<string, SectionDeclaration>;
  conditions: Map<string, ConditionDeclaration>;
  rules: RuleDeclaration[];
  obligations: Map<string, ObligationDeclaration>;
  requirements: RequireDeclaration[];
  assertions: AssertDeclaration[];
  examples: ExampleDeclaration[];
  interpretations: InterpretationDeclaration[];
  /** The section each declaration is written under. */
  sectionOf: Map<Declaration, SectionDeclaration>;
  /** What every path operand of every expression and example refers to. */
  references: Map<Operand, Reference>;
  /** What every name that uses a declaration resolves to: the uses of each declaration, for definitions and rename. */
  uses: Map<Name, Resolution>;
  /** The policy named by `compared with`, checked: the law in force its departures are proved against. */
  reference?: CheckedPolicy;
}

/**
 * Checks a parsed policy: every name resolves, every expression is well typed, every rule cites its
 * authority, every example fits the vocabulary. Reports every problem it finds in one pass.
 *
 * @example
 * const program = load('policy.policy', host).value;
 * const { value: checked, diagnostics } = check(program);
 */
export function check(program: Program): Result<CheckedPolicy> {
  const c = new CheckContext(program);
  const r = c.result;
  collect(c);
  checkVocabulary(c);
  checkConditions(c);
  for (const rule of r.rules) checkRule(c, rule);
  for (const obligation of r.obligations.values()) checkObligation(c, obligation);
  for (const requirement of r.requirements) checkRequirement(c, requirement);
  for (const assertion of r.assertions) checkAssertion(c, assertion);
  for (const example of r.examples) checkExample(c, example);
  for (const interpretation of r.interpretations) checkInterpretation(c, interpretation);
  if (r.policy?.defaultEffect) citations(c, r.policy.defaultEffect.because);
  for (const authority of r.authorities.values()) {
    const by = authority.superseded?.by;
    if (by) citation(c, by, ['authority']);
  }
  reportUnused(c);
  return { value: r, diagnostics: c.diagnostics };
}
