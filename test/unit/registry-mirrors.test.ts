/**
 * podplay's registry mirrors: one resolver for the kubelet and for docker
 * pull/run. A name a mirror serves (busybox, debian, registry.k8s.io/pause,
 * polinux/stress, …) is pulled from the mirror's podplay image and stored
 * under the name asked for, as a tag of the same manifest; the Pulled event
 * and docker pull say which podplay image served it and what it lacks.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { KubeObject, Node, Pod } from '../../src/api/index.ts';
import { dockerEngine, runDocker } from '../../src/cli/docker/index.ts';
import { bufferIo, type CliEnv } from '../../src/cli/io.ts';
import { splitWords } from '../../src/cli/words.ts';
import { REGISTRY_MIRRORS, mirrorNote, resolveImage } from '../../src/controllers/index.ts';
import { readLayer } from '../../src/oci/index.ts';
import { NodeWorker } from '../../src/runtime/index.ts';
import { Sandbox } from '../../src/sandbox/index.ts';
import { eventsOf, startCluster, until } from '../helpers/cluster.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

const TOOLBOX = 'podplay/toolbox:latest';
const NO_APT = 'podplay\'s toolbox is a minimal busybox-like image, without apt-get or dpkg: apt-get gives "sh: apt-get: not found"';
const NO_APK = 'podplay\'s toolbox is a minimal busybox-like image, without apk: apk gives "sh: apk: not found"';

test('the mirror table: which names are served, by which podplay image, stored under which name', () => {
  const cases: Array<[string, string | undefined, string, string?]> = [
    // name asked for, podplay image that serves it (none: not mirrored), stored as, what it lacks
    ['busybox', TOOLBOX, 'busybox:latest'],
    ['busybox:1.28', TOOLBOX, 'busybox:1.28'],
    ['docker.io/library/busybox:1.36', TOOLBOX, 'busybox:1.36'],
    ['library/busybox:stable', TOOLBOX, 'busybox:stable'],
    ['registry.k8s.io/busybox', TOOLBOX, 'registry.k8s.io/busybox:latest'],
    ['k8s.gcr.io/busybox:1.24', TOOLBOX, 'k8s.gcr.io/busybox:1.24'],
    ['registry.k8s.io/e2e-test-images/busybox:1.29-4', TOOLBOX, 'registry.k8s.io/e2e-test-images/busybox:1.29-4'],
    ['registry.k8s.io/pause:3.9', 'podplay/pause:latest', 'registry.k8s.io/pause:3.9'],
    ['registry.k8s.io/pause', 'podplay/pause:latest', 'registry.k8s.io/pause:latest'],
    ['k8s.gcr.io/pause:3.1', 'podplay/pause:latest', 'k8s.gcr.io/pause:3.1'],
    ['debian', TOOLBOX, 'debian:latest', NO_APT],
    ['debian:bookworm-slim', TOOLBOX, 'debian:bookworm-slim', NO_APT],
    ['ubuntu:22.04', TOOLBOX, 'ubuntu:22.04', NO_APT],
    ['docker.io/ubuntu', TOOLBOX, 'ubuntu:latest', NO_APT],
    ['alpine:3.19', TOOLBOX, 'alpine:3.19', NO_APK],
    ['polinux/stress', 'podplay/stress:latest', 'polinux/stress:latest'],
    ['docker.io/polinux/stress:1.0.4', 'podplay/stress:latest', 'polinux/stress:1.0.4'],
    // not mirrored: served as named, or not at all
    ['nginx:1.14.2', undefined, 'nginx:1.14.2'],
    ['podplay/toolbox', undefined, 'podplay/toolbox:latest'],
    ['stress', undefined, 'stress:latest'],
    ['ghcr.io/library/busybox', undefined, 'ghcr.io/library/busybox:latest'],
    ['k8s.gcr.io/e2e-test-images/busybox:1.29', undefined, 'k8s.gcr.io/e2e-test-images/busybox:1.29'],
    ['registry.k8s.io/pause-amd64:3.1', undefined, 'registry.k8s.io/pause-amd64:3.1'],
    [`busybox@sha256:${'a'.repeat(64)}`, undefined, `busybox@sha256:${'a'.repeat(64)}`],
  ];
  for (const [name, image, stored, about] of cases) {
    const r = resolveImage(name);
    assert.equal(r.mirror?.image, image, name);
    assert.equal(r.name, stored, name);
    assert.equal(r.mirror?.about, about, name);
  }
  assert.equal(REGISTRY_MIRRORS.length, 10, 'the table stays small: add a row to docs/cluster.md with any new one');
  assert.equal(mirrorNote(resolveImage('busybox').mirror!), 'served by podplay image "podplay/toolbox:latest" through a registry mirror');
  assert.equal(mirrorNote(resolveImage('debian').mirror!), `served by podplay image "podplay/toolbox:latest" through a registry mirror; ${NO_APT}`);
});

let dir = '';
let sb: Sandbox;
let env: CliEnv;
let node: NodeWorker;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podplay-mirrors-'));
  sb = await Sandbox.create({ layoutUrl: layoutUrl(), store: { kind: 'directory', root: join(dir, 'docker') }, fetch: fileFetch });
  env = { sandbox: async () => sb, files: undefined as never, fetch: fileFetch, cluster: undefined as never };
  node = new NodeWorker('node-1', { kind: 'directory', root: join(dir, 'node') });
  await node.ready();
});

after(async () => {
  await sb?.dispose();
  await node?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function docker(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo();
  const code = await runDocker(splitWords(line).words, io, env);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The `docker images` rows as [repository, tag, image id]. */
