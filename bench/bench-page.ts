/**
 * Bench page: warm start of podplay/hello through podplay (image store, rootfs,
 * node worker, host-filesystem bridge) against the same wasm run straight
 * through @wasmer/sdk in a worker of the same page. Results land in
 * window.benchResult for bench/run.ts to print.
 */
import * as Comlink from 'comlink';
import { BROWSER_STORE, Sandbox } from '../src/sandbox/index.ts';
import { assetUrl, assetsBase, setAssetsBase } from '../src/shared/index.ts';

// This page is built into dist-bench/bench/: podplay's build folder is the one above.
setAssetsBase(new URL('../', location.href));

const RUNS = Number(new URLSearchParams(location.search).get('runs') ?? 30);
const WARMUP = 3;

async function timePodplay(sandbox: Sandbox): Promise<{ ms: number; id: string; stdout: string }> {
  const t0 = performance.now();
  let stdout = '';
  const h = await sandbox.run('podplay/hello', { onOutput: (e) => (stdout += new TextDecoder().decode(e.data)) });
  const r = await h.result;
  if (r.exitCode !== 0) throw new Error(`hello exited ${r.exitCode}`);
  return { ms: performance.now() - t0, id: h.id, stdout };
}

async function main() {
  const layoutUrl = assetUrl('images');
  const sandbox = await Sandbox.create({ layoutUrl, store: BROWSER_STORE, nodeName: 'bench' });
  await sandbox.ensureImage('podplay/hello');
  const first = await timePodplay(sandbox);
  const wasm = await sandbox.node.readFile(first.id, '/usr/local/bin/hello');
  const greeting = await sandbox.node.readFile(first.id, '/etc/hello/greeting');
  const baseline = Comlink.wrap<{ init(w: Uint8Array, files: Record<string, Uint8Array>, assets: string): Promise<void>; time(a: string[], e: Record<string, string>): Promise<{ ms: number; exitCode: number; stdout: string }> }>(
    new Worker(new URL('./baseline-worker.ts', import.meta.url), { type: 'module' }),
  );
  // The same program doing the same work: it reads its greeting on both sides.
  await baseline.init(wasm!, { '/etc/hello/greeting': greeting! }, assetsBase()!);
  const env = { HOSTNAME: 'bench', PATH: '/usr/local/bin:/bin' };
  const podplay: number[] = [];
  const raw: number[] = [];
  const callsBefore = (await sandbox.node.stats()).fsCalls;
  // Interleaved, so drift on the machine hits both sides alike.
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const p = await timePodplay(sandbox);
    const b = await baseline.time([], env);
    if (b.exitCode !== 0) throw new Error(`baseline exited ${b.exitCode}`);
    const said = (out: string) => out.split('\n')[0];
    if (said(b.stdout) !== said(p.stdout)) throw new Error(`the baseline said ${JSON.stringify(said(b.stdout))}, podplay ${JSON.stringify(said(p.stdout))}`);
    if (i >= WARMUP) {
      podplay.push(p.ms);
      raw.push(b.ms);
    }
  }
  const stats = await sandbox.node.stats();
  const fsCallsPerRun = (stats.fsCalls - callsBefore) / (WARMUP + RUNS);
  (window as unknown as { benchResult: unknown }).benchResult = { podplay, raw, firstRunMs: first.ms, stats, fsCallsPerRun };
  document.getElementById('out')!.textContent = 'done';
}

main().catch((err: Error) => {
  (window as unknown as { benchResult: unknown }).benchResult = { error: err.message };
});
