import { PodplayError } from '../shared/index.ts';
import { sha256, verifyBlob } from './digest.ts';
import { readBody } from './layout.ts';
import { normalizeRef } from './reference.ts';
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
 * and GET /v2/<name>/blobs/<digest>. A 401 with a Bearer challenge
 * (WWW-Authenticate) is answered with an anonymous token from the realm it
 * names, as docker does for public images.
 */
export class RegistrySource implements ImageSource {
  readonly where: string;
  readonly ref: RegistryRef;
  readonly #fetch: FetchFn;
  readonly #base: string;
  #token: string | undefined;
  readonly #manifests = new Map<string, Uint8Array>();

  constructor(ref: string, fetchFn: FetchFn = (u, init) => fetch(u, init)) {
    this.ref = parseRegistryRef(ref);
    this.where = this.ref.name;
    this.#fetch = fetchFn;
    const host = this.ref.registry === 'docker.io' ? 'registry-1.docker.io' : this.ref.registry;
    // Plain HTTP only for this machine, as docker treats localhost as an insecure registry.
    const local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
    this.#base = `${local ? 'http' : 'https'}://${host}/v2/${this.ref.repository}`;
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
    let res = await this.#send(url, accept);
    if (res.status === 401) {
      await this.#authenticate(res);
      res = await this.#send(url, accept);
    }
    if (res.ok) return res;
    if (res.status === 404) {
      throw new PodplayError('ImageNotFound', `Error response from registry: ${what} unknown: ${this.ref.name} not found (HTTP 404 for ${url}); check the name and tag.`);
    }
    if (res.status === 401 || res.status === 403) {
      throw new PodplayError('RegistryError', `Error response from registry: pull access denied for ${this.ref.repository}, repository does not exist or may require authorization (HTTP ${res.status}).`);
    }
    throw new PodplayError('RegistryError', `Error response from registry: HTTP ${res.status} ${res.statusText} for ${url}.`);
  }

  async #send(url: string, accept: string | undefined): Promise<Response> {
    const headers: Record<string, string> = {};
    if (accept) headers['Accept'] = accept;
    if (this.#token) headers['Authorization'] = `Bearer ${this.#token}`;
    try {
      return await this.#fetch(url, { headers });
    } catch (err) {
      throw corsError(new URL(url).origin, err);
    }
  }

  /** The anonymous Bearer-token flow: GET <realm>?service=…&scope=… and keep the token it returns. */
  async #authenticate(res: Response): Promise<void> {
    const header = res.headers.get('www-authenticate');
    if (!header) {
      throw new PodplayError(
        'RegistryError',
        `the registry answered 401 without a WWW-Authenticate header podplay can read: if it has one, the registry must list it in Access-Control-Expose-Headers.`,
      );
    }
    const challenge = parseChallenge(header);
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) {
      throw new PodplayError('RegistryError', `the registry asks for ${challenge.scheme} authentication; podplay pulls public images with anonymous Bearer tokens only.`);
    }
    const url = new URL(challenge.params.realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? `repository:${this.ref.repository}:pull`);
    let tokenRes: Response;
    try {
      tokenRes = await this.#fetch(url.toString());
    } catch (err) {
      throw corsError(url.origin, err);
    }
    if (!tokenRes.ok) {
      throw new PodplayError('RegistryError', `the token service at ${url.origin} refused an anonymous token (HTTP ${tokenRes.status}): the image may be private.`);
    }
    const body = (await tokenRes.json()) as { token?: string; access_token?: string };
    this.#token = body.token ?? body.access_token;
    if (!this.#token) throw new PodplayError('RegistryError', `the token service at ${url.origin} answered without a token.`);
  }
}

/** Parses `Bearer realm="…",service="…",scope="…"` (RFC 6750 §3). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return { scheme, params };
}

function corsError(origin: string, err: unknown): PodplayError {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin;
  return new PodplayError(
    'CorsRefused',
    `could not reach ${origin} (${(err as Error).message}): the registry is down, or it refused this page's cross-origin request (CORS). ` +
      `To serve a browser it must answer with Access-Control-Allow-Origin: ${page ?? '<this page\'s origin>'} (or *), ` +
      `Access-Control-Allow-Headers: Authorization, Accept, and Access-Control-Expose-Headers: Docker-Content-Digest, WWW-Authenticate, also on OPTIONS preflights.`,
    { cause: err },
  );
}
