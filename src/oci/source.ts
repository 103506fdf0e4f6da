import { PodplayError } from '../shared/index.ts';
import { normalizeRef } from './reference.ts';
import { ANNOTATION_IMAGE_NAME, ANNOTATION_REF_NAME, isIndexMediaType, isWasmPlatform, parseIndex, type Descriptor } from './types.ts';

/** Bytes received so far of one blob. */
export type DownloadProgress = (received: number, total: number) => void;

export type FetchFn = (url: string, init?: RequestInit) => Promise<Response>;

/** One image a source names: its name (when it has one) and its manifest or index. */
export interface SourceImage {
  name?: string;
  descriptor: Descriptor;
}

/**
 * Where images come from: an image layout at a URL, an archive (OCI layout
 * tar, docker save), a wrapped .wasm module, or a registry. A source hands
 * out blobs only after checking their size and digest.
 */
export interface ImageSource {
  /** The source as a user named it (a URL, a file name, a registry ref), for messages. */
  readonly where: string;
  /** The images the source names, in its order. */
  list(): Promise<SourceImage[]>;
  /** One blob, verified against `desc` before it is returned. */
  blob(desc: Pick<Descriptor, 'digest' | 'size' | 'mediaType'>, onProgress?: DownloadProgress, what?: string): Promise<Uint8Array>;
}

/**
 * The name an index entry gives its image: containerd's full name when it is
 * there, else ref.name; a bare tag ("latest", as skopeo and docker save
 * write) is joined to `repository` when one is known.
 */
export function entryName(desc: Descriptor, repository?: string): string | undefined {
  const full = desc.annotations?.[ANNOTATION_IMAGE_NAME];
  if (full) return normalizeRef(full);
  const name = desc.annotations?.[ANNOTATION_REF_NAME];
  if (!name) return undefined;
  if (/^[\w][\w.-]{0,127}$/.test(name) && !name.includes('/')) return repository ? `${repository}:${name}` : undefined;
  return normalizeRef(name);
}

/**
 * Picks the image `ref` names among `images` (the only one when `ref` is not
 * given): an exact name first, then a bare tag match.
 */
export function findImage(images: SourceImage[], ref: string | undefined, where: string): SourceImage {
  if (ref === undefined) {
    if (images.length === 1) return images[0]!;
    throw new PodplayError(
      'ImageNotFound',
      images.length === 0 ? `${where} holds no image.` : `${where} holds ${images.length} images (${images.map((i) => i.name ?? i.descriptor.digest).join(', ')}): name the one to use.`,
    );
  }
  const want = normalizeRef(ref);
  const exact = images.find((i) => i.name === want);
  if (exact) return exact;
  // An index that names images by bare tag (umoci, skopeo's oci:dir:tag) matches the ref as typed, or its tag.
  const tag = want.slice(want.lastIndexOf(':') + 1);
  const asTyped = images.filter((i) => i.descriptor.annotations?.[ANNOTATION_REF_NAME] === ref.trim());
  const byTag = asTyped.length > 0 ? asTyped : images.filter((i) => i.descriptor.annotations?.[ANNOTATION_REF_NAME] === tag);
  if (byTag.length === 1) return { ...byTag[0]!, name: want };
  const names = images.map((i) => i.name ?? i.descriptor.annotations?.[ANNOTATION_REF_NAME]).filter(Boolean);
  throw new PodplayError('ImageNotFound', `${ref} is not in ${where}; it has: ${names.join(', ') || 'no named images'}.`);
}

/**
 * The manifest to run for `desc`: the descriptor itself when it is a
 * manifest, or the wasip1/wasm entry of an image index (legacy wasi/wasm is
 * accepted). An index without one is a typed error naming what it has.
 */
export async function selectManifest(source: ImageSource, desc: Descriptor, name: string, depth = 0): Promise<Descriptor> {
  if (!isIndexMediaType(desc.mediaType)) return desc;
  if (depth > 4) throw new PodplayError('ManifestInvalid', `${name}: image indexes nest more than 4 deep in ${source.where}.`);
  const index = parseIndex(await source.blob(desc, undefined, 'image index'), `image index ${desc.digest}`);
  const found = index.manifests.find((m) => isWasmPlatform(m.platform)) ?? index.manifests.find((m) => isIndexMediaType(m.mediaType) && !m.platform);
  if (found) return selectManifest(source, found, name, depth + 1);
  const platforms = index.manifests.map((m) => (m.platform ? `${m.platform.os}/${m.platform.architecture}` : 'unknown')).join(', ');
  throw new PodplayError(
    'PlatformNotFound',
    `${name} has no wasip1/wasm image (it has ${platforms || 'none'}): podplay runs WebAssembly images built with GOOS=wasip1 GOARCH=wasm.`,
  );
}
