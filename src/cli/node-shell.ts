/**
 * The shell on Node: the same cluster code as the page (API, controllers,
 * scheduler, a kubelet per node worker thread) and a docker sandbox over a
 * directory store under $PODPLAY_HOME, where the cluster's objects are
 * saved on exit and restored on the next start.
 *
 * - `podplay` on a terminal: the interactive shell (raw mode, editing,
 *   history, completion, Ctrl-C).
 * - `podplay` with piped input: each line as it arrives, in order, with no
 *   prompt or echo; the exit code is the last command's.
 * - `podplay kubectl …` / `podplay docker …`: that one command.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Pod } from '../api/index.ts';
import { directoryStateStore } from '../sandbox/index.ts';
import { parseLine, runLine } from './commands.ts';
import type { CliEnv, CommandIo } from './io.ts';
import { NodeFiles } from './node-files.ts';
import { createSession, type SandboxSession } from './session.ts';
import { Shell } from './shell/shell.ts';
import { quoteWord } from './words.ts';

export interface NodeWorld {
  env: CliEnv;
  session: SandboxSession;
  /** Waits until the cluster has been quiet for a moment and (with `waitForPods`) no pod's containers are being created, `maxMs` at most. */
  settle(maxMs?: number, waitForPods?: boolean): Promise<void>;
  /** Saves the cluster's objects and stops everything. */
  close(): Promise<void>;
}

type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * A pod whose containers are being created (a restored cluster's, a new
 * Deployment's): on a node, not being deleted, Pending, and no container
 * past ContainerCreating (an image that cannot be pulled ends the wait).
 */
function creating(p: Pod): boolean {
  if (!p.spec.nodeName || p.metadata.deletionTimestamp || (p.status?.phase ?? 'Pending') !== 'Pending') return false;
  return (p.status?.containerStatuses ?? []).every((c) => !c.state.terminated && (!c.state.waiting || c.state.waiting.reason === 'ContainerCreating'));
}

/** Starts the cluster (from its saved state, when there is one) and the docker side. */
export async function startWorld(home: string, layoutUrl: string, fetchFn: FetchFn): Promise<NodeWorld> {
  await mkdir(home, { recursive: true });
  const session = await createSession({
    store: { kind: 'directory', root: home },
    layoutUrl,
    fetch: fetchFn,
    files: new NodeFiles(),
    state: await directoryStateStore(home),
  });
  if (session.restored.kind === 'setAside') {
    process.stderr.write(`podplay: the saved cluster could not be restored: ${session.restored.reason}. It was kept as ${join(home, session.restored.key)}; a new cluster started.\n`);
  }
  const cluster = session.cluster;
  return {
    env: session.env,
    session,
    async settle(maxMs = 10_000, waitForPods = true) {
      const end = Date.now() + maxMs;
      let last = cluster.api.resourceVersion;
      let quietSince = Date.now();
      const starting = () => cluster.api.list<Pod>('Pod').items.some(creating);
      while (Date.now() < end && !settleCut && (Date.now() - quietSince < 400 || (waitForPods && starting()))) {
        await new Promise((r) => setTimeout(r, 50));
        if (cluster.api.resourceVersion !== last) {
          last = cluster.api.resourceVersion;
          quietSince = Date.now();
        }
      }
    },
    close: () => session.dispose(),
  };
}

function processIo(signal: AbortSignal, stdin?: AsyncIterable<string>): CommandIo {
  return { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), signal, stdin, isTTY: !!process.stdout.isTTY, stdinIsTTY: !!stdin && !!process.stdin.isTTY };
}

/** Ctrl-C (SIGINT) aborts the command running now instead of ending the process. */
function interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  return run(abort.signal).finally(() => process.off('SIGINT', onSigint));
}

/** `podplay kubectl …` / `podplay docker …`: one command, then the cluster settles and is saved. */
export async function runOnce(world: NodeWorld, argv: string[]): Promise<number> {
  await uninterrupted(() => world.settle());
  // Standard input is the command's (kubectl apply -f -, exec -i); on a terminal, lines as they are typed, Ctrl-D ending them.
  const code = await interruptible((signal) => runLine(argv.map(quoteWord).join(' '), processIo(signal, stdinText()), world.env));
  process.stdin.destroy();
  await uninterrupted(() => world.settle(2000, false));
  return code;
}

/** Set by Ctrl-C while the cluster settles: the wait ends, and the state is still saved. */
let settleCut = false;

async function uninterrupted<T>(fn: () => Promise<T>): Promise<T> {
  const cut = () => void (settleCut = true);
  process.on('SIGINT', cut);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', cut);
  }
}

async function* stdinText(): AsyncIterable<string> {
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) yield chunk as string;
}

/** Piped input: each line as it arrives, in order, no prompt and no echo. */
export async function runPiped(world: NodeWorld): Promise<number> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Ctrl-C between commands ends the script (the cluster is still saved); during one, it stops that command.
  let running = false;
  const onSigint = () => !running && lines.close();
  process.on('SIGINT', onSigint);
  const history = world.session.history;
  let code = 0;
  let doc: { delimiter: string; stripTabs: boolean; command: string; body: string } | undefined;
  for await (const line of lines) {
    if (doc) {
      const text = doc.stripTabs ? line.replace(/^\t+/, '') : line;
      if (text !== doc.delimiter) {
        doc.body += text + '\n';
        continue;
      }
      const { command, body } = doc;
      doc = undefined;
      running = true;
      code = await interruptible((signal) => runLine(command, processIo(signal), world.env, history, body));
      running = false;
      continue;
    }
    const exit = /^exit(?:\s+(\d+))?$/.exec(line.trim());
    if (exit) {
      if (exit[1] !== undefined) code = Number(exit[1]);
      break;
    }
    history.push(line);
    const opens = parseLine(line).heredoc;
    if (opens) {
      doc = { ...opens, command: line, body: '' };
      continue;
    }
    running = true;
    code = await interruptible((signal) => runLine(line, processIo(signal), world.env, history));
    running = false;
  }
  process.off('SIGINT', onSigint);
  return code;
}

/** A terminal: the interactive shell, in raw mode, until `exit` or Ctrl-D. */
export function runInteractive(world: NodeWorld, banner: string): Promise<number> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    const shell = new Shell(
      { write: (d) => void process.stdout.write(d) },
      world.env,
      {
        banner,
        history: world.session.history,
        onExit: (code) => {
          stdin.setRawMode(false);
          stdin.off('data', onData);
          stdin.pause();
          shell.dispose();
          resolve(code);
        },
      },
    );
    // What is typed is saved with the cluster.
    world.session.history = shell.editor.history;
    const onData = (d: string) => shell.input(d);
    stdin.on('data', onData);
    stdin.resume();
  });
}
