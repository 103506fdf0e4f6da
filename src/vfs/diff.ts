import type { DirNode, VfsNode } from './nodes.ts';
import { join } from './path.ts';
import type { Vfs } from './vfs.ts';

/** One change of a container's tree against its image's, as `docker diff` prints it. */
export interface Change {
  kind: 'A' | 'C' | 'D';
  path: string;
  /** What is at the path now (absent for D). */
  node?: VfsNode;
}

const byName = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

function sameNode(upper: VfsNode, lower: VfsNode): boolean {
  if (upper === lower) return true;
  if (upper.kind !== lower.kind || upper.mode !== lower.mode) return false;
  if (upper.kind === 'file') return upper.sharesBytesWith(lower as typeof upper);
  if (upper.kind === 'symlink') return upper.target === (lower as typeof upper).target;
  return true;
}

/**
 * What `upper` (a container's tree, cloned from `lower` and written since)
 * changed, in path order, as `docker diff` lists it: A for a path added
 * (and everything under an added directory), C for a path changed (a file
 * written, a node replaced, or a directory something under which changed),
 * D for a path removed (only the topmost). A file counts as changed once it
 * has been written, even with the same bytes, as an overlay's copy-up does.
 * `skipAdded` leaves out added paths that are not the program's doing (nor
 * counts them as a change of their directory).
 */
export function diffTrees(lower: Vfs, upper: Vfs, options: { skipAdded?: (path: string, node: VfsNode) => boolean } = {}): Change[] {
  const out: Change[] = [];
  const added = (path: string, node: VfsNode) => {
    out.push({ kind: 'A', path, node });
    if (node.kind === 'dir') for (const [name, child] of [...node.children].sort(byName)) added(join(path, name), child);
  };
  const walk = (path: string, up: DirNode, low: DirNode): boolean => {
    const mark = out.length;
    const names = new Set([...up.children.keys(), ...low.children.keys()]);
    for (const name of [...names].sort()) {
      const p = join(path, name);
      const u = up.children.get(name);
      const l = low.children.get(name);
      if (!u) out.push({ kind: 'D', path: p });
      else if (!l) {
        if (!options.skipAdded?.(p, u)) added(p, u);
      }
      else if (u.kind === 'dir' && l.kind === 'dir') {
        const at = out.length;
        if (walk(p, u, l) || u.mode !== l.mode) out.splice(at, 0, { kind: 'C', path: p, node: u });
      } else if (!sameNode(u, l)) {
        out.push({ kind: 'C', path: p, node: u });
        if (u.kind === 'dir') for (const [name2, child] of [...u.children].sort(byName)) added(join(p, name2), child);
      }
    }
    return out.length > mark;
  };
  walk('/', upper.root, lower.root);
  return out;
}
