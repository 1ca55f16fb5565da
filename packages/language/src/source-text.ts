import type { Position, SourceSpan } from './diagnostics.js';

/**
 * A source file's text with an index of its line starts, turning offsets into positions.
 * Every span in Tenet is made here, from offsets, so recovery tokens without positions never leak out.
 */
export class SourceText {
  readonly #lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.#lineStarts.push(i + 1);
    }
  }

  /** The position of a 0-based offset, clamped to the text. */
  position(offset: number): Position {
    const at = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : this.text.length;
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#lineStarts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { offset: at, line: low + 1, column: at - (this.#lineStarts[low] ?? 0) + 1 };
  }

  /** The span from `start` (inclusive) to `end` (exclusive), both 0-based offsets. */
  span(start: number, end: number): SourceSpan {
    const from = this.position(start);
    return { file: this.file, start: from, end: this.position(Math.max(end, from.offset)) };
  }

  /** The text of the 1-based line `line`, without its line break. */
  line(line: number): string {
    const start = this.#lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.#lineStarts[line] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }
}
