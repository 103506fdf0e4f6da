import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ContentStore, LayoutSource, RootfsCache, findImage, formatPullEvent, loadImage, pullImage, type PullEvent } from '../../src/oci/index.ts';
import { MemoryStore } from '../../src/persistence/index.ts';
import { LAYOUT_DIR, fileFetch, layoutUrl } from '../helpers/layout.ts';

const newStore = () => new ContentStore(new MemoryStore(), new MemoryStore());
const source = (dir = LAYOUT_DIR) => LayoutSource.fromUrl(layoutUrl(dir), fileFetch);
const resolve = async (dir: string, ref: string) => findImage(await source(dir).list(), ref, dir).descriptor;

test('pulls podplay/hello with docker-style progress, then finds shared layers already there', async () => {
  const store = newStore();
  const events: PullEvent[] = [];
  const first = await pullImage(source(), 'podplay/hello', store, { onEvent: (e) => events.push(e) });
  const lines = events.map(formatPullEvent);
  assert.equal(lines[0], 'latest: Pulling from podplay/hello');
  assert.equal(first.manifest.layers.length, 2);
  for (const l of first.manifest.layers) {
    const id = l.digest.slice(7, 19);
    const mine = lines.filter((x) => x.startsWith(id + ':')).map((x) => x.replace(/Downloading .*/, 'Downloading'));
    assert.deepEqual([...new Set(mine)], [`${id}: Pulling fs layer`, `${id}: Downloading`, `${id}: Verifying Checksum`, `${id}: Download complete`, `${id}: Pull complete`]);
  }
  assert.ok(lines.some((l) => /: Downloading \d+(\.\d)?[kM]B\/\d+(\.\d)?[kM]B$/.test(l)));
  assert.match(lines.at(-2)!, /^Digest: sha256:[0-9a-f]{64}$/);
  assert.match(lines.at(-1)!, /^Status: Downloaded newer image for podplay\/hello:latest$/);
  assert.equal(first.config.os, 'wasip1');
  assert.equal(first.config.architecture, 'wasm');

  const again: string[] = [];
  const second = await pullImage(source(), 'podplay/ticker', store, { onEvent: (e) => again.push(formatPullEvent(e)) });
  const base = second.manifest.layers[0]!.digest.slice(7, 19);
  assert.ok(again.includes(`${base}: Already exists`), again.join('\n'));
  assert.ok(second.downloaded < first.downloaded);
  const third: string[] = [];
  await pullImage(source(), 'podplay/hello', store, { onEvent: (e) => third.push(formatPullEvent(e)) });
  assert.equal(third.at(-1), 'Status: Image is up to date for podplay/hello:latest');
});

test('the rootfs holds the image files, symlinks resolve, and layers are applied once per chain', async () => {
  const store = newStore();
  await pullImage(source(), 'podplay/hello', store);
  await pullImage(source(), 'podplay/kv', store);
  const cache = new RootfsCache();
  const read = (d: { digest: `sha256:${string}` }) => store.get(d.digest);
  const hello = await loadImage(store, 'podplay/hello');
  const fs = await cache.rootfs(read, hello.manifest, hello.config);
  assert.equal(new TextDecoder().decode(fs.readFile('/etc/hello/greeting')), 'Hello from podplay\n');
  assert.equal(fs.lstat('/bin/sh').kind, 'symlink');
  assert.equal(fs.stat('/bin/sh'), fs.stat('/bin/toolbox'));
  assert.deepEqual(Array.from(fs.readFile('/usr/local/bin/hello').subarray(0, 4)), [0, 0x61, 0x73, 0x6d]);
  assert.equal(cache.appliedLayers, 2);
  await cache.rootfs(read, hello.manifest, hello.config);
  const kv = await loadImage(store, 'podplay/kv');
  await cache.rootfs(read, kv.manifest, kv.config);
  assert.equal(cache.appliedLayers, 3, 'the shared base layer is applied once');
});

test('a corrupted blob is rejected with its digest and nothing is stored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podplay-layout-'));
  await cp(LAYOUT_DIR, dir, { recursive: true });
  const store = newStore();
  const desc = await resolve(dir, 'podplay/hello');
  const manifest = JSON.parse(await readFile(join(dir, 'blobs/sha256', desc.digest.slice(7)), 'utf8'));
  const layer = manifest.layers[1];
  const path = join(dir, 'blobs/sha256', layer.digest.slice(7));
  const bytes = await readFile(path);
  bytes[100] ^= 0xff;
  await writeFile(path, bytes);
  await assert.rejects(pullImage(source(dir), 'podplay/hello', store), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'ImageDigestMismatch');
    assert.ok(err.message.includes(layer.digest), err.message);
    return true;
  });
  assert.deepEqual(await store.blobs.keys(), [], 'not even the manifest and config were kept');
  assert.equal(await store.getRef('podplay/hello:latest'), undefined, 'no ref points at an incomplete image');
  await rm(dir, { recursive: true });
});

