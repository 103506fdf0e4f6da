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

  // Roll out a new template. maxUnavailable 25% of 3 rounds down to 0: ready pods never drop below 3;
  // maxSurge 25% rounds up to 1: the ReplicaSets together never ask for more than 4 pods.
  let lowest = 3;
  let highest = 3;
  const watch = c.api.watch('Pod', { labelSelector: 'app=web' }, () => {
    const live = c.api.list<Pod>('Pod', { labelSelector: 'app=web' }).items.filter((p) => !p.metadata.deletionTimestamp);
    lowest = Math.min(lowest, live.filter((p) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')).length);
  });
  const rsWatch = c.api.watch('ReplicaSet', {}, () => {
    highest = Math.max(highest, c.api.list<ReplicaSet>('ReplicaSet').items.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0));
  });
  c.api.mutate<Deployment>('Deployment', 'default', 'web', (d) => {
    d.spec.template.spec.containers[0]!.image = 'podplay/ticker';
    d.spec.template.spec.containers[0]!.command = ['ticker', '-interval', '1h'];
  });
  await until('revision 2 available', done(c, 'web', 3));
  watch.dispose();
  rsWatch.dispose();
  assert.ok(lowest >= 3, `ready pods dropped to ${lowest}`);
  assert.ok(highest <= 4, `the ReplicaSets asked for ${highest} pods`);
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

function job(name: string, spec: Record<string, unknown>, command: string[]): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name, image: 'podplay/toolbox', command }] } } },
  };
}

const jobStatus = (c: TestCluster, name: string) => (c.api.get('Job', 'default', name).status ?? {}) as Record<string, any>;
const conditionsOf = (s: Record<string, any>) => (s.conditions ?? []).map((x: any) => `${x.type} ${x.reason}`);

test('a Job runs its completions, parallelism at a time, and completes', async () => {
  const c = await startCluster(store, workers.map((w, i) => ({ name: `node-${i + 1}`, worker: w })));
  c.api.create(job('count', { completions: 3, parallelism: 2 }, ['sh', '-c', 'echo done']));
  await until('Complete', () => conditionsOf(jobStatus(c, 'count')).includes('Complete CompletionsReached'));
  const s = jobStatus(c, 'count');
  assert.deepEqual([s.succeeded, s.failed, s.active], [3, 0, 0]);
  assert.deepEqual(conditionsOf(s), ['SuccessCriteriaMet CompletionsReached', 'Complete CompletionsReached']);
  assert.ok(s.completionTime);
  const ev = eventsOf(c.api, 'count', 'Job');
  assert.equal(ev.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: count-')).length, 3);
  assert.equal(ev.at(-1), 'Normal Completed Job completed');
  const pods = c.api.list<Pod>('Pod', { labelSelector: 'job-name=count' }).items;
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.status?.phase === 'Succeeded' && !p.metadata.finalizers?.length), 'each pod counted once and let go');
  c.close();
});

test('a Job with failures backs off 10 s, 20 s… between pods and fails past its backoffLimit', async () => {
  const c = await startCluster(store, workers.map((w, i) => ({ name: `node-${i + 1}`, worker: w })));
  c.api.create(job('flaky', { backoffLimit: 2 }, ['sh', '-c', 'exit 1']));
  const failed = (n: number) => () => jobStatus(c, 'flaky').failed === n;
  await until('the first failure', failed(1));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(c.api.list<Pod>('Pod', { labelSelector: 'job-name=flaky' }).items.length, 1, 'no replacement before its backoff');
  await c.clock.advance(10_000);
  await until('the second failure', failed(2));
  await c.clock.advance(10_000);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(c.api.list<Pod>('Pod', { labelSelector: 'job-name=flaky' }).items.length, 2, 'the second replacement waits 20 s');
  await c.clock.advance(10_000);
  await until('Failed', () => conditionsOf(jobStatus(c, 'flaky')).includes('Failed BackoffLimitExceeded'));
  const s = jobStatus(c, 'flaky');
  assert.equal(s.failed, 3);
  assert.deepEqual(conditionsOf(s), ['FailureTarget BackoffLimitExceeded', 'Failed BackoffLimitExceeded']);
  assert.equal(eventsOf(c.api, 'flaky', 'Job').at(-1), 'Warning BackoffLimitExceeded Job has reached the specified backoff limit');
  c.close();
});

