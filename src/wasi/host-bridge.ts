/**
 * Every touch of @wasmer/sdk's private, experimental host-filesystem API
 * lives in this file (checked against @wasmer/sdk 0.16.0, pinned exactly in
 * package.json; the canary test in test/browser/bridge-canary.spec.ts fails
 * loudly if an upgrade moves any of it):
 *
 * - `wasmer.getCore()` (private in the .d.ts) gives the WasmerCore; its
 *   prototype's `sandbox()` builder is wrapped so that `mountHost(path, id,
 *   readOnly)` is called on the builder the public `sandboxes.create()` uses.
 * - Guest file calls arrive as `{ type: "wasmer-filesystem-rpc", mount,
 *   method, args, response: SharedArrayBuffer, binary }` through
 *   `globalThis.__wasmerHandleFileSystemRpc` (from SDK workers), or as direct
 *   calls of `globalThis.__wasmerHostFileSystem(mount, method, args)` on this
 *   thread.
 * - A reply is written into `response`: Int32 [state, length] then the
 *   payload at byte 8; state 1 = JSON `{ value } | { error }`, 2 = raw bytes;
 *   then `Atomics.notify` on state.
 */
import type { Sandbox, SandboxOptions, Wasmer } from '@wasmer/sdk';
import type { FsReply } from './fs-server.ts';

export const HOST_FS_MESSAGE = 'wasmer-filesystem-rpc';
const HEADER_BYTES = 8;

export interface HostMount {
  /** Absolute guest path; not "/" and not "/workspace" (the SDK reserves both). */
  path: string;
  mountId: number;
  readOnly: boolean;
}

export type HostFsHandler = (mountId: number, method: string, args: unknown[]) => FsReply;

interface HostFsRequest {
  type: typeof HOST_FS_MESSAGE;
  mount: number;
  method: string;
  args: unknown[];
  response: SharedArrayBuffer;
  binary?: boolean;
}

interface BuilderCore {
  mountHost(path: string, mountId: number, readOnly: boolean): void;
}
interface CoreWithBuilder {
  sandbox(): BuilderCore;
}

function reply(request: HostFsRequest, result: FsReply): void {
  const control = new Int32Array(request.response, 0, 2);
  const value = 'value' in result ? result.value : undefined;
  let binary = request.binary === true && value instanceof Uint8Array;
  let bytes = binary ? (value as Uint8Array) : new TextEncoder().encode(JSON.stringify(result));
  if (bytes.byteLength > request.response.byteLength - HEADER_BYTES) {
    binary = false;
    bytes = new TextEncoder().encode(JSON.stringify({ error: { code: 'EIO', message: 'reply exceeds the host filesystem bridge limit (512 KiB)' } }));
  }
  new Uint8Array(request.response, HEADER_BYTES, bytes.byteLength).set(bytes);
  control[1] = bytes.byteLength;
  Atomics.store(control, 0, binary ? 2 : 1);
  Atomics.notify(control, 0);
}

/**
 * Connects an SDK instance to a host filesystem handler and returns a
 * `createSandbox` that gives the sandbox the requested mounts. Sandbox
 * creations are serialized: the mount list is handed to the next builder.
 */
export async function installHostBridge(wasmer: Wasmer, handler: HostFsHandler) {
  const g = globalThis as Record<string, unknown>;
  g.__wasmerHandleFileSystemRpc = (message: unknown): boolean => {
    const req = message as HostFsRequest;
    if (typeof req !== 'object' || req === null || req.type !== HOST_FS_MESSAGE) return false;
    reply(req, handler(req.mount, req.method, req.args));
    return true;
  };
  g.__wasmerHostFileSystem = (mount: number, method: string, args: unknown[]): unknown => {
    const result = handler(mount, method, args);
    if ('error' in result) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  };

  const getCore = (wasmer as unknown as { getCore?: () => Promise<CoreWithBuilder> }).getCore;
  if (typeof getCore !== 'function') throw new Error('@wasmer/sdk no longer has Wasmer.getCore(): the host filesystem bridge needs updating');
  const core = await getCore.call(wasmer);
  const proto = Object.getPrototypeOf(core) as CoreWithBuilder & { __podplayPatched?: boolean };
  if (typeof proto.sandbox !== 'function') throw new Error('@wasmer/sdk WasmerCore has no sandbox() builder: the host filesystem bridge needs updating');

  if (!proto.__podplayPatched) {
    const original = proto.sandbox;
    proto.sandbox = function (this: CoreWithBuilder) {
      const builder = original.call(this);
      const mounts = (globalThis as { __podplayPendingMounts?: HostMount[] | null }).__podplayPendingMounts;
      if (mounts) {
        if (typeof builder.mountHost !== 'function') throw new Error('@wasmer/sdk SandboxBuilderCore has no mountHost(): the host filesystem bridge needs updating');
        for (const m of mounts) builder.mountHost(m.path, m.mountId, m.readOnly);
      }
      (globalThis as { __podplayPendingMounts?: HostMount[] | null }).__podplayPendingMounts = null;
      return builder;
    };
    proto.__podplayPatched = true;
  }

  let queue: Promise<unknown> = Promise.resolve();
  return function createSandbox(mounts: HostMount[], options: SandboxOptions): Promise<Sandbox> {
    const run = queue.then(async () => {
      (globalThis as { __podplayPendingMounts?: HostMount[] | null }).__podplayPendingMounts = mounts;
      try {
        return await wasmer.sandboxes.create(options);
      } finally {
        (globalThis as { __podplayPendingMounts?: HostMount[] | null }).__podplayPendingMounts = null;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
