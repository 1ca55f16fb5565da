import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IGrammar, IRawGrammar, StateStack } from 'vscode-textmate';

// Both packages are CommonJS; load them with `require` so their named exports are available.
const requireCjs = createRequire(import.meta.url);
const textmate = requireCjs('vscode-textmate') as typeof import('vscode-textmate');
const oniguruma = requireCjs('vscode-oniguruma') as typeof import('vscode-oniguruma');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const grammarPath = join(root, 'grammar/tenet.tmLanguage.json');
const wethersfieldPath = join(root, 'policies/wethersfield/confidentiality.policy');

const ROOT_SCOPE = 'source.tenet';

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly scopes: readonly string[];
}

type Tokenized = Token[][];

/** The sample at the top of docs/language.md. */
const docSample = `# Comments run from \`#\` to the end of the line.
policy wethersfield-confidentiality "Confidentiality of Records Policy"
  owner "Wethersfield Library"
  version 2014-04-22
  approved 2002-09-24 by "the Library Board"
  revised 2004-04-27
  affirmed 2014-04-22
  default deny

import "../connecticut/authorities.policy"

entity requester "The person asking to see a record."
  id: identifier "Who is asking."
  role: one of patron, family_member, parent_or_guardian, law_enforcement, other
  guardianOf: set of identifier = [] "Minors this requester is the parent or legal guardian of."

authority cgs-11-25b-1981 "Conn. Gen. Stat. § 11-25(b)"
  enacted by "P.A. 81-431"
  superseded 2007-07-01 by cgs-11-25b
  quote """
    Notwithstanding the provisions of section 1-19, personally identifiable information contained in the
    circulation records of all public libraries shall be confidential.
    """

condition own-record "The requester is the borrower the record identifies."
  when requester.id is record.subjectId

section requests "Requests for Library Records"
  quote """
    Information contained in library records will be provided to the proper authorities when a proper show of
    good cause has been made in a court of competent jurisdiction.
    """

  permit borrower-sees-own-record
    when own-record
    because cgs-11-25b-1981, requests
    says "The borrower named in a record may see it."

  require notify_director
    when request.legalProcess is not none
    because requests

obligation notify_director "Notify the Library Director"
  says "Immediately notify the Library Director or the most senior staff member in charge."
  because requests

assert borrower-always-sees-own-record "The borrower may always see their own record."
  always permit when own-record
  because requests

example "A patron asks for her own record"
  given requester { id: "p-1", role: patron }
        record { subjectId: "p-1" }
  expect permit by borrower-sees-own-record

interpretation minor "Who is a minor"
  says "The policy does not define a minor; we read it as a person under 18."
  because cgs-1-1d
`;

/** Constructs the documentation sample does not show. */
const extraSample = `entity request
  age: integer = -1 "Age in years." # trailing comment
  properForm: boolean = false
  fields: set of one of title, due_date
  title: identifier

authority cgs-1-1d "Conn. Gen. Stat. § 1-1d"
  title "Definitions"
  effective 1972-10-01

forbid not-a-keyword
  when (request.age >= 18 or request.age < 0) and not request.properForm
  when request.fields within [title, due_date] and record.subjectId not in requester.guardianOf
  when request.age <= 3 or request.age > 99 or request.properForm is true
  says "A \\"quoted\\" word, a backslash \\\\ and a newline \\n; \\q is not an escape."
  because cgs-1-1d

assert never-cites never cite cgs-1-1d when in-person
  because isolate

example "Nothing is forbidden"
  given request { age: 30, properForm: true }
  expect deny by not-a-keyword with notify_director
`;

