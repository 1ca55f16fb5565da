/** Text made safe for HTML, in an element or an attribute. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Markup already made safe: what `html` puts in as it is. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What `html` takes in: text (escaped), markup (as it is), a number, nothing, or a list of these. */
export type Part = Markup | string | number | undefined | false | readonly Part[];

const show = (part: Part): string =>
  part === undefined || part === false
    ? ''
    : part instanceof Markup
      ? part.text
      : Array.isArray(part)
        ? part.map(show).join('')
        : escapeHtml(String(part));

/**
 * A template of markup: every value put in is escaped, unless it is already markup (made by `html` itself), so that
 * no text of a policy (a rule's sentence, a quote, a label) can become markup.
 */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Markup {
  return new Markup(
    strings.reduce((out, s, i) => out + s + (i < parts.length ? show(parts[i] as Part) : ''), ''),
  );
}

/** Paragraphs of a text block, each its own `<p>`. */
export function paragraphs(text: string): Markup {
  return html`${text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p !== '')
    .map((p) => html`<p>${p}</p>`)}`;
}
