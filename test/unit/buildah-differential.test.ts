/**
 * docker build against a real builder: Debian's buildah builds the same
 * Dockerfiles (those that need no RUN) from the same context, and the two
 * results are compared file by file (type, mode, owner, bytes, link
 * targets, times) and field by field in the image config.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { NodeFiles } from '../../src/cli/node-files.ts';
import { RootfsCache, loadImage } from '../../src/oci/index.ts';
import { Sandbox } from '../../src/sandbox/index.ts';
import type { Vfs } from '../../src/vfs/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';
import { peerSkipReason } from '../helpers/peers.ts';
import { tarOf } from '../helpers/images.ts';

interface Row {
  type: string;
  mode: string;
  owner: string;
  content?: string;
  target?: string;
  mtime?: number;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 16);

async function describeDisk(root: string): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  const walk = async (dir: string, rel: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const p = join(dir, name);
      const r = `${rel}/${name}`;
      const st = await lstat(p);
      const base = { mode: (st.mode & 0o7777).toString(8), owner: `${st.uid}:${st.gid}` };
      if (st.isSymbolicLink()) rows.set(r, { type: 'symlink', ...base, mode: '-', target: await readlink(p) });
      else if (st.isDirectory()) {
        rows.set(r, { type: 'dir', ...base });
        await walk(p, r);
      } else rows.set(r, { type: 'file', ...base, content: sha(await readFile(p)), mtime: Math.floor(st.mtimeMs / 1000) });
    }
  };
  await walk(root, '');
  return rows;
}

function describeVfs(fs: Vfs): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const [p, node] of fs.walk()) {
    const base = { mode: node.mode.toString(8), owner: `${node.uid}:${node.gid}` };
    if (node.kind === 'symlink') rows.set(p, { type: 'symlink', ...base, mode: '-', target: node.target });
    else if (node.kind === 'dir') rows.set(p, { type: 'dir', ...base });
    else rows.set(p, { type: 'file', ...base, content: sha(node.content()), mtime: Math.floor(node.mtime / 1000) });
  }
  return rows;
}

/** The config fields both builders set (buildah's identity label and history left out). */
function configFields(c: { config?: Record<string, unknown> }): Record<string, unknown> {
  const cfg = c.config ?? {};
  const pick = ['Env', 'Entrypoint', 'Cmd', 'WorkingDir', 'User', 'ExposedPorts', 'Labels', 'Volumes', 'StopSignal'];
  return Object.fromEntries(pick.filter((k) => cfg[k] !== undefined && !(typeof cfg[k] === 'object' && Object.keys(cfg[k] as object).length === 0)).map((k) => [k, cfg[k]]));
}

const CASES: Record<string, (base: string) => string> = {
  scratch: () => 'FROM scratch\nCOPY a.txt /a.txt\nENV A=1 B="two words"\nWORKDIR /app\nLABEL x=y "with space"=z\nUSER 1000\nEXPOSE 8080 53/udp\nVOLUME /data\nSTOPSIGNAL SIGINT\nENTRYPOINT ["/bin/app"]\nCMD ["--port", "8080"]\n',
  layered: (base) =>
    `FROM ${base} AS first\nCOPY dir /copied\nADD small.tar.gz /extracted/\nCOPY --chown=1000:1000 --chmod=600 owned.txt /owned/\nCOPY a.txt b.sh /files/\nCOPY dir/ /merged/\nWORKDIR sub/dir\n` +
    `FROM ${base}\nCOPY --from=first /files /from-first\nCOPY --from=first /extracted /extracted\nCMD ["sh"]\n`,
};

