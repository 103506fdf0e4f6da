import type { KeyValueStore } from '../persistence/index.ts';
import { PodplayError, fromUtf8, utf8 } from '../shared/index.ts';
import { verifyBlob, type Digest } from './digest.ts';
import type { Descriptor } from './types.ts';

/** A tag or name a user pulled, and the manifest it points at. */
export interface ImageRef {
  ref: string;
  descriptor: Descriptor;
}

/**
 * Blobs by digest plus refs, containerd-style: a blob is verified (size and
 * sha256) before it is written, so the store never holds unverified bytes.
 */
export class ContentStore {
  constructor(
    readonly blobs: KeyValueStore,
    readonly meta: KeyValueStore,
  ) {}

  has(digest: Digest): Promise<boolean> {
    return this.blobs.has(digest);
  }

  async get(digest: Digest): Promise<Uint8Array> {
    const bytes = await this.blobs.get(digest);
    if (!bytes) throw new PodplayError('ImageNotFound', `blob ${digest} is not in the image store: pull the image again.`);
    return bytes;
  }

  /** Verifies `bytes` against `desc`, then commits them under the digest. */
  async ingest(desc: Pick<Descriptor, 'digest' | 'size'>, bytes: Uint8Array, what = 'blob'): Promise<void> {
    await verifyBlob(bytes, desc, what);
    if (!(await this.blobs.has(desc.digest))) await this.blobs.set(desc.digest, bytes);
  }

  async setRef(ref: string, descriptor: Descriptor): Promise<void> {
    await this.meta.set(`ref:${ref}`, utf8(JSON.stringify(descriptor)));
  }

  async getRef(ref: string): Promise<Descriptor | undefined> {
    const bytes = await this.meta.get(`ref:${ref}`);
    return bytes ? (JSON.parse(fromUtf8(bytes)) as Descriptor) : undefined;
  }

  async listRefs(): Promise<ImageRef[]> {
    const out: ImageRef[] = [];
    for (const key of await this.meta.keys()) {
      if (!key.startsWith('ref:')) continue;
      const descriptor = await this.getRef(key.slice(4));
      if (descriptor) out.push({ ref: key.slice(4), descriptor });
    }
    return out;
  }
}
