import { type Atom, type AttributeType, type EntitySpec, inBounds, type Value } from '@tenet/runtime';

/** An atom and the truth a path of a decision graph requires of it. */
export interface Literal {
  atom: Atom;
  holds: boolean;
}

/** One attribute of the vocabulary, as the solver needs it. */
export interface SolverAttribute {
  path: string;
  type: AttributeType;
  default?: Value;
}

/** Every attribute of a vocabulary, by path. */
export function solverAttributes(vocabulary: readonly EntitySpec[]): Map<string, SolverAttribute> {
  return new Map(
    vocabulary.flatMap((entity) =>
      entity.attributes.map((a): [string, SolverAttribute] => {
        const path = `${entity.name}.${a.name}`;
        return [path, { path, type: a.type, ...(a.default === undefined ? {} : { default: a.default }) }];
      }),
    ),
  );
}

/** Whether a literal holds of an assignment: the runtime's own semantics of each atom. */
export function holds(atom: Atom, value: (path: string) => Value | undefined): boolean {
  switch (atom.kind) {
    case 'true':
      return value(atom.attribute) === true;
    case 'equals':
      return value(atom.attribute) === atom.value;
    case 'same':
      return value(atom.attribute) === value(atom.other);
    case 'member':
      return ((value(atom.set) ?? []) as readonly Value[]).includes(value(atom.attribute) as Value);
    case 'contains':
      return ((value(atom.set) ?? []) as readonly string[]).includes(atom.value);
    case 'within':
      return ((value(atom.set) ?? []) as readonly string[]).every((m) => atom.values.includes(m));
    case 'less':
      return (value(atom.attribute) as number) < atom.bound;
  }
}

/** A literal in the vocabulary's words. */
export function describeLiteral({ atom, holds }: Literal): string {
  const not = holds ? '' : 'not ';
  switch (atom.kind) {
    case 'true':
      return `${not}${atom.attribute}`;
    case 'equals':
      return `${atom.attribute} is ${not}${typeof atom.value === 'string' ? atom.value : String(atom.value)}`;
    case 'same':
      return `${atom.attribute} is ${not}${atom.other}`;
    case 'member':
      return `${atom.attribute} ${not}in ${atom.set}`;
    case 'contains':
      return `${JSON.stringify(atom.value)} ${not}in ${atom.set}`;
    case 'within':
      return `${holds ? '' : 'not '}${atom.set} within [${atom.values.join(', ')}]`;
    case 'less':
      return `${atom.attribute} ${holds ? '<' : '>='} ${atom.bound}`;
  }
}

/**
 * A path's conditions in the fewest words: an enumeration said once, as the value it is, the values it may be, or
 * the values it is not, whichever is shortest; the other literals as they are.
 */
export function describePath(
  literals: readonly Literal[],
  attributes: ReadonlyMap<string, SolverAttribute>,
): string[] {
  const said = new Set<string>();
  return literals.flatMap((literal) => {
    const { atom } = literal;
    const type = atom.kind === 'equals' ? attributes.get(atom.attribute)?.type : undefined;
    if (atom.kind !== 'equals' || type?.kind !== 'enum') return [describeLiteral(literal)];
    if (said.has(atom.attribute)) return [];
    said.add(atom.attribute);
    const about = literals.filter((l) => l.atom.kind === 'equals' && l.atom.attribute === atom.attribute);
    const is = about.find((l) => l.holds);
    if (is) return [describeLiteral(is)];
    const not = new Set(about.map((l) => String((l.atom as { value: unknown }).value)));
    const rest = type.values.filter((v) => !not.has(v));
    if (rest.length === 1) return [`${atom.attribute} is ${rest[0]}`];
    if (not.size === 1) return [`${atom.attribute} is not ${[...not][0]}`];
    if (rest.length <= not.size) return [`${atom.attribute} is one of ${rest.join(', ')}`];
    const excluded = [...not];
    return [
      excluded.length === 2
        ? `${atom.attribute} is neither ${excluded[0]} nor ${excluded[1]}`
        : `${atom.attribute} is none of ${excluded.join(', ')}`,
    ];
  });
}

