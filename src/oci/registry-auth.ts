/**
 * Talking to a registry as docker does (distribution's registry/client/auth
 * and errcode): where a registry is reached, the 401 challenge flow, the
 * registry's errors in docker's words, a CORS refusal that says what to
 * allow, `docker login`'s check, and where credentials are kept.
 */
import type { KeyValueStore } from '../persistence/index.ts';
import { PodplayError, fromUtf8, utf8 } from '../shared/index.ts';
import type { FetchFn } from './source.ts';

/** What `docker login` stores for one registry. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/**
 * Credentials by registry host ("localhost:5000", "ghcr.io"), as docker's
 * credential stores keep them. `delete` says whether there were any.
 */
export interface Credentials {
  get(host: string): Promise<RegistryCredentials | undefined>;
  set(host: string, credentials: RegistryCredentials): Promise<void>;
  delete(host: string): Promise<boolean>;
}

const AUTH_PREFIX = 'auth:';

const toBase64 = (text: string) => btoa(String.fromCharCode(...utf8(text)));
const fromBase64 = (text: string) => fromUtf8(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));

/**
 * Credentials kept in a key-value store (the image store's metadata: a
 * directory in Node, IndexedDB in the browser), one key per registry
 * (`auth:<host>`), each value an entry of docker's config.json `auths`:
 * `{"auth":"base64(user:pass)"}`. Not encrypted, as docker's file store.
 */
export class StoredCredentials implements Credentials {
  constructor(readonly kv: KeyValueStore) {}

  async get(host: string): Promise<RegistryCredentials | undefined> {
    const bytes = await this.kv.get(AUTH_PREFIX + serverHost(host));
    if (!bytes) return undefined;
    const { auth } = JSON.parse(fromUtf8(bytes)) as { auth?: string };
    const decoded = auth ? fromBase64(auth) : '';
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }

  async set(host: string, c: RegistryCredentials): Promise<void> {
    await this.kv.set(AUTH_PREFIX + serverHost(host), utf8(JSON.stringify({ auth: toBase64(`${c.username}:${c.password}`) })));
  }

  async delete(host: string): Promise<boolean> {
    const key = AUTH_PREFIX + serverHost(host);
    const had = await this.kv.has(key);
    await this.kv.delete(key);
    return had;
  }
}

/** The host a server address names: `http://localhost:5000/v2/` -> `localhost:5000` (docker's ConvertToHostname). */
export function serverHost(server: string): string {
  return server.trim().replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
}

/** Where the registry's API is: plain HTTP only for this machine, as docker treats localhost as an insecure registry. */
export function registryOrigin(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
  return `${local ? 'http' : 'https'}://${host}`;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (RFC 6750 §3). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return { scheme, params };
}

/**
 * A request that never got an answer: the registry is down, or (in a
 * browser) it refused this page's cross-origin request. Says what the
 * registry must allow, for pulls or, with `push`, for pushes too.
 */
export function corsError(origin: string, err: unknown, push = false): PodplayError {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin;
  const allow = push
    ? `Access-Control-Allow-Methods: HEAD, GET, POST, PUT, PATCH, OPTIONS, Access-Control-Allow-Headers: Authorization, Accept, Content-Type, Content-Range, ` +
      `and Access-Control-Expose-Headers: Docker-Content-Digest, WWW-Authenticate, Location, Range, Docker-Upload-UUID`
    : `Access-Control-Allow-Headers: Authorization, Accept, and Access-Control-Expose-Headers: Docker-Content-Digest, WWW-Authenticate`;
  return new PodplayError(
    'CorsRefused',
    `could not reach ${origin} (${(err as Error).message}): the registry is down, or it refused this page's cross-origin request (CORS). ` +
      `To serve a browser it must answer with Access-Control-Allow-Origin: ${page ?? "<this page's origin>"} (or *), ${allow}, also on OPTIONS preflights.`,
    { cause: err },
  );
}

/**
 * A registry's error response as docker prints it (distribution errcode:
 * `unauthorized: authentication required`, `denied: requested access to
 * the resource is denied`), from the Bearer challenge's `error` and the
 * body's `errors`; a 401 that names none is "unauthorized: authentication
 * required".
 */
export async function registryErrorText(res: Response): Promise<string> {
  const out: string[] = [];
  const challenge = res.headers.get('www-authenticate');
  if (challenge && res.status >= 400 && res.status < 500) {
    const { scheme, params } = parseChallenge(challenge);
    if (scheme === 'bearer' && params.error === 'invalid_token') out.push(`unauthorized: ${params.error_description || 'authentication required'}`);
    if (scheme === 'bearer' && params.error === 'insufficient_scope') out.push(`denied: ${params.error_description || 'requested access to the resource is denied'}`);
  }
  try {
    const body = (await res.json()) as { errors?: Array<{ code?: string; message?: string }>; details?: string };
    // Docker Hub's token service answers {"details": "..."}, which docker reads by the status.
    if (typeof body?.details === 'string' && body.details) {
      return `${res.status === 401 ? 'unauthorized' : res.status === 429 ? 'toomanyrequests' : 'unknown'}: ${body.details}`;
    }
    for (const e of body?.errors ?? []) out.push(`${(e.code ?? 'unknown').toLowerCase().replace(/_/g, ' ')}: ${e.message ?? ''}`);
  } catch {
    // not errcode JSON
  }
  if (out.length === 0) return res.status === 401 ? 'unauthorized: authentication required' : `received unexpected HTTP status: ${res.status} ${res.statusText}`.trimEnd();
  return out.length === 1 ? out[0]! : `errors:\n${out.join('\n')}\n`;
}