test('a missing layout file is named in the error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podplay-layout-'));
  await assert.rejects(pullImage(source(dir), 'podplay/hello', newStore()), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'LayoutNotFound');
    assert.match(err.message, /is missing oci-layout/);
    return true;
  });
  await cp(LAYOUT_DIR, dir, { recursive: true });
  const desc = await resolve(dir, 'podplay/crash');
  await rm(join(dir, 'blobs/sha256', desc.digest.slice(7)));
  await assert.rejects(pullImage(source(dir), 'podplay/crash', newStore()), /is missing blobs\/sha256\/[0-9a-f]{64}/);
  await assert.rejects(pullImage(source(dir), 'podplay/nope', newStore()), { code: 'ImageNotFound' });
  await rm(dir, { recursive: true });
});

// podplay/pause and podplay/stress (the registry mirrors' images) are in a layout packed since they were added to the packer.

test('the committed layout is a real OCI layout: every image is wasip1/wasm, FROM podplay/toolbox', async () => {
  const index = JSON.parse(await readFile(join(LAYOUT_DIR, 'index.json'), 'utf8'));
  const refs = index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name']);
  assert.deepEqual(refs.sort(), [
    'podplay/crash:latest',
    'podplay/golang:1.26',
    'podplay/golang:1.26.8',
    'podplay/golang:latest',
    'podplay/hello:latest',
    'podplay/kv:latest',
    'podplay/memhog:latest',
    'podplay/pause:latest',
    'podplay/pod-lister:latest',
    'podplay/pod-watcher:latest',
    'podplay/primes:latest',
    'podplay/stress:latest',
    'podplay/ticker:latest',
    'podplay/toolbox:latest',
    'podplay/web:latest',
  ]);
  const store = newStore();
  const base = await pullImage(source(), 'podplay/toolbox', store);
  assert.deepEqual(base.config.config?.Cmd, ['sh']);
  for (const ref of refs.filter((r: string) => r !== 'podplay/toolbox:latest')) {
    const img = await pullImage(source(), ref, store);
    assert.equal(img.manifest.layers[0]!.digest, base.manifest.layers[0]!.digest, `${ref} is FROM podplay/toolbox`);
    // podplay/golang adds four layers (compile+link, the standard library, the go command, podplay.dev/wasm in the module cache); the others one.
    assert.equal(img.manifest.layers.length, ref.startsWith('podplay/golang:') ? 5 : 2, ref);
    assert.equal(img.manifest.layers[1]!.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
    assert.equal(img.manifest.annotations?.['org.opencontainers.image.base.digest'], (await findImage(await source().list(), 'podplay/toolbox', LAYOUT_DIR)).descriptor.digest);
    const cfg = img.config.config!;
    // The mirrors' images are configured as the images they stand in for (registry.k8s.io/pause, polinux/stress).
    if (ref === 'podplay/pause:latest') assert.deepEqual([cfg.Entrypoint, cfg.Cmd, cfg.User], [['/pause'], undefined, '65535:65535']);
    else if (ref === 'podplay/stress:latest') assert.deepEqual([cfg.Entrypoint, cfg.Cmd], [undefined, ['/usr/local/bin/stress']]);
    else if (ref.startsWith('podplay/golang:')) assert.deepEqual([cfg.Entrypoint, cfg.Cmd, cfg.WorkingDir], [undefined, ['sh'], '/go']);
    else assert.ok(cfg.Entrypoint?.[0]?.startsWith('/usr/local/bin/'), ref);
  }
  // The client-go images are one program in one layer (its name picks pod-lister or pod-watcher).
  const lister = await pullImage(source(), 'podplay/pod-lister', store);
  const watcher = await pullImage(source(), 'podplay/pod-watcher', store);
  assert.equal(lister.manifest.layers[1]!.digest, watcher.manifest.layers[1]!.digest);
  assert.deepEqual([lister.config.config!.Entrypoint, watcher.config.config!.Entrypoint], [['/usr/local/bin/pod-lister'], ['/usr/local/bin/pod-watcher']]);
});
