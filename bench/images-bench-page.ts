/**
 * Image store bench page, in one page so both sides share the machine's state:
 *  - import of an image with a ~20 MB gzip layer into IndexedDB (verify,
 *    decompress, diff ID, tar parse, layer application, one IndexedDB
 *    transaction) against raw DecompressionStream + SHA-256 of the same bytes;
 *  - a container's start when its rootfs must be built from the stored
 *    layers (a fresh node worker) against the second container of the image
 *    on that worker (rootfs cached by chain ID).
 * Results land in window.benchResult for bench/run.ts to print.
 */
import { packTar } from 'modern-tar';
import { BlobSet, ContentStore, MediaType, MemorySource, gzip, pullImage, sha256 } from '../src/oci/index.ts';
import { IdbStore } from '../src/persistence/index.ts';
import { BROWSER_STORE, Sandbox } from '../src/sandbox/index.ts';
import { assetUrl, setAssetsBase } from '../src/shared/index.ts';

// This page is built into dist-bench/bench/: podplay's build folder is the one above.
setAssetsBase(new URL('../', location.href));

const params = new URLSearchParams(location.search);
const RUNS = Number(params.get('runs') ?? 5);

/** 40 files of 1 MiB, half random and half text: gzips to about 20 MB, like a layer of binaries and data. */
async function makeLayer(): Promise<{ tar: Uint8Array; gz: Uint8Array }> {
  const text = new TextEncoder().encode('podplay bench line of ordinary text, compressible like logs and configs\n'.repeat(8000));
  const entries = [];
  for (let i = 0; i < 40; i++) {
    const file = new Uint8Array(1 << 20);
    for (let o = 0; o < 1 << 19; o += 65536) crypto.getRandomValues(file.subarray(o, o + 65536));
    file.set(text.subarray(0, 1 << 19), 1 << 19);
    entries.push({ header: { name: `data/blob-${i}.bin`, type: 'file' as const, size: file.byteLength, mode: 0o644, mtime: new Date(0) }, body: file });
  }
  const tar = await packTar(entries);
  return { tar, gz: await gzip(tar) };
}

async function rawIngest(gz: Uint8Array): Promise<number> {
  const t0 = performance.now();
  const stream = new Blob([gz as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const [expanded] = await Promise.all([new Response(stream).arrayBuffer(), sha256(gz)]);
  if (expanded.byteLength === 0) throw new Error('nothing decompressed');
  return performance.now() - t0;
}

/** bench/big:1 — the hello program in one layer, the 20 MB data layer on top. */
async function imageSource(gz: Uint8Array, tar: Uint8Array, app: Uint8Array): Promise<MemorySource> {
  const appTar = await packTar([{ header: { name: 'app', type: 'file', size: app.byteLength, mode: 0o755, mtime: new Date(0) }, body: app }]);
  const set = new BlobSet();
  const layers = [await set.add(MediaType.layerGzip, await gzip(appTar)), await set.add(MediaType.layerGzip, gz)];
  const config = await set.addJson(MediaType.config, {
    architecture: 'wasm',
    os: 'wasip1',
    config: { Entrypoint: ['/app'] },
    rootfs: { type: 'layers', diff_ids: [await sha256(appTar), await sha256(tar)] },
  });
  const descriptor = await set.addJson(MediaType.manifest, { schemaVersion: 2, mediaType: MediaType.manifest, config, layers });
  return new MemorySource('bench', [{ name: 'bench/big:1', descriptor }], set.blobs);
}

async function main() {
  const out = document.getElementById('out')!;
  const layoutUrl = assetUrl('images');
  // The app layer: podplay/hello's program, read from the bundled image.
  const helper = await Sandbox.create({ layoutUrl, store: BROWSER_STORE, nodeName: 'bench-setup' });
  await helper.ensureImage('podplay/hello');
  const h = await helper.run('podplay/hello');
  await h.result;
  const app = (await helper.node.readFile(h.id, '/usr/local/bin/hello'))!;
  await helper.dispose();

  out.textContent = 'making a 20 MB layer…';
  const { tar, gz } = await makeLayer();
  const source = await imageSource(gz, tar, app);
  const imports: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const db = `bench-import-${i}`;
    const store = new ContentStore(new IdbStore(`${db}-blobs`), new IdbStore(`${db}-meta`));
    const t0 = performance.now();
    await pullImage(source, 'bench/big:1', store);
    const took = performance.now() - t0;
    const r = await rawIngest(gz);
    if (i > 0) {
      // The first pair warms both paths up.
      imports.push(took);
      raw.push(r);
    }
    for (const name of [`${db}-blobs`, `${db}-meta`]) indexedDB.deleteDatabase(name);
  }

  // Rootfs: first container on a fresh node worker builds it from the stored layers; the second reuses it.
  out.textContent = 'rootfs…';
  const sandbox = await Sandbox.create({ layoutUrl, store: BROWSER_STORE, nodeName: 'bench-rootfs' });
  await sandbox.pullFrom(source, 'bench/big:1');
  await sandbox.node.ready();
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const worker = await Sandbox.create({ layoutUrl, store: BROWSER_STORE, nodeName: `bench-rootfs-${i}` });
    await worker.node.ready();
    for (const into of [first, second]) {
      const t0 = performance.now();
      const run = await worker.run('bench/big:1');
      const r = await run.result;
      if (r.exitCode !== 0) throw new Error(`bench/big exited ${r.exitCode}: ${r.error?.message}`);
      into.push(performance.now() - t0);
    }
    const stats = await worker.node.stats();
    if (stats.layersApplied !== 2) throw new Error(`expected 2 layers applied on the fresh worker, saw ${stats.layersApplied}`);
    await worker.dispose();
  }
  await sandbox.rmi('bench/big:1');
  await sandbox.dispose();
  (window as unknown as { benchResult: unknown }).benchResult = { imports, raw, gzBytes: gz.byteLength, tarBytes: tar.byteLength, first, second };
  out.textContent = 'done';
}

main().catch((err: Error) => {
  (window as unknown as { benchResult: unknown }).benchResult = { error: `${err.message}\n${err.stack}` };
});
