/**
 * The editor's grammar (grammar/tenet.tmLanguage.json) on the syntax a second author needed: bounds on integers,
 * sets that must not be empty, the rule a claim says decides, and the permits a forbid overrides.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IGrammar, StateStack } from 'vscode-textmate';
import { keywords } from '../packages/language/src/index.js';

const requireCjs = createRequire(import.meta.url);
const textmate = requireCjs('vscode-textmate') as typeof import('vscode-textmate');
const oniguruma = requireCjs('vscode-oniguruma') as typeof import('vscode-oniguruma');
const grammarPath = join(import.meta.dirname, '../grammar/tenet.tmLanguage.json');

let grammar: IGrammar;

beforeAll(async () => {
  await oniguruma.loadWASM(readFileSync(requireCjs.resolve('vscode-oniguruma/release/onig.wasm')));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => oniguruma.createOnigScanner(patterns),
      createOnigString: (text: string) => oniguruma.createOnigString(text),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const loaded = await registry.loadGrammar('source.tenet');
  if (!loaded) throw new Error('the Tenet grammar did not load');
  grammar = loaded;
});

/** Each token of each line of `text` with its innermost scope. */
function scoped(text: string): [string, string][][] {
  let state: StateStack = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes.at(-1) ?? '']);
  });
}

const SAMPLE = [
  'entity record',
  '  subjectAge: integer 0..150 = 30',
  '  fields: non-empty set of one of identity, borrowing_history',
  'forbid history-guard',
  '  overrides custodial-parent, emergency-identity',
  'assert a',
  '  never permit by emergency-identity when borrowing_history in request.fields',
].join('\n');

describe('the TextMate grammar', () => {
  it('scopes the bounds of an integer as numbers around a range operator', () => {
    const line = scoped(SAMPLE)[1] ?? [];
    expect(line.filter(([text]) => ['integer', '0', '..', '150'].includes(text))).toEqual([
      ['integer', 'storage.type.tenet'],
      ['0', 'constant.numeric.integer.tenet'],
      ['..', 'keyword.operator.range.tenet'],
      ['150', 'constant.numeric.integer.tenet'],
    ]);
  });

  it('scopes `non-empty` as part of the type, and `overrides` and a claim’s `by` as keywords', () => {
    const lines = scoped(SAMPLE);
    expect(lines[2]?.find(([text]) => text === 'non-empty')).toEqual(['non-empty', 'storage.type.tenet']);
    expect(lines[4]?.filter(([text]) => /\w/.test(text))).toEqual([
      ['overrides', 'keyword.other.tenet'],
      ['custodial-parent', 'variable.other.tenet'],
      ['emergency-identity', 'variable.other.tenet'],
    ]);
    expect(lines[6]?.find(([text]) => text === 'by')).toEqual(['by', 'keyword.other.tenet']);
  });

  it('scopes every reserved word of the language as a keyword, `title` where it starts a clause', () => {
    const raw = JSON.parse(readFileSync(grammarPath, 'utf8')) as {
      repository: { keyword: { patterns: { match: string }[] } };
    };
    const patterns = raw.repository.keyword.patterns.map((p) => new RegExp(`^(?:${p.match})$`));
    expect(keywords.filter((word) => !patterns.some((p) => p.test(word)))).toEqual(['title']);
  });
});
