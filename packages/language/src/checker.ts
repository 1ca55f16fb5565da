import { suggest } from '@tenet/runtime';
import {
  type AssertDeclaration,
  type AttributeDeclaration,
  type AuthorityDeclaration,
  type ConditionDeclaration,
  type Declaration,
  type EntityDeclaration,
  type ExampleDeclaration,
  type Expression,
  type InterpretationDeclaration,
  type Name,
  type ObligationDeclaration,
  type Operand,
  type PolicyDeclaration,
  type RequireDeclaration,
  type RuleDeclaration,
  type SectionDeclaration,
  sectionsOf,
} from './ast.js';
import type { Diagnostic, DiagnosticCode, Result, SourceSpan } from './diagnostics.js';
import type { Program } from './program.js';
import { listNames } from './suggest.js';
import { sameType, showType, type Type, typeOf } from './types.js';

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
  /** The policy named by `compared with`, checked: the law in force its departures are proved against. */
  reference?: CheckedPolicy;
}

/** What a `because` may name. */
type Citable = 'authority' | 'section' | 'interpretation';
const CITABLE: readonly Citable[] = ['authority', 'section', 'interpretation'];

const BOOLEAN: Type = { kind: 'boolean' };
const INTEGER: Type = { kind: 'integer' };
const IDENTIFIER: Type = { kind: 'identifier' };

/**
 * Checks a parsed policy: every name resolves, every expression is well typed, every rule cites its
 * authority, every example fits the vocabulary. Reports every problem it finds in one pass.
 *
 * @example
 * const program = load('policy.policy', host).value;
 * const { value: checked, diagnostics } = check(program);
 */
