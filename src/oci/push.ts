/**
 * `docker push`: an image the content store holds, to a registry, through
 * the OCI Distribution API (distribution-spec spec.md "Push"): each blob is
 * checked for (HEAD), mounted from another repository of the registry when
 * it is known to be there, or uploaded (one PUT, or PATCH chunks and a
 * closing PUT); then the manifest is PUT under its tag. Progress is told in
 * docker push's words.
 */
import { PodplayError, fromUtf8, utf8 } from '../shared/index.ts';
import type { ContentStore } from './content-store.ts';
import { shortId, type Digest } from './digest.ts';
import { normalizeRef, repositoryOf } from './reference.ts';
import { RegistryAuth, registryErrorText, registryOrigin, type RegistryCredentials } from './registry-auth.ts';
import { parseRegistryRef, type RegistryRef } from './registry.ts';
import type { FetchFn } from './source.ts';
import { MediaType, parseJson, parseManifest, type Descriptor } from './types.ts';

/** One line of push progress, in `docker push`'s words. */
export type PushEvent =
  | { kind: 'image'; status: 'The push refers to repository'; repository: string }
  | { kind: 'image'; status: 'digest'; tag: string; digest: Digest; size: number }
  | { kind: 'layer'; id: string; status: 'Preparing' | 'Layer already exists' | 'Pushed' }
  | { kind: 'layer'; id: string; status: 'Pushing'; current: number; total: number }
  | { kind: 'layer'; id: string; status: 'Mounted from'; from: string };

/** A push event as docker prints it on a pipe (`1a2b3c4d5e6f: Pushed`, `v1: digest: sha256:… size: 528`). */
export function formatPushEvent(e: PushEvent): string {
  if (e.kind === 'image') return e.status === 'digest' ? `${e.tag}: digest: ${e.digest} size: ${e.size}` : `The push refers to repository [${e.repository}]`;
  if (e.status === 'Mounted from') return `${e.id}: Mounted from ${e.from}`;
  return `${e.id}: ${e.status}`;
}

/** Blobs up to this size go up in one PUT; bigger ones in PATCH chunks of this size. */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

export interface PushOptions {
  onEvent?: (e: PushEvent) => void;
  fetch?: FetchFn;
  /** What `docker login` stored for the registry; anonymous without. */
  credentials?: RegistryCredentials;
  /** See {@link DEFAULT_CHUNK_SIZE}. */
  chunkSize?: number;
  /**
   * A registry that takes no pushes (podplay's Docker Hub, its bundled
   * layout): the push stops with this error after the Preparing lines, as
   * docker's does when a registry denies it.
   */
  refuse?: string;
}

export interface PushedImage {
  /** The name pushed (`localhost:5000/app:1`). */
  ref: string;
  /** The manifest's digest and size, as the registry now serves it. */
  digest: Digest;
  size: number;
}

/**
 * Where blobs are known to be on registries (`registry/repository`, newest
 * first), by digest: what a push mounts from. Written by pushes; stored
 * refs that name a registry count too (they were pulled from it, or pushed).
 */
const SOURCE_PREFIX = 'blobsource:';
const MAX_SOURCES = 8;
/** docker's maxMountAttempts. */
const MAX_MOUNT_ATTEMPTS = 3;

/** The repository a push refers to, fully qualified as docker prints it (`docker.io/library/x`, `localhost:5000/app`). */
function qualified(ref: RegistryRef): string {
  return `${ref.registry}/${ref.repository}`;
}

/**
 * Pushes the image `ref` names from `store` to the registry its name
 * starts with. An image with no such tag fails in the daemon's words
 * (`An image does not exist locally with the tag: …`), a registry's
 * refusal in the registry's (`unauthorized: authentication required`), a
 * registry out of reach (or, in a browser, refusing this origin) with
 * `CorsRefused`, saying what to allow.
 */
