/**
 * The API machinery: defaulting, validation in the API server's words,
 * resourceVersion and 409 Conflict, generation, selectors, watch from a
 * resourceVersion, graceful deletion and finalizers, binding.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, createApiStore, type KubeObject, type Pod, type WatchEvent } from '../../src/api/index.ts';
import { ManualClock } from '../../src/shared/index.ts';

const newStore = () => createApiStore({ clock: new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0)) });

/** A small pod builder: makePod('web').image('podplay/hello').label('app', 'web').obj(). */
function makePod(name: string) {
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: {} }, spec: { containers: [{ name: 'main', image: 'podplay/hello' }] } };
  const b = {
    image: (image: string) => ((pod.spec.containers[0]!.image = image), b),
    label: (k: string, v: string) => ((pod.metadata.labels![k] = v), b),
    node: (n: string) => ((pod.spec.nodeName = n), b),
    set: (f: (p: Pod) => void) => (f(pod), b),
    obj: () => pod,
  };
  return b;
}

function deployment(name: string, labels: Record<string, string>, selector: Record<string, string> = labels): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: selector }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'podplay/hello:1.0' }] } } },
  };
}

function kubectlError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `not an ApiError: ${err}`);
    return err.kubectlMessage();
  }
  assert.fail('no error');
}