async function imageRows(): Promise<string[][]> {
  const r = await docker('images');
  return r.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s{2,}/).slice(0, 3));
}

test('docker pull busybox: the toolbox, stored as busybox:latest with the toolbox\'s image ID, and a line saying the mirror served it', async () => {
  const r = await docker('pull busybox');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 2), ['Using default tag: latest', 'latest: Pulling from library/busybox']);
  assert.match(r.stdout, /\nDigest: sha256:[0-9a-f]{64}\nStatus: Downloaded newer image for busybox:latest\ndocker\.io\/library\/busybox:latest\n$/);
  assert.equal(r.stderr, 'busybox:latest is served by podplay image "podplay/toolbox:latest" through a registry mirror\n');

  const again = await docker('pull busybox:latest');
  assert.match(again.stdout, /^latest: Pulling from library\/busybox\nDigest: sha256:[0-9a-f]{64}\nStatus: Image is up to date for busybox:latest\ndocker\.io\/library\/busybox:latest\n$/);

  const quiet = await docker('pull -q busybox:1.36');
  assert.deepEqual([quiet.code, quiet.stdout, quiet.stderr], [0, 'docker.io/library/busybox:1.36\n', '']);

  assert.equal((await docker('pull podplay/toolbox')).code, 0);
  const rows = await imageRows();
  const id = (repo: string, tag: string) => rows.find((x) => x[0] === repo && x[1] === tag)?.[2];
  assert.ok(id('busybox', 'latest'), JSON.stringify(rows));
  assert.equal(id('busybox', 'latest'), id('podplay/toolbox', 'latest'), 'one manifest, two names');
  assert.equal(id('busybox', '1.36'), id('podplay/toolbox', 'latest'));
  // The digest docker pull printed is the toolbox's own manifest.
  const digests = await docker('images --digests busybox');
  const tb = await docker('images --digests podplay/toolbox');
  assert.equal(digests.stdout.match(/sha256:[0-9a-f]{64}/)?.[0], tb.stdout.match(/sha256:[0-9a-f]{64}/)?.[0]);
});

test('docker run busybox echo hi: pulled through the mirror when missing, then run', async () => {
  const r = await docker('run --rm busybox:1.28 echo hi');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hi\n');
  assert.match(r.stderr, /^Unable to find image 'busybox:1\.28' locally\n1\.28: Pulling from library\/busybox\n/);
  assert.match(r.stderr, /Status: Downloaded newer image for busybox:1\.28\nbusybox:1\.28 is served by podplay image "podplay\/toolbox:latest" through a registry mirror\n$/);
  const twice = await docker('run --rm busybox:1.28 echo hi');
  assert.deepEqual([twice.stdout, twice.stderr], ['hi\n', ''], 'present now: no pull');
  const inspect = JSON.parse((await docker('image inspect busybox:1.28')).stdout) as Array<{ RepoTags: string[] }>;
  assert.ok(inspect[0]!.RepoTags.includes('busybox:1.28'), JSON.stringify(inspect[0]!.RepoTags));
});

