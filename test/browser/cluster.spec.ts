import { expect, test } from '@playwright/test';
import { hook, openPlayground } from './helpers.ts';

interface Obj {
  name: string;
  labels?: Record<string, string>;
  spec: any;
  status: any;
  deleting: boolean;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 3
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: hello
        image: busybox:1.28
        command: ['sh', '-c', 'echo "Hello, Kubernetes!" && sleep 3600']
`;

const NGINX = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.14.2
    ports:
    - containerPort: 80
`;

test('a cluster of three node workers in the page runs a Deployment from a docs-style manifest', async ({ page }) => {
  test.setTimeout(120_000);
  await openPlayground(page);
  expect(await hook<string[]>(page, 'clusterStart', { nodes: 3 })).toEqual(['node-1', 'node-2', 'node-3']);
  const nodes = await hook<Obj[]>(page, 'clusterList', 'Node');
  expect(nodes.map((n) => [n.name, n.labels!['topology.kubernetes.io/zone'], n.labels!['kubernetes.io/arch'], n.status.nodeInfo.kubeletVersion])).toEqual([
    ['node-1', 'zone-a', 'wasm', 'v1.35.0'],
    ['node-2', 'zone-b', 'wasm', 'v1.35.0'],
    ['node-3', 'zone-c', 'wasm', 'v1.35.0'],
  ]);
  expect(nodes.every((n) => n.status.conditions.find((c: any) => c.type === 'Ready').status === 'True')).toBe(true);
  expect(nodes[0]!.status.capacity).toMatchObject({ cpu: '2', memory: '4Gi', pods: '110' });

  expect(await hook(page, 'clusterApply', DEPLOYMENT, 'hello.yaml')).toEqual({ lines: ['deployment.apps/hello created'], errors: [] });
  const running = async () => (await hook<Obj[]>(page, 'clusterList', 'Pod', 'app=hello')).filter((p) => p.status?.phase === 'Running' && !p.deleting);
  await expect.poll(async () => (await running()).length, { timeout: 60_000 }).toBe(3);
  const pods = await running();
  // The scheduler's LeastAllocated score sends each replica to the node with the least requested.
  expect(new Set(pods.map((p) => p.spec.nodeName))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
  const events = await hook<string[]>(page, 'clusterEvents', pods[0]!.name);
  expect(events[0]).toBe(`Normal Scheduled Successfully assigned default/${pods[0]!.name} to ${pods[0]!.spec.nodeName}`);
  expect(events.some((e) => e.includes('busybox:1.28') && e.includes('served by podplay image "podplay/toolbox:latest"'))).toBe(true);
  const deploy = (await hook<Obj[]>(page, 'clusterList', 'Deployment'))[0]!;
  await expect.poll(async () => (await hook<Obj[]>(page, 'clusterList', 'Deployment'))[0]!.status.availableReplicas, { timeout: 30_000 }).toBe(3);
  expect(deploy.name).toBe('hello');

  // nginx is not faked: the pull fails, naming the images there are.
  expect(await hook(page, 'clusterApply', NGINX, 'web.yaml')).toEqual({ lines: ['pod/web created'], errors: [] });
  await expect
    .poll(async () => (await hook<Obj[]>(page, 'clusterList', 'Pod')).find((p) => p.name === 'web')?.status?.containerStatuses?.[0]?.state?.waiting?.reason, { timeout: 30_000 })
    .toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
  const web = (await hook<Obj[]>(page, 'clusterList', 'Pod')).find((p) => p.name === 'web')!;
  expect(web.status.containerStatuses[0].state.waiting.message).toMatch(/podplay has no image "docker\.io\/library\/nginx:1\.14\.2".*podplay\/hello/);

  // A bad document is refused with kubectl's words; the documents after it still apply, as kubectl does.
  const bad = await hook<{ lines: string[]; errors: string[] }>(page, 'clusterApply', 'apiVersion: apps/v1\nkind: Deploymnt\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after-the-typo\n', 'typo.yaml');
  expect(bad.lines).toEqual(['configmap/after-the-typo created']);
  expect(bad.errors[0]).toBe('error: resource mapping not found for name: "x" namespace: "" from "typo.yaml": no matches for kind "Deploymnt" in version "apps/v1"\nensure CRDs are installed first');

  // Deleting the Deployment takes its ReplicaSet and pods (graceful, through the garbage collector).
  await hook(page, 'clusterDelete', 'Deployment', 'hello');
  await expect.poll(async () => (await hook<Obj[]>(page, 'clusterList', 'Pod', 'app=hello')).length, { timeout: 30_000 }).toBe(0);
  expect(await hook<Obj[]>(page, 'clusterList', 'ReplicaSet')).toEqual([]);
  await hook(page, 'clusterStop');
});
