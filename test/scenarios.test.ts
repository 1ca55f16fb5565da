/**
 * End-to-end scenarios for the Wethersfield Library policy, run through the built `tenet` CLI.
 *
 * Each line of `test/scenarios/wethersfield.jsonl` is a situation taken from the seed's own text (the sentence it
 * tests is quoted), with the decision and the exact obligations the policy's rules, `require` clauses and
 * interpretations call for. The expectations were derived by reading the seed and the policy, not by running the
 * engine. All queries are decided in one batch (`tenet decide … --query <file.jsonl>`), then checked one by one.
 *
 * Build first: `npx tsc -b packages/cli`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const main = path.join(repoRoot, 'packages/cli/dist/main.js');
const policy = path.join(repoRoot, 'policies/wethersfield/confidentiality.policy');
const scenarioFile = path.join(repoRoot, 'test/scenarios/wethersfield.jsonl');
const STATUTE = 'cgs-11-25b';
const OBLIGATIONS = ['consult_counsel', 'demand_cure', 'do_not_obstruct', 'notify_director'];
const ROLES = [
  'patron',
  'family_member',
  'parent_or_guardian',
  'law_enforcement',
  'government_agency',
  'reporter',
  'attorney',
  'staff',
  'collection_services_manager',
  'library_director',
  'other',
];

type Effect = 'permit' | 'deny';

interface Scenario {
  name: string;
  seed: string;
  query: Record<string, unknown>;
  decision: Effect;
  obligations: string[];
  rules?: string[];
}

interface Decision {
  decision: string;
  reasons: { rule: string; effect: string }[];
  obligations: { id: string }[];
  citations: { id: string }[];
  errors: unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function toScenario(value: unknown, line: number): Scenario {
  if (
    !isRecord(value) ||
    typeof value.name !== 'string' ||
    typeof value.seed !== 'string' ||
    !isRecord(value.query) ||
    (value.decision !== 'permit' && value.decision !== 'deny') ||
    !isStringArray(value.obligations) ||
    (value.rules !== undefined && !isStringArray(value.rules))
  ) {
    throw new Error(`${scenarioFile}:${line}: not a scenario`);
  }
  const scenario: Scenario = {
    name: value.name,
    seed: value.seed,
    query: value.query,
    decision: value.decision,
    obligations: value.obligations,
  };
  if (isStringArray(value.rules)) scenario.rules = value.rules;
  return scenario;
}

function toDecision(value: unknown): Decision {
  const shaped =
    isRecord(value) &&
    typeof value.decision === 'string' &&
    Array.isArray(value.reasons) &&
    value.reasons.every((r) => isRecord(r) && typeof r.rule === 'string' && typeof r.effect === 'string') &&
    Array.isArray(value.obligations) &&
    value.obligations.every((o) => isRecord(o) && typeof o.id === 'string') &&
    Array.isArray(value.citations) &&
    value.citations.every((c) => isRecord(c) && typeof c.id === 'string') &&
    Array.isArray(value.errors);
  if (!shaped) throw new Error(`not a decision: ${JSON.stringify(value)}`);
  return value as unknown as Decision;
}

const scenarios: Scenario[] = readFileSync(scenarioFile, 'utf8')
  .split('\n')
  .map((text, index) => ({ text, line: index + 1 }))
  .filter(({ text }) => text.trim() !== '')
  .map(({ text, line }) => toScenario(JSON.parse(text), line));

/** Collapses runs of whitespace, so a sentence matches the policy's wrapped quotes of the seed. */
function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

let workDir = '';

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeQuery(name: string, text: string): string {
  const file = path.join(workDir, name);
  writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'tenet-scenarios-'));
});

afterAll(() => {
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
});

describe('the Wethersfield scenarios file', () => {
  it('holds at least 36 scenarios, each with a name of its own', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(36);
    expect(new Set(scenarios.map((s) => s.name)).size).toBe(scenarios.length);
  });

  it('quotes, in every scenario, a sentence of the seed that the policy quotes too', () => {
    const quoted = squeeze(readFileSync(policy, 'utf8'));
    const missing = scenarios.filter((s) => !quoted.includes(squeeze(s.seed))).map((s) => s.name);
    expect(missing).toEqual([]);
  });

  it('names only the obligations the policy defines', () => {
    const named = new Set(scenarios.flatMap((s) => s.obligations));
    for (const id of named) expect(OBLIGATIONS).toContain(id);
  });
});

describe('the Wethersfield policy decides each scenario as the seed says', () => {
  let decisions: Decision[] = [];
  let batchStatus: number | null = null;

  beforeAll(() => {
    const queries = writeQuery(
      'scenarios.jsonl',
      scenarios.map((s) => `${JSON.stringify(s.query)}\n`).join(''),
    );
    const result = run(['decide', policy, '--query', queries]);
    batchStatus = result.status;
    decisions = result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => toDecision(JSON.parse(line)));
  });

  it('answers the whole batch, one decision a line in order, with exit status 0', () => {
    expect(batchStatus).toBe(0);
    expect(decisions).toHaveLength(scenarios.length);
  });

  scenarios.forEach((scenario, index) => {
    it(scenario.name, () => {
      const decision = decisions[index];
      expect(decision, 'no decision for this scenario').toBeDefined();
      if (decision === undefined) return;
      expect(decision.errors).toEqual([]);
      expect(decision.decision).toBe(scenario.decision);
      expect(decision.obligations.map((o) => o.id).sort()).toEqual([...scenario.obligations].sort());
      if (scenario.rules !== undefined) {
        expect(decision.reasons.map((r) => r.rule).sort()).toEqual([...scenario.rules].sort());
      }
      expect(decision.citations.map((c) => c.id)).toContain(STATUTE);
      if (decision.decision === 'permit') {
        expect(decision.reasons.some((r) => r.effect === 'permit')).toBe(true);
      }
    });
  });
});

