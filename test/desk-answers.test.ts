/**
 * The answers a clerk reads, read as the clerk would: twenty desk situations in words only (no attribute path, no
 * rule id, no enumeration value), the five of docs/desk-answers.md exactly as the page shows them, and the
 * departures the page lists exactly as the analyzer proves them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, solverAttributes } from '../packages/compiler/src/index.js';
import { createEngine, explain } from '../packages/runtime/src/index.js';
import { DESK_SITUATIONS } from './desk-situations.js';
import { compiled, repositoryRoot } from './helpers/wethersfield.js';

const { checked, artifact } = compiled('policies/wethersfield/confidentiality.policy');
const engine = createEngine(artifact);
const answer = (query: unknown) => explain(engine.decide(query), engine.counterfactuals(query));
const page = readFileSync(path.join(repositoryRoot, 'docs/desk-answers.md'), 'utf8');

/** Every name a program uses and a clerk should never read: paths, rule and obligation ids, enumeration values. */
const programWords = [
  ...artifact.vocabulary.flatMap((e) => e.attributes.map((a) => `${e.name}.${a.name}`)),
  ...artifact.rules.map((r) => r.id),
  ...artifact.obligations.map((o) => o.id),
  ...artifact.vocabulary.flatMap((e) =>
    e.attributes.flatMap((a) => (a.type.kind === 'enum' ? a.type.values.filter((v) => v.includes('_')) : [])),
  ),
];

describe('an answer at the desk', () => {
  it.each(DESK_SITUATIONS.map((s) => [s.name, s.query] as const))('%s: is in words only', (_, query) => {
    const text = answer(query);
    const found = programWords.filter((word) => new RegExp(`(^|[^\\w-])${word}($|[^\\w-])`).test(text));
    expect(found).toEqual([]);
    // Every answer quotes the law in force, and the 1981 text only as replaced.
    expect(text).toContain(
      'The law in force:\n  Conn. Gen. Stat. § 11-25(b) (P.A. 07-227, in force since 2007-07-01)',
    );
    if (text.includes('P.A. 81-431')) expect(text).toContain('Quoted by the policy, but replaced since:');
  });

  it('never carries a demand to cure a defect beside a permit', () => {
    for (const { query } of DESK_SITUATIONS) {
      const decision = engine.decide(query);
      if (decision.decision === 'permit')
        expect(decision.obligations.map((o) => o.id)).not.toContain('demand_cure');
    }
  });
});

describe('docs/desk-answers.md', () => {
  const examples = [...page.matchAll(/```json\n(.*)\n```\n\n```text\n([\s\S]*?)```/g)].map((m) => ({
    query: JSON.parse(m[1] as string) as unknown,
    text: m[2] as string,
  }));

  it('shows five situations, each one of the twenty', () => {
    expect(examples).toHaveLength(5);
    const known = DESK_SITUATIONS.map((s) => JSON.stringify(s.query));
    for (const e of examples) expect(known).toContain(JSON.stringify(e.query));
  });

  it.each(examples.map((e, i) => [i + 1, e] as const))(
    'shows situation %i exactly as it is answered',
    (_, e) => {
      expect(answer(e.query)).toBe(e.text);
    },
  );

  it('lists the departures the analyzer proves, and says every looser one is acknowledged', () => {
    const analysis = analyze(checked, solverAttributes(artifact.vocabulary));
    const rows = [...page.matchAll(/^\| (looser|stricter) \| `([\w-]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(analysis.departures?.departures.map((d) => `${d.kind} ${d.interpretation?.id}`)).toEqual(rows);
    expect(analysis.departures?.proved).toBe(true);
  });
});
