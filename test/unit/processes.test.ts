/**
 * Containers that behave like Linux processes, through a real node worker,
 * real @wasmer/sdk and the packed images: the toolbox's sh starts the
 * image's programs as child processes (pipes both ways, exec, #! scripts,
 * sh's errors), the control directory shows the tree's true metadata
 * (compared with the layer's tar headers, and find with GNU find over
 * umoci's unpack of the same layers), signals reach PID 1 as Linux delivers
 * them, and the pids limit holds a fork loop.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { KubeObject, Pod } from '../../src/api/index.ts';
import { LayoutSource, pullImage, tarEntries } from '../../src/oci/index.ts';
import { NodeWorker, openContentStore, type ContainerResult, type ContainerSpec, type OutputEvent, type StoreConfig } from '../../src/runtime/index.ts';
import { runDocker } from '../../src/cli/docker/index.ts';
import { bufferIo, type CliEnv } from '../../src/cli/io.ts';
import { splitWords } from '../../src/cli/words.ts';
import { Sandbox } from '../../src/sandbox/index.ts';
import { ImageBuilder, type Entry } from '../helpers/images.ts';
import { trickyLayersUnder } from '../helpers/tricky-layers.ts';
import { eventsOf, startCluster, until } from '../helpers/cluster.ts';
import { LAYOUT_DIR, fileFetch, layoutUrl } from '../helpers/layout.ts';
import { peerSkipReason } from '../helpers/peers.ts';

let dir = '';
let store: StoreConfig;
let node: NodeWorker;
let n = 0;
const id = () => `p${++n}`;
const decode = (events: OutputEvent[], type: string) => events.filter((e) => e.type === type).map((e) => new TextDecoder().decode(e.data)).join('');

/** Runs a container to its end: its result, stdout and stderr. */
async function run(spec: Omit<ContainerSpec, 'id'>): Promise<{ result: ContainerResult; out: string; err: string }> {
  const events: OutputEvent[] = [];
  const result = await (await node.run({ id: id(), ...spec }, { onOutput: (e) => void events.push(e) })).result;
  return { result, out: decode(events, 'stdout'), err: decode(events, 'stderr') };
}
const sh = (script: string, image = 'podplay/hello:latest', extra: Partial<ContainerSpec> = {}) => run({ image, command: ['sh', '-c', script], ...extra });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podplay-processes-'));
  store = { kind: 'directory', root: dir };
  const content = await openContentStore(store);
  for (const ref of ['podplay/toolbox', 'podplay/hello', 'podplay/kv', 'podplay/crash', 'podplay/ticker', 'podplay/memhog']) await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), ref, content);
  node = new NodeWorker('node-p', store);
  await node.ready();
});

