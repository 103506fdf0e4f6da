import { packTar, type TarEntry } from 'modern-tar';
import { utf8 } from '../shared/index.ts';
import type { ContentStore } from './content-store.ts';
import { loadImage } from './images.ts';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, MediaType, type Descriptor } from './types.ts';

/** Archive entries carry a fixed time, so exporting the same images twice gives the same bytes. */
const EXPORT_TIME = new Date('2026-01-01T00:00:00Z');

/**
 * `docker save` for podplay: the named images as an OCI image layout in one
 * tar (image-spec image-layout.md), the form `skopeo copy oci-archive:…`,
 * `docker load` and podplay itself read. Each index entry carries its name
 * in org.opencontainers.image.ref.name and io.containerd.image.name. As
 * docker save has since Docker 25, the tar is also a docker-archive: a
 * `manifest.json` names each image's config and layer blobs and its tags
 * (what `skopeo inspect docker-archive:…` and older `docker load` read).
 */
export async function exportImages(store: ContentStore, refs: readonly string[]): Promise<Uint8Array> {
  const manifests: Descriptor[] = [];
  const dockerManifest: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
  const blobs = new Map<string, Uint8Array>();
  const path = (d: Descriptor) => `blobs/sha256/${d.digest.slice('sha256:'.length)}`;
  for (const ref of refs) {
    const image = await loadImage(store, ref);
    const { platform: _platform, annotations: _annotations, ...plain } = image.descriptor;
    manifests.push({ ...plain, annotations: { [ANNOTATION_IMAGE_NAME]: image.ref, [ANNOTATION_REF_NAME]: image.ref } });
    for (const d of [image.descriptor, image.manifest.config, ...image.manifest.layers]) {
      if (!blobs.has(d.digest)) blobs.set(d.digest, await store.get(d.digest));
    }
    // A Wasm artifact has no filesystem layers a docker-archive reader could use: it is in the OCI index only.
    if (image.manifest.config.mediaType !== MediaType.wasmConfig) {
      const tags = image.ref.includes('@') ? [] : [image.ref];
      const same = dockerManifest.find((m) => m.Config === path(image.manifest.config));
      if (same) same.RepoTags.push(...tags);
      else dockerManifest.push({ Config: path(image.manifest.config), RepoTags: tags, Layers: image.manifest.layers.map(path) });
    }
  }
  const file = (name: string, body: Uint8Array): TarEntry => ({ header: { name, type: 'file', size: body.byteLength, mode: 0o644, mtime: EXPORT_TIME }, body });
  const dir = (name: string): TarEntry => ({ header: { name, type: 'directory', size: 0, mode: 0o755, mtime: EXPORT_TIME } });
  const entries: TarEntry[] = [
    file('oci-layout', utf8(JSON.stringify({ imageLayoutVersion: '1.0.0' }))),
    file('index.json', utf8(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.index, manifests }))),
    file('manifest.json', utf8(JSON.stringify(dockerManifest))),
    dir('blobs/'),
    dir('blobs/sha256/'),
    ...[...blobs].sort(([a], [b]) => (a < b ? -1 : 1)).map(([digest, bytes]) => file(path({ digest } as Descriptor), bytes)),
  ];
  return packTar(entries);
}