test('debian, ubuntu and alpine: the toolbox, and the words for what it lacks', async () => {
  const pulled = await docker('pull debian:bookworm');
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.equal(pulled.stderr, `debian:bookworm is served by podplay image "podplay/toolbox:latest" through a registry mirror; ${NO_APT}\n`);
  const apt = await docker('run --rm debian:bookworm sh -c "apt-get update"');
  assert.deepEqual([apt.code, apt.stdout, apt.stderr], [127, '', 'sh: apt-get: not found\n']);
  const ubuntu = await docker('run --rm ubuntu:22.04 sh -c "echo ok; apt-get install -y curl"');
  assert.equal(ubuntu.code, 127);
  assert.equal(ubuntu.stdout, 'ok\n');
  assert.ok(ubuntu.stderr.endsWith(`ubuntu:22.04 is served by podplay image "podplay/toolbox:latest" through a registry mirror; ${NO_APT}\nsh: apt-get: not found\n`), ubuntu.stderr);
  const apk = await docker('run --rm -q alpine sh -c "apk add curl"');
  assert.deepEqual([apk.code, apk.stdout, apk.stderr], [127, '', 'sh: apk: not found\n'], '-q: no pull lines, no mirror line');
});

test('a name no mirror serves still fails in Docker Hub\'s words', async () => {
  const r = await docker('pull nginx');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /pull access denied for nginx, repository does not exist/);
});

test('registry.k8s.io/pause: podplay/pause, configured like the real pause; it runs until killed', async () => {
  const r = await docker('pull registry.k8s.io/pause:3.9');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('3.9: Pulling from pause\n'), r.stdout);
  assert.equal(r.stderr, 'registry.k8s.io/pause:3.9 is served by podplay image "podplay/pause:latest" through a registry mirror\n');
  const [image] = JSON.parse((await docker('image inspect registry.k8s.io/pause:3.9')).stdout) as Array<{ Config: { User: string; Entrypoint: string[]; Cmd: string[] | null } }>;
  assert.deepEqual([image!.Config.User, image!.Config.Entrypoint, image!.Config.Cmd ?? null], ['65535:65535', ['/pause'], null]);
  const { image: stored } = await sb.ensureImage('registry.k8s.io/pause:3.9');
  const last = stored.manifest.layers.at(-1)!;
  const { entries } = await readLayer((await sb.store.blobs.get(last.digest))!, last);
  assert.deepEqual(entries.map((e) => [e.name, e.type, e.linkname]), [['pause', 'symlink', '/bin/toolbox']]);

  const run = await docker('run -d --name pod-sandbox registry.k8s.io/pause:3.9');
  assert.equal(run.code, 0, run.stderr);
  await new Promise((res) => setTimeout(res, 500));
  const engine = dockerEngine(sb);
  const c = engine.get('pod-sandbox');
  assert.equal((await engine.state(c.id))?.state, 'running', 'pause sleeps until killed');
  assert.equal((await docker('kill pod-sandbox')).code, 0);
  assert.equal((await docker('rm pod-sandbox')).code, 0);
});

test('polinux/stress: podplay/stress, configured like the real image', async () => {
  const r = await docker('pull polinux/stress');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('latest: Pulling from polinux/stress\n'), r.stdout);
  const [image] = JSON.parse((await docker('image inspect polinux/stress')).stdout) as Array<{ Config: { Env: string[]; Entrypoint: string[] | null; Cmd: string[]; WorkingDir: string } }>;
  assert.deepEqual(image!.Config.Cmd, ['/usr/local/bin/stress']);
  assert.equal(image!.Config.Entrypoint ?? null, null);
  assert.ok(image!.Config.Env.includes('RELEASE_VERSION=1.0.4'), JSON.stringify(image!.Config.Env));
  const { image: stored } = await sb.ensureImage('polinux/stress');
  const last = stored.manifest.layers.at(-1)!;
  const { entries } = await readLayer((await sb.store.blobs.get(last.digest))!, last);
  assert.deepEqual(entries.filter((e) => e.type === 'symlink').map((e) => [e.name, e.linkname]), [['usr/local/bin/stress', '/bin/toolbox']]);
});

// The kubelet pulls through the same resolver: the node stores the name the pod asked for.

function pod(name: string, image: string, command?: string[], restartPolicy = 'Never'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { restartPolicy, terminationGracePeriodSeconds: 1, containers: [{ name, image, ...(command ? { command } : {}) }] } };
}
const podOf = (c: { api: { tryGet(k: string, ns: string, n: string): unknown } }, name: string) => c.api.tryGet('Pod', 'default', name) as Pod | undefined;

