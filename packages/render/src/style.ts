/**
 * The board document's styles: plain and readable on a screen (a column of text, tables that scroll), and printed
 * on Letter or A4 alike (each part on a new page, tables that keep their heads, the graph on a landscape page).
 * Colours keep a contrast of 4.5:1 or more; answers say Yes and No in words, never by colour alone.
 */
export const STYLE = `
:root { --ink: #1d1d1f; --quiet: #4a4a4f; --rule: #c9c9cf; --yes: #0b5a20; --no: #8a1010; --paper: #ffffff;
  --tint: #f3f4f7; --accent: #173f73; }
* { box-sizing: border-box; }
html { color: var(--ink); background: var(--paper); }
body { font: 11pt/1.5 Georgia, "Times New Roman", serif; margin: 0 auto; max-width: 52rem; padding: 2rem 1.5rem; }
h1, h2, h3, h4, caption, th, .tag, nav { font-family: "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 2.2rem; line-height: 1.15; margin: 0.5rem 0 1rem; color: var(--accent); }
h2 { font-size: 1.5rem; margin: 2.5rem 0 1rem; color: var(--accent); border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.15rem; margin: 1.8rem 0 0.6rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
a { color: var(--accent); }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 0.85em; }
.hash { word-break: break-all; }
.title-page { min-height: 80vh; display: flex; flex-direction: column; justify-content: center; }
.title-page .owner { font: 600 1.1rem "Helvetica Neue", Arial, sans-serif; letter-spacing: 0.04em; text-transform: uppercase; color: var(--quiet); }
.title-page .history { list-style: none; padding: 0; }
.identity dt { font-weight: bold; margin-top: 0.6rem; }
.identity dd { margin: 0; }
.hash-note, .quiet, .note, .legend, figcaption { color: var(--quiet); font-size: 0.95em; }
blockquote { margin: 0.8rem 0; padding: 0.5rem 1rem; background: var(--tint); border-left: 4px solid var(--rule); }
blockquote .source { font: 600 0.85rem "Helvetica Neue", Arial, sans-serif; color: var(--quiet); margin: 0; }
blockquote.law { border-left-color: var(--accent); }
.rule, .duty, .reading, .authority, .example, .difference { break-inside: avoid; }
.rule, .duty { border-top: 1px solid var(--rule); padding-top: 0.3rem; }
.tag { display: inline-block; min-width: 2.4rem; padding: 0 0.3rem; margin-right: 0.3rem; border: 1px solid var(--accent); color: var(--accent); text-align: center; font-size: 0.85rem; }
.term { font-weight: bold; }
.yes { color: var(--yes); }
.no { color: var(--no); }
.by, .duties { font-size: 0.85em; color: var(--quiet); }
.answer { white-space: nowrap; }
table.duty-differences { border-collapse: collapse; margin: 0.8rem 0; }
table.duty-differences th, table.duty-differences td { border: 1px solid var(--rule); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
table.duty-differences caption { text-align: left; font-weight: bold; }
table.matrix { border-collapse: collapse; width: 100%; margin: 1rem 0 0.5rem; font-size: 0.8rem; display: block; overflow-x: auto; }
table.matrix caption { text-align: left; font-weight: bold; margin-bottom: 0.4rem; }
table.matrix th, table.matrix td { border: 1px solid var(--rule); padding: 0.25rem 0.35rem; vertical-align: top; }
table.matrix thead th { background: var(--tint); }
table.matrix tbody th { text-align: left; font-weight: normal; min-width: 12rem; }
.departure { padding: 0.4rem 0.8rem; border-left: 4px solid var(--quiet); }
.departure.looser, .ack.warning { border-left-color: var(--no); }
.difference { border-left: 4px solid var(--rule); padding-left: 0.8rem; margin: 0.8rem 0; }
.difference.looser { border-left-color: var(--no); }
ol.guarantees li { margin-bottom: 0.6rem; }
ol.guarantees p { margin: 0.1rem 0; }
.glossary dt { font-weight: bold; margin-top: 0.5rem; }
.glossary dd { margin-left: 1.2rem; }
figure.graph { margin: 1rem 0; }
figure.graph .svg { overflow-x: auto; }
figure.graph svg { max-width: 100%; height: auto; }
nav.contents ol { columns: 2; }
@page { margin: 18mm 16mm 20mm; }
@page graph { size: landscape; margin: 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  .title-page { min-height: auto; height: 230mm; break-after: page; }
  nav.contents { break-after: page; }
  .part { break-before: page; }
  table.matrix { display: table; font-size: 7.5pt; }
  table.matrix thead { display: table-header-group; }
  table.matrix tr { break-inside: avoid; }
  #graph { page: graph; }
  figure.graph { break-inside: avoid; }
  figure.graph svg { max-height: 170mm; }
  h2, h3, h4 { break-after: avoid; }
}
`;
