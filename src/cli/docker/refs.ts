/**
 * Image names as docker reads and shows them (distribution/reference): a
 * name without a registry is Docker Hub's (podplay's bundled layout), a
 * name without a tag means `:latest`, `library/` is implied for one-part
 * names; and images found by name or by ID prefix in the sandbox's store.
 */
import type { ImageSummary, Sandbox } from '../../sandbox/index.ts';
import { daemonError } from './engine.ts';

export type StoredImage = Awaited<ReturnType<Sandbox['ensureImage']>>['image'];

/** The registry host a name starts with (`localhost:5000/app`, `ghcr.io/x`), and the rest; none for Docker Hub. */
export function splitRegistry(name: string): [string | undefined, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [undefined, name];
  const first = name.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return [first, name.slice(slash + 1)];
  return [undefined, name];
}

/** `podplay/hello` -> `podplay/hello:latest`; `docker.io/library/busybox` -> `busybox:latest` (familiar form). */
export function normalizeRef(ref: string): string {
  let name = ref.trim();
  if (name.startsWith('docker.io/')) name = name.slice('docker.io/'.length);
  if (name.startsWith('library/')) name = name.slice('library/'.length);
  if (name.includes('@')) return name;
  return name.indexOf(':', name.lastIndexOf('/') + 1) >= 0 ? name : `${name}:latest`;
}

/** Whether `ref` names a tag or digest (else docker says `Using default tag: latest`). */
export function hasTagOrDigest(ref: string): boolean {
  return ref.includes('@') || ref.indexOf(':', ref.lastIndexOf('/') + 1) >= 0;
}

/** The repository of a normalized ref, familiar form (`podplay/hello`, `localhost:5000/app`). */
export function repositoryOf(ref: string): string {
  const name = normalizeRef(ref);
  if (name.includes('@')) return name.slice(0, name.indexOf('@'));
  return name.slice(0, name.lastIndexOf(':'));
}

/** The tag of a ref (`latest` when it has none). */
export function tagOf(ref: string): string {
  const name = normalizeRef(ref);
  return name.includes('@') ? name.slice(name.indexOf('@') + 1) : name.slice(name.lastIndexOf(':') + 1);
}

/** The path a registry knows the repository by: `library/busybox`, `podplay/hello`, `app` of `localhost:5000/app`. */
export function remotePath(ref: string): string {
  const [registry, path] = splitRegistry(repositoryOf(ref));
  return registry || path.includes('/') ? path : `library/${path}`;
}

/** The fully qualified name docker pull prints last: `docker.io/podplay/hello:latest`. */
export function fullyQualified(ref: string): string {
  const name = normalizeRef(ref);
  const [registry] = splitRegistry(name);
  if (registry) return name;
  return `docker.io/${name.includes('/') ? '' : 'library/'}${name}`;
}

/** Whether `ref` could be an image ID (hex, with or without `sha256:`). */
const idLike = (ref: string) => /^(sha256:)?[0-9a-f]{1,64}$/.test(ref);

/**
 * The stored image `ref` names: by name (tag or digest) first, then by a
 * unique prefix of its ID, as the daemon looks images up.
 */
export async function findImage(sb: Sandbox, ref: string, images?: ImageSummary[]): Promise<ImageSummary | undefined> {
  const all = images ?? (await sb.images());
  const name = normalizeRef(ref);
  const byName = all.find((i) => i.ref === name || (name.includes('@') && `${repositoryOf(i.ref)}@${i.digest}` === name));
  if (byName || !idLike(ref)) return byName;
  const want = ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
  const ids = new Set(all.filter((i) => i.id.startsWith(want)).map((i) => i.id));
  return ids.size === 1 ? all.find((i) => i.id.startsWith(want)) : undefined;
}

/** How docker names a missing image in "No such image": a full ID as given, anything else as a name (`abc:latest`). */
export function missingName(ref: string): string {
  return /^(sha256:)?[0-9a-f]{64}$/.test(ref) ? ref : normalizeRef(ref);
}

/** The stored image `ref` names with its manifest and config, or the daemon's "No such image". */
export async function getImage(sb: Sandbox, ref: string, images?: ImageSummary[]): Promise<{ summary: ImageSummary; image: StoredImage }> {
  const summary = await findImage(sb, ref, images);
  if (!summary) throw daemonError(`No such image: ${missingName(ref)}`);
  const { image } = await sb.ensureImage(summary.ref);
  return { summary, image };
}
