/**
 * The container runtime through a real node worker (worker_threads), real
 * @wasmer/sdk and the sample Go programs, with a directory store.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LayoutSource, pullImage } from '../../src/oci/index.ts';
import { NodeWorker, openContentStore, type OutputEvent, type StoreConfig } from '../../src/runtime/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

let dir = '';
let node: NodeWorker;
let n = 0;
const id = () => `c${++n}`;
const text = (events: OutputEvent[], type = 'stdout') => events.filter((e) => e.type === type).map((e) => new TextDecoder().decode(e.data)).join('');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podplay-runtime-'));
  const store: StoreConfig = { kind: 'directory', root: dir };
  const content = await openContentStore(store);
  for (const ref of ['podplay/toolbox', 'podplay/ticker', 'podplay/memhog']) await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), ref, content);
  node = new NodeWorker('node-a', store);
  await node.ready();
});

after(async () => {
  await node?.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('create, start, wait: state and timestamps, output as produced, logs with times, tail and since', async () => {
  const c = id();
  const created = await node.create({ id: c, image: 'podplay/ticker:latest', args: ['-count', '4', '-interval', '150ms'] });
  assert.equal(created.state, 'created');
  const events: Array<{ at: number; e: OutputEvent }> = [];
  const started = await node.start(c, (e) => void events.push({ at: Date.now(), e }));
  assert.equal(started.state, 'running');
  assert.ok(started.startedAt! >= created.createdAt);
  const result = await node.wait(c);
  assert.equal(result.reason, 'Completed');
  assert.equal(result.exitCode, 0);
  const info = await node.inspect(c);
  assert.equal(info.state, 'exited');
  assert.ok(info.finishedAt! >= info.startedAt!);
  // The first line arrived long before the exit: streamed, not collected.
  assert.ok(events.length >= 1);
  assert.ok(info.finishedAt! - events[0]!.at >= 300, `first output ${info.finishedAt! - events[0]!.at} ms before exit`);
  const lines = await node.logs(c);
  assert.deepEqual(lines.map((l) => l.text), ['tick 1', 'tick 2', 'tick 3', 'tick 4']);
  assert.ok(lines.every((l, i) => i === 0 || l.time >= lines[i - 1]!.time));
  assert.ok(lines[3]!.time - lines[0]!.time >= 300, 'lines carry the time they were written');
  assert.deepEqual((await node.logs(c, { tail: 2 })).map((l) => l.text), ['tick 3', 'tick 4']);
  assert.deepEqual((await node.logs(c, { since: lines[2]!.time })).map((l) => l.text), ['tick 3', 'tick 4']);
  await assert.rejects(node.logs('nope'), { code: 'ContainerNotFound', message: 'Error response from daemon: No such container: nope' });
});

test('stop sends SIGTERM to PID 1 as Linux does: a Go program ends at once (status 2), a shell loop waits out the grace period; a running container is removed only by force', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/ticker:latest', args: ['-interval', '20ms'] });
  await node.start(c);
  await assert.rejects(node.remove(c), { code: 'ContainerRunning' });
  await new Promise((r) => setTimeout(r, 150));
  let t0 = Date.now();
  let r = await node.stop(c, 5000);
  // Go's runtime re-raises SIGTERM with the default action, which PID 1 ignores, then exits 2.
  assert.equal(r.reason, 'Error');
  assert.equal(r.exitCode, 2);
  assert.ok(Date.now() - t0 < 2000, `a Go program ends on SIGTERM at once (${Date.now() - t0} ms)`);
  assert.ok((await node.logs(c)).length > 3);
  const s = id();
  await node.create({ id: s, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'while true; do sleep 1; done'] });
  await node.start(s);
  await new Promise((r) => setTimeout(r, 150));
  t0 = Date.now();
  r = await node.stop(s, 400);
  // busybox's sh has no handler: as PID 1 it outlives SIGTERM until SIGKILL.
  assert.equal(r.reason, 'Killed');
  assert.equal(r.exitCode, 137);
  assert.ok(Date.now() - t0 >= 350, 'it had its grace period');
  const d = id();
  await node.create({ id: d, image: 'podplay/ticker:latest' });
  await node.start(d);
  assert.equal(await node.remove(d, true), true);
  await assert.rejects(node.inspect(d), { code: 'ContainerNotFound' });
});

test('a hot loop is killed in under a second, and killing it does not disturb another container', async () => {
  const hot = id();
  const calm = id();
  await node.create({ id: hot, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'while true; do :; done'] });
  await node.create({ id: calm, image: 'podplay/ticker:latest', args: ['-count', '5', '-interval', '100ms'] });
  await node.start(hot);
  await node.start(calm);
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  assert.equal(await node.kill(hot), true);
  const r = await node.wait(hot);
  const took = Date.now() - t0;
  assert.equal(r.reason, 'Killed');
  assert.ok(took < 1000, `killed in ${took} ms`);
  const ok = await node.wait(calm);
  assert.equal(ok.reason, 'Completed');
  assert.equal((await node.logs(calm)).length, 5);
});

test('an interactive exec takes writes and a kill sent before its program has started', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/toolbox:latest', args: ['sleep', '30'] });
  await node.start(c);
  const out: OutputEvent[] = [];
  // Not awaited: the writes, the close and (for the second) the kill follow the exec call at once.
  const counted = node.exec(c, ['wc', '-l'], { interactive: true, execId: 'early-1' }, (e) => void out.push(e));
  assert.equal(await node.writeExecStdin('early-1', 'a\nb\n'), true);
  assert.equal(await node.closeExecStdin('early-1'), true);
  assert.equal((await counted).exitCode, 0);
  assert.equal(text(out).trim(), '2');
  assert.equal(await node.writeExecStdin('early-1', 'late'), false, 'an ended exec takes no more input');
  const waiting = node.exec(c, ['cat'], { interactive: true, execId: 'early-2' });
  assert.equal(await node.killExec('early-2'), true);
  assert.equal((await waiting).reason, 'Killed');
  await node.stop(c, 0);
});

test('exec runs in the container\'s live filesystem and sees its writes, running or stopped', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'echo written-by-main > /tmp/msg; sleep 30'] });
  await node.start(c);
  for (let i = 0; i < 100 && !(await node.readFile(c, '/tmp/msg')); i++) await new Promise((r) => setTimeout(r, 20));
  const out: OutputEvent[] = [];
  const r = await node.exec(c, ['cat', '/tmp/msg'], {}, (e) => void out.push(e));
  assert.equal(r.exitCode, 0);
  assert.equal(text(out), 'written-by-main\n');
  // And exec's own writes are the container's.
  await node.exec(c, ['sh', '-c', 'echo from-exec > /tmp/exec'], {});
  assert.equal(new TextDecoder().decode((await node.readFile(c, '/tmp/exec'))!), 'from-exec\n');
  await node.stop(c, 0);
  const again: OutputEvent[] = [];
  assert.equal((await node.exec(c, ['cat', '/tmp/exec'], {}, (e) => void again.push(e))).exitCode, 0);
  assert.equal(text(again), 'from-exec\n');
  await assert.rejects(node.exec('nope', ['true']), { code: 'ContainerNotFound' });
});

test('restart starts again on a fresh writable layer and counts it', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'cat /tmp/state 2>/dev/null || echo fresh; echo used > /tmp/state'] });
  await node.start(c);
  await node.wait(c);
  const info = await node.restart(c);
  assert.equal(info.restartCount, 1);
  await node.wait(c);
  assert.deepEqual((await node.logs(c)).map((l) => l.text), ['fresh', 'fresh']);
});

test('attach: an interactive container reads what is written to its stdin, and ends at EOF', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/toolbox:latest', args: ['cat'], interactive: true });
  await node.start(c);
  assert.equal(await node.writeStdin(c, 'first line\n'), true);
  await node.writeStdin(c, 'second line\n');
  const seen: string[] = [];
  const following = node.follow(c, (l) => void seen.push(l.text));
  await node.closeStdin(c);
  const r = await node.wait(c);
  await following;
  assert.equal(r.reason, 'Completed');
  assert.deepEqual(seen, ['first line', 'second line']);
  assert.equal(await node.writeStdin(c, 'late'), false);
});

test('diff lists A, C and D as docker diff does; cp copies in and out; commit makes a real image of the changes', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'echo new > /tmp/added; echo changed >> /etc/hostname; rm /etc/group; mkdir -p /root/app/conf; echo x > /root/app/conf/x'] });
  await node.start(c);
  assert.equal((await node.wait(c)).exitCode, 0);
  const diff = await node.diff(c);
  const has = (kind: string, path: string) => diff.some((d) => d.kind === kind && d.path === path);
  assert.ok(has('A', '/tmp/added') && has('C', '/tmp'), JSON.stringify(diff));
  assert.ok(has('C', '/etc/hostname') && has('C', '/etc') && has('D', '/etc/group'));
  assert.ok(has('C', '/root') && has('A', '/root/app') && has('A', '/root/app/conf') && has('A', '/root/app/conf/x'));
  assert.ok(!diff.some((d) => d.path.startsWith('/bin')), 'untouched paths are not listed');

  // cp out: a tar whose top entry is the base name.
  const { unpackTar, packTar } = await import('modern-tar');
  const out = await unpackTar(await node.copyOut(c, '/root/app'));
  assert.deepEqual(out.map((e) => e.header.name).sort(), ['app/', 'app/conf/', 'app/conf/x']);
  // cp in: a tar unpacked into a directory of the container.
  await node.copyIn(c, '/etc', await packTar([{ header: { name: 'app.conf', size: 5, type: 'file' }, body: 'k=v\n\n' }]));
  assert.equal(new TextDecoder().decode((await node.readFile(c, '/etc/app.conf'))!), 'k=v\n\n');
  await assert.rejects(node.copyIn(c, '/etc', await packTar([{ header: { name: '../escape', size: 1, type: 'file' }, body: 'x' }])), { code: 'LayerInvalid' });

  const made = await node.commit(c, 'podplay/toolbox:committed', { comment: 'from a test' });
  assert.equal(made.ref, 'podplay/toolbox:committed');
  const d = id();
  await node.create({ id: d, image: 'podplay/toolbox:committed', args: ['sh', '-c', 'cat /tmp/added /etc/app.conf; ls /etc/group 2>&1; tail -n 1 /etc/hostname'] });
  const events: OutputEvent[] = [];
  await node.start(d, (e) => void events.push(e));
  await node.wait(d);
  assert.match(text(events), /^new\nk=v\n\n/);
  assert.match(text(events), /changed\n$/);
  assert.match(text(events) + text(events, 'stderr'), /group.*(no such file|not exist)/i, 'the deletion was committed as a whiteout');
  assert.deepEqual(await node.diff(d), [], 'a fresh container of the committed image has no changes');
});

test('a memory limit is enforced: memhog past it ends OOMKilled with 137, within it completes', async () => {
  const over = id();
  await node.create({ id: over, image: 'podplay/memhog:latest', args: ['-hold', '1ms', '128'], memoryLimit: 64 << 20 });
  await node.start(over);
  const r = await node.wait(over);
  assert.equal(r.reason, 'OOMKilled', JSON.stringify(await node.logs(over)));
  assert.equal(r.exitCode, 137);
  assert.match((await node.logs(over)).map((l) => l.text).join('\n'), /out of memory/);
  // Within the limit it allocates, holds, and exits on its own (after the garbage collector has run: see wasm/tools/pack/overlay.go).
  const within = id();
  await node.create({ id: within, image: 'podplay/memhog:latest', args: ['-hold', '20ms', '32'], memoryLimit: 64 << 20 });
  await node.start(within);
  const ok = await node.wait(within);
  assert.equal(ok.reason, 'Completed', JSON.stringify(await node.logs(within)));
});

test('usage: each container\'s memory and CPU time, read live from its programs; the node sums them', async () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const hog = id();
  const hot = id();
  const idle = id();
  await node.create({ id: hog, image: 'podplay/memhog:latest', args: ['48'] });
  await node.create({ id: hot, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'while true; do :; done'] });
  await node.create({ id: idle, image: 'podplay/toolbox:latest', args: ['sleep', '30'] });
  const logs: OutputEvent[] = [];
  await node.start(idle);
  await sleep(500); // past its start: from now on it only sleeps
  await node.start(hog, (e) => void logs.push(e));
  await node.start(hot);
  for (let i = 0; i < 200 && !text(logs).includes('holding'); i++) await sleep(20);
  await sleep(300);
  const first = await node.usage();
  await sleep(600);
  const u = await node.usage();
  // memhog touches every page of 48 MiB: its linear memory holds them (plus the Go runtime's own).
  assert.ok(u.containers[hog]!.memoryBytes >= 48 << 20, `memhog ${u.containers[hog]!.memoryBytes}`);
  assert.ok(u.containers[hog]!.memoryBytes < 96 << 20, `memhog ${u.containers[hog]!.memoryBytes}`);
  assert.ok(u.containers[idle]!.memoryBytes > 0 && u.containers[idle]!.memoryBytes < 16 << 20);
  // A loop that never calls the host is charged for the time it runs; a sleeping program almost nothing.
  const hotCpu = u.containers[hot]!.cpuMs - first.containers[hot]!.cpuMs;
  const elapsed = u.at - first.at;
  assert.ok(hotCpu > elapsed * 0.5 && hotCpu <= elapsed + 50, `hot loop ${hotCpu} ms of ${elapsed} ms`);
  assert.ok(u.containers[idle]!.cpuMs - first.containers[idle]!.cpuMs < 50, `sleeping ${u.containers[idle]!.cpuMs - first.containers[idle]!.cpuMs} ms`);
  assert.equal(u.memoryBytes, Object.values(u.containers).reduce((n, c) => n + c.memoryBytes, 0));
  assert.equal(u.containers[hot]!.processes, 1);
  // An exec counts with its container.
  const during = node.exec(idle, ['sh', '-c', 'sleep 0.5'], {});
  await sleep(250);
  assert.equal((await node.usage()).containers[idle]!.processes, 2);
  await during;
  for (const c of [hog, hot, idle]) await node.kill(c);
  for (const c of [hog, hot, idle]) await node.wait(c);
  const after = await node.usage();
  assert.equal(after.containers[hog]!.memoryBytes, 0, 'an exited container holds no memory');
  assert.ok(after.containers[hot]!.cpuMs >= u.containers[hot]!.cpuMs, 'CPU time stays on record after the exit');
  await node.remove(hot);
  assert.equal((await node.usage()).containers[hot], undefined);
  // The tag that carries a run's usage never reaches the program.
  const env = id();
  await node.create({ id: env, image: 'podplay/toolbox:latest', args: ['env'] });
  const out: OutputEvent[] = [];
  await node.start(env, (e) => void out.push(e));
  await node.wait(env);
  assert.match(text(out), /^PATH=/m);
  assert.doesNotMatch(text(out), /PODPLAY/);
});

test('volumes: an emptyDir is shared live by a pod\'s containers; a files volume is read-only; diff leaves volumes out', async () => {
  const pod = `pod-${id()}`;
  const shared = { path: '/shared', volume: { kind: 'emptyDir' as const, name: 'cache', scope: pod } };
  const writer = id();
  const reader = id();
  await node.create({ id: writer, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'sleep 0.3; echo from-writer > /shared/msg; sleep 30'], mounts: [shared] });
  await node.create({
    id: reader,
    image: 'podplay/toolbox:latest',
    args: ['sh', '-c', 'until cat /shared/msg 2>/dev/null; do sleep 0.05; done; cat /etc/config/app.conf; echo nope > /etc/config/app.conf'],
    mounts: [shared, { path: '/etc/config', volume: { kind: 'files', files: { 'app.conf': 'mode=demo\n' } }, readOnly: true }],
  });
  await node.start(writer);
  const out: OutputEvent[] = [];
  await node.start(reader, (e) => void out.push(e));
  const r = await node.wait(reader);
  assert.equal(text(out), 'from-writer\nmode=demo\n', 'the reader saw the writer\'s file while both ran');
  assert.notEqual(r.exitCode, 0, 'writing to the read-only volume failed');
  assert.match(text(out, 'stderr'), /app.conf: (operation not permitted|permission denied|read-only)/i);
  assert.equal(new TextDecoder().decode((await node.readFile(reader, '/etc/config/app.conf'))!), 'mode=demo\n');
  assert.ok(!(await node.diff(writer)).some((d) => d.path.startsWith('/shared/')), 'volume contents are not container changes');
  await node.stop(writer, 0);
  // A restarted container keeps its pod's emptyDir.
  await node.restart(reader);
  await node.wait(reader);
  assert.match((await node.logs(reader)).map((l) => l.text).join('\n'), /from-writer[\s\S]*from-writer/);
  assert.equal(await node.releaseVolumes(pod), 1);
});

test('a node worker that dies is reported with the containers it took; the other nodes go on', async () => {
  const { NodePool } = await import('../../src/runtime/index.ts');
  const pool = new NodePool({ kind: 'directory', root: dir }, ['n1', 'n2', 'n3'], { heartbeatMs: 100, heartbeatTimeoutMs: 500 });
  try {
    await pool.ready();
    const failures: Array<{ node: string; reason: string; lost: string[] }> = [];
    pool.onNodeFailure((f) => void failures.push(f));
    const runs = await Promise.all(pool.nodes.map((n) => n.run({ id: `t-${n.name}`, image: 'podplay/ticker:latest', args: ['-count', '10', '-interval', '50ms'] })));
    await new Promise((r) => setTimeout(r, 100));
    await pool.get('n2').crash();
    const [r1, r2, r3] = await Promise.all(runs.map((h) => h.result));
    assert.equal(r2!.reason, 'NodeLost');
    assert.equal(r2!.exitCode, -1);
    assert.equal(r1!.reason, 'Completed');
    assert.equal(r3!.reason, 'Completed');
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.node, 'n2');
    assert.deepEqual(failures[0]!.lost, ['t-n2']);
    assert.equal(pool.get('n2').condition, 'NotReady');
    assert.equal(pool.get('n1').condition, 'Ready');
    await assert.rejects(pool.get('n2').list(), { code: 'NodeLost' });
    assert.equal((await pool.get('n3').logs('t-n3')).length, 10);
  } finally {
    await pool.dispose();
  }
});

test('a CPU-bound container on one node does not starve a container on another node', async () => {
  const { NodePool } = await import('../../src/runtime/index.ts');
  const pool = new NodePool({ kind: 'directory', root: dir }, ['busy', 'calm'], { heartbeatMs: 0 });
  try {
    await pool.ready();
    const hot = await pool.get('busy').run({ id: 'hot', image: 'podplay/toolbox:latest', args: ['sh', '-c', 'while true; do :; done'] });
    await new Promise((r) => setTimeout(r, 200));
    const arrivals: number[] = [];
    const ticker = await pool.get('calm').run(
      { id: 'calm', image: 'podplay/ticker:latest', args: ['-count', '10', '-interval', '50ms'] },
      { onOutput: () => void arrivals.push(Date.now()) },
    );
    const r = await ticker.result;
    await hot.kill();
    assert.equal(r.reason, 'Completed');
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    const worst = Math.max(...gaps);
    assert.ok(worst < 400, `the ticker's lines came at most ${worst} ms apart (interval 50 ms) while the other node spun`);
  } finally {
    await pool.dispose();
  }
});

test('each distinct module is compiled once per page and shared with every node worker', async () => {
  const { NodePool, pageCompiler } = await import('../../src/runtime/index.ts');
  const before = pageCompiler.compiled;
  const pool = new NodePool({ kind: 'directory', root: dir }, ['m1', 'm2', 'm3'], { heartbeatMs: 0 });
  try {
    await pool.ready();
    const results = await Promise.all(pool.nodes.map(async (n) => (await n.run({ image: 'podplay/ticker:latest', args: ['-count', '1', '-interval', '1ms'] })).result));
    assert.ok(results.every((r) => r.reason === 'Completed'));
    // Once for three nodes (or not at all here, when an earlier test's node already had the page compile it).
    assert.ok(pageCompiler.compiled - before <= 1, `${pageCompiler.compiled - before} compiles for three nodes`);
    for (const n of pool.nodes) {
      const s = await n.stats();
      assert.equal(s.modulesCompiled, 0, `${n.name} compiled nothing itself`);
      assert.equal(s.modulesReused, 1, `${n.name} took the page's module`);
    }
  } finally {
    await pool.dispose();
  }
});

test('review regressions: read-only volumes hold against rename and cp; starts, stops, kills and execs do not race', async () => {
  const ro = { path: '/etc/config', volume: { kind: 'files' as const, files: { 'app.conf': 'kept\n' } }, readOnly: true };
  const c = id();
  await node.create({ id: c, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'echo x > /etc/x; mv /etc/x /etc/config/app.conf; sleep 30'], mounts: [ro] });
  // Two starts at once launch one program.
  await Promise.all([node.start(c), node.start(c)]);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(new TextDecoder().decode((await node.readFile(c, '/etc/config/app.conf'))!), 'kept\n', 'rename into a read-only volume was refused');
  const { packTar } = await import('modern-tar');
  await assert.rejects(node.copyIn(c, '/etc/config', await packTar([{ header: { name: 'app.conf', size: 1, type: 'file' }, body: 'y' }])), { code: 'EACCES' });
  // docker cp has no whiteouts: a ".wh." name is a file.
  await node.copyIn(c, '/tmp', await packTar([{ header: { name: '.wh.x', size: 2, type: 'file' }, body: 'wh' }]));
  assert.equal(new TextDecoder().decode((await node.readFile(c, '/tmp/.wh.x'))!), 'wh');
  // An exec is ended with its container.
  const exec = node.exec(c, ['sleep', '30'], {});
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  assert.equal(await node.remove(c, true), true);
  assert.equal((await exec).reason, 'Killed');
  assert.ok(Date.now() - t0 < 5000);

  // stop does not wait behind a stdin write the program never reads.
  const d = id();
  await node.create({ id: d, image: 'podplay/toolbox:latest', args: ['sleep', '30'], interactive: true });
  await node.start(d);
  void node.writeStdin(d, 'x'.repeat(1 << 20));
  const stopped = await node.stop(d, 200);
  assert.equal(stopped.reason, 'Killed');

  // A deadline that fires while the container is still being created still kills it.
  const h = await node.run({ image: 'podplay/ticker:latest', args: ['-interval', '10ms'] }, { timeoutMs: 1 });
  assert.equal((await h.result).reason, 'DeadlineExceeded');

  // Only Go's own out-of-memory death counts as OOMKilled; a huge limit is no limit.
  const e = id();
  await node.create({ id: e, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'echo "my cache is out of memory budget" >&2; exit 3'], memoryLimit: 64 << 20 });
  await node.start(e);
  assert.deepEqual(await node.wait(e).then((r) => [r.reason, r.exitCode]), ['Error', 3]);
  const f = id();
  await node.create({ id: f, image: 'podplay/toolbox:latest', args: ['true'], memoryLimit: 8 * 2 ** 30 });
  await node.start(f);
  assert.equal((await node.wait(f)).reason, 'Completed');
});

test('docker wait on a created container waits for its run; docker stop of it leaves it created', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/toolbox:latest', args: ['sh', '-c', 'exit 3'] });
  assert.equal((await node.stop(c, 0)).state, 'created');
  let settled = false;
  const waiting = node.wait(c).finally(() => (settled = true));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(settled, false, 'wait returned before the container ran');
  await node.start(c);
  assert.deepEqual([(await waiting).exitCode, (await waiting).reason], [3, 'Error']);
  // Removed before it ever ran: the wait ends with the container.
  const d = id();
  await node.create({ id: d, image: 'podplay/toolbox:latest', args: ['true'] });
  const orphan = assert.rejects(node.wait(d), { code: 'ContainerNotFound' });
  await new Promise((r) => setTimeout(r, 50));
  await node.remove(d);
  await orphan;
});

test('logs -f ends when interrupted, while the container goes on', async () => {
  const c = id();
  await node.create({ id: c, image: 'podplay/ticker:latest', args: ['-interval', '50ms'] });
  await node.start(c);
  const seen: string[] = [];
  const ctrlC = new AbortController();
  const following = node.follow(c, (l) => {
    seen.push(l.text);
    if (seen.length === 3) ctrlC.abort();
  }, {}, ctrlC.signal);
  await following;
  const kept = seen.length;
  assert.ok(kept >= 3 && kept <= 4, `${kept} lines`);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(seen.length, kept, 'no line after the follow ended');
  assert.equal((await node.inspect(c)).state, 'running');
  assert.ok((await node.logs(c)).length > kept);
  await node.remove(c, true);
});

test('docker rm of an unknown container says so', async () => {
  await assert.rejects(node.remove('no-such-container'), { code: 'ContainerNotFound', message: 'Error response from daemon: No such container: no-such-container' });
});
