/**
 * Random well-typed policies over one small, fixed vocabulary that has an attribute of every type, and random
 * valid queries for it. Policies are generated as a model (rules, named conditions, obligations, the default) and
 * rendered to source text, so that tests can change the model (reorder rules, duplicate one, append one) and
 * render it again.
 *
 * Tests the compiler cannot compile (`unsupported-test`) are never generated: two set attributes compared, or two
 * integer attributes ordered. Every other test the language reference describes is, for every type: a boolean
 * attribute or condition alone or compared, enumeration values, identifiers against strings and each other,
 * membership in written lists and set attributes, `within` both ways, integer comparisons and equalities. Named
 * conditions are sometimes named like enumeration values (`b`, `y`), which the reference allows.
 *
 * Four forms once got wrong by the checker are generated on purpose: `[] is user.tags`, `[x] is user.kinds`,
 * `b is user.role` when a condition is named `b`, and values named like conditions.
 *
 * `thing.owner` is named by a keyword, which an attribute may be.
 */
import fc from 'fast-check';
import { compile } from '../../packages/compiler/src/index.js';
import {
  type CheckedPolicy,
  checkPolicy,
  type Diagnostic,
  hasErrors,
  type SourceHost,
} from '../../packages/language/src/index.js';
import { type Artifact, createEngine, type Engine } from '../../packages/runtime/src/index.js';

/** The identifiers queries draw from: few, so that equalities and memberships happen. */
export const IDENTIFIERS = ['u1', 'u2', 'u3'] as const;
const ROLES = ['a', 'b', 'c'] as const;
const KINDS = ['x', 'y', 'z'] as const;

/** The vocabulary every generated policy is written in. */
export const VOCABULARY = `entity user "Who asks."
  id: identifier
  role: one of a, b, c
  level: integer = 0
  tags: set of identifier = []
  flag: boolean = false
  kinds: set of one of x, y, z = []

entity thing "What is asked for."
  owner: identifier
  open: boolean = false
  size: integer = 0`;

// ------------------------------------------------------------------------------------------------------------
// The model
// ------------------------------------------------------------------------------------------------------------

/** A condition as generated: tests are leaves of source text; `and`, `or` and `not` are structure. */
export type ExprModel =
  | { kind: 'leaf'; text: string; parenthesized: boolean }
  | { kind: 'not'; operand: ExprModel }
  | { kind: 'and' | 'or'; operands: ExprModel[]; broken: boolean };

/** The six orders of a rule's three clauses. */
const CLAUSE_ORDERS = [
  ['when', 'because', 'says'],
  ['when', 'says', 'because'],
  ['because', 'when', 'says'],
  ['because', 'says', 'when'],
  ['says', 'when', 'because'],
  ['says', 'because', 'when'],
] as const;

export interface RuleModel {
  id: string;
  effect: 'permit' | 'forbid';
  /** Absent: the rule always applies. */
  when?: ExprModel;
  says: string;
  /** Which of the six clause orders it is written in. */
  order: number;
}

export interface PolicyModel {
  defaultEffect: 'permit' | 'deny';
  conditions: { id: string; when: ExprModel }[];
  rules: RuleModel[];
  /** Each obligation with its `require`s: a `when` each, or none (always). */
  obligations: { id: string; requires: (ExprModel | undefined)[] }[];
  /** Whether the rules and obligations are written under a `section`. */
  section: boolean;
  /** Whether comments are written between declarations. */
  comments: boolean;
}

// ------------------------------------------------------------------------------------------------------------
// Tests, one per kind, all well typed
// ------------------------------------------------------------------------------------------------------------

