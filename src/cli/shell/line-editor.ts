/**
 * A readline for a terminal: keystrokes in (as xterm.js and a raw-mode TTY
 * deliver them: text, control characters, ANSI escape sequences), screen
 * updates out. Editing (arrows, Home/End, Backspace, Delete, Ctrl-A/E/U/K/W),
 * history (Up/Down), Tab completion, Ctrl-C (abandon the line), Ctrl-D (end
 * of input on an empty line) and Ctrl-L (clear the screen).
 */

export type EditorEvent = { type: 'line'; line: string } | { type: 'interrupt' } | { type: 'eof' } | { type: 'clear' } | { type: 'complete'; before: string };

/** What Tab found: the candidates for the word before the cursor, and where that word starts. */
export interface Completion {
  candidates: string[];
  start: number;
}

const CSI = '\x1b[';

export class LineEditor {
  prompt: string;
  readonly history: string[] = [];
  #buffer = '';
  #cursor = 0;
  #historyIndex = 0;
  /** The line being typed when the user walked into the history. */
  #draft = '';
  #escape = '';
  readonly #write: (data: string) => void;
  #lastTab = '';

  constructor(prompt: string, write: (data: string) => void) {
    this.prompt = prompt;
    this.#write = write;
  }

  get buffer(): string {
    return this.#buffer;
  }

  /** Shows the prompt for a fresh line. */
  start(): void {
    this.#buffer = '';
    this.#cursor = 0;
    this.#historyIndex = this.history.length;
    this.#write(this.prompt);
  }

  /** Adds a line to the history (not blank, not a repeat of the last). */
  remember(line: string): void {
    if (line.trim() && this.history.at(-1) !== line) this.history.push(line);
  }

