import {
  type AssertDeclaration,
  type CheckedPolicy,
  type Diagnostic,
  type DiagnosticCode,
  formatExpression,
  type Name,
  type RuleDeclaration,
  type SourceSpan,
} from '@tenet/language';
import type { Atom, Value } from '@tenet/runtime';
import { Bdd, ONE, ZERO } from './bdd.js';
import { type LoweredPolicy, lowerTogether } from './compile.js';
import { type DepartureAnalysis, departuresOf } from './departures.js';
import { examplesOf } from './examples.js';
import { atomsOf, type Formula } from './formula.js';
import { literal } from './lower.js';
import { describePath, holds, type Literal, type SolverAttribute, solve } from './solve.js';

/** A query that shows something, with the attribute values that differ from the vocabulary's defaults. */
export type Witness = Record<string, Record<string, Value>>;

/**
 * The outcomes of a policy as BDDs over one set of atoms: each rule, each obligation, and what decisions are made
 * of them. Built once; assertions, lints and comparisons are questions about these functions.
 */
export class PolicyFunctions {
  readonly rules: number[];
  readonly obligations: number[];
  readonly forbidAny: number;
  readonly permitAny: number;
  /** Where the decision is permit. */
  readonly permit: number;

  /**
   * @param groups the enumerations' atoms (as `enumerationGroups` makes them), when the BDD's domain is theirs: each
   * condition is then built within the exclusions of its own enumerations alone, which is smaller.
   */
  constructor(
    readonly bdd: Bdd,
    readonly lowered: LoweredPolicy,
    readonly checked: CheckedPolicy,
    groups: readonly { variables: readonly number[]; exhaustive: boolean }[] = [],
  ) {
    const order = lowered.atoms.map((_, i) => i);
    // Each condition within the exclusions of the enumerations it tests alone: the whole domain would add to every
    // rule the tests of every enumeration (a gigabyte at 10,000 rules). Where the functions meet the questions
    // asked of them, they meet the domain again (a claim's `when`, a negation), so what is proved is exact.
    const groupOf = new Map(groups.flatMap((g) => g.variables.map((v) => [v, g] as const)));
    const local = (f: Formula) => {
      if (groups.length === 0) return bdd.build(f, order);
      const tested = new Set([...atomsOf(f)].flatMap((atom) => groupOf.get(atom) ?? []));
      return bdd.build(f, order, bdd.exclusive([...tested]));
    };
    this.rules = lowered.rules.map((r) => local(r.when));
    this.obligations = lowered.obligations.map(local);
    const any = (effect: 'permit' | 'forbid') =>
      bdd.any(this.rules.filter((_, i) => lowered.rules[i]?.effect === effect));
    this.forbidAny = any('forbid');
    this.permitAny = any('permit');
    const defaultPermits = (checked.policy?.defaultEffect?.effect ?? 'deny') === 'permit';
    this.permit = bdd.apply('and', bdd.negate(this.forbidAny), defaultPermits ? bdd.domain : this.permitAny);
  }

  /**
   * Where the decision cites `citation`: through a deciding rule, the default, or an obligation; directly, or through
   * an interpretation that reads it, or as the authority that replaced one cited (as the runtime cites them).
   */
  cites(citation: string): number {
    const { bdd, lowered, checked } = this;
    const cited = (names: readonly Name[]) => citedWith(checked, names).has(citation);
    const citing = (effect: 'permit' | 'forbid') =>
      bdd.any(
        this.rules.filter(
          (_, i) => lowered.rules[i]?.effect === effect && cited(checked.rules[i]?.because ?? []),
        ),
      );
    const byDefault = cited(checked.policy?.defaultEffect?.because ?? []) ? bdd.domain : ZERO;
    const obligations = bdd.any(
      [...checked.obligations.values()].flatMap((o, i) =>
        cited(o.because) ? [this.obligations[i] as number] : [],
      ),
    );
    const notForbidden = bdd.negate(this.forbidAny);
    return bdd.any([
      bdd.apply('and', this.forbidAny, citing('forbid')),
      bdd.apply('and', notForbidden, citing('permit')),
      bdd.apply('and', bdd.apply('and', notForbidden, bdd.negate(this.permitAny)), byDefault),
      obligations,
    ]);
  }
}

/**
 * What citing `names` cites, as a decision shows it: each name; what an interpretation among them reads; and the
 * authority that replaced any authority cited, and so on.
 */
