/**
 * Workload controllers over real node workers: a Deployment's rollout from
 * one template to another and its undo, a scale down, and a deletion
 * cascade through ownerReferences.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../../src/api/index.ts';
import { REVISION, rolloutHistory, rolloutUndo } from '../../src/controllers/index.ts';
import { LayoutSource, pullImage } from '../../src/oci/index.ts';
import { NodeWorker, openContentStore, type StoreConfig } from '../../src/runtime/index.ts';
import { eventsOf, startCluster, until, type TestCluster } from '../helpers/cluster.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

let dir = '';
let store: StoreConfig;
const workers: NodeWorker[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podplay-controllers-'));
  store = { kind: 'directory', root: dir };
  const content = await openContentStore(store);
  for (const ref of ['podplay/toolbox', 'podplay/ticker']) await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), ref, content);
  for (const name of ['node-1', 'node-2']) {
    const w = new NodeWorker(name, store);
    await w.ready();
    workers.push(w);
  }
});

after(async () => {
  await Promise.all(workers.map((w) => w.dispose()));
  await rm(dir, { recursive: true, force: true });
});

function deployment(name: string, replicas: number, image: string, command: string[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image, command }] } },
    },
  };
}

const status = (c: TestCluster, name: string) => (c.api.get<Deployment>('Deployment', 'default', name).status ?? {}) as Record<string, any>;
const runningPods = (c: TestCluster, app: string) =>
  c.api.list<Pod>('Pod', { labelSelector: `app=${app}` }).items.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running');
const done = (c: TestCluster, name: string, replicas: number) => () => {
  const s = status(c, name);
  const d = c.api.get('Deployment', 'default', name);
  return s.observedGeneration === d.metadata.generation && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas;
};

test('a Deployment rolls out from one template to another within maxSurge and maxUnavailable, and rolls back', async () => {
  const c = await startCluster(store, workers.map((w, i) => ({ name: `node-${i + 1}`, worker: w })));
  c.api.create(deployment('web', 3, 'podplay/toolbox', ['sleep', '3600']));
  await until('revision 1 available', done(c, 'web', 3));
  const rs1 = c.api.list<ReplicaSet>('ReplicaSet').items;
  assert.equal(rs1.length, 1);
  assert.match(rs1[0]!.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  assert.equal(rs1[0]!.metadata.annotations![REVISION], '1');
  assert.deepEqual(new Set(runningPods(c, 'web').map((p) => p.spec.nodeName)), new Set(['node-1', 'node-2']));
  const s = status(c, 'web');
  assert.deepEqual(s.conditions.map((x: any) => `${x.type}=${x.status} ${x.reason}`), ['Available=True MinimumReplicasAvailable', 'Progressing=True NewReplicaSetAvailable']);

  // Roll out a new template; watch that availability never drops below 3 - 0 (maxUnavailable 25% of 3 rounds down to 0).
  let lowest = 3;
  let highest = 3;
  const watch = c.api.watch('Pod', { labelSelector: 'app=web' }, () => {
    const live = c.api.list<Pod>('Pod', { labelSelector: 'app=web' }).items.filter((p) => !p.metadata.deletionTimestamp);
    const ready = live.filter((p) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')).length;
    lowest = Math.min(lowest, ready);
    highest = Math.max(highest, live.length);
  });
  c.api.mutate<Deployment>('Deployment', 'default', 'web', (d) => {
    d.spec.template.spec.containers[0]!.image = 'podplay/ticker';
    d.spec.template.spec.containers[0]!.command = ['ticker', '-interval', '1h'];
  });
  await until('revision 2 available', done(c, 'web', 3));
  watch.dispose();
  assert.ok(lowest >= 3, `ready pods dropped to ${lowest}`);
  assert.ok(highest <= 4, `pods rose to ${highest} (maxSurge 25% of 3 rounds up to 1)`);
  assert.ok(runningPods(c, 'web').every((p) => p.spec.containers[0]!.image === 'podplay/ticker'));
  assert.deepEqual(rolloutHistory(c.api, 'default', 'web').map((r) => r.revision), [1, 2]);
  const ev = eventsOf(c.api, 'web', 'Deployment');
  const rs2 = c.api.list<ReplicaSet>('ReplicaSet').items.find((r) => r.metadata.annotations![REVISION] === '2')!;
  assert.equal(ev[0], `Normal ScalingReplicaSet Scaled up replica set ${rs1[0]!.metadata.name} from 0 to 3`);
  assert.equal(ev[1], `Normal ScalingReplicaSet Scaled up replica set ${rs2.metadata.name} from 0 to 1`);
  assert.ok(ev.includes(`Normal ScalingReplicaSet Scaled down replica set ${rs1[0]!.metadata.name} from 3 to 2`), ev.join('\n'));
  assert.equal(ev.at(-1), `Normal ScalingReplicaSet Scaled down replica set ${rs1[0]!.metadata.name} from 1 to 0`);

  // Undo: the first ReplicaSet comes back as revision 3.
  assert.equal(rolloutUndo(c.api, 'default', 'web'), 'deployment.apps/web rolled back');
  await until('the undo available', done(c, 'web', 3));
  assert.ok(runningPods(c, 'web').every((p) => p.spec.containers[0]!.image === 'podplay/toolbox'));
  assert.deepEqual(rolloutHistory(c.api, 'default', 'web').map((r) => `${r.revision} ${r.replicaSet}`), [`2 ${rs2.metadata.name}`, `3 ${rs1[0]!.metadata.name}`]);
  assert.equal(rolloutUndo(c.api, 'default', 'web', 3), 'deployment.apps/web skipped rollback (current template already matches revision 3)');
  assert.throws(() => rolloutUndo(c.api, 'default', 'web', 7), { message: 'unable to find specified revision 7 in history' });

  // Scale down, then delete: the garbage collector takes the ReplicaSets and their pods.
  c.api.mutate<Deployment>('Deployment', 'default', 'web', (d) => (d.spec.replicas = 1));
  await until('one replica', done(c, 'web', 1));
  c.api.delete('Deployment', 'default', 'web');
  await until('the cascade', () => c.api.list('ReplicaSet').items.length === 0 && c.api.list('Pod').items.length === 0);
  c.close();
});
