/**
 * The cluster network in Chromium, through the `<podplay-sandbox>` element
 * of the test page: a podplay/web Deployment behind a Service, reached from a
 * busybox pod by name through the cluster DNS, kube-proxy taking the pods
 * in turn; a pod whose readiness fails leaves the Service; an httpGet
 * liveness probe restarts a container; nothing there gives the resolver's
 * and the kernel's errors.
 */
import { expect, test, type Page } from '@playwright/test';
import { exec, ready, screenOf } from './element-helpers.ts';
import { TEST_PAGE } from './helpers.ts';

const ID = 'test';
const run = (page: Page, line: string) => exec(page, ID, line);

async function ok(page: Page, line: string): Promise<string> {
  const r = await run(page, line);
  expect(r, line).toMatchObject({ exitCode: 0 });
  return r.stdout;
}

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
          httpGet: {path: /ready, port: http}
          periodSeconds: 1
        livenessProbe:
          httpGet: {path: /healthz, port: http}
          periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

test('a Service carries traffic to its ready pods in turn, by DNS name, and follows readiness', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(TEST_PAGE);
  await ready(page, ID);
  await ok(page, `echo '${WEB}' > web.yaml`);
  expect(await ok(page, 'kubectl apply -f web.yaml')).toBe('deployment.apps/web created\nservice/web created\n');
  await ok(page, 'kubectl run client --image=busybox -- sleep 3600');
  await ok(page, 'kubectl wait --for=condition=Ready pod/client --timeout=60s');
  expect(await ok(page, 'kubectl rollout status deployment/web --timeout=60s')).toContain('successfully rolled out');
  const pods = (await ok(page, "kubectl get pods -l app=web -o jsonpath='{.items[*].metadata.name}'")).split(' ').sort();
  expect(pods).toHaveLength(2);
  const seen: string[] = [];
  for (let i = 0; i < 4; i++) {
    const out = await ok(page, 'kubectl exec client -- wget -qO- http://web/');
    const m = /^Hello from (\S+) \(version 1\), request \d+\n$/.exec(out);
    expect(m, out).not.toBeNull();
    seen.push(m![1]!);
  }
  expect([...new Set(seen)].sort()).toEqual(pods);
  expect(seen[0]).not.toBe(seen[1]);
  expect(await ok(page, 'kubectl exec client -- wget -qO- http://web.default.svc.cluster.local/healthz')).toBe('ok\n');
  expect(await ok(page, 'kubectl get endpoints web')).toMatch(/^NAME\s+ENDPOINTS\s+AGE\nweb\s+10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080\s+\S+\n$/);

  // One pod says it is not ready: the Service stops sending it requests.
  const ip = await ok(page, `kubectl get pod ${pods[0]} -o jsonpath='{.status.podIP}'`);
  expect(await run(page, `kubectl exec client -- wget -qO- http://${ip}:8080/ready?set=off`)).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('server returned error: HTTP/1.1 503 Service Unavailable') });
  await expect.poll(() => ok(page, 'kubectl get endpoints web'), { timeout: 30_000 }).toMatch(/\nweb\s+10\.244\.\d+\.\d+:8080\s/);
  for (let i = 0; i < 3; i++) expect(await ok(page, 'kubectl exec client -- wget -qO- http://web/')).toMatch(new RegExp(`^Hello from ${pods[1]} `));

  // Nothing there.
  expect(await run(page, 'kubectl exec client -- wget -qO- http://nosuch/')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining("wget: bad address 'nosuch'") });
  expect(await run(page, `kubectl exec client -- wget -qO- http://${ip}:9999/`)).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('Connection refused') });
});