test('a pod is defaulted as the API server and its admission plugins do', () => {
  const api = newStore();
  const pod = api.create(makePod('web').obj()) as Pod;
  assert.equal(pod.metadata.namespace, 'default');
  assert.match(pod.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.equal(pod.metadata.creationTimestamp, '2026-11-27T12:00:00Z');
  assert.equal(pod.metadata.generation, 1);
  assert.ok(Number(pod.metadata.resourceVersion) > 0);
  assert.deepEqual(
    [pod.spec.restartPolicy, pod.spec.dnsPolicy, pod.spec.schedulerName, pod.spec.terminationGracePeriodSeconds, pod.spec.serviceAccountName, pod.spec.priority, pod.spec.enableServiceLinks],
    ['Always', 'ClusterFirst', 'default-scheduler', 30, 'default', 0, true],
  );
  const c = pod.spec.containers[0]!;
  assert.deepEqual([c.imagePullPolicy, c.terminationMessagePath, c.terminationMessagePolicy], ['Always', '/dev/termination-log', 'File']);
  assert.deepEqual(pod.spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
  const tagged = api.create(makePod('tagged').image('podplay/hello:1.0').set((p) => (p.spec.containers[0]!.resources = { limits: { cpu: '500m', memory: '64Mi' } })).obj()) as Pod;
  assert.equal(tagged.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(tagged.spec.containers[0]!.resources!.requests, { cpu: '500m', memory: '64Mi' }, 'requests default to limits');
  assert.equal(tagged.status!.qosClass, 'Guaranteed');
  const d = api.create(deployment('web', { app: 'web' }));
  assert.deepEqual((d.spec as any).strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.deepEqual([(d.spec as any).replicas, (d.spec as any).revisionHistoryLimit, (d.spec as any).progressDeadlineSeconds], [1, 10, 600]);
  assert.equal(Object.isFrozen(d.spec), true, 'stored objects are shared read-only');
});

test('invalid objects are refused with the API server\'s words, as kubectl prints them', () => {
  const api = newStore();
  const cases: Array<[string, KubeObject, string]> = [
    ['no image', makePod('web').set((p) => delete p.spec.containers[0]!.image).obj(), 'The Pod "web" is invalid: spec.containers[0].image: Required value'],
    ['no containers', makePod('web').set((p) => (p.spec.containers = [])).obj(), 'The Pod "web" is invalid: spec.containers: Required value'],
    [
      'bad name',
      makePod('Web_1').obj(),
      'The Pod "Web_1" is invalid: metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ],
    [
      'restart policy',
      makePod('web').set((p) => (p.spec.restartPolicy = 'Sometimes' as never)).obj(),
      'The Pod "web" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
    [
      'requests over limits',
      makePod('web').set((p) => (p.spec.containers[0]!.resources = { requests: { cpu: '2' }, limits: { cpu: '1' } })).obj(),
      'The Pod "web" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ],
    [
      'two problems',
      makePod('web').set((p) => (p.spec.containers = [{ name: 'a', image: 'x' }, { name: 'a' }])).obj(),
      'The Pod "web" is invalid: \n* spec.containers[1].name: Duplicate value: "a"\n* spec.containers[1].image: Required value',
    ],
    [
      'selector and labels',
      deployment('web', { app: 'web' }, { app: 'api' }),
      'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ],
    [
      'deployment restart policy',
      (() => {
        const d = deployment('web', { app: 'web' });
        (d.spec as any).template.spec.restartPolicy = 'Never';
        return d;
      })(),
      'The Deployment "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ],
  ];
  for (const [what, obj, message] of cases) assert.equal(kubectlError(() => api.create(obj)), message, what);
  assert.equal(api.list('Pod').items.length, 0, 'nothing invalid was stored');
  const raw = (() => {
    try {
      api.create(makePod('web').set((p) => delete p.spec.containers[0]!.image).obj());
    } catch (err) {
      return (err as ApiError).toStatus();
    }
  })();
  assert.deepEqual([raw!.code, raw!.reason, raw!.message], [422, 'Invalid', 'Pod "web" is invalid: spec.containers[0].image: Required value']);
  assert.equal(kubectlError(() => api.create({ ...makePod('web').obj(), metadata: { name: 'web', namespace: 'nope' } })), 'Error from server (NotFound): namespaces "nope" not found');
  api.create(makePod('web').obj());
  assert.equal(kubectlError(() => api.create(makePod('web').obj())), 'Error from server (AlreadyExists): pods "web" already exists');
  assert.equal(kubectlError(() => api.get('Deployment', 'default', 'nope')), 'Error from server (NotFound): deployments.apps "nope" not found');
});

test('resourceVersion guards updates; generation follows spec changes, not status', () => {
  const api = newStore();
  const d0 = api.create(deployment('web', { app: 'web' }));
  const d1 = api.mutate('Deployment', 'default', 'web', (d) => ((d.spec as any).replicas = 3));
  assert.equal(d1.metadata.generation, 2);
  assert.ok(Number(d1.metadata.resourceVersion) > Number(d0.metadata.resourceVersion));
  const stale = structuredClone(d0);
  (stale.spec as any).replicas = 5;
  assert.equal(
    kubectlError(() => api.update(stale)),
    'Error from server (Conflict): Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
  );
  const d2 = api.mutate('Deployment', 'default', 'web', (d) => (d.status = { replicas: 3, observedGeneration: 2 }), true);
  assert.equal(d2.metadata.generation, 2);
  assert.deepEqual(d2.status, { replicas: 3, observedGeneration: 2 });
  // A spec update leaves the status alone; a status update leaves the spec alone.
  const d3 = api.mutate('Deployment', 'default', 'web', (d) => ((d.spec as any).replicas = 4));
  assert.deepEqual(d3.status, { replicas: 3, observedGeneration: 2 });
  assert.equal(api.mutate('Deployment', 'default', 'web', (d) => ((d.spec as any).replicas = 99), true).metadata.generation, 3);
  assert.equal((api.get('Deployment', 'default', 'web').spec as any).replicas, 4);
  assert.equal(
    kubectlError(() => api.mutate('Deployment', 'default', 'web', (d) => ((d.spec as any).selector = { matchLabels: { app: 'other' } }))),
    'The Deployment "web" is invalid: \n* spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`\n* spec.selector: Invalid value: {"matchLabels":{"app":"other"}}: field is immutable',
  );
  api.create(makePod('p').obj());
  assert.match(kubectlError(() => api.mutate('Pod', 'default', 'p', (p) => ((p.spec as any).restartPolicy = 'Never'))), /^The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,/);
  assert.equal((api.mutate('Pod', 'default', 'p', (p) => ((p.spec as any).containers[0].image = 'podplay/hello:2')).spec as any).containers[0].image, 'podplay/hello:2');
});

test('label and field selectors, as kubectl get -l and --field-selector use them', () => {
  const api = newStore();
  api.create(makePod('a').label('app', 'web').label('tier', 'front').obj());
  api.create(makePod('b').label('app', 'web').obj());
  api.create(makePod('c').label('app', 'db').obj());
  api.bind('default', 'a', 'node-1');
  const names = (o: { items: KubeObject[] }) => o.items.map((i) => i.metadata.name).join(',');
  const cases: Array<[string, string]> = [
    ['app=web', 'a,b'],
    ['app==web,tier=front', 'a'],
    ['app!=web', 'c'],
    ['tier', 'a'],
    ['!tier', 'b,c'],
    ['app in (web,db)', 'a,b,c'],
    ['app notin (web)', 'c'],
    ['tier notin (back)', 'a,b,c'],
    ['', 'a,b,c'],
  ];
  for (const [selector, want] of cases) assert.equal(names(api.list('Pod', { labelSelector: selector })), want, selector);
  assert.equal(names(api.list('Pod', { fieldSelector: 'spec.nodeName=node-1' })), 'a');
  assert.equal(names(api.list('Pod', { fieldSelector: 'spec.nodeName=' })), 'b,c');
  assert.equal(names(api.list('Pod', { fieldSelector: 'metadata.name!=b,status.phase=Pending' })), 'a,c');
  assert.equal(kubectlError(() => api.list('Pod', { fieldSelector: 'spec.foo=x' })), 'Error from server (BadRequest): field label not supported: spec.foo');
  assert.equal(kubectlError(() => api.bind('default', 'a', 'node-2')), 'Error from server (Conflict): Operation cannot be fulfilled on pods/binding "a": pod a is already assigned to node "node-1"');
});

test('watch from a resourceVersion gets what came after it, in order; too old a version is 410 Expired', async () => {
  const api = createApiStore({ clock: new ManualClock(), historyLimit: 5 });
  api.create(makePod('a').obj());
  const from = api.resourceVersion;
  const events: WatchEvent[] = [];
  const all: WatchEvent[] = [];
  const w = api.watch('Pod', { resourceVersion: from }, (e) => events.push(e));
  const w0 = api.watch('Pod', { resourceVersion: '0', labelSelector: 'app=web' }, (e) => all.push(e));
  api.create(makePod('b').label('app', 'web').obj());
  api.mutate('Pod', 'default', 'b', (p) => ((p.spec as any).containers[0].image = 'x'));
  api.delete('Pod', 'default', 'b');
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED b', 'MODIFIED b', 'DELETED b']);
  assert.deepEqual(all.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED b', 'MODIFIED b', 'DELETED b']);
  assert.ok(events.every((e, i) => i === 0 || Number(e.object.metadata.resourceVersion) > Number(events[i - 1]!.object.metadata.resourceVersion)));
  w.dispose();
  w0.dispose();
  // A late watcher replays from the history.
  const late: string[] = [];
  const lateWatch = api.watch('Pod', { resourceVersion: from }, (e) => late.push(e.type));
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(late, ['ADDED', 'MODIFIED', 'DELETED']);
  lateWatch.dispose();
  for (let i = 0; i < 6; i++) api.create(makePod(`p${i}`).obj());
  const err = (() => {
    try {
      api.watch('Pod', { resourceVersion: from }, () => undefined);
    } catch (e) {
      return e as ApiError;
    }
  })();
  assert.equal(err?.httpCode, 410);
  assert.match(err!.message, /^too old resource version: \d+ \(\d+\)$/);
});

test('deletion: a pod on a node waits out its grace period; finalizers hold an object until removed', () => {
  const api = newStore();
  api.create(makePod('bound').obj());
  api.bind('default', 'bound', 'node-1');
  const marked = api.delete('Pod', 'default', 'bound');
  assert.equal(marked.metadata.deletionGracePeriodSeconds, 30);
  assert.equal(marked.metadata.deletionTimestamp, '2026-11-27T12:00:30Z');
  assert.ok(api.tryGet('Pod', 'default', 'bound'), 'still there for its kubelet to stop');
  api.delete('Pod', 'default', 'bound', { gracePeriodSeconds: 0 });
  assert.equal(api.tryGet('Pod', 'default', 'bound'), undefined);
  api.create(makePod('pending').obj());
  api.delete('Pod', 'default', 'pending');
  assert.equal(api.tryGet('Pod', 'default', 'pending'), undefined, 'an unscheduled pod goes at once');
  api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/keep'] }, data: { a: '1' } });
  api.delete('ConfigMap', 'default', 'held');
  assert.ok(api.get('ConfigMap', 'default', 'held').metadata.deletionTimestamp);
  api.mutate('ConfigMap', 'default', 'held', (c) => (c.metadata.finalizers = []));
  assert.equal(api.tryGet('ConfigMap', 'default', 'held'), undefined);
  const generated = api.create({ ...makePod('').obj(), metadata: { generateName: 'web-' } } as KubeObject);
  assert.match(generated.metadata.name!, /^web-[a-z0-9]{5}$/);
});

test('admission: a pod\'s priority comes from its PriorityClass; a Service gets a cluster IP', () => {
  const api = newStore();
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  const pod = api.create(makePod('urgent').set((p) => (p.spec.priorityClassName = 'high')).obj()) as Pod;
  assert.deepEqual([pod.spec.priority, pod.spec.preemptionPolicy], [1000, 'PreemptLowerPriority']);
  assert.equal(
    kubectlError(() => api.create(makePod('lost').set((p) => (p.spec.priorityClassName = 'nope')).obj())),
    'Error from server (Forbidden): pods "lost" is forbidden: no PriorityClass with name nope was found',
  );
  api.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'normal' }, value: 10, globalDefault: true });
  const plain = api.create(makePod('plain').obj()) as Pod;
  assert.deepEqual([plain.spec.priorityClassName, plain.spec.priority], ['normal', 10]);
  assert.equal((api.get('Service', 'default', 'kubernetes').spec as any).clusterIP, '10.96.0.1');
  const svc = api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  assert.deepEqual([(svc.spec as any).clusterIP, (svc.spec as any).type, (svc.spec as any).ports[0].targetPort], ['10.96.0.2', 'ClusterIP', 80]);
});

test('a watch with a selector gets ADDED when an object starts matching and DELETED when it stops', async () => {
  const api = newStore();
  api.create(makePod('p').label('tier', 'back').obj());
  const seen: string[] = [];
  const w = api.watch('Pod', { labelSelector: 'tier=front' }, (e) => seen.push(`${e.type} ${e.object.metadata.labels!.tier}`));
  api.mutate('Pod', 'default', 'p', (x) => (x.metadata.labels!.tier = 'front'));
  api.mutate('Pod', 'default', 'p', (x) => (x.metadata.annotations = { note: 'still front' }));
  api.mutate('Pod', 'default', 'p', (x) => (x.metadata.labels!.tier = 'back'));
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(seen, ['ADDED front', 'MODIFIED front', 'DELETED back']);
  w.dispose();
});
