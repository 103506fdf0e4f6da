/**
 * Runtime bench page:
 *  - N ticker containers spread over 4 node workers: time until every one
 *    has produced output, memory per container (the page's whole memory,
 *    measured by performance.measureUserAgentSpecificMemory, with the
 *    containers running against the same idle pool), and time to kill all;
 *  - the host-filesystem bridge's cost per call: a run doing many small file
 *    reads against the same run doing none, divided by the calls served.
 * Results land in window.benchResult for bench/run.ts to print.
 */
import { BROWSER_STORE, NodePool, Sandbox } from '../src/sandbox/index.ts';
import { assetUrl, setAssetsBase } from '../src/shared/index.ts';

// This page is built into dist-bench/bench/: podplay's build folder is the one above.
setAssetsBase(new URL('../', location.href));

const params = new URLSearchParams(location.search);
const CONTAINERS = Number(params.get('containers') ?? 100);
const NODES = 4;

async function memory(): Promise<number | undefined> {
  const measure = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> }).measureUserAgentSpecificMemory;
  if (!measure) return undefined;
  return (await measure.call(performance)).bytes;
}

async function timeRun(sandbox: Sandbox, script: string): Promise<{ ms: number; calls: number }> {
  const before = (await sandbox.node.stats()).fsCalls;
  const t0 = performance.now();
  const h = await sandbox.run('podplay/toolbox', { args: ['sh', '-c', script] });
  const r = await h.result;
  if (r.exitCode !== 0) throw new Error(`toolbox exited ${r.exitCode}`);
  return { ms: performance.now() - t0, calls: (await sandbox.node.stats()).fsCalls - before };
}

async function main() {
  const out = document.getElementById('out')!;
  const layoutUrl = assetUrl('images');
  const sandbox = await Sandbox.create({ layoutUrl, store: BROWSER_STORE, nodeName: 'bench-bridge' });
  await sandbox.ensureImage('podplay/toolbox');
  await sandbox.ensureImage('podplay/ticker');

  // Bridge cost per call: 300 small reads against none, same program, interleaved.
  out.textContent = 'bridge…';
  const reads = 'for i in $(seq 300); do cat /etc/hostname > /dev/null; done';
  const none = 'for i in $(seq 300); do :; done';
  await timeRun(sandbox, reads);
  const perCall: number[] = [];
  for (let i = 0; i < 5; i++) {
    const a = await timeRun(sandbox, reads);
    const b = await timeRun(sandbox, none);
    perCall.push(((a.ms - b.ms) * 1000) / Math.max(1, a.calls - b.calls));
  }
  const callsPerRead = ((await timeRun(sandbox, reads)).calls - (await timeRun(sandbox, none)).calls) / 300;
  // What compiling once per page saves each further node: one compile of the ticker program.
  const probe = await sandbox.run('podplay/ticker', { args: ['-count', '1', '-interval', '1ms'] });
  await probe.result;
  const tickerWasm = (await sandbox.node.readFile(probe.id, '/usr/local/bin/ticker'))!;
  const compileMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await WebAssembly.compile(tickerWasm as Uint8Array<ArrayBuffer>);
    compileMs.push(performance.now() - t);
  }
  await sandbox.dispose();

  out.textContent = `${CONTAINERS} tickers…`;
  const pool = new NodePool(BROWSER_STORE, Array.from({ length: NODES }, (_, i) => `bench-${i + 1}`), { heartbeatMs: 0 });
  await pool.ready();
  // Warm every node: one short ticker each (SDK start, package load).
  await Promise.all(pool.nodes.map(async (n) => (await n.run({ image: 'podplay/ticker:latest', args: ['-count', '1', '-interval', '1ms'] })).result));
  const idle = await memory();
  const t0 = performance.now();
  const seen = new Set<string>();
  let allSeen: () => void;
  const everyOneSpoke = new Promise<void>((r) => (allSeen = r));
  const handles = await Promise.all(
    Array.from({ length: CONTAINERS }, (_, i) =>
      pool.nodes[i % NODES]!.run(
        { id: `t${i}`, image: 'podplay/ticker:latest', args: ['-interval', '500ms'] },
        {
          onOutput: () => {
            seen.add(`t${i}`);
            if (seen.size === CONTAINERS) allSeen();
          },
        },
      ),
    ),
  );
  await everyOneSpoke;
  const allOutputMs = performance.now() - t0;
  const running = await memory();
  // What the runtime itself reports (kubectl top's source): each ticker's linear memory and CPU time.
  const usages = (await Promise.all(pool.nodes.map((n) => n.usage()))).flatMap((u) => Object.values(u.containers));
  const k0 = performance.now();
  await Promise.all(handles.map((h) => h.kill()));
  const results = await Promise.all(handles.map((h) => h.result));
  const killAllMs = performance.now() - k0;
  await pool.dispose();
  (window as unknown as { benchResult: unknown }).benchResult = {
    perCallUs: perCall,
    compileMs,
    tickerBytes: tickerWasm.byteLength,
    callsPerRead,
    containers: CONTAINERS,
    nodes: NODES,
    allOutputMs,
    killAllMs,
    killed: results.filter((r) => r.reason === 'Killed').length,
    linearMemoryPerContainer: usages.reduce((n, u) => n + u.memoryBytes, 0) / usages.length,
    cpuMsPerContainer: usages.reduce((n, u) => n + u.cpuMs, 0) / usages.length,
    memoryPerContainer: idle !== undefined && running !== undefined ? (running - idle) / CONTAINERS : undefined,
  };
  out.textContent = 'done';
}

main().catch((err: Error) => {
  (window as unknown as { benchResult: unknown }).benchResult = { error: `${err.message}\n${err.stack}` };
});
