/**
 * Pack determinism: the Go packer, run twice from the same sources, writes
 * byte-identical layouts, and (with the Go that packed it) the committed one.
 * Needs Go; without it the test is skipped and says why.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LAYOUT_DIR } from '../helpers/layout.ts';

const wasmDir = fileURLToPath(new URL('../../wasm', import.meta.url));
const hasGo = spawnSync('go', ['version']).status === 0;

async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (name.isFile()) {
      const p = join(name.parentPath, name.name);
      out.set(p.slice(dir.length), await readFile(p));
    }
  }
  return out;
}

test('packing twice gives the same bytes', { skip: hasGo ? false : 'Go is not installed', timeout: 300_000 }, async () => {
  const a = await mkdtemp(join(tmpdir(), 'podplay-pack-a-'));
  const b = await mkdtemp(join(tmpdir(), 'podplay-pack-b-'));
  for (const out of [a, b]) execFileSync('go', ['run', './tools/pack', '-out', out], { cwd: wasmDir, stdio: 'pipe' });
  const [fa, fb] = [await files(a), await files(b)];
  assert.deepEqual([...fa.keys()].sort(), [...fb.keys()].sort());
  for (const [k, v] of fa) assert.ok(v.equals(fb.get(k)!), `${k} differs between two packs`);
  const index = JSON.parse(fa.get('/index.json')!.toString());
  const committed = JSON.parse(await readFile(join(LAYOUT_DIR, 'index.json'), 'utf8'));
  if (committed.annotations['dev.podplay.go.version'] === index.annotations['dev.podplay.go.version']) {
    assert.deepEqual(index, committed, 'the committed layout is what this Go packs: run npm run images and commit');
  }
  await Promise.all([rm(a, { recursive: true }), rm(b, { recursive: true })]);
});
