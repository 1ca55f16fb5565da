import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { type LspSession, startLsp } from './helpers/lsp-client.js';
import { repositoryRoot } from './helpers/wethersfield.js';

const file = path.join(repositoryRoot, 'policies/wethersfield/confidentiality.policy');
const uri = pathToFileURL(file).href;
const source = readFileSync(file, 'utf8');
const lines = source.split('\n');
/** The 0-based line of the first line of the policy that is exactly `text`. */
const lineOf = (text: string) => {
  const line = lines.indexOf(text);
  if (line < 0) throw new Error(`no line \`${text}\` in the Wethersfield policy`);
  return line;
};
const range = (line: number, start: number, end: number) => ({
  start: { line, character: start },
  end: { line, character: end },
});

/** The text with the edits applied (edits of one document, not overlapping). */
function applied(text: string, edits: readonly TextEdit[]): string {
  const offsets = [0];
  for (const l of text.split('\n')) offsets.push((offsets.at(-1) ?? 0) + l.length + 1);
  const offset = (p: { line: number; character: number }) => (offsets[p.line] ?? 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

let lsp: LspSession;
let version = 1;
beforeAll(async () => {
  lsp = await startLsp();
});
afterAll(async () => {
  await lsp.close();
});

const request = <T>(method: string, params: object) =>
  lsp.connection.sendRequest(method, { textDocument: { uri }, ...params }) as Promise<T>;
async function open(text: string) {
  const published = lsp.diagnostics(uri);
  await lsp.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'tenet', version, text },
  });
  return (await published).diagnostics;
}
async function change(text: string) {
  const published = lsp.diagnostics(uri);
  version += 1;
  await lsp.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ text }],
  });
  return (await published).diagnostics;
}

