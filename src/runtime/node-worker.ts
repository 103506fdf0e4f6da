/**
 * Entry of a node worker: a Web Worker in the browser, a worker_threads
 * thread in Node. It hosts one NodeRuntime and exposes it through comlink.
 */
import * as Comlink from 'comlink';
import { NodeRuntime } from './node-runtime.ts';

const runtime = new NodeRuntime();
const nodeThreads = 'node:worker_threads';

if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  Comlink.expose(runtime);
} else {
  const { parentPort } = (await import(/* @vite-ignore */ nodeThreads)) as typeof import('node:worker_threads');
  const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
  Comlink.expose(runtime, nodeEndpoint(parentPort!));
}
