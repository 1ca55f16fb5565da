import {
  type AttributeInfo,
  type CheckedPolicy,
  type Diagnostic,
  hasErrors,
  type Result,
  type Type,
} from '@tenet/language';
import {
  ARTIFACT_FORMAT,
  type Artifact,
  type Atom,
  type AttributeType,
  type CitationSpec,
  type EntitySpec,
  type Graph,
  type Value,
} from '@tenet/runtime';
import { AtomTable, atomsOf, combine, type Formula, settle } from './formula.js';
import {
  buildGraph,
  choicesOf,
  compileGraph,
  GRAPH_LIMITS,
  type GraphLimits,
  graphLimitsFor,
} from './graph.js';
import { artifactHash } from './hash.js';
import { Lowering, literal } from './lower.js';

/** A policy lowered to formulas over atoms: the input of the graph, the JSON-logic export and the analyses. */
export interface LoweredPolicy {
  atoms: Atom[];
  rules: { id: string; effect: 'permit' | 'forbid'; when: Formula }[];
  /** One formula per obligation, in `artifact.obligations` order: the `or` of its `require`s. */
  obligations: Formula[];
  /** The `when` of each assertion that has a claim, when asked for (see {@link lowerTogether}). */
  assertions: { id: string; when: Formula }[];
  /** Each departure an interpretation acknowledges, in order, when assertions are asked for. */
  departures: { interpretation: string; kind: 'looser' | 'stricter'; when: Formula }[];
}

/**
 * Text as prose: a single line break in a text block is where the author wrapped the line, so it becomes a space;
 * a blank line separates paragraphs and stays.
 */
function prose(text: { value: string }): string {
  return text.value
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, ' ').trim())
    .join('\n\n');
}

function attributeType(type: Type): AttributeType {
  switch (type.kind) {
    case 'enum':
      return { kind: 'enum', values: [...type.values] };
    case 'set':
      return {
        kind: 'set',
        element:
          type.element.kind === 'enum'
            ? { kind: 'enum', values: [...type.element.values] }
            : { kind: 'identifier' },
        ...(type.nonEmpty ? { nonEmpty: true } : {}),
      };
    case 'integer':
      return {
        kind: 'integer',
        ...(type.min === undefined ? {} : { min: type.min }),
        ...(type.max === undefined ? {} : { max: type.max }),
      };
    default:
      return { kind: type.kind };
  }
}

const optionalSection = (section: string | undefined) => (section ? { section } : {});

/** Compares by code unit: the same order on every machine, whatever its locale. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The attributes an atom tests, the first of which orders it in the graph. */
export function attributesOf(atom: Atom): string[] {
  switch (atom.kind) {
    case 'same':
      return [atom.attribute, atom.other];
    case 'member':
      return [atom.attribute, atom.set];
    case 'contains':
    case 'within':
      return [atom.set];
    default:
      return [atom.attribute];
  }
}

function renumber(formula: Formula, to: readonly number[]): Formula {
  switch (formula.kind) {
    case 'const':
      return formula;
    case 'atom':
      return { kind: 'atom', atom: to[formula.atom] as number };
    case 'not':
      return { kind: 'not', operand: renumber(formula.operand, to) };
    default:
      return { kind: formula.kind, operands: formula.operands.map((o) => renumber(o, to)) };
  }
}

/**
 * The order of the attributes in the graph, as ranks. Enumerations come first: a test of one splits the queries
 * into as many classes as it has values, and most rules hold in few of them, so the graph below each value has few
 * rules left to decide. Among enumerations, and then among the other attributes, the one more conditions test
 * comes first; ties keep the vocabulary's order.
 */