test('client-go in a pod in Chromium: pod-lister is refused, then lists the pods once a RoleBinding grants view', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(TEST_PAGE);
  await ready(page, ID);
  await ok(page, 'kubectl run idle --image=busybox -- sleep 3600');
  await ok(page, 'kubectl run lister --image=podplay/pod-lister --restart=Never');
  await expect.poll(async () => (await run(page, "kubectl get pod lister -o jsonpath='{.status.phase}'")).stdout, { timeout: 180_000 }).toMatch(/^(Succeeded|Failed)$/);
  expect(await ok(page, 'kubectl logs lister')).toContain('pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"');
  expect(await ok(page, 'kubectl create rolebinding default-view --clusterrole=view --serviceaccount=default:default')).toBe('rolebinding.rbac.authorization.k8s.io/default-view created\n');
  await ok(page, 'kubectl run lister2 --image=podplay/pod-lister --restart=Never');
  await expect.poll(async () => (await run(page, "kubectl get pod lister2 -o jsonpath='{.status.phase}'")).stdout, { timeout: 120_000 }).toBe('Succeeded');
  const logs = await ok(page, 'kubectl logs lister2');
  expect(logs).toMatch(/^Name: idle, Namespace: default, Status: Running$/m);
  expect(logs).toMatch(/^Name: lister2, Namespace: default, Status: Running$/m);
});

test('kubectl port-forward in the browser: a URL on the page\'s origin opens the pod\'s page in a new tab; Ctrl-C ends it', async ({ page, context }) => {
  test.setTimeout(150_000);
  await page.goto(TEST_PAGE);
  await ready(page, ID);
  await ok(page, 'kubectl run pf --image=podplay/web --port=8080');
  await expect.poll(async () => (await run(page, "kubectl get pod pf -o jsonpath='{.status.phase}'")).stdout, { timeout: 60_000 }).toBe('Running');
  await page.locator(`#${ID} [data-testid=terminal]`).click();
  await page.keyboard.type('kubectl port-forward pod/pf 8080:8080');
  await page.keyboard.press('Enter');
  await expect.poll(() => screenOf(page, ID), { timeout: 60_000 }).toMatch(/Forwarding from (http:\/\/\S+\/podplay-port\/8080\/) -> 8080/);
  const url = /Forwarding from (http:\/\/\S+\/podplay-port\/8080\/) -> 8080/.exec(await screenOf(page, ID))![1]!;
  expect(new URL(url).origin).toBe(new URL(page.url()).origin);
  const tab = await context.newPage();
  await tab.goto(url);
  await expect(tab.locator('h1')).toHaveText(/^Hello from pf \(version 1\), request \d+$/);
  expect(await tab.evaluate(() => fetch('healthz').then((r) => r.text()))).toBe('ok\n');
  await expect.poll(() => screenOf(page, ID)).toMatch(/Handling connection for 8080/);
  await page.locator(`#${ID} [data-testid=terminal]`).click();
  await page.keyboard.press('Control+C');
  await expect.poll(() => screenOf(page, ID)).toMatch(/\^C\s*\n[^]*\$\s*$/);
  const gone = await tab.goto(url);
  expect(gone?.status()).toBe(502);
  await tab.close();
});

test('client-go informer in Chromium: ADDED, MODIFIED and DELETED within a second each, a ticker goroutine ticking on', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(TEST_PAGE);
  await ready(page, ID);
  await ok(page, 'kubectl create rolebinding default-view --clusterrole=view --serviceaccount=default:default');
  await ok(page, 'kubectl run watcher --image=podplay/pod-watcher -- -tick 200ms');
  const logs = async () => (await run(page, 'kubectl logs watcher')).stdout;
  await expect.poll(logs, { timeout: 150_000 }).toMatch(/^synced$/m);
  const seenWithin = async (re: RegExp) => {
    const t0 = Date.now();
    await expect.poll(logs, { timeout: 10_000, intervals: [50] }).toMatch(re);
    return Date.now() - t0;
  };
  await ok(page, 'kubectl run brief --image=busybox -- sleep 3600');
  expect(await seenWithin(/^ADDED default\/brief /m)).toBeLessThan(1500);
  await seenWithin(/^MODIFIED default\/brief Running$/m);
  await ok(page, 'kubectl label pod brief touched=yes');
  await ok(page, 'kubectl delete pod brief --grace-period=0 --force');
  expect(await seenWithin(/^DELETED default\/brief$/m)).toBeLessThan(1500);
  await page.waitForTimeout(1000);
  const stamps = (await ok(page, 'kubectl logs --timestamps watcher')).split('\n').filter((l) => / tick /.test(l)).map((l) => Date.parse(l.split(' ')[0]!));
  expect(stamps.length).toBeGreaterThan(5);
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
  expect(Math.max(...gaps)).toBeLessThan(700);
});
