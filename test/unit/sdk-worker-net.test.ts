/**
 * The poll_oneoff wrapper of src/wasi/sdk-worker-net.mjs (the guests'
 * imports in the SDK's thread): a wait on zero-length relative clocks only
 * is answered at once, without the SDK (@wasmer/sdk 0.16 never returns from
 * it: Go's compiler hung there as a guest); other waits go to the SDK.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

// The SDK-thread script is plain JavaScript with no types: loaded by URL, for its global.
await import(new URL('../../src/wasi/sdk-worker-net.mjs', import.meta.url).href);
const wrap = (globalThis as unknown as { __podplayWrapNetwork: (imports: object, state: object) => { wasi_snapshot_preview1: Record<string, (...a: number[]) => number> } }).__podplayWrapNetwork;

/** A subscription (48 bytes) for WASI's clock: userdata, tag 0, clock id, timeout ns, flags. */
function clock(v: DataView, at: number, userdata: bigint, timeout: bigint, flags = 0): void {
  v.setBigUint64(at, userdata, true);
  v.setUint8(at + 8, 0);
  v.setUint32(at + 16, 1, true);
  v.setBigUint64(at + 24, timeout, true);
  v.setUint16(at + 40, flags, true);
}

test('a wait on zero-length relative clocks is answered at once with a clock event each; a real sleep still goes to the SDK', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  let rawCalls = 0;
  const imports = { wasi_snapshot_preview1: { poll_oneoff: () => (rawCalls++, 0) } };
  const wrapped = wrap(imports, { memory }).wasi_snapshot_preview1;
  const v = new DataView(memory.buffer);
  clock(v, 0, 7n, 0n);
  clock(v, 48, 9n, 0n);
  assert.equal(wrapped.poll_oneoff!(0, 1024, 2, 2048), 0);
  assert.equal(rawCalls, 0, 'the SDK was not asked');
  assert.equal(v.getUint32(2048, true), 2, 'two events');
  assert.deepEqual([v.getBigUint64(1024, true), v.getUint8(1024 + 10), v.getUint16(1024 + 8, true)], [7n, 0, 0]);
  assert.deepEqual([v.getBigUint64(1056, true), v.getUint8(1056 + 10)], [9n, 0]);

  clock(v, 0, 1n, 1_000_000n);
  wrapped.poll_oneoff!(0, 1024, 1, 2048);
  assert.equal(rawCalls, 1, 'a 1 ms sleep is the SDK\'s');
  clock(v, 0, 1n, 0n, 1);
  wrapped.poll_oneoff!(0, 1024, 1, 2048);
  assert.equal(rawCalls, 2, 'an absolute clock is the SDK\'s');
});