function attributeOrder(
  attributes: ReadonlyMap<string, AttributeInfo>,
  atoms: readonly Atom[],
  conditions: readonly Formula[],
): Map<string, number> {
  const uses = new Map<string, number>();
  for (const condition of conditions) {
    const tested = new Set([...atomsOf(condition)].map((a) => attributesOf(atoms[a] as Atom)[0]));
    for (const path of tested) if (path) uses.set(path, (uses.get(path) ?? 0) + 1);
  }
  const paths = [...attributes.keys()];
  const isEnum = (path: string) => (attributes.get(path)?.type.kind === 'enum' ? 0 : 1);
  paths.sort((a, b) => isEnum(a) - isEnum(b) || (uses.get(b) ?? 0) - (uses.get(a) ?? 0));
  return new Map(paths.map((path, rank) => [path, rank]));
}

/**
 * Lowers every rule and obligation to formulas, with the atoms in graph order: grouped by the attribute they test
 * (enumerations first, then the attributes more conditions test), so the tests of one attribute sit together.
 */
export function lower(checked: CheckedPolicy): Result<LoweredPolicy> {
  const { value, diagnostics } = lowerTogether([checked]);
  return { value: value[0] as LoweredPolicy, diagnostics };
}

/**
 * Lowers several policies over one vocabulary into one set of atoms, so their formulas can be compared (`diff`),
 * with each policy's assertions too when `assertions` is set (the analyzer's input; the artifact leaves them out).
 */
export function lowerTogether(
  policies: readonly CheckedPolicy[],
  options: { assertions?: boolean } = {},
): Result<LoweredPolicy[]> {
  const table = new AtomTable();
  const diagnostics: Diagnostic[] = [];
  const lowered = policies.map((checked) => {
    const lowering = new Lowering(checked, table);
    const result = {
      rules: checked.rules.map((rule) => ({
        id: rule.id.text,
        effect: rule.effect,
        when: lowering.when(rule.when),
      })),
      obligations: [...checked.obligations.values()].map((obligation) =>
        combine(
          'or',
          checked.requirements
            .filter((r) => r.obligation.text === obligation.id.text)
            .map((r) => lowering.when(r.when)),
        ),
      ),
      assertions: options.assertions
        ? checked.assertions.flatMap((a) =>
            a.claim ? [{ id: a.id.text, when: lowering.when(a.claim.when) }] : [],
          )
        : [],
      departures: options.assertions
        ? checked.interpretations.flatMap((i) =>
            i.departures.map((d) => ({
              interpretation: i.id.text,
              kind: d.kind,
              when: lowering.when(d.when),
            })),
          )
        : [],
    };
    diagnostics.push(...lowering.diagnostics);
    return result;
  });
  const attributes = new Map(policies.flatMap((p) => [...p.attributes]));
  const rankOf = attributeOrder(
    attributes,
    table.atoms,
    lowered.flatMap((l) => [...l.rules.map((r) => r.when), ...l.obligations]),
  );
  const rank = (atom: Atom) => rankOf.get(attributesOf(atom)[0] ?? '') ?? 0;
  // Within an attribute, an enumeration's values in the order the vocabulary declares them.
  const position = (atom: Atom) => {
    if (atom.kind !== 'equals') return -1;
    const type = attributes.get(atom.attribute)?.type;
    return type?.kind === 'enum' ? type.values.indexOf(String(atom.value)) : -1;
  };
  const order = table.atoms
    .map((atom, index) => ({ atom, index }))
    .sort(
      (a, b) =>
        rank(a.atom) - rank(b.atom) ||
        position(a.atom) - position(b.atom) ||
        compareText(JSON.stringify(a.atom), JSON.stringify(b.atom)),
    );
  const to: number[] = [];
  order.forEach((entry, at) => {
    to[entry.index] = at;
  });
  const atoms = order.map((entry) => entry.atom);
  return {
    value: lowered.map((l) => ({
      atoms,
      rules: l.rules.map((r) => ({ ...r, when: renumber(r.when, to) })),
      obligations: l.obligations.map((f) => renumber(f, to)),
      assertions: l.assertions.map((a) => ({ ...a, when: renumber(a.when, to) })),
      departures: l.departures.map((d) => ({ ...d, when: renumber(d.when, to) })),
    })),
    diagnostics,
  };
}

