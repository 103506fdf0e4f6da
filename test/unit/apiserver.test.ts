/**
 * The Kubernetes API inside pods, through real node workers, real Go guests
 * and the cluster network: service accounts and their projected volume, the
 * kube-root-ca.crt ConfigMaps, the REST API with token authentication and
 * RBAC (403 in the API server's words, then granted with a RoleBinding),
 * client-go's pod-lister with its one-line import, and an informer that sees
 * a pod come, change and go while another goroutine keeps ticking.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCliCluster, type CliCluster } from '../helpers/cli.ts';
import { until } from '../helpers/cluster.ts';
import { httpRequest } from '../../src/net/index.ts';

let c: CliCluster;
const phase = (name: string) => (c.cluster.api.tryGet('Pod', 'default', name)?.status as { phase?: string } | undefined)?.phase;

before(async () => {
  c = await startCliCluster({ realTime: true });
});

after(async () => {
  await c?.close();
});

test('every namespace has its default ServiceAccount and kube-root-ca.crt; a pod mounts token, ca.crt and namespace', async () => {
  assert.equal((await c.sh('kubectl create namespace team')).code, 0);
  await until('team has its service account and CA', () => !!c.cluster.api.tryGet('ServiceAccount', 'team', 'default') && !!c.cluster.api.tryGet('ConfigMap', 'team', 'kube-root-ca.crt'));
  assert.match((await c.sh('kubectl get sa -n team')).stdout, /^NAME\s+SECRETS\s+AGE\ndefault\s+0\s+\S+\n$/);
  const ca = (c.cluster.api.get('ConfigMap', 'team', 'kube-root-ca.crt').data as Record<string, string>)['ca.crt']!;
  assert.match(ca, /^-----BEGIN CERTIFICATE-----\n/);
  assert.equal((await c.sh('kubectl run sa --image=busybox -- sleep 3600')).code, 0);
  await until('sa Running', () => phase('sa') === 'Running');
  const ls = await c.sh('kubectl exec sa -- ls /var/run/secrets/kubernetes.io/serviceaccount');
  assert.equal(ls.stdout, 'ca.crt\nnamespace\ntoken\n');
  assert.equal((await c.sh('kubectl exec sa -- cat /var/run/secrets/kubernetes.io/serviceaccount/namespace')).stdout, 'default');
  assert.equal((await c.sh('kubectl exec sa -- cat /var/run/secrets/kubernetes.io/serviceaccount/ca.crt')).stdout, (c.cluster.api.get('ConfigMap', 'default', 'kube-root-ca.crt').data as Record<string, string>)['ca.crt']);
  const token = (await c.sh('kubectl exec sa -- cat /var/run/secrets/kubernetes.io/serviceaccount/token')).stdout;
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; 'kubernetes.io': { pod: { name: string } } };
  assert.equal(claims.sub, 'system:serviceaccount:default:default');
  assert.equal(claims['kubernetes.io'].pod.name, 'sa');
  const described = (await c.sh('kubectl describe pod sa')).stdout;
  assert.match(described, /\/var\/run\/secrets\/kubernetes\.io\/serviceaccount from kube-api-access-[a-z0-9]{5} \(ro\)/);
});

test('the REST API: discovery with a token, 401 for a bad one, 403 in the API server\'s words, 400 for a malformed request', async () => {
  const token = (await c.sh('kubectl exec sa -- cat /var/run/secrets/kubernetes.io/serviceaccount/token')).stdout;
  const ask = (path: string, auth = `Bearer ${token}`) =>
    httpRequest(c.cluster.network.network, { ip: '10.0.0.2', port: 40000 + Math.floor(Math.random() * 1000) }, { address: { ip: '10.96.0.1', port: 443 }, path, headers: [['Authorization', auth]], timeoutMs: 10_000 });
  const text = (r: { body: Uint8Array }) => new TextDecoder().decode(r.body);
  const api = await ask('/api');
  assert.equal(api.statusCode, 200);
  assert.deepEqual(JSON.parse(text(api)).versions, ['v1']);
  const groups = JSON.parse(text(await ask('/apis'))) as { groups: Array<{ name: string }> };
  assert.ok(groups.groups.some((g) => g.name === 'apps'));
  const resources = JSON.parse(text(await ask('/api/v1'))) as { resources: Array<{ name: string; verbs: string[] }> };
  assert.ok(resources.resources.some((r) => r.name === 'pods' && r.verbs.includes('watch')));
  const bad = await ask('/api/v1', 'Bearer not-a-token');
  assert.equal(bad.statusCode, 401);
  assert.deepEqual(JSON.parse(text(bad)), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  const denied = await ask('/api/v1/namespaces/default/pods');
  assert.equal(denied.statusCode, 403);
  assert.equal(JSON.parse(text(denied)).message, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
  // Not HTTP at all: a 400 with a Status, and the connection closes.
  const raw = await new Promise<string>((resolve) => {
    let got = '';
    void c.cluster.network.network.dial('stream', { ip: '10.0.0.1', port: 6443 }, { ip: '10.0.0.2', port: 41234 }, {
      data: (b) => (got += new TextDecoder().decode(b)),
      end: () => resolve(got),
      close: () => resolve(got),
      pause: () => undefined,
      resume: () => undefined,
    }).then((r) => 'peer' in r && r.peer.send(new TextEncoder().encode('HELLO THERE\r\n\r\n')));
  });
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /"reason":"BadRequest","code":400/);
});

test('client-go in a pod: pod-lister is refused until a RoleBinding grants view, then lists the pods with rest.InClusterConfig', async () => {
  assert.equal((await c.sh('kubectl run lister --image=podplay/pod-lister --restart=Never')).code, 0);
  await until('lister done', () => phase('lister') === 'Succeeded' || phase('lister') === 'Failed', 120_000);
  assert.equal(phase('lister'), 'Failed');
  assert.match((await c.sh('kubectl logs lister')).stdout, /pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"/);
  assert.equal((await c.sh('kubectl create rolebinding default-view --clusterrole=view --serviceaccount=default:default')).stdout, 'rolebinding.rbac.authorization.k8s.io/default-view created\n');
  assert.equal((await c.sh('kubectl auth can-i list pods --as=system:serviceaccount:default:default')).stdout, 'yes\n');
  assert.equal((await c.sh('kubectl run lister2 --image=podplay/pod-lister --restart=Never')).code, 0);
  await until('lister2 done', () => phase('lister2') === 'Succeeded' || phase('lister2') === 'Failed', 120_000);
  const logs = (await c.sh('kubectl logs lister2')).stdout;
  assert.equal(phase('lister2'), 'Succeeded', logs);
  assert.match(logs, /^Name: sa, Namespace: default, Status: Running$/m);
  assert.match(logs, /^Name: lister2, Namespace: default, Status: Running$/m);
});

test('client-go informer: ADDED, MODIFIED and DELETED as they happen, while a ticker goroutine keeps ticking', async () => {
  assert.equal((await c.sh('kubectl run watcher --image=podplay/pod-watcher -- -tick 200ms')).code, 0);
  const logs = async () => (await c.sh('kubectl logs watcher')).stdout;
  let text = '';
  for (let i = 0; i < 600 && !/^synced$/m.test(text); i++) {
    text = await logs();
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.match(text, /^synced$/m, text);
  const t0 = Date.now();
  assert.equal((await c.sh('kubectl run ephemeral --image=busybox -- sleep 3600')).code, 0);
  const seen = async (re: RegExp) => {
    for (let i = 0; i < 100; i++) {
      text = await logs();
      if (re.test(text)) return Date.now();
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`${re} not seen in:\n${text}`);
  };
  const added = await seen(/^ADDED default\/ephemeral /m);
  await seen(/^MODIFIED default\/ephemeral Running$/m);
  const del = Date.now();
  void c.sh('kubectl delete pod ephemeral --grace-period=0 --force');
  const deleted = await seen(/^DELETED default\/ephemeral$/m);
  assert.ok(added - t0 < 3000, `added after ${added - t0} ms`);
  assert.ok(deleted - del < 3000, `deleted after ${deleted - del} ms`);
  // The ticker goroutine ran on while the informer's watch waited: a tick every 200 ms, none much late.
  await new Promise((r) => setTimeout(r, 1000));
  const stamps = (await c.sh('kubectl logs --timestamps watcher')).stdout.split('\n').filter((l) => / tick /.test(l)).map((l) => Date.parse(l.split(' ')[0]!));
  assert.ok(stamps.length >= 5, `${stamps.length} ticks`);
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
  assert.ok(Math.max(...gaps) < 700, `tick gaps ${gaps.join(', ')} ms`);
});
