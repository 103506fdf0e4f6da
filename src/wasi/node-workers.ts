/**
 * Node only. @wasmer/sdk's Node worker (dist/node-worker.js) never installs
 * the worker side of the host-filesystem bridge, so guests there cannot reach
 * mounted directories. Before the SDK is imported, this defines
 * `globalThis.Worker` as a subclass of the SDK's own NodeWorkerAdapter that
 * starts ./node-worker-bridge.mjs instead: it installs the bridge, then
 * imports the SDK's worker script. Private paths of the SDK; kept with the
 * rest of the private surface in this module (see host-bridge.ts).
 */
export async function installNodeWorkerBridge(): Promise<void> {
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