function citedWith(checked: CheckedPolicy, names: readonly Name[]): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const reading = checked.interpretations.find((i) => i.id.text === id);
    for (const read of reading?.because ?? []) visit(read.text);
    const by = checked.authorities.get(id)?.superseded?.by;
    if (by) visit(by.text);
  };
  for (const name of names) visit(name.text);
  return seen;
}

/**
 * For each rule (in the policy's order), the obligations a decision it makes can carry: those whose condition some
 * query can make hold where the rule decides (a forbid wherever it holds, a permit where no forbid does).
 */
export function dutiesOf(
  checked: CheckedPolicy,
  attributes: ReadonlyMap<string, SolverAttribute>,
): string[][] {
  const lowered = lowerTogether([checked]).value[0] as LoweredPolicy;
  const bdd = new Bdd();
  bdd.setDomain(enumerationGroups(lowered.atoms, attributes));
  const functions = new PolicyFunctions(bdd, lowered, checked);
  const ids = [...checked.obligations.keys()];
  return functions.rules.map((rule, i) => {
    const decides =
      lowered.rules[i]?.effect === 'forbid' ? rule : bdd.apply('and', rule, bdd.negate(functions.forbidAny));
    // A query must be able to hold both (the BDD alone admits assignments no query has); a search that gives up
    // keeps the duty, which is the safe side of what a reader is told.
    return ids.filter((_, j) => {
      const both = bdd.apply('and', decides, functions.obligations[j] ?? ZERO);
      return both !== ZERO && findWitness(bdd, both, lowered.atoms, attributes, { exists: true }) !== 'none';
    });
  });
}

/** The atoms of each enumeration attribute, for {@link Bdd.setDomain}: one value at a time. */
export function enumerationGroups(atoms: readonly Atom[], attributes: ReadonlyMap<string, SolverAttribute>) {
  const groups = new Map<string, number[]>();
  atoms.forEach((atom, i) => {
    if (atom.kind === 'equals' && attributes.get(atom.attribute)?.type.kind === 'enum') {
      groups.set(atom.attribute, [...(groups.get(atom.attribute) ?? []), i]);
    }
  });
  return [...groups].map(([attribute, variables]) => {
    const type = attributes.get(attribute)?.type;
    return { variables, exhaustive: type?.kind === 'enum' && type.values.length === variables.length };
  });
}

/** Of how many permits a forbid overrides an overlap note looks for the query it shows. */
const SHOWN_OVERLAPS = 5;

/** How many further steps the search takes, after its first witness, for one closer to the defaults. */
const CLOSER_BUDGET = 10_000;

/** How many steps one search for a witness may take: far beyond what policies of hundreds of rules need. */
const SEARCH_BUDGET = 2_000_000;

/** What a search found: a witness, that there is none, or that it gave up (the budget ran out). */
export type SearchResult = { witness: Map<string, Value>; literals: Literal[] } | 'none' | 'gave-up';

/**
 * Finds a query that `f` holds of, or proves there is none. Walks the paths of `f`'s BDD to its true terminal,
 * pruning a path as soon as it contradicts itself, and asks the solver whether a query can take each whole path.
 * Among the paths it can take, it keeps the witness closest to the defaults (fewest attributes given).
 */
export function findWitness(
  bdd: Bdd,
  f: number,
  atoms: readonly Atom[],
  attributes: ReadonlyMap<string, SolverAttribute>,
  options: {
    closest?: boolean;
    /**
     * Only whether there is a witness: a path that tests nothing but booleans, values and bounds, and does not
     * contradict itself, is one, and its witness is not built (the answer's `witness` is then empty).
     */
    exists?: boolean;
  } = {},
): SearchResult {
  let best: { witness: Map<string, Value>; literals: Literal[]; cost: number } | undefined;
  let steps = 0;
  // Once a witness is found, a closer one is sought for a bounded number of further steps only.
  let until = SEARCH_BUDGET;
  const path: Literal[] = [];
  const cost = (witness: Map<string, Value>) =>
    [...witness].filter(([p, v]) => JSON.stringify(attributes.get(p)?.default) !== JSON.stringify(v)).length;
  const visit = (node: number): boolean => {
    if (++steps > until) return true;
    if (node === ZERO || contradicts(path, attributes)) return false;
    if (node === ONE) {
      if (options.exists && path.every((l) => SIMPLE.has(l.atom.kind))) {
        best = { witness: new Map(), literals: [...path], cost: 0 };
        return true;
      }
      const witness = solve(path, attributes);
      if (!witness) return false;
      const found = { witness, literals: [...path], cost: cost(witness) };
      if (!best) until = Math.min(SEARCH_BUDGET, steps + CLOSER_BUDGET);
      if (!best || found.cost < best.cost) best = found;
      return !options.closest || best.cost === 0;
    }
    const atom = atoms[bdd.variable[node] as number] as Atom;
    for (const [child, truth] of [
      [bdd.low[node] as number, false],
      [bdd.high[node] as number, true],
    ] as const) {
      path.push({ atom, holds: truth });
      const stop = visit(child);
      path.pop();
      if (stop) return true;
    }
    return false;
  };
  visit(f);
  if (best) return { witness: best.witness, literals: best.literals };
  return steps > until ? 'gave-up' : 'none';
}

