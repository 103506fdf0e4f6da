/**
 * Layers that exercise the OCI layer rules: overwrites, whiteouts, opaque
 * directories, symlinks, hard links (one surviving its first name being
 * replaced), modes and mtimes. The umoci differential test and the find
 * comparison apply them; `under` puts them below a directory.
 */
import type { Entry } from './images.ts';

const t = (s: number) => new Date(1_600_000_000_000 + s * 1000);
export const TRICKY_LAYERS: Entry[][] = [
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

/** The layers with every path (and every hard link's target) under `dir`. */
export function trickyLayersUnder(dir: string): Entry[][] {
  const under = (e: Entry): Entry => ({ ...e, name: `${dir}/${e.name}`, ...(e.type === 'link' ? { linkname: `${dir}/${e.linkname}` } : {}) });
  const top: Entry = { name: `${dir}/`, type: 'directory', mode: 0o755, mtime: t(1) };
  return TRICKY_LAYERS.map((layer, i) => [...(i === 0 ? [top] : []), ...layer.map(under)]);
}
