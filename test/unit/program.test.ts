import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processFor } from '../../src/runtime/index.ts';
import { Vfs } from '../../src/vfs/index.ts';
import { resolveProgram } from '../../src/wasi/index.ts';
import type { ImageConfig } from '../../src/oci/index.ts';

const wasm = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
function tree() {
  const fs = new Vfs();
  fs.mkdirp('/bin');
  fs.mkdirp('/usr/local/bin');
  fs.mkdirp('/etc');
  fs.writeFile('/bin/toolbox', wasm, 0o755);
  fs.symlink('toolbox', '/bin/sh');
  fs.writeFile('/usr/local/bin/run.sh', new TextEncoder().encode('#!/bin/sh -e\necho hi\n'), 0o755);
  fs.writeFile('/etc-passwd', new TextEncoder().encode('root:x:0:0'), 0o755);
  fs.writeFile('/etc/motd', new TextEncoder().encode('#!/bin/sh\n'), 0o644);
  return fs;
}

test('programs are found on PATH, through symlinks, keeping the name they were called by', () => {
  const fs = tree();
  const p = resolveProgram(fs, ['sh', '-c', 'true'], '/', '/usr/local/bin:/bin');
  assert.equal(p.path, '/bin/sh');
  assert.deepEqual(p.argv, ['sh', '-c', 'true']);
  assert.equal(p.file, fs.stat('/bin/toolbox'), 'the symlink leads to the toolbox binary');
});

test('a #! script runs through its interpreter, as execve does', () => {
  const p = resolveProgram(tree(), ['run.sh', 'a'], '/', '/usr/local/bin:/bin');
  assert.deepEqual(p.argv, ['/bin/sh', '-e', '/usr/local/bin/run.sh', 'a']);
});

test('missing programs and non-wasm files say so', () => {
  assert.throws(() => resolveProgram(tree(), ['nginx'], '/', '/bin'), (err: Error & { code?: string }) => err.code === 'ExecNotFound' && /executable file not found in \$PATH/.test(err.message));
  assert.throws(() => resolveProgram(tree(), ['/etc-passwd'], '/', '/bin'), (err: Error & { code?: string }) => err.code === 'NotWasm' && /not a WebAssembly module/.test(err.message));
  // Without an x bit execve refuses, as runc reports it (docker: exit 126).
  assert.throws(() => resolveProgram(tree(), ['/etc/motd'], '/', '/bin'), (err: Error & { code?: string }) => err.code === 'ExecDenied' && /^exec: "\/etc\/motd": permission denied: \/etc\/motd is mode 0644/.test(err.message));
});

test('argv, env and cwd follow docker and Kubernetes rules', () => {
  const config = { os: 'wasip1', architecture: 'wasm', rootfs: { type: 'layers', diff_ids: [] }, config: { Entrypoint: ['/e'], Cmd: ['c1'], Env: ['PATH=/bin', 'A=1'], WorkingDir: '/w' } } as ImageConfig;
  assert.deepEqual(processFor(config, { id: 'abc', image: 'x' }).argv, ['/e', 'c1']);
  assert.deepEqual(processFor(config, { id: 'abc', image: 'x', args: ['a2'] }).argv, ['/e', 'a2']);
  assert.deepEqual(processFor(config, { id: 'abc', image: 'x', command: ['/other'] }).argv, ['/other'], 'a new entrypoint drops the image Cmd');
  const p = processFor(config, { id: 'abcdef0123456789', image: 'x', env: { A: '2' } });
  assert.deepEqual([p.env.A, p.env.PATH, p.env.HOSTNAME, p.cwd], ['2', '/bin', 'abcdef012345', '/w']);
});
