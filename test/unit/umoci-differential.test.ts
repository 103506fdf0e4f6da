import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ContentStore, LayoutSource, RootfsCache, loadImage, pullImage } from '../../src/oci/index.ts';
import { MemoryStore, ThreadLock } from '../../src/persistence/index.ts';
import type { Vfs, VfsNode } from '../../src/vfs/index.ts';
import { ImageBuilder } from '../helpers/images.ts';
import { TRICKY_LAYERS as LAYERS } from '../helpers/tricky-layers.ts';
import { fileFetch } from '../helpers/layout.ts';
import { peerSkipReason } from '../helpers/peers.ts';

/** One path of a rootfs as both sides can describe it. */
interface Row {
  type: string;
  mode: string;
  content?: string;
  target?: string;
  mtime?: number;
  /** Every path sharing this inode (hard links), sorted. */
  links?: string;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 16);

async function describeDisk(root: string): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  const inodes = new Map<number, string[]>();
  const walk = async (dir: string, rel: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const p = join(dir, name);
      const r = `${rel}/${name}`;
      const st = await lstat(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) rows.set(r, { type: 'symlink', mode: '-', target: await readlink(p), mtime: st.mtimeMs });
      else if (st.isDirectory()) {
        rows.set(r, { type: 'dir', mode });
        await walk(p, r);
      } else {
        rows.set(r, { type: 'file', mode, content: sha(await readFile(p)), mtime: st.mtimeMs });
        (inodes.get(st.ino) ?? inodes.set(st.ino, []).get(st.ino)!).push(r);
      }
    }
  };
  await walk(root, '');
  for (const paths of inodes.values()) if (paths.length > 1) for (const p of paths) rows.get(p)!.links = paths.sort().join(' ');
  return rows;
}

function describeVfs(fs: Vfs): Map<string, Row> {
  const rows = new Map<string, Row>();
  const inodes = new Map<VfsNode, string[]>();
  for (const [p, node] of fs.walk()) {
    if (node.kind === 'symlink') rows.set(p, { type: 'symlink', mode: '-', target: node.target, mtime: node.mtime });
    else if (node.kind === 'dir') rows.set(p, { type: 'dir', mode: node.mode.toString(8) });
    else {
      rows.set(p, { type: 'file', mode: node.mode.toString(8), content: sha(node.content()), mtime: node.mtime });
      (inodes.get(node) ?? inodes.set(node, []).get(node)!).push(p);
    }
  }
  for (const paths of inodes.values()) if (paths.length > 1) for (const p of paths) rows.get(p)!.links = paths.sort().join(' ');
  return rows;
}

const skip = peerSkipReason('umoci');

test('umoci unpack and podplay apply the same layers to the same tree, file by file', { skip }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podplay-umoci-'));
  try {
    const b = new ImageBuilder();
    // The same layer blobs under two configs: umoci only unpacks linux images, podplay only wasip1 ones.
    await b.image({ name: 'layers', layers: LAYERS.map((entries) => ({ entries })) });
    await b.image({ name: 'layers-linux', layers: LAYERS.map((entries) => ({ entries })), os: 'linux', architecture: 'amd64' });
    await b.writeLayout(join(dir, 'layout'));
    execFileSync('umoci', ['unpack', '--rootless', '--image', `${join(dir, 'layout')}:layers-linux`, join(dir, 'bundle')], { stdio: 'pipe' });
    const disk = await describeDisk(join(dir, 'bundle', 'rootfs'));

    const store = new ContentStore(new MemoryStore(), new MemoryStore(), new ThreadLock());
    await pullImage(LayoutSource.fromUrl(new URL(`file://${join(dir, 'layout')}`).href, fileFetch), 'layers', store, { tag: 'layers:latest' });
    const image = await loadImage(store, 'layers:latest');
    const fs = await new RootfsCache().rootfs((d) => store.get(d.digest), image.manifest, image.config);
    const mine = describeVfs(fs);

    assert.deepEqual([...mine.keys()], [...disk.keys()], 'the same paths');
    for (const [p, row] of disk) assert.deepEqual(mine.get(p), row, p);
    assert.ok(disk.size >= 18, `${disk.size} paths compared`);
    assert.equal(disk.get("/hard/b")?.links, "/hard/b /hard/c", "a hard link group survives its first name being replaced");
    assert.equal(disk.get("/etc/motd")?.mtime, 1_600_000_022_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
