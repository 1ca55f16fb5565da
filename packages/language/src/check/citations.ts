/**
 * Citations: what each rule, obligation, requirement, assertion and interpretation cites resolves to an authority,
 * a section or a reading of the law; and each says what it does in words.
 */
import type {
  AssertDeclaration,
  Declaration,
  InterpretationDeclaration,
  Name,
  ObligationDeclaration,
  RequireDeclaration,
  RuleDeclaration,
} from '../ast.js';
import type { CheckContext } from './context.js';
import { expectBoolean } from './expressions.js';
import { resolveObligation, resolveRule, resolveRuleOf } from './names.js';

/** What a `because` may name. */
type Citable = 'authority' | 'section' | 'interpretation';
const CITABLE: readonly Citable[] = ['authority', 'section', 'interpretation'];

/**
 * Resolves a citation to a declaration of one of the kinds `accepts`: by default an authority, a section, or an
 * interpretation (a reading of the law cites what it reads).
 */
export function citation(c: CheckContext, name: Name, accepts: readonly Citable[] = CITABLE): void {
  const r = c.result;
  // By name in each kind's own index: a policy of thousands of rules cites thousands of times.
  c.readings ??= new Map(r.interpretations.map((i) => [i.id.text, i]));
  const declared: Record<Citable, ReadonlyMap<string, Declaration>> = {
    authority: r.authorities,
    section: r.sections,
    interpretation: c.readings,
  };
  for (const kind of accepts) {
    const target = declared[kind].get(name.text);
    if (target) {
      c.resolve(name, target);
      return;
    }
  }
  const what = `${accepts.slice(0, -1).join(', ')}${accepts.length > 1 ? ' or ' : ''}${accepts.at(-1)}`;
  const articles = accepts.map((kind) => `${kind === 'section' ? 'a' : 'an'} \`${kind}\``);
  c.unknown(
    'unknown-citation',
    what,
    name,
    accepts.flatMap((kind) => [...declared[kind].keys()]),
    `a citation names ${articles.slice(0, -1).join(', ')}${articles.length > 1 ? ' or ' : ''}${articles.at(-1)} declared in this policy or a file it imports`,
  );
}

export function citations(c: CheckContext, names: Name[], accepts: readonly Citable[] = CITABLE): void {
  for (const name of names) citation(c, name, accepts);
}

export function checkRule(c: CheckContext, rule: RuleDeclaration): void {
  if (rule.when) expectBoolean(c, rule.when);
  citations(c, rule.because);
  const [first, ...more] = rule.overrides ?? [];
  if (first && rule.effect === 'permit') {
    c.report(
      'wrong-effect',
      `permit \`${rule.id.text}\` overrides nothing: only a forbid wins over permits`,
      { ...first.span, end: (more.at(-1) ?? first).span.end },
      { help: 'remove `overrides`, or make the rule a `forbid`' },
    );
  }
  for (const name of rule.overrides ?? [])
    if (rule.effect === 'permit') resolveRule(c, name);
    else resolveRuleOf(c, name, 'permit', 'a forbid overrides permits');
  if (rule.because.length === 0) {
    const section = c.result.sectionOf.get(rule);
    c.report('missing-citation', `rule \`${rule.id.text}\` cites no authority`, rule.id.span, {
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
    c.report(
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

export function checkObligation(c: CheckContext, obligation: ObligationDeclaration): void {
  citations(c, obligation.because);
  if (!obligation.says) {
    c.report(
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

export function checkRequirement(c: CheckContext, requirement: RequireDeclaration): void {
  resolveObligation(c, requirement.obligation);
  if (requirement.when) expectBoolean(c, requirement.when);
  citations(c, requirement.because);
}

export function checkAssertion(c: CheckContext, assertion: AssertDeclaration): void {
  citations(c, assertion.because);
  const claim = assertion.claim;
  if (!claim) {
    c.report('missing-claim', `assertion \`${assertion.id.text}\` claims nothing`, assertion.id.span, {
      help: 'add what must hold, such as `never permit when third-party`',
    });
    return;
  }
  if (claim.when) expectBoolean(c, claim.when);
  const outcome = claim.outcome;
  if (outcome.kind === 'permit' || outcome.kind === 'deny') {
    if (outcome.by) {
      resolveRuleOf(
        c,
        outcome.by,
        outcome.kind === 'permit' ? 'permit' : 'forbid',
        outcome.kind === 'permit'
          ? 'a permit is decided by permits; claim `deny by` it, or name a permit'
          : 'a deny is decided by forbids; claim `permit by` it, or name a forbid',
      );
    }
    if (outcome.with) resolveObligation(c, outcome.with);
  }
  if (outcome.kind === 'require') resolveObligation(c, outcome.target);
  else if (outcome.kind === 'cite') citation(c, outcome.target);
  else if (outcome.kind === 'apply') resolveRule(c, outcome.target);
}

/** An interpretation cites the law it reads (not another reading), and its departures are conditions. */
export function checkInterpretation(c: CheckContext, interpretation: InterpretationDeclaration): void {
  citations(c, interpretation.because, ['authority', 'section']);
  for (const departure of interpretation.departures) {
    if (departure.when) expectBoolean(c, departure.when);
    else
      c.report(
        'missing-condition',
        `a \`${departure.kind}\` departure says nothing of when it holds`,
        departure.span,
        {
          help: 'add `when …` with the queries on which the policy departs from the law',
        },
      );
    if (!c.result.policy?.comparedWith) {
      c.report(
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
