import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MediaType, applyLayer, readLayer } from '../../src/oci/index.ts';
import { Vfs } from '../../src/vfs/index.ts';
import { gzipLayer } from '../helpers/layout.ts';

import { tarOf, type Entry } from '../helpers/images.ts';

const gz = (digest = 'sha256:' + '0'.repeat(64)) => ({ mediaType: MediaType.layerGzip, digest: digest as `sha256:${string}` });
async function read(entries: Entry[]) {
  return (await readLayer(await gzipLayer(entries), gz())).entries;
}
async function apply(vfs: Vfs, entries: Entry[]) {
  applyLayer(vfs, await read(entries));
}
const text = (vfs: Vfs, p: string) => new TextDecoder().decode(vfs.readFile(p));
const list = (vfs: Vfs, p: string) => vfs.readdir(p).map(([n]) => n);

test('later layers overwrite earlier ones; modes and mtimes are kept', async () => {
  const fs = new Vfs();
  await apply(fs, [
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/motd', body: 'one', mode: 0o600 },
    { name: 'bin/tool', body: 'x', mode: 0o755 },
  ]);
  await apply(fs, [{ name: 'etc/motd', body: 'two', mode: 0o644 }]);
  assert.equal(text(fs, '/etc/motd'), 'two');
  assert.equal(fs.stat('/etc/motd').mode, 0o644);
  assert.equal(fs.stat('/bin/tool').mode, 0o755);
  assert.equal(fs.stat('/bin/tool').mtime, 1_700_000_000_000);
});

test('a whiteout removes the lower entry (a directory with all it holds)', async () => {
  const fs = new Vfs();
  await apply(fs, [{ name: 'a/keep', body: 'k' }, { name: 'a/gone', body: 'g' }, { name: 'a/dir/deep', body: 'd' }]);
  await apply(fs, [{ name: 'a/.wh.gone' }, { name: 'a/.wh.dir' }, { name: 'a/.wh.never-there' }]);
  assert.deepEqual(list(fs, '/a'), ['keep']);
});

test('a whiteout of a file its own layer adds is refused, naming both', async () => {
  const fs = new Vfs();
  await apply(fs, [{ name: 'a/gone', body: 'g' }]);
  const entries = await read([{ name: 'a/gone', body: 'new' }, { name: 'a/.wh.gone' }]);
  assert.throws(() => applyLayer(fs, entries), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'LayerInvalid');
    assert.match(err.message, /a\/\.wh\.gone.*\/a\/gone.*lower layers/);
    return true;
  });
});

test('writing through a symlink that points outside the rootfs is refused', async () => {
  const fs = new Vfs();
  await apply(fs, [{ name: 'up', type: 'symlink', linkname: '../../../tmp' }, { name: 'in', type: 'symlink', linkname: '/etc' }]);
  const entries = await read([{ name: 'up/planted', body: 'x' }]);
  assert.throws(() => applyLayer(fs, entries), /"up\/planted" is written through \/up, a symlink that points outside the rootfs/);
  // An absolute symlink stays inside the rootfs: writing through it is fine.
  await apply(fs, [{ name: 'in/hosts', body: 'h' }]);
  assert.equal(text(fs, '/etc/hosts'), 'h');
});

test('an opaque marker hides every lower child, keeping the layer\'s own', async () => {
  const fs = new Vfs();
  await apply(fs, [{ name: 'data/old1', body: '1' }, { name: 'data/old2', body: '2' }, { name: 'other/x', body: 'x' }]);
  await apply(fs, [{ name: 'data/fresh', body: 'f' }, { name: 'data/.wh..wh..opq' }]);
  assert.deepEqual(list(fs, '/data'), ['fresh']);
  assert.deepEqual(list(fs, '/other'), ['x']);
});

test('symlinks resolve inside the rootfs, relative and absolute, never outside', async () => {
  const fs = new Vfs();
  await apply(fs, [
    { name: 'bin/toolbox', body: 'TB' },
    { name: 'bin/sh', type: 'symlink', linkname: 'toolbox' },
    { name: 'usr/bin', type: 'symlink', linkname: '/bin' },
    { name: 'escape', type: 'symlink', linkname: '../../../../bin/toolbox' },
    { name: 'loop', type: 'symlink', linkname: 'loop' },
  ]);
  assert.equal(text(fs, '/bin/sh'), 'TB');
  assert.equal(text(fs, '/usr/bin/sh'), 'TB');
  assert.equal(text(fs, '/escape'), 'TB', '.. stops at the rootfs root');
  assert.equal(fs.lstat('/bin/sh').kind, 'symlink');
  assert.throws(() => fs.stat('/loop'), { code: 'ELOOP' });
});