/** A written list of one to three values, and now and then the empty list. */
const list = <T extends string>(element: fc.Arbitrary<T>) =>
  fc
    .oneof(
      { weight: 6, arbitrary: fc.array(element, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constant([]) },
    )
    .map((xs) => `[${xs.join(', ')}]`);

const quoted = fc.constantFrom(...IDENTIFIERS, 'u4').map((s) => `"${s}"`);
const integerLiteral = fc.integer({ min: -3, max: 5 }).map(String);
const intAttribute = fc.constantFrom('user.level', 'thing.size');
const idAttribute = fc.constantFrom('user.id', 'thing.owner');
const is = fc.constantFrom('is', 'is not');
const inOp = fc.constantFrom('in', 'not in');
const order = fc.constantFrom('<', '<=', '>', '>=');

/** Puts `a` and `b` either way round: `a OP b` or `b OP a`. */
const eitherWay = (a: fc.Arbitrary<string>, op: fc.Arbitrary<string>, b: fc.Arbitrary<string>) =>
  fc.tuple(a, op, b, fc.boolean()).map(([x, o, y, swap]) => (swap ? `${y} ${o} ${x}` : `${x} ${o} ${y}`));

/**
 * A test of the vocabulary; `conditions` are the named conditions it may use. Enumeration values named in `avoid`
 * are not written (a condition's definition avoids its own name as a value only to keep generated policies free
 * of cycles through conditions: the value itself is fine).
 */
export function testArb(conditions: readonly string[], avoid: readonly string[] = []): fc.Arbitrary<string> {
  const role = fc.constantFrom(...ROLES.filter((r) => !avoid.includes(r)));
  const kind = fc.constantFrom(...KINDS.filter((k) => !avoid.includes(k)));
  const booleanName = fc.constantFrom('user.flag', 'thing.open', ...conditions);
  const idOperand = fc.oneof({ weight: 2, arbitrary: idAttribute }, { weight: 1, arbitrary: quoted });
  const anyAttribute = fc.constantFrom('user.id', 'thing.owner', 'user.role', 'user.level', 'thing.size');
  // Tests the compiler can decide alone: written values only, or an attribute compared with itself.
  const constant = fc.oneof(
    fc.constantFrom('true', 'false'),
    fc.tuple(integerLiteral, order, integerLiteral).map((t) => t.join(' ')),
    fc.tuple(quoted, is, quoted).map((t) => t.join(' ')),
    fc.tuple(quoted, inOp, list(quoted)).map((t) => t.join(' ')),
    fc.tuple(integerLiteral, inOp, list(integerLiteral)).map((t) => t.join(' ')),
    fc.tuple(anyAttribute, is).map(([a, o]) => `${a} ${o} ${a}`),
    fc.tuple(booleanName, is).map(([a, o]) => `${a} ${o} ${a}`),
  );
  return fc.oneof(
    // A truth value alone, or compared.
    { weight: 5, arbitrary: booleanName },
    { weight: 2, arbitrary: fc.tuple(booleanName, is, booleanName).map((t) => t.join(' ')) },
    { weight: 1, arbitrary: eitherWay(booleanName, is, fc.constantFrom('true', 'false')) },
    // Enumerations.
    // Either way round, even when a condition has the value's name: beside `user.role`, `b` is a value.
    { weight: 3, arbitrary: eitherWay(fc.constant('user.role'), is, role) },
    { weight: 2, arbitrary: fc.tuple(inOp, list(role)).map(([o, l]) => `user.role ${o} ${l}`) },
    // Identifiers.
    { weight: 3, arbitrary: eitherWay(idAttribute, is, quoted) },
    { weight: 2, arbitrary: eitherWay(fc.constant('user.id'), is, fc.constant('thing.owner')) },
    { weight: 2, arbitrary: fc.tuple(idAttribute, inOp, list(quoted)).map((t) => t.join(' ')) },
    { weight: 3, arbitrary: fc.tuple(idOperand, inOp).map(([v, o]) => `${v} ${o} user.tags`) },
    // Sets of identifiers.
    { weight: 2, arbitrary: eitherWay(fc.constant('user.tags'), fc.constant('within'), list(quoted)) },
    { weight: 1, arbitrary: eitherWay(fc.constant('user.tags'), is, list(quoted)) },
    // Sets of enumeration values.
    { weight: 2, arbitrary: eitherWay(fc.constant('user.kinds'), fc.constant('within'), list(kind)) },
    { weight: 2, arbitrary: fc.tuple(kind, inOp).map(([k, o]) => `${k} ${o} user.kinds`) },
    { weight: 1, arbitrary: eitherWay(fc.constant('user.kinds'), is, list(kind)) },
    // Integers: an attribute ordered against a written integer, equalities, membership.
    { weight: 4, arbitrary: eitherWay(intAttribute, order, integerLiteral) },
    { weight: 1, arbitrary: eitherWay(fc.constant('user.level'), is, fc.constant('thing.size')) },
    { weight: 1, arbitrary: eitherWay(intAttribute, is, integerLiteral) },
    { weight: 1, arbitrary: fc.tuple(intAttribute, inOp, list(integerLiteral)).map((t) => t.join(' ')) },
    { weight: 2, arbitrary: constant },
  );
}

/** A condition: tests under `and`, `or` and `not`, nested up to `depth` levels. */
export function exprArb(
  conditions: readonly string[],
  depth = 3,
  avoid: readonly string[] = [],
): fc.Arbitrary<ExprModel> {
  const leaf = fc
    .tuple(testArb(conditions, avoid), fc.integer({ min: 0, max: 5 }))
    .map(([text, p]): ExprModel => ({ kind: 'leaf', text, parenthesized: p === 0 }));
  if (depth === 0) return leaf;
  const inner = exprArb(conditions, depth - 1, avoid);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('and' as const, 'and' as const, 'or' as const),
          fc.array(inner, { minLength: 2, maxLength: 3 }),
        )
        .chain(([k, operands]) => fc.boolean().map((broken): ExprModel => ({ kind: k, operands, broken }))),
    },
    { weight: 1, arbitrary: inner.map((operand): ExprModel => ({ kind: 'not', operand })) },
  );
}

