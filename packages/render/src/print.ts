import { chromium } from 'playwright-core';
import { escapeHtml } from './html.js';

/** Where Debian installs Chromium (`apt-get install chromium`); `TENET_CHROMIUM` names another. */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags headless Chromium runs with: no sandbox (CI runs as root), no GPU, and nothing fetched behind our back. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/** A paper size the document prints on. */
export type Paper = 'Letter' | 'A4';

/**
 * Prints the board document to PDF with headless Chromium: the page's own print styles, a running header with the
 * policy's title and a footer with the page number and count. Every request the page makes beyond its own text is
 * refused, so printing reads nothing from the network. Returns the PDF's bytes.
 */
export async function printPdf(
  page: string,
  options: { title: string; paper: Paper; executablePath?: string },
): Promise<Uint8Array> {
  const browser = await chromium.launch({
    executablePath: options.executablePath ?? process.env.TENET_CHROMIUM ?? CHROMIUM,
    args: CHROMIUM_FLAGS,
  });
  try {
    const context = await browser.newContext();
    await context.route('**/*', (route) => route.abort());
    const tab = await context.newPage();
    await tab.setContent(page, { waitUntil: 'load' });
    const small = 'font: 8px Helvetica, Arial, sans-serif; color: #4a4a4f; width: 100%; margin: 0 16mm;';
    return await tab.pdf({
      format: options.paper,
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: `<div style="${small}">${escapeHtml(options.title)}</div>`,
      footerTemplate: `<div style="${small} text-align: right;">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
      margin: { top: '18mm', bottom: '20mm', left: '16mm', right: '16mm' },
    });
  } finally {
    await browser.close();
  }
}