/** The atoms whose literals {@link contradicts} decides alone: a path of these needs no solver. */
const SIMPLE = new Set<Atom['kind']>(['true', 'equals', 'less']);

/**
 * A quick test of a path's literals for contradictions the solver would find too, found early: a boolean both true
 * and false, an attribute equal to two values, an enumeration excluded from all of its values, an integer below a
 * bound and at or above a higher one. Exact for paths of such literals alone.
 */
function contradicts(path: readonly Literal[], attributes: ReadonlyMap<string, SolverAttribute>): boolean {
  const last = path.at(-1);
  if (!last) return false;
  const { atom } = last;
  if (atom.kind === 'true')
    return path.some(
      (l) => l.atom.kind === 'true' && l.atom.attribute === atom.attribute && l.holds !== last.holds,
    );
  if (atom.kind === 'less' || (atom.kind === 'equals' && typeof atom.value === 'number')) {
    // Some integer at or above every bound it must not be below, below every bound it must be below, equal to the
    // value it must equal, and none of those it must not.
    // Within the bounds the vocabulary declares, where it does.
    const type = attributes.get(atom.attribute)?.type;
    const bounds: { min?: number; max?: number } = type?.kind === 'integer' ? type : {};
    let below = bounds.max === undefined ? Number.POSITIVE_INFINITY : bounds.max + 1;
    let atLeast = bounds.min ?? Number.NEGATIVE_INFINITY;
    let equal: number | undefined;
    const unequal = new Set<number>();
    for (const l of path) {
      if (l.atom.kind === 'less' && l.atom.attribute === atom.attribute) {
        if (l.holds) below = Math.min(below, l.atom.bound);
        else atLeast = Math.max(atLeast, l.atom.bound);
      } else if (l.atom.kind === 'equals' && l.atom.attribute === atom.attribute) {
        const value = l.atom.value as number;
        if (!l.holds) unequal.add(value);
        else if (equal !== undefined && equal !== value) return true;
        else equal = value;
      }
    }
    if (equal !== undefined) return equal < atLeast || equal >= below || unequal.has(equal);
    const excluded = [...unequal].filter((v) => v >= atLeast && v < below).length;
    return below - atLeast <= excluded;
  }
  if (atom.kind !== 'equals') return false;
  const about = path.filter(
    (l): l is Literal & { atom: Extract<Atom, { kind: 'equals' }> } =>
      l.atom.kind === 'equals' && l.atom.attribute === atom.attribute,
  );
  const equal = new Set(about.filter((l) => l.holds).map((l) => l.atom.value));
  if (equal.size > 1) return true;
  const [value] = equal;
  if (value !== undefined && about.some((l) => !l.holds && l.atom.value === value)) return true;
  const type = attributes.get(atom.attribute)?.type;
  if (type?.kind === 'enum' && equal.size === 0) {
    const excluded = new Set(about.map((l) => l.atom.value));
    return type.values.every((v) => excluded.has(v));
  }
  return false;
}

/** The truth of a formula, given the truth of each atom. */
function truth(formula: Formula, atom: (a: number) => boolean): boolean {
  switch (formula.kind) {
    case 'const':
      return formula.value;
    case 'atom':
      return atom(formula.atom);
    case 'not':
      return !truth(formula.operand, atom);
    case 'and':
      return formula.operands.every((o) => truth(o, atom));
    case 'or':
      return formula.operands.some((o) => truth(o, atom));
  }
}

