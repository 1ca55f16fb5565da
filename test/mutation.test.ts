/**
 * Mutation testing of the Wethersfield policy: are its assertions and examples strong enough to notice when a rule
 * is written wrong? Every single-point change of the main file (test/helpers/mutants.ts: drop an operand of an
 * `and` or `or`, flip a comparison, remove a `not`, widen a written set, flip a rule's effect, delete a `require`)
 * is checked and compared, exactly, with the policy as written over every query (`compare`, decisions and
 * obligations). A mutant that no longer checks is invalid; one that decides every query alike, with the same
 * obligations, is equivalent: nothing could catch it, and it is not counted. Every other mutant must be caught:
 * an assertion of its own text is proved false (an undecided one does not count), or one of its examples fails.
 * The report (counts, score, each survivor with the simplest query it decides differently, and both decisions) is
 * printed. The whole set (about a hundred mutants) takes about 6 s on 2 cores, so every mutant is always run.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  compare,
  compile,
  type ExampleCase,
  examplesOf,
  type SolverAttribute,
  solverAttributes,
  type Witness,
} from '../packages/compiler/src/index.js';
import {
  type CheckedPolicy,
  checkPolicy,
  format,
  hasErrors,
  type SourceFile,
  type SourceHost,
} from '../packages/language/src/index.js';
import { type Artifact, createEngine, type Decision, type Engine } from '../packages/runtime/src/index.js';
import { type Mutant, type MutationOperator, mutantsOf } from './helpers/mutants.js';
import { diskHost, repositoryRoot } from './helpers/wethersfield.js';

const entry = path.join(repositoryRoot, 'policies/wethersfield/confidentiality.policy');

/** The files on disk, with the main file's text replaced by `text`: the imports are read as they are. */
function hostWith(text: string): SourceHost {
  return { read: (file) => (file === entry ? text : diskHost.read(file)), resolve: diskHost.resolve };
}

/** A policy checked and compiled, or undefined when it has errors. */
function build(host: SourceHost): { checked: CheckedPolicy; artifact: Artifact } | undefined {
  const checked = checkPolicy(entry, host);
  if (hasErrors(checked.diagnostics)) return undefined;
  const compiled = compile(checked.value);
  if (hasErrors(compiled.diagnostics) || !compiled.value) return undefined;
  return { checked: checked.value, artifact: compiled.value };
}

/** The main file's AST. */
function main(checked: CheckedPolicy): SourceFile {
  const file = checked.program.files[0];
  if (!file) throw new Error('the policy has no main file');
  return file;
}

type Attributes = ReadonlyMap<string, SolverAttribute>;

const sorted = (list: readonly string[]) => JSON.stringify([...list].sort());

/** Whether a decision is what an example expects, as `tenet test` judges it. */
function passes(decision: Decision, expect: ExampleCase['expect']): boolean {
  const rules = decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule);
  return (
    decision.errors.length === 0 &&
    decision.decision === expect.decision &&
    sorted(decision.obligations.map((o) => o.id)) === sorted(expect.obligations) &&
    (!expect.rules || sorted(rules) === sorted(expect.rules))
  );
}

/** A query, and what the policy as written and the mutant decide for it. */
interface Witnessed {
  query: Witness;
  original: string;
  mutant: string;
  /** Whether the runtime, too, gives the two a different decision or different obligations for the query. */
  differs: boolean;
}

/** What became of one mutant. */
type Verdict =
  | { kind: 'invalid' }
  | { kind: 'equivalent' }
  | {
      kind: 'changing';
      /** The assertions found false and the examples that fail: both empty when the mutant survives. */
      falseAssertions: string[];
      failedExamples: string[];
      /** The simplest query of the difference (the fewest attributes given). */
      witness: Witnessed;
    };

/** A decision as `tenet test` shows it: `deny by resist-defective-process with notify_director`. */
function shown(decision: Decision): string {
  const rules = decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule);
  const obligations = decision.obligations.map((o) => o.id);
  return `${decision.decision} by ${rules.length > 0 ? rules.join(', ') : 'default'}${obligations.length > 0 ? ` with ${obligations.join(', ')}` : ' with no obligations'}`;
}

const size = (query: Witness) =>
  Object.values(query).reduce((n, fields) => n + Object.keys(fields).length, 0);