test('the kubelet pulls busybox and debian through the mirror: the events say so, the node lists the names asked for', async () => {
  const c = await startCluster({ kind: 'directory', root: join(dir, 'node') }, [{ name: 'node-1', worker: node }]);
  try {
    c.api.create(pod('bb', 'busybox:1.28', ['sh', '-c', 'echo "Hello, Kubernetes!"']));
    c.api.create(pod('deb', 'debian:bookworm', ['sh', '-c', 'apt-get update']));
    await until('both done', () => ['bb', 'deb'].every((n) => ['Succeeded', 'Failed'].includes(podOf(c, n)?.status?.phase ?? '')));
    assert.equal(podOf(c, 'bb')!.status!.phase, 'Succeeded');
    const bb = eventsOf(c.api, 'bb');
    assert.ok(bb.includes('Normal Pulling Pulling image "busybox:1.28"'), bb.join('\n'));
    const pulled = bb.find((e) => e.startsWith('Normal Pulled '))!;
    assert.match(pulled, /^Normal Pulled Successfully pulled image "busybox:1\.28" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\. \(served by podplay image "podplay\/toolbox:latest" through a registry mirror\)$/);

    const deb = podOf(c, 'deb')!;
    assert.equal(deb.status!.phase, 'Failed');
    assert.equal(deb.status!.containerStatuses![0]!.state.terminated!.exitCode, 127);
    const id = deb.status!.containerStatuses![0]!.containerID!.replace('podplay://', '');
    assert.deepEqual((await node.logs(id)).map((l) => l.text), ['sh: apt-get: not found']);
    assert.ok(eventsOf(c.api, 'deb').some((e) => e.startsWith('Normal Pulled Successfully pulled image "debian:bookworm"') && e.endsWith(`(served by podplay image "podplay/toolbox:latest" through a registry mirror; ${NO_APT})`)));
    assert.equal(deb.status!.containerStatuses![0]!.image, 'docker.io/library/debian:bookworm');
    assert.match(deb.status!.containerStatuses![0]!.imageID, /^debian@sha256:[0-9a-f]{64}$/);

    await c.kubelets[0]!.heartbeat();
    const names = (c.api.get('Node', undefined, 'node-1') as Node).status!.images!.flatMap((i) => i.names);
    assert.ok(names.includes('busybox:1.28') && names.includes('debian:bookworm'), names.join(', '));

    // Present now: a second pod is told so, with the mirror named again.
    c.api.create(pod('bb2', 'busybox:1.28', ['true']));
    await until('bb2 done', () => podOf(c, 'bb2')?.status?.phase === 'Succeeded');
    assert.ok(eventsOf(c.api, 'bb2').includes('Normal Pulled Container image "busybox:1.28" already present on machine and can be accessed by the pod (served by podplay image "podplay/toolbox:latest" through a registry mirror)'));
  } finally {
    c.close();
  }
});

test('a pod of registry.k8s.io/pause sits Running 1/1 until it is deleted', async () => {
  const c = await startCluster({ kind: 'directory', root: join(dir, 'node') }, [{ name: 'node-1', worker: node }]);
  try {
    c.api.create(pod('sandbox', 'registry.k8s.io/pause:3.9', undefined, 'Always'));
    const status = () => podOf(c, 'sandbox')?.status?.containerStatuses?.[0];
    await until('Running and ready, or a failed pull', () => status()?.ready === true || status()?.state.waiting?.reason === 'ErrImagePull');
    assert.equal(status()!.state.waiting?.message, undefined, 'pulled');
    await new Promise((res) => setTimeout(res, 1000));
    const s = podOf(c, 'sandbox')!.status!;
    assert.equal(s.phase, 'Running');
    assert.deepEqual([s.containerStatuses![0]!.state.running !== undefined, s.containerStatuses![0]!.restartCount], [true, 0], 'it does not exit');
    const e = eventsOf(c.api, 'sandbox');
    assert.ok(e.some((x) => /^Normal Pulled Successfully pulled image "registry\.k8s\.io\/pause:3\.9" .*\(served by podplay image "podplay\/pause:latest" through a registry mirror\)$/.test(x)), e.join('\n'));
    c.api.delete('Pod', 'default', 'sandbox', { gracePeriodSeconds: 1 });
    await until('gone', () => !podOf(c, 'sandbox'));
  } finally {
    c.close();
  }
});
