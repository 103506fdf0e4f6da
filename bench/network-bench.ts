/**
 * The cluster network and the API inside pods (`npm run bench -- network`),
 * in Node on a real Cluster (three node workers, real Go guests):
 *  - API latency from inside a pod: client-go's List of 100 pods, repeated
 *    by pod-lister (`-repeat`), p50/p95, against the same List through the
 *    terminal's kubectl (`kubectl get pods -n bench -o json`, in process);
 *  - a 1 MiB response from podplay/web to a busybox pod on another node
 *    (`wget -O /dev/null`), against a 1-byte one: MiB/s of the difference;
 *  - pod-to-pod HTTP requests per second between two node workers: a
 *    busybox pod's sh looping `wget` (one connection each) to a web pod on
 *    another node, against the same loop to the web pod's own node... and
 *    against `true` in the same loop (the loop's own cost).
 * Figures, not assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryFiles, bufferIo, runLine, type CliEnv } from '../src/cli/index.ts';
import { Cluster, defaultNodes } from '../src/sandbox/index.ts';
import { fileFetch, layoutUrl } from '../test/helpers/layout.ts';
import { ms } from './figures.ts';

const LISTS = Number(process.env.BENCH_LISTS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function until(what: string, fn: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function printNetworkBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'podplay-net-bench-'));
  const cluster = await Cluster.start({ store: { kind: 'directory', root }, layoutUrl: layoutUrl(), fetch: fileFetch, nodes: defaultNodes(3) });
  const env: CliEnv = { cluster, sandbox: () => Promise.reject(new Error('no docker here')), files: new MemoryFiles({}), fetch: (u) => fetch(u) };
  const sh = async (line: string) => {
    const io = bufferIo();
    const code = await runLine(line, io, env);
    if (code !== 0) throw new Error(`${line}: ${io.stderr}`);
    return io.stdout;
  };
  const phase = (name: string) => (cluster.api.tryGet('Pod', 'default', name)?.status as { phase?: string } | undefined)?.phase;
  const nodeOf = (name: string) => (cluster.api.tryGet('Pod', 'default', name)?.spec as { nodeName?: string } | undefined)?.nodeName;
  try {
    // 100 pods to list (never scheduled: no node has the label), readable by the default service account.
    await sh('kubectl create namespace bench');
    for (let i = 0; i < 100; i++) {
      cluster.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'bench', labels: { app: 'bench' } }, spec: { nodeSelector: { nowhere: 'true' }, containers: [{ name: 'c', image: 'podplay/hello' }] } });
    }
    await sh('kubectl create rolebinding view -n bench --clusterrole=view --serviceaccount=default:default');
    const pod = (name: string, image: string, node: string, args?: string[], restartPolicy = 'Always') =>
      cluster.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, restartPolicy, containers: [{ name, image, ...(args ? { args } : {}) }] } });
    pod('web', 'podplay/web', 'node-2');
    pod('client', 'busybox', 'node-1', ['sleep', '3600']);
    pod('near', 'busybox', 'node-2', ['sleep', '3600']);
    await until('web, client and near Running', () => ['web', 'client', 'near'].every((n) => phase(n) === 'Running'));
    const webIp = (cluster.api.get('Pod', 'default', 'web').status as { podIP: string }).podIP;
    // Wait until the server listens.
    for (let i = 0; i < 100; i++) {
      const io = bufferIo();
      if ((await runLine(`kubectl exec client -- wget -q -O /dev/null http://${webIp}:8080/healthz`, io, env)) === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // 1. API latency from inside a pod vs kubectl in the page.
    pod('lister', 'podplay/pod-lister', 'node-3', ['-n', 'bench', '-repeat', String(LISTS)], 'Never');
    await until('lister done', () => phase('lister') === 'Succeeded' || phase('lister') === 'Failed', 300_000);
    const inPod = (await sh('kubectl logs lister')).trim();
    const cli: number[] = [];
    for (let i = 0; i < LISTS; i++) {
      const t0 = performance.now();
      await sh('kubectl get pods -n bench -o json');
      cli.push(performance.now() - t0);
    }
    cli.sort((a, b) => a - b);

    // 2. 1 MiB from web (node-2) to client (node-1), against 1 byte.
    const timed = async (line: string, runs = 5) => {
      const t: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await sh(line);
        t.push(performance.now() - t0);
      }
      return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    };
    const big = await timed(`kubectl exec client -- wget -q -O /dev/null http://${webIp}:8080/bytes?n=1048576`);
    const small = await timed(`kubectl exec client -- wget -q -O /dev/null http://${webIp}:8080/bytes?n=1`);
    const mibPerSec = 1 / ((big - small) / 1000);

    // 3. Requests per second, sequential, one connection each.
    const loop = (pod: string, cmd: string) => `kubectl exec ${pod} -- sh -c 'for i in $(seq ${REQUESTS}); do ${cmd}; done'`;
    const remote = await timed(loop('client', `wget -q -O /dev/null http://${webIp}:8080/healthz`), 3);
    const local = await timed(loop('near', `wget -q -O /dev/null http://${webIp}:8080/healthz`), 3);
    const empty = await timed(loop('client', 'true'), 3);
    const rps = (t: number) => `${Math.round(REQUESTS / ((t - empty) / 1000))}/s`;

    console.log(`Cluster network in Node ${process.version} (3 node workers; client on ${nodeOf('client')}, web on ${nodeOf('web')})`);
    console.log('');
    console.log('| measure | figure | baseline | ratio |');
    console.log('|---|---|---|---|');
    const m = /first (\S+), p50 (\S+), p95 (\S+)/.exec(inPod);
    console.log(`| List of 100 pods from inside a pod (client-go through incluster's TLS, ${LISTS}×) | ${m ? `p50 ${m[2]}, p95 ${m[3]} (first ${m[1]})` : inPod} | kubectl get pods -o json in the page: p50 ${ms(percentile(cli, 50))}, p95 ${ms(percentile(cli, 95))} | ${m ? `${(parseDuration(m[2]!) / percentile(cli, 50)).toFixed(1)}×` : ''} |`);
    console.log(`| 1 MiB response, web (node-2) → busybox wget (node-1) | ${mibPerSec.toFixed(1)} MiB/s (${ms(big)} vs ${ms(small)} for 1 byte) | | |`);
    console.log(`| HTTP requests/s pod → pod across node workers (sequential wget, a connection each) | ${rps(remote)} | same node: ${rps(local)} | ${((REQUESTS / (remote - empty)) / (REQUESTS / (local - empty))).toFixed(2)}× |`);
    console.log('');
  } finally {
    await cluster.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}

/** `12.3ms`, `1.2s`, `850µs` (Go's Duration.String) in ms. */
function parseDuration(text: string): number {
  const m = /^([\d.]+)(µs|us|ms|s)$/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 's' ? v * 1000 : m[2] === 'ms' ? v : v / 1000;
}
