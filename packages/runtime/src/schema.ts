import type { Artifact, AttributeSpec, AttributeType, EntitySpec, Value } from './artifact.js';
import { MAX_SET_SIZE, MAX_STRING_LENGTH } from './limits.js';

/**
 * A JSON Schema (draft 2020-12), as {@link querySchema} writes it: the keywords it uses, and no others.
 * `title`, `description`, `$comment` and `default` are annotations; the rest validate.
 */
export interface JsonSchema {
  $schema?: string;
  title?: string;
  description?: string;
  $comment?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  default?: Value | Record<string, never>;
}

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * What a schema cannot say of an identifier. JSON Schema counts a string's length in characters (code points),
 * the runtime in UTF-16 code units, so the two agree only on strings without characters beyond U+FFFF; and the
 * identifier rule itself (no whitespace, control or invisible character, Unicode form NFC) has no exact `pattern`.
 */
const IDENTIFIER_COMMENT =
  'an identifier: no whitespace, control or invisible character, in Unicode form NFC, ' +
  `at most ${MAX_STRING_LENGTH} UTF-16 code units; the runtime checks what a schema cannot`;

/** `text` with its first letter a capital: a label ("the legal process served") as a title. */
const capitalised = (text: string) => text.replace(/^./u, (c) => c.toUpperCase());

/** Whether the query may leave `attribute` out: it has a default. */
const defaulted = (attribute: AttributeSpec) =>
  Object.hasOwn(attribute, 'default') && attribute.default !== undefined;

/** Whether the query may leave `entity` out: every one of its attributes has a default. */
const optional = (entity: EntitySpec) => entity.attributes.every(defaulted);

/**
 * The policy as a query's documentation names it:
 * `“Confidentiality of Records Policy” (Wethersfield Library, version 2014-04-22)`.
 */
function policyWords(artifact: Artifact): string {
  const { title, version, owner } = artifact.policy;
  const about = [owner, version && `version ${version}`].filter(Boolean).join(', ');
  return `“${title}”${about ? ` (${about})` : ''}`;
}

/** The schema of a value of `type`, without annotations. */
function typeSchema(type: AttributeType): JsonSchema {
  switch (type.kind) {
    case 'boolean':
      return { type: 'boolean' };
    case 'integer':
      return {
        type: 'integer',
        minimum: type.min ?? Number.MIN_SAFE_INTEGER,
        maximum: type.max ?? Number.MAX_SAFE_INTEGER,
      };
    case 'identifier':
      return { $comment: IDENTIFIER_COMMENT, type: 'string', minLength: 1, maxLength: MAX_STRING_LENGTH };
    case 'enum':
      return { type: 'string', enum: [...type.values] };
    case 'set':
      // No `uniqueItems`: the runtime reads a set with a member twice as the set it is, and a schema as strict as
      // the runtime accepts it too.
      return {
        type: 'array',
        items: typeSchema(type.element),
        ...(type.nonEmpty ? { minItems: 1 } : {}),
        maxItems: MAX_SET_SIZE,
      };
  }
}

/** A default as the schema holds it: a set copied, so the schema shares nothing with the artifact. */
const copy = (value: Value): Value => (Array.isArray(value) ? [...value] : value);

/** The schema of one attribute: its type, in the author's words, with its default. */
function attributeSchema(attribute: AttributeSpec): JsonSchema {
  const { $comment, ...validation } = typeSchema(attribute.type);
  return {
    ...(attribute.label ? { title: capitalised(attribute.label) } : {}),
    ...(attribute.description ? { description: attribute.description } : {}),
    ...($comment ? { $comment } : {}),
    ...validation,
    ...(defaulted(attribute) ? { default: copy(attribute.default as Value) } : {}),
  };
}