const saysArb = fc.constantFrom('Allowed.', 'Not allowed.', 'The owner may.', 'Open things are shared.');

/** A rule named `id`, over the named conditions `conditions`; `effect` fixes its effect. */
export function ruleArb(
  id: string,
  conditions: readonly string[],
  effect?: 'permit' | 'forbid',
): fc.Arbitrary<RuleModel> {
  return fc
    .tuple(
      effect ? fc.constant(effect) : fc.constantFrom('permit' as const, 'permit' as const, 'forbid' as const),
      fc.option(exprArb(conditions), { freq: 12, nil: undefined }),
      saysArb,
      fc.integer({ min: 0, max: CLAUSE_ORDERS.length - 1 }),
    )
    .map(([e, when, says, o]) => ({ id, effect: e, ...(when ? { when } : {}), says, order: o }));
}

/** A policy: 0–3 named conditions, 1–8 rules, 0–3 obligations, a default. */
export const policyModelArb: fc.Arbitrary<PolicyModel> = fc
  .integer({ min: 0, max: 3 })
  .chain((conditionCount) =>
    // Conditions are named `c0`, `c1`, `c2`, or else `b`, `y`, `c2`: names that are also values of `user.role`
    // and `user.kinds`, which a bare name means only where it is compared with an attribute of that enumeration.
    fc.constantFrom(['c0', 'c1', 'c2'], ['b', 'y', 'c2']).map((names) => names.slice(0, conditionCount)),
  )
  .chain((conditionIds) => {
    // A condition may use the ones declared before it, so that conditions nest and never loop.
    const conditions = fc.tuple(
      ...conditionIds.map((id, i) =>
        exprArb(conditionIds.slice(0, i), 2, conditionIds).map((when) => ({ id, when })),
      ),
    );
    const rules = fc
      .integer({ min: 1, max: 8 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(`r${i}`, conditionIds))));
    const obligations = fc.integer({ min: 0, max: 3 }).chain((n) =>
      fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc
            .array(fc.option(exprArb(conditionIds, 2), { freq: 5, nil: undefined }), {
              minLength: 1,
              maxLength: 2,
            })
            .map((requires) => ({ id: `o${i}`, requires })),
        ),
      ),
    );
    return fc.record({
      defaultEffect: fc.constantFrom('permit' as const, 'deny' as const),
      conditions,
      rules,
      obligations,
      section: fc.boolean(),
      comments: fc.boolean(),
    });
  });

// ------------------------------------------------------------------------------------------------------------
// Rendering
// ------------------------------------------------------------------------------------------------------------

/** An expression as source text; `parent` is what it is nested in, which decides the parentheses it needs. */
export function renderExpr(e: ExprModel, parent: 'top' | 'and' | 'or' | 'not' = 'top'): string {
  switch (e.kind) {
    case 'leaf':
      return e.parenthesized ? `(${e.text})` : e.text;
    case 'not':
      return `not ${renderExpr(e.operand, 'not')}`;
    default: {
      const joined = e.operands
        .map((operand) => renderExpr(operand, e.kind))
        .join(e.broken ? `\n      ${e.kind} ` : ` ${e.kind} `);
      // `a and b and c` needs no parentheses around a nested `and`; anything else nested does.
      return parent === 'top' || parent === e.kind ? joined : `(${joined})`;
    }
  }
}