describe('tenet explain --format text', () => {
  function explain(name: string, query: object): string[] {
    const file = writeQuery(name, JSON.stringify(query));
    const result = run(['explain', policy, '--query', file, '--format', 'text']);
    expect(result.status).toBe(0);
    return result.stdout.split('\n');
  }

  it('tells a reporter no, with the rule and the statute', () => {
    const lines = explain('reporter.json', {
      requester: { id: 'r-1', role: 'reporter' },
      record: { subjectId: 'p-mayor' },
    });
    expect(lines[0]).toBe(
      "Denied. No one but the borrower, or the parent or guardian of a minor borrower, may see a borrower's " +
        'record: not family, police, reporters, agencies, lawyers, or staff asking for themselves ' +
        '(Conn. Gen. Stat. § 11-25(b); Policy, Confidentiality of Records).',
    );
  });

  it('tells the parent on record of a minor yes, with the rule and the reading it rests on', () => {
    const lines = explain('parent.json', {
      requester: { id: 'p-1', role: 'parent_or_guardian', guardianOf: ['p-2'] },
      record: { subjectId: 'p-2', subjectIsMinor: true },
    });
    expect(lines[0]).toBe(
      'Permitted. A parent or legal guardian may see the record of their child or ward under 18 ' +
        '(Policy, Confidentiality of Records; Interpretation, Parents of minors and the statute in force).',
    );
  });

  it('tells the police a subpoena releases nothing, and refers them to the Director rather than list boxes to tick', () => {
    const lines = explain('subpoena.json', {
      requester: { id: 'le-1', role: 'law_enforcement' },
      record: { subjectId: 'p-3' },
      request: { legalProcess: 'subpoena', properForm: true },
    });
    expect(lines[0]).toBe(
      'Denied. A subpoena or other process that is not a court order releases nothing: give it to the Director, ' +
        'who takes it up with counsel (Conn. Gen. Stat. § 11-25(b); Policy, Requests for Library Records; ' +
        'Interpretation, What a proper show of good cause in a competent court requires).',
    );
    const advice = lines.findIndex((line) => line.startsWith('Would have been permitted'));
    expect(lines.slice(advice, advice + 2)).toEqual([
      'Would have been permitted if the legal process served were a court order or a search warrant, and counsel confirmed it.',
      'Refer the requester to the Library Director, who takes it up with counsel; desk staff release nothing themselves.',
    ]);
  });
});

describe('an invalid query', () => {
  it('is refused with exit status 2 and a message naming the field and the allowed values, not the value', () => {
    const file = writeQuery(
      'king.json',
      JSON.stringify({ requester: { id: 'k-1', role: 'king' }, record: { subjectId: 'p-1' } }),
    );
    const result = run(['decide', policy, '--query', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('requester.role');
    // The value is described, not quoted: what a caller sent may be personal data.
    expect(result.stderr).not.toContain('king');
    expect(result.stderr).toContain('not a string of 4 characters');
    for (const role of ROLES) expect(result.stderr).toContain(role);
    expect(toDecision(JSON.parse(result.stdout)).decision).toBe('deny');
  });

  // Without the hostile key each of these would be the borrower asking for her own record: a permit.
  const hostile = [
    {
      title: 'a __proto__ key at the top level',
      key: '__proto__',
      text: '{"__proto__":{"x":1},"requester":{"id":"p-1","role":"patron"},"record":{"subjectId":"p-1"}}',
    },
    {
      title: 'a __proto__ key in the requester',
      key: '__proto__',
      text: '{"requester":{"id":"p-1","role":"patron","__proto__":{"role":"library_director"}},"record":{"subjectId":"p-1"}}',
    },
    {
      title: 'a constructor key in the record',
      key: 'constructor',
      text: '{"requester":{"id":"p-1","role":"patron"},"record":{"subjectId":"p-1","constructor":{"prototype":{}}}}',
    },
    {
      title: 'a constructor key in the request',
      key: 'constructor',
      text: '{"requester":{"id":"p-1","role":"patron"},"record":{"subjectId":"p-1"},"request":{"constructor":"x"}}',
    },
  ];

  hostile.forEach(({ title, key, text }, index) => {
    it(`with ${title} is refused as an unknown field, with a deny`, () => {
      const file = writeQuery(`hostile-${index}.json`, text);
      const result = run(['decide', policy, '--query', file]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/unknown field/i);
      expect(result.stderr).toContain(key);
      const decision = toDecision(JSON.parse(result.stdout));
      expect(decision.decision).toBe('deny');
      expect(decision.errors.length).toBeGreaterThan(0);
    });
  });

  it('in a batch is answered in its place by a deny with its errors, and the batch exits with status 2', () => {
    const own = { requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } };
    const file = writeQuery(
      'mixed.jsonl',
      [
        JSON.stringify(own),
        '{"requester":{"id":"p-1","role":"patron","__proto__":{"x":1}},"record":{"subjectId":"p-1"}}',
        JSON.stringify(own),
        '',
      ].join('\n'),
    );
    const result = run(['decide', policy, '--query', file]);
    expect(result.status).toBe(2);
    const decisions = result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => toDecision(JSON.parse(line)));
    expect(decisions.map((d) => d.decision)).toEqual(['permit', 'deny', 'permit']);
    expect(decisions.map((d) => d.errors.length > 0)).toEqual([false, true, false]);
  });
});
