import type { KeyValueStore } from '../../src/persistence/index.ts';

type Assert = {
  equal(a: unknown, b: unknown, msg?: string): void;
  deepEqual(a: unknown, b: unknown, msg?: string): void;
};

/**
 * The KeyValueStore contract, as [title, check] pairs, so Node (node:test)
 * and the browser (Playwright, real IndexedDB) run the very same checks.
 */
export const storeConformance: Array<[string, (store: KeyValueStore, assert: Assert) => Promise<void>]> = [
  ['a missing key reads as undefined', async (s, a) => {
    a.equal(await s.get('nope'), undefined);
    a.equal(await s.has('nope'), false);
  }],
  ['set then get returns equal bytes', async (s, a) => {
    const v = new Uint8Array([0, 1, 2, 255]);
    await s.set('sha256:0001', v);
    a.deepEqual(Array.from((await s.get('sha256:0001'))!), [0, 1, 2, 255]);
    a.equal(await s.has('sha256:0001'), true);
  }],
  ['set overwrites', async (s, a) => {
    await s.set('k', new Uint8Array([1]));
    await s.set('k', new Uint8Array([2, 3]));
    a.deepEqual(Array.from((await s.get('k'))!), [2, 3]);
  }],
  ['keys lists every key, sorted, with odd characters intact', async (s, a) => {
    for (const k of ['ref:podplay/hello:latest', 'sha256:b', 'sha256:a']) await s.set(k, new Uint8Array([1]));
    a.deepEqual(await s.keys(), ['ref:podplay/hello:latest', 'sha256:a', 'sha256:b']);
  }],
  ['setMany writes every entry at once', async (s, a) => {
    await s.set('sha256:old', new Uint8Array([0]));
    await s.setMany([['sha256:m1', new Uint8Array([1])], ['sha256:m2', new Uint8Array([2, 2])], ['sha256:old', new Uint8Array([3])]]);
    a.deepEqual(await s.keys(), ['sha256:m1', 'sha256:m2', 'sha256:old']);
    a.deepEqual(Array.from((await s.get('sha256:m2'))!), [2, 2]);
    a.deepEqual(Array.from((await s.get('sha256:old'))!), [3]);
    await s.setMany([]);
    a.deepEqual((await s.keys()).length, 3);
  }],
  ['delete removes, and deleting a missing key is fine', async (s, a) => {
    await s.set('x', new Uint8Array([9]));
    await s.delete('x');
    await s.delete('never-there');
    a.equal(await s.get('x'), undefined);
    a.deepEqual(await s.keys(), []);
  }],
  ['a stored value is not changed by later edits of the caller\'s array', async (s, a) => {
    const v = new Uint8Array([5, 5]);
    await s.set('v', v);
    v[0] = 6;
    a.deepEqual(Array.from((await s.get('v'))!), [5, 5]);
  }],
  ['a 4 MiB value round-trips', async (s, a) => {
    const big = new Uint8Array(4 << 20).map((_, i) => i & 0xff);
    await s.set('big', big);
    const back = (await s.get('big'))!;
    a.equal(back.byteLength, big.byteLength);
    a.equal(back[12345], big[12345]);
  }],
];
