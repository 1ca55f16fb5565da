import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { analyze, compile, examplesOf, solverAttributes } from '../packages/compiler/src/index.js';
import { checkPolicy, format, parse } from '../packages/language/src/index.js';
import { CHROMIUM, CHROMIUM_FLAGS } from '../packages/render/src/index.js';
import { createEngine, explain } from '../packages/runtime/src/index.js';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('the documentation', () => {
  it('documents every diagnostic code the language can report, and no other', () => {
    const union =
      read('packages/language/src/diagnostics.ts').split('export type DiagnosticCode =')[1]?.split(';')[0] ??
      '';
    const codes = [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort();
    const documented = [...read('docs/diagnostics.md').matchAll(/^\| `([a-z-]+)` \|/gm)]
      .map((m) => m[1])
      .sort();
    expect(codes.length).toBeGreaterThan(30);
    expect(documented).toEqual(codes);
  });

  it('names, in the language reference, every diagnostic code the language can report', () => {
    const union =
      read('packages/language/src/diagnostics.ts').split('export type DiagnosticCode =')[1]?.split(';')[0] ??
      '';
    const codes = [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1] as string);
    const page = read('docs/language.md');
    expect(codes.length).toBeGreaterThan(30);
    expect(codes.filter((code) => !page.includes(`\`${code}\``))).toEqual([]);
  });

  it('opens the language reference with a whole policy that checks clean, passes its examples, proves its guarantees, and is formatted', () => {
    const text = /```\n(# Comments run from[\s\S]*?)```/.exec(read('docs/language.md'))?.[1] ?? '';
    const file = 'docs/language.md#example';
    const checked = checkPolicy(file, { read: (f) => (f === file ? text : undefined), resolve: (_, p) => p });
    expect(checked.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([]);
    const artifact = compile(checked.value).value;
    if (!artifact) throw new Error('the example does not compile');
    const engine = createEngine(artifact);
    for (const example of examplesOf(checked.value)) {
      const decision = engine.decide(example.query);
      expect(decision.decision, example.description).toBe(example.expect.decision);
    }
    const analysis = analyze(checked.value, solverAttributes(artifact.vocabulary));
    expect(analysis.assertions.map((a) => [a.id, a.status])).toEqual([
      ['borrower-always-sees-own-record', 'proved'],
      ['no-release-on-a-subpoena', 'proved'],
    ]);
    expect(format(parse(text, file).value)).toBe(text);
  });
});

/**
 * The sessions a page shows (`$ pnpm tenet …` and what it prints), run as written in a scratch folder holding a copy
 * of `policies/`. A line `…` stands for any lines; `…` in a line for any text; times are compared as times.
 */
function sessionsOf(file: string): { command: string; input?: string; expected: string[] }[] {
  const blocks = [...read(file).matchAll(/```\n(\$ [\s\S]*?)```/g)].map((m) => m[1] as string);
  return blocks.flatMap((block) => {
    const [first, ...rest] = block.trimEnd().split('\n');
    const m = /^\$ (?:echo '([^']*)' \| )?pnpm tenet (.*)$/.exec(first ?? '');
    if (!m || rest.some((l) => l.startsWith('$ '))) return [];
    return [
      { command: m[2] as string, ...(m[1] !== undefined ? { input: `${m[1]}\n` } : {}), expected: rest },
    ];
  });
}

const times = (line: string) => line.replace(/\d+(\.\d+)? (ms|s)\b/g, 'N $2');
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `actual` lines are what `expected` shows, `…` lines standing for any lines. */
function shows(expected: readonly string[], actual: readonly string[]): boolean {
  const line = (e: string) => new RegExp(`^${times(e).split('…').map(escaped).join('.*')}$`);
  const match = (i: number, j: number): boolean => {
    if (i === expected.length) return j === actual.length;
    if (expected[i] === '…') {
      for (let k = j; k <= actual.length; k++) if (match(i + 1, k)) return true;
      return false;
    }
    return (
      j < actual.length && line(expected[i] as string).test(times(actual[j] as string)) && match(i + 1, j + 1)
    );
  };
  return match(0, 0);
}