/** The syntax of labels, advice, references, departures and claims with obligations. */
const deskSample = `policy wethersfield "W"
  compared with "../connecticut/cgs-11-25b.policy"
  referral "Refer the requester to the Library Director."

entity request
  legalProcess: one of none "no legal process", subpoena "a subpoena" = none "The process served."
    label "the legal process served"
    advice counsel
  purpose: one of disclosure = disclosure advice never
  writtenConsent: boolean = false advice suggest
  label: identifier
  advice: boolean = false

interpretation parents "Parents of minors"
  because cgs-11-25b
  looser when record.subjectIsMinor
  stricter when request.writtenConsent

assert cured "x"
  never permit with demand_cure when not request.properForm
  because parents
`;

let grammar: IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(requireCjs.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => oniguruma.createOnigScanner(patterns),
      createOnigString: (text: string) => oniguruma.createOnigString(text),
    }),
    loadGrammar: async (scopeName: string): Promise<IRawGrammar | null> =>
      scopeName === ROOT_SCOPE
        ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
        : null,
  });
  const loaded = await registry.loadGrammar(ROOT_SCOPE);
  if (loaded === null) throw new Error('the Tenet grammar did not load');
  grammar = loaded;
});

/** Tokenizes a whole text line by line, carrying the rule stack from one line to the next. */
function tokenize(text: string): Tokenized {
  let stack: StateStack = textmate.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    expect(result.stoppedEarly).toBe(false);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({
      text: line.slice(t.startIndex, Math.min(t.endIndex, line.length)),
      start: t.startIndex,
      end: Math.min(t.endIndex, line.length),
      scopes: t.scopes,
    }));
  });
}

/** The `occurrence`-th token on the line (0-based index) whose text is exactly `text`. */
function token(lines: Tokenized, line: number, text: string, occurrence = 0): Token {
  const found = (lines[line] ?? []).filter((t) => t.text === text)[occurrence];
  if (found === undefined) {
    const seen = (lines[line] ?? []).map((t) => JSON.stringify(t.text)).join(' ');
    throw new Error(`no token ${JSON.stringify(text)} (#${occurrence}) on line ${line + 1}: ${seen}`);
  }
  return found;
}

/** The scopes of a token, as an array to compare exactly. */
function scopes(lines: Tokenized, line: number, text: string, occurrence = 0): string[] {
  return [...token(lines, line, text, occurrence).scopes];
}

/** The index of the first line of `text` that matches `pattern`. */
function lineIndex(text: string, pattern: RegExp): number {
  const index = text.split(/\r?\n/).findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`no line matches ${pattern}`);
  return index;
}

/** Every non-whitespace character scoped by nothing more than the root scope, as `line:column 'c'`. */
function unscopedCharacters(lines: Tokenized): string[] {
  const bare: string[] = [];
  lines.forEach((tokens, line) => {
    for (const t of tokens) {
      if (t.scopes.length > 1) continue;
      [...t.text].forEach((c, i) => {
        if (/\S/.test(c)) bare.push(`${line + 1}:${t.start + i + 1} '${c}'`);
      });
    }
  });
  return bare;
}

/** Every token that carries an `invalid.*` scope. */
function invalidTokens(lines: Tokenized): string[] {
  return lines.flatMap((tokens, line) =>
    tokens.filter((t) => t.scopes.some((s) => s.startsWith('invalid.'))).map((t) => `${line + 1}: ${t.text}`),
  );
}

const S = (...rest: string[]): string[] => [ROOT_SCOPE, ...rest];

