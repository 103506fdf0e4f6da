/** One line a container wrote, as `docker logs --timestamps` and `kubectl logs` show it. */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** When the bytes that ended the line arrived, ms since the epoch. */
  time: number;
  text: string;
  /** True when the line was cut: at the line-length cap, or by the exit before its newline. */
  partial?: boolean;
}

export interface LogQuery {
  /** Only the last N lines. */
  tail?: number;
  /** Only lines at or after this time (ms since the epoch). */
  since?: number;
}

export interface LogBufferOptions {
  /** Most text kept, in characters; the oldest lines go first (default 1 Mi). */
  maxBytes?: number;
  /** A line longer than this many characters is cut into pieces, as docker cuts at 16 KiB. */
  maxLineBytes?: number;
}

const LINE_OVERHEAD = 32;

/**
 * A container's output as timestamped lines, bounded: however much a
 * program writes, at most `maxBytes` of lines (and one unfinished line per
 * stream, itself capped) are held. Readers ask for the tail or the lines
 * since a time; followers get each line as it completes.
 */
export class LogBuffer {
  readonly maxBytes: number;
  readonly maxLineBytes: number;
  readonly #lines: LogLine[] = [];
  #head = 0;
  #bytes = 0;
  /** Lines evicted to stay within maxBytes. */
  dropped = 0;
  readonly #pending = { stdout: '', stderr: '' };
  readonly #decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  readonly #followers = new Set<(line: LogLine) => void>();

  constructor(options: LogBufferOptions = {}) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.maxLineBytes = Math.min(options.maxLineBytes ?? 16 * 1024, this.maxBytes);
  }

  /** Characters held now (with a small overhead per line). */
  get bytes(): number {
    return this.#bytes;
  }

  push(stream: 'stdout' | 'stderr', data: Uint8Array, time = Date.now()): void {
    let text = this.#pending[stream] + this.#decoders[stream].decode(data, { stream: true });
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      this.#add({ stream, time, text: text.slice(0, nl) });
      text = text.slice(nl + 1);
    }
    while (text.length > this.maxLineBytes) {
      this.#add({ stream, time, text: text.slice(0, this.maxLineBytes), partial: true });
      text = text.slice(this.maxLineBytes);
    }
    this.#pending[stream] = text;
  }

  /** Ends both streams (the program exited): an unfinished last line becomes a partial line. */
  end(time = Date.now()): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#pending[stream] + this.#decoders[stream].decode();
      this.#pending[stream] = '';
      if (rest) this.#add({ stream, time, text: rest, partial: true });
    }
  }

  lines(query: LogQuery = {}): LogLine[] {
    let out = this.#lines.slice(this.#head);
    if (query.since !== undefined) out = out.filter((l) => l.time >= query.since!);
    if (query.tail !== undefined) out = query.tail <= 0 ? [] : out.slice(-query.tail);
    return out;
  }

  /** Calls `onLine` for every line from now on; returns the unsubscribe. */
  follow(onLine: (line: LogLine) => void): () => void {
    this.#followers.add(onLine);
    return () => this.#followers.delete(onLine);
  }

  #add(line: LogLine): void {
    this.#lines.push(line);
    this.#bytes += line.text.length + LINE_OVERHEAD;
    while (this.#bytes > this.maxBytes && this.#head < this.#lines.length) {
      this.#bytes -= this.#lines[this.#head]!.text.length + LINE_OVERHEAD;
      this.#head++;
      this.dropped++;
    }
    // Compact now and then, so evicted lines do not pile up in the array.
    if (this.#head > 1024 && this.#head * 2 > this.#lines.length) {
      this.#lines.splice(0, this.#head);
      this.#head = 0;
    }
    for (const f of this.#followers) f(line);
  }
}

/**
 * kubectl logs -f: sends the lines `query` selects, then each new line until
 * `until` settles (without `until`, only the lines there are). Each line's
 * delivery is awaited before it returns, so a caller across a port gets
 * every line before the end.
 */
export async function followLogs(logs: LogBuffer, onLine: (line: LogLine) => unknown, query: LogQuery, until?: Promise<unknown>): Promise<void> {
  let delivered: Promise<unknown> = Promise.resolve();
  const send = (l: LogLine) => {
    const sent = Promise.resolve(onLine(l)).catch(() => undefined);
    delivered = delivered.then(() => sent);
  };
  logs.lines(query).forEach(send);
  if (until) {
    const stop = logs.follow(send);
    await until.catch(() => undefined);
    stop();
  }
  await delivered;
}
