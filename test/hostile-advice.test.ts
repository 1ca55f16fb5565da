/**
 * The format `tenet-artifact/4`, attacked where it is new: attribute labels, value labels and advice, the policy's
 * referral, interpretations that cite what they read, and authorities replaced by others.
 *
 * 1. Crafted artifacts, their hash recomputed as an attacker would: each hostile value of a new field is refused by
 *    `createEngine` and `loadEngine` with an ArtifactError naming the field; what is accepted (a cycle of
 *    `supersededBy`, an empty referral) is decided, searched and explained without a throw, and correctly.
 * 2. Advice never coaches: for random valid Wethersfield queries no counterfactual changes an attribute the
 *    vocabulary marks `advice never`, the search finds exactly the smallest sets a brute force over the other
 *    circumstances finds, each change carries its labels and advice, and the explanation names no attribute path,
 *    rule, obligation or snake_case value, and never a purpose or a fact of the record in a "Would have been" line.
 * 3. No contradictory duty: no permit demands a cure; every request by someone else than the borrower, not the
 *    Director's, and not staff doing the Library's work, reaches the Director.
 * 4. Every decision on a valid query cites § 11-25(b) as in force, and its citations are exactly the closure of
 *    what its reasons and obligations cite; a refusal cites nothing.
 * 5. `explain` never throws and always ends its text with a line break, whatever it is handed; and a polluted
 *    `Object.prototype` changes none of its texts (no referral, no counsel, no "replaced" heading it does not own).
 *
 * Tests whose comment says "once a bug" reproduce a fault this file found, since fixed.
 * Property tests print fast-check's seed on failure (replay with `TENET_FUZZ_SEED`); `TENET_FUZZ_RUNS` sizes them
 * (1,000 runs each by default: the file takes about 10 s on 2 cores).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_FORMAT,
  type Artifact,
  ArtifactError,
  type AttributeSpec,
  type Citation,
  type CitationSpec,
  type CounterfactualSearch,
  createEngine,
  type Decision,
  type Engine,
  explain,
  hashedContent,
  loadEngine,
  MAX_CHANGES,
} from '../packages/runtime/src/index.js';
import {
  bareArtifact,
  fuzzRuns,
  queryFiles,
  wethersfieldSample,
} from '../packages/runtime/test/hostile-support.js';
import { compiled } from './helpers/wethersfield.js';

const artifact: Artifact = JSON.parse(
  JSON.stringify(compiled('policies/wethersfield/confidentiality.policy').artifact),
);
const engine = createEngine(artifact);
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));
/** The SHA-256 an attacker would write into a changed artifact: the runtime's own definition of the hash. */
const rehash = (changed: Artifact) =>
  createHash('sha256')
    .update(hashedContent(changed as Artifact))
    .digest('hex');
/** The Wethersfield artifact changed by `change`, its hash recomputed. */
function crafted(change: (a: Artifact) => void): Artifact {
  const changed = copy(artifact);
  change(changed);
  changed.hash = rehash(changed);
  return changed;
}

const REFERRAL = artifact.policy.referral as string;
const files = queryFiles();
const sample = [...files.map((f) => f.query), ...wethersfieldSample(60)];

// ---------------------------------------------------------------------------------------------------------------
// Where things are in the artifact
// ---------------------------------------------------------------------------------------------------------------

/** The vocabulary's attributes by path, with where they are in the artifact. */
const attributes = new Map<string, { spec: AttributeSpec; where: string; e: number; a: number }>();
artifact.vocabulary.forEach((entity, e) => {
  entity.attributes.forEach((spec, a) => {
    attributes.set(`${entity.name}.${spec.name}`, {
      spec,
      where: `vocabulary[${e}].attributes[${a}]`,
      e,
      a,
    });
  });
});
const attribute = (path: string) => {
  const found = attributes.get(path);
  if (!found) throw new Error(`the Wethersfield vocabulary has no \`${path}\``);
  return found;
};
const specIn = (a: Artifact, path: string) => {
  const { e, a: i } = attribute(path);
  return a.vocabulary[e]?.attributes[i] as AttributeSpec;
};
const citationIndex = (id: string) => {
  const i = artifact.citations.findIndex((c) => c.id === id);
  if (i < 0) throw new Error(`the Wethersfield artifact has no citation \`${id}\``);
  return i;
};
const citationIn = (a: Artifact, id: string) => a.citations[citationIndex(id)] as CitationSpec;

/** What the vocabulary forbids advice to vary: `advice never`, and the required attributes (no default). */
const NEVER_VARIED = [...attributes]
  .filter(([, { spec }]) => spec.advice === 'never' || spec.default === undefined)
  .map(([path]) => path);
const COUNSEL = [...attributes].filter(([, { spec }]) => spec.advice === 'counsel').map(([path]) => path);
const SUGGESTED = [...attributes]
  .filter(([path, { spec }]) => !NEVER_VARIED.includes(path) && spec.advice === undefined)
  .map(([path]) => path);

// ---------------------------------------------------------------------------------------------------------------
// 1. Crafted artifacts
// ---------------------------------------------------------------------------------------------------------------

const ROLE = attribute('requester.role').where;
const ID = attribute('requester.id').where;
const GUARDIAN_OF = attribute('requester.guardianOf').where;
const MINOR = attribute('record.subjectIsMinor').where;
const PURPOSE = attribute('request.purpose').where;
const READING = citationIndex('records-covered');
const SECTION = citationIndex('general');
const OLD = citationIndex('cgs-11-25b-1981');
const CURRENT = citationIndex('cgs-11-25b');
const TEXT = 'is text without control characters';
const ONE_LABEL_EACH = 'is not one label for each value of the enumeration';
const ADVICE = 'is one of never, counsel';

/** A value as a test's name shows it: JSON, with C1 controls and DEL escaped too (JSON leaves them raw). */
const show = (value: unknown) =>
  (JSON.stringify(value) ?? String(value)).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

type Case = [what: string, change: (a: Artifact) => void, problem: string];
const set =
  (path: string, key: string, value: unknown) =>
  (a: Artifact): void => {
    (specIn(a, path) as unknown as Record<string, unknown>)[key] = value;
  };
const roleLabels = () => (attribute('requester.role').spec.valueLabels as string[]).slice();

