// Node only: the SDK's worker script, preceded by the SDK worker probe (with
// the guest's sockets) and the
// host-filesystem bridge its Node build leaves out. Started by sdk-workers.ts
// in place of @wasmer/sdk/dist/node-worker.js.
import './sdk-worker-net.mjs';
import './sdk-worker-probe.mjs';

const sdkNode = import.meta.resolve('@wasmer/sdk/node');
const { installHostFileSystemWorkerBridge } = await import(new URL('./host-filesystem.js', sdkNode).href);
installHostFileSystemWorkerBridge();
await import(new URL('./node-worker.js', sdkNode).href);
