import type { ImportOptions, PullEvent, PulledImage, Sandbox } from '../../src/sandbox/index.ts';
import { BROWSER_STORE, IdbStore, LayoutSource, NodePool, formatPullEvent, startError, type NodeFailure } from '../../src/sandbox/index.ts';
import { assetUrl } from '../../src/shared/index.ts';
import { clusterHook } from './cluster-hook.ts';

/** What a browser test gets back from a run: plain, serialisable data. */
export interface RunSummary {
  id: string;
  exitCode: number;
  reason: string;
  /** Set when the program's output could not be read to the end. */
  streamError?: string;
  stdout: string;
  stderr: string;
  error?: { code?: string; message: string };
  /** Stdout lines with the milliseconds since start at which each arrived. */
  lines: Array<{ at: number; text: string }>;
}

/** What an import or pull gives a test: the progress lines, the images stored, or the error. */
export interface ImportSummary {
  lines: string[];
  images: Array<{ ref: string; digest: string; entrypoint?: string[] }>;
  error?: { code?: string; message: string };
}

const b64decode = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
function b64encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(out);
}

async function summarise(work: (onEvent: (e: PullEvent) => void) => Promise<PulledImage | PulledImage[]>): Promise<ImportSummary> {
  const lines: string[] = [];
  try {
    const got = await work((e) => lines.push(formatPullEvent(e)));
    const images = (Array.isArray(got) ? got : [got]).map((i) => ({ ref: i.ref, digest: i.descriptor.digest, entrypoint: i.config.config?.Entrypoint }));
    return { lines, images };
  } catch (err) {
    return { lines, images: [], error: { code: (err as { code?: string }).code, message: (err as Error).message } };
  }
}

/** What the hook says of the page's terminal. */
export interface TerminalProbe {
  /** Whether the terminal (and its cluster) is up. */
  terminalReady(): boolean;
  /** How many lines the terminal's shell has run. */
  terminalCommands(): number;
}

/**
 * The one hook browser tests use: `window.podplay`, returning summaries.
 * Installed by the test page (hook.ts) once its element is ready.
 */
