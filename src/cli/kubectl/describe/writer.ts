/**
 * kubectl describe's output machinery (describe.go PrefixWriter and
 * tabbedString): text written at indentation levels of two spaces, aligned
 * by Go's text/tabwriter as kubectl sets it up, `NewWriter(out, 0, 8, 2, ' ', 0)`.
 *
 * tabwriter aligns a column over a *block*: a run of consecutive lines that
 * all have a tab-terminated cell in that column. A line with fewer cells
 * (a heading such as `Containers:`) ends the block, so the sections of a
 * description align apart. A flush (kubectl flushes before the Events
 * table) ends every block.
 */

/** Text/tabwriter's settings as kubectl's tabbedString uses them. */
const MIN_WIDTH = 0;
const PADDING = 2;

interface Cell {
  text: string;
  width: number;
}

/** Go's text/tabwriter (no flags): tab-terminated cells padded to their column block's widest cell plus the padding. */
export function tabwrite(text: string): string {
  const lines: Cell[][] = text.split('\n').map((l) => l.split('\t').map((t) => ({ text: t, width: [...t].length })));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      let s = '';
      lines[i]!.forEach((c, j) => {
        s += c.text;
        if (j < widths.length) s += ' '.repeat(Math.max(0, widths[j]! - c.width));
      });
      out.push(s);
    }
  };

  // text/tabwriter's Writer.format: column by column, block by block.
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = MIN_WIDTH;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + PADDING);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n');
}

/** cli-runtime printers.WriteEscaped: terminal control characters are shown, not obeyed. */
function escapeTerminal(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

/**
 * describe.go's PrefixWriter over a tabwriter: `write(level, text)` puts two
 * spaces per level before the text (before its first line only, as
 * kubectl's does), `line(text)` writes a whole line with no indentation,
 * `flush()` ends the current alignment blocks. `toString()` gives the
 * aligned text.
 */
export class PrefixWriter {
  #done = '';
  #pending = '';
  readonly #aligned: boolean;

  /** `aligned: false`: the text as written, tabs and all (describe.NewPrefixWriter straight over a buffer). */
  constructor(options: { aligned?: boolean } = {}) {
    this.#aligned = options.aligned ?? true;
  }

  write(level: number, text: string): void {
    this.#pending += escapeTerminal('  '.repeat(level) + text);
  }

  /** WriteLine: the text and a newline, no indentation. */
  line(text = ''): void {
    this.#pending += escapeTerminal(text + '\n');
  }

  flush(): void {
    this.#done += this.#aligned ? tabwrite(this.#pending) : this.#pending;
    this.#pending = '';
  }

  toString(): string {
    this.flush();
    return this.#done;
  }
}

/** tabbedString: runs a describer against a fresh writer and returns its aligned text. */
export function tabbed(fn: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  fn(w);
  return w.toString();
}
