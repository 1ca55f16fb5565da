import { styleText } from 'node:util';
import { type Diagnostic, SourceText, sortDiagnostics } from '@tenet/language';
import type { Context } from './context.js';
import { fileHost } from './host.js';

type Style = Parameters<typeof styleText>[0];

/** Writes diagnostics for a person: `file:line:col: severity[code]: message`, the line with a marker, the help. */
export class Reporter {
  readonly #sources = new Map<string, SourceText>();

  constructor(
    private readonly colour: boolean,
    private readonly read: (file: string) => string | undefined,
  ) {}

  #paint(style: Style, text: string): string {
    return this.colour ? styleText(style, text) : text;
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

  /** One diagnostic, as the lines to print. */
  format(d: Diagnostic): string {
    const where = d.span ? `${d.span.file}:${d.span.start.line}:${d.span.start.column}: ` : '';
    const style: Style = d.severity === 'error' ? 'red' : d.severity === 'warning' ? 'yellow' : 'cyan';
    const lines = [
      `${this.#paint('bold', where)}${this.#paint(['bold', style] as unknown as Style, `${d.severity}[${d.code}]`)}: ${d.message}`,
    ];
    const source = d.span && this.#source(d.span.file);
    if (d.span && source) {
      const number = d.span.start.line;
      const text = source.line(number);
      const gutter = String(number).length;
      // Long lines (a megabyte of one token) are cut around the column, so the frame stays one screen wide.
      const from = Math.max(0, d.span.start.column - 60);
      const shown = text.slice(from, from + 120).replace(/\t/g, ' ');
      const width =
        d.span.end.line === number
          ? Math.max(1, d.span.end.column - d.span.start.column)
          : Math.max(1, text.length - d.span.start.column + 1);
      const marker =
        ' '.repeat(d.span.start.column - 1 - from) +
        '^'.repeat(Math.min(width, 120 - (d.span.start.column - 1 - from)));
      lines.push(`${' '.repeat(gutter)} |`);
      lines.push(`${number} | ${from > 0 ? '…' : ''}${shown}${text.length > from + 120 ? '…' : ''}`);
      lines.push(`${' '.repeat(gutter)} | ${from > 0 ? ' ' : ''}${this.#paint(style, marker)}`);
    }
    if (d.help) lines.push(`${this.#paint('cyan', 'help')}: ${d.help}`);
    for (const r of d.related ?? [])
      lines.push(
        `${this.#paint('cyan', 'note')}: ${r.span.file}:${r.span.start.line}:${r.span.start.column}: ${r.message}`,
      );
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

/** The reporter of a run of the CLI: colour as its console allows, sources read from disk. */
export function reporterOf(ctx: Context): Reporter {
  let reporter = reporters.get(ctx);
  if (!reporter) {
    reporter = new Reporter(ctx.io.colour, (file) => fileHost.read(file));
    reporters.set(ctx, reporter);
  }
  return reporter;
}

/** Prints diagnostics to standard error, in source order, each followed by a blank line. */
export function printDiagnostics(ctx: Context, diagnostics: readonly Diagnostic[]): void {
  const reporter = reporterOf(ctx);
  for (const d of sortDiagnostics(diagnostics)) ctx.io.stderr(`${reporter.format(d)}\n\n`);
}
