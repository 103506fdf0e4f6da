/**
 * podplay's interactive shell over any terminal that takes ANSI output and
 * gives keystrokes (xterm.js in the page, a raw-mode TTY in Node). While a
 * command runs, what is typed goes to its standard input a line at a time
 * (echoed, as a cooked terminal does), Ctrl-D ends that input and Ctrl-C
 * stops the command.
 */
import type { Disposable } from '../../shared/index.ts';
import { parseLine, runLine } from '../commands.ts';
import type { CliEnv, CommandIo } from '../io.ts';
import { splitWords } from '../words.ts';
import { complete } from './completion.ts';
import { LineEditor } from './line-editor.ts';

export interface Terminal {
  write(data: string): void;
  /** Clears the screen and scrollback (xterm's clear()); else an ANSI clear is written. */
  clear?(): void;
}

export interface ShellOptions {
  prompt?: string;
  /** Printed once before the first prompt. */
  banner?: string;
  /** Lines remembered from an earlier session (newest last). */
  history?: string[];
  /** Told of every line run, with its exit code (tests, lessons). */
  /** A line ran to its end: its exit code, and when it started (epoch ms). */
  onCommand?(line: string, exitCode: number, startedAt: number): void;
  /** `exit [N]`, or Ctrl-D on an empty line (0); without it the shell stays. */
  onExit?(code: number): void;
}

/** An async queue of standard-input chunks, ended by Ctrl-D or the command's end. */
class InputQueue implements AsyncIterable<string> {
  readonly #chunks: string[] = [];
  #ended = false;
  #wake?: () => void;
  /** Whether the command has begun reading (type-ahead then goes to it, as a terminal's does). */
  reading = false;
  readonly #onRead: () => void;

  constructor(onRead: () => void) {
    this.#onRead = onRead;
  }