after(async () => {
  await node?.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('sh starts the image programs as child processes: pipes both ways, $(…), background jobs, exit statuses', async () => {
  const r = await sh(
    [
      '/usr/local/bin/hello -once | tr a-z A-Z', // a child into an applet
      'echo "st=$?"',
      'X=$(hello -once | head -1); echo "got: $X"', // a child in $(…), cut short by head
      'hello -once > /tmp/out & wait; wc -l < /tmp/out', // a background child, redirected
      'nope; echo "missing=$?"',
      '/etc/hostname; echo "notexec=$?"',
      'echo done',
    ].join('\n'),
    'podplay/hello:latest',
    { hostname: 'box' },
  );
  assert.equal(r.err, 'sh: nope: not found\nsh: /etc/hostname: Permission denied\n');
  assert.equal(r.out, 'HELLO FROM PODPLAY, WORLD!\nHOSTNAME: BOX\nst=0\ngot: Hello from podplay, world!\n      2\nmissing=127\nnotexec=126\ndone\n');
  assert.equal(r.result.exitCode, 0);

  const kv = await sh(
    [
      'seq 1 5 | kv set nums -', // an applet into a child's stdin
      'kv get nums | wc -l',
      'yes | head -c 300000 | kv set big -; kv get big | wc -c', // a stream through a child
      'FOO=bar env | grep FOO', // an assignment reaches the command's environment
    ].join('\n'),
    'podplay/kv:latest',
  );
  assert.equal(kv.err, '');
  assert.equal(kv.out, '      5\n 300000\nFOO=bar\n');

  const crash = await sh('crash 3; echo "crash=$?"; exit 7', 'podplay/crash:latest');
  assert.match(crash.out, /crash=3\n$/);
  assert.equal(crash.result.exitCode, 7);
});

test('exec replaces the shell: the program becomes PID 1 and gets SIGTERM itself', async () => {
  const once = await sh('exec hello -once');
  assert.match(once.out, /^Hello from podplay, world!\n/);
  assert.equal(once.result.exitCode, 0);

  // sh as PID 1 outlives SIGTERM; after exec the Go program is PID 1 and ends on it at once.
  const stopAfter = async (script: string, graceMs: number) => {
    const c = id();
    await node.create({ id: c, image: 'podplay/ticker:latest', command: ['sh', '-c', script] });
    await node.start(c);
    await new Promise((res) => setTimeout(res, 500));
    const t0 = Date.now();
    const info = await node.stop(c, graceMs);
    return { info, ms: Date.now() - t0 };
  };
  const direct = await stopAfter('exec ticker -interval 50ms', 3000);
  assert.deepEqual([direct.info.exitCode, direct.info.reason], [2, 'Error']);
  assert.ok(direct.ms < 1500, `exec'd ticker ended on SIGTERM in ${direct.ms} ms`);
  const child = await stopAfter('ticker -interval 50ms', 600);
  assert.deepEqual([child.info.exitCode, child.info.reason], [137, 'Killed']);
  assert.ok(child.ms >= 550, `sh waited out its grace period (${child.ms} ms)`);
});

test('#! scripts run through their interpreter, as a command and as a container entrypoint; sh\'s errors for what cannot run', async () => {
  const files = {
    'start.sh': '#!/bin/sh\necho "script $0 args: $*"\nexec hello -once\n',
    'plain': 'echo "no #! line: run by sh"\n',
    'py': '#!/usr/bin/python3\nprint(1)\n',
    'elf': '\x7fELF\x02\x01\x01\x00\x00\x00',
  };
  const mounts = [{ path: '/scripts', volume: { kind: 'files' as const, files, mode: 0o755 } }];
  const r = await sh('/scripts/start.sh a b; /scripts/plain; /scripts/py; echo "py=$?"; /scripts/elf; echo "elf=$?"', 'podplay/hello:latest', { mounts });
  assert.match(r.out, /^script \/scripts\/start\.sh args: a b\nHello from podplay, world!\n.*\nno #! line: run by sh\npy=127\nelf=126\n$/s);
  assert.equal(r.err, 'sh: /scripts/py: /usr/bin/python3: bad interpreter: No such file or directory\nsh: /scripts/elf: Exec format error\n');

  // The kernel runs an entrypoint's #! line too.
  const entry = await run({ image: 'podplay/hello:latest', command: ['/scripts/start.sh', 'x'], mounts });
  assert.match(entry.out, /^script \/scripts\/start\.sh args: x\nHello from podplay, world!\n/);
  assert.equal(entry.result.exitCode, 0);
  // A binary that is not wasm cannot start at all.
  const bad = await run({ image: 'podplay/hello:latest', command: ['/scripts/elf'], mounts });
  assert.equal(bad.result.reason, 'StartError');
  assert.match(bad.result.error?.message ?? '', /exec format error/);
});

test('ls, stat, readlink and find show the layer as its tar headers have it', async () => {
  const index = JSON.parse(await readFile(join(LAYOUT_DIR, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations: Record<string, string> }> };
  const blob = (d: string) => readFile(join(LAYOUT_DIR, 'blobs', 'sha256', d.replace('sha256:', '')));
  const m = index.manifests.find((x) => x.annotations['org.opencontainers.image.ref.name'] === 'podplay/toolbox:latest')!;
  const manifest = JSON.parse((await blob(m.digest)).toString()) as { layers: Array<{ digest: string }> };
  const headers = new Map<string, { type: string; mode: number; size: number; linkname: string }>();
  for (const e of await tarEntries(gunzipSync(await blob(manifest.layers[0]!.digest)), 'toolbox layer')) {
    headers.set('/' + e.name.replace(/\/$/, ''), { type: e.type, mode: e.mode, size: e.data?.byteLength ?? 0, linkname: e.linkname ?? '' });
  }

  const r = await sh('ls -la /; echo ---; ls -l /bin; echo ---; stat -c "%A %h %U %G %s %N" /bin/toolbox /bin/ls /tmp; readlink /bin/sh; find /etc -type f | sort', 'podplay/toolbox:latest');
  const [root, bin, rest] = r.out.split('---\n') as [string, string, string];
  // The root lists the layer's top-level entries (and the mount point /run of the control directory).
  const top = [...headers.keys()].filter((p) => p.split('/').length === 2).map((p) => p.slice(1));
  const listed = root.split('\n').slice(3).filter(Boolean).map((l) => l.split(/\s+/).at(-1)!);
  assert.deepEqual(listed.filter((x) => x !== 'run'), top.sort());
  assert.match(root, /\ndrwxrwxrwt\s+2 root\s+root\s+4096 \w{3} [ \d]\d\s+\S+ tmp\n/);
  // Every /bin entry as its header says: symlinks to the toolbox, the toolbox 0755 with its size.
  for (const line of bin.split('\n').slice(1).filter(Boolean)) {
    const name = line.split(/\s+/)[8]!;
    const h = headers.get(`/bin/${name}`)!;
    assert.ok(h, `/bin/${name} is in the layer`);
    if (h.type === 'symlink') assert.match(line, new RegExp(`^lrwxrwxrwx\\s+1 root\\s+root\\s+${h.linkname.length} .* ${name} -> ${h.linkname}$`));
    else assert.match(line, new RegExp(`^-rwxr-xr-x\\s+1 root\\s+root\\s+${h.size} .* ${name}$`));
  }
  assert.equal(bin.split('\n').filter(Boolean).length - 1, [...headers.keys()].filter((p) => p.startsWith('/bin/')).length);
  assert.equal(
    rest,
    `-rwxr-xr-x 1 root root ${headers.get('/bin/toolbox')!.size} '/bin/toolbox'\nlrwxrwxrwx 1 root root 7 '/bin/ls' -> 'toolbox'\ndrwxrwxrwt 2 root root 4096 '/tmp'\ntoolbox\n/etc/group\n/etc/hostname\n/etc/os-release\n/etc/passwd\n`,
  );
});

test('tar keeps modes, owners, symlinks and hard links both ways', async () => {
  const r = await sh(
    'mkdir -p /tmp/src/d && cd /tmp/src && echo x > f && chmod 4711 f && ln f h && ln -s f l && chown 65534:65534 d && tar czf /tmp/a.tgz . && tar tzf /tmp/a.tgz && mkdir /tmp/dst && tar xzf /tmp/a.tgz -C /tmp/dst && stat -c "%n %A %h %U" /tmp/dst/f /tmp/dst/h /tmp/dst/d && readlink /tmp/dst/l',
    'podplay/toolbox:latest',
  );
  assert.equal(r.err, '');
  assert.equal(r.out, './\n./d/\n./f\n./h\n./l\n/tmp/dst/f -rws--x--x 2 root\n/tmp/dst/h -rws--x--x 2 root\n/tmp/dst/d drwxr-xr-x 2 nobody\nf\n');
});

test('chmod, ln -s, ln, cp -a, du and rm -r change and show the tree as Linux would', async () => {
  const r = await sh(
    'cd /tmp && echo hi > f && chmod 4750 f && ln -s f l && ln f h && mkdir -p d/e && cp -a /tmp /etc/copy && ls -l f l h && stat -c "%a %h" /etc/copy/f && readlink /etc/copy/l && du -s /etc/copy && rm -r /etc/copy && ls /etc/copy; echo "rm=$?"',
    'podplay/toolbox:latest',
  );
  assert.match(r.out, /^-rwsr-x---\s+2 root\s+root\s+3 .* f\n-rwsr-x---\s+2 root\s+root\s+3 .* h\nlrwxrwxrwx\s+1 root\s+root\s+1 .* l -> f\n/);
  assert.match(r.out, /\n4750 1\nf\n\d+\t\/etc\/copy\nrm=1\n$/);
  assert.equal(r.err, 'ls: /etc/copy: No such file or directory\n');
});

// The layers of the umoci differential test, under /x of a tree that has the toolbox to run find.
const TRICKY = trickyLayersUnder('x');
const FIND_QUERIES = ['', '-type f', '-type d', '-type l', '-type f -links +1', '-perm -1000', '-perm -0100 -type f', '-empty', '-name "*e*" -o -name sh', '-mindepth 2 -maxdepth 2', '! -type d -newer hard/b'];

test('find on a tricky layer (whiteouts, opaque dirs, symlinks, hard links) answers as GNU find over umoci unpack', { skip: peerSkipReason('umoci') }, async () => {
  const work = await mkdtemp(join(tmpdir(), 'podplay-find-'));
  try {
    // The toolbox's layer first (the program that runs find), then the tricky ones.
    const index = JSON.parse(await readFile(join(LAYOUT_DIR, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations: Record<string, string> }> };
    const blob = (d: string) => readFile(join(LAYOUT_DIR, 'blobs', 'sha256', d.replace('sha256:', '')));
    const m = index.manifests.find((x) => x.annotations['org.opencontainers.image.ref.name'] === 'podplay/toolbox:latest')!;
    const manifest = JSON.parse((await blob(m.digest)).toString()) as { layers: Array<{ digest: string }> };
    const toolbox: Entry[] = (await tarEntries(gunzipSync(await blob(manifest.layers[0]!.digest)), 'toolbox layer')).map(
      (e) => ({ name: e.name, type: e.type, mode: e.mode, mtime: new Date(e.mtime), uid: e.uid, gid: e.gid, linkname: e.linkname, body: e.data }) as Entry,
    );
    const b = new ImageBuilder();
    const layers = [{ entries: toolbox }, ...TRICKY.map((entries) => ({ entries }))];
    await b.image({ name: 'tricky', layers, entrypoint: ['/bin/sh'] });
    await b.image({ name: 'tricky-linux', layers, os: 'linux', architecture: 'amd64' });
    await b.writeLayout(join(work, 'layout'));
    execFileSync('umoci', ['unpack', '--rootless', '--image', `${join(work, 'layout')}:tricky-linux`, join(work, 'bundle')], { stdio: 'pipe' });
    await pullImage(LayoutSource.fromUrl(new URL(`file://${join(work, 'layout')}`).href, fileFetch), 'tricky', await openContentStore(store), { tag: 'tricky:latest' });

    const script = FIND_QUERIES.map((q) => `echo "## ${q.replace(/"/g, '\\"')}"; find . ${q} | LC_ALL=C sort`).join('\n');
    const gnu = execFileSync('sh', ['-c', script], { cwd: join(work, 'bundle', 'rootfs', 'x'), encoding: 'utf8' });
    const mine = await run({ image: 'tricky:latest', command: ['sh', '-c', `cd /x && ${script.replace(/LC_ALL=C sort/g, 'sort')}`] });
    assert.equal(mine.err, '');
    assert.equal(mine.out, gnu);
    assert.ok(gnu.split('\n').length > 50, 'a real comparison');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

test('the process table: docker top and ps list the program, its background jobs and children, and exec sessions', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/ticker:latest', command: ['sh', '-c', 'ticker -interval 1s > /dev/null & sleep 30'] });
  await node.start(c);
  await new Promise((res) => setTimeout(res, 700));
  const top = await node.top(c);
  // The job and the foreground command are started in the order the shell's goroutines run: pids 2 and 3 either way.
  const byCommand = new Map(top.map((p) => [p.argv.join(' '), p]));
  assert.deepEqual(top.map((p) => p.pid), [1, 2, 3]);
  assert.deepEqual([...byCommand.keys()].sort(), ['sh -c ticker -interval 1s > /dev/null & sleep 30', 'sleep 30', 'ticker -interval 1s']);
  assert.deepEqual([byCommand.get('sleep 30')!.ppid, byCommand.get('ticker -interval 1s')!.ppid], [1, 1]);
  const events: OutputEvent[] = [];
  await node.exec(c, ['ps', '-o', 'pid,ppid,args'], {}, (e) => void events.push(e));
  const ps = decode(events, 'stdout').split('\n');
  assert.equal(ps[0], 'PID   PPID  COMMAND');
  assert.equal(ps[1], '    1     0 sh -c ticker -interval 1s > /dev/null & sleep 30');
  assert.equal(ps[4], '    4     0 ps -o pid,ppid,args', 'the exec session is a process of the container');
  await node.stop(c, 100);
  await assert.rejects(node.top(c), /is not running/);
});

test('the memory limit holds for the container as a whole: a child past it is killed (SIGKILL, 137), the shell goes on', async () => {
  const r = await sh('memhog 200; echo "memhog=$?"; echo after', 'podplay/memhog:latest', { memoryLimit: 96 * 1024 * 1024 });
  assert.match(r.out, /memhog=137\nafter\n$/);
  assert.match(r.err, /Killed\n$/);
  assert.equal(r.result.exitCode, 0);
  assert.equal(r.result.reason, 'Completed');
});

test('the pids limit holds a fork loop: sh says fork failed, the node and other containers go on', async () => {
  const c = id();
  const events: OutputEvent[] = [];
  await node.create({ id: c, image: 'podplay/toolbox:latest', command: ['sh', '-c', 'while :; do sleep 1000 & done'], pidsLimit: 20 });
  await node.start(c, (e) => void events.push(e));
  await until('fork refused', () => decode(events, 'stderr').includes('sh: fork: Resource temporarily unavailable\n'), 20_000);
  // Meanwhile another container runs as usual; an exec into the full one is a process too, and is refused.
  const other = await sh('echo alive', 'podplay/toolbox:latest');
  assert.equal(other.out, 'alive\n');
  await assert.rejects(node.exec(c, ['ps'], {}), /fork: Resource temporarily unavailable \(the container's pids limit is 20\)/);
  const stopped = await node.stop(c, 200);
  assert.equal(stopped.reason, 'Killed');
});

function pod(name: string, image: string, extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { restartPolicy: 'Never', ...extra, containers: [{ name: 'c', image, ...container }] } };
}

test('in a cluster: pause sits Running a minute, hello is deleted at once while a shell loop waits out its grace, stress ends OOMKilled, a configMap script runs', async () => {
  const c = await startCluster(store, [{ name: 'node-p', worker: node }]);
  const podOf = (name: string) => c.api.tryGet('Pod', 'default', name) as Pod | undefined;
  try {
    const pausedAt = Date.now();
    c.api.create(pod('sandbox', 'registry.k8s.io/pause:3.9', { restartPolicy: 'Always' }));
    c.api.create(pod('hello', 'podplay/ticker:latest', { terminationGracePeriodSeconds: 30 }));
    c.api.create(pod('loop', 'busybox:1.36', { terminationGracePeriodSeconds: 3 }, { command: ['sh', '-c', 'while true; do sleep 1; done'] }));
    c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'scripts' }, data: { 'start.sh': '#!/bin/sh\necho "started by $0"\nexec hello -once\n' } });
    c.api.create(
      pod('scripted', 'podplay/hello:latest', { volumes: [{ name: 's', configMap: { name: 'scripts', defaultMode: 0o755 } }] }, { command: ['/scripts/start.sh'], volumeMounts: [{ name: 's', mountPath: '/scripts' }] }),
    );
    c.api.create(
      pod('memory-demo', 'polinux/stress', {}, { command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'], resources: { limits: { memory: '100Mi' }, requests: { memory: '50Mi' } } }),
    );
    const running = (n: string) => podOf(n)?.status?.containerStatuses?.[0]?.state.running !== undefined;
    await until('hello and loop running', () => running('hello') && running('loop'));

    let t0 = Date.now();
    c.api.delete('Pod', 'default', 'hello');
    await until('hello gone', () => !podOf('hello'));
    const helloMs = Date.now() - t0;
    assert.ok(helloMs < 3000, `a Go program's pod is deleted in ${helloMs} ms (SIGTERM ends it)`);
    t0 = Date.now();
    c.api.delete('Pod', 'default', 'loop');
    await until('loop gone', () => !podOf('loop'));
    const loopMs = Date.now() - t0;
    assert.ok(loopMs >= 2800, `a shell loop outlives SIGTERM until its grace period ends (${loopMs} ms)`);

    await until('scripted done', () => podOf('scripted')?.status?.phase === 'Succeeded' || podOf('scripted')?.status?.phase === 'Failed');
    const scripted = podOf('scripted')!.status!.containerStatuses![0]!;
    assert.equal(scripted.state.terminated?.exitCode, 0);
    const logs = (await node.logs(scripted.containerID!.replace('podplay://', ''))).map((l) => l.text);
    assert.deepEqual(logs.slice(0, 2), ['started by /scripts/start.sh', 'Hello from podplay, world!']);

    await until('memory-demo OOMKilled', () => podOf('memory-demo')?.status?.containerStatuses?.[0]?.state.terminated !== undefined, 60_000);
    const oom = podOf('memory-demo')!.status!.containerStatuses![0]!.state.terminated!;
    assert.deepEqual([oom.reason, oom.exitCode], ['OOMKilled', 137]);
    assert.ok(eventsOf(c.api, 'memory-demo').some((e) => e.includes('podplay/stress')));

    await until('a minute of pause', () => Date.now() - pausedAt >= 60_000, 90_000);
    const s = podOf('sandbox')!.status!;
    assert.equal(s.phase, 'Running');
    assert.deepEqual([running('sandbox'), s.containerStatuses![0]!.restartCount, s.containerStatuses![0]!.ready], [true, 0, true]);
  } finally {
    c.close();
  }
});

test('docker: top lists a container\'s processes, --pids-limit shows in inspect, stop and kill take -s, a bad signal is docker\'s error', async () => {
  const sb = await Sandbox.create({ layoutUrl: layoutUrl(), store: { kind: 'directory', root: join(dir, 'docker') }, fetch: fileFetch });
  const env = { sandbox: async () => sb, files: undefined as never, fetch: fileFetch, cluster: undefined as never } as CliEnv;
  const docker = async (line: string) => {
    const io = bufferIo();
    const code = await runDocker(splitWords(line).words, io, env);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };
  try {
    assert.equal((await docker('run -d --name loop --pids-limit 50 -q podplay/toolbox sh -c "sleep 30 & while true; do sleep 1; done"')).code, 0);
    await new Promise((res) => setTimeout(res, 500));
    const top = await docker('top loop');
    assert.equal(top.code, 0, top.stderr);
    const lines = top.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    assert.match(lines[1]!, /^root\s+1\s+0\s+0\s+\d\d:\d\d\s+\?\s+00:00:00\s+sh -c sleep 30 & while true; do sleep 1; done$/);
    assert.ok(lines.some((l) => /^root\s+\d+\s+1\s+.*\ssleep 30$/.test(l)), top.stdout);
    assert.match((await docker('inspect -f "{{.HostConfig.PidsLimit}}" loop')).stdout, /^50\n$/);
    assert.deepEqual(await docker('kill -s NOPE loop'), { code: 1, stdout: '', stderr: 'Error response from daemon: Invalid signal: NOPE\n' });
    // The shell as PID 1 ignores SIGTERM: kill -s TERM leaves it running; stop -s KILL ends it at once.
    assert.equal((await docker('kill -s TERM loop')).code, 0);
    assert.match((await docker('ps --format "{{.Names}} {{.Status}}"')).stdout, /^loop Up /m);
    const t0 = Date.now();
    assert.equal((await docker('stop -s KILL -t 20 loop')).code, 0);
    assert.ok(Date.now() - t0 < 5000, 'SIGKILL does not wait for the grace period');
    assert.match((await docker('ps -a --format "{{.Names}} {{.Status}}"')).stdout, /^loop Exited \(137\) /m);
    assert.match((await docker('top loop')).stderr, /is not running/);
  } finally {
    await sb.dispose();
  }
});
