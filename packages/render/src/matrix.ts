import type { Artifact, AttributeSpec, Decision, Engine, Value } from '@tenet/runtime';
import { attributeWords, capitalised, clause, either, type Vocabulary, valueWords } from './words.js';

/** One cell of a matrix: the engine's decision on one question. */
export interface Cell {
  query: Record<string, Record<string, Value>>;
  decision: Decision;
}

/** A table of questions, each row a requester and each column a circumstance, every cell decided by the engine. */
export interface Matrix {
  caption: string;
  corner: string;
  rows: string[];
  columns: string[];
  cells: Cell[][];
  /** What the columns assume that their headings do not say. */
  note?: string;
}

type Query = Record<string, Record<string, Value>>;

const pathsOf = (artifact: Artifact) =>
  artifact.vocabulary.flatMap((e) => e.attributes.map((spec) => ({ path: `${e.name}.${spec.name}`, spec })));

/** A copy of `query` with `path` set to `value`. */
function set(query: Query, path: string, value: Value): Query {
  const [entity = '', name = ''] = path.split('.');
  return { ...query, [entity]: { ...query[entity], [name]: value } };
}

const isEnum = (spec: AttributeSpec) => spec.type.kind === 'enum';
const enumValues = (spec: AttributeSpec) => (spec.type.kind === 'enum' ? spec.type.values : []);

/**
 * The matrices of "who may see a record", made from the vocabulary alone, so any policy gets them:
 * - rows: each value of the first required enumeration (who asks), about someone else's record; before them, one
 *   row for each identity the policy tests (the requester is the borrower) and each membership it tests (the borrower
 *   is among the requester's wards), with and without each fact of the record tested beside it in a rule;
 * - columns of the first: each value of the first enumeration advice may suggest (the legal process served), what
 *   only counsel can establish taken as established; then each fact advice may suggest (written permission);
 * - columns of the second: each value of the first enumeration advice may never suggest (what the record is
 *   wanted for).
 * Every other attribute keeps its default. Cells are the engine's decisions: what the software does.
 */
export function matrices(
  artifact: Artifact,
  engine: Engine,
  vocabulary: Vocabulary,
  together: (atomAttribute: string) => string[],
): Matrix[] {
  const attributes = pathsOf(artifact);
  const who = attributes.find(({ spec }) => isEnum(spec) && spec.default === undefined);
  if (!who) return [];
  const identifiers = attributes.filter(
    ({ spec }) => spec.type.kind === 'identifier' && spec.default === undefined,
  );
  let base: Query = {};
  for (const [i, { path }] of identifiers.entries()) base = set(base, path, `person-${i + 1}`);
  for (const { path } of attributes.filter(({ spec }) => spec.default === undefined && isEnum(spec)))
    base = set(base, path, enumValues(vocabulary.get(path) as AttributeSpec)[0] as string);

  const rows: { label: string; query: Query }[] = [];
  for (const atom of artifact.atoms) {
    if (atom.kind === 'same') {
      const other = base[atom.other.split('.')[0] ?? '']?.[atom.other.split('.')[1] ?? ''] as Value;
      rows.push({
        label: `${capitalised(attributeWords(atom.other, vocabulary))} is ${attributeWords(atom.attribute, vocabulary)}`,
        query: set(base, atom.attribute, other),
      });
    }
    if (atom.kind === 'member') {
      const value = base[atom.attribute.split('.')[0] ?? '']?.[atom.attribute.split('.')[1] ?? ''] as Value;
      const member = set(base, atom.set, [value as string]);
      const facts = together(atom.set);
      const phrase = `${attributeWords(atom.attribute, vocabulary)} is among ${attributeWords(atom.set, vocabulary)}`;
      if (facts.length === 0) rows.push({ label: capitalised(phrase), query: member });
      for (const fact of facts) {
        const fw = attributeWords(fact, vocabulary);
        rows.push({ label: `${capitalised(phrase)}, and ${fw}`, query: set(member, fact, true) });
        rows.push({
          label: `${capitalised(phrase)}, but not so that ${fw}`,
          query: set(member, fact, false),
        });
      }
    }
  }
  for (const role of enumValues(who.spec))
    rows.push({
      label: capitalised(valueWords(who.path, role, vocabulary)),
      query: set(base, who.path, role),
    });

  const advisable = attributes.filter(({ spec }) => spec.default !== undefined && spec.advice === undefined);
  const process = advisable.find(({ spec }) => isEnum(spec));
  const counsel = attributes.filter(({ spec }) => spec.advice === 'counsel' && spec.type.kind === 'boolean');
  const facts = advisable.filter(({ spec }) => spec.type.kind === 'boolean');
  const columns: { label: string; change: (q: Query) => Query }[] = [];
  for (const value of process ? enumValues(process.spec) : []) {
    const isDefault = value === process?.spec.default;
    columns.push({
      label: capitalised(valueWords(process?.path ?? '', value, vocabulary)),
      change: (q) => {
        let changed = set(q, process?.path ?? '', value);
        if (!isDefault) for (const { path } of counsel) changed = set(changed, path, true);
        return changed;
      },
    });
  }
  for (const { path } of facts)
    columns.push({ label: capitalised(attributeWords(path, vocabulary)), change: (q) => set(q, path, true) });
  const decided = (query: Query): Cell => ({ query, decision: engine.decide(query) });
  const cellsOf = (cols: typeof columns) => rows.map((row) => cols.map((c) => decided(c.change(row.query))));

  const purposes = attributes.find(
    ({ spec }) => isEnum(spec) && spec.default !== undefined && spec.advice === 'never',
  );
  const result: Matrix[] = [
    {
      caption: `Who may see a record: the answer for each requester and circumstance${purposes ? ` (${clause(valueWords(purposes.path, purposes.spec.default as Value, vocabulary))})` : ''}`,
      corner: 'Who asks',
      rows: rows.map((r) => r.label),
      columns: columns.map((c) => c.label),
      cells: cellsOf(columns),
      ...(counsel.length > 0
        ? {
            note: `Each column of legal process assumes that counsel has confirmed what only counsel can establish: that ${either(
              counsel.map(({ path }) => attributeWords(path, vocabulary)),
              'and',
            )}.`,
          }
        : {}),
    },
  ];
  if (purposes) {
    const uses = enumValues(purposes.spec).filter((v) => v !== purposes.spec.default);
    result.push({
      caption: `Who may use a record for other purposes (${attributeWords(purposes.path, vocabulary)})`,
      corner: 'Who asks',
      rows: rows.map((r) => r.label),
      columns: uses.map((v) => capitalised(valueWords(purposes.path, v, vocabulary))),
      cells: cellsOf(uses.map((v) => ({ label: v, change: (q: Query) => set(q, purposes.path, v) }))),
    });
  }
  return result;
}
