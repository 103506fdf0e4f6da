/**
 * @wasmer/sdk starts its own worker threads, where guest programs are
 * instantiated and run. Before the SDK is imported, this defines
 * `globalThis.Worker` so that each of those threads runs sdk-worker-probe.mjs
 * (resource usage, see usage.ts) and sdk-worker-net.mjs (the guest's
 * sockets, see guest-network.ts) before the SDK's own worker script:
 *
 * - Browser: the SDK's `browser-worker.js` is started from a small module
 *   (a blob) that statically imports the probe, then the SDK's script, so
 *   both are evaluated before the worker takes its first message. The
 *   probe's reports come back as messages from that worker; a listener
 *   added before the SDK's own takes them (see usage.ts).
 * - Node: the SDK's Node worker (dist/node-worker.js) never installs the
 *   worker side of the host-filesystem bridge, so guests there cannot reach
 *   mounted directories. A subclass of the SDK's own NodeWorkerAdapter
 *   starts ./node-worker-bridge.mjs instead: it loads the probe, installs
 *   the bridge, then imports the SDK's worker script.
 *
 * Private paths of the SDK; kept with the rest of the private surface in
 * this module (see host-bridge.ts).
 */
import { deliverUsageReport, USAGE_MESSAGE } from './usage.ts';
import { deliverNetMessage, NET_MESSAGE } from './guest-network.ts';

const probeUrl = new URL('./sdk-worker-probe.mjs', import.meta.url).href;
const netUrl = new URL('./sdk-worker-net.mjs', import.meta.url).href;

export async function installSdkWorkers(node: boolean): Promise<void> {
  if (node) return installNodeWorkers();
  const g = globalThis as { Worker: typeof Worker; podplaySdkWorkers?: boolean };
  if (g.podplaySdkWorkers) return;
  g.podplaySdkWorkers = true;
  const Native = g.Worker;
  class ProbedWorker extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      const script = String(url);
      if (!script.endsWith('/browser-worker.js')) {
        super(url, options);
        return;
      }
      const source = `import ${JSON.stringify(netUrl)};\nimport ${JSON.stringify(probeUrl)};\nimport ${JSON.stringify(new URL(script, self.location.href).href)};\n`;
      super(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { ...options, type: 'module' });
      this.addEventListener('message', (e: MessageEvent) => {
        if (e.data?.type === USAGE_MESSAGE) {
          e.stopImmediatePropagation();
          deliverUsageReport(e.data);
        } else if (e.data?.type === NET_MESSAGE) {
          e.stopImmediatePropagation();
          deliverNetMessage(e.data);
        }
      });
    }
  }
  Object.defineProperty(globalThis, 'Worker', { configurable: true, writable: true, value: ProbedWorker });
}

async function installNodeWorkers(): Promise<void> {
  const g = globalThis as { Worker?: unknown };
  if (g.Worker) return;
  const meta = import.meta as ImportMeta & { resolve(spec: string): string };
  const nodeEntry = meta.resolve('@wasmer/sdk/node');
  const adapterUrl = new URL('./node-worker-adapter.js', nodeEntry).href;
  const { NodeWorkerAdapter } = (await import(/* @vite-ignore */ adapterUrl)) as {
    NodeWorkerAdapter: new (url: string | URL, options?: { name?: string }) => object;
  };
  const wrapper = new URL('./node-worker-bridge.mjs', import.meta.url).href;
  class BridgedNodeWorker extends NodeWorkerAdapter {
    constructor(url: string | URL, options?: { name?: string }) {
      super(String(url).endsWith('/node-worker.js') ? wrapper : url, options);
    }
  }
  Object.defineProperty(globalThis, 'Worker', { configurable: true, value: BridgedNodeWorker });
}
