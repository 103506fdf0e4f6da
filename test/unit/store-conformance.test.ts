/**
 * One conformance suite for every KeyValueStore: memory, directory (Node),
 * IndexedDB (fake-indexeddb here; real IndexedDB in test/browser/persistence.spec.ts).
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DirectoryStore, IdbStore, MemoryStore, type KeyValueStore } from '../../src/persistence/index.ts';
import { storeConformance } from '../helpers/store-conformance.ts';

const implementations: Array<[string, () => Promise<KeyValueStore>]> = [
  ['MemoryStore', async () => new MemoryStore()],
  ['DirectoryStore', async () => new DirectoryStore(join(await fs.mkdtemp(join(tmpdir(), 'podplay-store-')), 'blobs'), fs)],
  ['IdbStore (fake-indexeddb)', async () => new IdbStore(`podplay-test-${Math.random()}`)],
];

for (const [name, make] of implementations) {
  describe(name, () => {
    for (const [title, check] of storeConformance) test(title, async () => check(await make(), assert));
  });
}

test('DirectoryStore keeps values across instances (persistence on disk)', async () => {
  const dir = join(await fs.mkdtemp(join(tmpdir(), 'podplay-store-')), 'kv');
  await new DirectoryStore(dir, fs).set('sha256:abc', new Uint8Array([1, 2, 3]));
  assert.deepEqual(await new DirectoryStore(dir, fs).get('sha256:abc'), new Uint8Array([1, 2, 3]));
});
