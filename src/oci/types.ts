import { PodplayError } from '../shared/index.ts';
import { isDigest, type Digest } from './digest.ts';

/** Media types of the OCI image spec (and the Docker schema 2 ones podplay also reads). */
export const MediaType = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
  /** CNCF TAG Runtime "Wasm OCI Artifact": the config and the one-module layer. */
  wasmConfig: 'application/vnd.wasm.config.v0+json',
  wasmLayer: 'application/wasm',
} as const;

/** Media types of documents that list manifests rather than layers. */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.index || mediaType === MediaType.dockerManifestList;
}

export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
/** The full name (registry/repo:tag) docker save and containerd write next to ref.name. */
export const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name';
export const ANNOTATION_TITLE = 'org.opencontainers.image.title';

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

/** image-spec descriptor.md */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** image-spec image-index.md */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** image-spec manifest.md */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** image-spec config.md: the fields podplay runs by. */
export interface ImageConfig {
  created?: string;
  architecture: string;
  os: string;
  config?: {
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    User?: string;
    Labels?: Record<string, string>;
    ExposedPorts?: Record<string, Record<string, never>>;
    Volumes?: Record<string, Record<string, never>>;
    StopSignal?: string;
    /** Docker's extensions of the image config (image-spec leaves them to the runtime): BuildKit writes them. */
    Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
    OnBuild?: string[];
    Shell?: string[];
    ArgsEscaped?: boolean;
  };
  rootfs: { type: 'layers'; diff_ids: Digest[] };
  history?: Array<{ created?: string; created_by?: string; author?: string; comment?: string; empty_layer?: boolean }>;
}

function invalid(what: string, why: string): never {
  throw new PodplayError('ManifestInvalid', `${what} is not a valid OCI document: ${why}.`);
}

export function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    invalid(what, `it is not JSON (${(err as Error).message})`);
  }
}

function checkDescriptor(d: unknown, what: string): Descriptor {
  if (typeof d !== 'object' || d === null) invalid(what, 'a descriptor must be an object');
  const desc = d as Partial<Descriptor>;
  if (typeof desc.mediaType !== 'string') invalid(what, 'a descriptor has no mediaType');
  if (!isDigest(desc.digest)) invalid(what, `descriptor digest "${String(desc.digest)}" is not sha256:<64 hex>`);
  if (typeof desc.size !== 'number' || desc.size < 0 || !Number.isInteger(desc.size)) invalid(what, `descriptor ${desc.digest} has no valid size`);
  return desc as Descriptor;
}

export function parseIndex(bytes: Uint8Array, what = 'index.json'): ImageIndex {
  const v = parseJson(bytes, what) as Partial<ImageIndex>;
  if (v?.schemaVersion !== 2) invalid(what, 'schemaVersion must be 2');
  if (!Array.isArray(v.manifests)) invalid(what, 'it has no manifests array');
  v.manifests.forEach((m, i) => checkDescriptor(m, `${what} manifests[${i}]`));
  return v as ImageIndex;
}

export function parseManifest(bytes: Uint8Array, what = 'manifest'): ImageManifest {
  const v = parseJson(bytes, what) as Partial<ImageManifest>;
  if (v?.schemaVersion !== 2) invalid(what, 'schemaVersion must be 2');
  if (v.mediaType === MediaType.index || v.mediaType === MediaType.dockerManifestList) invalid(what, 'it is an image index, not a manifest');
  checkDescriptor(v.config, `${what} config`);
  if (!Array.isArray(v.layers)) invalid(what, 'it has no layers array');
  v.layers.forEach((l, i) => checkDescriptor(l, `${what} layers[${i}]`));
  return v as ImageManifest;
}

export function parseConfig(bytes: Uint8Array, what = 'image config'): ImageConfig {
  const v = parseJson(bytes, what) as Partial<ImageConfig>;
  if (typeof v?.os !== 'string' || typeof v.architecture !== 'string') invalid(what, 'it needs os and architecture');
  if (v.rootfs?.type !== 'layers' || !Array.isArray(v.rootfs.diff_ids)) invalid(what, 'rootfs must be {type: "layers", diff_ids: [...]}');
  v.rootfs.diff_ids.forEach((d, i) => isDigest(d) || invalid(what, `rootfs.diff_ids[${i}] "${String(d)}" is not sha256:<64 hex>`));
  return v as ImageConfig;
}

/** Where the module of a Wasm artifact's layer appears in the rootfs podplay builds for it. */
export function wasmModulePath(layer: Descriptor, index: number): string {
  const title = layer.annotations?.[ANNOTATION_TITLE];
  const name = title && /^[\w.-]+$/.test(title) ? title : index === 0 ? 'module.wasm' : `module-${index}.wasm`;
  return `/${name.endsWith('.wasm') ? name : `${name}.wasm`}`;
}

/**
 * The image config podplay runs by, for either config form: an OCI/Docker
 * image config as it is, or a Wasm artifact's config (os, architecture,
 * layerDigests) turned into one whose rootfs holds the modules and whose
 * entrypoint is the first of them. A Wasm layer is the module itself, so
 * its diff ID is its digest.
 */
export function imageConfigOf(manifest: ImageManifest, bytes: Uint8Array, what = 'image config'): ImageConfig {
  if (manifest.config.mediaType !== MediaType.wasmConfig) return parseConfig(bytes, what);
  const v = parseJson(bytes, what) as { os?: unknown; architecture?: unknown; created?: unknown };
  if (typeof v?.os !== 'string' || typeof v.architecture !== 'string') invalid(what, 'a Wasm artifact config needs os and architecture');
  const other = manifest.layers.find((l) => l.mediaType !== MediaType.wasmLayer);
  if (other) invalid(what, `a Wasm artifact's layers must all be ${MediaType.wasmLayer}, but one is ${other.mediaType}`);
  if (manifest.layers.length === 0) invalid(what, 'a Wasm artifact needs at least one application/wasm layer');
  return {
    created: typeof v.created === 'string' ? v.created : undefined,
    os: v.os,
    architecture: v.architecture,
    config: { Entrypoint: [wasmModulePath(manifest.layers[0]!, 0)] },
    rootfs: { type: 'layers', diff_ids: manifest.layers.map((l) => l.digest) },
  };
}

/** True for the platform podplay runs: wasip1/wasm (and the legacy wasi/wasm). */
export function isWasmPlatform(p: { os?: string; architecture?: string } | undefined): boolean {
  return p?.architecture === 'wasm' && (p.os === 'wasip1' || p.os === 'wasi');
}
