import type * as ast from './ast.js';
import { showRange } from './types.js';

/** The width the formatter keeps lines within, where a line can be broken. */
export const LINE_WIDTH = 110;

const INDENT = '  ';

/** A string literal for `value`: quoted, with `"`, `\` and line breaks escaped. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/**
 * Whether a text block can hold `value` exactly: reading a block drops each line's trailing space, the common
 * indentation, and a blank first and last line, so a value with any of those must stay a string.
 */
function fitsTextBlock(value: string): boolean {
  const lines = value.split('\n');
  return (
    lines.length > 1 &&
    !value.includes('"""') &&
    lines.every((l) => l === l.trimEnd()) &&
    (lines[0] ?? '').trim() !== '' &&
    (lines.at(-1) ?? '').trim() !== '' &&
    lines.some((l) => l !== '' && !/^[ \t]/.test(l))
  );
}

function names(list: readonly ast.Name[]): string {
  return list.map((n) => n.text).join(', ');
}

function operand(o: ast.Operand): string {
  switch (o.kind) {
    case 'path':
      return o.names.map((n) => n.text).join('.');
    case 'string':
      return quoted(o.value);
    case 'set':
      return `[${o.elements.map(operand).join(', ')}]`;
    default:
      return String(o.value);
  }
}

/** An expression on one line, with parentheses wherever `and` and `or` meet: as the formatter writes it. */
export function formatExpression(e: ast.Expression): string {
  return expression(e);
}

function expression(e: ast.Expression): string {
  const grouped = (inner: ast.Expression) =>
    inner.kind === 'and' || inner.kind === 'or' ? `(${expression(inner)})` : expression(inner);
  switch (e.kind) {
    case 'and':
    case 'or':
      return e.operands.map(grouped).join(` ${e.kind} `);
    case 'not':
      return `not ${grouped(e.operand)}`;
    case 'atom':
      return operand(e.operand);
    case 'test':
      return `${operand(e.left)} ${e.operator} ${operand(e.right)}`;
  }
}

/** The values of an enumeration as written: each followed by its label, where it has one. */
function enumValues(t: Extract<ast.TypeExpression, { kind: 'enum' }>): string[] {
  return t.values.map((v, i) => {
    const label = t.labels[i];
    return label ? `${v.text} ${quoted(label.value)}` : v.text;
  });
}

function typeText(t: ast.TypeExpression): string {
  switch (t.kind) {
    case 'enum':
      return `one of ${enumValues(t).join(', ')}`;
    case 'set':
      return `${t.nonEmpty ? 'non-empty ' : ''}set of ${typeText(t.element)}`;
    case 'integer': {
      const range = showRange(t);
      return range ? `integer ${range}` : 'integer';
    }
    default:
      return t.kind;
  }
}

/** Where in the source a printed line comes from: offsets 0-based, lines 1-based. */
type Anchor = { start: { offset: number; line: number }; end: { offset: number; line: number } };

/**
 * Prints lines, placing each comment of the source before the first line whose source comes after it, or at the
 * end of the line it trailed. Every line is anchored at a source offset for that purpose.
 */
class Printer {
  readonly lines: string[] = [];
  #comment = 0;
  /** Where the source of the last printed line ends: its line, and the offset just after it. */
  #lastLine = -1;
  #lastEnd = 0;

  constructor(private readonly comments: readonly ast.Comment[]) {}

  /** Emits `text` at `indent`; `anchor` is the source span the line prints. */
  line(indent: string, text: string, anchor: Anchor): void {
    this.flush(anchor.start.offset, indent, anchor.start.line);
    this.lines.push(indent + text);
    this.#lastLine = anchor.end.line;
    this.#lastEnd = anchor.end.offset;
  }

  /** Emits a line that continues the previous one (a wrapped list): comments wait for the next line. */
  continued(indent: string, text: string): void {
    this.lines.push(indent + text);
  }

  blank(): void {
    this.#trailing();
    if (this.lines.length > 0 && this.lines.at(-1) !== '') this.lines.push('');
  }

  /**
   * Appends to the last line the comments before `offset` that follow, on the same source line, what that line
   * printed.
   */
  #trailing(offset = Number.POSITIVE_INFINITY): void {
    const last = this.lines.length - 1;
    const next = () => this.comments[this.#comment]?.span.start;
    while (
      last >= 0 &&
      this.lines[last] !== '' &&
      next()?.line === this.#lastLine &&
      (next()?.offset ?? 0) >= this.#lastEnd &&
      (next()?.offset ?? 0) < offset
    ) {
      this.lines[last] += `  ${(this.comments[this.#comment++] as ast.Comment).text.trimEnd()}`;
    }
  }

