/**
 * A whole cluster for CLI tests in Node: the real Cluster (API, controllers,
 * scheduler, kubelets over worker-thread node workers) on a ManualClock, a
 * docker sandbox over the same directory store, in-memory files, and
 * helpers to run kubectl and docker lines and compare with golden files.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryFiles, bufferIo, runLine, type CliEnv } from '../../src/cli/index.ts';
import { NodePorts } from '../../src/cli/node-ports.ts';
import { Cluster, Sandbox, defaultNodes } from '../../src/sandbox/index.ts';
import { ManualClock } from '../../src/shared/index.ts';
import { fileFetch, layoutUrl } from './layout.ts';

export const START = Date.UTC(2026, 10, 27, 12, 0, 0);

export interface CliCluster {
  cluster: Cluster;
  clock: ManualClock;
  env: CliEnv;
  files: MemoryFiles;
  /** Runs a shell line: its exit code and what it printed; `tty`: as typed at a terminal (stdin and stdout one). */
  sh(line: string, stdin?: string, signal?: AbortSignal, tty?: boolean): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** `realTime`: the cluster's clock is the real one (probes and backoffs run by themselves); `clock` then moves nothing. */
export async function startCliCluster(options: { nodes?: number; files?: Record<string, string>; realTime?: boolean } = {}): Promise<CliCluster> {
  const root = await mkdtemp(join(tmpdir(), 'podplay-cli-'));
  const store = { kind: 'directory', root } as const;
  const clock = new ManualClock(START);
  const cluster = await Cluster.start({ store, layoutUrl: layoutUrl(), fetch: fileFetch, nodes: defaultNodes(options.nodes ?? 3), clock: options.realTime ? undefined : clock });
  let sandbox: Promise<Sandbox> | undefined;
  const files = new MemoryFiles(options.files);
  const env: CliEnv = {
    cluster,
    sandbox: () => (sandbox ??= Sandbox.create({ layoutUrl: layoutUrl(), store, fetch: fileFetch, nodeName: 'docker' })),
    files,
    fetch: (url) => fetch(url),
    ports: new NodePorts(),
  };
  return {
    cluster,
    clock,
    env,
    files,
    async sh(line, stdin, signal, tty) {
      const io = { ...bufferIo(stdin, signal), isTTY: tty, stdinIsTTY: tty };
      io.out = (t: string) => void (io.stdout += t);
      io.err = (t: string) => void (io.stderr += t);
      const code = await runLine(line, io, env);
      return { code, stdout: io.stdout, stderr: io.stderr };
    },
    async close() {
      await cluster.dispose();
      if (sandbox) await (await sandbox).dispose();
    },
  };
}

const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));

/**
 * Compares text with `test/golden/<name>`; UPDATE_GOLDEN=1 rewrites the
 * file instead. Each golden is checked by eye against the real tool's
 * format before it is committed.
 */
export async function golden(name: string, actual: string): Promise<void> {
  const path = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, actual);
    return;
  }
  assert.equal(actual, await readFile(path, 'utf8'), `golden ${name} (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Pod names' random suffixes (`web-5d9c8b7f4d-abcde` → `web-5d9c8b7f4d-xxxxx`), for goldens. */
export const maskPods = (text: string) => text.replace(/\b([a-z0-9-]+-[a-z0-9]{8,10})-[a-z0-9]{5}\b/g, '$1-xxxxx');
