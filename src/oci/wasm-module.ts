import { packTar } from 'modern-tar';
import { PodplayError } from '../shared/index.ts';
import { gzip } from './compression.ts';
import { sha256 } from './digest.ts';
import { BlobSet, MemorySource } from './memory-source.ts';
import { MediaType } from './types.ts';

/** A fixed time for every wrapped module, so wrapping the same bytes twice gives the same image. */
const WRAP_TIME = new Date('2026-01-01T00:00:00Z');

/**
 * Wraps a raw WebAssembly module into a one-layer image: the module at
 * /<name>.wasm (mode 0755), and a config for wasip1/wasm whose entrypoint
 * is that file. The image is named after the file ("hello.wasm" →
 * "hello:latest").
 */
export async function wrapWasmModule(module: Uint8Array, fileName: string): Promise<MemorySource> {
  if (!WebAssembly.validate(module as Uint8Array<ArrayBuffer>)) {
    throw new PodplayError('NotWasm', `${fileName} starts like a WebAssembly module but does not validate: it is truncated or corrupt; build it again (GOOS=wasip1 GOARCH=wasm go build).`);
  }
  const base = fileName.split(/[\\/]/).pop()!.replace(/\.wasm$/i, '');
  const name = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'module';
  const path = `${name}.wasm`;
  const tar = await packTar([{ header: { name: path, type: 'file', size: module.byteLength, mode: 0o755, mtime: WRAP_TIME, uid: 0, gid: 0 }, body: module }]);
  const set = new BlobSet();
  const layer = await set.add(MediaType.layerGzip, await gzip(tar));
  const config = await set.addJson(MediaType.config, {
    created: WRAP_TIME.toISOString(),
    architecture: 'wasm',
    os: 'wasip1',
    config: { Entrypoint: [`/${path}`], Env: ['PATH=/'] },
    rootfs: { type: 'layers', diff_ids: [await sha256(tar)] },
    history: [{ created: WRAP_TIME.toISOString(), created_by: `podplay: wrapped ${base}.wasm` }],
  });
  const descriptor = await set.addJson(MediaType.manifest, { schemaVersion: 2, mediaType: MediaType.manifest, config, layers: [layer] });
  return new MemorySource(fileName, [{ name: `${name}:latest`, descriptor }], set.blobs);
}