/** A witness as a query: required attributes always, the others where they differ from their defaults. */
export function witnessQuery(checked: CheckedPolicy, witness: ReadonlyMap<string, Value>): Witness {
  const query: Witness = {};
  let fresh = 0;
  for (const attribute of checked.attributes.values()) {
    const entity = attribute.entity.id.text;
    const name = attribute.declaration.name.text;
    let value = witness.get(attribute.path);
    if (value === undefined && attribute.required) {
      const type = attribute.type;
      // Any value within the type's bounds serves: no literal of the witness speaks of this attribute.
      value =
        type.kind === 'enum'
          ? (type.values[0] as string)
          : type.kind === 'integer'
            ? Math.min(Math.max(0, type.min ?? 0), type.max ?? Number.MAX_SAFE_INTEGER)
            : type.kind === 'boolean'
              ? false
              : type.kind === 'set'
                ? type.nonEmpty
                  ? [type.element.kind === 'enum' ? (type.element.values[0] as string) : `x-${++fresh}`]
                  : []
                : `x-${++fresh}`;
    }
    if (value === undefined) continue;
    const fallback = attribute.declaration.default;
    const isDefault = fallback !== undefined && JSON.stringify(literal(fallback)) === JSON.stringify(value);
    if (isDefault) continue;
    query[entity] = { ...query[entity], [name]: value };
  }
  return query;
}

/** The proof or refutation of one assertion. */
export interface AssertionResult {
  id: string;
  description?: string;
  /** The claim as written: `never permit when third-party and not court-grounds`. */
  claim: string;
  citations: string[];
  span: SourceSpan;
  status: 'proved' | 'false' | 'undecided';
  /** When false: a query that breaks the claim. */
  counterexample?: Witness;
  milliseconds: number;
}

/** The analysis of a policy: each assertion proved or refuted, and what the analysis finds worth a warning. */
export interface Analysis {
  assertions: AssertionResult[];
  /** How the policy departs from the policy it is `compared with`, when it names one and proofs were asked for. */
  departures?: DepartureAnalysis;
  diagnostics: Diagnostic[];
}

/**
 * Decides every assertion of a checked policy for every query its vocabulary allows, exactly: the claim is turned
 * into a function over the atoms (the queries that would break it), and either no query can make that function
 * true (proved) or the solver builds one (a counterexample). Also finds rules that never fire, permits a forbid
 * always overrides, rules others always cover, obligations never triggered, permits and forbids that overlap, and
 * examples that repeat one another.
 *
 * @example
 * const { assertions, diagnostics } = analyze(checkPolicy('policy.policy', host).value);
 */
export function analyze(
  checked: CheckedPolicy,
  attributes: ReadonlyMap<string, SolverAttribute>,
  options: AnalysisOptions = {},
): Analysis {
  try {
    return analyzeChecked(checked, attributes, options.proofs !== false, options.progress ?? (() => {}));
  } catch (error) {
    // Deep structures the BDDs follow recursively: the last guard, as in `compile`.
    if (!(error instanceof RangeError)) throw error;
    return {
      assertions: [],
      diagnostics: [
        {
          code: 'too-complex',
          severity: 'error',
          message: `the policy is too large to analyse: ${error.message.toLowerCase()}`,
          help: 'split long conditions into named conditions, or the policy into smaller ones',
        },
      ],
    };
  }
}

/** What {@link analyze} does, and whom it tells how far it has got. */
export interface AnalysisOptions {
  /** Prove the assertions too (the default), or only lint. */
  proofs?: boolean;
  /** Hears, now and then, how much of each stage is done: for a progress line on long analyses. */
  progress?: (stage: 'lints' | 'assertions', done: number, total: number) => void;
}

function analyzeChecked(
  checked: CheckedPolicy,
  attributes: ReadonlyMap<string, SolverAttribute>,
  proofs: boolean,
  progress: NonNullable<AnalysisOptions['progress']>,
): Analysis {
  const { value, diagnostics: lowering } = lowerTogether([checked], { assertions: true });
  const lowered = value[0] as LoweredPolicy;
  // An assertion with a test the analysis cannot express is not proved: it is undecided, and the test an error.
  const inexpressible = (span: SourceSpan) =>
    lowering.some(
      (d) =>
        d.span &&
        d.span.file === span.file &&
        d.span.start.offset >= span.start.offset &&
        d.span.end.offset <= span.end.offset,
    );
  const assertions = proofs ? prove(checked, lowered, attributes, inexpressible, progress) : [];
  const departures = proofs ? departuresOf(checked, attributes) : { diagnostics: [] };
  return {
    assertions,
    ...(departures.value ? { departures: departures.value } : {}),
    diagnostics: [...lowering, ...lints(checked, lowered, attributes, progress), ...departures.diagnostics],
  };
}

/**
 * Each assertion, proved or refuted. The policy's functions are BDDs within the domain (an enumeration holds one
 * value), so that a claim's negation spends no nodes on assignments no query can have.
 */