test('a DaemonSet runs one pod per node, through node affinity on the node\'s name', async () => {
  const c = await startCluster(store, workers.map((w, i) => ({ name: `node-${i + 1}`, worker: w })));
  c.api.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'agent', image: 'podplay/toolbox', command: ['sleep', '3600'] }] } } },
  });
  await until('both running', () => c.api.list<Pod>('Pod', { labelSelector: 'app=agent' }).items.filter((p) => p.status?.phase === 'Running').length === 2);
  const pods = c.api.list<Pod>('Pod', { labelSelector: 'app=agent' }).items;
  assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), ['node-1', 'node-2']);
  assert.ok(pods.every((p) => (p.spec.affinity as any).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0] === p.spec.nodeName));
  assert.ok(pods.every((p) => p.spec.tolerations!.some((t) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule')));
  await until('status', () => (c.api.get('DaemonSet', 'default', 'agent').status as any).numberReady === 2);
  assert.deepEqual(
    ((s) => [s.desiredNumberScheduled, s.currentNumberScheduled, s.numberReady, s.numberMisscheduled])(c.api.get('DaemonSet', 'default', 'agent').status as any),
    [2, 2, 2, 0],
  );
  c.api.delete('DaemonSet', 'default', 'agent');
  await until('gone', () => c.api.list('Pod', { labelSelector: 'app=agent' }).items.length === 0);
  c.close();
});

test('a lost node: Unknown after the grace period, tainted unreachable, its pods evicted after 300 s and replaced elsewhere', async () => {
  const doomed = new NodeWorker('node-3', store);
  await doomed.ready();
  const c = await startCluster(store, [
    { name: 'node-1', worker: workers[0]! },
    { name: 'node-3', worker: doomed },
  ]);
  c.api.create(deployment('svc', 2, 'podplay/toolbox', ['sleep', '3600']));
  await until('two running', () => runningPods(c, 'svc').length === 2);
  const lost = runningPods(c, 'svc').find((p) => p.spec.nodeName === 'node-3')!;
  await doomed.crash();
  await until('the worker\'s death is noticed', () => doomed.condition === 'NotReady');
  await c.clock.advance(45_000);
  assert.equal(c.api.get<any>('Node', undefined, 'node-3').status.conditions.find((x: any) => x.type === 'Ready').status, 'True', 'within the grace period');
  await c.clock.advance(15_000);
  const node = c.api.get<any>('Node', undefined, 'node-3');
  const ready = node.status.conditions.find((x: any) => x.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  assert.deepEqual(node.spec.taints.map((t: any) => `${t.key}:${t.effect}`), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  assert.ok(eventsOf(c.api, 'node-3', 'Node').includes('Normal NodeNotReady Node node-3 status is now: NodeNotReady'));
  assert.ok(c.api.get<Pod>('Pod', 'default', lost.metadata.name!).status!.conditions!.some((x) => x.type === 'Ready' && x.status === 'False'), 'its pods are marked not ready');
  await c.clock.advance(240_000);
  assert.equal(c.api.get<Pod>('Pod', 'default', lost.metadata.name!).metadata.deletionTimestamp, undefined, 'tolerated for 300 s');
  await c.clock.advance(65_000);
  assert.ok(c.api.get<Pod>('Pod', 'default', lost.metadata.name!).metadata.deletionTimestamp, 'evicted');
  assert.ok(eventsOf(c.api, lost.metadata.name!).includes(`Normal TaintManagerEviction Marking for deletion Pod default/${lost.metadata.name}`));
  await until('a replacement on node-1', () => runningPods(c, 'svc').filter((p) => p.spec.nodeName === 'node-1').length === 2);
  c.close();
  await doomed.dispose().catch(() => undefined);
});

test('Recreate stops every old pod before the new ones start; a paused Deployment rolls out only when resumed', async () => {
  const c = await startCluster(store, workers.map((w, i) => ({ name: `node-${i + 1}`, worker: w })));
  const d = deployment('batch', 2, 'podplay/toolbox', ['sleep', '3600']);
  (d.spec as any).strategy = { type: 'Recreate' };
  c.api.create(d);
  await until('available', done(c, 'batch', 2));
  let overlap = false;
  const watch = c.api.watch('Pod', { labelSelector: 'app=batch' }, () => {
    const live = c.api.list<Pod>('Pod', { labelSelector: 'app=batch' }).items.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const templates = new Set(live.map((p) => p.metadata.labels!['pod-template-hash']));
    if (templates.size > 1) overlap = true;
  });
  c.api.mutate<Deployment>('Deployment', 'default', 'batch', (x) => (x.spec.template.spec.containers[0]!.command = ['sleep', '7200']));
  await until('the new template available', done(c, 'batch', 2));
  watch.dispose();
  assert.equal(overlap, false, 'old and new pods never ran side by side');

  c.api.mutate<Deployment>('Deployment', 'default', 'batch', (x) => (x.spec.paused = true));
  c.api.mutate<Deployment>('Deployment', 'default', 'batch', (x) => (x.spec.template.spec.containers[0]!.command = ['sleep', '10800']));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(c.api.list('ReplicaSet').items.length, 2, 'paused: no new ReplicaSet');
  assert.deepEqual(
    (status(c, 'batch').conditions as any[]).find((x) => x.type === 'Progressing'),
    { ...(status(c, 'batch').conditions as any[]).find((x) => x.type === 'Progressing'), status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' },
  );
  c.api.mutate<Deployment>('Deployment', 'default', 'batch', (x) => (x.spec.paused = false));
  await until('rolled out after resume', () => done(c, 'batch', 2)() && c.api.list('ReplicaSet').items.length === 3);
  c.api.delete('Deployment', 'default', 'batch');
  await until('the cascade', () => c.api.list('Pod', { labelSelector: 'app=batch' }).items.length === 0);
  c.close();
});

test('a Job past its activeDeadlineSeconds fails and its pods go; a finished Job goes after ttlSecondsAfterFinished', async () => {
  const c = await startCluster(store, workers.map((w, i) => ({ name: `node-${i + 1}`, worker: w })));
  const slow = job('slow', { activeDeadlineSeconds: 30 }, ['sleep', '3600']);
  (slow.spec as any).template.spec.terminationGracePeriodSeconds = 1;
  c.api.create(slow);
  await until('running', () => c.api.list<Pod>('Pod', { labelSelector: 'job-name=slow' }).items.some((p) => p.status?.phase === 'Running'));
  await c.clock.advance(30_000);
  await until('DeadlineExceeded', () => conditionsOf(jobStatus(c, 'slow')).includes('Failed DeadlineExceeded'));
  assert.equal(eventsOf(c.api, 'slow', 'Job').at(-2), 'Warning DeadlineExceeded Job was active longer than specified deadline');
  await until('its pod stopped', () => c.api.list<Pod>('Pod', { labelSelector: 'job-name=slow' }).items.every((p) => p.metadata.deletionTimestamp || p.status?.phase === 'Failed') );
  c.api.create(job('brief', { ttlSecondsAfterFinished: 60 }, ['true']));
  await until('Complete', () => conditionsOf(jobStatus(c, 'brief')).includes('Complete CompletionsReached'));
  await c.clock.advance(59_000);
  assert.ok(c.api.tryGet('Job', 'default', 'brief'), 'kept for its TTL');
  await c.clock.advance(1_000);
  await until('gone with its pods', () => !c.api.tryGet('Job', 'default', 'brief') && c.api.list('Pod', { labelSelector: 'job-name=brief' }).items.length === 0);
  c.close();
});

test('a DaemonSet rolling update replaces one node\'s pod at a time; a Job deleted in the foreground goes with its pods', async () => {
  const nodes = workers.map((w, i) => ({ name: `node-${i + 1}`, worker: w }));
  const c = await startCluster(store, nodes);
  const ds = (command: string[]): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'agent', image: 'podplay/toolbox', command }] } } },
  });
  c.api.create(ds(['sleep', '3600']));
  const ready = () => c.api.list<Pod>('Pod', { labelSelector: 'app=agent' }).items.filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
  await until('both ready', () => ready().length === 2);
  let lowest = 2;
  const watch = c.api.watch('Pod', { labelSelector: 'app=agent' }, () => (lowest = Math.min(lowest, ready().length)));
  c.api.mutate('DaemonSet', 'default', 'agent', (x) => ((x.spec as any).template.spec.containers[0].command = ['sleep', '7200']));
  await until('both updated and ready', () => ready().length === 2 && ready().every((p) => p.spec.containers[0]!.command![1] === '7200'));
  watch.dispose();
  assert.equal(lowest, 1, 'maxUnavailable 1: one node without its daemon at a time');

  const long = job('long', {}, ['sleep', '3600']);
  (long.spec as any).template.spec.terminationGracePeriodSeconds = 1;
  c.api.create(long);
  await until('running', () => c.api.list<Pod>('Pod', { labelSelector: 'job-name=long' }).items.some((p) => p.status?.phase === 'Running'));
  c.api.delete('Job', 'default', 'long', { propagationPolicy: 'Foreground' });
  await until('the Job and its pod gone', () => !c.api.tryGet('Job', 'default', 'long') && c.api.list('Pod', { labelSelector: 'job-name=long' }).items.length === 0);
  c.close();
});
