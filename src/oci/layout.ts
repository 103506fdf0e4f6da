import { PodplayError, concatBytes } from '../shared/index.ts';
import { verifyBlob } from './digest.ts';
import { entryName, type DownloadProgress, type FetchFn, type ImageSource, type SourceImage } from './source.ts';
import { parseIndex, parseJson, type Descriptor } from './types.ts';

/** Reads one file of a layout by its path inside the layout ("index.json", "blobs/sha256/…"). */
export type LayoutFiles = (file: string, onProgress?: DownloadProgress, expectedSize?: number) => Promise<Uint8Array>;

/**
 * An OCI image layout (image-spec image-layout.md): `oci-layout`,
 * `index.json` and `blobs/<alg>/<hex>`, read through `files`, wherever they
 * are (a URL, an archive). Every blob is verified before it is handed out.
 */
export class LayoutSource implements ImageSource {
  readonly where: string;
  readonly #files: LayoutFiles;
  /** Joined to a bare tag in index.json ("latest") to name its image. */
  readonly #repository: string | undefined;

  constructor(where: string, files: LayoutFiles, repository?: string) {
    this.where = where;
    this.#files = files;
    this.#repository = repository;
  }

  /** A layout served over HTTP under `baseUrl`. */
  static fromUrl(baseUrl: string, fetchFn: FetchFn = (u) => fetch(u), repository?: string): LayoutSource {
    const base = baseUrl.replace(/\/+$/, '');
    return new LayoutSource(base, (file, onProgress, expected) => fetchLayoutFile(base, file, fetchFn, onProgress, expected), repository);
  }

  async list(): Promise<SourceImage[]> {
    const layout = parseJson(await this.#files('oci-layout'), `${this.where} oci-layout`) as { imageLayoutVersion?: string };
    if (typeof layout?.imageLayoutVersion !== 'string') {
      throw new PodplayError('ManifestInvalid', `${this.where}: oci-layout has no imageLayoutVersion, so this is not an OCI image layout.`);
    }
    const index = parseIndex(await this.#files('index.json'), `${this.where} index.json`);
    return index.manifests.map((descriptor) => ({ name: entryName(descriptor, this.#repository), descriptor }));
  }

  async blob(desc: Pick<Descriptor, 'digest' | 'size'>, onProgress?: DownloadProgress, what = 'blob'): Promise<Uint8Array> {
    const [alg, hex] = desc.digest.split(':');
    if (alg !== 'sha256' || !hex || !/^[a-f0-9]{64}$/.test(hex)) {
      throw new PodplayError('ManifestInvalid', `${what} has an invalid digest "${desc.digest}": podplay accepts sha256:<64 lowercase hex> digests.`);
    }
    const bytes = await this.#files(`blobs/${alg}/${hex}`, onProgress, desc.size);
    await verifyBlob(bytes, desc, what);
    return bytes;
  }
}

/** Most bytes a document without a descriptor (index.json, a manifest by tag) may have: docker's manifest cap. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/**
 * Reads a response body, reporting bytes as they arrive, and stops as soon
 * as it is longer than `expected` (or than {@link MAX_DOCUMENT_BYTES} when no
 * size is known), so a server that streams without end cannot fill memory.
 */
export async function readBody(res: Response, onProgress?: DownloadProgress, expected?: number, what = 'response'): Promise<Uint8Array> {
  const limit = expected ?? MAX_DOCUMENT_BYTES;
  const total = expected ?? Number(res.headers.get('content-length') ?? 0);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw new PodplayError(
        expected === undefined ? 'ManifestInvalid' : 'ImageSizeMismatch',
        expected === undefined
          ? `${what} is larger than ${limit} bytes, more than any image document should be: the server is not serving an image.`
          : `${what} is longer than the ${expected} bytes its descriptor says: the image is corrupt or was changed after it was pushed. Nothing was stored.`,
      );
    }
    chunks.push(value);
    onProgress?.(received, total);
  }
  return concatBytes(chunks);
}

async function fetchLayoutFile(base: string, file: string, fetchFn: FetchFn, onProgress?: DownloadProgress, expected?: number): Promise<Uint8Array> {
  const url = `${base}/${file}`;
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (err) {
    throw new PodplayError('LayoutNotFound', `could not fetch ${url} (${(err as Error).message}): is the layout served from this origin, or does its server allow this origin (CORS)?`);
  }
  if (!res.ok) {
    throw new PodplayError(
      'LayoutNotFound',
      `the OCI image layout at ${base} is missing ${file} (HTTP ${res.status} for ${url}): ` +
        (file === 'oci-layout' || file === 'index.json' ? 'is that URL the layout directory?' : 'the layout is incomplete; re-pack or re-copy it.'),
    );
  }
  return readBody(res, onProgress, expected, url);
}