export async function pushImage(store: ContentStore, ref: string, options: PushOptions = {}): Promise<PushedImage> {
  const onEvent = options.onEvent ?? (() => {});
  const name = normalizeRef(ref);
  const target = parseRegistryRef(name);
  if (target.reference.startsWith('sha256:')) throw new PodplayError('RegistryError', 'cannot push a digest reference');
  onEvent({ kind: 'image', status: 'The push refers to repository', repository: qualified(target) });
  const descriptor = await store.getRef(name);
  if (!descriptor) {
    const repo = repositoryOf(name);
    const tagged = (await store.listRefs()).some((r) => repositoryOf(r.ref) === repo);
    throw new PodplayError('ImageNotFound', tagged ? `tag does not exist: ${name}` : `An image does not exist locally with the tag: ${repo}`);
  }
  const manifestBytes = await store.get(descriptor.digest);
  const manifest = parseManifest(manifestBytes, `manifest ${descriptor.digest}`);
  const mediaType = (parseJson(manifestBytes, 'manifest') as { mediaType?: string }).mediaType ?? descriptor.mediaType ?? MediaType.manifest;
  const fetchFn = options.fetch ?? ((u, init) => fetch(u, init));
  const auth = new RegistryAuth(fetchFn, { credentials: options.credentials, scopes: [`repository:${target.repository}:pull,push`], push: true });
  const uploader = new BlobUploader(store, auth, target, options.chunkSize ?? DEFAULT_CHUNK_SIZE, onEvent);
  const sources = await knownSources(store, target.registry);

  // docker lists the top layer first.
  const layers = [...manifest.layers].reverse();
  for (const l of layers) onEvent({ kind: 'layer', id: shortId(l.digest), status: 'Preparing' });
  if (options.refuse !== undefined) throw new PodplayError('RegistryError', options.refuse);
  for (const l of layers) await uploader.push(l, shortId(l.digest), sources.get(l.digest));
  await uploader.push(manifest.config, undefined, sources.get(manifest.config.digest));

  const url = `${uploader.base}/manifests/${target.reference}`;
  const res = await auth.send(url, { method: 'PUT', headers: { 'Content-Type': mediaType }, body: manifestBytes as BodyInit });
  if (res.status !== 201 && !res.ok) throw new PodplayError('RegistryError', await registryErrorText(res));
  const served = res.headers.get('docker-content-digest');
  if (served && served !== descriptor.digest) {
    throw new PodplayError('ImageDigestMismatch', `the registry stored the manifest of ${name} as ${served}, not ${descriptor.digest}: it changed the manifest.`);
  }
  await recordSources(store, [...manifest.layers.map((l) => l.digest), manifest.config.digest], qualified(target));
  onEvent({ kind: 'image', status: 'digest', tag: target.reference, digest: descriptor.digest, size: manifestBytes.byteLength });
  return { ref: name, digest: descriptor.digest, size: manifestBytes.byteLength };
}

/** One push's blob uploads to one repository. */
class BlobUploader {
  readonly base: string;
  readonly #origin: string;

  constructor(
    readonly store: ContentStore,
    readonly auth: RegistryAuth,
    readonly target: RegistryRef,
    readonly chunkSize: number,
    readonly onEvent: (e: PushEvent) => void,
  ) {
    this.#origin = registryOrigin(target.registry);
    this.base = `${this.#origin}/v2/${target.repository}`;
  }