export function check(program: Program): Result<CheckedPolicy> {
  return new Checker(program).run();
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly used = new Set<Declaration>();
  /** The interpretations by id, made when first cited (they are collected in a list). */
  private readings?: Map<string, InterpretationDeclaration>;
  readonly result: CheckedPolicy;

  constructor(program: Program) {
    this.result = {
      program,
      entities: new Map(),
      attributes: new Map(),
      authorities: new Map(),
      sections: new Map(),
      conditions: new Map(),
      rules: [],
      obligations: new Map(),
      requirements: [],
      assertions: [],
      examples: [],
      interpretations: [],
      sectionOf: new Map(),
      references: new Map(),
    };
  }

  report(
    code: DiagnosticCode,
    message: string,
    span: SourceSpan,
    extra: Partial<Pick<Diagnostic, 'help' | 'fix' | 'related' | 'severity'>> = {},
  ): void {
    this.diagnostics.push({ code, severity: 'error', message, span, ...extra });
  }

  /** Reports a name that resolves to nothing, suggesting the closest known name with a fix. */
  unknown(code: DiagnosticCode, what: string, name: Name, known: Iterable<string>, hint?: string): void {
    const suggestion = suggest(name.text, known);
    this.report(code, `unknown ${what} \`${name.text}\``, name.span, {
      ...(suggestion
        ? {
            help: `did you mean \`${suggestion}\`?`,
            fix: {
              title: `replace with \`${suggestion}\``,
              edits: [{ span: name.span, newText: suggestion }],
            },
          }
        : hint
          ? { help: hint }
          : {}),
    });
  }

  run(): Result<CheckedPolicy> {
    this.collect();
    this.checkVocabulary();
    const r = this.result;
    for (const condition of r.conditions.values()) {
      if (condition.when) this.expectBoolean(condition.when);
      else {
        this.report(
          'missing-condition',
          `condition \`${condition.id.text}\` says nothing of when it holds`,
          condition.id.span,
          {
            help: 'add `when …` with what must be true',
          },
        );
      }
    }
    // After the conditions' expressions are checked: cycles follow only the names they resolved to conditions.
    this.checkCycles();
    for (const rule of r.rules) this.checkRule(rule);
    for (const obligation of r.obligations.values()) this.checkObligation(obligation);
    for (const requirement of r.requirements) this.checkRequirement(requirement);
    for (const assertion of r.assertions) this.checkAssertion(assertion);
    for (const example of r.examples) this.checkExample(example);
    for (const interpretation of r.interpretations) this.checkInterpretation(interpretation);
    if (r.policy?.defaultEffect) this.citations(r.policy.defaultEffect.because);
    for (const authority of r.authorities.values()) {
      const by = authority.superseded?.by;
      if (by) this.citation(by, ['authority']);
    }
    this.reportUnused();
    return { value: r, diagnostics: this.diagnostics };
  }

  /** Indexes every declaration by kind and name, reporting duplicates and misplaced headers. */
  collect(): void {
    const r = this.result;
    const citations = new Map<string, Declaration>();
    const namespaces = new Map<string, Map<string, Declaration>>();
    const declare = (kind: string, name: Name, declaration: Declaration, map = namespaces.get(kind)) => {
      if (name.text === '') return false;
      const space = map ?? new Map<string, Declaration>();
      namespaces.set(kind, space);
      const previous = space.get(name.text);
      if (previous) {
        this.report('duplicate-declaration', `\`${name.text}\` is declared more than once`, name.span, {
          help: `rename one of them, or remove the repeat`,
          related: [{ span: previous.span, message: `\`${name.text}\` is first declared here` }],
        });
        return false;
      }
      space.set(name.text, declaration);
      return true;
    };
    namespaces.set('citation', citations);
    r.program.files.forEach((file, index) => {
      for (const [declaration, section] of sectionsOf(file)) r.sectionOf.set(declaration, section);
      let seenOther = false;
      for (const d of file.declarations) {
        switch (d.kind) {
          case 'policy':
            if (index > 0) {
              this.report('misplaced-declaration', 'an imported file cannot declare a `policy`', d.id.span, {
                help: 'keep the `policy` header in the main file only',
              });
            } else if (r.policy) {
              this.report('duplicate-declaration', 'a file declares one `policy`', d.id.span, {
                related: [{ span: r.policy.span, message: 'the `policy` is first declared here' }],
              });
            } else {
              if (seenOther) {
                this.report(
                  'misplaced-declaration',
                  'the `policy` header comes first in its file',
                  d.id.span,
                  {
                    severity: 'warning',
                    help: 'move it to the top of the file, before everything but `import`s',
                  },
                );
              }
              r.policy = d;
              this.checkHistory(d);
            }
            break;
          case 'import':
            break;
          case 'entity':
            if (declare('entity', d.id, d)) r.entities.set(d.id.text, d);
            break;
          case 'authority':
            if (declare('citation', d.id, d)) r.authorities.set(d.id.text, d);
            break;
          case 'section':
            if (declare('citation', d.id, d)) r.sections.set(d.id.text, d);
            break;
          case 'condition':
            if (declare('condition', d.id, d)) r.conditions.set(d.id.text, d);
            break;
          case 'rule':
            if (declare('rule', d.id, d)) r.rules.push(d);
            break;
          case 'obligation':
            if (declare('obligation', d.id, d)) r.obligations.set(d.id.text, d);
            break;
          case 'require':
            r.requirements.push(d);
            break;
          case 'assert':
            if (declare('assert', d.id, d)) r.assertions.push(d);
            break;
          case 'example':
            r.examples.push(d);
            break;
          case 'interpretation':
            if (declare('interpretation', d.id, d)) r.interpretations.push(d);
            break;
        }
        if (d.kind !== 'import') seenOther = true;
      }
    });
    const entry = r.program.files[0];
    if (!r.policy && entry && r.rules.length > 0) {
      this.report(
        'missing-policy',
        'this file has rules but no `policy` header',
        (entry.declarations[0] ?? (r.rules[0] as RuleDeclaration)).span,
        {
          help: 'begin the file with `policy ID "Title"`, its owner, version and history',
        },
      );
    }
  }

  checkHistory(policy: PolicyDeclaration): void {
    policy.history.forEach((event, i) => {
      const before = policy.history[i - 1];
      if (!before) return;
      if (event.date.value && before.date.value && event.date.value < before.date.value) {
        this.report(
          'history-out-of-order',
          `\`${event.event} ${event.date.value}\` comes before \`${before.event} ${before.date.value}\``,
          event.span,
          {
            severity: 'warning',
            help: 'list the history oldest first',
          },
        );
      }
    });
  }

  /** Names that are JavaScript's own on every object: as query keys they would be read as something else. */
  reserved(name: Name, what: string): boolean {
    if (!['__proto__', 'constructor', 'prototype'].includes(name.text)) return false;
    this.report(
      'reserved-name',
      `\`${name.text}\` cannot name ${what}: it means something else to every JavaScript object`,
      name.span,
      {
        help: 'choose another name',
      },
    );
    return true;
  }

  checkVocabulary(): void {
    for (const entity of this.result.entities.values()) {
      if (this.reserved(entity.id, 'an entity')) continue;
      const seen = new Map<string, AttributeDeclaration>();
      for (const attribute of entity.attributes) {
        if (attribute.name.text === '' || this.reserved(attribute.name, 'an attribute')) continue;
        const previous = seen.get(attribute.name.text);
        if (previous) {
          this.report(
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
        this.checkEnumValues(attribute.type);
        const path = `${entity.id.text}.${attribute.name.text}`;
        this.checkLabels(path, attribute);
        this.result.attributes.set(path, {
          path,
          entity,
          declaration: attribute,
          type,
          required: attribute.default === undefined,
        });
        if (attribute.default)
          this.checkLiteral(attribute.default, type, 'invalid-default', `the default of \`${path}\``);
      }
    }
  }

  /**
   * An enumeration is labelled throughout or not at all (one value left bare is most likely a label read as the
   * description); and advice left free to suggest a change of what looks like a declared purpose or a legal
   * conclusion is flagged, since an answer could then coach someone to say something different.
   */
  checkLabels(path: string, attribute: AttributeDeclaration): void {
    const type = attribute.type.kind === 'set' ? attribute.type.element : attribute.type;
    if (type.kind === 'enum' && type.labels.some((l) => l) && type.labels.some((l) => !l)) {
      const bare = type.values.filter((_, i) => !type.labels[i]).map((v) => `\`${v.text}\``);
      this.report(
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
    this.report(
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

  checkEnumValues(type: import('./ast.js').TypeExpression): void {
    if (type.kind === 'set') {
      this.checkEnumValues(type.element);
      return;
    }
    if (type.kind !== 'enum') return;
    const seen = new Set<string>();
    for (const value of type.values) {
      if (seen.has(value.text)) {
        this.report('duplicate-value', `\`${value.text}\` is listed twice`, value.span, {
          fix: { title: `remove the repeated \`${value.text}\``, edits: [{ span: value.span, newText: '' }] },
        });
      }
      seen.add(value.text);
    }
  }

  /** The conditions a condition's `when` names. */
  uses(condition: ConditionDeclaration): ConditionDeclaration[] {
    const found: ConditionDeclaration[] = [];
    // Only names the expression checks resolved to conditions: a value of an enumeration named like a condition
    // is a value.
    const follow = (o: Operand) => {
      const reference = this.result.references.get(o);
      if (reference?.kind === 'condition') found.push(reference.condition);
    };
    const visit = (e: Expression | undefined): void => {
      switch (e?.kind) {
        case 'and':
        case 'or':
          e.operands.forEach(visit);
          return;
        case 'not':
          visit(e.operand);
          return;
        case 'atom':
          follow(e.operand);
          return;
        case 'test':
          follow(e.left);
          follow(e.right);
      }
    };
    visit(condition.when);
    return found;
  }

  /**
   * Reports each cycle among conditions once, at the condition where a depth-first search closes it. Iterative, and
   * each condition is searched once, so long chains and shared sub-conditions cost linear time and no stack.
   */
  checkCycles(): void {
    const done = new Set<ConditionDeclaration>();
    for (const start of this.result.conditions.values()) {
      if (done.has(start)) continue;
      const path: ConditionDeclaration[] = [start];
      const onPath = new Set(path);
      const pending: ConditionDeclaration[][] = [this.uses(start)];
      while (path.length > 0) {
        const next = pending.at(-1)?.pop();
        if (!next) {
          const finished = path.pop() as ConditionDeclaration;
          onPath.delete(finished);
          done.add(finished);
          pending.pop();
          continue;
        }
        if (onPath.has(next)) {
          const cycle = [...path.slice(path.indexOf(next)), next];
          this.report(
            'cyclic-condition',
            `\`${next.id.text}\` is defined in terms of itself: ${cycle.map((c) => c.id.text).join(' → ')}`,
            next.id.span,
            { help: 'a condition cannot use itself, directly or through others' },
          );
        } else if (!done.has(next)) {
          path.push(next);
          onPath.add(next);
          pending.push(this.uses(next));
        }
      }
    }
  }

  /**
   * Resolves a citation to a declaration of one of the kinds `accepts`: by default an authority, a section, or an
   * interpretation (a reading of the law cites what it reads).
   */
  citation(name: Name, accepts: readonly Citable[] = CITABLE): void {
    const r = this.result;
    // By name in each kind's own index: a policy of thousands of rules cites thousands of times.
    this.readings ??= new Map(r.interpretations.map((i) => [i.id.text, i]));
    const declared: Record<Citable, ReadonlyMap<string, Declaration>> = {
      authority: r.authorities,
      section: r.sections,
      interpretation: this.readings,
    };
    for (const kind of accepts) {
      const target = declared[kind].get(name.text);
      if (target) {
        this.used.add(target);
        return;
      }
    }
    const what = `${accepts.slice(0, -1).join(', ')}${accepts.length > 1 ? ' or ' : ''}${accepts.at(-1)}`;
    const articles = accepts.map((kind) => `${kind === 'section' ? 'a' : 'an'} \`${kind}\``);
    this.unknown(
      'unknown-citation',
      what,
      name,
      accepts.flatMap((kind) => [...declared[kind].keys()]),
      `a citation names ${articles.slice(0, -1).join(', ')}${articles.length > 1 ? ' or ' : ''}${articles.at(-1)} declared in this policy or a file it imports`,
    );
  }

  citations(names: Name[], accepts: readonly Citable[] = CITABLE): void {
    for (const name of names) this.citation(name, accepts);
  }

  /** An interpretation cites the law it reads (not another reading), and its departures are conditions. */
  checkInterpretation(interpretation: InterpretationDeclaration): void {
    this.citations(interpretation.because, ['authority', 'section']);
    for (const departure of interpretation.departures) {
      if (departure.when) this.expectBoolean(departure.when);
      else
        this.report(
          'missing-condition',
          `a \`${departure.kind}\` departure says nothing of when it holds`,
          departure.span,
          {
            help: 'add `when …` with the queries on which the policy departs from the law',
          },
        );
      if (!this.result.policy?.comparedWith) {
        this.report(
          'departure-without-reference',
          `\`${interpretation.id.text}\` acknowledges a departure, but the policy names no law to depart from`,
          departure.span,
          {
            help: 'add `compared with "…policy"` to the `policy` header, naming the policy of the law in force',
          },
        );
      }
    }
  }

  checkRule(rule: RuleDeclaration): void {
    if (rule.when) this.expectBoolean(rule.when);
    this.citations(rule.because);
    if (rule.because.length === 0) {
      const section = this.result.sectionOf.get(rule);
      this.report('missing-citation', `rule \`${rule.id.text}\` cites no authority`, rule.id.span, {
        help: `add \`because\` with the authority or section the rule implements${section ? `, such as \`because ${section.id.text}\`` : ''}`,
        ...(section
          ? {
              fix: {
                title: `cite \`${section.id.text}\``,
                edits: [
                  {
                    span: { ...rule.span, start: rule.span.end },
                    newText: `\n    because ${section.id.text}`,
                  },
                ],
              },
            }
          : {}),
      });
    }
    if (!rule.says) {
      this.report(
        'missing-explanation',
        `rule \`${rule.id.text}\` has no \`says\`: its decisions will carry no reason in words`,
        rule.id.span,
        {
          severity: 'warning',
          help: 'add `says "…"` with the rule in plain English, as a clerk would read it',
        },
      );
    }
  }

  checkObligation(obligation: ObligationDeclaration): void {
    this.citations(obligation.because);
    if (!obligation.says) {
      this.report(
        'missing-explanation',
        `obligation \`${obligation.id.text}\` has no \`says\`: staff will not be told what to do`,
        obligation.id.span,
        {
          severity: 'warning',
          help: 'add `says "…"` with what staff must do',
        },
      );
    }
  }

  obligation(name: Name): void {
    const target = this.result.obligations.get(name.text);
    if (target) this.used.add(target);
    else
      this.unknown(
        'unknown-obligation',
        'obligation',
        name,
        this.result.obligations.keys(),
        'declare it with `obligation ID "Title"`',
      );
  }

  checkRequirement(requirement: RequireDeclaration): void {
    this.obligation(requirement.obligation);
    if (requirement.when) this.expectBoolean(requirement.when);
    this.citations(requirement.because);
  }

  rule(name: Name): void {
    if (!this.result.rules.some((rule) => rule.id.text === name.text)) {
      this.unknown(
        'unknown-rule',
        'rule',
        name,
        this.result.rules.map((rule) => rule.id.text),
      );
    }
  }

  checkAssertion(assertion: AssertDeclaration): void {
    this.citations(assertion.because);
    const claim = assertion.claim;
    if (!claim) {
      this.report('missing-claim', `assertion \`${assertion.id.text}\` claims nothing`, assertion.id.span, {
        help: 'add what must hold, such as `never permit when third-party`',
      });
      return;
    }
    if (claim.when) this.expectBoolean(claim.when);
    const outcome = claim.outcome;
    if ((outcome.kind === 'permit' || outcome.kind === 'deny') && outcome.with) this.obligation(outcome.with);
    if (outcome.kind === 'require') this.obligation(outcome.target);
    else if (outcome.kind === 'cite') this.citation(outcome.target);
    else if (outcome.kind === 'apply') this.rule(outcome.target);
  }

  checkExample(example: ExampleDeclaration): void {
    const r = this.result;
    const given = new Map<string, SourceSpan>();
    const entities = new Map<string, SourceSpan>();
    for (const value of example.given) {
      const twice = entities.get(value.entity.text);
      if (twice) {
        this.report(
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
        if (value.entity.text) this.unknown('unknown-entity', 'entity', value.entity, r.entities.keys());
        continue;
      }
      for (const field of value.fields) {
        const path = `${entity.id.text}.${field.name.text}`;
        const attribute = r.attributes.get(path);
        if (!attribute) {
          if (field.name.text) {
            this.unknown(
              'unknown-attribute',
              `attribute of \`${entity.id.text}\`:`,
              field.name,
              entity.attributes.map((a) => a.name.text),
            );
          }
          continue;
        }
        const earlier = given.get(path);
        if (earlier) {
          this.report('duplicate-declaration', `\`${path}\` is given more than once`, field.name.span, {
            help: 'give each attribute once',
            related: [{ span: earlier, message: `\`${path}\` is first given here` }],
          });
        }
        given.set(path, field.span);
        this.checkLiteral(field.value, attribute.type, 'type-mismatch', `\`${path}\``);
      }
    }
    for (const attribute of r.attributes.values()) {
      if (attribute.required && !given.has(attribute.path)) {
        this.report(
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
      this.report('missing-expectation', 'this example expects nothing', example.description.span, {
        help: 'add `expect permit` or `expect deny`, with the obligations it carries',
      });
      return;
    }
    for (const rule of example.expect.rules ?? []) this.rule(rule);
    for (const obligation of example.expect.obligations) this.obligation(obligation);
  }

  /**
   * Checks a value written out where a value of `expected` is wanted (a default, an example): a literal of that type,
   * or for an enumeration one of its values. Names of conditions or attributes are not values.
   */
  checkLiteral(operand: Operand, expected: Type, code: DiagnosticCode, what: string): void {
    const mismatch = (found: string, help?: string) =>
      this.report(
        code,
        `${what} must be ${showType(expected)}, not ${found}`,
        operand.span,
        help ? { help } : {},
      );
    switch (operand.kind) {
      case 'string':
      case 'integer':
      case 'boolean': {
        const kind = operand.kind === 'string' ? 'identifier' : operand.kind;
        if (expected.kind !== kind)
          mismatch(`${kind === 'identifier' ? 'a string' : `${kind} \`${operand.value}\``}`);
        return;
      }
      case 'set':
        if (expected.kind !== 'set') mismatch('a set');
        else
          for (const element of operand.elements)
            this.checkLiteral(element, expected.element, code, `each of ${what}`);
        return;
      case 'path': {
        const name = operand.names.map((n) => n.text).join('.');
        if (expected.kind === 'enum' && operand.names.length === 1 && operand.names[0]) {
          if (!expected.values.includes(name)) {
            this.unknown(
              'unknown-value',
              'value',
              operand.names[0],
              expected.values,
              `the values are ${listNames(expected.values)}`,
            );
          }
          return;
        }
        const help =
          expected.kind === 'boolean'
            ? 'write `true` or `false`'
            : expected.kind === 'identifier'
              ? `identifiers are written as strings: \`"${name}"\``
              : undefined;
        mismatch(`\`${name}\``, help);
      }
    }
  }

  /** Checks that an expression is a condition: true or false of every query. */
  expectBoolean(e: Expression): void {
    switch (e.kind) {
      case 'and':
      case 'or':
        for (const o of e.operands) this.expectBoolean(o);
        return;
      case 'not':
        this.expectBoolean(e.operand);
        return;
      case 'atom': {
        const type = this.operandType(e.operand, BOOLEAN);
        if (type && type.kind !== 'boolean') {
          const shown =
            e.operand.kind === 'path' ? `\`${e.operand.names.map((n) => n.text).join('.')}\`` : 'this value';
          const example =
            type.kind === 'enum'
              ? `, such as \`${e.operand.kind === 'path' ? e.operand.names.map((n) => n.text).join('.') : 'x'} is ${type.values[0]}\``
              : '';
          this.report('type-mismatch', `${shown} is ${showType(type)}, not a condition`, e.operand.span, {
            help: `compare it with a value${example}`,
          });
        }
        return;
      }
      case 'test':
        this.checkTest(e);
    }
  }

  checkTest(e: Extract<Expression, { kind: 'test' }>): void {
    // What an operand is, known without the other side: an attribute, or a string, integer or boolean written out
    // (a set, when one of its members is). A bare name (a value of an enumeration, or a condition) and an empty set
    // take their type from the other side, which is therefore typed first.
    const typedAlone = (o: Operand): boolean =>
      o.kind === 'path' ? o.names.length > 1 : o.kind === 'set' ? o.elements.some(typedAlone) : true;
    /** An operand and its type: "`requester.age` (integer)", "`"ten"` (identifier)". */
    const describe = (o: Operand, type: Type) => `\`${this.show(o)}\` (${showType(type)})`;
    switch (e.operator) {
      case 'is':
      case 'is not': {
        const [anchor, other] =
          !typedAlone(e.left) && typedAlone(e.right) ? [e.right, e.left] : [e.left, e.right];
        const anchorType = this.operandType(anchor);
        if (!anchorType) return;
        const otherType = this.operandType(other, anchorType);
        if (otherType && !sameType(anchorType, otherType)) {
          this.report(
            'type-mismatch',
            `cannot compare ${describe(e.left, anchor === e.left ? anchorType : otherType)} with ${describe(e.right, anchor === e.right ? anchorType : otherType)}`,
            e.span,
            {
              help: '`is` compares two values of the same type',
            },
          );
        }
        return;
      }
      case 'in':
      case 'not in': {
        const rightIsLiteral = e.right.kind === 'set';
        let elementType: Type | undefined;
        if (rightIsLiteral) {
          elementType = this.operandType(e.left);
          if (elementType) this.operandType(e.right, { kind: 'set', element: elementType });
        } else {
          const setType = this.operandType(e.right);
          if (!setType) return;
          if (setType.kind !== 'set') {
            this.report(
              'type-mismatch',
              `${describe(e.right, setType)} is not a set: \`in\` needs a set on its right`,
              e.right.span,
              {
                help:
                  setType.kind === 'boolean'
                    ? 'a boolean is tested on its own, or with `is true` / `is false`'
                    : 'write a set such as `[a, b]`, or use `is`',
              },
            );
            this.operandType(e.left);
            return;
          }
          elementType = setType.element;
          const leftType = this.operandType(e.left, elementType);
          if (leftType && !sameType(leftType, elementType)) {
            this.report(
              'type-mismatch',
              `${describe(e.left, leftType)} cannot be in \`${this.pathText(e.right)}\`, which holds ${showType(elementType)}`,
              e.span,
            );
          }
        }
        if (elementType?.kind === 'set') {
          this.report(
            'type-mismatch',
            `${describe(e.left, elementType)} is a set: test a set with \`within\`, not \`in\``,
            e.span,
          );
        }
        return;
      }
      case 'within': {
        if (e.left.kind === 'set' && e.right.kind !== 'set') {
          const rightType = this.operandType(e.right);
          if (rightType?.kind === 'set') this.operandType(e.left, rightType);
          else if (rightType)
            this.report(
              'type-mismatch',
              `${describe(e.right, rightType)} is not a set: \`within\` tests a set`,
              e.right.span,
            );
          return;
        }
        const leftType = this.operandType(e.left);
        if (!leftType) return;
        if (leftType.kind !== 'set') {
          this.report(
            'type-mismatch',
            `${describe(e.left, leftType)} is not a set: \`within\` tests a set`,
            e.left.span,
            { help: 'use `in` to test one value' },
          );
          return;
        }
        const rightType = this.operandType(e.right, leftType);
        if (rightType && !sameType(leftType, rightType)) {
          this.report(
            'type-mismatch',
            `cannot test ${describe(e.left, leftType)} within ${describe(e.right, rightType)}`,
            e.span,
          );
        }
        return;
      }
      default: {
        for (const side of [e.left, e.right]) {
          const type = this.operandType(side, INTEGER);
          if (type && type.kind !== 'integer') {
            this.report(
              'type-mismatch',
              `${describe(side, type)} is not an integer: \`${e.operator}\` compares integers`,
              side.span,
            );
          }
        }
      }
    }
  }

  pathText(operand: Operand): string {
    return operand.kind === 'path' ? operand.names.map((n) => n.text).join('.') : '';
  }

  /**
   * The type of an operand, resolving names. `expected` is the type the context wants, which decides what a
   * bare name is (a value of an enumeration, or a condition). Undefined when a problem was already reported.
   */
  operandType(operand: Operand, expected?: Type): Type | undefined {
    switch (operand.kind) {
      case 'string':
        return IDENTIFIER;
      case 'integer':
        return INTEGER;
      case 'boolean':
        return BOOLEAN;
      case 'set': {
        if (expected && expected.kind !== 'set') {
          this.report('type-mismatch', `a set is not ${showType(expected)}`, operand.span);
          return undefined;
        }
        const element = expected?.element;
        let found: Type | undefined = element;
        for (const item of operand.elements) {
          const type = this.operandType(item, element);
          if (!type) continue;
          if (element && !sameType(type, element)) {
            this.report(
              'type-mismatch',
              `\`${this.show(item)}\` is ${showType(type)}, but this set holds ${showType(element)}`,
              item.span,
            );
          }
          found ??= type;
        }
        return found ? { kind: 'set', element: found } : expected;
      }
      case 'path':
        return this.pathType(operand, expected);
    }
  }

  show(operand: Operand): string {
    switch (operand.kind) {
      case 'string':
        return JSON.stringify(operand.value);
      case 'path':
        return this.pathText(operand);
      case 'set':
        return `[${operand.elements.map((e) => this.show(e)).join(', ')}]`;
      default:
        return String(operand.value);
    }
  }

  pathType(operand: Extract<Operand, { kind: 'path' }>, expected?: Type): Type | undefined {
    const r = this.result;
    const [first, second, ...rest] = operand.names;
    if (!first) return undefined;
    if (second) {
      const entity = r.entities.get(first.text);
      if (!entity) {
        this.unknown('unknown-entity', 'entity', first, r.entities.keys(), 'declare it with `entity NAME`');
        return undefined;
      }
      const attribute = r.attributes.get(`${first.text}.${second.text}`);
      if (!attribute) {
        this.unknown(
          'unknown-attribute',
          `attribute of \`${first.text}\`:`,
          second,
          entity.attributes.map((a) => a.name.text),
          `\`${first.text}\` has ${listNames(entity.attributes.map((a) => a.name.text))}`,
        );
        return undefined;
      }
      if (rest.length > 0) {
        this.report(
          'unknown-attribute',
          `\`${attribute.path}\` has no attributes of its own`,
          (rest[0] as Name).span,
          {
            help: 'attributes are written `entity.attribute`',
          },
        );
        return undefined;
      }
      r.references.set(operand, { kind: 'attribute', attribute });
      this.used.add(attribute.entity);
      return attribute.type;
    }
    const enumType = expected?.kind === 'enum' ? expected : undefined;
    if (enumType) {
      if (enumType.values.includes(first.text)) {
        r.references.set(operand, { kind: 'value', value: first.text });
        return enumType;
      }
      this.unknown(
        'unknown-value',
        'value',
        first,
        enumType.values,
        `the values are ${listNames(enumType.values)}`,
      );
      return undefined;
    }
    const condition = r.conditions.get(first.text);
    if (condition) {
      this.used.add(condition);
      r.references.set(operand, { kind: 'condition', condition });
      return BOOLEAN;
    }
    if (expected && expected.kind !== 'boolean') {
      this.report('type-mismatch', `\`${first.text}\` is not ${showType(expected)}`, first.span, {
        help:
          expected.kind === 'identifier'
            ? `identifiers are written as strings: \`"${first.text}"\``
            : undefined,
      });
      return undefined;
    }
    const attributeNamed = [...r.attributes.values()].find((a) => a.declaration.name.text === first.text);
    if (attributeNamed) {
      this.report('unknown-condition', `unknown condition \`${first.text}\``, first.span, {
        help: `did you mean the attribute \`${attributeNamed.path}\`?`,
        fix: {
          title: `replace with \`${attributeNamed.path}\``,
          edits: [{ span: first.span, newText: attributeNamed.path }],
        },
      });
      return undefined;
    }
    this.unknown(
      'unknown-condition',
      'condition',
      first,
      r.conditions.keys(),
      'declare it with `condition NAME when …`, or name an attribute as `entity.attribute`',
    );
    return undefined;
  }

  reportUnused(): void {
    const r = this.result;
    // A file without a `policy` header is a library for others to import: it need not use what it declares.
    const entry = r.program.files[0];
    if (!r.policy || !entry) return;
    const own = new Set<Declaration>(entry.declarations);
    const warn = (what: string, name: Name, declaration: Declaration, help: string) => {
      if (own.has(declaration) && !this.used.has(declaration)) {
        this.report('unused-declaration', `${what} \`${name.text}\` is never used`, name.span, {
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
}