/** The schema of an object whose properties are `entries`, refusing any other, and requiring `required`. */
function objectSchema(entries: [string, JsonSchema][], required: string[]): JsonSchema {
  return {
    type: 'object',
    // `Object.fromEntries` defines each property: a name such as `__proto__` is a property, not a prototype.
    properties: Object.fromEntries(entries),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

/** The schema of one entity: an object of its attributes, none other, those without a default required. */
function entitySchema(entity: EntitySpec): JsonSchema {
  const schema = objectSchema(
    entity.attributes.map((a) => [a.name, attributeSchema(a)]),
    entity.attributes.filter((a) => !defaulted(a)).map((a) => a.name),
  );
  return {
    ...(entity.description ? { description: entity.description } : {}),
    ...schema,
    ...(optional(entity) ? { default: {} } : {}),
  };
}

/**
 * The JSON Schema (draft 2020-12) of a query of the artifact's policy, as strict as the runtime's own validation:
 * an object of the vocabulary's entities, each an object of its attributes, no other key anywhere; the attributes
 * without a default required (and so the entities holding one), the defaults shown as `default`; booleans,
 * integers within their declared bounds (or else the safe range), enumerations as `enum`, identifiers as non-empty
 * strings of at most `MAX_STRING_LENGTH`, sets as arrays of at most `MAX_SET_SIZE` members (and at least one, for
 * a set declared `non-empty`). Titles and descriptions are the author's
 * labels and descriptions. What a schema cannot say exactly, it leaves to the runtime, and says so in a
 * `$comment`: the identifier rule beyond its length (see `isIdentifier`), and a length in UTF-16 code units where a
 * string holds characters beyond U+FFFF. Pure: the same artifact gives the same schema, in vocabulary order.
 *
 * @example
 * const schema = querySchema(engine.artifact);
 * schema.properties?.requester?.required; // ['id', 'role']
 */
export function querySchema(artifact: Artifact): JsonSchema {
  const vocabulary = artifact.vocabulary;
  return {
    $schema: DRAFT_2020_12,
    title: `${artifact.policy.title}: a query`,
    description: `A query of ${policyWords(artifact)}.`,
    ...objectSchema(
      vocabulary.map((e) => [e.name, entitySchema(e)]),
      vocabulary.filter((e) => !optional(e)).map((e) => e.name),
    ),
  };
}

/** `text` as words of a TypeScript type name: `wethersfield-confidentiality` → `WethersfieldConfidentiality`. */
function pascal(text: string): string {
  return text
    .split(/[^\p{L}\p{Nd}]+/u)
    .map((word) => word.replace(/^./u, (c) => c.toUpperCase()))
    .join('');
}

/** A property name as TypeScript writes it: bare where it is an identifier, else quoted. */
const key = (name: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name));

/** The TypeScript type of a value of `type`, as the members of a union: one, but for an enumeration. */
function tsUnion(type: AttributeType): string[] {
  switch (type.kind) {
    case 'boolean':
      return ['boolean'];
    case 'integer':
      return ['number'];
    case 'identifier':
      return ['string'];
    case 'enum':
      return type.values.length > 0 ? type.values.map((v) => JSON.stringify(v)) : ['never'];
    case 'set': {
      const element = tsUnion(type.element);
      return [`readonly ${element.length > 1 ? `(${element.join(' | ')})` : element[0]}[]`];
    }
  }
}

/** The widest line of declarations {@link queryTypes} writes on one line: a longer union has a line a member. */
const LINE_WIDTH = 110;

/** A JSDoc comment of `paragraphs` (blank ones left out), indented by `indent`; nothing when all are blank. */
function jsDoc(paragraphs: (string | undefined)[], indent: string): string {
  const lines = paragraphs
    .filter((p): p is string => p !== undefined && p.trim() !== '')
    .flatMap((p, i) => [...(i > 0 ? [''] : []), ...p.split(/\r\n|\r|\n/)])
    // `*/` would end the comment early.
    .map((line) => line.replaceAll('*/', '*\\/').trimEnd());
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => `${indent} *${line ? ` ${line}` : ''}`).join('\n')}\n${indent} */\n`;
}

/** The documentation of an attribute: its description, what each value of an enumeration means, its default. */
function attributeDoc(attribute: AttributeSpec): string {
  const type = attribute.type;
  const values =
    type.kind === 'enum'
      ? type.values
      : type.kind === 'set' && type.element.kind === 'enum'
        ? type.element.values
        : [];
  const labels = attribute.valueLabels;
  const meanings =
    labels && labels.length === values.length && values.length > 0
      ? values.map((value, i) => `- \`${value}\`: ${labels[i]}`).join('\n')
      : undefined;
  const fallback = defaulted(attribute)
    ? `@defaultValue \`${JSON.stringify(attribute.default)}\``
    : undefined;
  return jsDoc(
    [attribute.description ?? (attribute.label && capitalised(attribute.label)), meanings, fallback],
    '  ',
  );
}

/**
 * TypeScript declarations of a query of the artifact's policy: `export interface <Policy>Query`, named after the
 * policy's id (`wethersfield-confidentiality` → `WethersfieldConfidentialityQuery`), with a property for each
 * entity, and an interface for each entity (`WethersfieldConfidentialityRequester`). An attribute with a default,
 * and an entity whose attributes all have one, is optional; an enumeration is a union of string literals, a set a
 * `readonly` array. The author's descriptions are the JSDoc. What the types cannot say (an identifier's rule, the
 * size of a set) the runtime checks, as {@link querySchema} does. Pure: the same artifact gives the same text.
 *
 * @example
 * writeFileSync('query.d.ts', queryTypes(engine.artifact));
 */
export function queryTypes(artifact: Artifact): string {
  const words = pascal(artifact.policy.id);
  const policy = /^\p{L}/u.test(words) ? words : `Policy${words}`;
  const taken = new Set<string>();
  /** `name`, or where a name before it took it, `name2`, `name3`, …: every interface has a name of its own. */
  const unique = (name: string) => {
    let chosen = name;
    for (let n = 2; taken.has(chosen); n++) chosen = `${name}${n}`;
    taken.add(chosen);
    return chosen;
  };
  const query = unique(`${policy}Query`);
  const entities = artifact.vocabulary.map((entity) => ({
    entity,
    name: unique(`${policy}${pascal(entity.name)}`),
  }));
  const property = (doc: string, name: string, isOptional: boolean, members: string[]) => {
    const head = `  ${key(name)}${isOptional ? '?' : ''}:`;
    const line = `${head} ${members.join(' | ')};`;
    const fitted =
      line.length <= LINE_WIDTH || members.length === 1
        ? line
        : `${head}\n${members.map((m) => `    | ${m}`).join('\n')};`;
    return `${doc}${fitted}\n`;
  };
  const declaration = (doc: string, name: string, members: string[]) =>
    `${doc}export interface ${name} {\n${members.join('')}}\n`;
  const declarations = [
    declaration(
      jsDoc(
        [
          `A query of ${policyWords(artifact)}.`,
          'Generated from its vocabulary by `tenet schema --format ts`.',
        ],
        '',
      ),
      query,
      entities.map(({ entity, name }) =>
        property(jsDoc([entity.description], '  '), entity.name, optional(entity), [name]),
      ),
    ),
    ...entities.map(({ entity, name }) =>
      declaration(
        jsDoc([entity.description], ''),
        name,
        entity.attributes.map((a) => property(attributeDoc(a), a.name, defaulted(a), tsUnion(a.type))),
      ),
    ),
  ];
  return declarations.join('\n');
}
