import type { PullEvent, Sandbox } from '../sandbox/index.ts';
import { IdbStore, LayoutSource, formatPullEvent, pullImage, startError } from '../sandbox/index.ts';

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

/**
 * The one hook browser tests use: `window.podplay`, returning summaries.
 * Installed by the playground page once its sandbox exists.
 */
export function installTestHook(sandbox: Sandbox) {
  const hook = {
    async pull(ref: string): Promise<string[]> {
      const lines: string[] = [];
      await sandbox.pull(ref, (e: PullEvent) => lines.push(formatPullEvent(e)));
      return lines;
    },
    images: () => sandbox.images(),
    stats: () => sandbox.node.stats(),
    /** A file of a container's tree as text, read host-side (undefined when absent). */
    async readFile(id: string, path: string): Promise<string | undefined> {
      const bytes = await sandbox.node.readFile(id, path);
      return bytes && new TextDecoder().decode(bytes);
    },
    async pullFrom(layoutUrl: string, ref: string): Promise<{ lines: string[]; error?: { code?: string; message: string } }> {
      const lines: string[] = [];
      try {
        await pullImage(new LayoutSource(layoutUrl), ref, sandbox.store, (e: PullEvent) => lines.push(formatPullEvent(e)));
        return { lines };
      } catch (err) {
        return { lines, error: { code: (err as { code?: string }).code, message: (err as Error).message } };
      }
    },
    storedBlobs: () => sandbox.store.blobs.keys(),
    /** An IdbStore on a scratch database, for the persistence conformance suite. */
    idbStore: (name: string) => new IdbStore(name),
    async run(image: string, opts: { args?: string[]; command?: string[]; env?: Record<string, string>; stdin?: string; timeoutMs?: number; killAfterLines?: number } = {}): Promise<RunSummary> {
      const start = performance.now();
      const dec = { stdout: new TextDecoder(), stderr: new TextDecoder() };
      const out = { stdout: '', stderr: '' };
      const lines: RunSummary['lines'] = [];
      let pending = '';
      let handle: Awaited<ReturnType<Sandbox['run']>> | undefined;
      handle = await sandbox.run(image, {
        ...opts,
        onOutput: (e) => {
          const text = dec[e.type].decode(e.data, { stream: true });
          out[e.type] += text;
          if (e.type !== 'stdout') return;
          pending += text;
          const parts = pending.split('\n');
          pending = parts.pop()!;
          for (const p of parts) lines.push({ at: performance.now() - start, text: p });
          if (opts.killAfterLines !== undefined && lines.length >= opts.killAfterLines) void handle?.kill();
        },
      });
      const r = await handle.result;
      const err = startError(r);
      return { id: handle.id, exitCode: r.exitCode, reason: r.reason, streamError: r.streamError, ...out, lines, error: err ? { code: (err as { code?: string }).code, message: err.message } : undefined };
    },
  };
  (globalThis as unknown as { podplay: typeof hook }).podplay = hook;
  window.dispatchEvent(new Event('podplay-ready'));
  return hook;
}
