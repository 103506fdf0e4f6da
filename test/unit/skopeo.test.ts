import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ContentStore, LayoutSource, exportImages, loadImages, openImageBytes, pullImage } from '../../src/oci/index.ts';
import { MemoryStore, ThreadLock } from '../../src/persistence/index.ts';
import { checkEntrypoint } from '../../src/sandbox/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';
import { peerSkipReason } from '../helpers/peers.ts';

const newStore = () => new ContentStore(new MemoryStore(), new MemoryStore(), new ThreadLock());
const skopeo = (...args: string[]) => execFileSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const skip = peerSkipReason('skopeo');

test('skopeo inspects and copies podplay\'s export, and podplay loads what skopeo writes', { skip }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podplay-skopeo-'));
  try {
    const store = newStore();
    const source = LayoutSource.fromUrl(layoutUrl(), fileFetch);
    const hello = await pullImage(source, 'podplay/hello', store);
    const kv = await pullImage(source, 'podplay/kv', store);
    const archive = join(dir, 'export.tar');
    await writeFile(archive, await exportImages(store, ['podplay/hello', 'podplay/kv']));

    const info = JSON.parse(skopeo('inspect', `oci-archive:${archive}:podplay/hello:latest`));
    assert.equal(info.Digest, hello.descriptor.digest);
    assert.equal(info.Os, 'wasip1');
    assert.equal(info.Architecture, 'wasm');
    assert.deepEqual(info.Layers, hello.manifest.layers.map((l) => l.digest));
    const raw = JSON.parse(skopeo('inspect', '--raw', `oci-archive:${archive}:podplay/kv:latest`));
    assert.equal(raw.config.digest, kv.manifest.config.digest);
    // The same tar is a docker-archive too, as docker save's is: its manifest.json names each image by its tags.
    const asDocker = JSON.parse(skopeo('inspect', `docker-archive:${archive}:podplay/kv:latest`));
    assert.deepEqual(asDocker.Layers, kv.config.rootfs.diff_ids, 'skopeo reads the layers, uncompressed, as the config lists them');
    const asDockerRaw = JSON.parse(skopeo('inspect', '--config', `docker-archive:${archive}:podplay/hello:latest`));
    assert.deepEqual(asDockerRaw.rootfs.diff_ids, hello.config.rootfs.diff_ids);

    // skopeo copies the archive into its own forms; podplay reads each back to the same image.
    skopeo('copy', `oci-archive:${archive}:podplay/hello:latest`, `oci:${join(dir, 'layout')}:hello-copy`);
    skopeo('copy', `oci-archive:${archive}:podplay/hello:latest`, `oci-archive:${join(dir, 'skopeo.tar')}:podplay/hello:v1`);
    skopeo('copy', `oci-archive:${archive}:podplay/kv:latest`, `docker-archive:${join(dir, 'docker.tar')}:podplay/kv:saved`);

    const fromDir = await pullImage(LayoutSource.fromUrl(new URL(`file://${join(dir, 'layout')}`).href, fileFetch), 'hello-copy', newStore(), { tag: 'hello-copy:latest', verify: checkEntrypoint });
    assert.equal(fromDir.descriptor.digest, hello.descriptor.digest);
    const [fromArchive] = await loadImages(await openImageBytes(await readFile(join(dir, 'skopeo.tar')), 'skopeo.tar'), newStore(), { verify: checkEntrypoint });
    assert.equal(fromArchive!.ref, 'podplay/hello:v1');
    assert.equal(fromArchive!.descriptor.digest, hello.descriptor.digest);
    // docker-archive is the legacy docker save form: layers as tar files, podplay writes the manifest anew.
    const [fromDocker] = await loadImages(await openImageBytes(await readFile(join(dir, 'docker.tar')), 'docker.tar'), newStore(), { verify: checkEntrypoint });
    assert.equal(fromDocker!.ref, 'podplay/kv:saved');
    assert.equal(fromDocker!.manifest.config.digest, kv.manifest.config.digest, 'the same config, so the same image ID');
    assert.deepEqual(fromDocker!.config.rootfs.diff_ids, kv.config.rootfs.diff_ids);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
