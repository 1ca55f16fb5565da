import { describe, expect, it } from 'vitest';
import { type CheckedPolicy, checkPolicy } from '../../language/src/index.js';
import { type Artifact, type Atom, createEngine } from '../../runtime/src/index.js';
import { analyze, compare, compile, type Literal, solve, solverAttributes } from '../src/index.js';
import { memoryHost, rule, VOCABULARY } from './fixtures.js';

/** A policy over the shared vocabulary, checked (errors fail the test), with its artifact. */
function policy(...lines: string[]): { checked: CheckedPolicy; artifact: Artifact } {
  const checked = checkPolicy(
    'main.policy',
    memoryHost({
      'main.policy': [
        'policy p "P"',
        '  default deny because law',
        'import "vocabulary.policy"',
        ...lines,
      ].join('\n'),
      'vocabulary.policy': VOCABULARY.join('\n'),
    }),
  );
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { checked: checked.value, artifact: compile(checked.value).value as Artifact };
}

const claim = (id: string, text: string) => [`assert ${id}`, `  ${text}`, '  because law'];

function analysis(...lines: string[]) {
  const { checked, artifact } = policy(...lines);
  return { ...analyze(checked, solverAttributes(artifact.vocabulary)), engine: createEngine(artifact) };
}

describe('analyze, on assertions', () => {
  const rules = [
    ...rule('permit', 'own', 'user.id is record.holder'),
    ...rule('permit', 'friends', 'record.holder in user.friends and not user.minor'),
    ...rule('forbid', 'private', 'private in record.tags and not (user.id is record.holder)'),
    'obligation log "Log"',
    '  says "Log it."',
    '  because law',
    'require log',
    '  when not (user.id is record.holder)',
  ];

  it('proves what holds for every query, of every kind of claim', () => {
    const { assertions } = analysis(
      ...rules,
      ...claim('own-always', 'always permit when user.id is record.holder'),
      ...claim('minor-friends', 'never permit when user.minor and not (user.id is record.holder)'),
      ...claim('logged', 'always require log when not (user.id is record.holder)'),
      ...claim('cited', 'always cite law'),
      ...claim('friends-apply', 'never apply friends when user.minor'),
      ...claim(
        'private-denied',
        'always deny when private in record.tags and not (user.id is record.holder)',
      ),
    );
    expect(assertions.map((a) => [a.id, a.status])).toEqual([
      ['own-always', 'proved'],
      ['minor-friends', 'proved'],
      ['logged', 'proved'],
      ['cited', 'proved'],
      ['friends-apply', 'proved'],
      ['private-denied', 'proved'],
    ]);
  });

  it('refutes what is false with a counterexample the runtime decides against the claim', () => {
    const { assertions, engine } = analysis(
      ...rules,
      ...claim('friends-always', 'always permit when record.holder in user.friends'),
      ...claim('never-log', 'never require log'),
      ...claim('staff-denied', 'never permit when user.role is staff'),
    );
    const [friends, log, staff] = assertions;
    expect([friends?.status, log?.status, staff?.status]).toEqual(['false', 'false', 'false']);
    // A friend's request for a private record, or a minor friend's: denied, though the claim says permit.
    const decided = engine.decide(friends?.counterexample);
    expect(decided.errors).toEqual([]);
    expect(decided.decision).toBe('deny');
    expect(friends?.counterexample?.record?.holder).toBeDefined();
    expect(engine.decide(log?.counterexample).obligations.map((o) => o.id)).toEqual(['log']);
    expect(engine.decide(staff?.counterexample).decision).toBe('permit');
    expect(staff?.counterexample?.user?.role).toBe('staff');
  });

  it('gives the counterexample closest to the defaults', () => {
    const { assertions } = analysis(...rules, ...claim('none', 'never permit'));
    // The borrower's own record: only the required attributes, equal ids.
    expect(assertions[0]?.counterexample).toEqual({
      user: { id: 'x-1', role: 'patron' },
      record: { holder: 'x-1' },
    });
  });
});

