/**
 * Entry of a node worker: a Web Worker in the browser, a worker_threads
 * thread in Node. It hosts one NodeRuntime and exposes it through comlink.
 */
import * as Comlink from 'comlink';
import { importNodeOnly } from '../shared/index.ts';
import { NodeRuntime } from './node-runtime.ts';

const runtime = new NodeRuntime();

if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  Comlink.expose(runtime);
} else {
  const { parentPort } = await importNodeOnly<typeof import('node:worker_threads')>('node:worker_threads');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  Comlink.expose(runtime, nodeEndpoint(parentPort!));
}
