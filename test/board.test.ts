/**
 * The board document, as the Board would receive it: rendered by the built CLI (`tenet render … --compare` the
 * statute in force), served from a loopback server, opened in headless Chromium (Debian's `chromium`) with every
 * request beyond that server refused and recorded, checked for its parts, the matrix and the pictures, checked by
 * axe-core, and printed. Screenshots, the PDFs and their page counts are written to `test-output/board/` (not
 * committed) for a person to look at.
 *
 * Build first: `npx tsc -b packages/cli`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_FLAGS } from '../packages/render/src/index.js';
import { repositoryRoot } from './helpers/wethersfield.js';

const output = path.join(repositoryRoot, 'test-output', 'board');
const main = path.join(repositoryRoot, 'packages/cli/dist/main.js');

/** The parts of the document, in order, by heading. */
const PARTS = [
  'Contents',
  'The policy, section by section',
  "Who may see a patron's record",
  'How the software decides: the decision graph',
  'The guarantees',
  'Worked examples',
  'Interpretations and open questions for the Board',
  'Compared with Conn. Gen. Stat. § 11-25(b), as in force since 1 July 2007',
  'The law quoted',
  'Glossary: the words of a question',
  'What checking the policy found',
];

/** How many pages a PDF has: its page objects, counted. */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

let server: Server;
let browser: Browser;
let page: Page;
let origin = '';
let rendered = { status: -1 as number | null, stdout: '', stderr: '', ms: 0 };
const outside: string[] = [];

beforeAll(async () => {
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      main,
      'render',
      'policies/wethersfield/confidentiality.policy',
      '-o',
      output,
      '--compare',
      'policies/connecticut/cgs-11-25b.policy',
    ],
    { cwd: repositoryRoot, encoding: 'utf8' },
  );
  rendered = { status: run.status, stdout: run.stdout, stderr: run.stderr, ms: performance.now() - started };
  const index = readFileSync(path.join(output, 'index.html'));
  server = createServer((request, response) => {
    if (request.url === '/' || request.url === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(index);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.TENET_CHROMIUM ?? CHROMIUM,
    args: CHROMIUM_FLAGS,
  });
  // The page's own policy forbids every script; axe-core is injected past it, as a reader's tools would be.
  const context = await browser.newContext({ viewport: { width: 1100, height: 1400 }, bypassCSP: true });
  // Only the loopback server answers; anything else is refused and recorded.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page = await context.newPage();
  await page.goto(`${origin}/`, { waitUntil: 'load' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('tenet render', () => {
  it('writes the page and a PDF on Letter and on A4, and says where', () => {
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    expect(rendered.stdout).toMatch(
      /index\.html, .*policy-letter\.pdf, .*policy-a4\.pdf: the board document, rendered in \d+\.\d s\n$/,
    );
    const pages = Object.fromEntries(
      ['letter', 'a4'].map((paper) => [
        paper,
        pageCount(readFileSync(path.join(output, `policy-${paper}.pdf`))),
      ]),
    );
    writeFileSync(
      path.join(output, 'pages.txt'),
      `Letter: ${pages.letter} pages; A4: ${pages.a4} pages; rendered in ${(rendered.ms / 1000).toFixed(1)} s\n`,
    );
    expect(pages.letter).toBeGreaterThan(10);
    expect(pages.a4).toBeGreaterThan(10);
  });
});

describe('the board document in a browser', () => {
  it('holds every part, in order, each listed in the contents', async () => {
    const headings = await page.locator('h2').allTextContents();
    expect(headings).toEqual(PARTS);
    const contents = await page.locator('nav.contents a').allTextContents();
    expect(contents).toEqual(PARTS.slice(1));
    await page.screenshot({ path: path.join(output, 'title-page.png') });
  });

  it('shows the title page: title, library, version, history and the artifact hash', async () => {
    const title = page.locator('header.title-page');
    await expect.poll(() => title.locator('h1').textContent()).toBe('Confidentiality of Records Policy');
    const text = (await title.textContent()) ?? '';
    for (const line of [
      'Wethersfield Library',
      'Version of 22 April 2014',
      'Approved 24 September 2002 by the Library Board',
      'Revised 27 April 2004',
      'Revised 6 December 2011',
      'Affirmed 22 April 2014',
    ])
      expect(text).toContain(line);
    expect(await title.locator('code.hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows who may see a record, as the engine decides, every cell naming the rule that decides it', async () => {
    const matrix = page.locator('table.matrix').first();
    expect(await matrix.isVisible()).toBe(true);
    const rows = await matrix.locator('tbody tr').count();
    const columns = await matrix.locator('thead th').count();
    expect([rows, columns]).toEqual([14, 7]);
    const cell = (row: string, column: number) =>
      matrix
        .locator('tbody tr', { has: page.locator(`th:text-is("${row}")`) })
        .locator('td')
        .nth(column);
    // A reporter with nothing is refused; the police with a court order in order are answered yes.
    expect(await cell('A reporter', 0).textContent()).toBe('No by R3D1');
    expect(await cell('A law enforcement officer', 2).textContent()).toBe('Yes by R6D1; D2');
    expect(await cell('A law enforcement officer', 1).textContent()).toBe('No by R8D1; D2');
    for (const link of await matrix.locator('td a').all()) {
      const target = (await link.getAttribute('href')) ?? '';
      expect(await page.locator(target).count(), target).toBe(1);
    }
    await matrix.screenshot({ path: path.join(output, 'matrix.png') });
  });

  it('draws the decision graph as pictures with alternative text', async () => {
    const figures = page.locator('figure.graph');
    expect(await figures.count()).toBe(8);
    for (const figure of await figures.all()) {
      const picture = figure.locator('[role="img"]');
      expect(await picture.getAttribute('aria-label')).toMatch(/the decision graph, \d+ questions?/);
      const box = await picture.locator('svg').boundingBox();
      expect(box && box.width > 100 && box.height > 20).toBe(true);
    }
    await figures.nth(2).screenshot({ path: path.join(output, 'graph.png') });
  });

  it('says where the policy is looser than the law, first, beside the interpretation that acknowledges it', async () => {
    const part = page.locator('#comparison');
    const headings = await part.locator('h3').allTextContents();
    expect(headings).toEqual([
      'Where the policy releases more than the law allows',
      'Where the policy releases less than the law allows',
      'Where only the duties differ',
    ]);
    const looser = part.locator('.difference.looser');
    expect(await looser.count()).toBeGreaterThan(0);
    for (const difference of await looser.all())
      expect(await difference.locator('.ack').textContent()).toBe(
        'Acknowledged in the interpretation Parents of minors and the statute in force.',
      );
    await part.screenshot({ path: path.join(output, 'comparison.png') });
  });

  it('asks nothing of any other machine', () => {
    expect(outside).toEqual([]);
  });

  it('has no accessibility violation axe-core can find', async () => {
    await page.addScriptTag({ path: path.join(repositoryRoot, 'node_modules/axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
        }
      ).axe;
      const result = await axe.run();
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
  });
});