test('a file replaces a directory and a directory merges into a directory', async () => {
  const fs = new Vfs();
  await apply(fs, [{ name: 'x/inner', body: 'i' }, { name: 'd/one', body: '1' }]);
  await apply(fs, [{ name: 'x', body: 'now a file' }, { name: 'd/', type: 'directory', mode: 0o700 }, { name: 'd/two', body: '2' }]);
  assert.equal(text(fs, '/x'), 'now a file');
  assert.deepEqual(list(fs, '/d'), ['one', 'two']);
  assert.equal(fs.stat('/d').mode, 0o700);
});

test('hard links share one inode', async () => {
  const fs = new Vfs();
  await apply(fs, [{ name: 'a', body: 'same' }, { name: 'b', type: 'link', linkname: 'a' }]);
  assert.equal(fs.stat('/a'), fs.stat('/b'));
  fs.writeFile('/b', new TextEncoder().encode('changed'));
  assert.equal(text(fs, '/a'), 'changed');
});

test('entries that climb out or are absolute are refused', async () => {
  for (const name of ['../evil', 'a/../../evil', '/etc/passwd']) {
    const entries = await read([{ name, body: 'x' }]);
    assert.throws(() => applyLayer(new Vfs(), entries), { code: 'LayerInvalid' }, name);
  }
});

test('a corrupt layer gives LayerInvalid', async () => {
  const good = await gzipLayer([{ name: 'f', body: 'x'.repeat(2000) }]);
  await assert.rejects(readLayer(good.slice(0, 40), gz()), /not valid gzip data.*truncated/);
  await assert.rejects(readLayer(good, { ...gz(), mediaType: 'application/x-unknown' }), /application\/x-unknown, which podplay cannot apply/);
});

test('a gzip bomb stops at the expansion cap; an entry flood at the entry cap', async () => {
  const bomb = await gzipLayer([{ name: 'zeros', body: new Uint8Array(64 << 20) }]);
  assert.ok(bomb.byteLength < 200_000, `a ${bomb.byteLength}-byte bomb`);
  await assert.rejects(readLayer(bomb, gz(), 0, { maxExpandedBytes: 16 << 20, maxEntries: 10 }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'LayerInvalid');
    assert.match(err.message, /expands to more than 16 MiB.*decompression bomb/);
    return true;
  });
  const many = Array.from({ length: 10_000 }, (_, i) => ({ name: `d${i % 100}/f${i}`, body: String(i) }));
  const layer = await gzipLayer(many);
  const { entries } = await readLayer(layer, gz());
  const fs = new Vfs();
  applyLayer(fs, entries);
  assert.equal(text(fs, '/d42/f9942'), '9942');
  assert.equal([...fs.walk()].filter(([, n]) => n.kind === 'file').length, 10_000);
  await assert.rejects(readLayer(layer, gz(), 0, { maxExpandedBytes: 1 << 30, maxEntries: 5_000 }), /has more than the 5000 entries a layer may have here/);
});

test('ustar prefix, pax and GNU long names all read back whole', async () => {
  // Made by GNU tar itself, in each of its formats.
  const dir = await mkdtemp(join(tmpdir(), 'podplay-tar-'));
  const long = `${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(120)}.txt`;
  const prefixed = `${'d'.repeat(90)}/${'g'.repeat(50)}/${'f'.repeat(90)}.txt`; // fits ustar's 155-byte prefix + 100-byte name
  for (const name of [long, prefixed]) {
    await mkdir(join(dir, 'src', name, '..'), { recursive: true });
    await writeFile(join(dir, 'src', name), 'long name');
  }
  await symlink(`../../${'x'.repeat(110)}`, join(dir, 'src', 'link'));
  for (const format of ['gnu', 'pax', 'ustar']) {
    const out = join(dir, `${format}.tar`);
    const members = format === 'ustar' ? [prefixed] : [long, prefixed, 'link']; // ustar holds neither
    execFileSync('tar', [`--format=${format}`, '-C', join(dir, 'src'), '-cf', out, ...members]);
    const { entries } = await readLayer(await readFile(out), { ...gz(), mediaType: MediaType.layerTar });
    const fs = new Vfs();
    applyLayer(fs, entries);
    assert.equal(text(fs, '/' + prefixed), 'long name', format);
    if (format !== 'ustar') assert.equal(text(fs, '/' + long), 'long name', format);
    const link = fs.lookup('/link', false);
    if (format !== 'ustar') assert.equal(link?.kind === 'symlink' && link.target, `../../${'x'.repeat(110)}`, format);
  }
  await rm(dir, { recursive: true });
});