describe('analyze, on the rules themselves', () => {
  const codes = (...lines: string[]) =>
    analysis(...lines).diagnostics.map(
      (d) => `${d.code} ${d.severity} ${d.span?.start.line}:${d.span?.start.column}`,
    );

  it('finds a rule no query can satisfy', () => {
    expect(codes(...rule('permit', 'impossible', 'user.role is staff and user.role is patron'))).toEqual([
      'rule-never-applies warning 4:8',
    ]);
  });

  it('finds a permit that a forbid always overrides, and the overlap', () => {
    expect(
      codes(
        ...rule('permit', 'minors', 'user.minor and user.cleared'),
        ...rule('forbid', 'no-minors', 'user.minor'),
      ),
    ).toEqual(['permit-overridden warning 4:8']);
    expect(
      codes(...rule('permit', 'staff', 'user.role is staff'), ...rule('forbid', 'no-minors', 'user.minor')),
    ).toEqual(['rules-overlap info 8:8']);
  });

  it('finds a rule another always covers', () => {
    expect(
      codes(
        ...rule('permit', 'wide', 'user.role is staff'),
        ...rule('permit', 'narrow', 'user.role is staff and user.cleared'),
      ),
    ).toEqual(['rule-covered info 8:8']);
  });

  it('finds an obligation nothing triggers, and an example that repeats another', () => {
    const lines = [
      ...rule('permit', 'staff', 'user.role is staff'),
      'obligation idle "Idle"',
      '  says "x"',
      '  because law',
      'require idle',
      '  when user.age < 10 and user.age > 20',
      'example "one"',
      '  given user { id: "a", role: staff } record { holder: "b" }',
      '  expect permit by staff',
      'example "two"',
      '  given user { id: "a", role: staff, age: 30 } record { holder: "b", tags: [] }',
      '  expect permit by staff',
    ];
    expect(codes(...lines)).toEqual([
      'duplicate-example warning 16:9',
      'obligation-never-triggered warning 8:12',
    ]);
  });

  it('finds nothing to say about the Wethersfield-style policy of well-separated rules', () => {
    expect(
      codes(
        ...rule('permit', 'own', 'user.id is record.holder'),
        ...rule('forbid', 'strangers', 'not (user.id is record.holder)'),
      ),
    ).toEqual([]);
  });
});

describe('solve', () => {
  const { artifact } = policy();
  const attributes = solverAttributes(artifact.vocabulary);
  const lit = (atom: Atom, holds = true): Literal => ({ atom, holds });

  it('knows an enumeration holds one value', () => {
    expect(
      solve(
        [
          lit({ kind: 'equals', attribute: 'user.role', value: 'staff' }),
          lit({ kind: 'equals', attribute: 'user.role', value: 'officer' }),
        ],
        attributes,
      ),
    ).toBeUndefined();
    const excluded = ['patron', 'staff', 'officer'].map((value) =>
      lit({ kind: 'equals', attribute: 'user.role', value }, false),
    );
    expect(solve(excluded, attributes)).toBeUndefined();
    expect(solve(excluded.slice(1), attributes)?.get('user.role')).toBe('patron');
  });

  it('follows equalities between identifiers, and their memberships', () => {
    const same = (a: string, b: string, holds = true) => lit({ kind: 'same', attribute: a, other: b }, holds);
    expect(
      solve(
        [
          same('user.id', 'record.holder'),
          lit({ kind: 'member', attribute: 'user.id', set: 'user.friends' }),
          lit({ kind: 'member', attribute: 'record.holder', set: 'user.friends' }, false),
        ],
        attributes,
      ),
    ).toBeUndefined();
    const witness = solve(
      [
        same('user.id', 'record.holder', false),
        lit({ kind: 'member', attribute: 'record.holder', set: 'user.friends' }),
        lit({ kind: 'contains', set: 'user.friends', value: 'vip' }, false),
      ],
      attributes,
    );
    expect(witness?.get('user.friends')).toEqual([witness?.get('record.holder')]);
    expect(witness?.get('user.id')).not.toBe(witness?.get('record.holder'));
  });

  it('takes an empty set as within any list, and finds an outsider where a set must not be within', () => {
    const within = (values: string[], holds = true) =>
      lit({ kind: 'within', set: 'record.tags', values }, holds);
    expect(solve([within([])], attributes)?.get('record.tags')).toEqual([]);
    expect(solve([within(['public'], false)], attributes)?.get('record.tags')).toEqual(['private']);
    expect(solve([within(['public', 'private'], false)], attributes)).toBeUndefined();
  });

  it('keeps integers within their bounds', () => {
    const less = (bound: number, holds = true) => lit({ kind: 'less', attribute: 'user.age', bound }, holds);
    expect(solve([less(18), less(17, false)], attributes)?.get('user.age')).toBe(17);
    expect(solve([less(10), less(20, false)], attributes)).toBeUndefined();
  });
});

