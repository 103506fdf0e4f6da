/**
 * kubectl describe, against golden files of what kubectl prints
 * (test/golden/describe/*.txt). The objects come from podplay's own control
 * plane and kubelet on a ManualClock, over a fake container runtime and
 * image service: a Deployment rolled out from one image to the next, its
 * ReplicaSets, pods and Service, a crash-looping pod, a Job run to its end,
 * a DaemonSet, a ConfigMap, a Secret and a PriorityClass, with the events
 * the components write. `UPDATE_GOLDEN=1` rewrites the golden files;
 * `DESCRIBE_DUMP=dir` writes the objects as JSON (to check the goldens
 * against kubectl's own describers).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createApiStore, type ApiStore, type KubeObject, type Pod } from '../../src/api/index.ts';
import { describe, describeEvents, tabwrite } from '../../src/cli/kubectl/describe/index.ts';
import { Kubelet, type ContainerRuntime, type ImageService, type PulledImage } from '../../src/controllers/index.ts';
import { normalizeRef } from '../../src/oci/index.ts';
import type { ContainerInfo, ContainerResult, ContainerSpec } from '../../src/runtime/index.ts';
import { startControlPlane } from '../../src/sandbox/index.ts';
import { ManualClock, type Disposable } from '../../src/shared/index.ts';

const GOLDEN = fileURLToPath(new URL('../golden/describe/', import.meta.url));
const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name}: differs from ${file} (UPDATE_GOLDEN=1 rewrites it)`);
}

/** mulberry32: Math.random made repeatable, so generated names and container ids are the same every run. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** uids in the API server's form, numbered. */
function uids(): () => string {
  let n = 0;
  return () => {
    const hex = (++n).toString(16).padStart(12, '0');
    return `6c0f3b1e-4a7d-4e2b-9c1a-${hex}`;
  };
}

