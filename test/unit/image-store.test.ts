import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContentStore, LayoutSource, collectGarbage, listImages, loadImage, loadImages, openImageBytes, pullImage, removeImage, sha256 } from '../../src/oci/index.ts';
import { MemoryStore, ThreadLock, type KeyValueStore } from '../../src/persistence/index.ts';
import { checkEntrypoint } from '../../src/sandbox/index.ts';
import { badImages } from '../helpers/bad-images.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

const newStore = (blobs: KeyValueStore = new MemoryStore(), meta: KeyValueStore = new MemoryStore()) => new ContentStore(blobs, meta, new ThreadLock());

/** Every key and value of the store, to compare before and after a failed import. */
async function snapshot(store: ContentStore): Promise<string> {
  const dump = async (kv: KeyValueStore) => Promise.all((await kv.keys()).map(async (k) => `${k}=${await sha256((await kv.get(k))!)}`));
  return JSON.stringify({ blobs: await dump(store.blobs), meta: await dump(store.meta) });
}

/** A fetch that counts requests per blob. */
function countingFetch() {
  const counts = new Map<string, number>();
  const fetchFn = async (url: string) => {
    const hex = url.match(/blobs\/sha256\/([0-9a-f]{64})$/)?.[1];
    if (hex) counts.set(hex, (counts.get(hex) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, 5));
    return fileFetch(url);
  };
  return { fetchFn, counts };
}

test('each bad image fails with a typed error naming the problem, and leaves the store exactly as it was', async () => {
  const store = newStore();
  await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), 'podplay/hello', store);
  const before = await snapshot(store);
  const cases = await badImages();
  assert.ok(cases.length >= 13);
  for (const bad of cases) {
    await assert.rejects(
      (async () => loadImages(await openImageBytes(bad.bytes, bad.fileName, bad.limits?.maxExpandedBytes), store, { limits: bad.limits, verify: checkEntrypoint }))(),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, bad.code, `${bad.title}: ${err.message}`);
        assert.match(err.message, bad.message, bad.title);
        return true;
      },
      bad.title,
    );
    assert.equal(await snapshot(store), before, `${bad.title} left the store as it was`);
  }
});

test('two pulls at once share one download of their common base layer', async () => {
  const { fetchFn, counts } = countingFetch();
  const store = newStore();
  const source = LayoutSource.fromUrl(layoutUrl(), fetchFn);
  const [hello, ticker] = await Promise.all([pullImage(source, 'podplay/hello', store), pullImage(source, 'podplay/ticker', store)]);
  const base = hello.manifest.layers[0]!.digest;
  assert.equal(ticker.manifest.layers[0]!.digest, base);
  assert.equal(counts.get(base.slice(7)), 1, 'the toolbox layer was fetched once');
  assert.ok(await store.has(base));
});

test('images are listed with shared and unique sizes; rmi frees only what no other image uses', async () => {
  const store = newStore();
  const source = LayoutSource.fromUrl(layoutUrl(), fileFetch);
  const hello = await pullImage(source, 'podplay/hello', store);
  const ticker = await pullImage(source, 'podplay/ticker', store);
  const rows = await listImages(store);
  assert.deepEqual(rows.map((r) => r.ref), ['podplay/hello:latest', 'podplay/ticker:latest']);
  const base = hello.manifest.layers[0]!;
  for (const [row, img] of [[rows[0]!, hello], [rows[1]!, ticker]] as const) {
    const total = img.descriptor.size + img.manifest.config.size + img.manifest.layers.reduce((n, l) => n + l.size, 0);
    assert.equal(row.size, total);
    assert.equal(row.sharedSize, base.size, 'only the toolbox layer is shared');
    assert.equal(row.uniqueSize, total - base.size);
    assert.equal(row.id, img.manifest.config.digest, 'the image ID is the config digest, as docker has it');
  }
  const removed = await removeImage(store, 'podplay/ticker');
  assert.deepEqual(removed.untagged, ['podplay/ticker:latest']);
  assert.deepEqual(new Set(removed.deleted), new Set([ticker.descriptor.digest, ticker.manifest.config.digest, ticker.manifest.layers[1]!.digest]));
  assert.equal(removed.freedBytes, rows[1]!.uniqueSize);
  assert.equal((await loadImage(store, 'podplay/hello')).descriptor.digest, hello.descriptor.digest, 'hello is intact');
  assert.ok(await store.has(base.digest));
  await assert.rejects(removeImage(store, 'podplay/ticker'), /Error response from daemon: No such image: podplay\/ticker:latest/);
});

test('gc sweeps blobs no ref reaches and keeps every referenced one', async () => {
  const store = newStore();
  await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), 'podplay/hello', store);
  const keep = await store.blobs.keys();
  const stray = new TextEncoder().encode('left by an interrupted session');
  await store.commit([{ desc: { digest: await sha256(stray), size: stray.byteLength }, bytes: stray }]);
  const swept = await collectGarbage(store);
  assert.deepEqual(swept.deleted, [await sha256(stray)]);
  assert.equal(swept.freedBytes, stray.byteLength);
  assert.deepEqual(await store.blobs.keys(), keep);
  assert.deepEqual((await collectGarbage(store)).deleted, []);
});