function prove(
  checked: CheckedPolicy,
  lowered: LoweredPolicy,
  attributes: ReadonlyMap<string, SolverAttribute>,
  inexpressible: (span: SourceSpan) => boolean,
  progress: NonNullable<AnalysisOptions['progress']>,
): AssertionResult[] {
  const bdd = new Bdd();
  bdd.setDomain(enumerationGroups(lowered.atoms, attributes));
  const functions = new PolicyFunctions(bdd, lowered, checked, enumerationGroups(lowered.atoms, attributes));
  const order = lowered.atoms.map((_, i) => i);
  const search = (f: number) => findWitness(bdd, f, lowered.atoms, attributes, { closest: true });
  return checked.assertions.flatMap((assertion: AssertDeclaration, k): AssertionResult[] => {
    progress('assertions', k, checked.assertions.length);
    const claim = assertion.claim;
    const when = lowered.assertions.find((a) => a.id === assertion.id.text)?.when;
    if (!claim || !when) return [];
    const started = performance.now();
    const outcome = claim.outcome;
    const target = 'target' in outcome ? outcome.target.text : '';
    const obligationOf = (id: string) =>
      functions.obligations[[...checked.obligations.keys()].indexOf(id)] ?? ZERO;
    const ruleOf = (id: string) => functions.rules[checked.rules.findIndex((r) => r.id.text === id)] ?? ZERO;
    // `permit by RULE`: the rule holds where the decision is its effect's, so it is among those that decide (a
    // permit decides wherever it holds and no forbid does; a forbid wherever it holds). `with`: the obligation too.
    const decided = (decision: number) =>
      [
        'by' in outcome && outcome.by ? ruleOf(outcome.by.text) : undefined,
        'with' in outcome && outcome.with ? obligationOf(outcome.with.text) : undefined,
      ].reduce<number>((f, g) => (g === undefined ? f : bdd.apply('and', f, g)), decision);
    const holds = {
      permit: () => decided(functions.permit),
      deny: () => decided(bdd.negate(functions.permit)),
      require: () => obligationOf(target),
      apply: () => ruleOf(target),
      cite: () => functions.cites(target),
    }[outcome.kind]();
    const broken = bdd.apply(
      'and',
      bdd.build(when, order),
      claim.quantifier === 'always' ? bdd.negate(holds) : holds,
    );
    const found = inexpressible(assertion.span) ? 'gave-up' : search(broken);
    const also = `${'by' in outcome && outcome.by ? ` by ${outcome.by.text}` : ''}${'with' in outcome && outcome.with ? ` with ${outcome.with.text}` : ''}`;
    const text = `${claim.quantifier} ${outcome.kind}${target ? ` ${target}` : ''}${also}${claim.when ? ` when ${formatExpression(claim.when)}` : ''}`;
    return [
      {
        id: assertion.id.text,
        ...(assertion.description ? { description: assertion.description.value } : {}),
        claim: text,
        citations: assertion.because.map((n) => n.text),
        span: assertion.span,
        status: found === 'none' ? 'proved' : found === 'gave-up' ? 'undecided' : 'false',
        ...(typeof found === 'object' ? { counterexample: witnessQuery(checked, found.witness) } : {}),
        milliseconds: performance.now() - started,
      },
    ];
  });
}

/**
 * The values of each enumeration a condition can hold for, where its form says so: each conjunct that tests one
 * enumeration for a value, or for one of several. An attribute it does not name this way may hold any value.
 */
function pinned(formula: Formula, atoms: readonly Atom[]): Map<string, Set<string>> {
  const pins = new Map<string, Set<string>>();
  const equalsOf = (f: Formula) => {
    const atom = f.kind === 'atom' ? atoms[f.atom] : undefined;
    return atom?.kind === 'equals' ? atom : undefined;
  };
  for (const conjunct of formula.kind === 'and' ? formula.operands : [formula]) {
    const tests = (conjunct.kind === 'or' ? conjunct.operands : [conjunct]).map(equalsOf);
    const attribute = tests[0]?.attribute;
    if (attribute === undefined || !tests.every((t) => t?.attribute === attribute)) continue;
    const values = new Set(tests.map((t) => String(t?.value)));
    const before = pins.get(attribute);
    pins.set(attribute, before ? new Set([...before].filter((v) => values.has(v))) : values);
  }
  return pins;
}

/**
 * For each rule of effect `from`, the rules of effect `to` that may hold on a query with it: those whose pinned
 * enumeration values (see {@link pinned}) meet its own. A cheap, sound filter before the exact test of each pair,
 * indexed by the values of the two enumerations that pin the most rules, so a policy of thousands of rules is not
 * tested pair by pair.
 */