  /**
   * Emits the comments that come before `offset`: trailing ones on the line they followed, the rest on their own
   * lines, keeping a blank line where the source had one around them.
   */
  flush(offset: number, indent: string, anchorLine = Number.POSITIVE_INFINITY): void {
    this.#trailing(offset);
    let flushedOwnLine = false;
    let previousLine = this.#lastLine;
    while (
      this.#comment < this.comments.length &&
      (this.comments[this.#comment]?.span.start.offset ?? 0) < offset
    ) {
      const comment = this.comments[this.#comment++] as ast.Comment;
      const text = comment.text.trimEnd();
      const line = comment.span.start.line;
      if (line > previousLine + 1 && this.lines.length > 0 && this.lines.at(-1) !== '') this.lines.push('');
      this.lines.push(indent + text);
      flushedOwnLine = true;
      previousLine = line;
    }
    if (flushedOwnLine && anchorLine > previousLine + 1) this.lines.push('');
  }

  /** A text: a string when it is one line, otherwise a `"""` block indented under its clause. */
  text(indent: string, prefix: string, value: ast.Text): void {
    if (!fitsTextBlock(value.value)) {
      this.line(indent, `${prefix}${quoted(value.value)}`, value.span);
      return;
    }
    this.line(indent, `${prefix}"""`, value.span);
    for (const l of value.value.split('\n')) this.lines.push(l === '' ? '' : indent + INDENT + l);
    this.lines.push(`${indent + INDENT}"""`);
  }

  /**
   * `prefix` and a condition; a chain of `and` or `or` puts each of its conditions on a line of its own, and a
   * parenthesised chain too long for its line is broken the same way, one level deeper.
   */
  condition(
    indent: string,
    prefix: string,
    e: ast.Expression,
    anchor: { span: ast.Expression['span'] },
  ): void {
    if (e.kind !== 'and' && e.kind !== 'or') {
      this.#operand(indent, prefix, e, '', indent + INDENT, { start: anchor.span.start, end: e.span.end });
      return;
    }
    const deeper = indent + INDENT + INDENT;
    e.operands.forEach((o, i) => {
      if (i === 0)
        this.#operand(indent, prefix, o, '', deeper, { start: anchor.span.start, end: o.span.end });
      else this.#operand(indent + INDENT, `${e.kind} `, o, '', deeper, o.span);
    });
  }

  /**
   * One condition of a chain on a line of its own, between `prefix` and `suffix` (the parentheses it closes). When
   * the line would be too long and the condition is a parenthesised chain (`(a and b)`, `not (a and b)`), the
   * chain's first condition stays on the line and each other one starts a line at `deeper` with its operator.
   */
  #operand(
    indent: string,
    prefix: string,
    e: ast.Expression,
    suffix: string,
    deeper: string,
    anchor: Anchor,
  ): void {
    const text = `${prefix}${e.kind === 'and' || e.kind === 'or' ? `(${expression(e)})` : expression(e)}${suffix}`;
    let nots = 0;
    let group = e;
    while (group.kind === 'not') {
      nots++;
      group = group.operand;
    }
    if (indent.length + text.length <= LINE_WIDTH || (group.kind !== 'and' && group.kind !== 'or')) {
      this.line(indent, text, anchor);
      return;
    }
    const chain = group;
    const head = `${prefix}${'not '.repeat(nots)}(`;
    chain.operands.forEach((o, i) => {
      const close = i === chain.operands.length - 1 ? `)${suffix}` : '';
      if (i === 0)
        this.#operand(indent, head, o, close, deeper + INDENT, { start: anchor.start, end: o.span.end });
      else this.#operand(deeper, `${chain.kind} `, o, close, deeper + INDENT, o.span);
    });
  }
}

/**
 * Prints a parsed file in the canonical layout. Idempotent, keeps every comment, and never changes meaning: the
 * result parses to the same AST. Only files without syntax errors should be formatted.
 *
 * @example
 * const formatted = format(parse(text, 'policy.policy').value);
 */
export function format(file: ast.SourceFile): string {
  const p = new Printer([...file.comments].sort((a, b) => a.span.start.offset - b.span.start.offset));
  let inSection = false;
  let previous: ast.Declaration | undefined;
  for (const d of file.declarations) {
    // A blank line between declarations; imports stand together.
    if (!(d.kind === 'import' && previous?.kind === 'import')) p.blank();
    previous = d;
    if (d.kind === 'section') inSection = true;
    declaration(p, d, inSection && d.kind !== 'section' ? INDENT : '');
  }
  p.flush(Number.POSITIVE_INFINITY, '');
  return `${p.lines.join('\n').trim()}\n`;
}

function because(p: Printer, indent: string, list: readonly ast.Name[]): void {
  const first = list[0];
  const last = list.at(-1);
  if (first && last)
    p.line(indent, `because ${names(list)}`, { start: first.span.start, end: last.span.end });
}

function withTitle(keyword: string, id: string, title?: ast.Text): string {
  return `${keyword} ${id}${title ? ` ${quoted(title.value)}` : ''}`;
}

function declaration(p: Printer, d: ast.Declaration, indent: string): void {
  const inner = indent + INDENT;
  switch (d.kind) {
    case 'policy':
      p.line(indent, withTitle('policy', d.id.text, d.title), d.id.span);
      if (d.owner) p.line(inner, `owner ${quoted(d.owner.value)}`, d.owner.span);
      if (d.version)
        p.line(
          inner,
          `version ${d.version.isDate ? d.version.value : quoted(d.version.value)}`,
          d.version.span,
        );
      for (const h of d.history)
        p.line(inner, `${h.event} ${h.date.value}${h.by ? ` by ${quoted(h.by.value)}` : ''}`, h.span);
      if (d.defaultEffect) {
        const cited = d.defaultEffect.because.length > 0 ? ` because ${names(d.defaultEffect.because)}` : '';
        p.line(inner, `default ${d.defaultEffect.effect}${cited}`, d.defaultEffect.span);
      }
      if (d.comparedWith) p.line(inner, `compared with ${quoted(d.comparedWith.value)}`, d.comparedWith.span);
      if (d.referral) p.text(inner, 'referral ', d.referral);
      return;
    case 'import':
      p.line(indent, `import ${quoted(d.path.value)}`, d.span);
      return;
    case 'entity':
      p.line(indent, withTitle('entity', d.id.text, d.description), d.id.span);
      for (const a of d.attributes) attribute(p, inner, a);
      return;
    case 'authority':
      p.line(indent, `authority ${d.id.text} ${quoted(d.label.value)}`, d.id.span);
      if (d.title) p.line(inner, `title ${quoted(d.title.value)}`, d.title.span);
      if (d.enactedBy) p.line(inner, `enacted by ${quoted(d.enactedBy.value)}`, d.enactedBy.span);
      for (const a of d.amendedBy) p.line(inner, `amended by ${quoted(a.value)}`, a.span);
      if (d.effective) p.line(inner, `effective ${d.effective.value}`, d.effective.span);
      if (d.superseded) {
        p.line(
          inner,
          `superseded ${d.superseded.date.value}${d.superseded.by ? ` by ${d.superseded.by.text}` : ''}`,
          d.superseded.span,
        );
      }
      if (d.quote) p.text(inner, 'quote ', d.quote);
      return;
    case 'condition':
      p.line(indent, withTitle('condition', d.id.text, d.description), d.id.span);
      if (d.when) p.condition(inner, 'when ', d.when, d.when);
      return;
    case 'section':
      p.line(indent, withTitle('section', d.id.text, d.title), d.id.span);
      if (d.quote) p.text(inner, 'quote ', d.quote);
      return;
    case 'rule':
      p.line(indent, `${d.effect} ${d.id.text}`, d.id.span);
      if (d.when) p.condition(inner, 'when ', d.when, d.when);
      because(p, inner, d.because);
      if (d.says) p.text(inner, 'says ', d.says);
      if (d.overrides?.[0]) {
        const [first, last] = [d.overrides[0], d.overrides.at(-1) ?? d.overrides[0]];
        p.line(inner, `overrides ${names(d.overrides)}`, { start: first.span.start, end: last.span.end });
      }
      return;
    case 'require':
      p.line(indent, `require ${d.obligation.text}`, d.obligation.span);
      if (d.when) p.condition(inner, 'when ', d.when, d.when);
      because(p, inner, d.because);
      return;
    case 'assert': {
      p.line(indent, withTitle('assert', d.id.text, d.description), d.id.span);
      const c = d.claim;
      if (c) {
        const outcome =
          'target' in c.outcome
            ? `${c.outcome.kind} ${c.outcome.target.text}`
            : `${c.outcome.kind}${c.outcome.by ? ` by ${c.outcome.by.text}` : ''}${c.outcome.with ? ` with ${c.outcome.with.text}` : ''}`;
        const head = `${c.quantifier} ${outcome}`;
        if (c.when) p.condition(inner, `${head} when `, c.when, c);
        else p.line(inner, head, c.span);
      }
      because(p, inner, d.because);
      return;
    }
    case 'example':
      p.line(indent, `example ${quoted(d.description.value)}`, d.description.span);
      d.given.forEach((g, i) => {
        const indent = i === 0 ? inner : `${inner}      `;
        const head = `${i === 0 ? 'given ' : ''}${g.entity.text} {`;
        if (g.fields.length === 0) {
          p.line(indent, `${head} }`, g.span);
          return;
        }
        const fields = g.fields.map((f) => `${f.name.text}: ${operand(f.value)}`);
        const aligned = ' '.repeat(indent.length + head.length + 1);
        const lines = fill(fields, indent.length + head.length + 1, aligned, 2);
        lines.forEach((text, j) => {
          const last = j === lines.length - 1 ? ' }' : '';
          if (j === 0) p.line(indent, `${head} ${text}${last}`, g.span);
          else p.continued(aligned, `${text}${last}`);
        });
      });
      if (d.expect) {
        const e = d.expect;
        const rules = e.rules ? ` by ${names(e.rules)}` : '';
        const obligations = e.obligations.length > 0 ? ` with ${names(e.obligations)}` : '';
        p.line(inner, `expect ${e.decision}${rules}${obligations}`, e.span);
      }
      return;
    case 'obligation':
    case 'interpretation':
      p.line(indent, withTitle(d.kind, d.id.text, d.title), d.id.span);
      if (d.says) p.text(inner, 'says ', d.says);
      because(p, inner, d.because);
      if (d.kind === 'interpretation')
        for (const departure of d.departures) {
          if (departure.when) p.condition(inner, `${departure.kind} when `, departure.when, departure);
          else p.line(inner, departure.kind, departure.span);
        }
      return;
  }
}

/**
 * Words joined by `, `, filled into lines of at most {@link LINE_WIDTH}; the first line starts at column `first`,
 * the others at `indent`, and the last keeps `reserve` columns free for what follows it.
 */
function fill(words: readonly string[], first: number, indent: string, reserve = 0): string[] {
  const lines: string[] = [];
  let current = '';
  let width = first;
  words.forEach((word, i) => {
    const piece = i < words.length - 1 ? `${word},` : word;
    const room = LINE_WIDTH - (i === words.length - 1 ? reserve : 0);
    if (current !== '' && width + current.length + 1 + piece.length > room) {
      lines.push(current);
      current = piece;
      width = indent.length;
    } else {
      current = current === '' ? piece : `${current} ${piece}`;
    }
  });
  lines.push(current);
  return lines;
}

/**
 * An attribute: its name, type, default and description on one line where they fit (an enumeration filled over
 * several, each value with its label), then its `label` and `advice` clauses on lines of their own beneath it.
 */
function attribute(p: Printer, indent: string, a: ast.AttributeDeclaration): void {
  const fallback = a.default ? ` = ${operand(a.default)}` : '';
  const description = a.description ? ` ${quoted(a.description.value)}` : '';
  const continuation = indent + INDENT;
  const enumType =
    a.type.kind === 'enum'
      ? a.type
      : a.type.kind === 'set' && a.type.element.kind === 'enum'
        ? a.type.element
        : undefined;
  const set = a.type.kind === 'set' ? `${a.type.nonEmpty ? 'non-empty ' : ''}set of ` : '';
  const head = `${a.name.text}: ${enumType ? `${set}one of ` : typeText(a.type)}`;
  const lines = enumType
    ? fill(enumValues(enumType), indent.length + head.length, continuation, fallback.length)
    : [''];
  lines[lines.length - 1] += fallback;
  const last = lines.length - 1;
  const fits =
    (lines.length === 1 ? indent.length + head.length : continuation.length) +
      (lines[last] ?? '').length +
      description.length <=
    LINE_WIDTH;
  if (fits) lines[last] += description;
  lines.forEach((text, i) => {
    if (i === 0) p.line(indent, head + text, { start: a.span.start, end: a.type.span.end });
    else p.continued(continuation, text);
  });
  if (!fits && a.description) p.line(continuation, quoted(a.description.value), a.description.span);
  if (a.label) p.line(continuation, `label ${quoted(a.label.value)}`, a.label.span);
  if (a.advice) p.line(continuation, `advice ${a.advice.value}`, a.advice.span);
}
