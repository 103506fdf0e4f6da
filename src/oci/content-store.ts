import { storeLock, type KeyValueStore, type StoreLock } from '../persistence/index.ts';
import { PodplayError, fromUtf8, utf8 } from '../shared/index.ts';
import { verifyBlob, wasVerified, type Digest } from './digest.ts';
import type { Descriptor } from './types.ts';

/** A tag or name a user pulled, and the manifest it points at. */
export interface ImageRef {
  ref: string;
  descriptor: Descriptor;
}

/** A blob checked against its descriptor and waiting to be committed. */
export interface StagedBlob {
  desc: Pick<Descriptor, 'digest' | 'size'>;
  bytes: Uint8Array;
}

const REF_PREFIX = 'ref:';
/** Build cache records (see build/cache.ts): roots for garbage collection until `docker builder prune` drops them. */
const CACHE_PREFIX = 'buildcache:';

/** One build step's result as the build cache keeps it: the image after the step, and when it was made and last used. */
export interface CacheRecord {
  /** The image after the step (its manifest; the layers and config it names stay stored). */
  manifest: Descriptor;
  /** What the step was, for `docker builder du`-like listings. */
  description: string;
  created: number;
  lastUsed: number;
}


/**
 * Blobs by digest plus refs, containerd-style: ingest → verify size and
 * digest → commit, so the store never shows unverified bytes; a commit writes
 * all of a pull's blobs or none. Refs (`name:tag` → manifest descriptor) are
 * written after their blobs. Commits hold the store's lock shared and
 * garbage collection holds it exclusive (see {@link StoreLock}).
 */
export class ContentStore {
  readonly #inflight = new Map<string, Promise<Uint8Array>>();

  constructor(
    readonly blobs: KeyValueStore,
    readonly meta: KeyValueStore,
    readonly lock: StoreLock = storeLock('podplay-store'),
  ) {}

  has(digest: Digest): Promise<boolean> {
    return this.blobs.has(digest);
  }

  async get(digest: Digest): Promise<Uint8Array> {
    const bytes = await this.blobs.get(digest);
    if (!bytes) throw new PodplayError('ImageNotFound', `blob ${digest} is not in the image store: pull the image again.`);
    return bytes;
  }

  /**
   * Runs `download` for `digest` unless a download of it is already in
   * flight here, in which case both callers share that one.
   */
  fetchOnce(digest: Digest, download: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const running = this.#inflight.get(digest);
    if (running) return running;
    const p = download().finally(() => this.#inflight.delete(digest));
    this.#inflight.set(digest, p);
    return p;
  }

  /**
   * Verifies every blob (bytes a source already verified are not hashed
   * again) and writes the ones the store lacks, in one all-or-nothing write.
   * Returns the digests it wrote. Until a ref names them they are invisible
   * to users and a sweep may take them: commit again under {@link lock},
   * shared, right before writing the ref.
   */
  async commit(staged: readonly StagedBlob[]): Promise<Digest[]> {
    const unique = new Map<string, StagedBlob>();
    for (const blob of staged) {
      if (!wasVerified(blob.bytes, blob.desc.digest)) await verifyBlob(blob.bytes, blob.desc);
      unique.set(blob.desc.digest, blob);
    }
    const there = await Promise.all([...unique.keys()].map((d) => this.blobs.has(d)));
    const fresh: Array<[string, Uint8Array]> = [...unique.values()].filter((_, i) => !there[i]).map((b) => [b.desc.digest, b.bytes]);
    try {
      await this.blobs.setMany(fresh);
    } catch (err) {
      throw storageError(err, fresh.reduce((n, [, b]) => n + b.byteLength, 0));
    }
    return fresh.map(([d]) => d as Digest);
  }

  async setRef(ref: string, descriptor: Descriptor): Promise<void> {
    try {
      await this.meta.set(REF_PREFIX + ref, utf8(JSON.stringify(descriptor)));
    } catch (err) {
      throw storageError(err, 0);
    }
  }

  async getRef(ref: string): Promise<Descriptor | undefined> {
    const bytes = await this.meta.get(REF_PREFIX + ref);
    return bytes ? (JSON.parse(fromUtf8(bytes)) as Descriptor) : undefined;
  }

  async deleteRef(ref: string): Promise<void> {
    await this.meta.delete(REF_PREFIX + ref);
  }

  async getCache(key: string): Promise<CacheRecord | undefined> {
    const bytes = await this.meta.get(CACHE_PREFIX + key);
    return bytes ? (JSON.parse(fromUtf8(bytes)) as CacheRecord) : undefined;
  }

  async setCache(key: string, record: CacheRecord): Promise<void> {
    try {
      await this.meta.set(CACHE_PREFIX + key, utf8(JSON.stringify(record)));
    } catch (err) {
      throw storageError(err, 0);
    }
  }

  /** Every build cache record, by key. */
  async listCache(): Promise<Array<{ key: string; record: CacheRecord }>> {
    const out: Array<{ key: string; record: CacheRecord }> = [];
    for (const key of await this.meta.keys()) {
      if (!key.startsWith(CACHE_PREFIX)) continue;
      const record = await this.getCache(key.slice(CACHE_PREFIX.length));
      if (record) out.push({ key: key.slice(CACHE_PREFIX.length), record });
    }
    return out;
  }

  async deleteCache(key: string): Promise<void> {
    await this.meta.delete(CACHE_PREFIX + key);
  }

  async listRefs(): Promise<ImageRef[]> {
    const out: ImageRef[] = [];
    for (const key of await this.meta.keys()) {
      if (!key.startsWith(REF_PREFIX)) continue;
      const descriptor = await this.getRef(key.slice(REF_PREFIX.length));
      if (descriptor) out.push({ ref: key.slice(REF_PREFIX.length), descriptor });
    }
    return out;
  }
}

/** True for the error a browser gives when an origin's storage quota is used up. */
export function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; code?: unknown; message?: string } | undefined;
  return e?.name === 'QuotaExceededError' || e?.code === 'ENOSPC' || e?.code === 'QuotaExceeded' || /quota/i.test(e?.message ?? '');
}

function storageError(err: unknown, bytes: number): unknown {
  if (!isQuotaError(err)) return err;
  return new PodplayError(
    'QuotaExceeded',
    `the image store is full: storing ${bytes} more bytes exceeded this site's storage quota. Nothing of this pull was kept; remove images you do not need (rmi) and try again, or allow the site more storage.`,
    { cause: err },
  );
}
