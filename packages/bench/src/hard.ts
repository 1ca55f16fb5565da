/**
 * Policies whose rules test booleans in unrelated combinations: the shapes that no single decision graph holds
 * (issue 12's table). Each is reproducible from a seed, and comes with random queries over its vocabulary.
 */
import { random } from './queries.js';

/** The shapes, by name. */
export const HARD_SHAPES = {
  /** 250 rules; 80% pin the role, 70% the purpose; 1-3 boolean literals, 30% with an `or`. */
  mixed: {
    rules: 250,
    booleans: 26,
    enumerations: true,
    pinRole: 0.8,
    pinPurpose: 0.7,
    literals: [1, 3],
    or: 0.3,
  },
  /** 1,000 rules, every one pinning role and purpose. */
  pinned: {
    rules: 1000,
    booleans: 26,
    enumerations: true,
    pinRole: 1,
    pinPurpose: 1,
    literals: [1, 3],
    or: 0.3,
  },
  /** 200 rules of 3 literals over 30 booleans, no enumeration. */
  booleans: {
    rules: 200,
    booleans: 30,
    enumerations: false,
    pinRole: 0,
    pinPurpose: 0,
    literals: [3, 3],
    or: 0,
  },
  /** 20 rules `x_i and y_i`, the xs declared before the ys. */
  pairs: { rules: 20, booleans: 40, enumerations: false, pinRole: 0, pinPurpose: 0, literals: [2, 2], or: 0 },
} as const;

/** The name of a shape. */
export type HardShape = keyof typeof HARD_SHAPES;

const ROLES = ['patron', 'staff', 'director', 'police', 'attorney', 'parent', 'agency', 'vendor'];
const PURPOSES = ['circulation', 'investigation', 'research', 'audit', 'billing', 'outreach'];
const FORMATS = ['print', 'digital', 'audio', 'video', 'archive'];
const BRANCHES = ['main', 'north', 'south', 'mobile'];

const flagsOf = (shape: HardShape) =>
  shape === 'pairs'
    ? [...Array.from({ length: 20 }, (_, i) => `x${i}`), ...Array.from({ length: 20 }, (_, i) => `y${i}`)]
    : Array.from({ length: HARD_SHAPES[shape].booleans }, (_, i) => `b${i}`);

/** The policy of a shape, as the text of one `.policy` file. */
export function hardPolicy(shape: HardShape, seed: number): string {
  const spec = HARD_SHAPES[shape];
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const flags = flagsOf(shape);
  const out = [
    `policy hard-${shape} "A policy of the ${shape} shape"`,
    '  default deny because act',
    '',
    'authority act "Records Act § 1"',
    '  quote "Records are confidential except as this act provides."',
    '',
    'entity requester "Who asks."',
    '  id: identifier "Who is asking."',
    `  role: one of ${ROLES.join(', ')} = patron "In what capacity."`,
    `  branch: one of ${BRANCHES.join(', ')} = main "Where."`,
    'entity request "What is asked."',
    `  purpose: one of ${PURPOSES.join(', ')} = circulation "Why."`,
    `  format: one of ${FORMATS.join(', ')} = print "Of what."`,
    ...flags.map((f) => `  ${f}: boolean = false "Circumstance ${f}."`),
    '',
  ];
  for (let r = 0; r < spec.rules; r++) {
    const parts: string[] = [];
    if (spec.enumerations) {
      if (next() < spec.pinRole) parts.push(`requester.role is ${pick(ROLES)}`);
      if (next() < spec.pinPurpose) parts.push(`request.purpose is ${pick(PURPOSES)}`);
    }
    const literal = (flag: string) => `${next() < 0.3 ? 'not ' : ''}request.${flag}`;
    if (shape === 'pairs') parts.push(`request.x${r}`, `request.y${r}`);
    else {
      const [low, high] = spec.literals;
      const count = low + Math.floor(next() * (high - low + 1));
      const literals = Array.from({ length: count }, () => literal(pick(flags)));
      if (literals.length > 1 && next() < spec.or) {
        const [first, ...rest] = literals;
        parts.push(`(${first} or ${rest.join(' and ')})`);
      } else parts.push(...literals);
    }
    const forbid = next() < 0.2;
    out.push(
      `${forbid ? 'forbid' : 'permit'} rule-${r}`,
      `  when ${parts.join(' and ')}`,
      '  because act',
      `  says "Rule ${r} ${forbid ? 'forbids' : 'permits'} this."`,
      '',
    );
  }
  return out.join('\n');
}

/** `count` random queries over the vocabulary of a shape, optional attributes sometimes left out. */
export function hardQueries(
  shape: HardShape,
  count: number,
  seed: number,
): Record<string, Record<string, unknown>>[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const flags = flagsOf(shape);
  return Array.from({ length: count }, () => {
    const request: Record<string, unknown> = {};
    if (next() < 0.9) request.purpose = pick(PURPOSES);
    if (next() < 0.5) request.format = pick(FORMATS);
    for (const f of flags) if (next() < 0.7) request[f] = next() < 0.5;
    return {
      requester: { id: 'u1', role: pick(ROLES), ...(next() < 0.5 ? { branch: pick(BRANCHES) } : {}) },
      request,
    };
  });
}