const refusedCases: Case[] = [
  // Attribute labels.
  ...[7, null, true, ['who is asking'], {}, 'who\u001b[31m is asking', 'who\u009b is asking', '\u0000'].map(
    (label): Case => [
      `label ${show(label)}`,
      set('requester.role', 'label', label),
      `\`${ROLE}.label\` ${TEXT}`,
    ],
  ),
  // Value labels: not a list, not text, not one for each value, or on no enumeration.
  [
    'valueLabels a string',
    set('requester.role', 'valueLabels', 'a patron'),
    `\`${ROLE}.valueLabels\` is a list`,
  ],
  [
    'valueLabels an object',
    set('requester.role', 'valueLabels', { 0: 'a patron' }),
    `\`${ROLE}.valueLabels\` is a list`,
  ],
  [
    'valueLabels holding a number',
    set('requester.role', 'valueLabels', [1, ...roleLabels().slice(1)]),
    `\`${ROLE}.valueLabels[0]\` ${TEXT}`,
  ],
  [
    'valueLabels holding an escape sequence',
    set(
      'requester.role',
      'valueLabels',
      roleLabels().map((l, i) => (i === 3 ? `\u001b[2J${l}` : l)),
    ),
    `\`${ROLE}.valueLabels[3]\` ${TEXT}`,
  ],
  [
    'valueLabels holding null',
    set(
      'requester.role',
      'valueLabels',
      roleLabels().map((l, i) => (i === 10 ? null : l)),
    ),
    `\`${ROLE}.valueLabels[10]\` ${TEXT}`,
  ],
  [
    'valueLabels one short',
    set('requester.role', 'valueLabels', roleLabels().slice(1)),
    `\`${ROLE}.valueLabels\` ${ONE_LABEL_EACH}`,
  ],
  [
    'valueLabels one too many',
    set('requester.role', 'valueLabels', [...roleLabels(), 'a stranger']),
    `\`${ROLE}.valueLabels\` ${ONE_LABEL_EACH}`,
  ],
  [
    'valueLabels empty',
    set('requester.role', 'valueLabels', []),
    `\`${ROLE}.valueLabels\` ${ONE_LABEL_EACH}`,
  ],
  [
    'valueLabels on a boolean',
    set('record.subjectIsMinor', 'valueLabels', ['no', 'yes']),
    `\`${MINOR}.valueLabels\` ${ONE_LABEL_EACH}`,
  ],
  [
    'valueLabels on an identifier',
    set('requester.id', 'valueLabels', []),
    `\`${ID}.valueLabels\` ${ONE_LABEL_EACH}`,
  ],
  [
    'valueLabels on a set of identifiers',
    set('requester.guardianOf', 'valueLabels', ['a ward']),
    `\`${GUARDIAN_OF}.valueLabels\` ${ONE_LABEL_EACH}`,
  ],
  // Advice: only `never` and `counsel` (the source's `advice suggest` is written as no advice at all).
  ...[
    'suggest',
    'NEVER',
    'Never',
    ' never',
    'never ',
    'counsel\u0000',
    '',
    'always',
    null,
    true,
    0,
    ['never'],
    {},
  ].map(
    (advice): Case => [
      `advice ${show(advice)}`,
      set('request.purpose', 'advice', advice),
      `\`${PURPOSE}.advice\` ${ADVICE}`,
    ],
  ),
  // The referral: text a person reads, without control characters (a carriage return included).
  ...[
    '\u001b[2JRefer the requester',
    'Refer\u0000',
    'Refer\r',
    'Refer\u007f',
    'Refer\u0085',
    'Refer\u009b31m',
    'Refer\u000b',
    42,
    null,
    false,
    ['Refer the requester'],
    { text: 'Refer' },
  ].map(
    (referral): Case => [
      `referral ${show(referral)}`,
      (a) => {
        (a.policy as unknown as Record<string, unknown>).referral = referral;
      },
      `\`policy.referral\` ${TEXT}`,
    ],
  ),
  // Interpretations cite what they read: authorities and sections of the artifact's own, never a reading.
  [
    'an interpretation citing another',
    (a) => {
      citationIn(a, 'records-covered').citations?.push('minor');
    },
    `\`citations[${READING}]\` cites another interpretation`,
  ],
  [
    'an interpretation citing itself',
    (a) => {
      citationIn(a, 'records-covered').citations?.push('records-covered');
    },
    `\`citations[${READING}]\` cites another interpretation`,
  ],
  [
    'an interpretation citing a missing id',
    (a) => {
      citationIn(a, 'records-covered').citations?.push('nowhere');
    },
    `\`citations[${READING}]\` cites \`nowhere\`, which it does not hold`,
  ],
  [
    'an interpretation whose citations are a string',
    (a) => {
      (citationIn(a, 'records-covered') as unknown as Record<string, unknown>).citations = 'general';
    },
    `\`citations[${READING}].citations\` is a list`,
  ],
  [
    'an interpretation citing a number',
    (a) => {
      (citationIn(a, 'records-covered') as unknown as Record<string, unknown>).citations = [1];
    },
    `\`citations[${READING}].citations[0]\` is a name`,
  ],
  [
    'an interpretation citing what is no name',
    (a) => {
      citationIn(a, 'records-covered').citations = ['general', 'cgs 11-25b'];
    },
    `\`citations[${READING}].citations[1]\` is a name`,
  ],
  [
    '`citations` on a section',
    (a) => {
      citationIn(a, 'general').citations = ['cgs-11-25b'];
    },
    `\`citations[${SECTION}]\` is no interpretation, but cites`,
  ],
  [
    'empty `citations` on a section',
    (a) => {
      citationIn(a, 'general').citations = [];
    },
    `\`citations[${SECTION}]\` is no interpretation, but cites`,
  ],
  [
    '`citations` on an authority',
    (a) => {
      citationIn(a, 'cgs-11-25b').citations = ['general'];
    },
    `\`citations[${CURRENT}]\` is no interpretation, but cites`,
  ],
  [
    'a kind no citation has',
    (a) => {
      (citationIn(a, 'records-covered') as unknown as Record<string, unknown>).kind = 'reading';
    },
    `\`citations[${READING}].kind\` is one of authority, section, interpretation`,
  ],
  [
    'supersededBy a number',
    (a) => {
      (citationIn(a, 'cgs-11-25b-1981') as unknown as Record<string, unknown>).supersededBy = 7;
    },
    `\`citations[${OLD}].supersededBy\` ${TEXT}`,
  ],
  [
    'supersededBy an escape sequence',
    (a) => {
      citationIn(a, 'cgs-11-25b-1981').supersededBy = '\u001b[2Jcgs-11-25b';
    },
    `\`citations[${OLD}].supersededBy\` ${TEXT}`,
  ],
];

/** What `createEngine` and `loadEngine` refuse `input` with, or undefined when both load it. */
async function refusals(input: Artifact): Promise<{ create?: unknown; load?: unknown }> {
  const result: { create?: unknown; load?: unknown } = {};
  try {
    createEngine(input);
  } catch (error) {
    result.create = error;
  }
  try {
    await loadEngine(input);
  } catch (error) {
    result.load = error;
  }
  return result;
}

