/**
 * The kubelet with a real node worker (worker_threads, real @wasmer/sdk, the
 * sample Go programs): lifecycle traces of a pod that completes, a
 * crash-looping pod, an image that does not exist, a docs manifest's busybox
 * through the registry mirror, and a graceful deletion. Cluster time is a
 * ManualClock: backoffs wait until the test moves it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ApiStore, KubeObject, Pod } from '../../src/api/index.ts';
import { LayoutSource, pullImage } from '../../src/oci/index.ts';
import { NodeWorker, openContentStore, type StoreConfig } from '../../src/runtime/index.ts';
import { waitingError } from '../../src/cli/kubectl/pods.ts';
import { eventsOf, startCluster, until } from '../helpers/cluster.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

let dir = '';
let node: NodeWorker;
let store: StoreConfig;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podplay-kubelet-'));
  store = { kind: 'directory', root: dir };
  const content = await openContentStore(store);
  for (const ref of ['podplay/hello', 'podplay/toolbox']) await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), ref, content);
  node = new NodeWorker('node-1', store);
  await node.ready();
});

after(async () => {
  await node?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const cluster = () => startCluster(store, [{ name: 'node-1', worker: node }]);
const events = eventsOf;

function pod(name: string, image: string, command: string[] | undefined, restartPolicy: 'Always' | 'OnFailure' | 'Never'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { restartPolicy, containers: [{ name, image, ...(command ? { command } : {}) }] } };
}

const phaseOf = (api: ApiStore, name: string) => (api.tryGet('Pod', 'default', name) as Pod | undefined)?.status?.phase;

test('a pod that completes: Pending → Running → Succeeded, with the events a real cluster writes', async () => {
  const c = await cluster();
  // hello stays up in a pod unless told -once.
  c.api.create(pod('hello', 'podplay/hello', ['/usr/local/bin/hello', '-once'], 'Never'));
  await until('Succeeded', () => phaseOf(c.api, 'hello') === 'Succeeded');
  c.close();
  assert.deepEqual(c.trace, [
    'Pending []',
    'Pending [PodScheduled]',
    'Pending [Initialized,PodReadyToStartContainers,PodScheduled] hello=waiting:ContainerCreating/0',
    'Running [ContainersReady,Initialized,PodReadyToStartContainers,PodScheduled,Ready] hello=running/0/ready',
    'Succeeded [Initialized,PodScheduled] hello=terminated:Completed:0/0',
  ]);
  const e = events(c.api, 'hello');
  assert.equal(e[0], 'Normal Scheduled Successfully assigned default/hello to node-1');
  assert.equal(e[1], 'Normal Pulling Pulling image "podplay/hello"');
  assert.match(e[2]!, /^Normal Pulled Successfully pulled image "podplay\/hello" in \d+(ms|\.\d+s|s) \(\d+(ms|\.\d+s|s) including waiting\)\. Image size: \d+ bytes\.$/);
  assert.deepEqual(e.slice(3), ['Normal Created Container created', 'Normal Started Container started']);
  const done = c.api.get('Pod', 'default', 'hello') as Pod;
  const ready = done.status!.conditions!.find((x) => x.type === 'Ready')!;
  assert.deepEqual([ready.status, ready.reason], ['False', 'PodCompleted']);
  assert.match(done.status!.containerStatuses![0]!.containerID!, /^podplay:\/\//);
});

test('a crash-looping pod restarts at once, then backs off 10 s, 20 s…, as CrashLoopBackOff', async () => {
  const c = await cluster();
  c.api.create(pod('crash', 'podplay/toolbox', ['sh', '-c', 'echo failing; exit 3'], 'Always'));
  const status = () => (c.api.tryGet('Pod', 'default', 'crash') as Pod | undefined)?.status?.containerStatuses?.[0];
  await until('the first back-off', () => status()?.state.waiting?.reason === 'CrashLoopBackOff');
  let s = status()!;
  assert.equal(s.restartCount, 1, 'restarted at once after the first exit, backing off after the second');
  assert.match(s.state.waiting!.message!, /^back-off 10s restarting failed container=crash pod=crash_default\([0-9a-f-]{36}\)$/);
  assert.deepEqual([s.lastState.terminated?.reason, s.lastState.terminated?.exitCode], ['Error', 3]);
  assert.equal(phaseOf(c.api, 'crash'), 'Running', 'a crash-looping pod with restartPolicy Always is Running');
  await c.clock.advance(9_000);
  assert.equal(status()!.restartCount, 1, 'still backing off after 9 s');
  await c.clock.advance(1_000);
  await until('the second back-off', () => status()?.state.waiting?.message?.startsWith('back-off 20s') ?? false);
  s = status()!;
  assert.equal(s.restartCount, 2);
  c.close();
  const e = events(c.api, 'crash');
  assert.ok(e.includes('Warning BackOff Back-off restarting failed container crash in pod crash_default(' + c.api.get('Pod', 'default', 'crash').metadata.uid + ') (x2)'), e.join('\n'));
  assert.ok(e.some((x) => x.startsWith('Normal Started Container started (x')), 'repeats are counted on one event');
});

test('an image podplay does not have ends in ErrImagePull, then ImagePullBackOff, naming the images there are', async () => {
  const c = await cluster();
  c.api.create(pod('web', 'nginx:1.14.2', undefined, 'Always'));
  const waiting = () => (c.api.tryGet('Pod', 'default', 'web') as Pod | undefined)?.status?.containerStatuses?.[0]?.state.waiting;
  await until('ErrImagePull', () => waiting()?.reason === 'ErrImagePull');
  assert.match(waiting()!.message!, /podplay has no image "docker\.io\/library\/nginx:1\.14\.2".*podplay\/hello/);
  // kubectl logs of it: the kubelet's own words for the two pull failures (validateContainerLogStatus).
  const logsError = () => waitingError(c.api.get('Pod', 'default', 'web'), 'web').message;
  if (waiting()?.reason === 'ErrImagePull') assert.equal(logsError(), 'container "web" in pod "web" is waiting to start: image can\'t be pulled');
  await c.clock.advance(1_000);
  await until('ImagePullBackOff', () => waiting()?.reason === 'ImagePullBackOff');
  assert.match(waiting()!.message!, /^Back-off pulling image "nginx:1\.14\.2": ErrImagePull: /);
  assert.equal(logsError(), 'container "web" in pod "web" is waiting to start: trying and failing to pull image');
  assert.equal(phaseOf(c.api, 'web'), 'Pending');
  c.close();
  const e = events(c.api, 'web');
  assert.ok(e.some((x) => x.startsWith('Warning Failed Failed to pull image "nginx:1.14.2": ')));
  assert.ok(e.includes('Warning Failed Error: ErrImagePull'));
  assert.ok(e.includes('Normal BackOff Back-off pulling image "nginx:1.14.2"'));
});

test('busybox from a docs manifest runs on podplay\'s toolbox through the registry mirror; deletion is graceful', async () => {
  const c = await cluster();
  c.api.create(pod('busybox', 'busybox:1.28', ['sh', '-c', 'echo "Hello, Kubernetes!" && sleep 3600'], 'OnFailure'));
  await until('Running', () => phaseOf(c.api, 'busybox') === 'Running');
  const e = events(c.api, 'busybox');
  // The node has the toolbox but not the name busybox:1.28: the mirror serves it, stored under that name.
  assert.ok(e.includes('Normal Pulling Pulling image "busybox:1.28"'), e.join('\n'));
  assert.ok(e.some((x) => /^Normal Pulled Successfully pulled image "busybox:1\.28" in .* \(served by podplay image "podplay\/toolbox:latest" through a registry mirror\)$/.test(x)), e.join('\n'));
  const p = c.api.get('Pod', 'default', 'busybox') as Pod;
  const id = p.status!.containerStatuses![0]!.containerID!.replace('podplay://', '');
  for (let i = 0; i < 100 && (await node.logs(id)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual((await node.logs(id)).map((l) => l.text), ['Hello, Kubernetes!']);
  assert.equal(p.status!.containerStatuses![0]!.image, 'docker.io/library/busybox:1.28');
  assert.match(p.status!.containerStatuses![0]!.imageID, /^busybox@sha256:[0-9a-f]{64}$/);
  c.api.delete('Pod', 'default', 'busybox', { gracePeriodSeconds: 1 });
  await until('gone', () => !c.api.tryGet('Pod', 'default', 'busybox'));
  c.close();
  assert.deepEqual(c.trace.slice(-3), [
    'Running (terminating) [ContainersReady,Initialized,PodReadyToStartContainers,PodScheduled,Ready] busybox=running/0/ready',
    'Failed (terminating) [Initialized,PodScheduled] busybox=terminated:Error:137/0',
    'busybox deleted',
  ]);
  assert.ok(events(c.api, 'busybox').includes('Normal Killing Stopping container busybox'));
  await assert.rejects(node.inspect(id), { code: 'ContainerNotFound' }, 'its containers are removed with it');
});

test('exec probes: readiness gates Ready; a failing liveness probe restarts the container', async () => {
  const c = await cluster();
  c.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'probed' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'liveness',
          image: 'podplay/toolbox',
          // From the Kubernetes docs' liveness example, with shorter sleeps.
          args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 1; rm -f /tmp/healthy; sleep 600'],
          // Long timeouts: cluster time jumps here while the probes' programs run in real time.
          livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 1, periodSeconds: 5, timeoutSeconds: 60 },
          readinessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 5, timeoutSeconds: 60 },
        },
      ],
    },
  });
  const status = () => (c.api.tryGet('Pod', 'default', 'probed') as Pod | undefined)?.status?.containerStatuses?.[0];
  await until('running', () => status()?.state.running !== undefined);
  await c.clock.advance(0);
  await until('ready', () => status()?.ready === true);
  await new Promise((r) => setTimeout(r, 1500)); // the program removes /tmp/healthy
  for (let i = 0; i < 3; i++) {
    await c.clock.advance(5_000);
    await until(`probe ${i + 1}`, () => eventsOf(c.api, 'probed').some((e) => e.startsWith('Warning Unhealthy Liveness probe failed') && (i === 0 || e.endsWith(`(x${i + 1})`))));
  }
  await until('restarted', () => status()?.restartCount === 1);
  const e = eventsOf(c.api, 'probed');
  assert.ok(e.some((x) => /^Warning Unhealthy Liveness probe failed: cat: .*\/tmp\/healthy.* \(x3\)$/.test(x)), e.join('\n'));
  assert.ok(e.some((x) => x.startsWith('Warning Unhealthy Readiness probe failed: cat: ')), e.join('\n'));
  assert.ok(e.includes('Normal Killing Container liveness failed liveness probe, will be restarted'), e.join('\n'));
  assert.equal(status()!.lastState.terminated?.exitCode, 137);
  c.close();
});

test('init containers run first; env from ConfigMap, Secret and the downward API; configMap and emptyDir volumes', async () => {
  const c = await cluster();
  c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { greeting: 'hi', 'app.conf': 'mode=demo\n' } });
  c.api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 's3cret' } });
  c.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'configured', labels: { app: 'demo' } },
    spec: {
      restartPolicy: 'Never',
      volumes: [{ name: 'work', emptyDir: {} }, { name: 'conf', configMap: { name: 'settings', items: [{ key: 'app.conf', path: 'app.conf' }] } }],
      initContainers: [{ name: 'prepare', image: 'podplay/toolbox', command: ['sh', '-c', 'echo prepared > /work/ready'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      containers: [
        {
          name: 'main',
          image: 'podplay/toolbox',
          command: ['sh', '-c', 'cat /work/ready /etc/app/app.conf; echo "$GREETING $PASSWORD $POD_NAME $NODE $APP"'],
          env: [
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          ],
          volumeMounts: [
            { name: 'work', mountPath: '/work' },
            { name: 'conf', mountPath: '/etc/app', readOnly: true },
          ],
        },
      ],
    },
  });
  await until('Succeeded', () => phaseOf(c.api, 'configured') === 'Succeeded');
  const p = c.api.get('Pod', 'default', 'configured') as Pod;
  assert.equal(p.status!.initContainerStatuses![0]!.state.terminated!.reason, 'Completed');
  const id = p.status!.containerStatuses![0]!.containerID!.replace('podplay://', '');
  assert.deepEqual((await node.logs(id)).map((l) => l.text), ['prepared', 'mode=demo', 'hi s3cret configured node-1 demo']);
  assert.ok(c.trace.includes('Pending [PodReadyToStartContainers,PodScheduled] main=waiting:PodInitializing/0'), c.trace.join('\n'));

  c.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'misconfigured' },
    spec: { containers: [{ name: 'main', image: 'podplay/toolbox', command: ['true'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing', key: 'x' } } }] }] },
  });
  const waiting = () => (c.api.tryGet('Pod', 'default', 'misconfigured') as Pod | undefined)?.status?.containerStatuses?.[0]?.state.waiting;
  await until('CreateContainerConfigError', () => waiting()?.reason === 'CreateContainerConfigError');
  assert.equal(waiting()!.message, 'configmap "missing" not found');
  assert.ok(eventsOf(c.api, 'misconfigured').includes('Warning Failed Error: configmap "missing" not found'));
  c.close();
});

test('imagePullPolicy Never with the image missing backs off; a force delete stops the containers at once', async () => {
  const c = await cluster();
  c.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'never' }, spec: { containers: [{ name: 'main', image: 'podplay/absent:1', imagePullPolicy: 'Never' }] } });
  const waiting = () => (c.api.tryGet('Pod', 'default', 'never') as Pod | undefined)?.status?.containerStatuses?.[0]?.state.waiting;
  await until('ErrImageNeverPull', () => waiting()?.reason === 'ErrImageNeverPull');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(waiting()!.message, 'Container image "podplay/absent:1" is not present with pull policy of Never');
  assert.deepEqual(eventsOf(c.api, 'never').slice(1), ['Warning ErrImageNeverPull Container image "podplay/absent:1" is not present with pull policy of Never', 'Warning Failed Error: ErrImageNeverPull'], 'once, then a backoff');

  c.api.create(pod('forced', 'podplay/toolbox', ['sleep', '3600'], 'Always'));
  await until('Running', () => phaseOf(c.api, 'forced') === 'Running');
  const id = (c.api.get('Pod', 'default', 'forced') as Pod).status!.containerStatuses![0]!.containerID!.replace('podplay://', '');
  c.api.delete('Pod', 'default', 'forced', { gracePeriodSeconds: 0 });
  assert.equal(c.api.tryGet('Pod', 'default', 'forced'), undefined);
  for (let i = 0; i < 100; i++) {
    const gone = await node.inspect(id).then(() => false, () => true);
    if (gone) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await assert.rejects(node.inspect(id), { code: 'ContainerNotFound' });
  c.close();
});

test('deleting a namespace stops and removes its running pods, then the namespace goes', async () => {
  const c = await cluster();
  c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
  c.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'dev' }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'podplay/toolbox', command: ['sleep', '3600'] }] } });
  await until('Running', () => (c.api.tryGet('Pod', 'dev', 'app') as Pod | undefined)?.status?.phase === 'Running');
  c.api.delete('Namespace', undefined, 'dev');
  await until('the namespace gone', () => !c.api.tryGet('Namespace', undefined, 'dev'));
  assert.equal(c.api.list('Pod', { namespace: 'dev' }).items.length, 0);
  c.close();
});
