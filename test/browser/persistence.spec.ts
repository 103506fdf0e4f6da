import { expect, test } from '@playwright/test';
import type { KeyValueStore } from '../../src/persistence/index.ts';
import { storeConformance } from '../helpers/store-conformance.ts';
import { openPlayground } from './helpers.ts';

/** The KeyValueStore conformance suite against IdbStore on real IndexedDB in Chromium. */
test.describe('IdbStore on real IndexedDB', () => {
  for (const [title, check] of storeConformance) {
    test(title, async ({ page }) => {
      await openPlayground(page);
      const db = `conformance-${Math.random().toString(36).slice(2)}`;
      const call = (method: string, ...args: unknown[]) =>
        page.evaluate(async ([d, m, a]) => {
          const store = (window as unknown as { podplay: { idbStore(name: string): Record<string, (...x: unknown[]) => Promise<unknown>> } }).podplay.idbStore(d as string);
          // Bytes travel as base64: a 4 MiB array of numbers is slow to serialise.
          const decode = (b: string) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
          const argv =
            m === 'setMany'
              ? [(a[0] as Array<[string, string]>).map(([k, v]) => [k, decode(v)])]
              : (a as unknown[]).map((x) => (typeof x === 'object' && x && 'b64' in x ? decode((x as { b64: string }).b64) : x));
          const out = await store[m as string]!(...argv);
          if (!(out instanceof Uint8Array)) return { value: out };
          let bin = '';
          for (let i = 0; i < out.length; i += 0x8000) bin += String.fromCharCode(...out.subarray(i, i + 0x8000));
          return { b64: btoa(bin) };
        }, [db, method, args] as const);
      const unwrap = (r: { b64?: string; value?: unknown }) => (r.b64 !== undefined ? new Uint8Array(Buffer.from(r.b64, 'base64')) : r.value);
      const store: KeyValueStore = {
        get: async (k) => unwrap(await call('get', k)) as Uint8Array | undefined,
        set: async (k, v) => void (await call('set', k, { b64: Buffer.from(v).toString('base64') })),
        setMany: async (entries) => void (await call('setMany', entries.map(([k, v]) => [k, Buffer.from(v).toString('base64')]))),
        delete: async (k) => void (await call('delete', k)),
        has: async (k) => unwrap(await call('has', k)) as boolean,
        keys: async () => unwrap(await call('keys')) as string[],
      };
      await check(store, { equal: (a, b, m) => expect(a, m).toBe(b), deepEqual: (a, b, m) => expect(a, m).toEqual(b) });
    });
  }
});
