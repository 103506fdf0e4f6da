import { PodplayError, concatBytes } from '../shared/index.ts';
import { verifyBlob } from './digest.ts';
import { normalizeRef } from './reference.ts';
import { ANNOTATION_REF_NAME, MediaType, isWasmPlatform, parseIndex, parseJson, type Descriptor, type ImageIndex } from './types.ts';

export type FetchFn = (url: string) => Promise<Response>;

/** Bytes received so far of one blob. */
export type DownloadProgress = (received: number, total: number) => void;

/**
 * An OCI image layout served over HTTP (image-spec image-layout.md):
 * `oci-layout`, `index.json` and `blobs/<alg>/<hex>` under one base URL.
 * Every blob is verified before it is handed out.
 */
export class LayoutSource {
  readonly baseUrl: string;
  readonly #fetch: FetchFn;

  constructor(baseUrl: string, fetchFn: FetchFn = (u) => fetch(u)) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#fetch = fetchFn;
  }

  async #get(file: string, onProgress?: DownloadProgress, expected?: number): Promise<Uint8Array> {
    const url = `${this.baseUrl}/${file}`;
    let res: Response;
    try {
      res = await this.#fetch(url);
    } catch (err) {
      throw new PodplayError('LayoutNotFound', `could not fetch ${url} (${(err as Error).message}): is the layout served from this origin?`);
    }
    if (!res.ok) {
      throw new PodplayError(
        'LayoutNotFound',
        `the OCI image layout at ${this.baseUrl} is missing ${file} (HTTP ${res.status} for ${url}): ` +
          (file === 'oci-layout' || file === 'index.json' ? 'is that URL the layout directory?' : 'the layout is incomplete; re-pack or re-copy it.'),
      );
    }
    const total = expected ?? Number(res.headers.get('content-length') ?? 0);
    if (!res.body || !onProgress) return new Uint8Array(await res.arrayBuffer());
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress(received, total);
    }
    return concatBytes(chunks);
  }

  /** Reads and checks `oci-layout`, then `index.json`. */
  async index(): Promise<ImageIndex> {
    const layout = parseJson(await this.#get('oci-layout'), 'oci-layout') as { imageLayoutVersion?: string };
    if (typeof layout?.imageLayoutVersion !== 'string') {
      throw new PodplayError('ManifestInvalid', `${this.baseUrl}/oci-layout has no imageLayoutVersion: this is not an OCI image layout.`);
    }
    return parseIndex(await this.#get('index.json'), `${this.baseUrl}/index.json`);
  }

  /** Fetches one blob and verifies its size and digest before returning it. */
  async blob(desc: Pick<Descriptor, 'digest' | 'size'>, onProgress?: DownloadProgress, what = 'blob'): Promise<Uint8Array> {
    const [alg, hex] = desc.digest.split(':');
    const bytes = await this.#get(`blobs/${alg}/${hex}`, onProgress, desc.size);
    await verifyBlob(bytes, desc, what);
    return bytes;
  }

  /**
   * The manifest descriptor for `ref`: the index entry whose
   * org.opencontainers.image.ref.name is the ref (or just its tag), with a
   * nested index resolved to its wasip1/wasm manifest.
   */
  async resolve(ref: string, index?: ImageIndex): Promise<Descriptor> {
    const idx = index ?? (await this.index());
    const want = normalizeRef(ref);
    const tag = want.slice(want.lastIndexOf(':') + 1);
    const named = idx.manifests.filter((m) => {
      const name = m.annotations?.[ANNOTATION_REF_NAME];
      return name !== undefined && (normalizeRef(name) === want || name === tag);
    });
    const exact = named.filter((m) => normalizeRef(m.annotations![ANNOTATION_REF_NAME]!) === want);
    const candidates = exact.length > 0 ? exact : named;
    if (candidates.length === 0) {
      const names = idx.manifests.map((m) => m.annotations?.[ANNOTATION_REF_NAME]).filter(Boolean);
      throw new PodplayError('ImageNotFound', `${ref} is not in the layout at ${this.baseUrl}; it has: ${names.join(', ') || 'no named images'}.`);
    }
    return this.#choosePlatform(candidates, ref);
  }

  async #choosePlatform(candidates: Descriptor[], ref: string): Promise<Descriptor> {
    for (const d of candidates) {
      if (d.mediaType === MediaType.index || d.mediaType === MediaType.dockerManifestList) {
        const nested = parseIndex(await this.blob(d, undefined, 'image index'), `image index ${d.digest}`);
        const found = nested.manifests.find((m) => isWasmPlatform(m.platform));
        if (found) return found;
        const platforms = nested.manifests.map((m) => (m.platform ? `${m.platform.os}/${m.platform.architecture}` : 'unknown')).join(', ');
        throw new PodplayError('PlatformNotFound', `${ref} has no wasip1/wasm image (it has ${platforms || 'none'}): podplay runs WebAssembly images built with GOOS=wasip1 GOARCH=wasm.`);
      }
    }
    return candidates.find((d) => !d.platform || isWasmPlatform(d.platform)) ?? candidates[0]!;
  }
}
