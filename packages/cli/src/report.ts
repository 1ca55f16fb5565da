import { type Diagnostic, type SourceSpan, SourceText, sortDiagnostics } from '@tenet/language';
import type { Context } from './context.js';
import { policyText } from './host.js';

/** The styles a report uses, as the SGR codes that turn each on and off. */
const STYLES = {
  bold: [1, 22],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
type Style = keyof typeof STYLES;

/**
 * Whether a character must never be sent to a terminal raw from a policy: a C0 or C1 control or DEL (an ESC can
 * clear or repaint the screen, a CR overwrite the line), or a bidirectional control (it reorders what is shown).
 */
function unsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** An unsafe character as a visible escape: `\x1b` for a control, `\u202e` for a bidirectional control. */
function escaped(code: number): string {
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` safe to print on a terminal: each control and bidirectional control character written as a visible
 * escape (`\x1b`, `\u202e`), everything else as it is.
 */
export function visible(text: string): string {
  let shown = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!unsafe(code)) continue;
    shown += text.slice(from, i) + escaped(code);
    from = i + 1;
  }
  return from === 0 ? text : shown + text.slice(from);
}

/** A line of a code frame, safe to print: tabs shown as one space each (as wide as the marker counts them). */
function frameText(text: string): string {
  return visible(text.replace(/\t/g, ' '));
}

/** Zero-width: combining marks, variation selectors, zero-width joiners and spaces. */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200d\u2060\ufeff]/u;
/** Two columns wide on a terminal: East Asian wide and fullwidth characters, and emoji. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/** How many columns `text` takes on a terminal, so that a marker under it lines up. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) width += ZERO_WIDTH.test(c) ? 0 : WIDE.test(c) ? 2 : 1;
  return width;
}

/** Writes diagnostics for a person: `file:line:col: severity[code]: message`, the line with a marker, the help. */
export class Reporter {
  readonly #sources = new Map<string, SourceText>();

  constructor(
    private readonly colour: boolean,
    private readonly read: (file: string) => string | undefined,
  ) {}

  /**
   * `text` in `styles` where the report is coloured. The codes are written here, not by `util.styleText`, which in
   * Node 20 decides for itself from standard output and the environment: a report goes to standard error.
   */
  #paint(styles: Style | readonly Style[], text: string): string {
    if (!this.colour || text === '') return text;
    let painted = text;
    for (const style of typeof styles === 'string' ? [styles] : styles) {
      const [on, off] = STYLES[style];
      painted = `\x1b[${on}m${painted}\x1b[${off}m`;
    }
    return painted;
  }

  #source(file: string): SourceText | undefined {
    let source = this.#sources.get(file);
    if (!source) {
      const text = this.read(file);
      if (text === undefined) return undefined;
      source = new SourceText(file, text);
      this.#sources.set(file, source);
    }
    return source;
  }

  /**
   * One diagnostic, as the lines to print. Every text from a policy in them (its file names, messages, the line
   * quoted) passes through {@link visible}; the marker counts the width of each escape, so it stays under the span.
   */
  format(d: Diagnostic): string {
    const at = (span: SourceSpan) => visible(`${span.file}:${span.start.line}:${span.start.column}:`);
    const where = d.span ? `${at(d.span)} ` : '';
    const style: Style = d.severity === 'error' ? 'red' : d.severity === 'warning' ? 'yellow' : 'cyan';
    const lines = [
      `${this.#paint('bold', where)}${this.#paint([style, 'bold'], `${d.severity}[${d.code}]`)}: ${visible(d.message)}`,
    ];
    const source = d.span && this.#source(d.span.file);
    if (d.span && source) {
      const number = d.span.start.line;
      const text = source.line(number);
      const gutter = String(number).length;
      // Long lines (a megabyte of one token) are cut around the column, so the frame stays one screen wide.
      const from = Math.max(0, d.span.start.column - 60);
      const to = Math.min(text.length, from + 120);
      const start = Math.min(d.span.start.column - 1, to);
      const end = d.span.end.line === number ? Math.min(Math.max(d.span.end.column - 1, start), to) : to;
      const before = frameText(text.slice(from, start));
      const marked = frameText(text.slice(start, end));
      const after = frameText(text.slice(end, to));
      const marker = '^'.repeat(Math.max(1, displayWidth(marked)));
      lines.push(`${' '.repeat(gutter)} |`);
      lines.push(
        `${number} | ${from > 0 ? '…' : ''}${before}${marked}${after}${text.length > to ? '…' : ''}`,
      );
      const indent = ' '.repeat(displayWidth(before) + (from > 0 ? 1 : 0));
      lines.push(`${' '.repeat(gutter)} | ${indent}${this.#paint(style, marker)}`);
    }
    if (d.help) lines.push(`${this.#paint('cyan', 'help')}: ${visible(d.help)}`);
    for (const r of d.related ?? [])
      lines.push(`${this.#paint('cyan', 'note')}: ${at(r.span)} ${visible(r.message)}`);
    return lines.join('\n');
  }

  /** The closing count: "2 errors, 1 warning". */
  summary(diagnostics: readonly Diagnostic[]): string {
    const count = (severity: Diagnostic['severity'], word: string) => {
      const n = diagnostics.filter((d) => d.severity === severity).length;
      return n > 0 ? [`${n} ${word}${n === 1 ? '' : 's'}`] : [];
    };
    return [...count('error', 'error'), ...count('warning', 'warning'), ...count('info', 'note')].join(', ');
  }
}

const reporters = new WeakMap<Context, Reporter>();

/**
 * The reporter of a run of the CLI: colour as its console allows; code frames only of the policy files the CLI's
 * hosts have read (see {@link policyText}), never of any other file.
 */
export function reporterOf(ctx: Context): Reporter {
  let reporter = reporters.get(ctx);
  if (!reporter) {
    reporter = new Reporter(ctx.io.colour, policyText);
    reporters.set(ctx, reporter);
  }
  return reporter;
}

/** Prints diagnostics to standard error, in source order, each followed by a blank line. */
export function printDiagnostics(ctx: Context, diagnostics: readonly Diagnostic[]): void {
  const reporter = reporterOf(ctx);
  for (const d of sortDiagnostics(diagnostics)) ctx.io.stderr(`${reporter.format(d)}\n\n`);
}
