import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ContentStore, LayoutSource, RootfsCache, exportImages, loadImage, loadImages, openImageBytes, parseRegistryRef, pullImage } from '../../src/oci/index.ts';
import { MemoryStore, ThreadLock } from '../../src/persistence/index.ts';
import { checkEntrypoint } from '../../src/sandbox/index.ts';
import { helloWasm } from '../helpers/bad-images.ts';
import { ImageBuilder, tarOf } from '../helpers/images.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

const newStore = () => new ContentStore(new MemoryStore(), new MemoryStore(), new ThreadLock());
const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function rootfsOf(store: ContentStore, ref: string) {
  const image = await loadImage(store, ref);
  return { image, fs: await new RootfsCache().rootfs((d) => store.get(d.digest), image.manifest, image.config) };
}

test('an OCI layout tar with an image index: the wasip1/wasm entry is chosen, legacy wasi/wasm too', async () => {
  const wasm = await helloWasm();
  for (const os of ['wasip1', 'wasi']) {
    const b = new ImageBuilder();
    const linux = await b.image({ name: 'l', layers: [{ entries: [{ name: 'linux-only', body: 'x' }] }], os: 'linux', architecture: 'amd64' });
    const wasi = await b.image({ name: 'w', layers: [{ entries: [{ name: 'app', body: wasm, mode: 0o755 }] }], os, entrypoint: ['/app'] });
    b.images.length = 0;
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [
      { ...linux.manifest, platform: { os: 'linux', architecture: 'amd64' } },
      { ...wasi.manifest, platform: { os, architecture: 'wasm' } },
    ] };
    b.images.push({ name: 'multi/app:2.0', manifest: { mediaType: index.mediaType, ...b.add(json(index)) } });
    const store = newStore();
    const [pulled] = await loadImages(await openImageBytes(await b.layoutTar(), 'multi.tar'), store, { verify: checkEntrypoint });
    assert.equal(pulled!.ref, 'multi/app:2.0');
    assert.equal(pulled!.descriptor.digest, wasi.manifest.digest, `${os}/wasm was chosen`);
    const { fs } = await rootfsOf(store, 'multi/app:2.0');
    assert.equal(fs.lookup('/linux-only'), undefined);
    assert.equal(fs.stat('/app').mode, 0o755);
  }
});

test('a gzipped OCI layout tar whose index names images by bare tag takes its name from the file', async () => {
  const b = new ImageBuilder();
  const img = await b.image({ name: 'ignored', layers: [{ entries: [{ name: 'etc/motd', body: 'hi' }] }] });
  b.images.length = 0;
  const files = b.layoutFiles([{ ...img.manifest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }]);
  const tar = gzipSync(await tarOf([...files].map(([name, body]) => ({ name: `./${name}`, body }))));
  const store = newStore();
  const [pulled] = await loadImages(await openImageBytes(tar, 'motd.tar.gz'), store);
  assert.equal(pulled!.ref, 'motd:v1');
  assert.equal(text((await rootfsOf(store, 'motd:v1')).fs.readFile('/etc/motd')), 'hi');
});

test('a legacy docker save tar: manifest.json, config file, layer tars (one linked), RepoTags', async () => {
  const wasm = await helloWasm();
  const base = await tarOf([{ name: 'bin/', type: 'directory', mode: 0o755 }, { name: 'bin/hello', body: wasm, mode: 0o755 }]);
  const top = await tarOf([{ name: 'etc/motd', body: 'from docker save' }]);
  const config = json({ architecture: 'wasm', os: 'wasip1', config: { Entrypoint: ['/bin/hello'] }, rootfs: { type: 'layers', diff_ids: [sha(base), sha(top), sha(base)] } });
  const configName = `${sha(config).slice(7)}.json`;
  const archive = await tarOf([
    { name: 'aaa/', type: 'directory' },
    { name: 'aaa/layer.tar', body: base },
    { name: 'bbb/layer.tar', body: top },
    { name: 'ccc/layer.tar', type: 'symlink', linkname: '../aaa/layer.tar' },
    { name: configName, body: config },
    { name: 'manifest.json', body: JSON.stringify([{ Config: configName, RepoTags: ['docker.io/library/greeter:1.0', 'greeter:latest'], Layers: ['aaa/layer.tar', 'bbb/layer.tar', 'ccc/layer.tar'] }]) },
    { name: 'repositories', body: '{}' },
  ]);
  const store = newStore();
  const pulled = await loadImages(await openImageBytes(archive, 'greeter.tar'), store, { verify: checkEntrypoint });
  assert.deepEqual(pulled.map((p) => p.ref), ['greeter:1.0', 'greeter:latest']);
  const { image, fs } = await rootfsOf(store, 'greeter:1.0');
  assert.equal(image.manifest.config.digest, sha(config), 'the image ID stays docker\'s: the config bytes are kept as they are');
  assert.equal(image.manifest.layers[0]!.mediaType, 'application/vnd.oci.image.layer.v1.tar');
  assert.equal(text(fs.readFile('/etc/motd')), 'from docker save');
  assert.deepEqual(fs.readFile('/bin/hello').subarray(0, 4), wasm.subarray(0, 4));
});