describe('the CLI reference', () => {
  const sessions = sessionsOf('docs/cli.md');
  const scratch = mkdtempSync(path.join(tmpdir(), 'tenet-docs-'));
  cpSync(path.join(root, 'policies'), path.join(scratch, 'policies'), { recursive: true });

  it('shows sessions of most commands', () => {
    expect(sessions.map((s) => s.command.split(' ')[0])).toEqual(
      expect.arrayContaining(['check', 'compile', 'decide', 'test', 'verify', 'diff', 'render']),
    );
  });

  it.each(sessions.map((s) => [s.command, s] as const))('shows what `tenet %s` prints', (_, session) => {
    const run = spawnSync(
      'sh',
      ['-c', `node ${JSON.stringify(path.join(root, 'packages/cli/dist/main.js'))} ${session.command} 2>&1`],
      { cwd: scratch, encoding: 'utf8', input: session.input ?? '' },
    );
    const actual = run.stdout.trimEnd().split('\n');
    expect(
      shows(session.expected, actual),
      `expected:\n${session.expected.join('\n')}\n\nactual:\n${actual.join('\n')}`,
    ).toBe(true);
  });

  it('leaves nothing behind', () => {
    rmSync(scratch, { recursive: true, force: true });
  });
});

describe('the embedding guide', () => {
  const page = read('docs/embedding.md');
  const block = (language: string) =>
    new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(page)?.[1] ?? '';
  const scratch = mkdtempSync(path.join(tmpdir(), 'tenet-embedding-'));
  mkdirSync(path.join(scratch, 'node_modules', '@tenet'), { recursive: true });
  symlinkSync(path.join(root, 'packages/runtime'), path.join(scratch, 'node_modules/@tenet/runtime'));
  const main = path.join(root, 'packages/cli/dist/main.js');
  spawnSync(
    process.execPath,
    [
      main,
      'compile',
      'policies/wethersfield/confidentiality.policy',
      '-o',
      path.join(scratch, 'wethersfield.json'),
    ],
    {
      cwd: root,
    },
  );

  it('shows a Node script that prints exactly what the guide says', () => {
    writeFileSync(path.join(scratch, 'decide.mjs'), block('js'));
    const run = spawnSync(process.execPath, ['decide.mjs'], { cwd: scratch, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(block('text'));
  });

  it('shows a browser page that gives the answer the runtime gives in Node', async () => {
    const files: Record<string, [string, string]> = {
      '/': ['text/html; charset=utf-8', block('html')],
      '/wethersfield.json': [
        'application/json',
        readFileSync(path.join(scratch, 'wethersfield.json'), 'utf8'),
      ],
    };
    const server = createServer((request, response) => {
      const url = request.url ?? '/';
      const module = url.startsWith('/tenet-runtime/') ? url.slice('/tenet-runtime/'.length) : undefined;
      const served =
        module && /^[\w-]+\.js$/.test(module)
          ? (['text/javascript', readFileSync(path.join(root, 'packages/runtime/dist', module), 'utf8')] as [
              string,
              string,
            ])
          : files[url];
      response.writeHead(served ? 200 : 404, served ? { 'content-type': served[0] } : {});
      response.end(served?.[1] ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: process.env.TENET_CHROMIUM ?? CHROMIUM,
      args: CHROMIUM_FLAGS,
    });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`${origin}/`);
      await expect.poll(() => tab.locator('#answer').textContent()).not.toBe('…');
      const engine = createEngine(JSON.parse(files['/wethersfield.json']?.[1] ?? '{}'));
      const query = { requester: { id: 'r-7', role: 'reporter' }, record: { subjectId: 'p-mayor' } };
      expect(await tab.locator('#answer').textContent()).toBe(
        explain(engine.decide(query), engine.counterfactuals(query)),
      );
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