function vocabulary(checked: CheckedPolicy): EntitySpec[] {
  const byEntity = new Map<string, AttributeInfo[]>();
  for (const attribute of checked.attributes.values()) {
    const list = byEntity.get(attribute.entity.id.text) ?? [];
    list.push(attribute);
    byEntity.set(attribute.entity.id.text, list);
  }
  return [...checked.entities.values()].map((entity) => ({
    name: entity.id.text,
    ...(entity.description ? { description: entity.description.value } : {}),
    attributes: (byEntity.get(entity.id.text) ?? []).map((a) => ({
      name: a.declaration.name.text,
      type: attributeType(a.type),
      ...(a.declaration.default ? { default: literal(a.declaration.default) as Value } : {}),
      ...(a.declaration.description ? { description: a.declaration.description.value } : {}),
      ...labelsOf(a.declaration),
      ...(a.declaration.advice && a.declaration.advice.value !== 'suggest'
        ? { advice: a.declaration.advice.value }
        : {}),
    })),
  }));
}

/** An attribute's label, and its enumeration's value labels when every value has one. */
function labelsOf(declaration: AttributeInfo['declaration']): { label?: string; valueLabels?: string[] } {
  const type = declaration.type.kind === 'set' ? declaration.type.element : declaration.type;
  const valueLabels = type.kind === 'enum' ? type.labels.map((l) => l?.value) : [];
  return {
    ...(declaration.label ? { label: declaration.label.value } : {}),
    ...(valueLabels.length > 0 && valueLabels.every((l) => l !== undefined) ? { valueLabels } : {}),
  };
}

function citations(checked: CheckedPolicy): CitationSpec[] {
  const authorities = [...checked.authorities.values()].map(
    (a): CitationSpec => ({
      id: a.id.text,
      kind: 'authority',
      label: a.label.value,
      ...(a.title ? { title: a.title.value } : {}),
      ...(a.quote ? { text: prose(a.quote) } : {}),
      ...(a.enactedBy ? { enactedBy: a.enactedBy.value } : {}),
      ...(a.amendedBy.length > 0 ? { amendedBy: a.amendedBy.map((t) => t.value) } : {}),
      ...(a.effective ? { effective: a.effective.value } : {}),
      ...(a.superseded ? { superseded: a.superseded.date.value } : {}),
      ...(a.superseded?.by ? { supersededBy: a.superseded.by.text } : {}),
    }),
  );
  const sections = [...checked.sections.values()].map(
    (s): CitationSpec => ({
      id: s.id.text,
      kind: 'section',
      label: s.title.value,
      ...(s.quote ? { text: prose(s.quote) } : {}),
    }),
  );
  const readings = checked.interpretations.map(
    (i): CitationSpec => ({
      id: i.id.text,
      kind: 'interpretation',
      label: i.title?.value ?? i.id.text,
      ...(i.says ? { text: prose(i.says) } : {}),
      citations: i.because.map((n) => n.text),
    }),
  );
  return [...authorities, ...sections, ...readings];
}

/**
 * The decision graph of a checked policy without its obligations, each path ending as soon as its decision is
 * settled: the smaller picture of how the policy decides (the board document draws it). With `fixed`, the graph of
 * the questions whose enumerations hold those values (what the record is wanted for), smaller still.
 */
export function decisionsGraph(
  checked: CheckedPolicy,
  fixed: ReadonlyMap<string, string> = new Map(),
): { atoms: Atom[]; graph: Graph } {
  const lowered = lower(checked).value;
  const value = (atom: number) => {
    const a = lowered.atoms[atom];
    const held = a?.kind === 'equals' ? fixed.get(a.attribute) : undefined;
    return held === undefined ? undefined : a?.kind === 'equals' && a.value === held;
  };
  return {
    atoms: lowered.atoms,
    graph: buildGraph({
      atomCount: lowered.atoms.length,
      choices: choicesOf(lowered.atoms, (path) => checked.attributes.get(path)?.type),
      rules: lowered.rules.map((r) => ({ ...r, when: settle(r.when, value) })),
      obligations: [],
      decisive: true,
    }),
  };
}