/** Checks a mutant, compares it with the policy as written, and runs its assertions and examples. */
function judge(
  mutant: Mutant,
  original: { checked: CheckedPolicy; engine: Engine },
  attributes: Attributes,
): Verdict {
  const built = build(hostWith(mutant.text));
  if (!built) return { kind: 'invalid' };
  const comparison = compare(original.checked, built.checked, attributes, { decisionsOnly: false });
  if (comparison.problems.length > 0)
    throw new Error(`${mutant.description}: ${comparison.problems.join('; ')}`);
  const queries = comparison.classes.flatMap((c) => c.cases.map((k) => k.example));
  const [query] = queries.sort((a, b) => size(a) - size(b));
  if (!query) return { kind: 'equivalent' };
  const falseAssertions = analyze(built.checked, attributes)
    .assertions.filter((a) => a.status === 'false')
    .map((a) => a.id);
  const engine = createEngine(built.artifact);
  const failedExamples = examplesOf(built.checked)
    .filter((example) => !passes(engine.decide(example.query), example.expect))
    .map((example) => example.description);
  const [before, after] = [original.engine.decide(query), engine.decide(query)];
  const obligations = (d: Decision) => sorted(d.obligations.map((o) => o.id));
  const witness = {
    query,
    original: shown(before),
    mutant: shown(after),
    differs: before.decision !== after.decision || obligations(before) !== obligations(after),
  };
  return { kind: 'changing', falseAssertions, failedExamples, witness };
}

const OPERATORS: MutationOperator[] = [
  'drop-operand',
  'flip-comparison',
  'remove-not',
  'widen-set',
  'flip-effect',
  'delete-require',
];

describe('mutation testing of the Wethersfield policy', () => {
  const built = build(diskHost);
  if (!built) throw new Error(`${entry} does not check`);
  const original = { ...built, engine: createEngine(built.artifact) };
  const attributes = solverAttributes(original.artifact.vocabulary);
  const mutants = mutantsOf(original.checked);

  it('starts from a policy that proves every assertion and passes every example', () => {
    const analysis = analyze(original.checked, attributes);
    expect(analysis.assertions.filter((a) => a.status !== 'proved').map((a) => a.id)).toEqual([]);
    const failed = examplesOf(original.checked).filter(
      (e) => !passes(original.engine.decide(e.query), e.expect),
    );
    expect(failed.map((e) => e.description)).toEqual([]);
  });

  it('makes every kind of change, each to a text of its own', () => {
    for (const kind of OPERATORS)
      expect(
        mutants.some((m) => m.operator === kind),
        kind,
      ).toBe(true);
    expect(new Set(mutants.map((m) => m.description)).size).toBe(mutants.length);
    const unchanged = format(main(original.checked));
    expect(mutants.filter((m) => m.text === unchanged).map((m) => m.description)).toEqual([]);
  });

  it('prints the policy, unchanged, to a text that decides every query as the file does', () => {
    const reprinted = build(hostWith(format(main(original.checked))));
    expect(reprinted).toBeDefined();
    if (!reprinted) return;
    expect(compare(original.checked, reprinted.checked, attributes).classes).toEqual([]);
  });

  it('catches every mutant that changes a decision or an obligation, by an assertion or an example', () => {
    const started = performance.now();
    const verdicts = mutants.map((mutant) => ({ mutant, verdict: judge(mutant, original, attributes) }));
    const seconds = (performance.now() - started) / 1000;
    const count = (kind: Verdict['kind']) => verdicts.filter((v) => v.verdict.kind === kind).length;
    const changing = verdicts.flatMap(({ mutant, verdict }) =>
      verdict.kind === 'changing' ? [{ mutant, verdict }] : [],
    );
    const survives = ({ verdict }: (typeof changing)[number]) =>
      verdict.falseAssertions.length === 0 && verdict.failedExamples.length === 0;
    const survivors = changing.filter(survives);
    const caught = changing.length - survivors.length;
    const score = changing.length === 0 ? 1 : caught / changing.length;
    const byOperator = OPERATORS.map((operator) => {
      const of = changing.filter((c) => c.mutant.operator === operator);
      return `${operator} ${of.length - of.filter(survives).length}/${of.length}`;
    });
    const report = [
      `mutation testing of ${path.relative(repositoryRoot, entry)}: ${mutants.length} mutants in ${seconds.toFixed(1)} s`,
      `  invalid ${count('invalid')}, equivalent ${count('equivalent')}, changing ${changing.length}, caught ${caught}`,
      `  mutation score ${(score * 100).toFixed(1)}% (${caught} of ${changing.length} caught)`,
      `  caught by kind: ${byOperator.join(', ')}`,
      ...(survivors.length > 0 ? [`  ${survivors.length} surviving mutants:`] : []),
      ...survivors.flatMap(({ mutant, verdict: { witness } }) => [
        `  - ${mutant.description}`,
        `      query    ${JSON.stringify(witness.query)}`,
        `      original ${witness.original}`,
        `      mutant   ${witness.mutant}`,
      ]),
    ].join('\n');
    // Each difference `compare` finds is one the runtime makes too.
    expect(changing.filter((c) => !c.verdict.witness.differs).map((c) => c.mutant.description)).toEqual([]);
    expect(score, report).toBe(1);
  });
});