  /** Puts one blob in the repository unless it is there; `id` (a layer's) gets progress events. */
  async push(desc: Descriptor, id: string | undefined, sources: readonly string[] = []): Promise<void> {
    const event = (e: { status: 'Layer already exists' | 'Pushed' } | { status: 'Pushing'; current: number; total: number } | { status: 'Mounted from'; from: string }) => {
      if (id) this.onEvent({ kind: 'layer', id, ...e });
    };
    const head = await this.auth.send(`${this.base}/blobs/${desc.digest}`, { method: 'HEAD' });
    if (head.ok) return event({ status: 'Layer already exists' });
    if (head.status !== 404) throw new PodplayError('RegistryError', await registryErrorText(head));

    let location: string | undefined;
    const mine = qualified(this.target);
    const others = sources.filter((s) => s.startsWith(`${this.target.registry}/`) && s !== mine).slice(0, MAX_MOUNT_ATTEMPTS);
    for (const source of others) {
      const from = source.slice(this.target.registry.length + 1);
      this.auth.addScope(`repository:${from}:pull`);
      const res = await this.auth.send(`${this.base}/blobs/uploads/?mount=${encodeURIComponent(desc.digest)}&from=${encodeURIComponent(from)}`, { method: 'POST' });
      if (res.status === 201) return event({ status: 'Mounted from', from });
      // 202: the registry could not mount it and opened an upload instead (distribution-spec "Mounting a blob").
      if (res.status === 202) {
        location = this.#location(res);
        break;
      }
    }
    if (!location) {
      const res = await this.auth.send(`${this.base}/blobs/uploads/`, { method: 'POST' });
      if (res.status !== 202) throw new PodplayError('RegistryError', await registryErrorText(res));
      location = this.#location(res);
    }
    const bytes = await this.store.get(desc.digest);
    event({ status: 'Pushing', current: 0, total: bytes.byteLength });
    if (bytes.byteLength > this.chunkSize) {
      // Chunked upload: PATCH with Content-Range, each answered 202 with where to go on.
      for (let offset = 0; offset < bytes.byteLength; offset += this.chunkSize) {
        const end = Math.min(offset + this.chunkSize, bytes.byteLength);
        const res = await this.auth.send(location, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${offset}-${end - 1}` },
          body: bytes.subarray(offset, end) as BodyInit,
        });
        if (res.status !== 202) throw new PodplayError('RegistryError', await registryErrorText(res));
        const range = res.headers.get('range');
        if (range && range !== `0-${end - 1}`) {
          throw new PodplayError('RegistryError', `the registry has bytes ${range} of blob ${desc.digest} after a chunk that ended at ${end - 1}: the upload went wrong; push again.`);
        }
        location = this.#location(res, location);
        event({ status: 'Pushing', current: end, total: bytes.byteLength });
      }
    }
    const close = `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(desc.digest)}`;
    const monolithic = bytes.byteLength <= this.chunkSize;
    const res = await this.auth.send(close, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: (monolithic ? bytes : new Uint8Array(0)) as BodyInit,
    });
    if (res.status !== 201 && !res.ok) throw new PodplayError('RegistryError', await registryErrorText(res));
    if (monolithic) event({ status: 'Pushing', current: bytes.byteLength, total: bytes.byteLength });
    event({ status: 'Pushed' });
  }

  /** The upload's URL from a response's Location (relative ones resolved against the registry). */
  #location(res: Response, previous?: string): string {
    const location = res.headers.get('location');
    if (location) return new URL(location, this.#origin).toString();
    if (previous) return previous;
    throw new PodplayError(
      'RegistryError',
      `the registry opened an upload but podplay cannot read its Location header: in a browser, the registry must list Location in Access-Control-Expose-Headers.`,
    );
  }
}

/** Where each blob is known to be on `registry`, from the pushes recorded and the refs that name the registry. */
async function knownSources(store: ContentStore, registry: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const add = (digest: string, source: string) => {
    const list = out.get(digest) ?? out.set(digest, []).get(digest)!;
    if (!list.includes(source)) list.push(source);
  };
  for (const key of await store.meta.keys()) {
    if (!key.startsWith(SOURCE_PREFIX)) continue;
    const digest = key.slice(SOURCE_PREFIX.length);
    // A record of a blob the store no longer has is of no use: drop it.
    if (!(await store.has(digest as Digest))) {
      await store.meta.delete(key);
      continue;
    }
    for (const s of await readSources(store, digest)) if (s.startsWith(`${registry}/`)) add(digest, s);
  }
  for (const { ref, descriptor } of await store.listRefs()) {
    let parsed: RegistryRef;
    try {
      parsed = parseRegistryRef(ref);
    } catch {
      continue;
    }
    if (parsed.registry !== registry) continue;
    const bytes = await store.blobs.get(descriptor.digest);
    if (!bytes) continue;
    const manifest = parseManifest(bytes, `manifest ${descriptor.digest}`);
    for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) add(d, qualified(parsed));
  }
  return out;
}

async function readSources(store: ContentStore, digest: string): Promise<string[]> {
  const bytes = await store.meta.get(SOURCE_PREFIX + digest);
  if (!bytes) return [];
  try {
    const list = JSON.parse(fromUtf8(bytes)) as unknown;
    return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

/** Notes that `digests` are now in `repository` (`registry/repo`), newest first. */
async function recordSources(store: ContentStore, digests: readonly string[], repository: string): Promise<void> {
  for (const digest of new Set(digests)) {
    const list = [repository, ...(await readSources(store, digest)).filter((s) => s !== repository)].slice(0, MAX_SOURCES);
    await store.meta.set(SOURCE_PREFIX + digest, utf8(JSON.stringify(list)));
  }
}
