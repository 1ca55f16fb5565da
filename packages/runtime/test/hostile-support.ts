/**
 * What the hostile-input tests share: how many runs a property gets, an identifier defined without the runtime's
 * code, a fixed sample of valid Wethersfield queries, and a bare artifact written by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { random as seeded } from '../../bench/src/queries.js';
import { ARTIFACT_FORMAT, type Artifact, MAX_STRING_LENGTH } from '../src/index.js';
import { repoRoot, wethersfield } from './wethersfield.js';

/**
 * Runs per property: `TENET_FUZZ_RUNS` when it is a positive whole number (100000 for the long soak), else
 * `fallback`, the size that keeps a file to a few seconds in CI. Exhaustive tests do not take it: they always try
 * everything.
 */
export function fuzzRuns(fallback: number): number {
  const runs = Number(process.env.TENET_FUZZ_RUNS);
  return Number.isSafeInteger(runs) && runs > 0 ? runs : fallback;
}

/** A timeout that gives a large `TENET_FUZZ_RUNS` the time it needs: `perRun` milliseconds a run, at least 60 s. */
export function timeoutFor(runs: number, perRun: number): number {
  return Math.max(60_000, Math.ceil(runs * perRun));
}

/** Private-use code points: U+E000–U+F8FF and planes 15 and 16 (Unicode's three private-use areas). */
const isPrivateUse = (c: number) =>
  (c >= 0xe000 && c <= 0xf8ff) || (c >= 0xf0000 && c <= 0xffffd) || (c >= 0x100000 && c <= 0x10fffd);
/** Unicode's White_Space property, listed (PropList.txt): it has not changed since Unicode 6.3. */
const WHITE_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);
/** Control characters (general category Cc): C0, DEL and C1. */
const isControl = (c: number) => c <= 0x1f || (c >= 0x7f && c <= 0x9f);
const FORMAT = /^\p{Cf}$/u;

/**
 * Whether `value` is an identifier, written from the definition in `isIdentifier`'s documentation rather than
 * from its code: code point by code point, with surrogates paired by hand and the character classes listed.
 */
export function referenceIsIdentifier(value: unknown): boolean {
  if (typeof value !== 'string' || value.length < 1 || value.length > MAX_STRING_LENGTH) return false;
  if (value.normalize('NFC') !== value) return false;
  for (let i = 0; i < value.length; i++) {
    let c = value.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = value.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return false;
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i++;
    }
    if (WHITE_SPACE.has(c) || isControl(c) || isPrivateUse(c) || c === 0xfffd) return false;
    if (FORMAT.test(String.fromCodePoint(c))) return false;
  }
  return true;
}

/** A query as it comes from JSON: entities of attributes. */
export type Query = Record<string, Record<string, unknown>>;

/** The sample queries in `policies/wethersfield/queries`, by file name. */
export function queryFiles(): { name: string; text: string; query: Query }[] {
  const folder = path.join(repoRoot, 'policies', 'wethersfield', 'queries');
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => {
      const text = readFileSync(path.join(folder, name), 'utf8');
      return { name, text, query: JSON.parse(text) as Query };
    });
}

/** The values of the Wethersfield enumeration `entity.attribute`, as its vocabulary declares them. */
function valuesOf(entity: string, attribute: string): string[] {
  const type = wethersfield()
    .artifact.vocabulary.find((e) => e.name === entity)
    ?.attributes.find((a) => a.name === attribute)?.type;
  if (type?.kind !== 'enum') throw new Error(`\`${entity}.${attribute}\` is no enumeration`);
  return [...type.values];
}

const ROLES = valuesOf('requester', 'role');
const PURPOSES = valuesOf('request', 'purpose');
const PROCESSES = valuesOf('request', 'legalProcess');
const BOOLEANS = {
  record: ['subjectIsMinor', 'subjectIsStaff', 'staffCardPrivileged'],
  request: ['properForm', 'goodCauseShown', 'competentJurisdiction', 'writtenConsent'],
};

/**
 * `count` valid Wethersfield queries, the same on every run: roles, purposes and processes of every kind, the
 * requester often the borrower or the borrower's guardian, and optional attributes (and whole entities) now and
 * then left to their defaults.
 */
export function wethersfieldSample(count: number, seed = 8785): Query[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const ids = ['p-1', 'p-2', 'p-2002', 'Müller'];
  return Array.from({ length: count }, () => {
    const requester: Record<string, unknown> = { id: pick(ids), role: pick(ROLES) };
    if (random() < 0.6) requester.guardianOf = ids.filter(() => random() < 0.4);
    const record: Record<string, unknown> = { subjectId: pick(ids) };
    for (const name of BOOLEANS.record) if (random() < 0.5) record[name] = random() < 0.5;
    const query: Query = { requester, record };
    if (random() < 0.8) {
      const request: Record<string, unknown> = {};
      if (random() < 0.8) request.purpose = pick(PURPOSES);
      if (random() < 0.6) request.legalProcess = pick(PROCESSES);
      for (const name of BOOLEANS.request) if (random() < 0.6) request[name] = random() < 0.6;
      query.request = request;
    }
    return query;
  });
}

/**
 * A policy written by hand whose optional fields are left out where the Wethersfield artifact has them (an
 * attribute without a description or label, a rule without `says` unless given, an authority without a quoted
 * text unless given): what an explanation says of them must not come from a polluted prototype. One rule permits
 * when `u.flag` holds; its hash is not checked by `createEngine`.
 */
export function bareArtifact(texts: { says?: string; law?: string } = {}): Artifact {
  return {
    format: ARTIFACT_FORMAT,
    hash: '0'.repeat(64),
    policy: { id: 'bare', title: 'Bare', history: [], defaultEffect: 'deny', defaultCitations: ['law'] },
    vocabulary: [
      {
        name: 'u',
        attributes: [
          { name: 'id', type: { kind: 'identifier' } },
          { name: 'flag', type: { kind: 'boolean' }, default: false },
        ],
      },
    ],
    atoms: [{ kind: 'true', attribute: 'u.flag' }],
    graph: {
      root: 0,
      nodes: [[0, -2, -1]],
      found: [
        { rules: [0], obligations: [] },
        { rules: [], obligations: [] },
      ],
    },
    rules: [
      { id: 'flagged', effect: 'permit', ...(texts.says ? { says: texts.says } : {}), citations: ['law'] },
    ],
    obligations: [],
    citations: [{ id: 'law', kind: 'authority', label: 'A law', ...(texts.law ? { text: texts.law } : {}) }],
  };
}
