/**
 * BuildKit's progress, as its plain printer writes it (progressui's
 * printer.go): `#N name`, log lines with seconds since the vertex started,
 * `#N DONE 0.1s`, `#N CACHED`, `#N ERROR: …`, `#N ...` when another vertex
 * interrupts one, and the error block a failing build ends with.
 */
import type { PullEvent } from '../oci/index.ts';

/** What a build reports as it goes; vertices are numbered by the builder in the order they start. */
export type BuildEvent =
  | { type: 'start'; id: number; name: string }
  | { type: 'status'; id: number; text: string }
  | { type: 'log'; id: number; data: Uint8Array }
  | { type: 'done'; id: number; cached?: boolean; error?: string };

/** `1.23kB` as BuildKit's units.Bytes writes sizes. */
export function buildBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${n}B` : `${Number(v.toFixed(2))}${units[i]}`;
}

/**
 * A base image's pull as BuildKit's plain printer shows it under the step
 * that fetches it: `sha256:… 10.49MB / 48.26MB 1.2s` at most once a second
 * per layer, `… done` when a layer is in, then `extracting sha256:… done`.
 */
export function pullStatus(emit: (text: string) => void, now: () => number = () => performance.now()): (e: PullEvent) => void {
  const start = now();
  const last = new Map<string, number>();
  const seconds = () => `${((now() - start) / 1000).toFixed(1)}s`;
  return (e) => {
    if (e.kind !== 'layer') return;
    const name = `sha256:${e.id}`;
    if (e.status === 'Downloading') {
      const t = now();
      const done = e.current >= e.total;
      if (!done && t - (last.get(e.id) ?? -Infinity) < 1000) return;
      last.set(e.id, t);
      emit(`${name} ${buildBytes(e.current)} / ${buildBytes(e.total)} ${seconds()}${done ? ' done' : ''}`);
    } else if (e.status === 'Pull complete') {
      emit(`extracting ${name} ${seconds()} done`);
    }
  };
}

function logSeconds(s: number): string {
  return s.toFixed(s < 10 ? 3 : s < 100 ? 2 : 1);
}

interface Vertex {
  name: string;
  started: number;
  partial: string;
  lines: string[];
  done: boolean;
}

/**
 * Turns build events into BuildKit's plain text. `write` receives whole
 * lines (newline included); `now` is the clock (ms).
 */
export class PlainPrinter {
  readonly #vertices = new Map<number, Vertex>();
  #current: number | undefined;
  readonly #decoder = new TextDecoder();

  constructor(
    readonly write: (text: string) => void,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** The header buildx prints with the docker driver. */
  header(): void {
    this.write('#0 building with "default" instance using docker driver\n');
  }

  #switchTo(id: number): void {
    if (this.#current === id) return;
    const before = this.#current !== undefined ? this.#vertices.get(this.#current) : undefined;
    if (before && !before.done) this.write(`#${this.#current} ...\n`);
    const v = this.#vertices.get(id)!;
    this.write(`\n#${id} ${v.name}\n`);
    this.#current = id;
  }

  event(e: BuildEvent): void {
    if (e.type === 'start') {
      this.#vertices.set(e.id, { name: e.name, started: this.now(), partial: '', lines: [], done: false });
      this.#switchTo(e.id);
      return;
    }
    const v = this.#vertices.get(e.id);
    if (!v) return;
    this.#switchTo(e.id);
    if (e.type === 'status') this.write(`#${e.id} ${e.text}\n`);
    else if (e.type === 'log') {
      const text = v.partial + this.#decoder.decode(e.data, { stream: true });
      const parts = text.split('\n');
      v.partial = parts.pop()!;
      for (const line of parts) this.#line(e.id, v, line.replace(/\r$/, ''));
    } else {
      if (v.partial) this.#line(e.id, v, v.partial);
      v.partial = '';
      v.done = true;
      const seconds = (this.now() - v.started) / 1000;
      this.write(e.error !== undefined ? `#${e.id} ERROR: ${e.error}\n` : e.cached ? `#${e.id} CACHED\n` : `#${e.id} DONE ${seconds.toFixed(1)}s\n`);
    }
  }

  #line(id: number, v: Vertex, line: string): void {
    const stamped = `${logSeconds((this.now() - v.started) / 1000)} ${line}`;
    v.lines.push(stamped);
    if (v.lines.length > 10) v.lines.shift();
    this.write(`#${id} ${stamped}\n`);
  }

  /** The block printed for a failed vertex: its name and its last 10 lines of output. */
  failedBlock(id: number): string {
    const v = this.#vertices.get(id);
    if (!v) return '';
    return ['------', ` > ${v.name}:`, ...v.lines.map((l) => `${l}`), '------', ''].join('\n');
  }
}

/**
 * The Dockerfile snippet buildx prints under a failed step: the file's name
 * and line, two lines of context either side (one for a multi-line
 * instruction), `>>>` on the instruction's lines.
 */
export function sourceSnippet(fileName: string, lines: readonly string[], first: number, last: number): string {
  const context = first === last ? 2 : 1;
  let from = first - context;
  let to = last + context;
  if (from < 1) {
    to = Math.min(lines.length, to + (1 - from));
    from = 1;
  }
  if (to > lines.length) {
    from = Math.max(1, from - (to - lines.length));
    to = lines.length;
  }
  const out = [`${fileName}:${first}`, '--------------------'];
  for (let n = from; n <= to; n++) {
    const marker = n >= first && n <= last ? '>>>' : '   ';
    out.push(` ${String(n).padStart(3)} | ${marker} ${lines[n - 1] ?? ''}`.replace(/\s+$/, ''));
  }
  out.push('--------------------', '');
  return out.join('\n');
}