export function installTestHook(sandbox: Sandbox, terminal: TerminalProbe) {
  const hook = {
    terminalReady: () => terminal.terminalReady(),
    terminalCommands: () => terminal.terminalCommands(),
    ...clusterHook(assetUrl('images')),
    pull: (ref: string) => summarise((onEvent) => sandbox.pull(ref, onEvent)),
    pullFrom: (layoutUrl: string, ref: string) => summarise((onEvent) => sandbox.pullFrom(LayoutSource.fromUrl(layoutUrl), ref, { onEvent })),
    /** `docker load` of bytes sent as base64. */
    load: (base64: string, fileName: string, opts: Omit<ImportOptions, 'onEvent'> = {}) =>
      summarise((onEvent) => sandbox.load(b64decode(base64), fileName, { ...opts, onEvent })),
    importUrl: (url: string, opts: Omit<ImportOptions, 'onEvent'> = {}) => summarise((onEvent) => sandbox.importUrl(url, { ...opts, onEvent })),
    images: () => sandbox.images(),
    rmi: (ref: string) => sandbox.rmi(ref),
    gc: () => sandbox.gc(),
    /** `docker save` as base64. */
    save: async (refs: string[]) => b64encode(await sandbox.save(refs)),
    persist: () => sandbox.persist(),
    /** Everything the store holds: every blob key and every ref with its digest. */
    async snapshot(): Promise<{ blobs: string[]; refs: string[] }> {
      const refs = (await sandbox.store.listRefs()).map((r) => `${r.ref} ${r.descriptor.digest}`).sort();
      return { blobs: await sandbox.store.blobs.keys(), refs };
    },
    stats: () => sandbox.node.stats(),
    /** A file of a container's tree as text, read host-side (undefined when absent). */
    async readFile(id: string, path: string): Promise<string | undefined> {
      const bytes = await sandbox.node.readFile(id, path);
      return bytes && new TextDecoder().decode(bytes);
    },
    storedBlobs: () => sandbox.store.blobs.keys(),
    /** An IdbStore on a scratch database, for the persistence conformance suite. */
    idbStore: (name: string) => new IdbStore(name),
    /** The node worker's container calls that take and give plain data (create, start, wait, stop, kill, logs, diff…). */
    node: (method: 'create' | 'start' | 'wait' | 'stop' | 'kill' | 'restart' | 'remove' | 'inspect' | 'list' | 'logs' | 'diff' | 'usage', ...args: unknown[]) =>
      (sandbox.node[method] as (...a: unknown[]) => Promise<unknown>).call(sandbox.node, ...args),
    /** docker exec, with its output collected. */
    async exec(id: string, argv: string[]): Promise<{ exitCode: number; reason: string; stdout: string; stderr: string }> {
      const out = { stdout: '', stderr: '' };
      const r = await sandbox.node.exec(id, argv, {}, (e) => (out[e.type] += new TextDecoder().decode(e.data)));
      return { exitCode: r.exitCode, reason: r.reason, ...out };
    },
    /**
     * Several node workers at once: runs `args` of `image` on every node,
     * crashes `crash` after `crashAfterMs` (as a browser would end a worker),
     * and reports each container's result, the failures heard and each
     * node's condition.
     */
    async nodeFailure(opts: { nodes: string[]; crash: string; crashAfterMs: number; image: string; args: string[] }) {
      const pool = new NodePool(BROWSER_STORE, opts.nodes, { heartbeatMs: 200, heartbeatTimeoutMs: 1000 });
      try {
        await pool.ready();
        const failures: NodeFailure[] = [];
        pool.onNodeFailure((f) => void failures.push(f));
        const handles = await Promise.all(pool.nodes.map((n) => n.run({ id: `c-${n.name}`, image: opts.image, args: opts.args })));
        setTimeout(() => void pool.get(opts.crash).crash(), opts.crashAfterMs);
        const t0 = performance.now();
        const results = await Promise.all(handles.map(async (h) => ({ id: h.id, ...(await h.result), at: performance.now() - t0 })));
        return { results: results.map(({ error: _e, ...r }) => r), failures, conditions: pool.nodes.map((n) => [n.name, n.condition]) };
      } finally {
        await pool.dispose();
      }
    },
    /** A container's logs (kubectl logs), as lines. */
    logs: (id: string, query?: { tail?: number; since?: number }) => sandbox.node.logs(id, query),
    async run(
      image: string,
      opts: {
        args?: string[];
        command?: string[];
        env?: Record<string, string>;
        stdin?: string;
        timeoutMs?: number;
        memoryLimit?: number;
        logLimit?: number;
        killAfterLines?: number;
        /** Kill once this many stdout bytes have arrived; the output itself is then only counted, not kept. */
        killAfterBytes?: number;
      } = {},
    ): Promise<RunSummary & { stdoutBytes: number }> {
      const start = performance.now();
      const dec = { stdout: new TextDecoder(), stderr: new TextDecoder() };
      const out = { stdout: '', stderr: '' };
      const lines: RunSummary['lines'] = [];
      let pending = '';
      let handle: Awaited<ReturnType<Sandbox['run']>> | undefined;
      let stdoutBytes = 0;
      const { killAfterLines, killAfterBytes, ...request } = opts;
      handle = await sandbox.run(image, {
        ...request,
        onOutput: (e) => {
          if (e.type === 'stdout') stdoutBytes += e.data.byteLength;
          if (killAfterBytes !== undefined) {
            if (stdoutBytes >= killAfterBytes) void handle?.kill();
            return;
          }
          const text = dec[e.type].decode(e.data, { stream: true });
          out[e.type] += text;
          if (e.type !== 'stdout') return;
          pending += text;
          const parts = pending.split('\n');
          pending = parts.pop()!;
          for (const p of parts) lines.push({ at: performance.now() - start, text: p });
          if (killAfterLines !== undefined && lines.length >= killAfterLines) void handle?.kill();
        },
      });
      const r = await handle.result;
      const err = startError(r);
      return { id: handle.id, exitCode: r.exitCode, reason: r.reason, streamError: r.streamError, ...out, lines, stdoutBytes, error: err ? { code: (err as { code?: string }).code, message: err.message } : undefined };
    },
  };
  (globalThis as unknown as { podplay: typeof hook }).podplay = hook;
  window.dispatchEvent(new Event('podplay-ready'));
  return hook;
}
