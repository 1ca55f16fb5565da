import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPolicy, type Diagnostic, parse, type SourceSpan, sortDiagnostics } from '../src/index.js';

const FILE = 'test.policy';
const HELP =
  'it can make the text display in an order other than the one Tenet reads; remove it (the language has no escape for it)';

function where(span: SourceSpan | undefined): string {
  return span ? `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}` : '-';
}

function show(d: Diagnostic): string {
  return `${d.code} ${d.severity} ${where(d.span)}`;
}

function diagnostics(text: string): Diagnostic[] {
  return sortDiagnostics(parse(text, FILE).diagnostics);
}

const RLO = '\u202e';
const PDF = '\u202c';

describe('bidirectional control characters', () => {
  it('warns of a right-to-left override in a string at the character, naming it by its code point', () => {
    const text = `permit own\n  because statute\n  says "ab${RLO}cd${PDF}"`;
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['bidi-control warning 3:11-3:12', 'bidi-control warning 3:14-3:15']);
    expect(list.map((d) => d.message)).toEqual([
      'bidirectional control character U+202E RIGHT-TO-LEFT OVERRIDE in a string',
      'bidirectional control character U+202C POP DIRECTIONAL FORMATTING in a string',
    ]);
    expect(list.map((d) => d.help)).toEqual([HELP, HELP]);
    expect(list.map((d) => d.span?.start.offset)).toEqual([text.indexOf(RLO), text.indexOf(PDF)]);
  });

  it('warns of one in a text block, on the line and at the column where it stands', () => {
    const text = `authority statute "Stat."\n  quote """\n    Records shall\n    be \u2067confidential.\n    """`;
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['bidi-control warning 4:8-4:9']);
    expect(list[0]?.message).toBe(
      'bidirectional control character U+2067 RIGHT-TO-LEFT ISOLATE in a text block',
    );
  });

  it('warns of one in a comment', () => {
    const text = `# access is \u2066denied\u2069 here\npermit own because statute`;
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['bidi-control warning 1:13-1:14', 'bidi-control warning 1:20-1:21']);
    expect(list.map((d) => d.message)).toEqual([
      'bidirectional control character U+2066 LEFT-TO-RIGHT ISOLATE in a comment',
      'bidirectional control character U+2069 POP DIRECTIONAL ISOLATE in a comment',
    ]);
  });

  it('names each of the embeddings, overrides, isolates and marks', () => {
    const all = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    expect(diagnostics(`# ${all}`).map((d) => d.message.replace(/ in a comment$/, ''))).toEqual(
      [
        'U+061C ARABIC LETTER MARK',
        'U+200E LEFT-TO-RIGHT MARK',
        'U+200F RIGHT-TO-LEFT MARK',
        'U+202A LEFT-TO-RIGHT EMBEDDING',
        'U+202B RIGHT-TO-LEFT EMBEDDING',
        'U+202C POP DIRECTIONAL FORMATTING',
        'U+202D LEFT-TO-RIGHT OVERRIDE',
        'U+202E RIGHT-TO-LEFT OVERRIDE',
        'U+2066 LEFT-TO-RIGHT ISOLATE',
        'U+2067 RIGHT-TO-LEFT ISOLATE',
        'U+2068 FIRST STRONG ISOLATE',
        'U+2069 POP DIRECTIONAL ISOLATE',
      ].map((name) => `bidirectional control character ${name}`),
    );
  });

  it('is an unexpected character outside strings and comments, where no name can hold one', () => {
    const text = `permit own\n  when requester.${RLO}id is "p-1"\n  because statute`;
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['unexpected-character error 2:18-2:19']);
    expect(list[0]?.message).toBe(`unexpected character \`${RLO}\``);
  });

  it('lists at most 50, then counts the rest at the first one not listed', () => {
    const text = `# ${RLO.repeat(53)}`;
    const list = diagnostics(text);
    expect(list.map(show)).toEqual([
      ...Array.from({ length: 50 }, (_, i) => `bidi-control warning 1:${i + 3}-1:${i + 4}`),
      'bidi-control warning 1:53-1:54',
    ]);
    expect(list.at(-1)?.message).toBe('3 more bidirectional control characters are not listed, from here on');
  });

  it('is only a warning: a policy with nothing else wrong has no errors', () => {
    const text = [
      'policy p "P"',
      '  version 2024-01-01',
      'entity requester',
      '  id: identifier',
      'authority law "Law"',
      `  quote "The ${RLO}law."`,
      'permit own when requester.id is "p-1" because law says "Own."',
    ].join('\n');
    const host = { read: (f: string) => (f === FILE ? text : undefined), resolve: posix.join };
    expect(checkPolicy(FILE, host).diagnostics.map(show)).toEqual(['bidi-control warning 6:14-6:15']);
  });
});

describe('control characters', () => {
  it('are an error in a string, each at its character, named by its code point', () => {
    const text = 'permit own\n  because statute\n  says "Own \u001b[2J rec\u0085ord."';
    const list = diagnostics(text);
    expect(list.map(show)).toEqual([
      'control-character error 3:13-3:14',
      'control-character error 3:21-3:22',
    ]);
    expect(list.map((d) => d.message)).toEqual([
      'control character U+001B in a string',
      'control character U+0085 in a string',
    ]);
    expect(list[0]?.help).toBe(
      'it can change what a terminal or a document shows, and no reader can see it: remove it',
    );
  });

  it('are an error in a text block, but a tab or a line break is not', () => {
    const text =
      'authority statute "Stat."\n  quote """\n\tRecords\r\n    shall \u0007be confidential.\n    """';
    expect(diagnostics(text).map(show)).toEqual(['control-character error 4:11-4:12']);
  });

  it('are not reported in a comment, which reaches no decision or document', () => {
    expect(diagnostics('# a comment \u001b[2J\n').map(show)).toEqual([]);
  });
});