/** Union-find over scalar attributes that a path says are equal. */
class Classes {
  readonly #parent = new Map<string, string>();
  find(path: string): string {
    let root = path;
    while (this.#parent.has(root)) root = this.#parent.get(root) as string;
    return root;
  }
  join(a: string, b: string): void {
    const [x, y] = [this.find(a), this.find(b)];
    if (x !== y) this.#parent.set(y, x);
  }
}

/**
 * Finds an assignment of values to the attributes a set of literals speaks of that makes every literal hold, or
 * reports that there is none. Exact for the atoms Tenet compiles to: identifiers matter only by equality and
 * membership, so the constants written in the literals and one fresh value per attribute are all the values that
 * need trying; integers only by comparison with bounds, so the bounds and their neighbours, within the bounds the
 * vocabulary declares; sets only by what they must and must not hold, so the smallest set that holds what it must
 * (one member, for a set that must not be empty), plus one outsider where a `within` must fail.
 * Every candidate is checked against every literal by the atoms' own semantics, so what it returns is always right.
 */
export function solve(
  literals: readonly Literal[],
  attributes: ReadonlyMap<string, SolverAttribute>,
): Map<string, Value> | undefined {
  const fixed = new Map<string, Value>();
  const classes = new Classes();
  const scalars = new Set<string>();
  const sets = new Set<string>();
  // The identifiers written in the literals: the only ones, with fresh ones, that can matter.
  const strings = new Set<string>();
  const integers = new Set<number>([0]);
  const identifier = (path: string) => {
    const type = attributes.get(path)?.type;
    return type?.kind === 'identifier' || (type?.kind === 'set' && type.element.kind === 'identifier');
  };
  for (const { atom, holds: truth } of literals) {
    switch (atom.kind) {
      case 'true':
        if (fixed.has(atom.attribute) && fixed.get(atom.attribute) !== truth) return undefined;
        fixed.set(atom.attribute, truth);
        break;
      case 'equals':
        scalars.add(atom.attribute);
        if (typeof atom.value === 'number')
          for (const n of [atom.value - 1, atom.value, atom.value + 1]) integers.add(n);
        else if (identifier(atom.attribute)) strings.add(atom.value);
        break;
      case 'same':
        scalars.add(atom.attribute).add(atom.other);
        if (truth) classes.join(atom.attribute, atom.other);
        break;
      case 'member':
        scalars.add(atom.attribute);
        sets.add(atom.set);
        break;
      case 'contains':
        sets.add(atom.set);
        if (identifier(atom.set)) strings.add(atom.value);
        break;
      case 'within':
        sets.add(atom.set);
        if (identifier(atom.set)) for (const v of atom.values) strings.add(v);
        break;
      case 'less':
        scalars.add(atom.attribute);
        integers.add(atom.bound).add(atom.bound - 1);
        break;
    }
  }
  const typeOf = (path: string) => attributes.get(path)?.type;
  // The bounds of an integer attribute are values worth trying too: the only ones, where they hold no written bound.
  for (const path of scalars) {
    const type = typeOf(path);
    if (type?.kind === 'integer')
      for (const bound of [type.min, type.max]) if (bound !== undefined) integers.add(bound);
  }

  // Candidate values for each class of equal attributes, the default first so witnesses stay close to it.
  const roots = [...new Set([...scalars].map((p) => classes.find(p)))];
  const members = (root: string) => [...scalars].filter((p) => classes.find(p) === root);
  const freshValues = new Set<string>();
  let made = 0;
  const freshValue = () => {
    do made++;
    while (strings.has(`x-${made}`));
    const value = `x-${made}`;
    freshValues.add(value);
    return value;
  };
  // Integers around every written bound, far enough apart that classes which must differ can, within any range.
  const spread = Math.max(1, roots.filter((r) => typeOf(r)?.kind === 'integer').length);
  const integerValues = [
    ...new Set(
      [...integers].flatMap((n) => Array.from({ length: 2 * spread + 1 }, (_, k) => n - spread + k)),
    ),
  ].filter((n) => Number.isSafeInteger(n));
  // What a set may hold, where a `within` must hold of it: every member a literal requires must be among those.
  const allowedIn = new Map<string, Set<string>>();
  for (const { atom, holds: truth } of literals) {
    if (atom.kind !== 'within' || !truth) continue;
    const before = allowedIn.get(atom.set);
    allowedIn.set(atom.set, new Set(before ? atom.values.filter((v) => before.has(v)) : atom.values));
  }
  for (const { atom, holds: truth } of literals) {
    if (atom.kind === 'contains' && truth && allowedIn.get(atom.set)?.has(atom.value) === false)
      return undefined;
  }
  const candidates = roots.map((root) => {
    const type = typeOf(root);
    const preferred = members(root)
      .map((p) => attributes.get(p)?.default)
      .filter((v) => v !== undefined);
    let values: Value[];
    if (type?.kind === 'enum') {
      // An enumeration is what a literal says it is, or any value no literal rules out: the rest cannot hold.
      const about = literals.filter(
        (l) => l.atom.kind === 'equals' && classes.find(l.atom.attribute) === root,
      ) as (Literal & { atom: Extract<Atom, { kind: 'equals' }> })[];
      const is = about.find((l) => l.holds)?.atom.value;
      const not = new Set(about.filter((l) => !l.holds).map((l) => l.atom.value));
      values = type.values.filter((v) => (is === undefined ? !not.has(v) : v === is));
    }
    // Small integers first, so a witness reads as plainly as it can.
    else if (type?.kind === 'integer')
      values = integerValues
        .filter((n) => members(root).every((p) => inBounds(typeOf(p) as AttributeType, n)))
        .sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
    else values = [...roots.map(() => freshValue()), ...strings];
    // A value that must be in a set some `within` bounds is one of the values it allows.
    const bounds = literals
      .filter((l) => l.holds && l.atom.kind === 'member' && classes.find(l.atom.attribute) === root)
      .map((l) => allowedIn.get((l.atom as Extract<Atom, { kind: 'member' }>).set))
      .filter((b) => b !== undefined);
    const allowed = [...new Set([...preferred, ...values])].filter((v) =>
      bounds.every((b) => b.has(String(v))),
    );
    return { root, values: allowed };
  });
  if (candidates.some((c) => c.values.length === 0)) return undefined;

  const assigned = new Map<string, Value>();
  const value = (path: string): Value | undefined => {
    if (fixed.has(path)) return fixed.get(path);
    if (scalars.has(path)) return assigned.get(classes.find(path));
    return built.get(path);
  };
  const built = new Map<string, Value>();
  const scalarLiterals = literals.filter(
    (l) => l.atom.kind !== 'member' && l.atom.kind !== 'contains' && l.atom.kind !== 'within',
  );
  const setLiterals = literals.filter((l) => !scalarLiterals.includes(l));
  // A literal can be checked once every scalar it reads has a value.
  const ready = (l: Literal) =>
    (l.atom.kind === 'equals' || l.atom.kind === 'less'
      ? [l.atom.attribute]
      : l.atom.kind === 'same'
        ? [l.atom.attribute, l.atom.other]
        : []
    ).every((p) => assigned.has(classes.find(p)));

  const buildSets = (): boolean => {
    built.clear();
    for (const set of sets) {
      const type = typeOf(set);
      const element = type?.kind === 'set' ? type.element : { kind: 'identifier' as const };
      const must = new Set<string>();
      const mustNot = new Set<string>();
      const lists: { values: string[]; holds: boolean }[] = [];
      for (const { atom, holds: truth } of setLiterals) {
        if (atom.kind === 'contains' && atom.set === set) (truth ? must : mustNot).add(atom.value);
        if (atom.kind === 'member' && atom.set === set)
          (truth ? must : mustNot).add(String(value(atom.attribute)));
        if (atom.kind === 'within' && atom.set === set) lists.push({ values: atom.values, holds: truth });
      }
      const members = [...must];
      for (const list of lists.filter((l) => !l.holds)) {
        if (members.some((m) => !list.values.includes(m))) continue;
        // An outsider to this list, allowed by every list that must hold, held by no literal that forbids it.
        const pool = element.kind === 'enum' ? element.values : [...strings, freshValue()];
        const outsider = pool.find(
          (v) =>
            !list.values.includes(v) &&
            !mustNot.has(v) &&
            lists.every((l) => !l.holds || l.values.includes(v)),
        );
        if (outsider === undefined) return false;
        members.push(outsider);
      }
      if (members.length === 0 && type?.kind === 'set' && type.nonEmpty) {
        // A set that must not be empty holds one member that no literal forbids and every `within` allows.
        const pool = element.kind === 'enum' ? element.values : [...strings, freshValue()];
        const member = pool.find(
          (v) => !mustNot.has(v) && lists.every((l) => !l.holds || l.values.includes(v)),
        );
        if (member === undefined) return false;
        members.push(member);
      }
      if (element.kind === 'enum' && members.some((m) => !element.values.includes(m))) return false;
      built.set(set, members);
    }
    return setLiterals.every((l) => holds(l.atom, value) === l.holds);
  };

  const search = (i: number): boolean => {
    if (i === candidates.length) return buildSets();
    const { root, values } = candidates[i] as (typeof candidates)[number];
    for (const v of values) {
      assigned.set(root, v);
      if (scalarLiterals.every((l) => !ready(l) || holds(l.atom, value) === l.holds) && search(i + 1))
        return true;
    }
    assigned.delete(root);
    return false;
  };
  if (!scalarLiterals.every((l) => !ready(l) || holds(l.atom, value) === l.holds) || !search(0))
    return undefined;

  const witness = new Map<string, Value>(fixed);
  for (const path of scalars) witness.set(path, assigned.get(classes.find(path)) as Value);
  for (const [path, members] of built) witness.set(path, members);
  // Fresh identifiers renumbered in the vocabulary's order: x-1, x-2, … as a reader meets them.
  const renamed = new Map<string, string>();
  let next = 0;
  const rename = (v: Value): Value => {
    if (Array.isArray(v)) return v.map((m) => rename(m as Value)) as string[];
    if (typeof v !== 'string' || !freshValues.has(v)) return v;
    if (!renamed.has(v)) {
      do next++;
      while (strings.has(`x-${next}`));
      renamed.set(v, `x-${next}`);
    }
    return renamed.get(v) as string;
  };
  return new Map(
    [...attributes.keys()].filter((p) => witness.has(p)).map((p) => [p, rename(witness.get(p) as Value)]),
  );
}
