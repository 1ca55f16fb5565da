import { type CheckedPolicy, type Diagnostic, formatExpression, type SourceSpan } from '@tenet/language';
import { enumerationGroups, findWitness, PolicyFunctions, type Witness, witnessQuery } from './analyze.js';
import { Bdd, ZERO } from './bdd.js';
import { type LoweredPolicy, lowerTogether } from './compile.js';
import { vocabularyProblems } from './diff.js';
import type { SolverAttribute } from './solve.js';

/**
 * One way a policy departs from its reference (the law in force): where it permits what the law denies (`looser`),
 * or denies what the law permits (`stricter`), as far as an interpretation acknowledges it, or beyond every
 * acknowledgment.
 */
export interface DepartureResult {
  kind: 'looser' | 'stricter';
  /** The interpretation that acknowledges the departure; absent for the queries no interpretation acknowledges. */
  interpretation?: { id: string; title?: string };
  /** The condition the acknowledgment covers, as written. */
  condition?: string;
  /** A query on which the policy departs so, closest to the defaults; absent when there is none. */
  example?: Witness;
  /** The search for such a query gave up before it could tell whether there is one: nothing is proved. */
  undecided?: true;
  span?: SourceSpan;
}

/** How a policy departs from the policy it is `compared with`. */
export interface DepartureAnalysis {
  reference: { id: string; title: string };
  /**
   * The acknowledged departures, in the order the policy writes them; then, where there are any, the looser and the
   * stricter queries that no interpretation acknowledges.
   */
  departures: DepartureResult[];
  /** Whether every query the policy permits and the law denies lies within an acknowledged looser departure. */
  proved: boolean;
}

/**
 * Compares a policy with its reference over their shared vocabulary, exactly: both are BDDs over one set of atoms,
 * so "looser than the law, outside every acknowledged departure" is one function, empty (proved) or shown by a query.
 * Stricter departures are information: a policy may always protect more than the law asks.
 */
export function departuresOf(
  checked: CheckedPolicy,
  attributes: ReadonlyMap<string, SolverAttribute>,
): { value?: DepartureAnalysis; diagnostics: Diagnostic[] } {
  const reference = checked.reference;
  const compared = checked.policy?.comparedWith;
  if (!reference || !compared) return { diagnostics: [] };
  const problems = vocabularyProblems(checked, reference);
  if (problems.length > 0) {
    return {
      diagnostics: [
        {
          code: 'reference-mismatch',
          severity: 'error',
          message: `\`${compared.value}\` is written over another vocabulary: ${problems[0]}`,
          span: compared.span,
          help: 'compare with a policy that imports the same file of entities',
        },
      ],
    };
  }
  const [policy, law] = lowerTogether([checked, reference], { assertions: true }).value as [
    LoweredPolicy,
    LoweredPolicy,
  ];
  const bdd = new Bdd();
  bdd.setDomain(enumerationGroups(policy.atoms, attributes));
  const order = policy.atoms.map((_, i) => i);
  const ours = new PolicyFunctions(bdd, policy, checked);
  const theirs = new PolicyFunctions(bdd, law, reference);
  const departing = {
    looser: bdd.apply('and', ours.permit, bdd.negate(theirs.permit)),
    stricter: bdd.apply('and', bdd.negate(ours.permit), theirs.permit),
  };
  /** A query `f` holds of, that there is none (`{}`), or that the search gave up before it could tell. */
  const example = (f: number): { example?: Witness; undecided?: true } => {
    const found = f === ZERO ? 'none' : findWitness(bdd, f, policy.atoms, attributes, { closest: true });
    if (found === 'gave-up') return { undecided: true };
    return typeof found === 'object' ? { example: witnessQuery(checked, found.witness) } : {};
  };
  const diagnostics: Diagnostic[] = [];
  const covered = { looser: ZERO, stricter: ZERO };
  // In the order `lowerTogether` lowers them: the k-th written departure is `policy.departures[k]`.
  const written = checked.interpretations.flatMap((interpretation) =>
    interpretation.departures.map((departure) => ({ interpretation, departure })),
  );
  const whens = written.map((_, k) => {
    const lowered = policy.departures[k];
    return lowered ? bdd.build(lowered.when, order) : ZERO;
  });
  const acknowledged = written.map(({ interpretation, departure }, k): DepartureResult => {
    const when = whens[k] as number;
    covered[departure.kind] = bdd.apply('or', covered[departure.kind], when);
    const share = bdd.apply('and', departing[departure.kind], when);
    // Its example is one that no other acknowledgment of its kind covers, where there is one: a query that shows
    // this departure, not another.
    const others = bdd.any(whens.filter((_, j) => j !== k && written[j]?.departure.kind === departure.kind));
    const own = bdd.apply('and', share, bdd.negate(others));
    if (share === ZERO) {
      diagnostics.push({
        code: 'departure-unused',
        severity: 'warning',
        message: `\`${interpretation.id.text}\` acknowledges a ${departure.kind} departure, but the policy is nowhere ${departure.kind} than \`${reference.policy?.id.text}\` there`,
        span: departure.span,
        help: 'remove the acknowledgment, or correct its condition',
      });
    }
    return {
      kind: departure.kind,
      interpretation: {
        id: interpretation.id.text,
        ...(interpretation.title ? { title: interpretation.title.value } : {}),
      },
      ...(departure.when ? { condition: formatExpression(departure.when) } : {}),
      ...example(own === ZERO ? share : own),
      span: departure.span,
    };
  });
  const beyond = (kind: 'looser' | 'stricter'): DepartureResult[] => {
    const rest = example(bdd.apply('and', departing[kind], bdd.negate(covered[kind])));
    return rest.example || rest.undecided ? [{ kind, ...rest }] : [];
  };
  const unacknowledged = [...beyond('looser'), ...beyond('stricter')];
  // A search that gave up proves nothing: the looser departures are proved acknowledged only when none is left.
  const proved = !unacknowledged.some((d) => d.kind === 'looser');
  if (!proved) {
    const gaveUp = !unacknowledged.some((d) => d.kind === 'looser' && d.example);
    diagnostics.push({
      code: 'departure-not-acknowledged',
      severity: 'error',
      message: gaveUp
        ? `it could not be proved that every query the policy permits and \`${reference.policy?.id.text}\` denies is acknowledged: the search gave up`
        : `the policy permits queries that \`${reference.policy?.id.text}\` denies, and no interpretation acknowledges them`,
      span: compared.span,
      help: 'correct the rules, or acknowledge the departure in an interpretation with `looser when …`',
    });
  }
  return {
    value: {
      reference: {
        id: reference.policy?.id.text ?? '',
        title: reference.policy?.title?.value ?? reference.policy?.id.text ?? '',
      },
      departures: [...acknowledged, ...unacknowledged],
      proved,
    },
    diagnostics,
  };
}