function meetings(
  lowered: LoweredPolicy,
  pins: readonly Map<string, Set<string>>[],
  from: 'permit' | 'forbid',
  to: 'permit' | 'forbid',
) {
  const targets = lowered.rules.flatMap((r, j) => (r.effect === to ? [j] : []));
  const counts = new Map<string, number>();
  for (const j of targets)
    for (const attribute of (pins[j] as Map<string, Set<string>>).keys())
      counts.set(attribute, (counts.get(attribute) ?? 0) + 1);
  const keys = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([attribute]) => attribute);
  // A rule is filed under each combination of its values of the key attributes, `*` where it pins none.
  const cells = (pin: Map<string, Set<string>>, wild: boolean) =>
    keys.reduce<string[]>(
      (acc, key) => {
        const values = pin.get(key);
        const options = values ? [...values, ...(wild ? ['*'] : [])] : ['*'];
        return acc.flatMap((prefix) => options.map((v) => `${prefix}|${v}`));
      },
      [''],
    );
  const index = new Map<string, number[]>();
  for (const j of targets) {
    for (const cell of cells(pins[j] as Map<string, Set<string>>, false)) {
      const list = index.get(cell);
      if (list) list.push(j);
      else index.set(cell, [j]);
    }
  }
  const meet = (a: Map<string, Set<string>>, b: Map<string, Set<string>>) =>
    [...a].every(([attribute, values]) => {
      const other = b.get(attribute);
      return !other || [...values].some((v) => other.has(v));
    });
  return (i: number): number[] => {
    if (lowered.rules[i]?.effect !== from) return [];
    const own = pins[i] as Map<string, Set<string>>;
    // A rule that pins no value of a key attribute meets rules of any value: it is looked up everywhere.
    const candidates = keys.every((key) => own.has(key))
      ? cells(own, true).flatMap((cell) => index.get(cell) ?? [])
      : targets;
    return [...new Set(candidates)]
      .sort((a, b) => a - b)
      .filter((j) => meet(own, pins[j] as Map<string, Set<string>>));
  };
}

/**
 * The findings of the analysis that are not errors: dead, shadowed or overlapping rules, idle obligations. Each is
 * a question about a few rules at a time: the rules that may hold together (see {@link meetings}), never the `or`
 * of them all.
 */