/** A digest of a name (sha256-shaped, for image IDs). */
function fakeDigest(name: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (const ch of `${round}${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `sha256:${out}`;
}

/** Images "pulled" in 1.2 s of cluster time; present on the node after. */
function fakeImages(clock: ManualClock): ImageService {
  const have = new Map<string, PulledImage>();
  const image = (name: string): PulledImage => ({ ref: normalizeRef(name), size: 1_843_712, imageId: fakeDigest(normalizeRef(name)) });
  return {
    async present(name) {
      return have.get(normalizeRef(name));
    },
    pull(name) {
      return new Promise((resolve) => clock.setTimeout(() => {
        const img = image(name);
        have.set(img.ref, img);
        resolve(img);
      }, 1200));
    },
    async list() {
      return [...have.values()].map((i) => ({ names: [i.ref, i.imageId], sizeBytes: i.size }));
    },
  };
}

/**
 * Containers without processes: `podplay/crash` exits 1 after 2 s, a
 * command with `echo` exits 0 after 3 s, anything else runs until stopped.
 */
function fakeRuntime(clock: ManualClock): ContainerRuntime {
  const runs = new Map<string, { spec: ContainerSpec; done?: Promise<ContainerResult>; end?: (r: ContainerResult) => void; startedAt?: number }>();
  const info = (id: string) => ({ id, image: runs.get(id)?.spec.image ?? '', state: 'running', createdAt: clock.now(), restartCount: 0 }) as unknown as ContainerInfo;
  return {
    async create(spec) {
      runs.set(spec.id, { spec });
      return info(spec.id);
    },
    async start(id) {
      const r = runs.get(id)!;
      r.startedAt = clock.now();
      r.done = new Promise((resolve) => (r.end = resolve));
      const exit = (exitCode: number) => r.end!({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: r.startedAt!, finishedAt: clock.now() });
      if (r.spec.image.includes('crash')) clock.setTimeout(() => exit(1), 2000);
      else if (r.spec.command?.join(' ').includes('echo')) clock.setTimeout(() => exit(0), 3000);
      return info(id);
    },
    wait(id) {
      return runs.get(id)!.done!;
    },
    async stop(id) {
      const r = runs.get(id);
      r?.end?.({ exitCode: 137, reason: 'Killed', startedAt: r.startedAt ?? clock.now(), finishedAt: clock.now() });
      return info(id);
    },
    async remove() {
      return true;
    },
    async releaseVolumes() {
      return 0;
    },
    async exec() {
      return { exitCode: 0, reason: 'Completed', startedAt: clock.now(), finishedAt: clock.now() };
    },
    async kill() {
      return true;
    },
  };
}

function webTemplate(image: string): KubeObject['spec'] {
  return {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'web',
          image,
          ports: [{ name: 'http', containerPort: 8080 }],
          env: [
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'greeting' } } },
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'MODE', value: 'demo' },
          ],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
          readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 5 },
          volumeMounts: [
            { name: 'config', mountPath: '/etc/web', readOnly: true },
            { name: 'cache', mountPath: '/cache' },
          ],
        },
      ],
      volumes: [
        { name: 'cache', emptyDir: {} },
        { name: 'config', configMap: { name: 'web-config' } },
      ],
    },
  } as unknown as KubeObject['spec'];
}

const MANIFESTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', labels: { app: 'web' } }, data: { greeting: 'hello', 'app.properties': 'color=blue\nsize=3' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-secret' }, stringData: { password: 's3cr3t', username: 'admin' } },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000, description: 'For the pods that matter most.' },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: webTemplate('podplay/hello:1.0') },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'crashy' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'crashy' } },
      template: { metadata: { labels: { app: 'crashy' } }, spec: { priorityClassName: 'high', containers: [{ name: 'main', image: 'podplay/crash:1.0', command: ['sh', '-c', 'exit 1'] }] } },
    },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'hello-job' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'hello', image: 'podplay/toolbox:latest', command: ['sh', '-c', 'echo hello'] }] } } },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'fanout' },
    spec: { completions: 15, parallelism: 15, completionMode: 'Indexed', template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'podplay/toolbox:latest', command: ['sh', '-c', 'echo $JOB_COMPLETION_INDEX'] }] } } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'log-agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { name: 'log-agent' } },
      template: { metadata: { labels: { name: 'log-agent' } }, spec: { containers: [{ name: 'agent', image: 'podplay/toolbox:1.0', command: ['sleep', '3600'], resources: { requests: { cpu: '50m', memory: '32Mi' } } }] } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'kitchen-sink',
      labels: { app: 'sink', tier: 'backend' },
      annotations: {
        'example.com/owner': 'team-a',
        'example.com/notes': 'first line\nsecond line',
        'example.com/long': 'x'.repeat(150),
      },
    },
    spec: {
      nodeSelector: { 'kubernetes.io/hostname': 'node-1' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, { operator: 'Exists' }],
      initContainers: [{ name: 'setup', image: 'podplay/toolbox:latest', command: ['sh', '-c', 'echo ready > /work/ready'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      containers: [
        {
          name: 'app',
          image: 'podplay/hello:1.0',
          args: ['--listen', ':8080', '--banner', 'line one\nline two'],
          ports: [{ containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090, hostPort: 9090, name: 'metrics', protocol: 'TCP' }],
          envFrom: [{ configMapRef: { name: 'web-config' } }, { prefix: 'DB_', secretRef: { name: 'web-secret', optional: true } }],
          env: [
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'password' } } },
            { name: 'MEMORY_LIMIT_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
            { name: 'MULTI', value: 'a\nb' },
          ],
          resources: { requests: { cpu: '0.5', memory: '1024Mi', 'ephemeral-storage': '1G' }, limits: { memory: '1.5Gi' } },
          livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 600 },
          readinessProbe: { httpGet: { path: '/healthz', port: 'metrics', scheme: 'HTTP' }, initialDelaySeconds: 600, periodSeconds: 20 },
          startupProbe: { exec: { command: ['true'] } },
          volumeMounts: [
            { name: 'work', mountPath: '/work', subPath: 'app' },
            { name: 'secret', mountPath: '/etc/secret', readOnly: true },
            { name: 'podinfo', mountPath: '/etc/podinfo' },
          ],
        },
      ],
      volumes: [
        { name: 'work', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'secret', secret: { secretName: 'web-secret', optional: false } },
        { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'sink', annotations: { 'example.com/owner': 'team-a' } },
    spec: { type: 'NodePort', selector: { app: 'sink' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }], externalTrafficPolicy: 'Local' },
  },
];

let api: ApiStore;
let clock: ManualClock;
let now = 0;
const parts: Disposable[] = [];
const realRandom = Math.random;

before(async () => {
  Math.random = seededRandom(42);
  clock = new ManualClock(T0);
  api = createApiStore({ clock, uid: uids() });
  const kubelet = new Kubelet({ api, clock, nodeName: 'node-1', runtime: fakeRuntime(clock), images: fakeImages(clock), internalIP: '10.0.0.2' });
  await kubelet.start();
  // A fixed CA text: describe shows only the kube-root-ca.crt ConfigMap's name.
  parts.push(kubelet, ...startControlPlane(api, '-----BEGIN CERTIFICATE-----\n(test)\n-----END CERTIFICATE-----\n'));
  await clock.advance(5_000);
  for (const m of MANIFESTS) {
    api.create(structuredClone(m));
    await clock.advance(1_000);
  }
  await clock.advance(90_000);
  // A rollout to the next image: a new ReplicaSet, the old one scaled to zero.
  api.mutate('Deployment', 'default', 'web', (d) => {
    (d.spec as { template: unknown }).template = webTemplate('podplay/hello:1.1');
  });
  for (let i = 0; i < 24; i++) await clock.advance(10_000);
  now = clock.now();
  if (process.env.DESCRIBE_DUMP) {
    mkdirSync(process.env.DESCRIBE_DUMP, { recursive: true });
    const all = ['Namespace', 'Node', 'Pod', 'ReplicaSet', 'Deployment', 'Job', 'DaemonSet', 'Service', 'ConfigMap', 'Secret', 'PriorityClass', 'Event'].flatMap((k) => api.list(k).items);
    const targets = CASES.map(([name, get]) => ({ name, kind: get().kind, namespace: get().metadata.namespace ?? '', object: get().metadata.name }));
    writeFileSync(join(process.env.DESCRIBE_DUMP, 'objects.json'), JSON.stringify({ now, items: all, targets }, null, 1));
  }
});

after(() => {
  for (const p of parts) p.dispose();
  Math.random = realRandom;
});

const one = (kind: string, namespace: string | undefined, prefix: string) => {
  const found = api.list(kind, namespace ? { namespace } : {}).items.filter((o) => o.metadata.name!.startsWith(prefix));
  assert.ok(found.length > 0, `no ${kind} ${prefix}*`);
  return found[0]!;
};

const web = () => api.list<Pod>('Pod', { namespace: 'default', labelSelector: 'app=web' }).items.find((p) => !p.metadata.deletionTimestamp)!;
const newReplicaSet = () => api.list('ReplicaSet', { namespace: 'default' }).items.find((rs) => rs.metadata.name!.startsWith('web-') && (rs.spec as { replicas: number }).replicas === 3)!;

const CASES: Array<[string, () => KubeObject]> = [
  ['pod-running', web],
  ['pod-crashloop', () => one('Pod', 'default', 'crashy-')],
  ['pod-completed', () => one('Pod', 'default', 'hello-job-')],
  ['deployment', () => api.get('Deployment', 'default', 'web')],
  ['replicaset', newReplicaSet],
  ['job', () => api.get('Job', 'default', 'hello-job')],
  // 16 events, 15 of them in the same second: kubectl's unstable sort decides their order.
  ['job-indexed', () => api.get('Job', 'default', 'fanout')],
  ['daemonset', () => api.get('DaemonSet', 'kube-system', 'log-agent')],
  ['node', () => api.get('Node', undefined, 'node-1')],
  ['service', () => api.get('Service', 'default', 'web')],
  ['service-kubernetes', () => api.get('Service', 'default', 'kubernetes')],
  ['namespace', () => api.get('Namespace', undefined, 'default')],
  ['configmap', () => api.get('ConfigMap', 'default', 'web-config')],
  ['secret', () => api.get('Secret', 'default', 'web-secret')],
  ['priorityclass', () => api.get('PriorityClass', undefined, 'high')],
  ['event', () => api.list('Event', { namespace: 'default' }).items.find((e) => e.reason === 'Scheduled')!],
  ['pod-kitchen-sink', () => api.get('Pod', 'default', 'kitchen-sink')],
  ['service-nodeport', () => api.get('Service', 'default', 'sink')],
];

for (const [name, get] of CASES) {
  test(`kubectl describe: ${name}`, () => {
    golden(name, describe(api, get(), now));
  });
}

test('an object without events ends with Events: <none>, aligned with the lines above it', () => {
  assert.equal(describeEvents([], now), 'Events:  <none>\n');
  assert.match(describe(api, api.get('PriorityClass', undefined, 'high'), now), /\nAnnotations:       <none>\nEvents:            <none>\n$/);
});

test('a repeated event shows its count and the time since the first one; events sort by their last time', () => {
  const ev = (reason: string, first: number, last: number, count: number) =>
    ({ apiVersion: 'v1', kind: 'Event', metadata: { name: reason }, type: 'Warning', reason, message: ` ${reason} happened \n`, count, firstTimestamp: new Date(T0 + first * 1000).toISOString(), lastTimestamp: new Date(T0 + last * 1000).toISOString(), source: { component: 'kubelet', host: 'node-1' } }) as KubeObject;
  const text = describeEvents([ev('BackOff', 0, 290, 12), ev('Failed', 10, 20, 1)], T0 + 300_000);
  assert.equal(
    text,
    [
      'Events:',
      '  Type     Reason   Age                From     Message',
      '  ----     ------   ----               ----     -------',
      '  Warning  Failed   4m50s              kubelet  Failed happened',
      '  Warning  BackOff  10s (x12 over 5m)  kubelet  BackOff happened',
      '',
    ].join('\n'),
  );
});

test('tabwriter: a column is aligned over a run of lines that have it; a line without a tab ends the run', () => {
  assert.equal(tabwrite('a:\tb\nlonger:\tc\nhead\nx:\ty\n'), 'a:       b\nlonger:  c\nhead\nx:  y\n');
  // An empty column still takes the padding (the node's pods table).
  assert.equal(tabwrite('  A\tB\t\tC\n  aa\tbbb\t\tc\n'), '  A   B      C\n  aa  bbb    c\n');
});
