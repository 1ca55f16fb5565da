/**
 * Names: the index of every declaration by kind and id (reporting duplicates and a misplaced header), the rules and
 * obligations a name refers to, and the conditions defined in terms of each other.
 */
import type {
  ConditionDeclaration,
  Declaration,
  Expression,
  Name,
  Operand,
  PolicyDeclaration,
  RuleDeclaration,
} from '../ast.js';
import { sectionsOf } from '../ast.js';
import type { CheckContext } from './context.js';
import { expectBoolean } from './expressions.js';

/** Indexes every declaration by kind and name, reporting duplicates and misplaced headers. */
export function collect(c: CheckContext): void {
  const r = c.result;
  const citations = new Map<string, Declaration>();
  const namespaces = new Map<string, Map<string, Declaration>>();
  const declare = (kind: string, name: Name, declaration: Declaration, map = namespaces.get(kind)) => {
    if (name.text === '') return false;
    const space = map ?? new Map<string, Declaration>();
    namespaces.set(kind, space);
    const previous = space.get(name.text);
    if (previous) {
      c.report('duplicate-declaration', `\`${name.text}\` is declared more than once`, name.span, {
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
            c.report('misplaced-declaration', 'an imported file cannot declare a `policy`', d.id.span, {
              help: 'keep the `policy` header in the main file only',
            });
          } else if (r.policy) {
            c.report('duplicate-declaration', 'a file declares one `policy`', d.id.span, {
              related: [{ span: r.policy.span, message: 'the `policy` is first declared here' }],
            });
          } else {
            if (seenOther) {
              c.report('misplaced-declaration', 'the `policy` header comes first in its file', d.id.span, {
                severity: 'warning',
                help: 'move it to the top of the file, before everything but `import`s',
              });
            }
            r.policy = d;
            checkHistory(c, d);
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
    c.report(
      'missing-policy',
      'this file has rules but no `policy` header',
      (entry.declarations[0] ?? (r.rules[0] as RuleDeclaration)).span,
      {
        help: 'begin the file with `policy ID "Title"`, its owner, version and history',
      },
    );
  }
}

function checkHistory(c: CheckContext, policy: PolicyDeclaration): void {
  policy.history.forEach((event, i) => {
    const before = policy.history[i - 1];
    if (!before) return;
    if (event.date.value && before.date.value && event.date.value < before.date.value) {
      c.report(
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

export function resolveObligation(c: CheckContext, name: Name): void {
  const target = c.result.obligations.get(name.text);
  if (target) c.resolve(name, target);
  else
    c.unknown(
      'unknown-obligation',
      'obligation',
      name,
      c.result.obligations.keys(),
      'declare it with `obligation ID "Title"`',
    );
}

export function resolveRule(c: CheckContext, name: Name): void {
  const target = c.result.rules.find((rule) => rule.id.text === name.text);
  if (target) c.resolve(name, target);
  else {
    c.unknown(
      'unknown-rule',
      'rule',
      name,
      c.result.rules.map((rule) => rule.id.text),
    );
  }
}

/**
 * Resolves a name that must be a rule of one effect: `permit by RULE` and `overrides RULE` name permits, `deny by
 * RULE` a forbid. An unknown name is offered the closest rule of that effect; one of the other effect is reported,
 * `why` saying what was wanted.
 */
export function resolveRuleOf(
  c: CheckContext,
  name: Name,
  effect: RuleDeclaration['effect'],
  why: string,
): void {
  const target = c.result.rules.find((rule) => rule.id.text === name.text);
  if (!target) {
    c.unknown(
      'unknown-rule',
      effect,
      name,
      c.result.rules.filter((rule) => rule.effect === effect).map((rule) => rule.id.text),
    );
    return;
  }
  c.resolve(name, target);
  if (target.effect !== effect)
    c.report('wrong-effect', `\`${name.text}\` is a ${target.effect}: ${why}`, name.span, {
      related: [{ span: target.id.span, message: `\`${name.text}\` is declared here` }],
    });
}

/** The conditions a condition's `when` names. */
function uses(c: CheckContext, condition: ConditionDeclaration): ConditionDeclaration[] {
  const found: ConditionDeclaration[] = [];
  // Only names the expression checks resolved to conditions: a value of an enumeration named like a condition
  // is a value.
  const follow = (o: Operand) => {
    const reference = c.result.references.get(o);
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
function checkCycles(c: CheckContext): void {
  const done = new Set<ConditionDeclaration>();
  for (const start of c.result.conditions.values()) {
    if (done.has(start)) continue;
    const path: ConditionDeclaration[] = [start];
    const onPath = new Set(path);
    const pending: ConditionDeclaration[][] = [uses(c, start)];
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
        c.report(
          'cyclic-condition',
          `\`${next.id.text}\` is defined in terms of itself: ${cycle.map((c) => c.id.text).join(' → ')}`,
          next.id.span,
          { help: 'a condition cannot use itself, directly or through others' },
        );
      } else if (!done.has(next)) {
        path.push(next);
        onPath.add(next);
        pending.push(uses(c, next));
      }
    }
  }
}

/** Every condition says when it holds, in a well-typed condition, and none is defined in terms of itself. */
export function checkConditions(c: CheckContext): void {
  for (const condition of c.result.conditions.values()) {
    if (condition.when) expectBoolean(c, condition.when);
    else {
      c.report(
        'missing-condition',
        `condition \`${condition.id.text}\` says nothing of when it holds`,
        condition.id.span,
        { help: 'add `when …` with what must be true' },
      );
    }
  }
  // After the conditions' expressions are checked: cycles follow only the names they resolved to conditions.
  checkCycles(c);
}