describe('compare', () => {
  it('finds where two policies decide differently, and nothing where they agree', () => {
    const a = policy(...rule('permit', 'staff', 'user.role is staff'));
    const b = policy(...rule('permit', 'staff-or-officer', 'user.role in [staff, officer]'));
    const attributes = solverAttributes(a.artifact.vocabulary);
    const { classes } = compare(a.checked, b.checked, attributes);
    expect(
      classes.map((c) => [
        c.left.decision,
        c.right.decision,
        c.right.rules,
        c.cases.map((x) => x.conditions),
      ]),
    ).toEqual([['deny', 'permit', ['staff-or-officer'], [['user.role is officer']]]]);
    expect(classes[0]?.cases[0]?.example).toEqual({
      user: { id: 'x-1', role: 'officer' },
      record: { holder: 'x-2' },
    });
    expect(compare(a.checked, a.checked, attributes).classes).toEqual([]);
  });

  it('does not split a case on permits a forbid overrides: they decide nothing', () => {
    const a = policy(
      ...rule('forbid', 'f', 'user.minor'),
      ...rule('permit', 'p', 'user.cleared'),
      ...rule('permit', 'q', 'user.age > 40'),
    );
    const b = policy(...rule('permit', 'q', 'user.age > 40'));
    const { classes } = compare(a.checked, b.checked, solverAttributes(a.artifact.vocabulary));
    const overridden = classes.find((c) => c.left.rules.includes('f') && c.right.rules.includes('q'));
    expect(overridden?.cases.map((x) => x.conditions)).toEqual([['user.age >= 41', 'user.minor']]);
  });
});

describe('analyze, at size', () => {
  it('keeps its BDDs to assignments a query can have: 200 rules over enumerations of 40 and 20 values', () => {
    const roles = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const purposes = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const lines = [
      'policy big "Big"',
      'entity asker',
      `  role: one of ${roles.join(', ')}`,
      `  purpose: one of ${purposes.join(', ')}`,
      'authority law "Law"',
    ];
    for (let i = 0; i < 200; i++) {
      lines.push(
        ...rule(
          i % 5 === 0 ? 'forbid' : 'permit',
          `rule${i}`,
          `asker.role is r${(i * 7) % 40} and asker.purpose is p${(i * 3) % 20}`,
        ),
      );
    }
    lines.push(...claim('some-permit', 'never permit when asker.role is r1'));
    const checked = checkPolicy('big.policy', memoryHost({ 'big.policy': lines.join('\n') }));
    const artifact = compile(checked.value).value as Artifact;
    const { assertions } = analyze(checked.value, solverAttributes(artifact.vocabulary));
    expect(assertions.map((a) => a.status)).toEqual(['false']);
  });
});

describe('fixed: findings of the second review', () => {
  const analysed = (text: string) => {
    const checked = checkPolicy('p.policy', memoryHost({ 'p.policy': text }));
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const artifact = compile(checked.value).value as Artifact;
    return {
      ...analyze(checked.value, solverAttributes(artifact.vocabulary)),
      engine: createEngine(artifact),
    };
  };
  const head = ['policy p "P"', '  default deny because law', 'authority law "Law"'];

  it('finds integers that must differ within a narrow range', () => {
    const { assertions, engine } = analysed(
      [
        ...head,
        'entity e',
        '  x: integer',
        '  y: integer',
        '  z: integer',
        ...rule(
          'permit',
          'p',
          'e.x >= 5 and e.x < 8 and e.y >= 5 and e.y < 8 and e.z >= 5 and e.z < 8 and e.x is not e.y and e.y is not e.z and e.x is not e.z',
        ),
        ...claim('never-p', 'never permit'),
      ].join('\n'),
    );
    expect(assertions[0]?.status).toBe('false');
    expect(engine.decide(assertions[0]?.counterexample).decision).toBe('permit');
  });

  it('gives a required set a set in a counterexample', () => {
    const { assertions, engine } = analysed(
      [
        ...head,
        'entity e',
        '  s: set of identifier',
        '  f: boolean = false',
        ...rule('permit', 'p', 'e.f'),
        ...claim('never-p', 'never permit'),
      ].join('\n'),
    );
    expect(assertions[0]?.counterexample).toEqual({ e: { s: [], f: true } });
    expect(engine.decide(assertions[0]?.counterexample).errors).toEqual([]);
  });

  it('sees at once that a set bounded by `within` cannot hold what it must', () => {
    const attributes = Array.from({ length: 7 }, (_, i) => `  a${i}: identifier`);
    const members = Array.from({ length: 7 }, (_, i) => `e.a${i} in e.s`).join(' and ');
    const { assertions } = analysed(
      [
        ...head,
        'entity e',
        ...attributes,
        '  s: set of identifier = []',
        ...rule('permit', 'p', `${members} and e.s within ["k1"] and "k2" in e.s`),
        ...claim('never-p', 'never permit'),
      ].join('\n'),
    );
    expect(assertions[0]?.status).toBe('proved');
  });
});
