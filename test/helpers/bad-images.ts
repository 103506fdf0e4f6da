import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ImageBuilder } from './images.ts';
import { LAYOUT_DIR } from './layout.ts';

/** One hostile or broken image: the archive to load, and the error it must give. */
export interface BadImage {
  title: string;
  fileName: string;
  bytes: Uint8Array;
  code: string;
  message: RegExp;
  /** Layer caps to load it with (for the bomb and the entry flood). */
  limits?: { maxExpandedBytes?: number; maxEntries?: number };
}

/** A real wasm program to put in test images (the sample hello). */
export async function helloWasm(): Promise<Uint8Array> {
  const index = JSON.parse(await readFile(join(LAYOUT_DIR, 'index.json'), 'utf8'));
  const desc = index.manifests.find((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name'] === 'podplay/hello:latest');
  const manifest = JSON.parse(await readFile(join(LAYOUT_DIR, 'blobs/sha256', desc.digest.slice(7)), 'utf8'));
  const { gunzipSync } = await import('node:zlib');
  const tar = gunzipSync(await readFile(join(LAYOUT_DIR, 'blobs/sha256', manifest.layers[1].digest.slice(7))));
  const { unpackTar } = await import('modern-tar');
  const entry = (await unpackTar(tar)).find((e) => e.header.name.endsWith('usr/local/bin/hello'));
  return entry!.data!;
}

async function single(title: string, code: string, message: RegExp, build: (b: ImageBuilder) => Promise<unknown>, extra: object[] = [], limits?: BadImage['limits']): Promise<BadImage> {
  const b = new ImageBuilder();
  await build(b);
  return { title, fileName: `bad-${title.replace(/\W+/g, '-')}.tar`, bytes: await b.layoutTar(extra), code, message, limits };
}

/**
 * The list of bad input, each as an OCI layout tar: every one must
 * fail with a typed error that names the problem and leave the store as it was.
 */
export async function badImages(): Promise<BadImage[]> {
  const wasm = await helloWasm();
  const app = { name: 'app', body: wasm, mode: 0o755 };
  const ok = { entrypoint: ['/app'] };
  const out: BadImage[] = [];
  out.push(await single('digest mismatch', 'ImageDigestMismatch', /does not match its content/, async (b) => {
    const img = await b.image({ name: 'bad/digest:1', layers: [{ entries: [app] }], ...ok });
    const m = JSON.parse(new TextDecoder().decode(b.blobs.get(img.manifest.digest)));
    const blob = b.blobs.get(m.layers[0].digest)!;
    blob[blob.length - 10] ^= 0xff;
  }));
  out.push(await single('size mismatch', 'ImageSizeMismatch', /bytes, but its descriptor says/, async (b) => {
    const img = await b.image({ name: 'bad/size:1', layers: [{ entries: [app] }], ...ok });
    img.manifest.size += 1;
  }));
  out.push(await single('truncated gzip', 'LayerInvalid', /not valid gzip data.*truncated/, async (b) => {
    const img = await b.image({ name: 'bad/truncated:1', layers: [{ entries: [app] }], ...ok });
    // Re-describe the layer by the digest of its truncated bytes, so only decompression can notice.
    const m = JSON.parse(new TextDecoder().decode(b.blobs.get(img.manifest.digest)));
    const cut = b.blobs.get(m.layers[0].digest)!.slice(0, 3000);
    m.layers[0] = { ...m.layers[0], ...b.add(cut) };
    b.images.pop();
    b.images.push({ name: img.name, manifest: { mediaType: img.manifest.mediaType, ...b.add(new TextEncoder().encode(JSON.stringify(m))) } });
  }));
  out.push(await single('entry with ..', 'LayerInvalid', /climbs out of the rootfs/, (b) => b.image({ name: 'bad/dotdot:1', layers: [{ entries: [app, { name: 'x/../../evil', body: 'e' }] }], ...ok })));
  out.push(await single('absolute entry', 'LayerInvalid', /is an absolute path/, (b) => b.image({ name: 'bad/abs:1', layers: [{ entries: [app, { name: '/etc/evil', body: 'e' }] }], ...ok })));
  out.push(await single('symlink out, written through', 'LayerInvalid', /points outside the rootfs/, (b) =>
    b.image({ name: 'bad/symlink:1', layers: [{ entries: [app, { name: 'out', type: 'symlink', linkname: '../../../../tmp' }] }, { entries: [{ name: 'out/planted', body: 'p' }] }], ...ok })));
  out.push(await single('whiteout in own layer', 'LayerInvalid', /whites out \/etc\/conf, which the same layer also adds/, (b) =>
    b.image({ name: 'bad/whiteout:1', layers: [{ entries: [app, { name: 'etc/conf', body: 'c' }, { name: 'etc/.wh.conf' }] }], ...ok })));
  out.push(await single('10,000-entry layer over the entry cap', 'LayerInvalid', /has more than the 5000 entries a layer may have here/, (b) =>
    b.image({ name: 'bad/many:1', layers: [{ entries: [app, ...Array.from({ length: 10_000 }, (_, i) => ({ name: `f/${i}`, body: '' }))] }], ...ok }), [], { maxEntries: 5_000 }));
  out.push(await single('gzip bomb', 'LayerInvalid', /expands to more than 32 MiB.*decompression bomb/, (b) =>
    b.image({ name: 'bad/bomb:1', layers: [{ entries: [app, { name: 'zeros', body: new Uint8Array(96 << 20) }] }], ...ok }), [], { maxExpandedBytes: 32 << 20 }));
  out.push(await single('unknown media type', 'LayerInvalid', /application\/vnd\.example\.weird, which podplay cannot apply/, (b) =>
    b.image({ name: 'bad/media:1', layers: [{ entries: [app], mediaType: 'application/vnd.example.weird' }], ...ok })));
  out.push(await single('index without wasm', 'PlatformNotFound', /has no wasip1\/wasm image \(it has linux\/amd64, linux\/arm64\)/, async (b) => {
    const amd = await b.image({ name: 'x', layers: [{ entries: [app] }], os: 'linux', architecture: 'amd64', ...ok });
    const arm = await b.image({ name: 'y', layers: [{ entries: [app] }], os: 'linux', architecture: 'arm64', ...ok });
    b.images.length = 0;
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { ...amd.manifest, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm.manifest, platform: { os: 'linux', architecture: 'arm64' } },
      ],
    };
    const desc = b.add(new TextEncoder().encode(JSON.stringify(index)));
    b.images.push({ name: 'bad/noplatform:1', manifest: { mediaType: index.mediaType, ...desc } });
  }));
  out.push(await single('non-wasm entrypoint', 'NotWasm', /\/app: exec format error: app is not a WebAssembly module/, (b) =>
    b.image({ name: 'bad/notwasm:1', layers: [{ entries: [{ name: 'app', body: '\x7fELF\x02\x01\x01', mode: 0o755 }] }], ...ok })));
  out.push(await single('diff_id mismatch', 'ImageDigestMismatch', /uncompresses to sha256:[0-9a-f]{64}, but the image config says its diff_id is/, (b) =>
    b.image({ name: 'bad/diffid:1', layers: [{ entries: [app] }], diffIds: ['sha256:' + 'a'.repeat(64)], ...ok })));
  out.push({ title: 'not an image at all', fileName: 'notes.txt', bytes: new TextEncoder().encode('just some text\n'), code: 'ManifestInvalid', message: /neither an image archive nor a WebAssembly module/ });
  out.push({ title: 'gzipped garbage', fileName: 'junk.tar.gz', bytes: gzipSync(new TextEncoder().encode('x'.repeat(4096))), code: 'ManifestInvalid', message: /neither an image archive nor a WebAssembly module/ });
  return out;
}
