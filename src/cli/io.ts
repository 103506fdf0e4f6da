/**
 * What a command reads and writes, and the world it acts on. Commands are
 * text in, text out: the shell (xterm.js in the page, a terminal or a pipe
 * in Node) owns the screen and the keyboard.
 */
import type { Cluster, ContextEntry, Sandbox } from '../sandbox/index.ts';

export interface CommandIo {
  /** Standard output; text as the command prints it, newlines as `\n`. */
  out(text: string): void;
  /** Standard error. */
  err(text: string): void;
  /** Aborted by Ctrl-C: `-f`, `-w` and attached programs stop, and the command returns. */
  signal: AbortSignal;
  /**
   * Standard input, chunk by chunk until its end (apply -f -, an attached
   * program's stdin); undefined when there is none.
   */
  stdin?: AsyncIterable<string>;
  /** Whether output goes to a terminal (kubectl exec -t, docker run -t). */
  isTTY?: boolean;
  /** Whether standard input is the terminal (not a pipe, a file or a here-document). */
  stdinIsTTY?: boolean;
}

/** Files a command names (`-f web.yaml`, `docker save -o`, `docker load -i`). */
export interface Files {
  read(path: string): Promise<Uint8Array>;
  write(path: string, data: Uint8Array): Promise<void>;
  /** Files in a directory, for `kubectl apply -f dir/` and completion. */
  list(dir: string): Promise<string[]>;
  /** Every entry under a directory, paths relative to it (a build context); absent where files cannot be walked. */
  walk?(dir: string): Promise<FileEntry[]>;
  /** The working directory relative paths start from, and `cd`. */
  cwd?(): string;
  chdir?(path: string): void;
  /** `mkdir [-p]`, `rm [-r]`, `mv`: errors carry the tool's own message. */
  mkdir?(path: string, parents?: boolean): Promise<void>;
  remove?(path: string, recursive?: boolean): Promise<void>;
  rename?(from: string, to: string): Promise<void>;
}

/** One entry a walk found: what a build context lists. */
export type FileEntry = ContextEntry;

/** The world the commands act on. */
export interface CliEnv {
  cluster: Cluster;
  /** The docker side: an image store and a node worker of its own (created on first use). */
  sandbox(): Promise<Sandbox>;
  files: Files;
  /** For `kubectl apply -f https://…`. */
  fetch(url: string): Promise<Response>;
  /** The files panel's editor (`edit FILE`); absent without one (Node, a sandbox without the files panel). */
  editor?: { open(path: string): Promise<void> };
  /** Where `kubectl port-forward` listens (Node: real TCP ports); absent where it cannot. */
  ports?: PortListener;
}

/** One connection a forwarded port took: bytes both ways. */
export interface LocalConnection {
  send(bytes: Uint8Array): void;
  end(): void;
  /** The other side's bytes and end (set by whoever takes the connection). */
  onData: (bytes: Uint8Array) => void;
  onEnd: () => void;
}

/** Local ports for kubectl port-forward: listens at `addresses` on `port` (0: a free one) and hands over each connection. */
export interface PortListener {
  listen(addresses: string[], port: number, accept: (conn: LocalConnection) => void): Promise<{ bound: string[]; port: number; close(): Promise<void> }>;
}

/** A failure a command reports in its tool's words and ends with `exitCode`. */
export class CommandError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CommandError';
    this.exitCode = exitCode;
  }
}

/** Collects a command's output (tests, goldens, the Node CLI's one-shot mode). */
export function bufferIo(stdin?: string, signal = new AbortController().signal): CommandIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    signal,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    stdin: stdin === undefined ? undefined : (async function* () {
      yield stdin;
    })(),
  };
  return io;
}

/** All of standard input as text. */
export async function readAll(stdin: AsyncIterable<string> | undefined): Promise<string> {
  let text = '';
  if (stdin) for await (const chunk of stdin) text += chunk;
  return text;
}
