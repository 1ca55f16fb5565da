import { describe, expect, it } from 'vitest';
import { type CheckedPolicy, checkPolicy } from '../../language/src/index.js';
import type { Artifact } from '../../runtime/src/index.js';
import { Bdd, ONE, ZERO } from '../src/bdd.js';
import { type Comparison, compare, compile, solverAttributes } from '../src/index.js';
import { memoryHost, rule, VOCABULARY } from './fixtures.js';

/** A policy over the shared vocabulary, checked (errors fail the test). */
function policy(...lines: string[]): CheckedPolicy {
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
  return checked.value;
}

/** The vocabulary's attributes, as the solver takes them. */
const attributes = solverAttributes(
  (compile(policy(...rule('permit', 'p', 'user.minor'))).value as Artifact).vocabulary,
);

const obligation = (id: string, when: string) => [
  `obligation ${id} "${id}"`,
  `  says "Do ${id}."`,
  '  because law',
  `require ${id}`,
  `  when ${when}`,
  '  because law',
];

/** Each class as its kind, both outcomes in short, and its count. */
const summary = (comparison: Comparison) =>
  comparison.classes.map((c) => [
    c.kind,
    `${c.left.decision} ${c.left.rules.join(',')} ${c.left.obligations.join(',')}`.trim(),
    `${c.right.decision} ${c.right.rules.join(',')} ${c.right.obligations.join(',')}`.trim(),
    c.count,
  ]);

describe('compare', () => {
  it('counts each class by the combinations of its tests, legal exposure first', () => {
    // Two tests, four combinations: the first permits on one, the second on the other.
    const a = policy(...rule('permit', 'p', 'user.minor'));
    const b = policy(...rule('permit', 'q', 'user.cleared'));
    const comparison = compare(a, b, attributes);
    expect(summary(comparison)).toEqual([
      ['looser', 'permit p', 'deny', 1],
      ['stricter', 'deny', 'permit q', 1],
    ]);
    expect(comparison.classes.map((c) => c.cases.map((k) => k.conditions))).toEqual([
      [['user.minor', 'not user.cleared']],
      [['not user.minor', 'user.cleared']],
    ]);
    expect([comparison.total, comparison.count, comparison.combinations, comparison.merged]).toEqual([
      2,
      2,
      4,
      false,
    ]);
    expect(comparison.classes.every((c) => c.complete)).toBe(true);
  });

  it('counts an enumeration one value at a time', () => {
    // The atoms `role is staff` and `role is officer`: patron is neither, so three combinations, not four.
    const a = policy(...rule('permit', 'staff', 'user.role is staff'));
    const b = policy(...rule('permit', 'staff-or-officer', 'user.role in [staff, officer]'));
    const comparison = compare(a, b, attributes);
    expect(summary(comparison)).toEqual([['stricter', 'deny', 'permit staff-or-officer', 1]]);
    expect([comparison.count, comparison.combinations]).toEqual([1, 3]);
    // Every value named: exactly one of three holds, and two of them differ.
    const all = policy(...rule('permit', 'anyone', 'user.role in [patron, staff, officer] and user.minor'));
    const both = compare(a, all, attributes);
    expect(summary(both)).toEqual([
      ['looser', 'permit staff', 'deny', 1],
      ['stricter', 'deny', 'permit anyone', 2],
    ]);
    expect(both.combinations).toBe(6);
  });

  it('tells duties apart where the decisions agree, unless only decisions are compared', () => {
    const a = policy(...rule('permit', 'p', 'user.minor'), ...obligation('log', 'user.cleared'));
    const b = policy(...rule('permit', 'p', 'user.minor'));
    expect(summary(compare(a, b, attributes))).toEqual([
      ['duties', 'deny  log', 'deny', 1],
      ['duties', 'permit p log', 'permit p', 1],
    ]);
    expect(compare(a, b, attributes, { decisionsOnly: true })).toMatchObject({
      classes: [],
      total: 0,
      count: 0,
    });
  });

  it('splits a class by the rules that decide, and merges them past `maxClasses`, saying what varies', () => {
    const a = policy(...rule('permit', 'r0', 'user.minor'), ...rule('permit', 'r1', 'user.cleared'));
    const b = policy(...rule('forbid', 'r0', 'user.minor'), ...rule('permit', 'r1', 'user.cleared'));
    const split = compare(a, b, attributes);
    expect(summary(split)).toEqual([
      ['looser', 'permit r0', 'deny r0', 1],
      ['looser', 'permit r0,r1', 'deny r0', 1],
    ]);
    const merged = compare(a, b, attributes, { maxClasses: 1 });
    expect(merged.merged).toBe(true);
    expect(merged.classes.map((c) => [c.left, c.right, c.count])).toEqual([
      [
        { decision: 'permit', rules: ['r0'], obligations: [], varying: { rules: ['r1'], obligations: [] } },
        { decision: 'deny', rules: ['r0'], obligations: [] },
        2,
      ],
    ]);
  });

  it('lists only the first `limit` classes, and counts them all', () => {
    const a = policy(...rule('permit', 'p', 'user.minor'));
    const b = policy(...rule('permit', 'q', 'user.cleared'));
    const comparison = compare(a, b, attributes, { limit: 1 });
    expect(summary(comparison)).toEqual([['looser', 'permit p', 'deny', 1]]);
    expect([comparison.total, comparison.count]).toEqual([2, 2]);
  });

  it('describes at most `maxCases` cases of a class, and says when there are more', () => {
    // Exactly one of the two: two cases no merge can join.
    const a = policy(
      ...rule('permit', 'p', '(user.minor and not user.cleared) or (user.cleared and not user.minor)'),
    );
    const b = policy(...rule('forbid', 'q', 'user.minor and user.cleared'));
    const all = compare(a, b, attributes);
    expect(all.classes.map((c) => [c.cases.length, c.complete])).toEqual([[2, true]]);
    const one = compare(a, b, attributes, { maxCases: 1 });
    expect(one.classes.map((c) => [c.cases.length, c.complete, c.count])).toEqual([[1, false, 2]]);
  });

  it('finds no class where no query can be (a combination of tests no query has)', () => {
    // `age < 10` without `age < 20` is a combination of the tests, but no age has it.
    const a = policy(...rule('permit', 'p', 'user.age < 10 and not (user.age < 20)'));
    const b = policy(...rule('permit', 'q', 'user.minor and not user.minor'));
    expect(compare(a, b, attributes)).toMatchObject({ classes: [], total: 0, count: 0 });
  });
});

