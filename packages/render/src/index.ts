/**
 * The board document: a policy rendered for the people who approve it, as one self-contained HTML page generated
 * from the same checked policy and artifact the engine runs, and a PDF printed from it by headless Chromium.
 */
export { type BoardInput, type RenderedPolicy, renderBoard } from './board.js';
export { escapeHtml, html, Markup, type Part } from './html.js';
export { CHROMIUM, CHROMIUM_FLAGS, type Paper, printPdf } from './print.js';
export { redline } from './redline.js';