/** Decides, searches, traces and explains each query: what threw, or nothing. */
function exercise(loaded: Engine, queries: readonly unknown[]): string[] {
  const problems: string[] = [];
  for (const query of queries) {
    try {
      const decision = loaded.decide(query);
      const text = explain(decision, loaded.counterfactuals(query, { maxChanges: 8, limit: 20 }));
      if (!text.endsWith('\n')) problems.push('an explanation without its line break');
      loaded.trace(query);
      loaded.read(query);
    } catch (error) {
      problems.push(`threw ${String(error).slice(0, 200)}`);
    }
  }
  return problems;
}

describe('an artifact whose new fields are hostile, its hash recomputed', () => {
  it('is the Wethersfield artifact otherwise: it loads unchanged', async () => {
    expect(await refusals(crafted(() => {}))).toEqual({});
  });

  it.each(refusedCases)('is refused for %s, naming the field', async (_, change, problem) => {
    const { create, load } = await refusals(crafted(change));
    for (const error of [create, load]) {
      expect(error).toBeInstanceOf(ArtifactError);
      expect((error as Error).message).toBe(`not an artifact this runtime can load: ${problem}`);
    }
  });

  // The check resolves `supersededBy`, which the engine follows to build a decision's citations (once a bug: any id
  // loaded).
  it.each<[string, (a: Artifact) => void, number, string]>([
    [
      'names a missing id (the decision then claims a successor it does not cite)',
      (a) => {
        citationIn(a, 'cgs-11-25b').superseded = '2030-01-01';
        citationIn(a, 'cgs-11-25b').supersededBy = 'nowhere';
      },
      CURRENT,
      'nowhere',
    ],
    [
      'names a section (`superseded … by` names an authority only)',
      (a) => {
        citationIn(a, 'cgs-11-25b').superseded = '2030-01-01';
        citationIn(a, 'cgs-11-25b').supersededBy = 'general';
      },
      CURRENT,
      'general',
    ],
    [
      'names an interpretation (citing the authority then leads through a reading to what it reads)',
      (a) => {
        citationIn(a, 'cgs-11-25b').superseded = '2030-01-01';
        citationIn(a, 'cgs-11-25b').supersededBy = 'records-covered';
      },
      CURRENT,
      'records-covered',
    ],
    [
      'is on a section (followed by the engine, shown by no citation)',
      (a) => {
        citationIn(a, 'general').supersededBy = 'cgs-1-210';
      },
      SECTION,
      'cgs-1-210',
    ],
  ])('is refused where `supersededBy` %s', async (_, change, index, id) => {
    const { create, load } = await refusals(crafted(change));
    for (const error of [create, load]) {
      expect(error, 'the artifact was loaded').toBeInstanceOf(ArtifactError);
      expect((error as Error).message).toContain(`\`citations[${index}]`);
      expect((error as Error).message).toContain(id);
    }
  });

  it('is decided, exactly and without a throw, when two authorities replace each other', () => {
    const cyclic = createEngine(
      crafted((a) => {
        citationIn(a, 'cgs-11-25b').superseded = '2030-01-01';
        citationIn(a, 'cgs-11-25b').supersededBy = 'cgs-11-25b-1981';
      }),
    );
    for (const query of sample) {
      const clean = engine.decide(query);
      const decision = cyclic.decide(query);
      expect([decision.decision, decision.reasons, decision.obligations]).toEqual([
        clean.decision,
        clean.reasons,
        clean.obligations,
      ]);
      const ids = decision.citations.map((c) => c.id);
      // Each once: the one brings the other, which brings the first, seen already.
      expect(new Set(ids).size).toBe(ids.length);
      if (ids.includes('cgs-11-25b')) expect(ids).toContain('cgs-11-25b-1981');
    }
    expect(exercise(cyclic, [...sample, {}, null])).toEqual([]);
    const borrower = { requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } };
    const decision = cyclic.decide(borrower);
    expect(decision.citations.map((c) => c.id)).toEqual(['cgs-11-25b', 'cgs-11-25b-1981', 'general']);
    const text = explain(decision, cyclic.counterfactuals(borrower));
    // Both replaced: no law in force is quoted, and each is quoted as replaced by the other.
    expect(text).not.toContain('The law in force:');
    expect(text.split('\n').filter((l) => /^ {2}\S/.test(l) && l.includes(', replaced by '))).toEqual([
      expect.stringMatching(
        /^ {2}Conn\. Gen\. Stat\. § 11-25\(b\) \(P\.A\. 07-227\), replaced by P\.A\. 81-431 on 2030-01-01: "\(1\)/,
      ),
      expect.stringMatching(
        /^ {2}Conn\. Gen\. Stat\. § 11-25\(b\) \(P\.A\. 81-431\), replaced by P\.A\. 07-227 on 2007-07-01: "Notwithstanding/,
      ),
    ]);
  });

  it('is decided, exactly and without a throw, when an authority replaces itself', () => {
    const selfish = createEngine(
      crafted((a) => {
        citationIn(a, 'cgs-1-210').supersededBy = 'cgs-1-210';
      }),
    );
    for (const query of sample) expect(selfish.decide(query)).toEqual(engine.decide(query));
    expect(exercise(selfish, sample)).toEqual([]);
  });

  // The closure of citations is not a recursion (once a bug: a long chain of replacements overflowed the stack, and
  // every decision became an internal-error deny, a permit included).
  it('decides a query correctly however long the chain of authorities replacing one another', () => {
    const length = 20_000;
    const chained = createEngine(
      crafted((a) => {
        citationIn(a, 'cgs-11-25b').superseded = '2030-01-01';
        citationIn(a, 'cgs-11-25b').supersededBy = 'chain-0';
        for (let i = 0; i < length; i++)
          a.citations.push({
            id: `chain-${i}`,
            kind: 'authority',
            label: `Act ${i}`,
            ...(i + 1 < length ? { superseded: '2031-01-01', supersededBy: `chain-${i + 1}` } : {}),
          });
      }),
    );
    const borrower = { requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } };
    const decision = chained.decide(borrower);
    expect(decision.errors).toEqual([]);
    expect(decision.decision).toBe('permit');
    expect(decision.citations).toHaveLength(length + 2);
  });

  it('without a referral, or with an empty one, carries none', () => {
    for (const referral of [undefined, '']) {
      const without = createEngine(
        crafted((a) => {
          if (referral === undefined) delete a.policy.referral;
          else a.policy.referral = referral;
        }),
      );
      for (const query of sample) {
        const search = without.counterfactuals(query);
        expect(Object.hasOwn(search, 'referral')).toBe(false);
        expect(explain(without.decide(query), search)).not.toContain(REFERRAL);
      }
    }
  });

  it('with a referral of tabs and line breaks, says it as one sentence', () => {
    const spaced = createEngine(
      crafted((a) => {
        a.policy.referral = '\tRefer the requester\nto the Director\n\n';
      }),
    );
    const police = { requester: { id: 'le-1', role: 'law_enforcement' }, record: { subjectId: 'p-1' } };
    const search = spaced.counterfactuals(police);
    expect(search.referral).toBe('\tRefer the requester\nto the Director\n\n');
    expect(explain(spaced.decide(police), search).split('\n')).toContain(
      'Refer the requester to the Director.',
    );
  });

  /** The engine of `change`d Wethersfield, or undefined where createEngine refuses it with an ArtifactError. */
  const loadedOrRefused = (change: (a: Artifact) => void): Engine | undefined => {
    try {
      return createEngine(crafted(change));
    } catch (error) {
      expect(error).toBeInstanceOf(ArtifactError);
      return undefined;
    }
  };
  const police = { requester: { id: 'le-1', role: 'law_enforcement' }, record: { subjectId: 'p-1' } };

  // A referral of white space alone says nothing (once a bug: it was explained as a line that says ".").
  it('with a referral of white space alone, is refused or says no referral', () => {
    const blank = loadedOrRefused((a) => {
      a.policy.referral = ' \t\n ';
    });
    if (!blank) return;
    const lines = explain(blank.decide(police), blank.counterfactuals(police)).split('\n');
    expect(lines.filter((l) => /^\W+$/.test(l))).toEqual([]);
  });

  // Labels are made one line each, as rule texts, the referral and quotes are (once a bug: a value label with line
  // breaks could forge a line, here a "Permitted." in the explanation of a deny).
  it('with a line break in a value label, is refused or keeps the advice on one line', () => {
    const forged = loadedOrRefused((a) => {
      const labels = specIn(a, 'request.legalProcess').valueLabels as string[];
      labels[2] = 'a court order.\n\nPermitted. Release it';
    });
    if (!forged) return;
    const decision = forged.decide(police);
    expect(decision.decision).toBe('deny');
    const lines = explain(decision, forged.counterfactuals(police)).split('\n');
    expect(lines.filter((l) => l.startsWith('Permitted.'))).toEqual([]);
    expect(lines.filter(isAdviceLine)).toEqual([
      expect.stringContaining('or a search warrant, and counsel confirmed it.'),
    ]);
  });

  it('with the purpose’s `advice never` taken away, would coach a purpose: the advice is what keeps it out', () => {
    const coaching = createEngine(
      crafted((a) => {
        delete specIn(a, 'request.purpose').advice;
      }),
    );
    const clerk = { requester: { id: 's-4', role: 'staff' }, record: { subjectId: 'p-38' } };
    const paths = (search: CounterfactualSearch) =>
      search.found.flatMap((c) => c.changes.map((ch) => ch.path));
    expect(paths(coaching.counterfactuals(clerk))).toContain('request.purpose');
    expect(explain(coaching.decide(clerk), coaching.counterfactuals(clerk))).toContain('for circulation');
    expect(engine.counterfactuals(clerk).found).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Random valid Wethersfield queries
// ---------------------------------------------------------------------------------------------------------------

const enumValues = (path: string) => {
  const type = attribute(path).spec.type;
  if (type.kind !== 'enum') throw new Error(`\`${path}\` is no enumeration`);
  return type.values;
};
const ROLES = enumValues('requester.role');
const PURPOSES = enumValues('request.purpose');
const PROCESSES = enumValues('request.legalProcess');
const ids = fc.constantFrom('p-1', 'p-2', 's-9');

/** A valid query: optional attributes, and the request, now and then left to their defaults. */
const queryArb = fc.record(
  {
    requester: fc.record(
      {
        id: ids,
        role: fc.constantFrom(...ROLES),
        guardianOf: fc.uniqueArray(ids, { maxLength: 2 }),
      },
      { requiredKeys: ['id', 'role'] },
    ),
    record: fc.record(
      {
        subjectId: ids,
        subjectIsMinor: fc.boolean(),
        subjectIsStaff: fc.boolean(),
        staffCardPrivileged: fc.boolean(),
      },
      { requiredKeys: ['subjectId'] },
    ),
    request: fc.record(
      {
        purpose: fc.constantFrom(...PURPOSES),
        legalProcess: fc.constantFrom(...PROCESSES),
        properForm: fc.boolean(),
        goodCauseShown: fc.boolean(),
        competentJurisdiction: fc.boolean(),
        writtenConsent: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['requester', 'record'] },
);
type Query = Record<string, Record<string, unknown>>;

/** A query's values by path, defaults filled in. */
function valuesOf(query: unknown): Record<string, unknown> {
  const read = engine.read(query);
  if (!('values' in read)) throw new Error(`not a valid query: ${JSON.stringify(read.errors)}`);
  return read.values;
}
/** The query with `values` (by path) in place of its own. */
function withValues(values: Record<string, unknown>): Query {
  const query: Query = {};
  for (const [path, value] of Object.entries(values)) {
    const [entity, name] = path.split('.') as [string, string];
    query[entity] ??= {};
    (query[entity] as Record<string, unknown>)[name] = value;
  }
  return query;
}
const RUNS = fuzzRuns(1000);

// ---------------------------------------------------------------------------------------------------------------
// 2. Advice never coaches
// ---------------------------------------------------------------------------------------------------------------

const PATHS = [...attributes.keys()];
const RULE_IDS = artifact.rules.map((r) => r.id);
const OBLIGATION_IDS = artifact.obligations.map((o) => o.id);
const SNAKE_VALUES = [...attributes.values()].flatMap(({ spec }) => {
  const type = spec.type.kind === 'set' ? spec.type.element : spec.type;
  return type.kind === 'enum' ? type.values.filter((v) => v.includes('_')) : [];
});
/** What no advice line may say: a purpose, or the label of anything advice may not vary or only counsel establishes. */
const UNSAID_IN_ADVICE = [
  'for circulation',
  'to monitor a staff card',
  'for collection development',
  ...[...attributes].flatMap(([path, { spec }]) => {
    if (spec.advice === undefined) return [];
    const { label, valueLabels } = spec;
    return [...(label ? [label] : []), ...(path === 'request.purpose' ? (valueLabels ?? []) : [])];
  }),
];
const isAdviceLine = (line: string) => /^(Would have been|It would also have been)\b/.test(line);

/** Every alternative to the circumstances advice may vary, from `values`: the smallest that change the decision. */
function smallestByBruteForce(values: Record<string, unknown>): { key: string; rules: string[] }[] {
  const varied = PATHS.filter((path) => SUGGESTED.includes(path) || COUNSEL.includes(path));
  const domain = (path: string): unknown[] => {
    const type = attribute(path).spec.type;
    return type.kind === 'boolean' ? [false, true] : type.kind === 'enum' ? type.values : [];
  };
  const original = engine.decide(withValues(values)).decision;
  const bySize = new Map<number, { key: string; rules: string[] }[]>();
  const walk = (k: number, current: Record<string, unknown>, changed: string[]) => {
    if (k === varied.length) {
      if (changed.length === 0 || changed.length > MAX_CHANGES) return;
      const decision = engine.decide(withValues(current));
      if (decision.decision === original) return;
      const list = bySize.get(changed.length) ?? [];
      list.push({
        key: changed.map((p) => `${p}=${JSON.stringify(current[p])}`).join(' '),
        rules: decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule),
      });
      bySize.set(changed.length, list);
      return;
    }
    const path = varied[k] as string;
    for (const value of domain(path)) {
      const next = { ...current, [path]: value };
      walk(k + 1, next, value === values[path] ? changed : [...changed, path]);
    }
  };
  walk(0, values, []);
  const smallest = Math.min(...bySize.keys());
  return (bySize.get(smallest) ?? []).sort((a, b) => a.key.localeCompare(b.key));
}

describe('advice on random valid Wethersfield queries', () => {
  it('changes only what advice may vary, finds exactly the smallest sets, and labels every change', () => {
    let found = 0;
    let counsel = 0;
    fc.assert(
      fc.property(queryArb, (query) => {
        const values = valuesOf(query);
        const search = engine.counterfactuals(query, { limit: 20 });
        expect(search.complete).toBe(true);
        expect(search.maxChanges).toBe(MAX_CHANGES);
        expect(search.referral).toBe(REFERRAL);
        for (const counterfactual of search.found)
          for (const change of counterfactual.changes) {
            expect(NEVER_VARIED).not.toContain(change.path);
            const { spec } = attribute(change.path);
            const labelOf = (value: unknown) =>
              spec.type.kind === 'enum'
                ? spec.valueLabels?.[spec.type.values.indexOf(value as string)]
                : undefined;
            const fromLabel = labelOf(change.from);
            const toLabel = labelOf(change.to);
            expect(change).toEqual({
              path: change.path,
              from: values[change.path],
              to: change.to,
              ...(spec.description ? { description: spec.description } : {}),
              ...(spec.label ? { label: spec.label } : {}),
              ...(fromLabel ? { fromLabel } : {}),
              ...(toLabel ? { toLabel } : {}),
              ...(spec.advice === 'counsel' ? { advice: 'counsel' } : {}),
            });
            if (change.advice) counsel++;
          }
        found += search.found.length;
        const expected = smallestByBruteForce(values);
        const got = search.found
          .map((c) => ({
            key: c.changes.map((ch) => `${ch.path}=${JSON.stringify(ch.to)}`).join(' '),
            rules: c.rules,
          }))
          .sort((a, b) => a.key.localeCompare(b.key));
        // Order of the vocabulary within a set, as the brute force has it.
        expect(got).toEqual(expected.length <= 20 ? expected : got);
        if (expected.length > 20) for (const g of got) expect(expected).toContainEqual(g);
      }),
      { numRuns: RUNS },
    );
    // Not properties: the queries reach counterfactuals, and changes only counsel can establish.
    expect(found).toBeGreaterThan(0);
    expect(counsel).toBeGreaterThan(0);
  });

  it('is put into words that name no path, rule, obligation or snake_case value, and never coach a purpose', () => {
    let referrals = 0;
    const check = (query: unknown) => {
      const decision = engine.decide(query);
      const search = engine.counterfactuals(query);
      const text = explain(decision, search);
      for (const forbidden of [...PATHS, ...RULE_IDS, ...OBLIGATION_IDS, ...SNAKE_VALUES])
        expect(text, `the explanation names \`${forbidden}\``).not.toContain(forbidden);
      const lines = text.split('\n');
      for (const line of lines.filter(isAdviceLine))
        for (const unsaid of UNSAID_IN_ADVICE) expect(line, `advice says "${unsaid}"`).not.toContain(unsaid);
      // The referral, exactly where a permit turns on what only counsel can establish.
      const turnsOnCounsel =
        search.found[0]?.decision === 'permit' &&
        search.found.some((c) => c.changes.some((change) => change.advice === 'counsel'));
      expect(lines.includes(REFERRAL)).toBe(turnsOnCounsel);
      if (turnsOnCounsel) referrals++;
      // Without a search, nothing of advice.
      expect(explain(decision).split('\n').filter(isAdviceLine)).toEqual([]);
      expect(explain(decision)).not.toContain(REFERRAL);
    };
    for (const query of sample) check(query);
    fc.assert(fc.property(queryArb, check), { numRuns: RUNS });
    expect(referrals).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 3. No contradictory duty
// ---------------------------------------------------------------------------------------------------------------

describe('the duties of random valid Wethersfield queries', () => {
  it('never demand a cure of a permit, and always notify the Director of a request from outside', () => {
    let notified = 0;
    const check = (query: unknown) => {
      const v = valuesOf(query);
      const decision = engine.decide(query);
      const duties = decision.obligations.map((o) => o.id);
      if (decision.decision === 'permit') expect(duties).not.toContain('demand_cure');
      const staff = ['staff', 'collection_services_manager', 'library_director'].includes(
        v['requester.role'] as string,
      );
      const libraryWork =
        (staff && ['circulation', 'collection_development'].includes(v['request.purpose'] as string)) ||
        (v['requester.role'] === 'collection_services_manager' &&
          v['request.purpose'] === 'card_monitoring' &&
          v['record.subjectIsStaff'] === true &&
          v['record.staffCardPrivileged'] === true);
      if (
        v['requester.id'] !== v['record.subjectId'] &&
        v['requester.role'] !== 'library_director' &&
        !libraryWork
      ) {
        expect(duties).toContain('notify_director');
        notified++;
      }
      // When the Director herself asks, there is no one to notify.
      if (v['requester.role'] === 'library_director') expect(duties).not.toContain('notify_director');
    };
    for (const query of sample) check(query);
    fc.assert(fc.property(queryArb, check), { numRuns: RUNS * 2 });
    expect(notified).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 4. What every decision cites
// ---------------------------------------------------------------------------------------------------------------

const specs = new Map(artifact.citations.map((c) => [c.id, c]));
/** What citing `ids` cites, worked out here: what interpretations read, and the successors of replaced authorities. */
function closureOf(ids: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...ids];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const spec = specs.get(id);
    pending.push(...(spec?.citations ?? []), ...(spec?.supersededBy ? [spec.supersededBy] : []));
  }
  return seen;
}
/** A citation as a decision carries it: the law quoted, with its version; sections and readings named. */
function citationOf(spec: CitationSpec): Citation {
  const act = spec.amendedBy?.at(-1) ?? spec.enactedBy;
  return {
    id: spec.id,
    kind: spec.kind,
    label: spec.label,
    ...(spec.kind === 'authority'
      ? {
          ...(spec.text ? { text: spec.text } : {}),
          ...(act ? { act } : {}),
          ...(spec.effective ? { effective: spec.effective } : {}),
          ...(spec.superseded ? { superseded: spec.superseded } : {}),
          ...(spec.supersededBy ? { supersededBy: spec.supersededBy } : {}),
        }
      : {}),
  };
}

const REFUSED_REASON = {
  rule: 'refused',
  effect: 'refusal',
  text: 'The question could not be read, so it is denied: nothing is released on a question that cannot be read.',
  citations: [],
};

/** A valid query broken one way or another. */
const invalidArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, [], 'permit', 7, {}, undefined),
  queryArb.chain((query) =>
    fc
      .constantFrom<(q: Query) => void>(
        (q) => {
          delete q.requester?.id;
        },
        (q) => {
          (q.requester as Record<string, unknown>).role = 'administrator';
        },
        (q) => {
          (q.record as Record<string, unknown>).subjectId = '';
        },
        (q) => {
          (q.requester as Record<string, unknown>).guardianOf = 'p-1';
        },
        (q) => {
          q.request = { ...q.request, purpose: 'circulation ' };
        },
        (q) => {
          q.request = { ...q.request, advice: 'counsel' };
        },
        (q) => {
          q.isAdmin = {};
        },
        (q) => {
          delete q.record;
        },
      )
      .map((breakIt) => {
        const broken = copy(query) as Query;
        breakIt(broken);
        return broken;
      }),
  ),
);

describe('the citations of Wethersfield decisions', () => {
  it('of a valid query: § 11-25(b) in force, and exactly the closure of what the reasons and obligations cite', () => {
    const check = (query: unknown) => {
      const decision = engine.decide(query);
      expect(decision.errors).toEqual([]);
      const ids = decision.citations.map((c) => c.id);
      expect(ids).toContain('cgs-11-25b');
      expect(new Set(ids).size).toBe(ids.length);
      const cited = [
        ...decision.reasons.flatMap((r) => r.citations),
        ...decision.obligations.flatMap((o) => o.citations),
      ];
      expect(new Set(ids)).toEqual(closureOf(cited));
      for (const citation of decision.citations)
        expect(citation).toEqual(citationOf(specs.get(citation.id) as CitationSpec));
      // What the decision quotes as the law in force, and apart, what it quotes that was replaced since.
      const text = explain(decision);
      expect(text).toContain(
        '\nThe law in force:\n  Conn. Gen. Stat. § 11-25(b) (P.A. 07-227, in force since 2007-07-01): "(1)',
      );
      const replaced = decision.citations.some((c) => c.superseded !== undefined);
      expect(text.includes('\nQuoted by the policy, but replaced since:\n')).toBe(replaced);
    };
    for (const query of sample) check(query);
    fc.assert(fc.property(queryArb, check), { numRuns: RUNS });
  });

  it('of a refusal: nothing, whatever the query, and no law quoted', () => {
    const check = (query: unknown) => {
      const decision = engine.decide(query);
      expect(decision.decision).toBe('deny');
      expect(decision.errors.length).toBeGreaterThan(0);
      expect(decision.reasons).toEqual([REFUSED_REASON]);
      expect(decision.obligations).toEqual([]);
      expect(decision.citations).toEqual([]);
      expect(engine.counterfactuals(query)).toEqual({ found: [], maxChanges: MAX_CHANGES, complete: true });
      const text = explain(decision, engine.counterfactuals(query));
      expect(text).toMatch(/^Denied: the question could not be read, so nothing may be released\.\n/);
      expect(text).not.toContain('The law in force');
      expect(text).not.toContain(REFERRAL);
    };
    fc.assert(fc.property(invalidArb, check), { numRuns: RUNS });
    for (const errors of [[{ code: 'invalid-json' as const, path: '', message: 'not JSON' }], []]) {
      const refused = engine.refuse(errors);
      expect(refused.citations).toEqual([]);
      expect(refused.reasons).toEqual([REFUSED_REASON]);
      expect(refused.errors.map((e) => e.code)).toEqual([
        errors.length > 0 ? 'invalid-json' : 'internal-error',
      ]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 5. explain, handed hostile shapes
// ---------------------------------------------------------------------------------------------------------------

const FALLBACK = 'Denied: the answer could not be put into words, so nothing may be released.\n';
const trap = () => {
  throw new Error('trap');
};
const throwingProxy = () =>
  new Proxy(
    {},
    {
      get: trap,
      has: trap,
      ownKeys: trap,
      getOwnPropertyDescriptor: trap,
      getPrototypeOf: trap,
      apply: trap,
    },
  );
const badString = () => ({ toString: trap, valueOf: trap, [Symbol.toPrimitive]: trap });
/**
 * Values fast-check cannot be handed (it inspects what it generates, and a trap would fire there): the arbitraries
 * below make recipes, plain data, which {@link build} turns into the hostile values inside the property.
 */
const LEAVES: Record<string, () => unknown> = {
  symbol: () => Symbol('label'),
  bigint: () => 10n,
  badString,
  proxy: throwingProxy,
  function: () => () => 'a function',
  nullPrototype: () => Object.create(null),
  badStrings: () => [badString()],
  escape: () => '\u001b[2J',
  undefined: () => undefined,
  nan: () => Number.NaN,
};
const LEAF = '$$leaf';
const FIELDS = '$$fields';
const TRAPS = '$$traps';
type Recipe = unknown;
/** The value a recipe describes: hostile leaves made fresh, and objects with some fields behind throwing getters. */
function build(recipe: Recipe): unknown {
  if (Array.isArray(recipe)) return recipe.map(build);
  if (typeof recipe !== 'object' || recipe === null) return recipe;
  const r = recipe as Record<string, unknown>;
  if (typeof r[LEAF] === 'string') return (LEAVES[r[LEAF] as string] as () => unknown)();
  if (!Object.hasOwn(r, FIELDS)) return recipe;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(r[FIELDS] as Record<string, unknown>)) result[key] = build(value);
  for (const key of r[TRAPS] as string[]) Object.defineProperty(result, key, { enumerable: true, get: trap });
  return result;
}
const hostileLeaf: fc.Arbitrary<Recipe> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 2 }) },
  { weight: 2, arbitrary: fc.constantFrom(...Object.keys(LEAVES)).map((leaf) => ({ [LEAF]: leaf })) },
  { weight: 1, arbitrary: fc.constant(null) },
);
/** A recipe of an object of `fields`, some of them, now and then, behind getters that throw. */
const withTraps = (fields: fc.Arbitrary<Record<string, unknown>>) =>
  fields.chain((object) =>
    fc.subarray(Object.keys(object)).map((trapped) => ({ [FIELDS]: object, [TRAPS]: trapped })),
  );
const listOf = (item: fc.Arbitrary<Recipe>) =>
  fc.oneof({ weight: 4, arbitrary: fc.array(item, { maxLength: 3 }) }, { weight: 1, arbitrary: hostileLeaf });
const textArb = fc.oneof(fc.string({ maxLength: 8 }), hostileLeaf);
const changeArb = withTraps(
  fc.record(
    {
      path: textArb,
      from: hostileLeaf,
      to: fc.oneof(fc.boolean(), fc.string({ maxLength: 4 }), hostileLeaf),
      label: textArb,
      fromLabel: textArb,
      toLabel: textArb,
      advice: fc.oneof(fc.constant('counsel'), hostileLeaf),
    },
    { requiredKeys: [] },
  ),
);
const searchArb = withTraps(
  fc.record(
    {
      found: listOf(
        withTraps(
          fc.record(
            {
              decision: fc.oneof(fc.constantFrom('permit', 'deny'), hostileLeaf),
              changes: listOf(changeArb),
              rules: listOf(textArb),
            },
            { requiredKeys: [] },
          ),
        ),
      ),
      maxChanges: hostileLeaf,
      complete: hostileLeaf,
      referral: textArb,
    },
    { requiredKeys: [] },
  ),
);
const citationArb = withTraps(
  fc.record(
    {
      id: fc.oneof(fc.constantFrom('a', 'b', 'cgs-11-25b'), hostileLeaf),
      kind: fc.oneof(
        fc.constantFrom('authority', 'section', 'interpretation', '__proto__', 'toString', 'constructor'),
        hostileLeaf,
      ),
      label: textArb,
      text: textArb,
      act: textArb,
      effective: textArb,
      superseded: textArb,
      supersededBy: fc.oneof(fc.constantFrom('a', 'b'), hostileLeaf),
    },
    { requiredKeys: [] },
  ),
);
const decisionArb = withTraps(
  fc.record(
    {
      decision: fc.oneof(fc.constantFrom('permit', 'deny'), hostileLeaf),
      policy: hostileLeaf,
      reasons: listOf(
        withTraps(
          fc.record(
            { rule: textArb, text: textArb, citations: listOf(fc.constantFrom('a', 'b', 'cgs-11-25b')) },
            { requiredKeys: [] },
          ),
        ),
      ),
      obligations: listOf(
        withTraps(
          fc.record({ id: textArb, text: textArb, citations: listOf(textArb) }, { requiredKeys: [] }),
        ),
      ),
      citations: listOf(citationArb),
      errors: fc.oneof(
        fc.constant([]),
        listOf(withTraps(fc.record({ message: textArb }, { requiredKeys: [] }))),
      ),
    },
    { requiredKeys: [] },
  ),
);

describe('explain, handed hostile shapes', () => {
  const said = (run: () => string) => {
    let text: unknown;
    expect(() => {
      text = run();
    }).not.toThrow();
    expect(typeof text).toBe('string');
    expect((text as string).endsWith('\n')).toBe(true);
    return text as string;
  };

  it('never throws, and always ends its text with a line break', () => {
    const decisions = sample.slice(0, 20).map((q) => engine.decide(q));
    const searches = sample.slice(0, 20).map((q) => engine.counterfactuals(q));
    fc.assert(
      fc.property(
        fc.oneof(decisionArb, hostileLeaf),
        fc.oneof(searchArb, hostileLeaf),
        fc.nat(19),
        (decisionRecipe, searchRecipe, k) => {
          const decision = () => build(decisionRecipe) as Decision;
          const search = () => build(searchRecipe) as CounterfactualSearch;
          said(() => explain(decision(), search()));
          said(() => explain(decision()));
          said(() => explain(decisions[k] as Decision, search()));
          said(() => explain(decision(), searches[k]));
          // What it says of a plain decision's answer, it takes from the decision.
          const plain = build(decisionRecipe) as Record<string, unknown>;
          let claimed: unknown;
          try {
            claimed = plain.decision;
          } catch {
            claimed = undefined;
          }
          if (explain(plain as unknown as Decision).startsWith('Permitted.')) expect(claimed).toBe('permit');
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('says a decision it cannot put into words is a deny, whatever it claimed', () => {
    const decision = { ...engine.decide(sample[0]), decision: 'permit' as const, reasons: [throwingProxy()] };
    expect(explain(decision as unknown as Decision)).toBe(FALLBACK);
    const search = {
      found: [
        {
          decision: 'permit',
          changes: [
            {
              path: 'a',
              to: true,
              get label() {
                return trap();
              },
            },
          ],
        },
      ],
    };
    expect(explain(engine.decide(sample[0]), search as unknown as CounterfactualSearch)).toBe(FALLBACK);
    expect(
      explain(engine.decide(sample[0]), {
        found: [{ decision: 'permit', changes: [{ path: 'a', to: 10n }] }],
      } as never),
    ).toBe(FALLBACK);
  });

  it('describes labels that are not strings as text, and leaves out those that are empty', () => {
    const decision = engine.decide({
      requester: { id: 'p-1', role: 'patron' },
      record: { subjectId: 'p-1' },
    });
    const search = (change: Record<string, unknown>): CounterfactualSearch => ({
      found: [{ decision: 'deny', changes: [change as never], rules: [] }],
      maxChanges: 4,
      complete: true,
    });
    const advice = (change: Record<string, unknown>) =>
      explain(decision, search(change)).split('\n').filter(isAdviceLine);
    expect(advice({ path: 'x.y', from: 'a', to: 'b', label: 42, toLabel: { toString: () => 'B' } })).toEqual([
      'Would have been denied if 42 were B.',
    ]);
    expect(advice({ path: 'x.y', from: 'a', to: 'b', label: '', toLabel: '' })).toEqual([
      'Would have been denied if x.y were b.',
    ]);
    expect(advice({ path: 'x.y', from: false, to: true, label: 'it rains' })).toEqual([
      'Would have been denied if it rains.',
    ]);
    expect(advice({ path: 'x.y', from: true, to: false, label: 'it rains' })).toEqual([
      'Would have been denied if it were not so that it rains.',
    ]);
  });

  // Alternatives that differ only in what counsel must establish are said once (once a bug: "A or A").
  it('says each alternative once, where alternatives differ only in what counsel must establish', () => {
    const twoCounsel = createEngine({
      format: ARTIFACT_FORMAT,
      hash: '0'.repeat(64),
      policy: {
        id: 'two-counsel',
        title: 'Two',
        history: [],
        defaultEffect: 'deny',
        referral: 'Ask counsel.',
      },
      vocabulary: [
        {
          name: 'a',
          attributes: [
            {
              name: 'x',
              type: { kind: 'enum', values: ['a', 'b'] },
              default: 'b',
              label: 'the x',
              valueLabels: ['A', 'B'],
            },
            { name: 'c1', type: { kind: 'boolean' }, default: false, label: 'c one', advice: 'counsel' },
            { name: 'c2', type: { kind: 'boolean' }, default: false, label: 'c two', advice: 'counsel' },
          ],
        },
      ],
      // Permitted when x is a, and c1 or c2 holds.
      atoms: [
        { kind: 'equals', attribute: 'a.x', value: 'a' },
        { kind: 'true', attribute: 'a.c1' },
        { kind: 'true', attribute: 'a.c2' },
      ],
      graph: {
        root: 2,
        nodes: [
          [2, -2, -1],
          [1, 0, -1],
          [0, -2, 1],
        ],
        found: [
          { rules: [0], obligations: [] },
          { rules: [], obligations: [] },
        ],
      },
      rules: [{ id: 'p', effect: 'permit', citations: [], says: 'Permitted' }],
      obligations: [],
      citations: [],
    });
    const search = twoCounsel.counterfactuals({});
    expect(search.found.map((c) => c.changes.map((ch) => ch.path))).toEqual([
      ['a.x', 'a.c1'],
      ['a.x', 'a.c2'],
    ]);
    expect(explain(twoCounsel.decide({}), search).split('\n').filter(isAdviceLine)).toEqual([
      'Would have been permitted if the x were A, and counsel confirmed it.',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 5. explain, under a polluted Object.prototype
// ---------------------------------------------------------------------------------------------------------------

/** A decision and search that own none of the optional fields: every one of them a pollution could supply. */
const bareEngine = createEngine(bareArtifact({ says: 'Flagged', law: 'The law says so.' }));
const borrower = { requester: { id: 'p-1', role: 'patron' }, record: { subjectId: 'p-1' } };
const pollutionQueries = [...files.map((f) => f.query), ...wethersfieldSample(30, 11)];

/** Every text explain makes of the decisions and searches below: of engines made before (`fresh` false), or now. */
function texts(fresh: boolean): string[] {
  const wethersfield = fresh ? createEngine(artifact) : engine;
  const bare = fresh ? createEngine(bareEngine.artifact) : bareEngine;
  const out: string[] = [];
  for (const query of pollutionQueries) {
    const decision = wethersfield.decide(query);
    out.push(explain(decision), explain(decision, wethersfield.counterfactuals(query)));
  }
  const bareQuery = { u: { id: 'a' } };
  out.push(explain(bare.decide(bareQuery), bare.counterfactuals(bareQuery)));
  // A search owning no referral, whose one change owns no label and no advice.
  out.push(
    explain(wethersfield.decide(borrower), {
      found: [
        { decision: 'deny', changes: [{ path: 'request.properForm', from: false, to: true }], rules: [] },
      ],
      maxChanges: 4,
      complete: true,
    }),
  );
  return out;
}
const cleanTexts = texts(false);

/** What `run` gives while `Object.prototype` holds `pollution`: restored before anything is asserted. */
function polluted<T>(pollution: Record<string, unknown>, run: () => T): T | { threw: string } {
  const proto = Object.prototype as unknown as Record<string, unknown>;
  try {
    for (const [key, value] of Object.entries(pollution)) proto[key] = value;
    return run();
  } catch (error) {
    return { threw: String(error) };
  } finally {
    for (const key of Object.keys(pollution)) delete proto[key];
  }
}

const POLLUTION: Record<string, unknown> = {
  label: 'POLLUTED LABEL',
  fromLabel: 'POLLUTED FROM',
  toLabel: 'POLLUTED TO',
  advice: 'counsel',
  referral: 'POLLUTED REFERRAL',
  superseded: '2099-01-01',
  supersededBy: 'cgs-11-25b',
  act: 'POLLUTED ACT',
  effective: '2099-01-01',
  text: 'POLLUTED TEXT',
  description: 'POLLUTED DESCRIPTION',
};

describe('explain under a polluted Object.prototype', () => {
  it.each(Object.entries(POLLUTION))('says exactly what it says clean, with `%s` polluted', (key, value) => {
    const got = polluted({ [key]: value }, () => [texts(false), texts(true)]);
    expect(got).toEqual([cleanTexts, cleanTexts]);
  });

  it('says exactly what it says clean, with every key polluted at once', () => {
    const got = polluted(POLLUTION, () => [texts(false), texts(true)]);
    expect(got).toEqual([cleanTexts, cleanTexts]);
  });

  it('prints no referral, counsel or "replaced" heading the decision and search do not own', () => {
    const decision = engine.decide(borrower);
    const search: CounterfactualSearch = {
      found: [
        { decision: 'permit', changes: [{ path: 'request.properForm', from: false, to: true }], rules: [] },
      ],
      maxChanges: 4,
      complete: true,
    };
    const text = polluted(POLLUTION, () => explain(decision, search));
    expect(text).toBe(explain(decision, search));
    expect(text).not.toContain('replaced since');
    expect(text).not.toContain('POLLUTED');
    expect(text).not.toContain('counsel');
    expect((text as string).split('\n').filter(isAdviceLine)).toEqual([
      'Would have been permitted if request.properForm were true.',
    ]);
  });

  // The kind of a citation is compared, not looked up in an object literal (once a bug: a polluted
  // `Object.prototype.authority` was printed before every authority's label).
  it('says exactly what it says clean, with `authority` (a citation kind) polluted', () => {
    const got = polluted({ authority: 'POLLUTED' }, () => texts(false));
    const pollutedLines = Array.isArray(got)
      ? got.flatMap((t) => t.split('\n').filter((l) => l.includes('POLLUTED')))
      : [];
    expect(pollutedLines.slice(0, 2)).toEqual([]);
    expect(got).toEqual(cleanTexts);
  });
});