  /** Feeds keystrokes; gives the events they complete (a line, an interrupt…). */
  feed(data: string): EditorEvent[] {
    const events: EditorEvent[] = [];
    for (const ch of data) {
      if (this.#escape) {
        this.#escape += ch;
        if (this.#escape === '\x1b[' || this.#escape === '\x1bO' || /^\x1b\[[0-9;]*$/.test(this.#escape)) continue;
        this.#sequence(this.#escape);
        this.#escape = '';
        continue;
      }
      const ev = this.#key(ch);
      if (ev) events.push(ev);
    }
    return events;
  }

  #key(ch: string): EditorEvent | undefined {
    if (ch !== '\t') this.#lastTab = '';
    switch (ch) {
      case '\x1b':
        this.#escape = ch;
        return;
      case '\r':
      case '\n': {
        const line = this.#buffer;
        this.#write('\r\n');
        this.#buffer = '';
        this.#cursor = 0;
        return { type: 'line', line };
      }
      case '\x03':
        this.#write('^C\r\n');
        this.#buffer = '';
        this.#cursor = 0;
        return { type: 'interrupt' };
      case '\x04':
        if (this.#buffer === '') return { type: 'eof' };
        this.#deleteAt(this.#cursor);
        return;
      case '\x0c':
        return { type: 'clear' };
      case '\x7f':
      case '\b':
        if (this.#cursor > 0) {
          this.#cursor--;
          this.#deleteAt(this.#cursor);
        }
        return;
      case '\t':
        return { type: 'complete', before: this.#buffer.slice(0, this.#cursor) };
      case '\x01':
        return void this.#moveTo(0);
      case '\x05':
        return void this.#moveTo(this.#buffer.length);
      case '\x02':
        return void this.#moveTo(this.#cursor - 1);
      case '\x06':
        return void this.#moveTo(this.#cursor + 1);
      case '\x15':
        return void this.#replace(this.#buffer.slice(this.#cursor), 0);
      case '\x0b':
        return void this.#replace(this.#buffer.slice(0, this.#cursor), this.#cursor);
      case '\x17': {
        const before = this.#buffer.slice(0, this.#cursor).replace(/\S+\s*$/, '');
        return void this.#replace(before + this.#buffer.slice(this.#cursor), before.length);
      }
      default:
        if (ch < ' ') return;
        this.insert(ch);
    }
  }

  #sequence(seq: string): void {
    switch (seq) {
      case '\x1b[A':
      case '\x1bOA':
        return this.#walkHistory(-1);
      case '\x1b[B':
      case '\x1bOB':
        return this.#walkHistory(1);
      case '\x1b[C':
      case '\x1bOC':
        return this.#moveTo(this.#cursor + 1);
      case '\x1b[D':
      case '\x1bOD':
        return this.#moveTo(this.#cursor - 1);
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
        return this.#moveTo(0);
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
        return this.#moveTo(this.#buffer.length);
      case '\x1b[3~':
        return this.#deleteAt(this.#cursor);
    }
  }

  /** Types text at the cursor. */
  insert(text: string): void {
    this.#buffer = this.#buffer.slice(0, this.#cursor) + text + this.#buffer.slice(this.#cursor);
    this.#cursor += text.length;
    const rest = this.#buffer.slice(this.#cursor);
    this.#write(text + rest + (rest.length ? `${CSI}${rest.length}D` : ''));
  }

  #deleteAt(i: number): void {
    if (i < 0 || i >= this.#buffer.length) return;
    this.#buffer = this.#buffer.slice(0, i) + this.#buffer.slice(i + 1);
    this.#redraw();
  }

  #moveTo(i: number): void {
    const to = Math.max(0, Math.min(this.#buffer.length, i));
    if (to < this.#cursor) this.#write(`${CSI}${this.#cursor - to}D`);
    if (to > this.#cursor) this.#write(`${CSI}${to - this.#cursor}C`);
    this.#cursor = to;
  }

  #replace(buffer: string, cursor: number): void {
    this.#buffer = buffer;
    this.#cursor = cursor;
    this.#redraw();
  }

  /** Writes `text` (whole lines) above the line being edited, then the line again as it was. */
  printAbove(text: string): void {
    this.#write(`\r${CSI}K${text}`);
    this.#redraw();
  }

  /** Rewrites the whole line: prompt, text, erase to the end, cursor back in place. */
  #redraw(): void {
    const back = this.#buffer.length - this.#cursor;
    this.#write(`\r${CSI}K${this.prompt}${this.#buffer}${back ? `${CSI}${back}D` : ''}`);
  }

  #walkHistory(step: number): void {
    const next = this.#historyIndex + step;
    if (next < 0 || next > this.history.length) return;
    if (this.#historyIndex === this.history.length) this.#draft = this.#buffer;
    this.#historyIndex = next;
    const line = next === this.history.length ? this.#draft : this.history[next]!;
    this.#replace(line, line.length);
  }

  /**
   * Applies what Tab found: one candidate completes the word (with a space
   * after it unless it ends in `=` or `/`); several complete their common
   * prefix, and a second Tab lists them under the line.
   */
  complete(result: Completion): void {
    const before = this.#buffer.slice(0, this.#cursor);
    const word = before.slice(result.start);
    const matches = [...new Set(result.candidates.filter((c) => c.startsWith(word)))].sort();
    if (!matches.length) return;
    if (matches.length === 1) {
      const m = matches[0]!;
      this.insert(m.slice(word.length) + (/[=/]$/.test(m) ? '' : ' '));
      return;
    }
    let common = matches[0]!;
    for (const m of matches) while (!m.startsWith(common)) common = common.slice(0, -1);
    if (common.length > word.length) {
      this.insert(common.slice(word.length));
      return;
    }
    if (this.#lastTab === before) {
      this.#write(`\r\n${layout(matches)}\r\n`);
      this.#redraw();
    }
    this.#lastTab = before;
  }
}

/** Candidates in columns, as bash lists them. */
function layout(items: string[], width = 80): string {
  const col = Math.max(...items.map((i) => i.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / col));
  const rows: string[] = [];
  for (let i = 0; i < items.length; i += perRow) rows.push(items.slice(i, i + perRow).map((s) => s.padEnd(col)).join('').trimEnd());
  return rows.join('\r\n');
}
