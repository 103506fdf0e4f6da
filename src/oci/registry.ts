import { PodplayError } from '../shared/index.ts';
import { sha256, verifyBlob } from './digest.ts';
import { readBody } from './layout.ts';
import { normalizeRef } from './reference.ts';
import { RegistryAuth, registryOrigin, type RegistryCredentials } from './registry-auth.ts';
import type { DownloadProgress, FetchFn, ImageSource, SourceImage } from './source.ts';
import { MediaType, isIndexMediaType, parseJson, type Descriptor } from './types.ts';

/** A reference split as the Distribution API needs it. */
export interface RegistryRef {
  /** Host and port, as in the ref ("localhost:5000", "ghcr.io"). */
  registry: string;
  /** The repository path ("podplay/hello"; "library/busybox" on Docker Hub). */
  repository: string;
  /** A tag or a digest. */
  reference: string;
  /** The name the image is stored under ("localhost:5000/podplay/hello:latest"). */
  name: string;
}

/**
 * Splits a reference by docker's rules: the first component is a registry
 * when it has a dot or a port or is "localhost"; otherwise the image is on
 * Docker Hub, whose one-word names live under library/.
 */
export function parseRegistryRef(ref: string): RegistryRef {
  const trimmed = ref.trim().replace(/^[a-z]+:\/\//, '');
  const slash = trimmed.indexOf('/');
  const first = slash < 0 ? '' : trimmed.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = hasRegistry ? first : 'docker.io';
  let rest = hasRegistry ? trimmed.slice(slash + 1) : trimmed;
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  if (!/^[a-z0-9]+(?:[._-]+[a-z0-9]+|__)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(rest) || reference === '') {
    throw new PodplayError('ImageNotFound', `invalid reference format: "${ref}" (a repository name must be lowercase, like registry.example:5000/team/app:1.0).`);
  }
  const repository = registry === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  const sep = reference.startsWith('sha256:') ? '@' : ':';
  return { registry, repository, reference, name: normalizeRef(`${hasRegistry ? `${registry}/` : ''}${rest}${sep}${reference}`) };
}

const MANIFEST_ACCEPT = [MediaType.index, MediaType.manifest, MediaType.dockerManifestList, MediaType.dockerManifest].join(', ');

/**
 * Pulls from a registry through the OCI Distribution API:
 * GET /v2/<name>/manifests/<ref> (with Accept for OCI and Docker schema 2)
 * and GET /v2/<name>/blobs/<digest>. A 401 is answered as its challenge
 * asks (see {@link RegistryAuth}): a Bearer token from the realm it names,
 * anonymous as docker asks for public images, or with the credentials
 * given; Basic with the credentials given.
 */
export class RegistrySource implements ImageSource {
  readonly where: string;
  readonly ref: RegistryRef;
  readonly #base: string;
  readonly #auth: RegistryAuth;
  readonly #manifests = new Map<string, Uint8Array>();

  constructor(ref: string, fetchFn: FetchFn = (u, init) => fetch(u, init), options: { credentials?: RegistryCredentials } = {}) {
    this.ref = parseRegistryRef(ref);
    this.where = this.ref.name;
    this.#base = `${registryOrigin(this.ref.registry)}/v2/${this.ref.repository}`;
    this.#auth = new RegistryAuth(fetchFn, { credentials: options.credentials, scopes: [`repository:${this.ref.repository}:pull`] });
  }

  async list(): Promise<SourceImage[]> {
    const res = await this.#get(`${this.#base}/manifests/${this.ref.reference}`, MANIFEST_ACCEPT, 'manifest');
    const bytes = await readBody(res, undefined, undefined, `manifest of ${this.ref.name}`);
    const digest = this.ref.reference.startsWith('sha256:') ? this.ref.reference : (res.headers.get('docker-content-digest') ?? (await sha256(bytes)));
    const doc = parseJson(bytes, `manifest of ${this.ref.name}`) as { mediaType?: string };
    const mediaType = doc?.mediaType ?? res.headers.get('content-type')?.split(';')[0] ?? MediaType.manifest;
    const descriptor = { mediaType, digest, size: bytes.byteLength } as Descriptor;
    await verifyBlob(bytes, descriptor, `manifest of ${this.ref.name}`);
    this.#manifests.set(digest, bytes);
    return [{ name: this.ref.name, descriptor }];
  }

  async blob(desc: Pick<Descriptor, 'digest' | 'size' | 'mediaType'>, onProgress?: DownloadProgress, what = 'blob'): Promise<Uint8Array> {
    let bytes = this.#manifests.get(desc.digest);
    if (!bytes) {
      const isManifest = isIndexMediaType(desc.mediaType) || desc.mediaType === MediaType.manifest || desc.mediaType === MediaType.dockerManifest;
      const url = `${this.#base}/${isManifest ? 'manifests' : 'blobs'}/${desc.digest}`;
      bytes = await readBody(await this.#get(url, isManifest ? MANIFEST_ACCEPT : undefined, what), onProgress, desc.size, `${what} ${desc.digest}`);
    }
    await verifyBlob(bytes, desc, what);
    return bytes;
  }

  async #get(url: string, accept: string | undefined, what: string): Promise<Response> {
    const res = await this.#auth.send(url, accept ? { headers: { Accept: accept } } : {});
    if (res.ok) return res;
    if (res.status === 404) {
      throw new PodplayError('ImageNotFound', `Error response from registry: ${what} unknown: ${this.ref.name} not found (HTTP 404 for ${url}); check the name and tag.`);
    }
    if (res.status === 401 || res.status === 403) {
      throw new PodplayError('RegistryError', `Error response from registry: pull access denied for ${this.ref.repository}, repository does not exist or may require authorization (HTTP ${res.status}).`);
    }
    throw new PodplayError('RegistryError', `Error response from registry: HTTP ${res.status} ${res.statusText} for ${url}.`);
  }
}
