/**
 * The cluster network through real node workers and real Go guests: a
 * podplay/web Deployment behind a Service, reached from a busybox pod by the
 * Service's DNS name, its ClusterIP and pod IPs; kube-proxy's turns between
 * endpoints; EndpointSlices that follow readiness; the DNS's answers and
 * the errors for nothing there.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCliCluster, type CliCluster } from '../helpers/cli.ts';
import { until } from '../helpers/cluster.ts';
import { bufferIo, runLine } from '../../src/cli/index.ts';

let c: CliCluster;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: podplay/web
        ports: [{name: http, containerPort: 8080}]
        readinessProbe:
          exec: {command: [wget, -q, -O, /dev/null, "http://localhost:8080/ready"]}
          periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

before(async () => {
  c = await startCliCluster({ files: { 'web.yaml': WEB }, realTime: true });
});

after(async () => {
  await c?.close();
});

test('pods get IPs from their node\'s pod CIDR, and the nodes say which', async () => {
  assert.equal((await c.sh('kubectl apply -f web.yaml')).code, 0);
  await until('two web pods Running', () => c.cluster.api.list('Pod').items.filter((p) => (p.status as { phase?: string }).phase === 'Running').length === 2);
  const nodes = (await c.sh("kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}={.spec.podCIDR} {end}'")).stdout;
  assert.equal(nodes, 'node-1=10.244.1.0/24 node-2=10.244.2.0/24 node-3=10.244.3.0/24 ');
  for (const p of c.cluster.api.list('Pod').items) {
    const node = (p.spec as { nodeName: string }).nodeName;
    const n = Number(node.split('-')[1]);
    assert.match((p.status as { podIP: string }).podIP, new RegExp(`^10\\.244\\.${n}\\.\\d+$`));
  }
});

const exec = async (line: string) => c.sh(`kubectl exec client -- ${line}`);
const webPods = () => c.cluster.api.list('Pod', { labelSelector: 'app=web' }).items.map((p) => p.metadata.name!).sort();

test('a busybox pod reaches the Service by name, FQDN and ClusterIP, and kube-proxy takes the ready pods in turn', async () => {
  assert.equal((await c.sh('kubectl run client --image=busybox -- sleep 3600')).code, 0);
  await until('client Running', () => (c.cluster.api.tryGet('Pod', 'default', 'client')?.status as { phase?: string } | undefined)?.phase === 'Running');
  await until('both web endpoints ready', () => {
    const slices = c.cluster.api.list('EndpointSlice', { labelSelector: 'kubernetes.io/service-name=web' }).items as unknown as Array<{ endpoints?: Array<{ conditions: { ready: boolean } }> }>;
    return slices.length === 1 && slices[0]!.endpoints?.filter((e) => e.conditions.ready).length === 2;
  });
  const seen = new Map<string, number>();
  for (let i = 0; i < 4; i++) {
    const r = await exec('wget -qO- http://web/');
    assert.equal(r.code, 0, r.stderr);
    const m = /^Hello from (\S+) \(version 1\), request \d+\n$/.exec(r.stdout);
    assert.ok(m, r.stdout);
    seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()].sort(), webPods());
  assert.deepEqual([...seen.values()], [2, 2]);
  for (const name of ['web.default', 'web.default.svc.cluster.local']) {
    const r = await exec(`wget -qO- http://${name}/healthz`);
    assert.equal(r.stdout, 'ok\n', `${name}: ${r.stderr}`);
  }
  const svc = c.cluster.api.get('Service', 'default', 'web').spec as { clusterIP: string };
  assert.equal((await exec(`wget -qO- http://${svc.clusterIP}/ready`)).stdout, 'ready\n');
  const got = await c.sh('kubectl get endpoints web');
  assert.equal(got.stderr, 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
  const eps = got.stdout;
  assert.match(eps, /^NAME\s+ENDPOINTS\s+AGE\nweb\s+10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080\s+\S+\n$/);
  const slices = (await c.sh('kubectl get endpointslices')).stdout;
  assert.match(slices, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\nkubernetes\s+IPv4\s+6443\s+10\.0\.0\.1\s+\S+\nweb-[a-z0-9]{5}\s+IPv4\s+8080\s+10\.244\.\d+\.\d+,10\.244\.\d+\.\d+\s+\S+\n/);
});

test('a pod whose readiness fails leaves the Service; the other keeps answering', async () => {
  const [first, second] = webPods();
  const ip = (c.cluster.api.get('Pod', 'default', first!).status as { podIP: string }).podIP;
  const off = await exec(`wget -qO- http://${ip}:8080/ready?set=off`);
  assert.equal(off.code, 1);
  assert.equal(off.stderr, 'wget: server returned error: HTTP/1.1 503 Service Unavailable\ncommand terminated with exit code 1\n');
  await until(`${first} not ready`, () => ((c.cluster.api.get('Pod', 'default', first!).status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some((x) => x.type === 'Ready' && x.status === 'False'));
  await until('the slice marks it', () => {
    const s = c.cluster.api.list('EndpointSlice', { labelSelector: 'kubernetes.io/service-name=web' }).items[0] as unknown as { endpoints: Array<{ addresses: string[]; conditions: { ready: boolean } }> };
    return s.endpoints.some((e) => e.addresses[0] === ip && !e.conditions.ready);
  });
  for (let i = 0; i < 3; i++) assert.match((await exec('wget -qO- http://web/')).stdout, new RegExp(`^Hello from ${second} `));
});

test('nothing there: no such host, connection refused, no route to host', async () => {
  const none = await exec('wget -qO- http://nosuch/');
  assert.equal(none.code, 1);
  assert.match(none.stderr, /wget: bad address 'nosuch'/);
  const ip = (c.cluster.api.get('Pod', 'default', webPods()[0]!).status as { podIP: string }).podIP;
  const refused = await exec(`wget -qO- http://${ip}:9999/`);
  assert.match(refused.stderr, new RegExp(`wget: can't connect to remote host \\(${ip.replace(/\./g, '\\.')}\\): Connection refused`));
  const unrouted = await exec('wget -qO- -T 2 http://10.244.9.9/');
  assert.match(unrouted.stderr, /No route to host/);
});

test('httpGet and tcpSocket probes: a failing liveness check restarts the container with the kubelet\'s words', async () => {
  const manifest = `apiVersion: v1
kind: Pod
metadata: {name: live}
spec:
  containers:
  - name: web
    image: podplay/web
    ports: [{name: http, containerPort: 8080}]
    livenessProbe:
      httpGet: {path: /ready, port: http}
      periodSeconds: 1
      failureThreshold: 2
    readinessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 1
  - name: side
    image: busybox
    command: [sleep, "3600"]
    readinessProbe:
      tcpSocket: {port: 9999}
      periodSeconds: 1
`;
  assert.equal((await c.sh('kubectl apply -f -', manifest)).code, 0);
  const pod = () => c.cluster.api.tryGet('Pod', 'default', 'live') as { status?: { podIP?: string; containerStatuses?: Array<{ name: string; ready: boolean; restartCount: number }> } } | undefined;
  await until('web ready by its tcpSocket probe', () => pod()?.status?.containerStatuses?.find((s) => s.name === 'web')?.ready === true);
  assert.equal(pod()?.status?.containerStatuses?.find((s) => s.name === 'side')?.ready, false);
  const ip = pod()!.status!.podIP!;
  await exec(`wget -qO- http://${ip}:8080/ready?set=off`);
  await until('web restarted', () => (pod()?.status?.containerStatuses?.find((s) => s.name === 'web')?.restartCount ?? 0) >= 1);
  const events = (await c.sh('kubectl get events --field-selector involvedObject.name=live -o custom-columns=REASON:.reason,MESSAGE:.message')).stdout;
  assert.match(events, /Unhealthy\s+Liveness probe failed: HTTP probe failed with statuscode: 503\n/);
  assert.match(events, /Killing\s+Container web failed liveness probe, will be restarted\n/);
  assert.match(events, new RegExp(`Unhealthy\\s+Readiness probe failed: dial tcp ${ip.replace(/\./g, '\\.')}:9999: connect: connection refused\\n`));
  // The restarted server is ready again (its readiness came back with it).
  await until('web ready again', () => pod()?.status?.containerStatuses?.find((s) => s.name === 'web')?.ready === true);
});

test('kubectl port-forward: a real local port in Node reaches localhost inside the pod; Ctrl-C ends it', async () => {
  const io = { ...bufferIo(undefined, new AbortController().signal) };
  const abort = new AbortController();
  io.signal = abort.signal;
  io.out = (t: string) => void (io.stdout += t);
  io.err = (t: string) => void (io.stderr += t);
  const done = runLine('kubectl port-forward pod/live :8080 :9999', io, c.env);
  await until('forwarding', () => /Forwarding from 127\.0\.0\.1:\d+ -> 9999\n/.test(io.stdout), 20_000);
  const [, port, refusedPort] = /^Forwarding from 127\.0\.0\.1:(\d+) -> 8080\n(?:Forwarding from \[::1\]:\d+ -> 8080\n)?Forwarding from 127\.0\.0\.1:(\d+) -> 9999\n/.exec(io.stdout) ?? [];
  assert.ok(port, io.stdout);
  const res = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /^Hello from live \(version 1\), request \d+\n$/);
  assert.match(io.stdout, new RegExp(`Handling connection for ${port}\\n`));
  // Nothing listens on 9999 inside the pod: the client's connection is closed, kubectl says why.
  await assert.rejects(fetch(`http://127.0.0.1:${refusedPort}/`));
  await until('the error', () => /an error occurred forwarding \d+ -> 9999: .*dial tcp4 127\.0\.0\.1:9999: connect: connection refused/.test(io.stderr), 10_000);
  abort.abort();
  assert.equal(await done, 130); // ended by Ctrl-C, as a shell reports it
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`));
});