/** How {@link compile} works. */
export interface CompileOptions {
  /**
   * How many bytes the decision graph may take while it is built (the CLI gives half the heap it has left). A
   * policy whose rules do not fit one graph within them is compiled in parts; only one that does not fit even then
   * is refused, as `too-complex`. By default, about a gigabyte.
   */
  memory?: number;
  /** The limits themselves, which `memory` otherwise sets (see {@link graphLimitsFor}). */
  limits?: GraphLimits;
}

/**
 * Compiles a checked policy into its artifact: the vocabulary, the decision graph, and every text an explanation
 * quotes. Refuses (with the diagnostics) a policy that has errors.
 *
 * @example
 * const { value: artifact, diagnostics } = compile(checkPolicy('policy.policy', host).value);
 */
export function compile(checked: CheckedPolicy, options: CompileOptions = {}): Result<Artifact | undefined> {
  try {
    const limits =
      options.limits ?? (options.memory === undefined ? GRAPH_LIMITS : graphLimitsFor(options.memory));
    return compileChecked(checked, limits);
  } catch (error) {
    // Deep structures are walked without recursion where the policy decides their depth; this is the last guard.
    if (!(error instanceof RangeError)) throw error;
    return {
      value: undefined,
      diagnostics: [
        {
          code: 'too-complex',
          severity: 'error',
          message: `the policy is too large to compile: ${error.message.replace(/^./, (c) => c.toLowerCase())}`,
          help: 'split the policy into smaller ones, or run with more memory (`node --max-old-space-size=…`)',
        },
      ],
    };
  }
}

function compileChecked(checked: CheckedPolicy, limits: GraphLimits): Result<Artifact | undefined> {
  const policy = checked.policy;
  const diagnostics: Diagnostic[] = [];
  if (!policy) {
    diagnostics.push({
      code: 'missing-policy',
      severity: 'error',
      message: 'there is no `policy` header to compile',
      help: 'compile the file that begins with `policy ID "Title"`',
    });
    return { value: undefined, diagnostics };
  }
  const lowered = lower(checked);
  diagnostics.push(...lowered.diagnostics);
  if (hasErrors(diagnostics)) return { value: undefined, diagnostics };
  const defaultEffect = policy.defaultEffect?.effect ?? 'deny';
  const graph = compileGraph(
    {
      atomCount: lowered.value.atoms.length,
      choices: choicesOf(lowered.value.atoms, (path) => checked.attributes.get(path)?.type),
      rules: lowered.value.rules,
      obligations: lowered.value.obligations,
    },
    limits,
  );
  const content: Omit<Artifact, 'hash'> = {
    format: ARTIFACT_FORMAT,
    policy: {
      id: policy.id.text,
      title: policy.title?.value ?? policy.id.text,
      ...(policy.owner ? { owner: policy.owner.value } : {}),
      ...(policy.version ? { version: policy.version.value } : {}),
      history: policy.history.map((h) => ({
        event: h.event,
        date: h.date.value,
        ...(h.by ? { by: h.by.value } : {}),
      })),
      defaultEffect,
      defaultCitations: policy.defaultEffect?.because.map((n) => n.text) ?? [],
      ...(policy.referral ? { referral: prose(policy.referral) } : {}),
    },
    vocabulary: vocabulary(checked),
    atoms: lowered.value.atoms,
    graph,
    rules: checked.rules.map((rule) => ({
      id: rule.id.text,
      effect: rule.effect,
      ...(rule.says ? { says: prose(rule.says) } : {}),
      citations: rule.because.map((n) => n.text),
      ...optionalSection(checked.sectionOf.get(rule)?.id.text),
    })),
    obligations: [...checked.obligations.values()].map((o) => ({
      id: o.id.text,
      ...(o.title ? { title: o.title.value } : {}),
      ...(o.says ? { says: prose(o.says) } : {}),
      citations: o.because.map((n) => n.text),
    })),
    citations: citations(checked),
  };
  const artifact: Artifact = { ...content, hash: artifactHash(content) };
  return { value: artifact, diagnostics };
}
