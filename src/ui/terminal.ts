/**
 * A sandbox's terminal: xterm.js bound to podplay's shell. Owns the xterm
 * instance, the shell and the resize observer; dispose() releases them.
 *
 * - Escape then Tab (or Shift+Tab) leaves the terminal, since Tab alone
 *   completes; a hint beside it says so.
 * - It keeps at least 80 columns (kubectl's tables fit): on a narrow screen
 *   the terminal scrolls sideways inside its box, never the page.
 * - Read-only terminals take no keys; lines typed by the page still run.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { Shell, type CliEnv } from '../cli/index.ts';
import type { Disposable } from '../shared/index.ts';
import { linkDescribedPods } from './pod-links.ts';
import { DARK_THEME, LIGHT_THEME } from './terminal-themes.ts';

export const BANNER = `\x1b[1mpodplay\x1b[0m: a Kubernetes cluster of node workers in this tab. Type \x1b[1mhelp\x1b[0m, or try
  kubectl create deployment web --image=podplay/hello --replicas=3
  kubectl get pods -o wide
  kubectl apply -f web.yaml      (ls shows the files at hand)

`;

/** Fewer columns than this and the terminal scrolls sideways instead of wrapping kubectl's tables. */
export const MIN_COLUMNS = 80;

export interface TerminalOptions {
  env: CliEnv;
  banner?: string;
  history?: string[];
  dark: boolean;
  readonly: boolean;
  screenReader: boolean;
  /** Every line run, typed by a person or by {@link TerminalView.type}, with its exit code and when it started (epoch ms). */
  onCommand?(line: string, exitCode: number, startedAt: number): void;
  /** With the map: a described pod's name is a link to its "Why here?". */
  openPod?(namespace: string, name: string): void;
}

export interface TerminalView extends Disposable {
  readonly term: Terminal;
  readonly shell: Shell;
  /**
   * Types a line as a person would (shown as typed), runs it, and resolves to
   * its exit code; 0 for a line that runs nothing yet (an open quote, the
   * start of a here-document: the next typed lines go on with it).
   */
  type(line: string, options?: { delayMs?: number }): Promise<number>;
  /** Writes a note above the prompt (a restored state, a failed URL). */
  note(text: string): void;
  setDark(dark: boolean): void;
  setReadonly(readonly: boolean): void;
  setScreenReader(on: boolean): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function mountTerminal(host: HTMLElement, options: TerminalOptions): TerminalView {
  const term = new Terminal({
    rows: 24,
    cursorBlink: true,
    convertEol: false,
    scrollback: 5000,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 13,
    theme: options.dark ? DARK_THEME : LIGHT_THEME,
    screenReaderMode: options.screenReader,
    disableStdin: options.readonly,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(host);
  const resize = () => {
    const dims = fit.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return;
    const cols = Math.max(dims.cols, MIN_COLUMNS);
    // The sideways scrollbar takes a row's height.
    term.resize(cols, Math.max(4, dims.rows - (cols > dims.cols ? 1 : 0)));
  };
  resize();
  if (options.openPod) linkDescribedPods(term, options.openPod);
  const observer = new ResizeObserver(() => resize());
  observer.observe(host);

  /** The exit code of the last line run (what a typed line resolves to). */
  let lastExitCode = 0;
  const shell = new Shell({ write: (d) => term.write(d), clear: () => term.clear() }, options.env, {
    banner: options.banner ?? BANNER,
    history: options.history,
    onCommand: (line, code, startedAt) => {
      lastExitCode = code;
      options.onCommand?.(line, code, startedAt);
    },
  });

  // Escape, then Tab: the key after Escape leaves the terminal instead of completing.
  let escaped = false;
  term.attachCustomKeyEventHandler((ev) => {
    if (ev.type !== 'keydown') return !escaped || ev.key !== 'Tab';
    if (ev.key === 'Escape') {
      escaped = true;
      return false;
    }
    if (escaped && ev.key === 'Tab') {
      escaped = false;
      return false; // the browser moves the focus on
    }
    if (escaped && !['Shift', 'Control', 'Alt', 'Meta'].includes(ev.key)) {
      escaped = false;
      shell.input('\x1b');
    }
    return true;
  });
  // Keys pressed while the page types a line wait until that line has run, so the two never interleave.
  let typing = false;
  let heldKeys = '';
  let typingQueue: Promise<unknown> = Promise.resolve();
  const input = term.onData((d) => {
    if (options.readonly) return;
    if (typing) heldKeys += d;
    else shell.input(d);
  });

  return {
    term,
    shell,
    type(line, { delayMs = 12 } = {}) {
      // Lines the page types go one after another, each once the shell is at its prompt.
      const typed = typingQueue.then(async (): Promise<number> => {
        await shell.idle;
        typing = true;
        try {
          // What a person left half-typed on the line goes (Ctrl-U), as the page takes over.
          if (shell.editor.buffer) shell.input('\x15');
          const reduced = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
          for (const ch of line) {
            shell.input(ch);
            if (delayMs > 0 && !reduced) await sleep(delayMs);
          }
          const before = shell.commandsRun;
          shell.input('\r');
          // A command runs (resolve with its exit code when it ends), or the line ran at once (exit, clear),
          // or it waits for more (an open quote, a here-document): 0, and the page types the rest.
          if (shell.busy) await shell.idle;
          return shell.commandsRun > before ? lastExitCode : 0;
        } finally {
          typing = false;
          const keys = heldKeys;
          heldKeys = '';
          if (keys) shell.input(keys);
        }
      });
      typingQueue = typed.catch(() => undefined);
      return typed;
    },
    note(text) {
      const lines = `${text.replace(/\r?\n/g, '\r\n')}\r\n`;
      if (shell.busy) term.write(lines);
      else shell.editor.printAbove(lines);
    },
    setDark(dark) {
      term.options.theme = dark ? DARK_THEME : LIGHT_THEME;
    },
    setReadonly(readonly) {
      options.readonly = readonly;
      term.options.disableStdin = readonly;
    },
    setScreenReader(on) {
      term.options.screenReaderMode = on;
    },
    dispose() {
      observer.disconnect();
      input.dispose();
      shell.dispose();
      term.dispose();
    },
  };
}
