/**
 * The Node CLI's saved cluster through the session: what one session saves
 * (objects, history, files) a second one over the same StateStore restores;
 * a state the API cannot take is set aside and a clean cluster starts;
 * reset() forgets it. Real clusters: a node worker on worker_threads.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { MemoryFiles, createSession, type SandboxSession, type SessionOptions } from '../../src/cli/index.ts';
import { MemoryStore, StateStore, decodeState, encodeState, type SandboxState } from '../../src/persistence/index.ts';
import { fromUtf8 } from '../../src/shared/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

const KEY = 'cluster.json';
const CREATE = 'kubectl create deployment web --image=podplay/hello';

/** Every session a test starts, disposed at the end even when an assertion fails (node workers would keep the process alive). */
const open = new Set<SandboxSession>();
after(async () => {
  await Promise.all([...open].map((s) => s.dispose()));
});

async function session(state: StateStore, files: SessionOptions['files'] = {}): Promise<SandboxSession> {
  const s = await createSession({ store: { kind: 'memory' }, layoutUrl: layoutUrl(), fetch: fileFetch, state, nodes: 1, files });
  open.add(s);
  return s;
}

async function close(s: SandboxSession): Promise<void> {
  await s.dispose();
  open.delete(s);
}

const text = async (s: SandboxSession, path: string) => fromUtf8(await s.files.read(path));

describe('a saved cluster comes back in the next session', () => {
  test('the deployment, the history and the files', async () => {
    const kv = new MemoryStore();
    const first = await session(new StateStore(kv, KEY), { 'web.yaml': 'kind: Deployment\n' });
    assert.deepEqual(first.restored, { kind: 'none' });
    assert.ok(first.files instanceof MemoryFiles);
    const created = await first.exec(CREATE);
    assert.deepEqual(created, { stdout: 'deployment.apps/web created\n', stderr: '', exitCode: 0 });
    const wrote = await first.exec('echo hello > notes/today.txt');
    assert.equal(wrote.exitCode, 0, wrote.stderr);
    // The terminal keeps the history; exec() does not add to it.
    first.history.push(CREATE, 'echo hello > notes/today.txt');
    await first.save();
    await close(first);

    const saved = await decodeState((await kv.get(KEY))!);
    assert.ok(saved.state.objects.some((o) => (o as { kind: string; metadata: { name: string } }).kind === 'Deployment' && (o as { metadata: { name: string } }).metadata.name === 'web'));

    const second = await session(new StateStore(kv, KEY));
    try {
      assert.equal(second.restored.kind, 'restored');
      const web = second.get('deployments', 'web') as { spec: { template: { spec: { containers: Array<{ image: string }> } } } } | undefined;
      assert.ok(web, 'deployment web is restored');
      assert.equal(web.spec.template.spec.containers[0]!.image, 'podplay/hello');
      assert.deepEqual(second.history, [CREATE, 'echo hello > notes/today.txt']);
      assert.ok(second.files instanceof MemoryFiles);
      assert.equal(await text(second, 'web.yaml'), 'kind: Deployment\n');
      assert.equal(await text(second, 'notes/today.txt'), 'hello\n');
      assert.deepEqual(Object.keys((second.files as MemoryFiles).entries()).sort(), ['/home/notes/today.txt', '/home/web.yaml']);
      const listed = await second.exec('kubectl get deployments -o name');
      assert.equal(listed.stdout, 'deployment.apps/web\n');
    } finally {
      await close(second);
    }
  });
});

describe('a saved state the API cannot take', () => {
  const bogus: SandboxState = {
    objects: [{ apiVersion: 'example.com/v1', kind: 'Bogus', metadata: { name: 'x', namespace: 'default', resourceVersion: '3' } }],
    files: { '/home/kept.txt': 'a2VwdAo=' },
    history: ['kubectl get bogus'],
  };

  test('is set aside, and a clean cluster starts', async () => {
    const kv = new MemoryStore();
    await kv.set(KEY, await encodeState(bogus));
    const s = await session(new StateStore(kv, KEY), { 'start.txt': 'fresh\n' });
    try {
      const restored = s.restored;
      assert.equal(restored.kind, 'setAside');
      if (restored.kind !== 'setAside') return;
      assert.match(restored.reason, /^the cluster could not take its objects \(.*Bogus.*\)$/);
      assert.ok(restored.key.startsWith(`${KEY}.set-aside-`), restored.key);
      assert.equal(await kv.get(KEY), undefined, 'the main key is gone');
      assert.deepEqual((await decodeState((await kv.get(restored.key))!)).state, bogus, 'the set-aside value keeps the whole state');
      // A clean cluster: its one node, no deployments, the files given at start, no history.
      assert.deepEqual((s.get('nodes') as Array<{ metadata: { name: string } }>).map((n) => n.metadata.name), ['node-1']);
      assert.deepEqual(s.get('deployments'), []);
      assert.deepEqual(s.history, []);
      assert.equal(await text(s, 'start.txt'), 'fresh\n');
      await assert.rejects(s.files.read('kept.txt'), /no such file/);
      const created = await s.exec(CREATE);
      assert.equal(created.exitCode, 0, created.stderr);
    } finally {
      await close(s);
    }
  });
});

describe('reset()', () => {
  test('clears the saved state, the objects, the files and the history; set-aside values stay', async () => {
    const kv = new MemoryStore();
    await kv.set(`${KEY}.set-aside-earlier`, new Uint8Array([1, 2, 3]));
    const state = new StateStore(kv, KEY);
    const s = await session(state, { 'web.yaml': 'kind: Deployment\n' });
    try {
      assert.equal((await s.exec(CREATE)).exitCode, 0);
      s.history.push(CREATE);
      await s.save();
      assert.equal((await state.load()).kind, 'restored');
      const oldCluster = s.cluster;

      await s.reset({ 'new.txt': 'new\n' });
      assert.equal(await kv.get(KEY), undefined, 'the saved state is gone');
      assert.deepEqual(s.restored, { kind: 'none' });
      assert.notEqual(s.cluster, oldCluster, 'a new cluster');
      assert.equal(s.get('deployments', 'web'), undefined);
      assert.deepEqual(s.get('deployments'), []);
      assert.deepEqual(s.history, []);
      assert.deepEqual(Object.keys((s.files as MemoryFiles).entries()), ['/home/new.txt']);
      assert.deepEqual(await kv.get(`${KEY}.set-aside-earlier`), new Uint8Array([1, 2, 3]));

      // The next save is of the new, empty cluster.
      await s.save();
      const loaded = await state.load();
      assert.equal(loaded.kind, 'restored');
      if (loaded.kind === 'restored') {
        assert.ok(!loaded.state.objects.some((o) => (o as { kind: string }).kind === 'Deployment'));
        assert.deepEqual(loaded.state.history, []);
      }
    } finally {
      await close(s);
    }
  });
});
