import { PodplayError } from '../shared/index.ts';
import { DirNode, Vfs, dirname } from '../vfs/index.ts';
import type { VolumeMount } from './protocol.ts';

/** A volume of fixed files (ConfigMap/Secret): regular files under one directory, subdirectories from "a/b" keys. */
function filesVolume(files: Record<string, string | Uint8Array>, mode = 0o644): DirNode {
  const vfs = new Vfs(new DirNode(0o755));
  for (const [name, content] of Object.entries(files)) {
    const path = '/' + name.replace(/^\/+/, '');
    if (path.split('/').includes('..')) throw new PodplayError('EINVAL', `volume file name "${name}" must not contain ".."`);
    vfs.mkdirp(dirname(path));
    vfs.writeFile(path, typeof content === 'string' ? new TextEncoder().encode(content) : content, mode);
  }
  return vfs.root;
}

/** A read-only mount of `dir`: its own directory node, marked read-only, holding the same children live. */
function readOnlyView(dir: DirNode): DirNode {
  const view = new DirNode(dir.mode);
  view.readOnly = true;
  // The children map itself is shared, so writes through other mounts show here at once.
  Object.defineProperty(view, 'children', { value: dir.children });
  return view;
}

/**
 * A node's volumes. An emptyDir is one directory per pod (`scope`) and name,
 * grafted into each of the pod's containers' trees, so they share it live;
 * it outlives container restarts until the pod's volumes are released. A
 * files volume is made afresh for each container. A read-only mount is
 * refused writes by the file server (see Vfs.isReadOnly).
 */
export class Volumes {
  /** emptyDir volumes by [scope, name] (as JSON). */
  readonly #emptyDirs = new Map<string, DirNode>();

  mount(tree: Vfs, mounts: readonly VolumeMount[]): void {
    for (const m of mounts) {
      if (!m.path.startsWith('/') || m.path === '/') throw new PodplayError('EINVAL', `volume mount path "${m.path}" must be an absolute path below /`);
      let dir: DirNode;
      if (m.volume.kind === 'emptyDir') {
        const key = JSON.stringify([m.volume.scope, m.volume.name]);
        dir = this.#emptyDirs.get(key) ?? new DirNode(0o777);
        this.#emptyDirs.set(key, dir);
      } else {
        dir = filesVolume(m.volume.files, m.volume.mode);
      }
      // A read-only mount of a shared emptyDir must not make the other containers' view read-only: it gets its own node.
      tree.graft(m.path, m.readOnly ? readOnlyView(dir) : dir);
    }
  }

  /** Forgets a pod's emptyDirs; returns how many. */
  release(scope: string): number {
    let n = 0;
    for (const key of [...this.#emptyDirs.keys()]) if ((JSON.parse(key) as string[])[0] === scope && this.#emptyDirs.delete(key)) n++;
    return n;
  }
}
