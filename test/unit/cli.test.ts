/**
 * `npx podplay` on Node: the real runtime (worker_threads node worker,
 * @wasmer/sdk's Node entry, the host-filesystem bridge) and a directory store.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ago, dockerSize, repoAndTag } from '../../src/cli/index.ts';
import { helloWasm } from '../helpers/bad-images.ts';

const bin = fileURLToPath(new URL('../../bin/podplay.mjs', import.meta.url));
const home = await mkdtemp(join(tmpdir(), 'podplay-home-'));
const podplay = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, PODPLAY_HOME: home }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('podplay run pulls into $PODPLAY_HOME and runs hello, reading its image files through the bridge', () => {
  const r = podplay('run', 'podplay/hello', 'node');
  assert.equal(r.stdout, 'Hello from podplay, node!\nhostname: node-1-1\n', r.stderr);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /Status: Downloaded newer image for podplay\/hello:latest/);
});

test('the exit code is the container\'s, and shared layers are not fetched again', async () => {
  const r = podplay('run', 'podplay/crash', '3');
  assert.equal(r.code, 3);
  assert.match(r.stderr, /: Already exists/);
  assert.match(r.stderr, /crash: exiting with code 3/);
  assert.ok((await readdir(join(home, 'blobs'))).length >= 6);
});

test('toolbox sh works in Node, and podplay images lists what is stored', () => {
  const r = podplay('run', 'podplay/toolbox', 'sh', '-c', 'echo x > /tmp/f && cat /tmp/f | tr x y; nope');
  assert.equal(r.stdout, 'y\n');
  assert.match(r.stderr, /sh: nope: not found/);
  assert.equal(r.code, 127);
  const images = podplay('images');
  assert.match(images.stdout, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\n/);
  assert.match(images.stdout, /podplay\/toolbox\s+latest\s+[0-9a-f]{12}\s+\S.* ago\s+\d+(\.\d+)?[kM]B\n/);
});

test('bad input: an unknown command and a program that is not wasm', () => {
  const unknown = podplay('frobnicate');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /'frobnicate' is not a podplay command/);
  // A file without an x bit cannot be executed at all (runc: permission denied; docker exits 126).
  const notExecutable = podplay('run', 'podplay/toolbox', '/etc/passwd');
  assert.equal(notExecutable.code, 126);
  assert.match(notExecutable.stderr, /exec: "\/etc\/passwd": permission denied/);
});

test('every sample program answers --help with its usage', () => {
  for (const name of ['hello', 'ticker', 'crash', 'primes', 'memhog', 'kv', 'web']) {
    const r = podplay('run', `podplay/${name}`, '--help');
    assert.equal(r.code, 0, `${name} --help: ${r.stderr}`);
    assert.match(r.stdout + r.stderr, new RegExp(`Usage: ${name}\\b`), name);
  }
  const applet = podplay('run', 'podplay/toolbox', 'grep', '--help');
  assert.match(applet.stdout, /^Usage: grep /);
});

test('programs use args, env and files the normal way: primes, kv', () => {
  assert.match(podplay('run', 'podplay/primes', '100').stdout, /^25 primes up to 100 \(largest 97\)/);
  const kv = podplay('run', 'podplay/kv', 'incr', 'visits');
  assert.equal(kv.stdout, '1\n', kv.stderr);
});

test('save, rmi, load and gc, as docker save / rmi / load do them', async () => {
  const out = join(home, 'saved.tar');
  assert.equal(podplay('pull', 'podplay/primes').code, 0);
  const saved = podplay('save', '-o', out, 'podplay/primes');
  assert.equal(saved.code, 0, saved.stderr);
  const removed = podplay('rmi', 'podplay/primes');
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /^Untagged: podplay\/primes:latest\n(Deleted: sha256:[0-9a-f]{64}\n){3}$/);
  const again = podplay('rmi', 'podplay/primes');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /No such image: podplay\/primes:latest/);
  const loaded = podplay('load', '-i', out);
  assert.equal(loaded.stdout, 'Loaded image: podplay/primes:latest\n', loaded.stderr);
  assert.equal(podplay('run', 'podplay/primes', '100').code, 0);

  const wasmFile = join(home, 'greeter.wasm');
  await writeFile(wasmFile, await helloWasm());
  assert.equal(podplay('load', '-i', wasmFile).stdout, 'Loaded image: greeter:latest\n');
  const ran = podplay('run', 'greeter', 'wasm');
  assert.equal(ran.stdout, 'Hello, wasm!\nhostname: node-1-1\n', ran.stderr);
  assert.match(podplay('images').stdout, /\ngreeter\s+latest\s/);
  const gc = podplay('gc');
  assert.equal(gc.code, 0);
  assert.match(gc.stdout, /Total reclaimed space: /);
  const junk = join(home, 'junk.txt');
  await writeFile(junk, 'not an image');
  const bad = podplay('load', '-i', junk);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /neither an image archive nor a WebAssembly module/);
});

test('sizes and ages read as docker prints them', () => {
  assert.equal(dockerSize(999), '999B');
  assert.equal(dockerSize(5_234_567), '5.23MB');
  assert.equal(dockerSize(1_700_000), '1.7MB');
  const now = Date.parse('2026-11-27T12:00:00Z');
  assert.equal(ago('2026-11-27T09:00:00Z', now), '3 hours ago');
  assert.equal(ago('2026-11-27T11:00:00Z', now), 'About an hour ago');
  assert.equal(ago('2026-11-26T12:00:00Z', now), '24 hours ago');
  assert.equal(ago('2026-01-01T00:00:00Z', now), '11 months ago');
  assert.equal(ago(undefined, now), 'N/A');
  assert.deepEqual(repoAndTag('localhost:5000/a/b:v1'), ['localhost:5000/a/b', 'v1']);
  assert.deepEqual(repoAndTag(`ghcr.io/a/b@sha256:${'0'.repeat(64)}`), ['ghcr.io/a/b', '<none>']);
});

test('piped input: each line runs in order, no prompt or echo, the exit code is the last command\'s; the cluster is saved for the next run', () => {
  const script = [
    'kubectl create deployment web --image=podplay/hello --replicas=2',
    'kubectl rollout status deployment/web',
    "kubectl get deploy web -o jsonpath='{.status.readyReplicas}{\"\\n\"}'",
    'kubectl apply -f - <<EOF',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: settings',
    'data:',
    '  mode: demo',
    'EOF',
    'kubectl get pods nope',
  ].join('\n');
  const r = spawnSync(process.execPath, [bin], { input: script + '\n', env: { ...process.env, PODPLAY_HOME: home }, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^deployment\.apps\/web created\n(Waiting for deployment "web" rollout to finish: .*\n)*deployment "web" successfully rolled out\n2\nconfigmap\/settings created\n$/);
  assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  const again = podplay('kubectl', 'get', 'deployments');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+2\/2\s+2\s+2\s+\d+s\n$/);
  assert.match(podplay('kubectl', 'get', 'cm', 'settings', '-o', 'jsonpath={.data.mode}').stdout, /^demo$/);
  const unknown = podplay('kubectl', 'frob');
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'error: unknown command "frob" for "kubectl"\n');
  const docker = podplay('docker', 'run', '--rm', 'podplay/crash', '4');
  assert.equal(docker.code, 4);
});

test('on a terminal podplay is the interactive shell: prompt, Tab, Ctrl-C stops get -w, exit saves the cluster', { skip: !existsSync('/usr/bin/script') && 'needs script(1) for a pseudo-terminal' }, async () => {
  const tty = await mkdtemp(join(tmpdir(), 'podplay-tty-'));
  // script(1) runs podplay on a pseudo-terminal; keys are written to it as a user types.
  const child = spawn('script', ['-qfc', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)}`, '/dev/null'], { env: { ...process.env, PODPLAY_HOME: tty } });
  let screen = '';
  child.stdout.on('data', (d: Buffer) => (screen += d.toString().replace(/\r/g, '').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')));
  const see = async (re: RegExp) => {
    const end = Date.now() + 60_000;
    while (!re.test(screen)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${re} in:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await see(/\$ $/);
  child.stdin.write('kubectl api-reso\t');
  await see(/\$ kubectl api-resources $/);
  child.stdin.write('\r');
  await see(/priorityclasses\s+pc\s+scheduling\.k8s\.io\/v1\s+false\s+PriorityClass\n\$ $/);
  child.stdin.write('kubectl get nodes -w\r');
  await see(/node-3\s+Ready\s+<none>\s+\S+\s+v1\.35\.0\n$/);
  child.stdin.write('\x03');
  await see(/\^C\n\$ $/);
  child.stdin.write('exit\r');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 0);
  assert.ok(existsSync(join(tty, 'cluster.json')));
});