function lints(
  checked: CheckedPolicy,
  lowered: LoweredPolicy,
  attributes: ReadonlyMap<string, SolverAttribute>,
  progress: NonNullable<AnalysisOptions['progress']>,
): Diagnostic[] {
  // Each rule's own tests only. A question about some rules takes the domain of the enumeration atoms they test
  // (one value at a time), and no more: without it, a combination of rules would track each value apart; with all
  // of it, every question would carry every enumeration of the vocabulary.
  const bdd = new Bdd();
  const order = lowered.atoms.map((_, i) => i);
  const rules = lowered.rules.map((r) => bdd.build(r.when, order));
  const groups = enumerationGroups(lowered.atoms, attributes);
  const within = (f: number, about: readonly number[]) => {
    const tested = new Set(about.flatMap((g) => bdd.support(g)));
    const local = groups.flatMap((group) => {
      const variables = group.variables.filter((v) => tested.has(v));
      if (variables.length === 0) return [];
      return [{ variables, exhaustive: group.exhaustive && variables.length === group.variables.length }];
    });
    return bdd.apply('and', f, bdd.exclusive(local));
  };
  const pins = lowered.rules.map((r) => pinned(r.when, lowered.atoms));
  /**
   * Rule `j` where rule `i` holds, as far as `i` pins enumerations down: a test of a value `i` rules out is false.
   * Most of what `j` tests of the enumerations then falls away, and so does the domain of those atoms.
   */
  const supports = rules.map((f) => bdd.support(f));
  const narrowed = (j: number, i: number) =>
    (supports[j] as number[]).reduce((g, v) => {
      const atom = lowered.atoms[v];
      const values = atom?.kind === 'equals' ? pins[i]?.get(atom.attribute) : undefined;
      return values && !values.has(String((atom as { value: unknown }).value))
        ? bdd.restrict(g, v, false)
        : g;
    }, rules[j] as number);
  const possible = (f: number) =>
    f !== ZERO && findWitness(bdd, f, lowered.atoms, attributes, { exists: true }) !== 'none';
  /**
   * Which rules hold of one query: the witness of a rule, its other attributes as {@link witnessQuery} gives them.
   * A query that shows a rule holding without some others answers, for those, what the BDDs would be asked.
   */
  const ruleAt = (witness: ReadonlyMap<string, Value>) => {
    const query = witnessQuery(checked, witness);
    const value = (path: string): Value | undefined => {
      const info = checked.attributes.get(path);
      const given = info ? query[info.entity.id.text]?.[info.declaration.name.text] : undefined;
      return given ?? attributes.get(path)?.default;
    };
    const known = new Int8Array(lowered.atoms.length).fill(-1);
    const atom = (a: number) => {
      if (known[a] === -1) known[a] = holds(lowered.atoms[a] as Atom, value) ? 1 : 0;
      return known[a] === 1;
    };
    return (j: number) => truth(lowered.rules[j]?.when as Formula, atom);
  };
  /**
   * Whether some query satisfies rule `i` and none of the rules `others`, starting from `found`, a query that
   * satisfies `i`. The others that hold of the query are taken away from `i` and a query sought again, until one
   * holds of none of them, or none is left: most rules are shown to hold alone by the first query or the next, and
   * only the rules that do hold of some query on the way are ever taken away.
   */
  const possibleWithout = (
    i: number,
    others: readonly number[],
    found: { witness: ReadonlyMap<string, Value> },
  ): boolean => {
    let g = within(rules[i] as number, [rules[i] as number]);
    let left = others;
    let witness = found.witness;
    for (;;) {
      const at = ruleAt(witness);
      const holding = left.filter((j) => at(j));
      if (holding.length === 0) return true;
      for (const j of holding) {
        const h = narrowed(j, i);
        if (h !== ZERO) g = within(bdd.apply('andNot', g, h), [h]);
      }
      left = left.filter((j) => !at(j));
      const next = g === ZERO ? 'none' : findWitness(bdd, g, lowered.atoms, attributes);
      // A search that gives up counts as a query found, as everywhere in the lints: nothing is reported then.
      if (typeof next !== 'object') return next === 'gave-up';
      witness = next.witness;
    }
  };
  const diagnostics: Diagnostic[] = [];
  const report = (
    code: DiagnosticCode,
    severity: Diagnostic['severity'],
    message: string,
    span: SourceSpan,
    help: string,
    related?: Diagnostic['related'],
  ) => diagnostics.push({ code, severity, message, span, help, ...(related ? { related } : {}) });
  const forbidsMeeting = meetings(lowered, pins, 'permit', 'forbid');
  // The rules of its own effect that may hold with a rule: only these can cover it.
  const alike = [meetings(lowered, pins, 'permit', 'permit'), meetings(lowered, pins, 'forbid', 'forbid')];
  const others = (i: number) => alike.flatMap((meeting) => meeting(i)).filter((j) => j !== i);
  /** For each forbid, the permits that hold on some query with it (those found to decide something at all). */
  const overlaps = new Map<number, number[]>();
  /** Where permit `i` and forbid `j` both hold, within the domain of what they test. */
  const together = (i: number, j: number) => {
    const both = bdd.apply('and', rules[i] as number, narrowed(j, i));
    return within(both, [both]);
  };
  /**
   * One note for a forbid that wins over permits where they apply too, naming them all and showing one query in the
   * vocabulary's words; the permits its `overrides` names are intended, and need no note. A permit named there that
   * it never meets is warned of.
   */
  const overlapNote = (rule: RuleDeclaration, j: number, overlapping: readonly number[]) => {
    const named = new Set((rule.overrides ?? []).map((n) => n.text));
    for (const name of rule.overrides ?? []) {
      const i = checked.rules.findIndex((r) => r.id.text === name.text && r.effect === 'permit');
      if (i < 0 || overlapping.includes(i) || possible(together(i, j))) continue;
      report(
        'override-unused',
        'warning',
        `forbid \`${rule.id.text}\` overrides \`${name.text}\`, but the two never apply to the same query`,
        name.span,
        'remove it from `overrides`, or correct the condition of one of them',
      );
    }
    const left = overlapping.filter((i) => !named.has(checked.rules[i]?.id.text ?? ''));
    if (left.length === 0) return;
    const ids = left.map((i) => checked.rules[i]?.id.text ?? '');
    // The query shown is the one said in fewest words, of the first few permits.
    const [shown] = left
      .slice(0, SHOWN_OVERLAPS)
      .map((i) => {
        const found = findWitness(bdd, together(i, j), lowered.atoms, attributes, { closest: true });
        return { i, where: typeof found === 'object' ? describePath(found.literals, attributes) : [] };
      })
      .filter((w) => w.where.length > 0)
      .sort((a, b) => a.where.length - b.where.length);
    const such = shown
      ? `, such as where ${shown.where.map((w) => `\`${w}\``).join(' and ')}${left.length > 1 ? ` (with \`${checked.rules[shown.i]?.id.text}\`)` : ''}`
      : '';
    const listed = ids.map((id) => `\`${id}\``);
    const permits =
      listed.length === 1
        ? `permit ${listed[0]}`
        : `permits ${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
    const clause = `overrides ${ids.join(', ')}`;
    const last = rule.overrides?.at(-1);
    diagnostics.push({
      code: 'rules-overlap',
      severity: 'info',
      message: `forbid \`${rule.id.text}\` overrides ${permits} where ${listed.length === 1 ? 'both apply' : 'they apply too'}${such}`,
      span: rule.id.span,
      help: `if that is intended, say so with \`${clause}\` on the forbid; if not, narrow one of the rules`,
      fix: {
        title: `add \`${clause}\` to \`${rule.id.text}\``,
        edits: [
          last
            ? { span: { ...last.span, start: last.span.end }, newText: `, ${ids.join(', ')}` }
            : {
                span: { ...rule.span, start: rule.span.end },
                newText: `\n${' '.repeat(rule.span.start.column + 1)}${clause}`,
              },
        ],
      },
      related: left.map((i) => ({
        span: (checked.rules[i] as RuleDeclaration).id.span,
        message: `permit \`${checked.rules[i]?.id.text}\``,
      })),
    });
  };
  checked.rules.forEach((rule, i) => {
    if (i % 100 === 0) progress('lints', i, checked.rules.length);
    const f = rules[i] as number;
    const id = `\`${rule.id.text}\``;
    const found = f === ZERO ? 'none' : findWitness(bdd, within(f, [f]), lowered.atoms, attributes);
    const at = typeof found === 'object' ? ruleAt(found.witness) : () => true;
    if (found === 'none') {
      report(
        'rule-never-applies',
        'warning',
        `rule ${id} applies to no query`,
        rule.id.span,
        'its condition contradicts itself or the vocabulary: correct it, or remove the rule',
      );
      return;
    }
    const holdsWithout = (others: readonly number[]) =>
      typeof found !== 'object' || possibleWithout(i, others, found);
    if (rule.effect === 'permit' && !holdsWithout(forbidsMeeting(i))) {
      report(
        'permit-overridden',
        'warning',
        `permit ${id} never permits anything: a forbid applies wherever it does`,
        rule.id.span,
        'narrow the forbid, or remove the permit',
      );
      return;
    }
    if (!holdsWithout(others(i))) {
      report(
        'rule-covered',
        'info',
        `rule ${id} never decides alone: wherever it applies, another ${rule.effect} does too`,
        rule.id.span,
        'it only adds a reason; remove it if that reason is not needed',
      );
    }
    if (rule.effect !== 'permit') return;
    for (const j of forbidsMeeting(i)) {
      if (!at(j) && !possible(together(i, j))) continue;
      const list = overlaps.get(j);
      if (list) list.push(i);
      else overlaps.set(j, [i]);
    }
  });
  checked.rules.forEach((rule, j) => {
    if (rule.effect === 'forbid') overlapNote(rule, j, overlaps.get(j) ?? []);
  });
  // Examples that ask the same question, defaults filled in and sets taken as sets.
  const seen = new Map<string, string>();
  for (const example of examplesOf(checked)) {
    const filled = [...checked.attributes.values()].map((a) => {
      const given = example.query[a.entity.id.text]?.[a.declaration.name.text];
      const value = given ?? (a.declaration.default ? literal(a.declaration.default) : undefined);
      return Array.isArray(value) ? [...value].map(String).sort() : value;
    });
    const key = JSON.stringify(filled);
    const first = seen.get(key);
    if (first !== undefined) {
      report(
        'duplicate-example',
        'warning',
        `this example asks the same question as "${first}"`,
        example.declaration.description.span,
        'change what it gives, or remove it',
      );
    } else seen.set(key, example.description);
  }
  [...checked.obligations.values()].forEach((obligation, i) => {
    const o = bdd.build(lowered.obligations[i] as Formula, order);
    if (!possible(within(o, [o]))) {
      report(
        'obligation-never-triggered',
        'warning',
        `obligation \`${obligation.id.text}\` is triggered by no query`,
        obligation.id.span,
        'its `require … when` conditions never hold: correct them, or remove the obligation',
      );
    }
  });
  return diagnostics;
}
