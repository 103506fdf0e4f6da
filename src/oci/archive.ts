import { unpackTar } from 'modern-tar';
import { PodplayError, fromUtf8 } from '../shared/index.ts';
import { components, dirname, join } from '../vfs/index.ts';
import { DEFAULT_MAX_EXPANDED_BYTES, decompress, sniff } from './compression.ts';
import { LayoutSource } from './layout.ts';
import { BlobSet, MemorySource } from './memory-source.ts';
import { normalizeRef } from './reference.ts';
import type { ImageSource, SourceImage } from './source.ts';
import { MediaType, parseConfig } from './types.ts';
import { wrapWasmModule } from './wasm-module.ts';

/** The files of an archive by their normalised path ("blobs/sha256/…", "manifest.json"). */
type ArchiveFiles = Map<string, Uint8Array>;

/**
 * Opens bytes a user handed over (a file picked or dropped, a URL fetched)
 * as an image source, by what they are: an OCI layout tar (skopeo's
 * oci-archive, docker save since Engine 25), a legacy `docker save` tar
 * (manifest.json + layer tars), either of them gzipped, or a raw .wasm
 * module (wrapped into a one-layer image). Anything else is a typed error
 * that says what podplay accepts.
 */
export async function openImageBytes(bytes: Uint8Array, fileName: string, maxExpandedBytes = DEFAULT_MAX_EXPANDED_BYTES): Promise<ImageSource> {
  let kind = sniff(bytes);
  let data = bytes;
  if (kind === 'gzip') {
    data = await decompress(bytes, 'gzip', maxExpandedBytes, fileName);
    kind = sniff(data);
  }
  if (kind === 'wasm') return wrapWasmModule(data, fileName);
  if (kind !== 'tar') {
    throw new PodplayError(
      'ManifestInvalid',
      `${fileName} is neither an image archive nor a WebAssembly module: podplay loads OCI layout tars (skopeo copy … oci-archive:, docker save), legacy docker save tars, and .wasm files.`,
    );
  }
  return openArchive(await readArchive(data, fileName), fileName);
}

async function readArchive(tar: Uint8Array, fileName: string): Promise<ArchiveFiles> {
  let entries;
  try {
    entries = await unpackTar(tar, { strict: true });
  } catch (err) {
    throw new PodplayError('ManifestInvalid', `${fileName} is not a readable tar archive (${(err as Error).message}): it is truncated or corrupt; save it again.`, { cause: err });
  }
  const files: ArchiveFiles = new Map();
  const links = new Map<string, string>();
  for (const { header, data } of entries) {
    const path = components(header.name).join('/');
    if (header.type === 'symlink' && header.linkname) links.set(path, join('/' + dirname('/' + path), header.linkname).slice(1));
    else if (header.type === 'link' && header.linkname) links.set(path, components(header.linkname).join('/'));
    else if (data && (header.type ?? 'file') === 'file') files.set(path, data);
  }
  // docker save writes a repeated layer once and links the others to it.
  for (const [path, target] of links) {
    const bytes = files.get(target);
    if (bytes) files.set(path, bytes);
  }
  return files;
}

async function openArchive(files: ArchiveFiles, fileName: string): Promise<ImageSource> {
  if (files.has('oci-layout') && files.has('index.json')) {
    const repository = files.has('manifest.json') ? undefined : repositoryFromFileName(fileName);
    return new LayoutSource(fileName, async (file) => {
      const bytes = files.get(file);
      if (!bytes) throw new PodplayError('LayoutNotFound', `${fileName} is missing ${file}: the archive is incomplete; save it again.`);
      return bytes;
    }, repository);
  }
  const manifestJson = files.get('manifest.json');
  if (manifestJson) return openDockerArchive(files, manifestJson, fileName);
  throw new PodplayError(
    'ManifestInvalid',
    `${fileName} is a tar archive, but neither an OCI image layout (no oci-layout and index.json) nor a docker save archive (no manifest.json).`,
  );
}

/** "hello" of "hello.tar", "hello-oci.tar.gz": the name an archive's bare-tag images are filed under. */
function repositoryFromFileName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop()!.replace(/\.(tar\.gz|tgz|tar|wasm)$/i, '').toLowerCase();
  return /^[a-z0-9][a-z0-9._/-]*$/.test(base) ? base : undefined;
}

interface DockerManifestEntry {
  Config?: unknown;
  RepoTags?: unknown;
  Layers?: unknown;
}

/**
 * A legacy `docker save` archive: manifest.json lists each image's config
 * file and layer tars. podplay writes the OCI manifest the format lacks; the
 * config bytes are kept as they are, so the image ID stays docker's.
 */
async function openDockerArchive(files: ArchiveFiles, manifestJson: Uint8Array, fileName: string): Promise<ImageSource> {
  let list: DockerManifestEntry[];
  try {
    list = JSON.parse(fromUtf8(manifestJson));
  } catch (err) {
    throw new PodplayError('ManifestInvalid', `${fileName}: manifest.json is not JSON (${(err as Error).message}).`);
  }
  if (!Array.isArray(list)) throw new PodplayError('ManifestInvalid', `${fileName}: manifest.json must be a list of images.`);
  const need = (path: unknown, what: string): Uint8Array => {
    const bytes = typeof path === 'string' ? files.get(components(path).join('/')) : undefined;
    if (!bytes) throw new PodplayError('ManifestInvalid', `${fileName}: manifest.json names ${what} "${String(path)}", which the archive does not hold; save it again.`);
    return bytes;
  };
  const set = new BlobSet();
  const images: SourceImage[] = [];
  for (const [i, entry] of list.entries()) {
    if (!Array.isArray(entry?.Layers)) throw new PodplayError('ManifestInvalid', `${fileName}: manifest.json image ${i} has no Layers list.`);
    const configBytes = need(entry.Config, 'config');
    parseConfig(configBytes, `${fileName} config ${String(entry.Config)}`);
    const config = await set.add(MediaType.config, configBytes);
    const layers = [];
    for (const path of entry.Layers) {
      const bytes = need(path, 'layer');
      const kind = sniff(bytes);
      layers.push(await set.add(kind === 'gzip' ? MediaType.layerGzip : kind === 'zstd' ? MediaType.layerZstd : MediaType.layerTar, bytes));
    }
    const descriptor = await set.addJson(MediaType.manifest, { schemaVersion: 2, mediaType: MediaType.manifest, config, layers });
    const tags = Array.isArray(entry.RepoTags) ? entry.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    if (tags.length === 0) images.push({ descriptor });
    for (const tag of tags) images.push({ name: normalizeRef(tag), descriptor });
  }
  return new MemorySource(fileName, images, set.blobs);
}