describe('the Tenet TextMate grammar', () => {
  it('names the language, its scope and the .policy file type', () => {
    const raw = JSON.parse(readFileSync(grammarPath, 'utf8')) as Record<string, unknown>;
    expect(raw.scopeName).toBe('source.tenet');
    expect(raw.name).toBe('Tenet Policy');
    expect(raw.fileTypes).toEqual(['policy']);
  });

  describe('on the sample from docs/language.md', () => {
    let lines: Tokenized;
    beforeAll(() => {
      lines = tokenize(docSample);
    });

    it('scopes a whole comment line as a number-sign comment', () => {
      expect(scopes(lines, 0, '#')).toEqual(
        S('comment.line.number-sign.tenet', 'punctuation.definition.comment.tenet'),
      );
      expect(scopes(lines, 0, ' Comments run from `#` to the end of the line.')).toEqual(
        S('comment.line.number-sign.tenet'),
      );
    });

    it('scopes the policy keyword as a declaration and its id as the policy name', () => {
      expect(scopes(lines, 1, 'policy')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 1, 'wethersfield-confidentiality')).toEqual(S('entity.name.policy.tenet'));
      expect(scopes(lines, 1, '"', 0)).toEqual(
        S('string.quoted.double.tenet', 'punctuation.definition.string.begin.tenet'),
      );
      expect(scopes(lines, 1, 'Confidentiality of Records Policy')).toEqual(S('string.quoted.double.tenet'));
      expect(scopes(lines, 1, '"', 1)).toEqual(
        S('string.quoted.double.tenet', 'punctuation.definition.string.end.tenet'),
      );
    });

    it('scopes header clauses as keywords and dates as date constants', () => {
      expect(scopes(lines, 2, 'owner')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 3, 'version')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 3, '2014-04-22')).toEqual(S('constant.numeric.date.tenet'));
      expect(scopes(lines, 4, 'approved')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 4, '2002-09-24')).toEqual(S('constant.numeric.date.tenet'));
      expect(scopes(lines, 4, 'by')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 7, 'default')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 7, 'deny')).toEqual(S('keyword.declaration.deny.tenet'));
      expect(scopes(lines, 9, 'import')).toEqual(S('keyword.declaration.tenet'));
    });

    it('scopes entity attributes with their types, defaults and punctuation', () => {
      expect(scopes(lines, 11, 'entity')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 11, 'requester')).toEqual(S('entity.name.type.entity.tenet'));
      expect(scopes(lines, 12, 'id')).toEqual(S('variable.other.property.declaration.tenet'));
      expect(scopes(lines, 12, ':')).toEqual(S('punctuation.separator.key-value.tenet'));
      expect(scopes(lines, 12, 'identifier')).toEqual(S('storage.type.tenet'));
      expect(scopes(lines, 13, 'one')).toEqual(S('storage.type.tenet'));
      expect(scopes(lines, 13, 'of')).toEqual(S('storage.type.tenet'));
      expect(scopes(lines, 13, 'family_member')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 13, ',')).toEqual(S('punctuation.separator.comma.tenet'));
      expect(scopes(lines, 14, 'guardianOf')).toEqual(S('variable.other.property.declaration.tenet'));
      expect(scopes(lines, 14, 'set')).toEqual(S('storage.type.tenet'));
      expect(scopes(lines, 14, '=')).toEqual(S('keyword.operator.assignment.tenet'));
      expect(scopes(lines, 14, '[')).toEqual(S('punctuation.section.brackets.begin.tenet'));
      expect(scopes(lines, 14, ']')).toEqual(S('punctuation.section.brackets.end.tenet'));
    });

    it('tokenizes the hyphenated id cgs-11-25b-1981 as one name, not as numbers and keywords', () => {
      expect(scopes(lines, 16, 'authority')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 16, 'cgs-11-25b-1981')).toEqual(S('entity.name.authority.tenet'));
      expect(scopes(lines, 18, 'cgs-11-25b')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 18, '2007-07-01')).toEqual(S('constant.numeric.date.tenet'));
      expect(scopes(lines, 35, 'cgs-11-25b-1981')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 53, 'borrower-sees-own-record')).toEqual(S('variable.other.tenet'));
    });

    it('scopes a text block over several lines and ends it at the closing quotes', () => {
      expect(scopes(lines, 19, 'quote')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 19, '"""')).toEqual(
        S('string.quoted.triple.tenet', 'punctuation.definition.string.begin.tenet'),
      );
      // Each inner line is one string token: `section` and `1-19` in it are text, not a keyword and numbers.
      for (const line of [20, 21]) {
        expect(lines[line]?.map((t) => t.scopes)).toEqual([S('string.quoted.triple.tenet')]);
      }
      expect(scopes(lines, 22, '"""')).toEqual(
        S('string.quoted.triple.tenet', 'punctuation.definition.string.end.tenet'),
      );
      // The lines after the text block are code again.
      expect(lines[23]?.map((t) => t.scopes)).toEqual([S()]);
      expect(scopes(lines, 24, 'condition')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 24, 'own-record')).toEqual(S('entity.name.function.condition.tenet'));
    });

    it('scopes attribute paths as an entity and a property joined by an accessor', () => {
      expect(scopes(lines, 25, 'when')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 25, 'requester')).toEqual(S('variable.other.entity.tenet'));
      expect(scopes(lines, 25, '.', 0)).toEqual(S('punctuation.accessor.tenet'));
      expect(scopes(lines, 25, 'id')).toEqual(S('variable.other.property.tenet'));
      expect(scopes(lines, 25, 'record')).toEqual(S('variable.other.entity.tenet'));
      expect(scopes(lines, 25, 'subjectId')).toEqual(S('variable.other.property.tenet'));
      expect(scopes(lines, 25, 'is')).toEqual(S('keyword.operator.comparison.tenet'));
    });

    it('scopes is not as two operators and a bare enumeration value as a variable', () => {
      expect(scopes(lines, 39, 'request')).toEqual(S('variable.other.entity.tenet'));
      expect(scopes(lines, 39, 'legalProcess')).toEqual(S('variable.other.property.tenet'));
      expect(scopes(lines, 39, 'is')).toEqual(S('keyword.operator.comparison.tenet'));
      expect(scopes(lines, 39, 'not')).toEqual(S('keyword.operator.logical.tenet'));
      expect(scopes(lines, 39, 'none')).toEqual(S('variable.other.tenet'));
    });

    it('scopes rule, section, obligation, assertion and interpretation names by their kind', () => {
      expect(scopes(lines, 27, 'section')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 27, 'requests')).toEqual(S('entity.name.section.tenet'));
      expect(scopes(lines, 33, 'permit')).toEqual(S('keyword.declaration.permit.tenet'));
      expect(scopes(lines, 33, 'borrower-sees-own-record')).toEqual(S('entity.name.rule.tenet'));
      expect(scopes(lines, 35, 'because')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 36, 'says')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 38, 'require')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 38, 'notify_director')).toEqual(S('variable.other.obligation.tenet'));
      expect(scopes(lines, 42, 'obligation')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 42, 'notify_director')).toEqual(S('entity.name.obligation.tenet'));
      expect(scopes(lines, 46, 'assert')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 46, 'borrower-always-sees-own-record')).toEqual(S('entity.name.assertion.tenet'));
      expect(scopes(lines, 55, 'interpretation')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 55, 'minor')).toEqual(S('entity.name.interpretation.tenet'));
    });

    it('does not take the keyword after a decision for a rule name', () => {
      expect(scopes(lines, 47, 'always')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 47, 'permit')).toEqual(S('keyword.declaration.permit.tenet'));
      expect(scopes(lines, 47, 'when')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 47, 'own-record')).toEqual(S('variable.other.tenet'));
    });

    it('scopes example entities, attributes and values', () => {
      expect(scopes(lines, 50, 'example')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 51, 'given')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 51, 'requester')).toEqual(S('variable.other.entity.tenet'));
      expect(scopes(lines, 51, '{')).toEqual(S('punctuation.section.braces.begin.tenet'));
      expect(scopes(lines, 51, 'id')).toEqual(S('variable.other.property.tenet'));
      expect(scopes(lines, 51, 'p-1')).toEqual(S('string.quoted.double.tenet'));
      expect(scopes(lines, 51, 'patron')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 51, '}')).toEqual(S('punctuation.section.braces.end.tenet'));
      expect(scopes(lines, 52, 'record')).toEqual(S('variable.other.entity.tenet'));
      expect(scopes(lines, 52, 'subjectId')).toEqual(S('variable.other.property.tenet'));
      expect(scopes(lines, 53, 'expect')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 53, 'permit')).toEqual(S('keyword.declaration.permit.tenet'));
    });

    it('gives every non-whitespace character a scope beyond source.tenet and marks nothing invalid', () => {
      expect(unscopedCharacters(lines)).toEqual([]);
      expect(invalidTokens(lines)).toEqual([]);
    });
  });

  describe('on constructs the documentation sample does not show', () => {
    let lines: Tokenized;
    beforeAll(() => {
      lines = tokenize(extraSample);
    });

    it('scopes integers, booleans, a trailing comment and a negative default', () => {
      expect(scopes(lines, 1, 'age')).toEqual(S('variable.other.property.declaration.tenet'));
      expect(scopes(lines, 1, 'integer')).toEqual(S('storage.type.tenet'));
      expect(scopes(lines, 1, '-1')).toEqual(S('constant.numeric.integer.tenet'));
      expect(scopes(lines, 1, ' trailing comment')).toEqual(S('comment.line.number-sign.tenet'));
      expect(scopes(lines, 2, 'boolean')).toEqual(S('storage.type.tenet'));
      expect(scopes(lines, 2, 'false')).toEqual(S('constant.language.boolean.tenet'));
      expect(scopes(lines, 21, '30')).toEqual(S('constant.numeric.integer.tenet'));
      expect(scopes(lines, 21, 'true')).toEqual(S('constant.language.boolean.tenet'));
    });

    it('keeps an attribute named like a clause an attribute, and scopes the title clause as a keyword', () => {
      expect(scopes(lines, 4, 'title')).toEqual(S('variable.other.property.declaration.tenet'));
      expect(scopes(lines, 3, 'title')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 7, 'title')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 8, 'effective')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 8, '1972-10-01')).toEqual(S('constant.numeric.date.tenet'));
    });

    it('does not split an id that begins with a keyword into keyword pieces', () => {
      expect(scopes(lines, 10, 'forbid')).toEqual(S('keyword.declaration.forbid.tenet'));
      expect(scopes(lines, 10, 'not-a-keyword')).toEqual(S('entity.name.rule.tenet'));
      expect(scopes(lines, 17, 'never-cites')).toEqual(S('entity.name.assertion.tenet'));
      expect(scopes(lines, 17, 'never')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 17, 'cite')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 17, 'in-person')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 18, 'isolate')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 22, 'not-a-keyword')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 22, 'notify_director')).toEqual(S('variable.other.tenet'));
    });

    it('scopes logical, comparison and membership operators and parentheses', () => {
      expect(scopes(lines, 11, '(')).toEqual(S('punctuation.section.parens.begin.tenet'));
      expect(scopes(lines, 11, '>=')).toEqual(S('keyword.operator.comparison.tenet'));
      expect(scopes(lines, 11, '18')).toEqual(S('constant.numeric.integer.tenet'));
      expect(scopes(lines, 11, 'or')).toEqual(S('keyword.operator.logical.tenet'));
      expect(scopes(lines, 11, '<')).toEqual(S('keyword.operator.comparison.tenet'));
      expect(scopes(lines, 11, '0')).toEqual(S('constant.numeric.integer.tenet'));
      expect(scopes(lines, 11, ')')).toEqual(S('punctuation.section.parens.end.tenet'));
      expect(scopes(lines, 11, 'and')).toEqual(S('keyword.operator.logical.tenet'));
      expect(scopes(lines, 11, 'not')).toEqual(S('keyword.operator.logical.tenet'));
      expect(scopes(lines, 12, 'within')).toEqual(S('keyword.operator.membership.tenet'));
      expect(scopes(lines, 12, 'title')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 12, 'in')).toEqual(S('keyword.operator.membership.tenet'));
      expect(scopes(lines, 12, 'guardianOf')).toEqual(S('variable.other.property.tenet'));
      expect(scopes(lines, 13, '<=')).toEqual(S('keyword.operator.comparison.tenet'));
      expect(scopes(lines, 13, '>')).toEqual(S('keyword.operator.comparison.tenet'));
      expect(scopes(lines, 13, 'true')).toEqual(S('constant.language.boolean.tenet'));
    });

    it('scopes string escapes and flags an unknown escape', () => {
      const escaped = S('string.quoted.double.tenet', 'constant.character.escape.tenet');
      expect(scopes(lines, 14, '\\"', 0)).toEqual(escaped);
      expect(scopes(lines, 14, '\\"', 1)).toEqual(escaped);
      expect(scopes(lines, 14, '\\\\')).toEqual(escaped);
      expect(scopes(lines, 14, '\\n')).toEqual(escaped);
      expect(scopes(lines, 14, '\\q')).toEqual(
        S('string.quoted.double.tenet', 'invalid.illegal.unknown-escape.tenet'),
      );
      expect(scopes(lines, 14, '"', 1)).toEqual(
        S('string.quoted.double.tenet', 'punctuation.definition.string.end.tenet'),
      );
    });

    it('scopes the decisions and lists of an example', () => {
      expect(scopes(lines, 22, 'deny')).toEqual(S('keyword.declaration.deny.tenet'));
      expect(scopes(lines, 22, 'by')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 22, 'with')).toEqual(S('keyword.other.tenet'));
    });

    it('ends an unterminated string at the end of its line', () => {
      const broken = tokenize('  says "no closing quote\n  because requests');
      expect(scopes(broken, 0, 'no closing quote')).toEqual(S('string.quoted.double.tenet'));
      expect(scopes(broken, 1, 'because')).toEqual(S('keyword.other.tenet'));
    });

    it('tokenizes pathological lines quickly', () => {
      const long = `when ${'a-'.repeat(5000)} ${'1'.repeat(5000)}- ${'x.'.repeat(5000)} "${'\\'.repeat(5001)}`;
      const started = performance.now();
      const result = tokenize(long);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(result).toHaveLength(1);
    });
  });

  describe('on labels, advice, references, departures and claims with obligations', () => {
    let lines: Tokenized;
    beforeAll(() => {
      lines = tokenize(deskSample);
    });

    it('scopes `compared with` and `referral` as keywords and their paths and text as strings', () => {
      expect(scopes(lines, 1, 'compared')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 1, 'with')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 1, '../connecticut/cgs-11-25b.policy')).toEqual(S('string.quoted.double.tenet'));
      expect(scopes(lines, 2, 'referral')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 2, 'Refer the requester to the Library Director.')).toEqual(
        S('string.quoted.double.tenet'),
      );
    });

    it('scopes the labels of values as strings beside the values', () => {
      expect(scopes(lines, 5, 'none', 0)).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 5, 'no legal process')).toEqual(S('string.quoted.double.tenet'));
      expect(scopes(lines, 5, 'subpoena')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, 5, 'a subpoena')).toEqual(S('string.quoted.double.tenet'));
    });

    it('scopes `label` and `advice` and the words of advice as keywords', () => {
      expect(scopes(lines, 6, 'label')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 6, 'the legal process served')).toEqual(S('string.quoted.double.tenet'));
      expect(scopes(lines, 7, 'advice')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 7, 'counsel')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 8, 'advice')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 8, 'never')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 9, 'suggest')).toEqual(S('keyword.other.tenet'));
    });

    it('scopes an attribute named by a keyword as an attribute', () => {
      expect(scopes(lines, 10, 'label')).toEqual(S('variable.other.property.declaration.tenet'));
      expect(scopes(lines, 11, 'advice')).toEqual(S('variable.other.property.declaration.tenet'));
    });

    it('scopes `looser` and `stricter` as keywords', () => {
      expect(scopes(lines, 13, 'interpretation')).toEqual(S('keyword.declaration.tenet'));
      expect(scopes(lines, 15, 'looser')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 15, 'when')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 16, 'stricter')).toEqual(S('keyword.other.tenet'));
    });

    it('scopes `with OBLIGATION` in a claim', () => {
      expect(scopes(lines, 19, 'never')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 19, 'permit')).toEqual(S('keyword.declaration.permit.tenet'));
      expect(scopes(lines, 19, 'with')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, 19, 'demand_cure')).toEqual(S('variable.other.tenet'));
    });

    it('does not take a new keyword for the name a declaration declares', () => {
      const named = tokenize('permit looser\nassert advice\ninterpretation label "x"');
      expect(scopes(named, 0, 'looser')).toEqual(S('keyword.other.tenet'));
      expect(scopes(named, 1, 'advice')).toEqual(S('keyword.other.tenet'));
      expect(scopes(named, 2, 'label')).toEqual(S('keyword.other.tenet'));
    });

    it('gives every non-whitespace character a scope beyond source.tenet and marks nothing invalid', () => {
      expect(unscopedCharacters(lines)).toEqual([]);
      expect(invalidTokens(lines)).toEqual([]);
    });
  });

  it('gives every non-whitespace character of every policy under policies/ a scope and marks nothing invalid', () => {
    const files = readdirSync(join(root, 'policies'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.policy'))
      .sort();
    expect(files).toContain(join('wethersfield', 'confidentiality.policy'));
    for (const file of files) {
      const lines = tokenize(readFileSync(join(root, 'policies', file), 'utf8'));
      expect({ file, unscoped: unscopedCharacters(lines), invalid: invalidTokens(lines) }).toEqual({
        file,
        unscoped: [],
        invalid: [],
      });
    }
  });

  describe('on policies/wethersfield/confidentiality.policy', () => {
    let text: string;
    let lines: Tokenized;
    beforeAll(() => {
      text = readFileSync(wethersfieldPath, 'utf8');
      lines = tokenize(text);
    });

    it('gives every non-whitespace character a scope beyond source.tenet and marks nothing invalid', () => {
      expect(unscopedCharacters(lines)).toEqual([]);
      expect(invalidTokens(lines)).toEqual([]);
    });

    it('scopes the policy header keyword and name', () => {
      const header = lineIndex(text, /^policy\s/);
      expect(scopes(lines, header, 'policy')).toEqual(S('keyword.declaration.tenet'));
      expect(lines[header]?.[2]?.scopes).toEqual(S('entity.name.policy.tenet'));
    });

    it('scopes the version date, an authority id with hyphens and digits, a path and is not', () => {
      const version = lineIndex(text, /^\s*version \d{4}-\d{2}-\d{2}\s*$/);
      expect(scopes(lines, version, 'version')).toEqual(S('keyword.other.tenet'));
      expect(lines[version]?.[3]?.scopes).toEqual(S('constant.numeric.date.tenet'));

      const because = lineIndex(text, /^\s*because cgs-11-25b,/);
      expect(scopes(lines, because, 'because')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, because, 'cgs-11-25b')).toEqual(S('variable.other.tenet'));
      expect(scopes(lines, because, ',', 0)).toEqual(S('punctuation.separator.comma.tenet'));

      const role = lineIndex(text, /^\s*when requester\.role in \[/);
      expect(scopes(lines, role, 'requester')).toEqual(S('variable.other.entity.tenet'));
      expect(scopes(lines, role, '.')).toEqual(S('punctuation.accessor.tenet'));
      expect(scopes(lines, role, 'role')).toEqual(S('variable.other.property.tenet'));
      expect(scopes(lines, role, 'in')).toEqual(S('keyword.operator.membership.tenet'));
      expect(scopes(lines, role, '[')).toEqual(S('punctuation.section.brackets.begin.tenet'));

      const isNot = lineIndex(text, /^\s*when request\.legalProcess is not none\s*$/);
      expect(scopes(lines, isNot, 'is')).toEqual(S('keyword.operator.comparison.tenet'));
      expect(scopes(lines, isNot, 'not')).toEqual(S('keyword.operator.logical.tenet'));
      expect(scopes(lines, isNot, 'none')).toEqual(S('variable.other.tenet'));
    });

    it('keeps the attributes of an example continued on the next line inside the braces', () => {
      const continued = lineIndex(text, /^\s*competentJurisdiction: true \}/);
      expect(scopes(lines, continued, 'competentJurisdiction')).toEqual(S('variable.other.property.tenet'));
      expect(scopes(lines, continued, 'true')).toEqual(S('constant.language.boolean.tenet'));
      expect(scopes(lines, continued, '}')).toEqual(S('punctuation.section.braces.end.tenet'));
    });

    it('scopes the reference, the referral, departures and a claim with an obligation', () => {
      const compared = lineIndex(text, /^\s*compared with "/);
      expect(scopes(lines, compared, 'compared')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, compared, 'with')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, lineIndex(text, /^\s*referral "/), 'referral')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, lineIndex(text, /^\s*looser when /), 'looser')).toEqual(S('keyword.other.tenet'));
      expect(scopes(lines, lineIndex(text, /^\s*stricter when /), 'stricter')).toEqual(
        S('keyword.other.tenet'),
      );
      const claim = lineIndex(text, /^\s*never permit with /);
      expect(scopes(lines, claim, 'with')).toEqual(S('keyword.other.tenet'));
    });

    it('scopes the labels and advice of the shared vocabulary', () => {
      const vocabulary = readFileSync(join(root, 'policies/connecticut/library-records.policy'), 'utf8');
      const tokens = tokenize(vocabulary);
      const label = lineIndex(vocabulary, /^\s*label "/);
      expect(scopes(tokens, label, 'label')).toEqual(S('keyword.other.tenet'));
      const advice = lineIndex(vocabulary, /^\s*advice counsel/);
      expect(scopes(tokens, advice, 'advice')).toEqual(S('keyword.other.tenet'));
      expect(scopes(tokens, advice, 'counsel')).toEqual(S('keyword.other.tenet'));
    });

    it('scopes an attribute declared in the shared vocabulary, at the start of its line, as a declaration', () => {
      const vocabulary = readFileSync(join(root, 'policies/connecticut/library-records.policy'), 'utf8');
      const declared = lineIndex(vocabulary, /^\s*competentJurisdiction: boolean/);
      expect(scopes(tokenize(vocabulary), declared, 'competentJurisdiction')).toEqual(
        S('variable.other.property.declaration.tenet'),
      );
    });

    it('scopes every comment line as a comment', () => {
      const source = text.split(/\r?\n/);
      source.forEach((line, i) => {
        if (!/^\s*#/.test(line)) return;
        for (const t of lines[i] ?? []) {
          if (/\S/.test(t.text)) expect(t.scopes[1]).toBe('comment.line.number-sign.tenet');
        }
      });
    });

    it('scopes the inside of every text block as a string and the line after it as code', () => {
      const source = text.split(/\r?\n/);
      let blocks = 0;
      for (let i = 0; i < source.length; i++) {
        if (!/"""\s*$/.test(source[i] ?? '') || /^\s*"""/.test(source[i] ?? '')) continue;
        blocks++;
        let j = i + 1;
        while (j < source.length && !/^\s*"""/.test(source[j] ?? '')) {
          for (const t of lines[j] ?? []) expect(t.scopes).toEqual(S('string.quoted.triple.tenet'));
          j++;
        }
        expect(lines[j]?.find((t) => t.text === '"""')?.scopes).toEqual(
          S('string.quoted.triple.tenet', 'punctuation.definition.string.end.tenet'),
        );
        for (const t of lines[j + 1] ?? []) expect(t.scopes).not.toContain('string.quoted.triple.tenet');
        i = j;
      }
      expect(blocks).toBeGreaterThan(0);
    });
  });
});
