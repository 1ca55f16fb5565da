import { ARTIFACT_FORMAT, type Artifact, type AttributeType, inBounds, type Value } from './artifact.js';
import { isIdentifier } from './identifier.js';
import { MAX_SET_SIZE } from './limits.js';

type Json = Record<string, unknown>;

/** How many problems with an artifact are reported at most. */
const MAX_PROBLEMS = 20;

/** A name as the language writes one: rule, attribute, citation and obligation ids, enumeration values. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;
/** Text a person reads: no control characters but tabs and line breaks, so none can drive a terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it refuses.
const TEXT = /^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$/;
const HASH = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

class NotData extends Error {}

/**
 * A copy of `value` made of JSON data alone, each property read once: objects without a prototype, dense arrays,
 * finite numbers. Anything else (a function, a class instance, a hole in an array, a cycle) is refused. The copy
 * is what is checked and then used, so a getter or proxy that answers differently the second time has no second
 * time.
 */
function copyData(value: unknown, where: string, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new NotData(`${where} is a number JSON cannot hold`);
  }
  if (typeof value !== 'object') throw new NotData(`${where} is a ${typeof value}, which JSON cannot hold`);
  if (depth > 16) throw new NotData(`${where} is nested deeper than an artifact is`);
  if (Array.isArray(value)) {
    const length = value.length;
    const copy: unknown[] = new Array(length);
    for (let i = 0; i < length; i++) {
      if (!Object.hasOwn(value, i)) throw new NotData(`${where}[${i}] is a hole in a list`);
      copy[i] = copyData(value[i], `${where}[${i}]`, depth + 1);
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    throw new NotData(`${where} is an object that is not plain JSON`);
  const copy: Json = Object.create(null);
  for (const key of Object.keys(value)) {
    const member = (value as Json)[key];
    // As in JSON text, a member that is undefined is absent.
    if (member !== undefined)
      copy[key] = copyData(member, `${where}.${NAME.test(key) ? key : '…'}`, depth + 1);
  }
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** What one field of an artifact must be: it adds what is wrong with `value` to `problems`. */
type Field = (value: unknown, where: string, problems: Problems) => void;

/** The path of `key` in the object at `where` ('' for the artifact itself). */
const at = (where: string, key: string) => (where ? `${where}.${key}` : key);

class Problems {
  readonly list: string[] = [];
  add(where: string, what: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(`${where ? `\`${where}\`` : 'the artifact'} ${what}`);
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

const matching =
  (pattern: RegExp, what: string): Field =>
  (v, where, problems) => {
    if (!isString(v) || !pattern.test(v)) problems.add(where, `is ${what}`);
  };
const name = matching(NAME, 'a name');
const text = matching(TEXT, 'text without control characters');
const oneOf =
  (...values: string[]): Field =>
  (v, where, problems) => {
    if (!values.includes(v as string)) problems.add(where, `is one of ${values.join(', ')}`);
  };
const listOf =
  (item: Field): Field =>
  (v, where, problems) => {
    if (!Array.isArray(v)) problems.add(where, 'is a list');
    else
      v.forEach((x, i) => {
        item(x, `${where}[${i}]`, problems);
      });
  };
/** An object with exactly these fields: `required`, and `optional` where present. */
const shape =
  (required: Record<string, Field>, optional: Record<string, Field> = {}): Field =>
  (v, where, problems) => {
    if (!isObject(v)) return problems.add(where, 'is an object');
    for (const [key, field] of Object.entries(required)) {
      if (key in v) field(v[key], at(where, key), problems);
      else problems.add(at(where, key), 'is missing');
    }
    for (const [key, field] of Object.entries(optional))
      if (key in v) field(v[key], at(where, key), problems);
    for (const key of Object.keys(v))
      if (!Object.hasOwn(required, key) && !Object.hasOwn(optional, key))
        problems.add(where, 'has a field no artifact has');
  };

const values = listOf(name);
const safeInteger: Field = (v, where, problems) => {
  if (!Number.isSafeInteger(v)) problems.add(where, 'is a safe integer');
};
const type: Field = (v, where, problems) => {
  if (!isObject(v)) return problems.add(where, 'is a type');
  switch (v.kind) {
    case 'boolean':
    case 'identifier':
      return shape({ kind: oneOf(v.kind) })(v, where, problems);
    case 'integer':
      shape({ kind: oneOf('integer') }, { min: safeInteger, max: safeInteger })(v, where, problems);
      if (typeof v.min === 'number' && typeof v.max === 'number' && v.min > v.max)
        problems.add(where, 'has no integer between its bounds');
      return;
    case 'enum':
      return shape({ kind: oneOf('enum'), values })(v, where, problems);
    case 'set':
      return shape(
        {
          kind: oneOf('set'),
          element: (e, w, p) =>
            isObject(e) && e.kind === 'identifier'
              ? shape({ kind: oneOf('identifier') })(e, w, p)
              : shape({ kind: oneOf('enum'), values })(e, w, p),
        },
        {
          nonEmpty: (e, w, p) => {
            if (e !== true) p.add(w, 'is true where present');
          },
        },
      )(v, where, problems);
    default:
      problems.add(at(where, 'kind'), 'is boolean, integer, identifier, enum or set');
  }
};

const citationIds = listOf(name);
const structure = shape(
  {
    format: oneOf(ARTIFACT_FORMAT),
    hash: matching(HASH, 'a SHA-256 in hex'),
    policy: shape(
      {
        id: name,
        title: text,
        history: listOf(shape({ event: name, date: text }, { by: text })),
        defaultEffect: oneOf('permit', 'deny'),
      },
      { owner: text, version: text, defaultCitations: citationIds, referral: text },
    ),
    vocabulary: listOf(
      shape(
        {
          name,
          attributes: listOf(
            shape(
              { name, type },
              {
                default: () => {},
                description: text,
                label: text,
                valueLabels: listOf(text),
                advice: oneOf('never', 'counsel'),
              },
            ),
          ),
        },
        { description: text },
      ),
    ),
    atoms: listOf((v, where, problems) => {
      if (!isObject(v)) return problems.add(where, 'is an atom');
      const fields: Record<string, Record<string, Field>> = {
        true: { attribute: text },
        equals: { attribute: text, value: () => {} },
        same: { attribute: text, other: text },
        member: { attribute: text, set: text },
        contains: { set: text, value: () => {} },
        within: { set: text, values: listOf(() => {}) },
        less: { attribute: text, bound: () => {} },
      };
      const kind = String(v.kind);
      if (!Object.hasOwn(fields, kind)) return problems.add(at(where, 'kind'), 'is no kind of atom');
      shape({ kind: oneOf(kind), ...fields[kind] })(v, where, problems);
    }),
    graph: shape({
      root: () => {},
      nodes: listOf(() => {}),
      found: listOf(shape({ rules: listOf(() => {}), obligations: listOf(() => {}) }, { next: () => {} })),
    }),
    rules: listOf(
      shape(
        { id: name, effect: oneOf('permit', 'forbid'), citations: citationIds },
        { says: text, section: name },
      ),
    ),
    obligations: listOf(shape({ id: name, citations: citationIds }, { title: text, says: text })),
    citations: listOf(
      shape(
        { id: name, kind: oneOf('authority', 'section', 'interpretation'), label: text },
        {
          title: text,
          text,
          enactedBy: text,
          amendedBy: listOf(text),
          effective: text,
          superseded: text,
          supersededBy: text,
          citations: citationIds,
        },
      ),
    ),
  },
  {
    signature: shape({
      algorithm: oneOf('Ed25519'),
      key: matching(/^[0-9a-f]{16}$/, 'a key id (16 hex digits)'),
      value: matching(BASE64, 'base64'),
    }),
  },
);

/** Whether `value` is a value of `type`: what a default must be, as a query's value would. */
function fits(type: AttributeType, value: unknown): boolean {
  switch (type.kind) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'identifier':
      return isIdentifier(value);
    case 'enum':
      return typeof value === 'string' && type.values.includes(value);
    case 'set':
      return (
        Array.isArray(value) &&
        value.length <= MAX_SET_SIZE &&
        value.every((member) => fits(type.element as AttributeType, member))
      );
  }
}

/** The problems of an artifact whose structure is sound: names that must resolve, and values that must fit. */
function meaningProblems(artifact: Artifact, problems: Problems): void {
  const unique = (ids: string[], what: string) => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) problems.add(what, `has \`${id}\` twice`);
      seen.add(id);
    }
  };
  const types = new Map<string, AttributeType>();
  unique(
    artifact.vocabulary.map((e) => e.name),
    'vocabulary',
  );
  artifact.vocabulary.forEach((entity, e) => {
    unique(
      entity.attributes.map((a) => a.name),
      `vocabulary[${e}].attributes`,
    );
    entity.attributes.forEach((attribute, a) => {
      const where = `vocabulary[${e}].attributes[${a}]`;
      types.set(`${entity.name}.${attribute.name}`, attribute.type);
      for (const list of [attribute.type.kind === 'enum' ? attribute.type.values : []])
        unique(list, `${where}.type.values`);
      if (
        'default' in attribute &&
        (!fits(attribute.type, attribute.default) || !inBounds(attribute.type, attribute.default as Value))
      )
        problems.add(`${where}.default`, 'is not a value of the attribute’s type');
      const enumeration = attribute.type.kind === 'set' ? attribute.type.element : attribute.type;
      if (
        attribute.valueLabels &&
        (enumeration.kind !== 'enum' || enumeration.values.length !== attribute.valueLabels.length)
      )
        problems.add(`${where}.valueLabels`, 'is not one label for each value of the enumeration');
    });
  });

  const kindOf = (path: string) => types.get(path)?.kind;
  const scalar = (path: string) => ['boolean', 'integer', 'identifier', 'enum'].includes(kindOf(path) ?? '');
  const element = (set: string) => {
    const t = types.get(set);
    return t?.kind === 'set' ? (t.element as AttributeType) : undefined;
  };
  artifact.atoms.forEach((atom, i) => {
    const fitsAtom = (() => {
      switch (atom.kind) {
        case 'true':
          return kindOf(atom.attribute) === 'boolean';
        case 'equals': {
          const t = types.get(atom.attribute);
          return t !== undefined && t.kind !== 'set' && t.kind !== 'boolean' && fits(t, atom.value);
        }
        case 'same':
          return scalar(atom.attribute) && kindOf(atom.attribute) === kindOf(atom.other);
        case 'member': {
          const e = element(atom.set);
          return scalar(atom.attribute) && e !== undefined && e.kind === kindOf(atom.attribute);
        }
        case 'contains': {
          const e = element(atom.set);
          return e !== undefined && fits(e, atom.value);
        }
        case 'within': {
          const e = element(atom.set);
          return e !== undefined && atom.values.every((v) => fits(e, v));
        }
        case 'less':
          return kindOf(atom.attribute) === 'integer' && Number.isSafeInteger(atom.bound);
      }
    })();
    if (!fitsAtom) problems.add(`atoms[${i}]`, 'does not fit the vocabulary');
  });

  const citations = new Set(artifact.citations.map((c) => c.id));
  unique(
    artifact.citations.map((c) => c.id),
    'citations',
  );
  const cited = (ids: readonly string[], where: string) => {
    for (const id of ids)
      if (!citations.has(id)) problems.add(where, `cites \`${id}\`, which it does not hold`);
  };
  cited(artifact.policy.defaultCitations ?? [], 'policy.defaultCitations');
  artifact.rules.forEach((r, i) => {
    cited(r.citations, `rules[${i}]`);
  });
  artifact.obligations.forEach((o, i) => {
    cited(o.citations, `obligations[${i}]`);
  });
  // A reading cites what it reads, never another reading: citing one never leads further. Only an authority is
  // replaced, and only by an authority the artifact holds, so a decision that cites it cites its successor too.
  const citationKind = new Map(artifact.citations.map((c) => [c.id, c.kind]));
  artifact.citations.forEach((c, i) => {
    const where = `citations[${i}]`;
    if (c.citations && c.kind !== 'interpretation') problems.add(where, 'is no interpretation, but cites');
    cited(c.citations ?? [], where);
    if (c.citations?.some((id) => citationKind.get(id) === 'interpretation'))
      problems.add(where, 'cites another interpretation');
    if ((c.superseded !== undefined || c.supersededBy !== undefined) && c.kind !== 'authority')
      problems.add(
        where,
        `is no authority, but is replaced${c.supersededBy ? ` by \`${c.supersededBy}\`` : ''}`,
      );
    else if (c.supersededBy !== undefined && citationKind.get(c.supersededBy) !== 'authority')
      problems.add(
        `${where}.supersededBy`,
        `names \`${c.supersededBy}\`, which is no authority of this artifact`,
      );
  });

  const { nodes, found, root } = artifact.graph;
  const isIndex = (v: unknown, length: number) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;
  const indexes = (list: readonly unknown[], length: number) => list.every((x) => isIndex(x, length));
  found.forEach((f, i) => {
    if (
      !indexes(f.rules, artifact.rules.length) ||
      !indexes(f.obligations, artifact.obligations.length) ||
      !(f.next === undefined || isIndex(f.next, nodes.length))
    )
      problems.add(
        `graph.found[${i}]`,
        'names no rules and obligations of this artifact, or goes on to no node',
      );
  });
  if (problems.list.length > 0) return;
  // Every reference leads to a node before the one it leaves, directly or through one found step: no cycles.
  const leadsBefore = (r: unknown, below: number) => {
    if (!Number.isInteger(r)) return false;
    if ((r as number) >= 0) return (r as number) < below;
    // Bounded by the list's length, not by what is read past its end: a polluted `Array.prototype[i]` is there.
    const i = -(r as number) - 1;
    if (i >= found.length) return false;
    const step = found[i] as (typeof found)[number];
    return step.next === undefined || step.next < below;
  };
  nodes.forEach((node, i) => {
    if (
      !Array.isArray(node) ||
      node.length !== 3 ||
      !isIndex(node[0], artifact.atoms.length) ||
      !leadsBefore(node[1], i) ||
      !leadsBefore(node[2], i)
    )
      problems.add(`graph.nodes[${i}]`, 'tests no atom, or leads to a node that does not come before it');
  });
  if (!leadsBefore(root, nodes.length)) problems.add('graph.root', 'is no node or found step');
}