  push(chunk: string): void {
    this.#chunks.push(chunk);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  /** Chunks pushed but never read, taken out. */
  unread(): string {
    return this.#chunks.splice(0).join('');
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    if (!this.reading) {
      this.reading = true;
      this.#onRead();
    }
    for (;;) {
      if (this.#chunks.length) {
        yield this.#chunks.shift()!;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((r) => (this.#wake = r));
      this.#wake = undefined;
    }
  }
}

export const PROMPT = '$ ';
const CONTINUATION = '> ';

export class Shell implements Disposable {
  readonly editor: LineEditor;
  readonly #terminal: Terminal;
  readonly #env: CliEnv;
  readonly #options: ShellOptions;
  /** The running command's Ctrl-C and input; undefined at the prompt. */
  #running?: { abort: AbortController; input: InputQueue; line: string };
  /** A line continued after an open quote. */
  #pending = '';
  /** Keys that wait for the prompt (the rest of a paste, input a finished command did not read). */
  #typeAhead = '';
  /** A here-document being typed: the line that opened it and the body so far. */
  #heredoc?: { delimiter: string; stripTabs: boolean; command: string; body: string };
  #disposed = false;
  #completing = false;
  /** Resolves when the shell is idle at its prompt (tests). */
  idle: Promise<void> = Promise.resolve();
  /** Lines run so far (tests wait for it to grow). */
  commandsRun = 0;

  constructor(terminal: Terminal, env: CliEnv, options: ShellOptions = {}) {
    this.#terminal = terminal;
    this.#env = env;
    this.#options = options;
    this.editor = new LineEditor(options.prompt ?? PROMPT, (d) => terminal.write(d));
    this.editor.history.push(...(options.history ?? []));
    if (options.banner) terminal.write(options.banner.replace(/\n/g, '\r\n'));
    this.editor.start();
  }

  /** Whether a command is running (else the shell waits at its prompt). */
  get busy(): boolean {
    return !!this.#running;
  }

  /** Keystrokes from the terminal. */
  input(data: string): void {
    if (this.#disposed) return;
    if (this.#running) {
      // Ctrl-C throws away what was typed ahead, as bash does.
      if (data.includes('\x03')) this.#typeAhead = '';
      // Lines pasted ahead wait for the prompt unless the command reads its input; Ctrl-C always goes to it.
      if (this.#typeAhead && !this.#running.input.reading && !data.includes('\x03')) this.#typeAhead += data;
      else this.#toCommand(data);
      return;
    }
    this.#typeAhead += data;
    this.#pump();
  }

  /** Feeds what waits at the prompt, a line at a time, until a command starts running. */
  #pump(): void {
    while (!this.#running && this.#typeAhead && !this.#disposed) {
      const nl = this.#typeAhead.search(/[\r\n]/);
      const chunk = nl < 0 ? this.#typeAhead : this.#typeAhead.slice(0, nl + 1);
      // \r\n is one Enter.
      this.#typeAhead = this.#typeAhead.slice(chunk.length + (chunk.endsWith('\r') && this.#typeAhead[chunk.length] === '\n' ? 1 : 0));
      this.#feed(chunk);
    }
  }

  #feed(data: string): void {
    for (const ev of this.editor.feed(data)) {
      switch (ev.type) {
        case 'line':
          this.#line(ev.line);
          break;
        case 'interrupt':
          this.#pending = '';
          this.#heredoc = undefined;
          this.#mainPrompt();
          this.editor.start();
          break;
        case 'eof':
          if (this.#heredoc) {
            // bash runs a here-document cut short by the end of input, with a warning.
            const doc = this.#heredoc;
            this.#heredoc = undefined;
            this.#mainPrompt();
            this.#terminal.write(`\r\npodplay: warning: here-document delimited by end-of-file (wanted \`${doc.delimiter}')\r\n`);
            void this.#execute(doc.command, doc.body);
            break;
          }
          if (this.#pending) {
            this.#pending = '';
            this.#mainPrompt();
            this.#terminal.write('\r\npodplay: unexpected end of input while looking for the closing quote\r\n');
            this.editor.start();
            break;
          }
          this.#terminal.write('exit\r\n');
          if (this.#options.onExit) return this.#options.onExit(0);
          this.editor.start();
          break;
        case 'clear':
          this.#clear();
          this.editor.start();
          break;
        case 'complete':
          void this.#complete(ev.before);
          break;
      }
    }
  }

  /** Back to the main prompt (after a continuation). */
  #mainPrompt(): void {
    this.editor.prompt = this.#options.prompt ?? PROMPT;
  }

  #line(line: string): void {
    if (this.#heredoc) {
      const doc = this.#heredoc;
      const text = doc.stripTabs ? line.replace(/^\t+/, '') : line;
      if (text !== doc.delimiter) {
        doc.body += text + '\n';
        this.editor.start();
        return;
      }
      this.#heredoc = undefined;
      this.#mainPrompt();
      void this.#execute(doc.command, doc.body);
      return;
    }
    const full = this.#pending ? `${this.#pending}\n${line}` : line;
    if (splitWords(full).unterminated) {
      this.#pending = full;
      this.editor.prompt = CONTINUATION;
      this.editor.start();
      return;
    }
    this.#pending = '';
    const doc = parseLine(full).heredoc;
    if (doc) {
      this.#heredoc = { ...doc, command: full, body: '' };
      this.editor.remember(full);
      this.editor.prompt = CONTINUATION;
      this.editor.start();
      return;
    }
    this.#mainPrompt();
    void this.#execute(full);
  }

  #execute(line: string, heredoc = ''): Promise<number> {
    this.editor.remember(line);
    if (/^exit(\s+\d+)?$/.test(line.trim())) {
      this.commandsRun++;
      const code = Number(line.trim().split(/\s+/)[1] ?? 0);
      if (this.#options.onExit) {
        this.#options.onExit(code);
        return Promise.resolve(code);
      }
      this.#terminal.write('This terminal stays open: it is part of the page.\r\n');
      this.editor.start();
      return Promise.resolve(0);
    }
    if (line.trim() === 'clear') {
      this.#clear();
      this.editor.start();
      this.commandsRun++;
      this.#options.onCommand?.(line, 0, Date.now());
      return Promise.resolve(0);
    }
    const abort = new AbortController();
    // Once the command reads its input, lines pasted ahead of it are its input.
    const input = new InputQueue(() => {
      const ahead = this.#typeAhead;
      this.#typeAhead = '';
      if (ahead) queueMicrotask(() => this.#toCommand(ahead));
    });
    this.#running = { abort, input, line };
    const write = (text: string) => this.#terminal.write(text.replace(/\r?\n/g, '\r\n'));
    const io: CommandIo = { out: write, err: write, signal: abort.signal, stdin: input, isTTY: true, stdinIsTTY: true };
    let done!: () => void;
    this.idle = new Promise((r) => (done = r));
    const startedAt = Date.now();
    return runLine(line, io, this.#env, this.editor.history, heredoc)
      .catch((err: Error) => {
        write(`podplay: ${err.message}\n`);
        return 1;
      })
      .then((code) => {
        input.end();
        // What the command did not read goes back to the prompt, as a terminal's type-ahead does (not after Ctrl-C).
        const unread = abort.signal.aborted ? '' : input.unread() + this.#lineBuffer;
        this.#typeAhead = unread + this.#typeAhead;
        this.#lineBuffer = '';
        this.#running = undefined;
        this.commandsRun++;
        this.#options.onCommand?.(line, code, startedAt);
        if (!this.#disposed) this.editor.start();
        done();
        this.#pump();
        return code;
      });
  }

  /** Keystrokes while a command runs: Ctrl-C stops it, Ctrl-D ends its input, lines go to its stdin. */
  #lineBuffer = '';
  #lastCR = false;
  #toCommand(data: string): void {
    const run = this.#running!;
    for (const ch of data) {
      const cr = ch === '\r';
      if (ch === '\x03') {
        this.#terminal.write('^C\r\n');
        this.#lineBuffer = '';
        run.input.end();
        run.abort.abort();
      } else if (ch === '\x04') {
        if (this.#lineBuffer) run.input.push(this.#lineBuffer);
        this.#lineBuffer = '';
        run.input.end();
      } else if (ch === '\r' || ch === '\n') {
        // \r\n is one Enter.
        if (ch === '\n' && this.#lastCR) {
          this.#lastCR = false;
          continue;
        }
        this.#terminal.write('\r\n');
        run.input.push(this.#lineBuffer + '\n');
        this.#lineBuffer = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.#lineBuffer) {
          this.#lineBuffer = this.#lineBuffer.slice(0, -1);
          this.#terminal.write('\b \b');
        }
      } else if (ch >= ' ') {
        this.#lineBuffer += ch;
        this.#terminal.write(ch);
      }
      this.#lastCR = cr;
    }
  }

  async #complete(before: string): Promise<void> {
    if (this.#completing) return;
    this.#completing = true;
    try {
      const result = await complete(before, this.#env);
      if (!this.#running && this.editor.buffer.startsWith(before)) this.editor.complete(result);
    } finally {
      this.#completing = false;
    }
  }

  #clear(): void {
    if (this.#terminal.clear) this.#terminal.clear();
    else this.#terminal.write('\x1b[2J\x1b[3J\x1b[H');
  }

  /** Stops a running command; the shell takes no more input. */
  dispose(): void {
    this.#disposed = true;
    this.#running?.abort.abort();
    this.#running?.input.end();
  }
}