describe('the language server, over stdio', () => {
  test('a typo gets its diagnostic at its range with the fix; the code action fixes it; the list empties', async () => {
    const line = lineOf('  permit borrower-sees-own-record') + 1;
    expect(lines[line]).toBe('    when own-record');
    const typo = source.replace(
      '  permit borrower-sees-own-record\n    when own-record',
      '  permit borrower-sees-own-record\n    when own-recrd',
    );
    const diagnostics = await open(typo);
    expect(diagnostics).toEqual([
      {
        range: range(line, 9, 18),
        severity: 1,
        code: 'unknown-condition',
        source: 'tenet',
        message: 'unknown condition `own-recrd`\nhelp: did you mean `own-record`?',
        data: {
          fix: {
            title: 'replace with `own-record`',
            edits: [{ file, range: range(line, 9, 18), newText: 'own-record' }],
          },
        },
      },
    ]);
    const actions = await request<CodeAction[]>('textDocument/codeAction', {
      range: range(line, 9, 18),
      context: { diagnostics },
    });
    expect(actions.map((a) => [a.title, a.kind, a.isPreferred])).toEqual([
      ['replace with `own-record`', 'quickfix', true],
    ]);
    const edits = (actions[0]?.edit as WorkspaceEdit | undefined)?.changes?.[uri] ?? [];
    expect(edits).toEqual([{ range: range(line, 9, 18), newText: 'own-record' }]);
    const fixed = applied(typo, edits);
    expect(fixed).toBe(source);
    expect(await change(fixed)).toEqual([]);
  });

  test('hover on a rule gives what it says, when it applies, the law quoted, and its duties', async () => {
    const line = lineOf('  permit borrower-sees-own-record');
    const hover = await request<{ contents: { kind: string; value: string }; range: unknown }>(
      'textDocument/hover',
      {
        position: { line, character: 12 },
      },
    );
    expect(hover.range).toEqual(range(line, 9, 33));
    expect(hover.contents.kind).toBe('markdown');
    const paragraphs = hover.contents.value.split('\n\n');
    expect(paragraphs.slice(0, 4)).toEqual([
      '**permit `borrower-sees-own-record`**',
      'A borrower may see his or her own record.',
      'Applies when `own-record and request.purpose is disclosure`.',
      'Cites **Conn. Gen. Stat. § 11-25(b)**: Reports by libraries. Confidentiality of records. (amended by P.A. 07-227; in force since 2007-07-01)',
    ]);
    expect(
      paragraphs[4]?.startsWith('> (1) Notwithstanding section 1-210, records maintained by libraries'),
    ).toBe(true);
    expect(paragraphs[4]?.endsWith('> purposes of this s …')).toBe(true);
    expect(paragraphs[5]).toBe('Cites the policy, **Confidentiality of Records**');
    expect(
      paragraphs
        .at(-1)
        ?.split('\n')
        .map((l) => l.split(':')[0]),
    ).toEqual([
      'Duties its decisions can carry',
      '- Notify the Library Director',
      '- Consult legal counsel',
      '- Do not obstruct a search warrant',
    ]);
  });
  test('hover on an attribute gives its type, values with their labels, description and whether it is required', async () => {
    const line = lineOf('    when own-record') - 1 + 2; // `and request.purpose is disclosure`
    expect(lines[line]).toBe('      and request.purpose is disclosure');
    const hover = await request<{ contents: { value: string } }>('textDocument/hover', {
      position: { line, character: 20 },
    });
    expect(hover.contents.value).toBe(
      [
        '**`request.purpose`**: one of disclosure, circulation, collection_development, card_monitoring (“what the record is wanted for”)',
        'Why: to have it disclosed; circulation; collection development; monitoring a staff card.',
        '- `disclosure`: to have the record disclosed\n- `circulation`: for circulation\n- `collection_development`: for collection development\n- `card_monitoring`: to monitor a staff card',
        'Optional: queries may leave it out.',
      ].join('\n\n'),
    );
  });

  test('completion: the attributes after `requester.`, the values after a comparison, citations after `because`', async () => {
    const labels = async (text: string) => {
      const line = lineOf('    when own-record');
      const edited = lines.map((l, i) => (i === line ? text : l)).join('\n');
      await change(edited);
      const items = await request<{ label: string; detail?: string }[]>('textDocument/completion', {
        position: { line, character: text.length },
      });
      return items.map((i) => (i.detail ? `${i.label}: ${i.detail}` : i.label));
    };
    expect(await labels('    when requester.')).toEqual([
      'id: identifier',
      'role: one of patron, family_member, parent_or_guardian, law_enforcement, …',
      'guardianOf: set of identifier',
    ]);
    expect(await labels('    when requester.role is ')).toEqual([
      'patron',
      'family_member',
      'parent_or_guardian',
      'law_enforcement',
      'government_agency',
      'reporter',
      'attorney',
      'staff',
      'collection_services_manager',
      'library_director',
      'other',
    ]);
    expect(
      await labels('    when record.subjectId in requester.guardianOf and request.purpose in [disclosure, '),
    ).toEqual(['disclosure', 'circulation', 'collection_development', 'card_monitoring']);
    const citations = await labels('    because cgs-11-25b, ');
    expect(citations.slice(0, 6)).toEqual([
      'cgs-11-25b-1981: authority',
      'cgs-11-25b: authority',
      'cgs-1-19: authority',
      'cgs-1-210: authority',
      'cgs-1-1d: authority',
      'general: section',
    ]);
    expect(citations.filter((c) => c.endsWith(': interpretation')).length).toBe(17);
    expect((await labels('    ')).slice(0, 7)).toEqual([
      'section: a section of the policy, quoted',
      'permit: a rule that permits',
      'forbid: a rule that forbids (a forbid beats any permit)',
      'example: an example query and its expected decision',
      'assert: a guarantee, proved for every query',
      'policy',
      'owner',
    ]);
    expect(await change(source)).toEqual([]);
  });

  test('definition, references and rename of a condition, across its uses; a rename that would clash is refused', async () => {
    const use = lineOf('    when own-record');
    const declared = lineOf('condition own-record "The requester is the borrower the record identifies."');
    expect(await request('textDocument/definition', { position: { line: use, character: 12 } })).toEqual({
      uri,
      range: range(declared, 10, 20),
    });
    const references = await request<{ uri: string; range: { start: { line: number } } }[]>(
      'textDocument/references',
      {
        position: { line: use, character: 12 },
        context: { includeDeclaration: false },
      },
    );
    // Its uses in `third-party`, the rule, an interpretation's departure, an assertion and an example's expectation.
    expect(references.map((r) => [r.uri === uri, r.range.start.line + 1])).toEqual([
      [true, 48],
      [true, 121],
      [true, 406],
      [true, 155],
      [true, 198],
    ]);
    const rename = await request<WorkspaceEdit>('textDocument/rename', {
      position: { line: declared, character: 12 },
      newName: 'requester-is-borrower',
    });
    const renamed = applied(source, rename.changes?.[uri] ?? []);
    const changed = renamed.split('\n').flatMap((l, i) => (l === lines[i] ? [] : [i + 1]));
    expect(changed).toEqual([declared + 1, 48, 121, 155, 198, 406]);
    expect(renamed.replaceAll('requester-is-borrower', 'own-record')).toBe(source);
    await expect(
      request('textDocument/rename', { position: { line: declared, character: 12 }, newName: 'third-party' }),
    ).rejects.toThrow(
      'cannot rename `own-record` to `third-party`: it already names another declaration, and the policy would then mean something else',
    );
    await expect(
      request('textDocument/rename', { position: { line: declared, character: 12 }, newName: 'permit' }),
    ).rejects.toThrow('cannot rename `own-record` to `permit`: it is a keyword of the language');
  });

  test('the outline: the header, the conditions, and each section holding its rules', async () => {
    const symbols = await request<{ name: string; detail?: string; children?: { name: string }[] }[]>(
      'textDocument/documentSymbol',
      {},
    );
    expect(symbols.map((s) => s.name)).toEqual([
      'wethersfield-confidentiality',
      'own-record',
      'parent-of-minor-borrower',
      'third-party',
      'legal-process-served',
      'court-process',
      'court-grounds',
      'defective-court-process',
      'other-process',
      'proper-authority',
      'library-staff',
      'internal-use',
      'privileged-staff-card',
      'library-work',
      'Confidentiality of Records',
      'Notification of Library Director',
      'Action by the Library Director',
      'Requests for Library Records',
      'Authority for Policy',
      'Confidentiality of Staff Records',
      'Connecticut State Statue, Title 11, Section 11-25 (b) Reports by libraries, Confidentiality of records.',
    ]);
    expect(symbols[14]?.children?.slice(0, 3).map((c) => c.name)).toEqual([
      'borrower-sees-own-record',
      'parent-sees-minors-record',
      'no-release-to-third-parties',
    ]);
  });

  test('formatting: nothing to change in a formatted policy; a misindented one comes back in the canonical layout', async () => {
    const options = { options: { tabSize: 2, insertSpaces: true } };
    expect(await request('textDocument/formatting', options)).toEqual([]);
    const line = lineOf('    when own-record');
    await change(lines.map((l, i) => (i === line ? '        when   own-record' : l)).join('\n'));
    const edits = await request<TextEdit[]>('textDocument/formatting', options);
    expect(edits.length).toBe(1);
    expect(
      applied(lines.map((l, i) => (i === line ? '        when   own-record' : l)).join('\n'), edits),
    ).toBe(source);
    expect(await change(source)).toEqual([]);
  });

  test('on save: each example and assertion gets a lens with its result', async () => {
    const published = lsp.diagnostics(uri);
    await lsp.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    expect((await published).diagnostics).toEqual([]);
    const lenses = await request<{ range: { start: { line: number } }; command: { title: string } }[]>(
      'textDocument/codeLens',
      {},
    );
    expect(lenses.slice(0, 2).map((l) => [l.range.start.line + 1, l.command.title])).toEqual([
      [314, '✓ deny'],
      [319, '✓ deny'],
    ]);
    expect(lenses.length).toBe(62);
    expect(lenses.filter((l) => l.command.title === '✓ proved').length).toBe(29);
    expect(lenses.every((l) => l.command.title.startsWith('✓'))).toBe(true);
  });
  test('on save, an example that fails is an error at its description, and its lens says why', async () => {
    const line = lineOf('  example "A reporter asks what the mayor borrowed"');
    const wrong = source.replace(
      '    expect deny by no-release-to-third-parties with notify_director\n',
      '    expect permit with notify_director\n',
    );
    await change(wrong);
    const published = lsp.diagnostics(uri, (p) => p.diagnostics.length > 0);
    await lsp.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    expect((await published).diagnostics.map((d) => [d.code, d.range, d.message])).toEqual([
      [
        'example-fails',
        range(line, 10, 51),
        'this example fails: deny, expected permit\nhelp: fix the rules, or the expectation if the example is what is wrong (`tenet test` says more)',
      ],
    ]);
    const lenses = await request<{ command: { title: string } }[]>('textDocument/codeLens', {});
    expect(lenses[0]?.command.title).toBe('✗ deny, expected permit');
    // Typing again drops what the save found until the next save.
    expect(await change(source)).toEqual([]);
  });
});

describe('positions', () => {
  test('a column after `§` and an emoji in a string counts UTF-16 code units, as the protocol does', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'tenet-lsp-'));
    const policy = path.join(folder, 'p.policy');
    const text = [
      'policy p "P"',
      '  owner "o"',
      '  version "1"',
      '  default deny because law',
      '',
      'authority law "Conn. Gen. Stat. § 11-25(b)"',
      '',
      'entity requester',
      '  id: identifier',
      '',
      'permit r',
      '  when requester.id is "x"',
      '  says "Under § 11-25(b) 🙂, yes." because lwa',
      '',
    ].join('\n');
    writeFileSync(policy, text);
    const target = pathToFileURL(policy).href;
    const published = lsp.diagnostics(target);
    await lsp.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: target, languageId: 'tenet', version: 1, text },
    });
    const diagnostics: Diagnostic[] = (await published).diagnostics;
    const line = text.split('\n')[12] as string;
    const character = line.indexOf('lwa');
    expect([...line.slice(0, character)].length).toBe(character - 1); // the emoji is two code units, one character
    expect(diagnostics.map((d) => [d.code, d.range])).toEqual([
      ['unknown-citation', range(12, character, character + 3)],
    ]);
  });
});