/**
 * One client's authorization with one registry, for the repository scopes
 * it asks for (`repository:app:pull,push`). A request answered 401 is
 * retried once the challenge is met: Bearer — a token from the realm for
 * the scopes the client and the challenge name, asked with the Basic
 * credentials when there are any (anonymously otherwise); Basic — the
 * credentials. Later requests carry what worked.
 */
export class RegistryAuth {
  readonly #fetch: FetchFn;
  readonly #credentials: RegistryCredentials | undefined;
  readonly #scopes = new Set<string>();
  /** The scopes the current token was asked for (undefined: no token). */
  #tokenScopes: string | undefined;
  #authorization: string | undefined;
  /** Whether CORS refusals name what a push needs. */
  readonly #push: boolean;

  constructor(fetchFn: FetchFn, options: { credentials?: RegistryCredentials; scopes?: string[]; push?: boolean } = {}) {
    this.#fetch = fetchFn;
    this.#credentials = options.credentials;
    for (const s of options.scopes ?? []) this.#scopes.add(s);
    this.#push = options.push ?? false;
  }

  /** Asks for one more scope (a cross-repository mount's source) on the next token. */
  addScope(scope: string): void {
    this.#scopes.add(scope);
  }

  /** Sends `init` to `url` with the authorization known so far, meeting up to two challenges. */
  async send(url: string, init: RequestInit = {}): Promise<Response> {
    let res = await this.#send(url, init);
    for (let i = 0; i < 2 && res.status === 401; i++) {
      if (!(await this.#answer(res))) break;
      await res.body?.cancel().catch(() => undefined);
      res = await this.#send(url, init);
    }
    return res;
  }

  async #send(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#authorization) headers.set('Authorization', this.#authorization);
    try {
      return await this.#fetch(url, { ...init, headers });
    } catch (err) {
      throw corsError(new URL(url).origin, err, this.#push);
    }
  }

  /** Meets the challenge of a 401; false when there is nothing new to try. */
  async #answer(res: Response): Promise<boolean> {
    const header = res.headers.get('www-authenticate');
    if (!header) {
      throw new PodplayError(
        'RegistryError',
        `the registry answered 401 without a WWW-Authenticate header podplay can read: if it has one, the registry must list it in Access-Control-Expose-Headers.`,
      );
    }
    const { scheme, params } = parseChallenge(header);
    if (scheme === 'basic') {
      if (!this.#credentials || this.#authorization?.startsWith('Basic ')) return false;
      this.#authorization = `Basic ${toBase64(`${this.#credentials.username}:${this.#credentials.password}`)}`;
      return true;
    }
    if (scheme !== 'bearer' || !params.realm) {
      throw new PodplayError('RegistryError', `the registry asks for ${scheme} authentication, which podplay does not speak (it answers Bearer and Basic challenges).`);
    }
    for (const s of (params.scope ?? '').split(' ')) if (s) this.#scopes.add(s);
    const scopes = [...this.#scopes].sort().join(' ');
    // The same scopes again: only an expired token (invalid_token) is worth asking anew.
    if (this.#tokenScopes === scopes && params.error !== 'invalid_token') return false;
    this.#tokenScopes = scopes;
    this.#authorization = `Bearer ${await this.#token(params.realm, params.service, [...this.#scopes])}`;
    return true;
  }

  /** GET <realm>?service=…&scope=… (the token spec), with Basic credentials when there are some. */
  async #token(realm: string, service: string | undefined, scopes: string[]): Promise<string> {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    for (const s of scopes) url.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    if (this.#credentials) headers['Authorization'] = `Basic ${toBase64(`${this.#credentials.username}:${this.#credentials.password}`)}`;
    let res: Response;
    try {
      res = await this.#fetch(url.toString(), { headers });
    } catch (err) {
      throw corsError(url.origin, err, this.#push);
    }
    if (!res.ok) {
      if (this.#credentials) throw new PodplayError('RegistryError', await registryErrorText(res));
      throw new PodplayError('RegistryError', `the token service at ${url.origin} refused an anonymous token (HTTP ${res.status}): the image may be private.`);
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new PodplayError('RegistryError', `the token service at ${url.origin} answered without a token.`);
    return token;
  }
}

/**
 * `docker login`'s check (the daemon's loginV2): GET /v2/ with the
 * credentials through the challenge flow. Fails in the daemon's words:
 * `Get "http://host/v2/": unauthorized: …` when a token service refuses
 * them, `login attempt to http://host/v2/ failed with status: 401
 * Unauthorized` when the registry itself does.
 */
export async function checkLogin(registry: string, credentials: RegistryCredentials, fetchFn: FetchFn): Promise<void> {
  const url = `${registryOrigin(registry)}/v2/`;
  const auth = new RegistryAuth(fetchFn, { credentials });
  let res: Response;
  try {
    res = await auth.send(url);
  } catch (err) {
    const e = err as PodplayError;
    if (e.code === 'CorsRefused') throw err;
    throw new PodplayError('RegistryError', `Get "${url}": ${e.message}`, { cause: err });
  }
  if (res.ok) return;
  const reason = res.status === 401 ? 'Unauthorized' : res.statusText;
  throw new PodplayError('RegistryError', `login attempt to ${url} failed with status: ${res.status} ${reason}`.trimEnd());
}
