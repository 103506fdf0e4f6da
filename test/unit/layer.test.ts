import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MediaType, applyLayer, readLayer } from '../../src/oci/index.ts';
import { Vfs } from '../../src/vfs/index.ts';
import { gzipLayer } from '../helpers/layout.ts';

type Entry = Parameters<typeof gzipLayer>[0][number];

async function apply(vfs: Vfs, entries: Entry[]) {
  applyLayer(vfs, await readLayer(await gzipLayer(entries), MediaType.layerGzip));
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

test('a whiteout removes the lower entry, only the lower one', async () => {
  const fs = new Vfs();
  await apply(fs, [{ name: 'a/keep', body: 'k' }, { name: 'a/gone', body: 'g' }, { name: 'a/dir/deep', body: 'd' }]);
  // The same layer re-adds a/gone after whiting it out: the new file stays.
  await apply(fs, [{ name: 'a/gone', body: 'new' }, { name: 'a/.wh.gone' }, { name: 'a/.wh.dir' }]);
  assert.deepEqual(list(fs, '/a'), ['gone', 'keep']);
  assert.equal(text(fs, '/a/gone'), 'new');
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
    const entries = await readLayer(await gzipLayer([{ name, body: 'x' }]), MediaType.layerGzip);
    assert.throws(() => applyLayer(new Vfs(), entries), { code: 'LayerInvalid' }, name);
  }
});

test('a corrupt layer gives LayerInvalid', async () => {
  const good = await gzipLayer([{ name: 'f', body: 'x'.repeat(2000) }]);
  await assert.rejects(readLayer(good.slice(0, 40), MediaType.layerGzip), { code: 'LayerInvalid' });
  await assert.rejects(readLayer(good, 'application/x-unknown'), { code: 'LayerInvalid' });
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
