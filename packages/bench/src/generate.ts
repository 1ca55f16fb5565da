/**
 * Generated policies for the scaling benchmark: a records policy of any number of rules with the shape of a real
 * one (many roles, departments, purposes and collections; sections quoting their text; shared named conditions;
 * one rule in five a forbid; obligations and assertions), reproducible from a seed.
 */
import { random } from './queries.js';

/** The shape of a generated policy: how many of each thing it declares. */
export interface Shape {
  rules: number;
  roles: number;
  departments: number;
  purposes: number;
  collections: number;
  sections: number;
  obligations: number;
}

/** The shape of a policy of `rules` rules: its vocabulary grows with the square root of its rules. */
export function shapeOf(rules: number): Shape {
  const root = Math.sqrt(rules);
  return {
    rules,
    roles: Math.max(4, Math.round(root * 1.5)),
    departments: Math.max(3, Math.round(root / 4)),
    purposes: Math.max(3, Math.round(root / 2)),
    collections: Math.max(3, Math.round(root)),
    sections: Math.max(1, Math.ceil(rules / 40)),
    obligations: Math.max(2, Math.round(rules / 400)),
  };
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** A generated policy, as the text of one `.policy` file. */
export function generatePolicy(rules: number, seed: number): string {
  const shape = shapeOf(rules);
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const some = <T>(items: readonly T[], n: number): T[] => [
    ...new Set(Array.from({ length: n }, () => pick(items))),
  ];
  const chance = (p: number) => next() < p;
  const roles = names('r', shape.roles);
  const departments = names('d', shape.departments);
  const purposes = names('p', shape.purposes);
  const collections = names('c', shape.collections);
  const list = (items: readonly string[]) =>
    items.length === 1 ? `is ${items[0]}` : `in [${items.join(', ')}]`;

  const out: string[] = [
    `policy generated-${rules} "A generated records policy of ${rules} rules"`,
    '  owner "The scaling benchmark"',
    '  version 2026-11-28',
    '  default deny because law-0',
    '',
    'entity requester "Who asks."',
    '  id: identifier "Who is asking."',
    `  role: one of ${roles.join(', ')} "In what capacity."`,
    `  department: one of ${departments.join(', ')} = d0 "Where the requester works."`,
    '  clearance: integer = 0 "The requester\'s clearance, 0 to 5."',
    '  trained: boolean = false "The requester has had records training."',
    '  delegates: set of identifier = [] "Whose records the requester may act for."',
    '',
    'entity record "The record asked about."',
    '  holder: identifier "Whose record it is."',
    `  collection: one of ${collections.join(', ')} "Which collection holds it."`,
    '  sensitivity: integer = 0 "How sensitive, 0 to 5."',
    '  restricted: boolean = false "Under a restriction."',
    '',
    'entity request "What the record is wanted for."',
    `  purpose: one of ${purposes.join(', ')} = p0 "Why."`,
    '  emergency: boolean = false "An emergency is declared."',
    '',
  ];
  const laws = names('law-', 4);
  for (const law of laws) {
    out.push(
      `authority ${law} "Records Act § ${law.slice(4)}"`,
      '  quote """',
      `    Records are confidential except as section ${law.slice(4)} of this act provides.`,
      '    """',
      '',
    );
  }

  // Shared named conditions, each used by many rules.
  const conditions: { id: string; text: string }[] = [
    { id: 'own-record', text: 'requester.id is record.holder' },
    { id: 'acting-for-holder', text: 'record.holder in requester.delegates' },
    { id: 'emergency-access', text: 'request.emergency and not record.restricted' },
  ];
  for (let k = 1; k <= 5; k++) conditions.push({ id: `cleared-${k}`, text: `requester.clearance >= ${k}` });
  for (let k = 1; k <= 5; k++) conditions.push({ id: `sensitive-${k}`, text: `record.sensitivity >= ${k}` });
  const groups = Math.max(2, Math.round(shape.roles / 10));
  for (let k = 0; k < groups; k++) {
    conditions.push({ id: `group-${k}`, text: `requester.role ${list(some(roles, 6).sort(byNumber))}` });
  }
  for (let k = 0; k < 3; k++) {
    conditions.push({
      id: `trusted-${k}`,
      text: `cleared-${k + 2} and requester.trained and not sensitive-${k + 3}`,
    });
  }
  for (const c of conditions) out.push(`condition ${c.id} "Condition ${c.id}."`, `  when ${c.text}`, '');

  // Taken in turn, so every condition is used once a policy has enough rules.
  const guards = conditions.map((c) => c.id);
  let guard = 0;
  const forbidden: string[] = [];
  let rule = 0;
  for (let s = 0; s < shape.sections; s++) {
    out.push(
      `section s${s} "Section ${s}"`,
      '  quote """',
      `    Section ${s}. The records of these collections are released only as this section says.`,
      '    """',
      '',
    );
    const inSection = Math.min(Math.ceil(shape.rules / shape.sections), shape.rules - rule);
    for (let r = 0; r < inSection; r++, rule++) {
      const forbid = chance(0.2);
      const parts: string[] = [];
      if (chance(0.75))
        parts.push(`requester.role ${list(some(roles, 1 + Math.floor(next() * 3)).sort(byNumber))}`);
      else parts.push(`group-${Math.floor(next() * groups)}`);
      if (chance(0.97))
        parts.push(`request.purpose ${list(some(purposes, chance(0.7) ? 1 : 2).sort(byNumber))}`);
      if (chance(0.5))
        parts.push(`record.collection ${list(some(collections, 1 + Math.floor(next() * 4)).sort(byNumber))}`);
      if (chance(0.15)) parts.push(`requester.department ${list(some(departments, 2).sort(byNumber))}`);
      if (chance(0.45))
        parts.push(`${chance(forbid ? 0.7 : 0.2) ? 'not ' : ''}${guards[guard++ % guards.length]}`);
      if (forbid && chance(0.4)) parts.push('record.restricted');
      const when = parts.join('\n      and ');
      if (forbid && forbidden.length < 5) forbidden.push(when);
      out.push(
        `  ${forbid ? 'forbid' : 'permit'} rule-${rule}`,
        `    when ${when}`,
        `    because law-0, ${pick(laws.slice(1))}, s${s}`,
        `    says "Rule ${rule} ${forbid ? 'forbids' : 'permits'} this."`,
        '',
      );
    }
  }

  out.push('section duties "Duties"', '  quote """', '    Some requests must be reported.', '    """', '');
  for (let o = 0; o < shape.obligations; o++) {
    const when = `request.purpose is ${pick(purposes)}\n      and sensitive-${1 + (o % 5)}`;
    out.push(
      `  obligation notify-${o} "Notify officer ${o}"`,
      `    says "Tell records officer ${o}."`,
      '    because duties',
      '',
      `  require notify-${o}`,
      `    when ${when}`,
      '    because duties',
      '',
      `  assert notify-${o}-always "Officer ${o} hears of every such request."`,
      `    always require notify-${o} when ${when}`,
      '    because duties',
      '',
    );
  }
  forbidden.forEach((when, k) => {
    out.push(
      `  assert forbidden-${k} "What rule forbids is never permitted."`,
      `    never permit when ${when}`,
      '    because duties',
      '',
    );
  });
  out.push(
    '  assert cites-the-law "Every decision cites the act."',
    '    always cite law-0',
    '    because duties',
    '',
  );
  return out.join('\n');
}

function byNumber(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

/** `count` random queries over the vocabulary of a generated policy of `rules` rules, optional attributes sometimes left out. */
export function generatedQueries(
  rules: number,
  count: number,
  seed: number,
): Record<string, Record<string, unknown>>[] {
  const shape = shapeOf(rules);
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const people = ['u1', 'u2', 'u3', 'u4'];
  const sometimes = <T>(value: T): T | undefined => (next() < 0.7 ? value : undefined);
  const defined = (entries: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
  return Array.from({ length: count }, () => ({
    requester: defined({
      id: pick(people),
      role: pick(names('r', shape.roles)),
      department: sometimes(pick(names('d', shape.departments))),
      clearance: sometimes(Math.floor(next() * 6)),
      trained: sometimes(next() < 0.5),
      delegates: sometimes(people.filter(() => next() < 0.3)),
    }),
    record: defined({
      holder: pick(people),
      collection: pick(names('c', shape.collections)),
      sensitivity: sometimes(Math.floor(next() * 6)),
      restricted: sometimes(next() < 0.3),
    }),
    request: defined({
      purpose: sometimes(pick(names('p', shape.purposes))),
      emergency: sometimes(next() < 0.2),
    }),
  }));
}