test('clone shares bytes until written (copy on write per file)', () => {
  const base = new Vfs();
  base.writeFile('/f', new TextEncoder().encode('base'));
  const copy = base.clone();
  copy.writeFile('/f', new TextEncoder().encode('mine'));
  copy.writeFile('/new', new TextEncoder().encode('n'));
  assert.equal(text(base, '/f'), 'base');
  assert.equal(base.lookup('/new'), undefined);
  assert.equal(text(copy, '/f'), 'mine');
});

test('a zstd layer is expanded where the platform can, and refused by name where it cannot', async (t) => {
  let zstdLayer: Uint8Array;
  try {
    zstdLayer = execFileSync('zstd', ['-q', '-c'], { input: await tarOf([{ name: 'z', body: 'zstd' }]) });
  } catch {
    return t.skip('needs the zstd command to make the layer');
  }
  const desc = { ...gz(), mediaType: MediaType.layerZstd };
  let platformHasZstd = true;
  try {
    new DecompressionStream('zstd' as CompressionFormat);
  } catch {
    platformHasZstd = false;
  }
  if (platformHasZstd) {
    const fs = new Vfs();
    applyLayer(fs, (await readLayer(zstdLayer, desc)).entries);
    assert.equal(text(fs, '/z'), 'zstd');
  } else {
    await assert.rejects(readLayer(zstdLayer, desc), /zstd-compressed, and this platform's DecompressionStream cannot expand zstd: re-pack the image with gzip layers/);
  }
});

test('whiteouts and opaque markers hide lower entries at their own path, never through a lower symlink', async () => {
  const fs = new Vfs();
  await apply(fs, [
    { name: 'run/x', body: 'x' },
    { name: 'var/run', type: 'symlink', linkname: '/run' },
    { name: 'etc/passwd', body: 'root' },
    { name: 'a', type: 'symlink', linkname: '/etc' },
    { name: 'up', type: 'symlink', linkname: '../..' },
    { name: 'keep/k', body: 'k' },
  ]);
  // What overlay2 emits after `rm /var/run && mkdir /var/run`: the new directory, opaque.
  await apply(fs, [{ name: 'var/run/', type: 'directory' }, { name: 'var/run/.wh..wh..opq' }, { name: 'a/.wh.passwd' }, { name: 'up/.wh..wh..opq' }]);
  assert.deepEqual(list(fs, '/run'), ['x'], 'the symlink target was not emptied');
  assert.equal(fs.lstat('/var/run').kind, 'dir');
  assert.equal(text(fs, '/etc/passwd'), 'root');
  assert.equal(text(fs, '/keep/k'), 'k');
});

test('malformed whiteouts, sparse files, over-long names and unfollowable symlinks are refused as LayerInvalid', async () => {
  for (const name of ['x/.wh.', 'a/b/.wh...', '.wh.', 'd/.wh..wh.', 'd/.wh..']) {
    const fs = new Vfs();
    await apply(fs, [{ name: 'x/y', body: 'y' }, { name: 'a/b/c', body: 'c' }]);
    const entries = await read([{ name }]);
    assert.throws(() => applyLayer(fs, entries), { code: 'LayerInvalid' }, name);
  }
  const tooLong = await read([{ name: 'a/'.repeat(2100) + 'f', body: 'x' }]).catch((e) => e);
  assert.ok(Array.isArray(tooLong), 'a long name still parses');
  assert.throws(() => applyLayer(new Vfs(), tooLong), /more than PATH_MAX/);
  const deep = Array.from({ length: 2000 }, (_, i) => ({ name: `${'d/'.repeat(200)}f${i}`, body: '' }));
  const fs = new Vfs();
  applyLayer(fs, await read(deep));
  assert.equal(fs.readdir('/' + 'd/'.repeat(200)).length, 2000);

  // A GNU sparse entry ('S'): its data would be read as garbage, so it is refused by name.
  const tar = await tarOf([{ name: 'sparse', body: 'data' }]);
  tar[156] = 'S'.charCodeAt(0);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : tar[i]!;
  tar.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
  await assert.rejects(readLayer(tar, { ...gz(), mediaType: MediaType.layerTar }), /tar entry of type 'S' \(a GNU sparse file\)/);

  const dangling = new Vfs();
  await apply(dangling, [{ name: 'link', type: 'symlink', linkname: '/no/such/dir' }, { name: 'loop', type: 'symlink', linkname: 'loop' }]);
  assert.throws(() => applyLayer(dangling, [{ name: 'link/f', type: 'file', mode: 0o644, mtime: 0, uid: 0, gid: 0, data: new Uint8Array(1) }]), { code: 'LayerInvalid' });
  assert.throws(() => applyLayer(dangling, [{ name: 'loop/f', type: 'file', mode: 0o644, mtime: 0, uid: 0, gid: 0, data: new Uint8Array(1) }]), /symlink that cannot be followed/);
});
