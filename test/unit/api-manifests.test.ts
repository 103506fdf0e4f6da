/**
 * Manifests as kubectl reads them (several documents, manifests from the
 * Kubernetes docs as they are, strict decoding, REST mapping errors),
 * kubectl apply's three-way merge, and garbage collection through
 * ownerReferences in each propagation policy.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, GarbageCollector, LAST_APPLIED, ManifestError, applyObject, createApiStore, decodeObject, parseManifests, withSource, type KubeObject } from '../../src/api/index.ts';
import { NamespaceController } from '../../src/controllers/index.ts';
import { ManualClock } from '../../src/shared/index.ts';

const newStore = () => createApiStore({ clock: new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0)) });
const tick = () => new Promise((r) => setTimeout(r, 0));

// From the Kubernetes documentation (concepts/workloads/controllers/deployment, job; services), unmodified.
const DOCS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - protocol: TCP
      port: 80
      targetPort: 9376
---
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
`;

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError || err instanceof ManifestError) return err.kubectlMessage();
    throw err;
  }
  assert.fail('no error');
}

test('manifests copied from the Kubernetes docs are accepted as they are', () => {
  const api = newStore();
  const objects = parseManifests(DOCS, 'docs.yaml').map((o) => decodeObject(o, 'docs.yaml'));
  assert.deepEqual(objects.map((o) => o.kind), ['Deployment', 'Service', 'Job']);
  const results = objects.map((o) => applyObject(api, o));
  assert.deepEqual(results.map((r) => `${r.object.kind}/${r.object.metadata.name} ${r.action}`), ['Deployment/nginx-deployment created', 'Service/my-service created', 'Job/pi created']);
  const job = api.get('Job', 'default', 'pi');
  const spec = job.spec as any;
  assert.deepEqual([spec.completions, spec.parallelism, spec.backoffLimit, spec.completionMode], [1, 1, 4, 'NonIndexed']);
  assert.equal(spec.selector.matchLabels['batch.kubernetes.io/controller-uid'], job.metadata.uid);
  assert.equal(spec.template.metadata.labels['job-name'], 'pi');
  assert.equal((api.get('Service', 'default', 'my-service').spec as any).ports[0].targetPort, 9376);
  assert.deepEqual(parseManifests('---\n# only a comment\n---\n', 'empty.yaml'), []);
  const list = parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }] }), 'list.json');
  assert.deepEqual(list.map((o) => o.metadata.name), ['a']);
});

test('unknown fields, kinds and apiVersions, and broken YAML get kubectl\'s and the API server\'s errors', () => {
  const pod = (extra: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: podplay/hello\n${extra}`;
  const decode = (text: string) => parseManifests(text, 'web.yaml').map((o) => decodeObject(o, 'web.yaml'));
  assert.equal(
    messageOf(() => {
      try {
        decode(pod('    imagePullPolicyy: Always\n  replica: 2\n'));
      } catch (err) {
        throw withSource(err, 'creating', 'web.yaml');
      }
    }),
    'Error from server (BadRequest): error when creating "web.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy", unknown field "spec.replica"',
  );
  assert.equal(
    messageOf(() => decode('apiVersion: apps/v1beta2\nkind: Deployment\nmetadata:\n  name: nginx\n')),
    'error: resource mapping not found for name: "nginx" namespace: "" from "web.yaml": no matches for kind "Deployment" in version "apps/v1beta2"\nensure CRDs are installed first',
  );
  assert.equal(
    messageOf(() => decode('apiVersion: example.com/v1\nkind: CronTab\nmetadata:\n  name: x\n  namespace: dev\n')),
    'error: resource mapping not found for name: "x" namespace: "dev" from "web.yaml": no matches for kind "CronTab" in version "example.com/v1"\nensure CRDs are installed first',
  );
  assert.match(messageOf(() => decode('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n')), /^error: error parsing web\.yaml: error converting YAML to JSON: yaml: line \d+: /);
  assert.match(messageOf(() => decode('kind: Pod\nmetadata:\n  name: web\n')), /apiVersion not set/);
});

test('kubectl apply: created, unchanged, configured; dropped fields go, others\' changes stay', () => {
  const api = newStore();
  const deploy = (image: string, extraLabel = '') =>
    decodeObject(
      parseManifests(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\n${extraLabel}spec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: ${image}\n        env:\n        - name: MODE\n          value: demo\n`,
        'web.yaml',
      )[0]!,
      'web.yaml',
    );
  assert.equal(applyObject(api, deploy('podplay/hello:1', '    tier: front\n')).action, 'created');
  const created = api.get('Deployment', 'default', 'web');
  assert.equal(
    created.metadata.annotations![LAST_APPLIED],
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web","tier":"front"},"name":"web","namespace":"default"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"MODE","value":"demo"}],"image":"podplay/hello:1","name":"web"}]}}}}',
  );
  assert.equal(applyObject(api, deploy('podplay/hello:1', '    tier: front\n')).action, 'unchanged');
  // Someone else labels it and scales it (kubectl label, kubectl scale): apply keeps that.
  api.mutate('Deployment', 'default', 'web', (d) => {
    d.metadata.labels!.owner = 'ops';
    (d.spec as any).replicas = 4;
  });
  const r = applyObject(api, deploy('podplay/hello:2'));
  assert.equal(r.action, 'configured');
  const live = r.object as any;
  assert.deepEqual(live.metadata.labels, { app: 'web', owner: 'ops' }, 'tier was applied before and is dropped now; owner is not apply\'s');
  assert.equal(live.spec.replicas, 4);
  assert.equal(live.spec.template.spec.containers[0].image, 'podplay/hello:2');
  assert.equal(live.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent', 'defaults stay');
  assert.equal(live.metadata.generation, 3);
});

test('garbage collection through ownerReferences: background, foreground and orphan deletion', async () => {
  const api = newStore();
  const gc = new GarbageCollector(api);
  const owned = (kind: string, name: string, owner?: KubeObject, block = true): KubeObject => {
    const obj: KubeObject = { apiVersion: 'v1', kind, metadata: { name } };
    if (kind === 'ConfigMap') obj.data = {};
    if (owner) obj.metadata.ownerReferences = [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: block }];
    return api.create(obj);
  };
  const tree = (root: string) => {
    const top = owned('ConfigMap', root);
    const mid = owned('ConfigMap', `${root}-mid`, top);
    const leaf = owned('ConfigMap', `${root}-leaf`, mid);
    return [top, mid, leaf];
  };
  const names = () => api.list('ConfigMap').items.map((o) => o.metadata.name).sort().join(',');

  tree('bg');
  await tick();
  api.delete('ConfigMap', 'default', 'bg');
  for (let i = 0; i < 5; i++) await tick();
  assert.equal(names(), '', 'background: the owner went at once, then its dependents, level by level');

  tree('fg');
  await tick();
  const marked = api.delete('ConfigMap', 'default', 'fg', { propagationPolicy: 'Foreground' });
  assert.deepEqual(marked.metadata.finalizers, ['foregroundDeletion']);
  assert.ok(api.tryGet('ConfigMap', 'default', 'fg'), 'foreground: the owner stays while it has dependents');
  for (let i = 0; i < 8; i++) await tick();
  assert.equal(names(), '', 'foreground: dependents first, then the owner');

  const [, mid] = tree('or');
  await tick();
  api.delete('ConfigMap', 'default', 'or', { propagationPolicy: 'Orphan' });
  for (let i = 0; i < 5; i++) await tick();
  assert.equal(names(), 'or-leaf,or-mid');
  assert.equal(api.get('ConfigMap', 'default', mid!.metadata.name!).metadata.ownerReferences, undefined, 'orphaned: the reference is gone');
  gc.dispose();
});

test('deleting a namespace: Terminating, no new content, emptied, then gone; default may not be deleted', async () => {
  const api = newStore();
  const controller = new NamespaceController(api);
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
  assert.deepEqual(api.get('Namespace', undefined, 'dev').metadata.labels, { 'kubernetes.io/metadata.name': 'dev' });
  api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'dev' }, data: {} });
  api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'dev' }, spec: { containers: [{ name: 'c', image: 'podplay/hello' }] } });
  const marked = api.delete('Namespace', undefined, 'dev');
  assert.equal((marked.status as { phase: string }).phase, 'Terminating');
  assert.equal(
    messageOf(() => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'dev' }, data: {} })),
    'Error from server (Forbidden): configmaps "b" is forbidden: unable to create new content in namespace dev because it is being terminated',
  );
  for (let i = 0; i < 5 && api.tryGet('Namespace', undefined, 'dev'); i++) await tick();
  assert.equal(api.tryGet('Namespace', undefined, 'dev'), undefined);
  assert.equal(api.list('ConfigMap', { namespace: 'dev' }).items.length + api.list('Pod', { namespace: 'dev' }).items.length, 0);
  assert.equal(messageOf(() => api.delete('Namespace', undefined, 'default')), 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  controller.dispose();
});

test('apply switches a Deployment to Recreate (strategy keeps only the keys applied); mistyped values are refused as Go\'s decoder refuses them', () => {
  const api = newStore();
  const manifest = (strategy: string) =>
    decodeObject(
      parseManifests(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n${strategy}  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: podplay/hello\n`, 'web.yaml')[0]!,
      'web.yaml',
    );
  applyObject(api, manifest(''));
  assert.deepEqual((api.get('Deployment', 'default', 'web').spec as any).strategy.rollingUpdate, { maxUnavailable: '25%', maxSurge: '25%' });
  assert.equal(applyObject(api, manifest('  strategy:\n    type: Recreate\n')).action, 'configured');
  assert.deepEqual((api.get('Deployment', 'default', 'web').spec as any).strategy, { type: 'Recreate' });
  const bad = (yaml: string) => messageOf(() => parseManifests(yaml, 'x.yaml').map((o) => decodeObject(o, 'x.yaml')));
  assert.equal(
    bad('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x\n    env:\n    - name: PORT\n      value: 8080\n'),
    'Error from server (BadRequest): Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string',
  );
  assert.equal(
    bad('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    version: 1.5\n'),
    'Error from server (BadRequest): ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
  );
});

test('YAML is read as kubectl reads it (YAML 1.1): defaultMode 0755 is octal; a mode past 0777 is refused', () => {
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n  volumes:\n  - name: s\n    configMap:\n      name: scripts\n      defaultMode: 0755\n';
  const [pod] = parseManifests(yaml, 'pod.yaml') as Array<KubeObject & { spec: { volumes: Array<{ configMap: { defaultMode: number } }> } }>;
  assert.equal(pod!.spec.volumes[0]!.configMap.defaultMode, 0o755);
  const api = newStore();
  api.create(pod!);
  const decimal = parseManifests(yaml.replace('name: p\n', 'name: q\n').replace('0755', '755'), 'pod.yaml')[0]!;
  assert.throws(
    () => api.create(decimal),
    (err: ApiError) => /spec\.volumes\[0\]\.configMap\.defaultMode: Invalid value: 755: must be a number between 0 and 0777 \(octal\), both inclusive/.test(err.message),
  );
});
