/**
 * What the server knows of a policy: checked as you type (names, types, and the analyzer's lints), and on save
 * also compiled, its examples run and its assertions and departures proved, as `tenet test` and `tenet verify` do.
 */
import { analyze, compile, examplesOf, type SolverAttribute, solverAttributes } from '@tenet/compiler';
import {
  type CheckedPolicy,
  checkPolicy,
  type Diagnostic,
  hasErrors,
  type SourceHost,
  type SourceSpan,
} from '@tenet/language';
import { createEngine } from '@tenet/runtime';

/** The most rules a policy may have for its lints to run as you type (as `tenet check` does). */
const LINTED_AS_YOU_TYPE = 1000;

/** A policy checked: the checked policy, whose names and types the features read, and every problem found. */
export interface Checked {
  checked: CheckedPolicy;
  diagnostics: Diagnostic[];
  /** The vocabulary as the solver reads it, when the policy compiled. */
  attributes?: ReadonlyMap<string, SolverAttribute>;
}

/** What a saved policy's examples and assertions came to, for the lenses above them. */
export interface Outcome {
  span: SourceSpan;
  /** `passes`, `fails: permit, expected deny`, `proved`, `false`. */
  title: string;
  /** The example or assertion failed. */
  failed: boolean;
}

/** A policy checked on save: as {@link Checked}, plus the outcome of each example and assertion. */
export interface Verified extends Checked {
  outcomes: Outcome[];
}

/** Checks the policy whose main file is `file`, with the analyzer's lints when it compiles. */
export function checkAsYouType(file: string, host: SourceHost): Checked {
  const { value: checked, diagnostics } = checkPolicy(file, host);
  if (!hasErrors(diagnostics) && checked.policy && checked.rules.length <= LINTED_AS_YOU_TYPE) {
    const compiled = compile(checked);
    diagnostics.push(...compiled.diagnostics);
    if (compiled.value && !hasErrors(compiled.diagnostics)) {
      const attributes = solverAttributes(compiled.value.vocabulary);
      diagnostics.push(...analyze(checked, attributes, { proofs: false }).diagnostics);
      return { checked, diagnostics, attributes };
    }
  }
  return { checked, diagnostics };
}

/** Checks, compiles, runs the examples of and proves the policy whose main file is `file`. */
export function checkOnSave(file: string, host: SourceHost): Verified {
  const { value: checked, diagnostics } = checkPolicy(file, host);
  if (hasErrors(diagnostics) || !checked.policy) return { checked, diagnostics, outcomes: [] };
  const compiled = compile(checked);
  diagnostics.push(...compiled.diagnostics);
  const artifact = compiled.value;
  if (!artifact || hasErrors(compiled.diagnostics)) return { checked, diagnostics, outcomes: [] };
  const attributes = solverAttributes(artifact.vocabulary);
  const engine = createEngine(artifact);
  const outcomes: Outcome[] = [];
  for (const example of examplesOf(checked)) {
    const decision = engine.decide(example.query);
    const rules = decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule);
    const obligations = decision.obligations.map((o) => o.id);
    const { expect } = example;
    const problems = [
      ...decision.errors.map((e) => e.message),
      ...(decision.decision !== expect.decision ? [`${decision.decision}, expected ${expect.decision}`] : []),
      ...(same(obligations, expect.obligations)
        ? []
        : [`duties ${list(obligations)}, expected ${list(expect.obligations)}`]),
      ...(expect.rules && !same(rules, expect.rules)
        ? [`by ${list(rules)}, expected ${list(expect.rules)}`]
        : []),
    ];
    const span = example.declaration.description.span;
    outcomes.push({
      span,
      title: problems.length === 0 ? `✓ ${decision.decision}` : `✗ ${problems.join('; ')}`,
      failed: problems.length > 0,
    });
    if (problems.length > 0) {
      diagnostics.push({
        code: 'example-fails',
        severity: 'error',
        message: `this example fails: ${problems.join('; ')}`,
        span,
        help: 'fix the rules, or the expectation if the example is what is wrong (`tenet test` says more)',
      });
    }
  }
  const analysis = analyze(checked, attributes);
  diagnostics.push(...analysis.diagnostics);
  for (const assertion of analysis.assertions) {
    const proved = assertion.status === 'proved';
    outcomes.push({
      span: assertion.span,
      title: proved ? '✓ proved' : `✗ ${assertion.status}`,
      failed: !proved,
    });
    if (!proved) {
      diagnostics.push({
        code: 'assertion-fails',
        severity: 'error',
        message:
          assertion.status === 'false'
            ? `\`${assertion.id}\` does not hold: some query breaks it (\`tenet verify\` shows one)`
            : `\`${assertion.id}\` could not be decided`,
        span: assertion.span,
        help: 'change the rules so that the claim holds, or the claim if it says too much',
      });
    }
  }
  return { checked, diagnostics, attributes, outcomes };
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
const list = (names: readonly string[]) => (names.length > 0 ? names.join(', ') : 'none');