/**
 * What a `format` that is not this runtime's says to do. A runtime reads one format, {@link ARTIFACT_FORMAT}, and
 * the compiler of the same release writes it: a newer artifact needs a newer runtime, an older one a new compile.
 */
function formatProblem(format: unknown): string {
  const version = typeof format === 'string' ? /^tenet-artifact\/(\d+)$/.exec(format)?.[1] : undefined;
  const ours = Number(ARTIFACT_FORMAT.split('/')[1]);
  if (version === undefined) return 'it is not a Tenet artifact (it has no `format` of `tenet-artifact/N`)';
  const theirs = `tenet-artifact/${version}`;
  return Number(version) > ours
    ? `its format, \`${theirs}\`, is newer than this runtime reads (\`${ARTIFACT_FORMAT}\`): upgrade the runtime (the package @tenet/runtime) to a version that reads \`${theirs}\``
    : `its format, \`${theirs}\`, is older than this runtime reads (\`${ARTIFACT_FORMAT}\`): recompile the policy with this version's compiler (\`tenet compile\` of the same release as this runtime)`;
}

/**
 * Reads an artifact: copies it (each property read once, into JSON data without prototypes), checks the copy, and
 * freezes it. The check covers every field that reaches a decision or a text: the format, every index and type the
 * engine relies on, defaults and atom values against their types, citations against the artifact's own, texts
 * free of control characters. So no artifact, corrupt or crafted, can make a decision throw or loop, or an
 * explanation drive a terminal. Children in the graph come before their parents (the compiler writes them so),
 * which rules out cycles. It does not say who wrote the artifact: only a signature does (see `loadEngine`). The
 * answer has no prototype, so `'problems' in answer` is true only of the problems.
 */
