import { describe, expect, it } from 'vitest';
import { checkPolicy, hasErrors } from '../../language/src/index.js';
import { type Artifact, type Atom, createEngine } from '../../runtime/src/index.js';
import { buildGraph } from '../src/graph.js';
import { atomLabel, compile, lower, toDot } from '../src/index.js';
import { memoryHost, rule, VOCABULARY } from './fixtures.js';

/** Compiles a policy written inline; fails the test on any error. */
function build(...lines: string[]): Artifact {
  const checked = checkPolicy('main.policy', memoryHost({ 'main.policy': lines.join('\n') }));
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const compiled = compile(checked.value);
  expect(hasErrors(compiled.diagnostics)).toBe(false);
  return compiled.value as Artifact;
}

const HEADER = ['policy p "P"', '  default deny because law', ...VOCABULARY];

describe('compile', () => {
  it('tests each atom once per path and shares equal subgraphs', () => {
    const artifact = build(
      ...HEADER,
      ...rule('permit', 'a', '(user.role is staff or user.role is officer) and user.cleared'),
    );
    expect(artifact.atoms.map(atomLabel)).toEqual([
      'user.role = staff',
      'user.role = officer',
      'user.cleared',
    ]);
    // `user.cleared` is tested under both roles by one shared node.
    expect(artifact.graph.nodes.filter(([atom]) => atom === 2)).toHaveLength(1);
    expect(artifact.graph.nodes).toHaveLength(3);
  });

  it('never tests what a path has settled: an attribute that is one value is no other', () => {
    const artifact = build(
      ...HEADER,
      ...rule('permit', 'a', 'user.role is staff and user.cleared'),
      ...rule('permit', 'b', 'user.role is officer and user.cleared'),
    );
    const { nodes, root } = artifact.graph;
    const [, , high] = nodes[root] as [number, number, number];
    // Where the role is staff, the next test is `user.cleared`, not `user.role = officer`.
    expect(atomLabel(artifact.atoms[(nodes[high] as [number, number, number])[0]] as Atom)).toBe(
      'user.cleared',
    );
  });

  it('knows an attribute holds the last value when it holds none of the others', () => {
    const artifact = build(
      ...HEADER,
      ...rule('permit', 'a', 'user.role is patron'),
      ...rule('permit', 'b', 'user.role is staff'),
      ...rule('permit', 'c', 'user.role is officer'),
    );
    // Three values, three atoms: two tests settle the role, and every path finds a rule.
    expect(artifact.graph.nodes).toHaveLength(2);
    expect(artifact.graph.found.map((f) => f.rules.map((r) => artifact.rules[r]?.id))).toEqual([
      ['c'],
      ['b'],
      ['a'],
    ]);
  });

  it('decides a long chain of tests of one enumeration by one lookup, as the tests one by one would', () => {
    const colours = ['red', 'orange', 'yellow', 'green', 'blue', 'indigo', 'violet', 'black'];
    const artifact = build(
      'policy p "P"',
      'entity user',
      `  colour: one of ${colours.join(', ')}`,
      '  cleared: boolean = false',
      'authority law "Law"',
      ...rule('permit', 'warm', 'user.colour in [red, orange, yellow]'),
      ...rule('permit', 'cool', 'user.colour in [green, blue, indigo] and user.cleared'),
      ...rule('forbid', 'not-indigo', 'user.colour is indigo and not user.cleared'),
    );
    const engine = createEngine(artifact);
    for (const colour of colours) {
      for (const cleared of [false, true]) {
        const query = { user: { colour, cleared } };
        const trace = engine.trace(query);
        if (!('outcome' in trace)) throw new Error('invalid query');
        const decision = engine.decide(query);
        expect([decision.decision, decision.reasons.map((r) => r.rule)]).toEqual([
          trace.outcome.decision,
          trace.outcome.rules
            .map((r) => artifact.rules[r]?.id ?? 'default')
            .concat(trace.outcome.rules.length === 0 ? ['default'] : []),
        ]);
      }
    }
    expect(engine.decide({ user: { colour: 'orange' } }).reasons.map((r) => r.rule)).toEqual(['warm']);
    expect(engine.decide({ user: { colour: 'black', cleared: true } }).decision).toBe('deny');
  });

  it('stops building a graph that grows past its limits, with a RangeError compile turns into too-complex', () => {
    const checked = checkPolicy(
      'main.policy',
      memoryHost({
        'main.policy': [
          ...HEADER,
          ...rule('permit', 'a', 'user.minor and user.cleared'),
          ...rule('permit', 'b', 'user.minor or user.age > 3'),
        ].join('\n'),
      }),
    );
    const lowered = lower(checked.value).value;
    const input = { atomCount: lowered.atoms.length, choices: [], rules: lowered.rules, obligations: [] };
    expect(buildGraph(input).nodes.length).toBeGreaterThan(2);
    expect(() => buildGraph(input, { nodes: 2, remembered: 100 })).toThrow(
      /its decision graph would grow past/,
    );
    expect(() => buildGraph(input, { nodes: 100, remembered: 1 })).toThrow(RangeError);
  });

  it('lets a forbid win over a permit, and names only the forbid as the reason', () => {
    const engine = createEngine(
      build(
        ...HEADER,
        ...rule('permit', 'staff-may', 'user.role is staff'),
        ...rule('forbid', 'never-minors', 'user.minor'),
      ),
    );
    const decision = engine.decide({
      user: { id: 'u', role: 'staff', minor: true },
      record: { holder: 'o' },
    });
    expect(decision.decision).toBe('deny');
    expect(decision.reasons.map((r) => r.rule)).toEqual(['never-minors']);
  });

  it('denies by default, citing what the default cites', () => {
    const engine = createEngine(build(...HEADER, ...rule('permit', 'staff-may', 'user.role is staff')));
    const decision = engine.decide({ user: { id: 'u', role: 'patron' }, record: { holder: 'o' } });
    expect(decision.decision).toBe('deny');
    expect(decision.reasons).toEqual([
      {
        rule: 'default',
        effect: 'default',
        text: 'No rule of the policy permits this, and what the policy does not permit, it denies.',
        citations: ['law'],
      },
    ]);
    expect(decision.citations.map((c) => c.id)).toEqual(['law']);
  });

  it('compiles every kind of test to atoms the runtime decides correctly', () => {
    const engine = createEngine(
      build(
        ...HEADER,
        ...rule('permit', 'same', 'user.id is record.holder'),
        ...rule('permit', 'member', 'record.holder in user.friends'),
        ...rule('permit', 'contains', '"vip" in user.friends'),
        ...rule('permit', 'inside', 'record.tags within [public]'),
        ...rule('permit', 'young', 'user.age < 18'),
        ...rule('permit', 'old', 'user.age >= 65'),
        ...rule('permit', 'one-of', 'user.role in [staff, officer]'),
      ),
    );
    const rules = (user: object, record: object) =>
      engine
        .decide({ user: { id: 'u', role: 'patron', ...user }, record: { holder: 'o', ...record } })
        .reasons.map((r) => r.rule);
    expect(rules({ id: 'o' }, {})).toEqual(['same', 'inside']);
    expect(rules({ friends: ['o'] }, { tags: ['private'] })).toEqual(['member']);
    expect(rules({ friends: ['vip'] }, { tags: ['private'] })).toEqual(['contains']);
    expect(rules({}, { tags: ['public', 'private'] })).toEqual(['default']);
    expect(rules({ age: 17 }, { tags: ['private'] })).toEqual(['young']);
    expect(rules({ age: 18 }, { tags: ['private'] })).toEqual(['default']);
    expect(rules({ age: 65 }, { tags: ['private'] })).toEqual(['old']);
    expect(rules({ role: 'officer' }, { tags: ['private'] })).toEqual(['one-of']);
  });

  it('inlines named conditions, and reports obligations whatever the decision', () => {
    const engine = createEngine(
      build(
        ...HEADER,
        'condition outsider when not (user.role is staff)',
        ...rule('forbid', 'no-outsiders', 'outsider'),
        'obligation log "Log it"',
        '  says "Write it down."',
        '  because law',
        'require log',
        '  when outsider or user.minor',
      ),
    );
    const staff = engine.decide({ user: { id: 'u', role: 'staff', minor: true }, record: { holder: 'o' } });
    expect([staff.decision, staff.obligations.map((o) => o.id)]).toEqual(['deny', ['log']]);
    const outsider = engine.decide({ user: { id: 'u', role: 'patron' }, record: { holder: 'o' } });
    expect([outsider.decision, outsider.reasons[0]?.rule, outsider.obligations.map((o) => o.id)]).toEqual([
      'deny',
      'no-outsiders',
      ['log'],
    ]);
  });

  it('writes an artifact whose hash covers its content', () => {
    const artifact = build(...HEADER, ...rule('permit', 'a', 'user.minor'));
    expect(artifact.format).toBe('tenet-artifact/5');
    expect(artifact.hash).toMatch(/^[0-9a-f]{64}$/);
    const changed = build(...HEADER, ...rule('permit', 'a', 'user.cleared'));
    expect(changed.hash).not.toBe(artifact.hash);
    expect(build(...HEADER, ...rule('permit', 'a', 'user.minor')).hash).toBe(artifact.hash);
  });

  it('prints the graph as Graphviz dot: a box per node, an ellipse per found step, a point where a path ends', () => {
    const artifact = build(...HEADER, ...rule('permit', 'a', 'user.minor'));
    expect(toDot(artifact)).toBe(
      [
        'digraph "p" {',
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  f0 [shape=point];',
        '  f1 [shape=ellipse, style=filled, fillcolor="#d9f2d9", label="permit a"];',
        '  n0 [shape=box, label="user.minor"];',
        '  n0 -> f1;',
        '  n0 -> f0 [style=dashed];',
        '  root [shape=point]; root -> n0;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('refuses a test it cannot express, with a diagnostic at the test', () => {
    const checked = checkPolicy(
      'main.policy',
      memoryHost({ 'main.policy': [...HEADER, ...rule('permit', 'a', 'user.age < user.age')].join('\n') }),
    );
    const compiled = compile(checked.value);
    expect(compiled.value).toBeUndefined();
    expect(
      compiled.diagnostics.map((d) => `${d.code} ${d.span?.start.line}:${d.span?.start.column}`),
    ).toEqual(['unsupported-test 15:8']);
  });
});

describe('fixed: findings of the review', () => {
  it('exports `within` to JSON-logic so that an empty set is within any list, as the runtime decides', async () => {
    const { default: jsonLogic } = await import('json-logic-js');
    const { toJsonLogic, lower } = await import('../src/index.js');
    const checked = checkPolicy(
      'main.policy',
      memoryHost({
        'main.policy': [...HEADER, ...rule('permit', 'a', 'record.tags within [public]')].join('\n'),
      }),
    );
    const artifact = compile(checked.value).value as Artifact;
    const logic = toJsonLogic(lower(checked.value).value, [], 'deny');
    const engine = createEngine(artifact);
    for (const tags of [[], ['public'], ['private'], ['public', 'private']]) {
      const query = { user: { id: 'u', role: 'patron' }, record: { holder: 'o', tags } };
      const data = {
        user: { id: 'u', role: 'patron', age: 30, friends: [], minor: false, cleared: false },
        record: { holder: 'o', tags },
      };
      expect(jsonLogic.apply(logic.decision as never, data)).toBe(engine.decide(query).decision);
    }
  });

  it('compiles a conjunction of 8,000 atoms without running out of stack', () => {
    const lines = ['policy p "P"', 'entity e'];
    for (let i = 0; i < 8000; i++) lines.push(`  b${i}: boolean = false`);
    lines.push(
      'authority law "Law"',
      ...rule('permit', 'all', Array.from({ length: 8000 }, (_, i) => `e.b${i}`).join(' and ')),
    );
    const artifact = build(...lines);
    expect(artifact.graph.nodes).toHaveLength(8000);
  });

  it('builds example queries whose keys are only keys, even `__proto__`', async () => {
    const { examplesOf } = await import('../src/index.js');
    const checked = checkPolicy(
      'main.policy',
      memoryHost({
        'main.policy': [
          ...HEADER,
          'example "odd"',
          '  given user { id: "u", role: patron } __proto__ { polluted: true }',
          '  expect deny',
        ].join('\n'),
      }),
    );
    const [example] = examplesOf(checked.value);
    expect(Object.keys(example?.query ?? {})).toEqual(['user', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