test('a raw .wasm file becomes a one-layer image whose entrypoint is the module', async () => {
  const wasm = await helloWasm();
  const store = newStore();
  const [pulled] = await loadImages(await openImageBytes(wasm, 'Hello World.wasm'), store, { verify: checkEntrypoint });
  assert.equal(pulled!.ref, 'hello-world:latest');
  assert.deepEqual(pulled!.config.config?.Entrypoint, ['/hello-world.wasm']);
  assert.equal(pulled!.manifest.layers.length, 1);
  const { fs } = await rootfsOf(store, 'hello-world');
  assert.deepEqual(fs.readFile('/hello-world.wasm'), wasm);
  // Wrapping is deterministic: the same module gives the same image.
  const [again] = await loadImages(await openImageBytes(wasm, 'Hello World.wasm'), newStore());
  assert.equal(again!.descriptor.digest, pulled!.descriptor.digest);
  // Bytes that start like wasm but are not a module are refused by name.
  await assert.rejects(openImageBytes(wasm.slice(0, 100), 'cut.wasm'), { code: 'NotWasm' });
});

test('a CNCF Wasm artifact (wasm config, application/wasm layer) runs its module as entrypoint', async () => {
  const wasm = await helloWasm();
  const b = new ImageBuilder();
  const layer = { mediaType: 'application/wasm', ...b.add(wasm), annotations: { 'org.opencontainers.image.title': 'hello.wasm' } };
  const config = { mediaType: 'application/vnd.wasm.config.v0+json', ...b.add(json({ created: '2026-01-01T00:00:00Z', architecture: 'wasm', os: 'wasip1', layerDigests: [layer.digest] })) };
  const manifest = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.wasm.module.v1+wasm', config, layers: [layer] };
  b.images.push({ name: 'ghcr.io/example/hello-artifact:0.1', manifest: { mediaType: manifest.mediaType, ...b.add(json(manifest)) } });
  const store = newStore();
  const [pulled] = await loadImages(await openImageBytes(await b.layoutTar(), 'artifact.tar'), store, { verify: checkEntrypoint });
  assert.deepEqual(pulled!.config.config?.Entrypoint, ['/hello.wasm']);
  const { fs } = await rootfsOf(store, 'ghcr.io/example/hello-artifact:0.1');
  assert.deepEqual(fs.readFile('/hello.wasm'), wasm);
});

test('export writes an OCI layout tar that loads back to the same images, byte for byte', async () => {
  const store = newStore();
  const source = LayoutSource.fromUrl(layoutUrl(), fileFetch);
  const hello = await pullImage(source, 'podplay/hello', store);
  const ticker = await pullImage(source, 'podplay/ticker', store);
  const tar = await exportImages(store, ['podplay/hello', 'podplay/ticker']);
  assert.deepEqual(await exportImages(store, ['podplay/hello', 'podplay/ticker']), tar, 'export is deterministic');
  const back = newStore();
  const loaded = await loadImages(await openImageBytes(tar, 'export.tar'), back);
  assert.deepEqual(loaded.map((l) => [l.ref, l.descriptor.digest]), [['podplay/hello:latest', hello.descriptor.digest], ['podplay/ticker:latest', ticker.descriptor.digest]]);
  assert.deepEqual(await back.blobs.keys(), await store.blobs.keys());
  await assert.rejects(exportImages(store, ['podplay/nope']), { code: 'ImageNotFound' });
});

test('registry references split as docker splits them', () => {
  assert.deepEqual(parseRegistryRef('busybox'), { registry: 'docker.io', repository: 'library/busybox', reference: 'latest', name: 'busybox:latest' });
  assert.deepEqual(parseRegistryRef('localhost:5000/podplay/hello:v2'), { registry: 'localhost:5000', repository: 'podplay/hello', reference: 'v2', name: 'localhost:5000/podplay/hello:v2' });
  const d = 'sha256:' + 'ab'.repeat(32);
  assert.equal(parseRegistryRef(`ghcr.io/a/b@${d}`).reference, d);
  assert.equal(parseRegistryRef(`ghcr.io/a/b@${d}`).name, `ghcr.io/a/b@${d}`);
  assert.throws(() => parseRegistryRef('Not/Valid'), /invalid reference format/);
});
