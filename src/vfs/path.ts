/** POSIX path helpers for the vfs: always '/'-separated, never touching the host. */

/** Splits a path into its non-empty components ("." removed, ".." kept). */
export function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/** Normalizes a path lexically, as if rooted at '/': ".." never climbs above the root. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const c of components(path)) {
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

export function join(...parts: string[]): string {
  return normalize(parts.join('/'));
}

export function dirname(path: string): string {
  const n = normalize(path);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

export function basename(path: string): string {
  const n = normalize(path);
  return n.slice(n.lastIndexOf('/') + 1);
}