test('a full store gives QuotaExceeded and keeps nothing of the pull', async () => {
  class FullStore extends MemoryStore {
    limit = Infinity;
    used = 0;
    override async setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>) {
      const bytes = entries.reduce((n, [, v]) => n + v.byteLength, 0);
      if (this.used + bytes > this.limit) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      this.used += bytes;
      await super.setMany(entries);
    }
  }
  const blobs = new FullStore();
  const store = newStore(blobs);
  const source = LayoutSource.fromUrl(layoutUrl(), fileFetch);
  await pullImage(source, 'podplay/hello', store);
  blobs.limit = blobs.used + 10_000;
  const before = await snapshot(store);
  await assert.rejects(pullImage(source, 'podplay/primes', store), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'QuotaExceeded');
    assert.match(err.message, /image store is full.*Nothing of this pull was kept; remove images you do not need \(rmi\)/);
    return true;
  });
  assert.equal(await snapshot(store), before);

  // The ref is written after the blobs: when that write fails, the blobs it would have named are taken back.
  class FullMeta extends MemoryStore {
    override async set(): Promise<void> {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
  }
  const store2 = newStore(new MemoryStore(), new FullMeta());
  await assert.rejects(pullImage(source, 'podplay/hello', store2), { code: 'QuotaExceeded' });
  assert.deepEqual(await store2.blobs.keys(), []);
});

test('a sweep between a pull finding a layer and committing it does not leave the image dangling', async () => {
  const store = newStore();
  await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), 'podplay/hello', store);
  await store.deleteRef('podplay/hello:latest'); // its blobs stay, unreferenced, until a sweep
  let swept: string[] = [];
  let blobFetches = 0;
  // The sweep runs as the ticker pull downloads its own layer (after manifest and config), when it has found the base layer present.
  const source = LayoutSource.fromUrl(layoutUrl(), async (url) => {
    if (url.includes('/blobs/') && ++blobFetches === 3) swept = (await collectGarbage(store)).deleted;
    return fileFetch(url);
  });
  const events: string[] = [];
  const ticker = await pullImage(source, 'podplay/ticker', store, { onEvent: (e) => e.kind === 'layer' && events.push(e.status) });
  assert.ok(events.includes('Already exists'), 'the base layer was found present');
  assert.ok(swept.includes(ticker.manifest.layers[0]!.digest), 'and then swept');
  for (const d of [ticker.descriptor, ticker.manifest.config, ...ticker.manifest.layers]) assert.ok(await store.has(d.digest), `${d.digest} is stored`);
});

test('a sweep waits while a commit holds the lock', async () => {
  const lock = new ThreadLock();
  const order: string[] = [];
  const commit = lock.run('shared', async () => {
    order.push('commit start');
    await new Promise((r) => setTimeout(r, 20));
    order.push('commit end');
  });
  const sweep = lock.run('exclusive', async () => void order.push('sweep'));
  const second = lock.run('shared', async () => void order.push('second commit'));
  await Promise.all([commit, sweep, second]);
  assert.deepEqual(order, ['commit start', 'commit end', 'sweep', 'second commit']);
});

test('a load whose second image is bad keeps neither, and an image-wide cap stops many big layers', async () => {
  const { ImageBuilder } = await import('../helpers/images.ts');
  const { helloWasm } = await import('../helpers/bad-images.ts');
  const app = { name: 'app', body: await helloWasm(), mode: 0o755 };
  const b = new ImageBuilder();
  await b.image({ name: 'good:1', layers: [{ entries: [app] }], entrypoint: ['/app'] });
  await b.image({ name: 'bad:1', layers: [{ entries: [app] }], entrypoint: ['/app'], diffIds: ['sha256:' + 'b'.repeat(64)] });
  const store = newStore();
  await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), 'podplay/hello', store);
  const before = await snapshot(store);
  await assert.rejects(async () => loadImages(await openImageBytes(await b.layoutTar(), 'two.tar'), store), { code: 'ImageDigestMismatch' });
  assert.equal(await snapshot(store), before, 'good:1 was not kept either');

  const big = new ImageBuilder();
  const layer = (i: number) => ({ entries: [{ name: `data${i}`, body: new Uint8Array(6 << 20) }] });
  await big.image({ name: 'big:1', layers: [{ entries: [app] }, layer(1), layer(2), layer(3)], entrypoint: ['/app'] });
  await assert.rejects(
    async () => loadImages(await openImageBytes(await big.layoutTar(), 'big.tar'), store, { limits: { maxImageBytes: 16 << 20 } }),
    /the image's layers expand to more than 16 MiB together/,
  );
  assert.equal(await snapshot(store), before);
});
