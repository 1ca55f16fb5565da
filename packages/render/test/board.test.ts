/**
 * The board document's content, rendered in-process (the browser test in test/board.test.ts checks it as a reader
 * sees it): the redline of a revision, the words of rules and questions, and that no text of a policy becomes markup.
 */
import { describe, expect, it } from 'vitest';
import { compiled } from '../../../test/helpers/wethersfield.js';
import { html, redline, renderBoard } from '../src/index.js';

const policy = (file: string) => {
  const { checked, artifact } = compiled(file);
  return { file, checked, artifact, diagnostics: [] };
};
const current = policy('policies/wethersfield/confidentiality.policy');
const renderedAt = new Date('2026-12-02T12:00:00Z');
/** The text of a part of the page, its markup taken out and its spacing made single. */
const textOf = (page: string, id: string) => {
  const start = page.indexOf(`id="${id}"`);
  const end = page.indexOf('<section class="part"', start + 1);
  return page
    .slice(start, end < 0 ? undefined : end)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
};

describe('the board document of a revision', () => {
  it('says which questions now get another answer, and redlines the text', async () => {
    const page = await renderBoard({
      ...current,
      compare: policy('test/cases/board/wethersfield-2014-as-first-written.policy'),
      renderedAt,
    });
    const text = textOf(page, 'comparison');
    expect(text).toContain('What this revision changes, from the version of 22 April 2014');
    expect(text).toContain(
      'Questions now answered yes, which the earlier version answered no Nowhere: the revision releases more.',
    );
    expect(text).toContain(
      'The policy refuses , R8 : “A subpoena or other process that is not a court order releases nothing: give it to the Director, who takes it up with counsel.”; the earlier version released , “Release to the authorities on process in proper form, on good cause shown in a competent court.”.',
    );
    expect(text).toContain('The earlier version also asks: Insist that the defects be cured.');
    expect(text).toContain('Rule added: subpoena-releases-nothing');
    expect(text).toContain('Rule removed: release-on-court-grounds');
    expect(text).not.toContain('the law');
  });
});

describe('the board document', () => {
  it('dates itself, and names the artifact it describes by its hash', async () => {
    const page = await renderBoard({ ...current, renderedAt });
    expect(page).toContain(`<code class="hash">${current.artifact.hash}</code>`);
    expect(page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      'Rendered 2 December 2026, from policies/wethersfield/confidentiality.policy',
    );
  });

  it('says each rule exactly when it applies, from its condition', async () => {
    const text = textOf(await renderBoard({ ...current, renderedAt }), 'sections');
    expect(text).toContain(
      'R9 Forbids: Only law enforcement and government agencies receive records on a court order: refer anyone else, an attorney included, to the Director and counsel. Exactly when: what the record is wanted for is to have the record disclosed, anyone but the borrower, or the parent or guardian of a minor borrower, a court order or a search warrant: process a court issues and it is not so that the requester is law enforcement or a government agency.',
    );
  });
});

describe('markup', () => {
  it('escapes every text put in, and keeps markup made by html', () => {
    const said = '<script>alert("x")</script> & \'quotes\'';
    expect(html`<p>${said}</p>`.text).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>',
    );
    expect(html`<div>${html`<b>${said}</b>`}</div>`.text).toBe(
      '<div><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</b></div>',
    );
  });

  it('redlines words taken out and put in', () => {
    expect(redline('a subpoena releases the record', 'a court order releases the record').text).toBe(
      'a<del> subpoena</del><ins> court order</ins> releases the record',
    );
  });
});