/** A policy model as source text. */
export function renderPolicy(model: PolicyModel): string {
  const indent = model.section ? '  ' : '';
  const citations = model.section ? 'law, sec' : 'law';
  const comment = (text: string) => (model.comments ? [`# ${text}`] : []);
  const blocks: string[] = [
    [
      ...comment('A random policy.'),
      'policy random "A random policy"',
      `  default ${model.defaultEffect} because law`,
    ].join('\n'),
    VOCABULARY,
    'authority law "The Law"\n  quote "Be fair."',
    ...model.conditions.map((c) => `condition ${c.id}\n  when ${renderExpr(c.when)}`),
  ];
  if (model.section) blocks.push('section sec "Rules"');
  for (const rule of model.rules) {
    const clauses = {
      when: rule.when ? [`when ${renderExpr(rule.when)}`] : [],
      because: [`because ${citations}`],
      says: [`says "${rule.says}"`],
    };
    const order = CLAUSE_ORDERS[rule.order] ?? CLAUSE_ORDERS[0];
    blocks.push(
      [
        ...comment(`rule ${rule.id}`),
        `${rule.effect} ${rule.id}`,
        ...order.flatMap((clause) => clauses[clause].map((c) => `  ${c}`)),
      ]
        .map((line) => indent + line)
        .join('\n'),
    );
  }
  for (const obligation of model.obligations) {
    blocks.push(
      [
        `obligation ${obligation.id} "Duty ${obligation.id}"`,
        `  says "Do ${obligation.id}."`,
        '  because law',
      ]
        .map((line) => indent + line)
        .join('\n'),
    );
    for (const when of obligation.requires) {
      blocks.push(
        [
          `require ${obligation.id}`,
          ...(when ? [`  when ${renderExpr(when)}`] : []),
          `  because ${citations}`,
        ]
          .map((line) => indent + line)
          .join('\n'),
      );
    }
  }
  return `${blocks.join('\n\n')}\n`;
}

/** Random policies as source text. */
export const policyTextArb: fc.Arbitrary<string> = policyModelArb.map(renderPolicy);

// ------------------------------------------------------------------------------------------------------------
// Queries
// ------------------------------------------------------------------------------------------------------------

/** A valid query of the vocabulary: the required attributes always, the others sometimes (defaults apply). */
export type RandomQuery = Record<string, Record<string, unknown>>;

const identifierArb = fc.constantFrom(...IDENTIFIERS);

export const queryArb: fc.Arbitrary<RandomQuery> = fc.record({
  user: fc.record(
    {
      id: identifierArb,
      role: fc.constantFrom(...ROLES),
      level: fc.integer({ min: -4, max: 6 }),
      tags: fc.uniqueArray(identifierArb, { maxLength: 3 }),
      flag: fc.boolean(),
      kinds: fc.uniqueArray(fc.constantFrom(...KINDS), { maxLength: 3 }),
    },
    { requiredKeys: ['id', 'role'] },
  ),
  thing: fc.record(
    {
      owner: identifierArb,
      open: fc.boolean(),
      size: fc.integer({ min: -4, max: 6 }),
    },
    { requiredKeys: ['owner'] },
  ),
});

// ------------------------------------------------------------------------------------------------------------
// Building
// ------------------------------------------------------------------------------------------------------------

/** A policy checked, compiled and loaded. */
export interface BuiltPolicy {
  text: string;
  checked: CheckedPolicy;
  artifact: Artifact;
  engine: Engine;
}

/** The errors of a list of diagnostics, one line each. */
export function errorsOf(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}

/** Checks, compiles and loads the policy `text`; throws with the errors if there are any (a test's own setup). */
export function buildPolicy(text: string): BuiltPolicy {
  const files = new Map([['random.policy', text]]);
  const host: SourceHost = { read: (f) => files.get(f), resolve: (_from, p) => p };
  const checked = checkPolicy('random.policy', host);
  if (hasErrors(checked.diagnostics)) {
    throw new Error(`the generated policy has errors: ${errorsOf(checked.diagnostics).join('; ')}\n${text}`);
  }
  const compiled = compile(checked.value);
  if (!compiled.value || hasErrors(compiled.diagnostics)) {
    throw new Error(
      `the generated policy does not compile: ${errorsOf(compiled.diagnostics).join('; ')}\n${text}`,
    );
  }
  return { text, checked: checked.value, artifact: compiled.value, engine: createEngine(compiled.value) };
}