test('docker build matches buildah, file by file and in the config, for Dockerfiles without RUN', async (t) => {
  const skip = peerSkipReason('buildah', 'umoci', 'skopeo');
  if (skip) return t.skip(skip);
  const work = await mkdtemp(join(tmpdir(), 'podplay-buildah-'));
  const ctx = join(work, 'ctx');
  await mkdir(join(ctx, 'dir/sub'), { recursive: true });
  await writeFile(join(ctx, 'a.txt'), 'alpha\n');
  await writeFile(join(ctx, 'b.sh'), '#!/bin/sh\necho b\n');
  await chmod(join(ctx, 'b.sh'), 0o755);
  await writeFile(join(ctx, 'owned.txt'), 'mine\n');
  await writeFile(join(ctx, 'dir/one.txt'), '1\n');
  await writeFile(join(ctx, 'dir/sub/two.txt'), '2\n');
  await writeFile(join(ctx, 'small.tar.gz'), new Uint8Array(execFileSync('gzip', ['-n'], { input: await tarOf([{ name: 't/', type: 'directory' }, { name: 't/inside.txt', body: 'inside\n' }]) })));
  const cfg = join(work, 'cfg');
  await mkdir(cfg);
  await writeFile(join(cfg, 'storage.conf'), `[storage]\ndriver="vfs"\nrunroot="${work}/run"\ngraphroot="${work}/root"\n`);
  await writeFile(join(cfg, 'registries.conf'), 'unqualified-search-registries = []\n');
  await writeFile(join(cfg, 'policy.json'), '{"default":[{"type":"insecureAcceptAnything"}]}');
  const env = { ...process.env, CONTAINERS_STORAGE_CONF: join(cfg, 'storage.conf'), CONTAINERS_REGISTRIES_CONF: join(cfg, 'registries.conf'), STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot', TMPDIR: work };
  const layout = resolve('public/images');
  const sb = await Sandbox.create({ layoutUrl: layoutUrl(), store: { kind: 'directory', root: join(work, 'podplay') }, fetch: fileFetch });
  const files = new NodeFiles(ctx);
  try {
    for (const [name, dockerfile] of Object.entries(CASES)) {
      await writeFile(join(work, `${name}.buildah`), dockerfile(`oci:${layout}:podplay/toolbox:latest`));
      const out = join(work, `out-${name}`);
      execFileSync('buildah', ['bud', '--signature-policy', join(cfg, 'policy.json'), '--timestamp', '0', '--identity-label=false', '-f', join(work, `${name}.buildah`), '-t', `oci:${out}:x`, ctx], { env, stdio: 'pipe' });
      // raw unpack: the rootfs alone (a runtime bundle's config.json has no wasip1 OS).
      execFileSync('umoci', ['raw', 'unpack', '--image', `${out}:x`, join(work, `unpacked-${name}`)], { stdio: 'pipe' });
      const theirs = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `oci:${out}:x`]).toString());

      await sb.build({ dockerfile: dockerfile('podplay/toolbox'), context: { name: ctx, list: () => files.walk('.'), read: (p) => files.read(p) }, tags: [`diff-${name}`] });
      const image = await loadImage(sb.store, `diff-${name}`);
      const rootfs = await new RootfsCache().rootfs((d) => sb.store.get(d.digest), image.manifest, image.config);

      const mine = describeVfs(rootfs);
      const disk = await describeDisk(join(work, `unpacked-${name}`));
      const all = [...new Set([...mine.keys(), ...disk.keys()])].sort();
      const differences = all.filter((p) => JSON.stringify(mine.get(p)) !== JSON.stringify(disk.get(p))).map((p) => `${p}: podplay ${JSON.stringify(mine.get(p))} buildah ${JSON.stringify(disk.get(p))}`);
      assert.deepEqual(differences, [], `${name}: the rootfs differs`);
      // buildah puts a default PATH after an inherited Env: compare Env as sets.
      const sortEnv = (c: Record<string, unknown>) => ({ ...c, ...(c.Env ? { Env: [...(c.Env as string[])].sort() } : {}) });
      assert.deepEqual(sortEnv(configFields(image.config as never)), sortEnv(configFields(theirs)), `${name}: the config differs`);
    }
  } finally {
    await sb.dispose();
  }
});