describe('Bdd, the methods the comparison counts and orders with', () => {
  /** Variables 0, 1, 2 one enumeration (every value), 3 a boolean. */
  const withDomain = () => {
    const bdd = new Bdd();
    bdd.setDomain([{ variables: [0, 1, 2], exhaustive: true }]);
    return bdd;
  };
  const variable = (bdd: Bdd, v: number) => bdd.apply('and', bdd.node(v, ZERO, ONE), bdd.domain);

  it('counts the assignments within the domain, every variable listed free where not tested', () => {
    const bdd = withDomain();
    expect(bdd.count(ONE, [0, 1, 2, 3])).toBe(6n);
    expect(bdd.count(variable(bdd, 3), [0, 1, 2, 3])).toBe(3n);
    expect(bdd.count(variable(bdd, 1), [0, 1, 2, 3, 4])).toBe(4n);
    expect(bdd.count(ZERO, [0, 1, 2, 3])).toBe(0n);
    const free = new Bdd();
    expect(free.count(free.apply('or', free.node(0, ZERO, ONE), free.node(5, ZERO, ONE)), [0, 5, 9])).toBe(
      6n,
    );
    expect(() => free.count(free.node(7, ZERO, ONE), [0, 1])).toThrow();
  });

  it('finds the least assignment, false before true from the smallest variable', () => {
    const bdd = withDomain();
    expect(bdd.least(bdd.domain)).toEqual([2]);
    expect(bdd.least(bdd.apply('and', variable(bdd, 0), variable(bdd, 3)))).toEqual([0, 3]);
    expect(bdd.least(ZERO)).toBeUndefined();
  });

  it('decides meeting and implying without building, as `apply` would', () => {
    const bdd = withDomain();
    const [x, y] = [variable(bdd, 0), variable(bdd, 1)];
    expect(bdd.intersects(x, y)).toBe(false);
    expect(bdd.intersects(x, variable(bdd, 3))).toBe(true);
    expect(bdd.implies(x, bdd.negate(y))).toBe(true);
    expect(bdd.implies(bdd.domain, x)).toBe(false);
  });

  it('simplifies within a care set to a function that agrees there and tests no more', () => {
    const bdd = new Bdd();
    const care = bdd.exclusive([{ variables: [0, 1, 2], exhaustive: true }]);
    // `variable 3` within the care set tests the enumeration; simplified, it tests only variable 3.
    const f = bdd.apply('and', bdd.node(3, ZERO, ONE), care);
    const simple = bdd.simplify(f, care);
    expect(bdd.support(simple)).toEqual([3]);
    expect(bdd.apply('and', simple, care)).toBe(f);
  });
});
