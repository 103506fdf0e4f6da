/**
 * Image references as podplay names them: "podplay/hello" means
 * "podplay/hello:latest", and Docker Hub's long form
 * "docker.io/library/busybox:1" is shown as "busybox:1", as docker does.
 */
export function normalizeRef(ref: string): string {
  let trimmed = ref.trim();
  if (trimmed.startsWith('docker.io/')) trimmed = trimmed.slice('docker.io/'.length);
  if (trimmed.startsWith('library/')) trimmed = trimmed.slice('library/'.length);
  if (trimmed.includes('@')) return trimmed;
  const lastSlash = trimmed.lastIndexOf('/');
  return trimmed.indexOf(':', lastSlash + 1) >= 0 ? trimmed : `${trimmed}:latest`;
}

/** "podplay/hello" of "podplay/hello:latest" (undefined for a digest-only ref). */
export function repositoryOf(ref: string): string | undefined {
  const name = normalizeRef(ref);
  if (name.includes('@')) return name.slice(0, name.indexOf('@'));
  const i = name.lastIndexOf(':');
  return i > name.lastIndexOf('/') ? name.slice(0, i) : name;
}

/** The tag of a ref ("latest" when it has none); for a digest ref, the digest. */
export function tagOf(ref: string): string {
  const name = normalizeRef(ref);
  if (name.includes('@')) return name.slice(name.indexOf('@') + 1);
  return name.slice(name.lastIndexOf(':') + 1);
}