export function readArtifact(input: unknown): { artifact: Artifact } | { problems: string[] } {
  let copy: unknown;
  try {
    copy = copyData(input, 'artifact', 0);
  } catch (error) {
    if (error instanceof NotData) return refused([`the artifact is not JSON data: ${error.message}`]);
    return refused(['the artifact could not be read: reading it threw']);
  }
  if (!isObject(copy)) return refused(['an artifact is a JSON object']);
  if (copy.format !== ARTIFACT_FORMAT) return refused([formatProblem(copy.format)]);
  try {
    const problems = new Problems();
    structure(copy, '', problems);
    if (problems.list.length === 0) meaningProblems(copy as unknown as Artifact, problems);
    if (problems.list.length > 0) return refused(problems.list);
    return withoutPrototype({ artifact: deepFreeze(copy as unknown as Artifact) });
  } catch {
    // The copy is data the check can always go through: only a host whose built-ins were replaced gets here.
    return refused([
      'the artifact could not be checked (the program’s built-in objects may have been tampered with)',
    ]);
  }
}

/**
 * An answer without a prototype, so that `'problems' in answer`, as callers tell the two apart, sees its own
 * fields alone and never a polluted `Object.prototype.problems`.
 */
export const withoutPrototype = <T extends object>(fields: T): T =>
  Object.assign(Object.create(null) as T, fields);
const refused = (problems: string[]) => withoutPrototype({ problems });

/**
 * The problems that keep `input` from being an artifact this runtime can decide with (see {@link readArtifact}):
 * empty when there are none.
 */
export function artifactProblems(input: unknown): string[] {
  const read = readArtifact(input);
  return 'problems' in read ? read.problems : [];
}
