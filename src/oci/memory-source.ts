import { PodplayError, utf8 } from '../shared/index.ts';
import { sha256, verifyBlob, type Digest } from './digest.ts';
import type { DownloadProgress, ImageSource, SourceImage } from './source.ts';
import type { Descriptor } from './types.ts';

/**
 * Images held in memory: what a docker-save archive or a wrapped .wasm module
 * becomes once podplay has written the manifest the format lacks. Blobs are
 * still verified when handed out, like any other source's.
 */
export class MemorySource implements ImageSource {
  readonly where: string;
  readonly #images: SourceImage[];
  readonly #blobs: Map<string, Uint8Array>;

  constructor(where: string, images: SourceImage[], blobs: Map<string, Uint8Array>) {
    this.where = where;
    this.#images = images;
    this.#blobs = blobs;
  }

  async list(): Promise<SourceImage[]> {
    return this.#images;
  }

  async blob(desc: Pick<Descriptor, 'digest' | 'size'>, onProgress?: DownloadProgress, what = 'blob'): Promise<Uint8Array> {
    const bytes = this.#blobs.get(desc.digest);
    if (!bytes) throw new PodplayError('ManifestInvalid', `${what} ${desc.digest} is referenced but not present in ${this.where}: the archive is incomplete; save it again.`);
    onProgress?.(bytes.byteLength, bytes.byteLength);
    await verifyBlob(bytes, desc, what);
    return bytes;
  }
}

/** Collects blobs for a {@link MemorySource}, each under its own digest. */
export class BlobSet {
  readonly blobs = new Map<string, Uint8Array>();

  async add(mediaType: string, bytes: Uint8Array, annotations?: Record<string, string>): Promise<Descriptor> {
    const digest: Digest = await sha256(bytes);
    this.blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.byteLength, ...(annotations ? { annotations } : {}) };
  }

  /** Adds a JSON document, serialised the way podplay writes every document. */
  addJson(mediaType: string, doc: unknown): Promise<Descriptor> {
    return this.add(mediaType, utf8(JSON.stringify(doc)));
  }
}
