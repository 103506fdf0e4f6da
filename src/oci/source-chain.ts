import type { Descriptor } from './types.ts';
import type { DownloadProgress, ImageSource, SourceImage } from './source.ts';

/**
 * Several sources searched in order, as one: a name is served by the first
 * source that lists it (a site's own image layout before podplay's bundled
 * one), and that image's blobs come from that source.
 */
export class SourceChain implements ImageSource {
  readonly where: string;
  readonly #sources: readonly ImageSource[];
  /** Which source listed each manifest or index; blobs under it come from the same one. */
  readonly #owner = new Map<string, ImageSource>();

  constructor(sources: readonly ImageSource[]) {
    this.#sources = sources;
    this.where = sources.map((s) => s.where).join(' and ');
  }

  async list(): Promise<SourceImage[]> {
    const out: SourceImage[] = [];
    const names = new Set<string>();
    for (const source of this.#sources) {
      for (const image of await source.list()) {
        if (image.name !== undefined && names.has(image.name)) continue;
        if (image.name !== undefined) names.add(image.name);
        this.#owner.set(image.descriptor.digest, source);
        out.push(image);
      }
    }
    return out;
  }

  async blob(desc: Pick<Descriptor, 'digest' | 'size' | 'mediaType'>, onProgress?: DownloadProgress, what?: string): Promise<Uint8Array> {
    const owner = this.#owner.get(desc.digest);
    if (owner) return owner.blob(desc, onProgress, what);
    // A config or layer: from the first source that has it (in practice the one that listed its image).
    let first: unknown;
    for (const source of this.#sources) {
      try {
        const bytes = await source.blob(desc, onProgress, what);
        this.#owner.set(desc.digest, source);
        return bytes;
      } catch (err) {
        first ??= err;
      }
    }
    throw first;
  }
}
