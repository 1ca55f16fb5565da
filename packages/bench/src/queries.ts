import { PROCESS_VALUES, PURPOSE_VALUES, ROLE_VALUES, type WethersfieldQuery } from './wethersfield.js';

/** A small, fast, seeded generator (mulberry32): the same seed gives the same queries on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const people = ['p-1', 'p-2', 'p-3'];

/** `count` random Wethersfield queries from `seed`, optional attributes sometimes left to their defaults. */
export function randomQueries(count: number, seed: number): WethersfieldQuery[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const flag = () => next() < 0.5;
  const maybe = <T>(value: T): T | undefined => (next() < 0.8 ? value : undefined);
  return Array.from({ length: count }, () => {
    const request: NonNullable<WethersfieldQuery['request']> = {};
    const assign = <K extends keyof typeof request>(key: K, value: (typeof request)[K] | undefined) => {
      if (value !== undefined) request[key] = value;
    };
    assign('purpose', maybe(pick(PURPOSE_VALUES)));
    assign('legalProcess', maybe(pick(PROCESS_VALUES)));
    assign('properForm', maybe(flag()));
    assign('goodCauseShown', maybe(flag()));
    assign('competentJurisdiction', maybe(flag()));
    assign('writtenConsent', maybe(flag()));
    return {
      requester: { id: pick(people), role: pick(ROLE_VALUES), guardianOf: people.filter(() => next() < 0.3) },
      record: {
        subjectId: pick(people),
        subjectIsMinor: flag(),
        subjectIsStaff: flag(),
        staffCardPrivileged: flag(),
      },
      request,
    };
  });
}
