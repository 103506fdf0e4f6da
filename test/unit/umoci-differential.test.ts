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
import { ImageBuilder, type Entry } from '../helpers/images.ts';
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

const t = (s: number) => new Date(1_600_000_000_000 + s * 1000);
/** Layers that exercise layer.md: overwrites, whiteouts, opaque dirs, symlinks, hard links, modes and mtimes. */
const LAYERS: Entry[][] = [
  [
    { name: 'etc/', type: 'directory', mode: 0o755, mtime: t(1) },
    { name: 'etc/motd', body: 'one', mode: 0o644, mtime: t(2) },
    { name: 'etc/secret', body: 's', mode: 0o600, mtime: t(3) },
    { name: 'bin/', type: 'directory', mode: 0o755, mtime: t(1) },
    { name: 'bin/tool', body: 'TOOL', mode: 0o755, mtime: t(4) },
    { name: 'bin/sh', type: 'symlink', linkname: 'tool', mtime: t(5) },
    { name: 'usr/', type: 'directory', mode: 0o755, mtime: t(1) },
    { name: 'usr/bin', type: 'symlink', linkname: '/bin', mtime: t(5) },
    { name: 'data/', type: 'directory', mode: 0o750, mtime: t(1) },
    { name: 'data/old1', body: '1', mtime: t(6) },
    { name: 'data/sub/', type: 'directory', mtime: t(1) },
    { name: 'data/sub/deep', body: 'd', mtime: t(6) },
    { name: 'gone/', type: 'directory', mtime: t(1) },
    { name: 'gone/x', body: 'x', mtime: t(6) },
    { name: 'becomes-file/', type: 'directory', mtime: t(1) },
    { name: 'becomes-file/inner', body: 'i', mtime: t(6) },
    { name: 'becomes-dir', body: 'was a file', mtime: t(6) },
    { name: 'hard/', type: 'directory', mtime: t(1) },
    { name: 'hard/a', body: 'shared inode', mode: 0o640, mtime: t(7) },
    { name: 'hard/b', type: 'link', linkname: 'hard/a', mtime: t(7) },
  ],
  [
    { name: 'etc/motd', body: 'two', mode: 0o664, mtime: t(10) },
    { name: 'etc/.wh.secret', mtime: t(10) },
    { name: 'data/.wh..wh..opq', mtime: t(10) },
    { name: 'data/fresh', body: 'f', mtime: t(11) },
    { name: '.wh.gone', mtime: t(10) },
    { name: 'becomes-file', body: 'now a file', mtime: t(12) },
    { name: 'becomes-dir/', type: 'directory', mode: 0o711, mtime: t(12) },
    { name: 'becomes-dir/child', body: 'c', mtime: t(12) },
    { name: 'hard/c', type: 'link', linkname: 'hard/a', mtime: t(13) },
    { name: 'rel', type: 'symlink', linkname: '../../etc/motd', mtime: t(13) },
    { name: 'sticky/', type: 'directory', mode: 0o1777, mtime: t(13) },
  ],
  [
    { name: 'hard/a', body: 'replaced: hard/b and hard/c keep the old inode', mtime: t(20) },
    { name: 'bin/sh', type: 'symlink', linkname: '/bin/tool', mtime: t(21) },
    { name: 'etc/motd', body: 'three', mode: 0o444, mtime: t(22) },
  ],
];

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
