/**
 * kubectl through podplay's shell against a real cluster in Node (node
 * workers on worker threads, real Go wasm programs), its output compared
 * with golden files in kubectl's format.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Pod } from '../../src/api/index.ts';
import { until } from '../helpers/cluster.ts';
import { golden, maskPods, startCliCluster, type CliCluster } from '../helpers/cli.ts';

let c: CliCluster;
before(async () => {
  c = await startCliCluster({
    files: {
      'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: hello
        image: podplay/hello
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: demo
`,
    },
  });
});
after(() => c.close());

const pods = (selector: string) => c.cluster.api.list<Pod>('Pod', { labelSelector: selector }).items;
const running = (selector: string, n: number) => until(`${n} running ${selector}`, () => pods(selector).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).length === n);

test('create deployment: three pods Running on three nodes, in kubectl get tables', async () => {
  const r = await c.sh('kubectl create deployment web --image=podplay/hello --replicas=3');
  assert.deepEqual(r, { code: 0, stdout: 'deployment.apps/web created\n', stderr: '' });
  await running('app=web', 3);
  await until('deployment status', () => (c.cluster.api.get('Deployment', 'default', 'web').status as { availableReplicas?: number }).availableReplicas === 3);
  await c.clock.advance(45_000);
  await golden('kubectl/get-pods.txt', maskPods((await c.sh('kubectl get pods')).stdout));
  await golden('kubectl/get-deployments.txt', (await c.sh('kubectl get deployments')).stdout);
  await golden('kubectl/get-nodes.txt', (await c.sh('kubectl get nodes')).stdout);
  await golden('kubectl/get-nodes-wide.txt', (await c.sh('kubectl get nodes -o wide')).stdout);
  await golden('kubectl/get-namespaces.txt', (await c.sh('kubectl get ns')).stdout);
  const wide = (await c.sh('kubectl get pods -o wide')).stdout.trim().split('\n');
  assert.match(wide[0]!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
  const nodes = wide.slice(1).map((l) => l.split(/\s+/)[6]);
  assert.deepEqual(new Set(nodes), new Set(['node-1', 'node-2', 'node-3']));
  const labels = await c.sh('kubectl get deploy web --show-labels');
  assert.match(labels.stdout, /LABELS\nweb\s+3\/3\s+3\s+3\s+45s\s+app=web\n$/);
});

test('logs, exec and top read the real containers', async () => {
  const [pod] = pods('app=web');
  const name = pod!.metadata.name!;
  let logs = await c.sh(`kubectl logs ${name}`);
  for (let i = 0; i < 100 && !logs.stdout.includes('hostname'); i++) {
    await new Promise((r) => setTimeout(r, 50));
    logs = await c.sh(`kubectl logs ${name}`);
  }
  assert.equal(logs.stdout, `Hello from podplay, world!\nhostname: ${name}\n`);
  const tail = await c.sh(`kubectl logs ${name} --tail=1 --timestamps`);
  assert.match(tail.stdout, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z hostname: ${name}\\n$`), 'nine fractional digits, as the kubelet writes them');
  assert.equal((await c.sh(`kubectl logs ${name} --limit-bytes=5`)).stdout, 'Hello', 'the stream stops after that many bytes');
  assert.equal((await c.sh(`kubectl logs ${name} --since-time=2099-01-01T00:00:00Z`)).stdout, '');
  assert.equal((await c.sh(`kubectl logs ${name} --since-time=2000-01-01T00:00:00Z`)).stdout, logs.stdout);
  assert.equal((await c.sh(`kubectl logs ${name} --since-time=yesterday`)).stderr, 'error: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"\n');
  const exec = await c.sh(`kubectl exec ${name} -- cat /etc/hello/greeting`);
  assert.equal(exec.code, 0, exec.stderr);
  assert.match(exec.stdout, /Hello/);
  const failing = await c.sh(`kubectl exec ${name} -- sh -c "exit 3"`);
  assert.deepEqual([failing.code, failing.stderr], [3, 'command terminated with exit code 3\n']);
  // -it: a shell with a prompt, fed what is typed as it comes.
  const shell = await c.sh(`kubectl exec -it ${name} -- sh`, 'cd /etc/hello\ncat greeting\nls )\nexit 4\n', undefined, true);
  // The error comes on the program's stderr, the prompts on its stdout: on one terminal line their order is the pipes'.
  const error = 'sh: 3:4: a command can only contain words and redirects; encountered `)`\n';
  assert.deepEqual([shell.code, shell.stdout.replace(error, ''), shell.stderr], [4, '/ # /etc/hello # Hello from podplay\n/etc/hello # /etc/hello # ', 'command terminated with exit code 4\n']);
  assert.ok(shell.stdout.includes(error), shell.stdout);
  // Without a terminal on stdin -t is dropped, as kubectl's setupTTY says: no prompt.
  const script = await c.sh(`kubectl exec -it ${name} -- sh`, 'echo hi\n');
  assert.deepEqual([script.code, script.stdout, script.stderr], [0, 'hi\n', 'Unable to use a TTY - input is not a terminal or the right kind of file\n']);
  const piped = await c.sh(`kubectl exec -i ${name} -- wc -l`, 'a\nb\n');
  assert.equal(piped.stdout.trim(), '2');
  assert.equal((await c.sh('kubectl wait --for=condition=Available deployment/web --timeout=10s')).stdout, 'deployment.apps/web condition met\n');
  assert.equal((await c.sh(`kubectl wait --for=jsonpath={.status.phase}=Running pod/${name}`)).stdout, `pod/${name} condition met\n`);
  const top = await c.sh('kubectl top nodes');
  assert.match(top.stdout, /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s+\n(node-\d\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s+\n){3}$/);
  const topPods = await c.sh('kubectl top pods');
  assert.equal(topPods.stdout.trim().split('\n').length, 4);
  assert.match(topPods.stdout, /web-\S+\s+\d+m\s+[1-9]\d*Mi/);
});

test('output formats: yaml, json, name, jsonpath, go-template, custom-columns', async () => {
  const yaml = await c.sh('kubectl get deployment web -o yaml');
  assert.match(yaml.stdout, /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n  annotations:\n    deployment.kubernetes.io\/revision: "1"\n  creationTimestamp: "2026-11-27T12:00:00Z"\n  generation: 1\n  labels:\n    app: web\n/);
  assert.match(yaml.stdout, /\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: podplay\/hello\n/);
  const json = JSON.parse((await c.sh('kubectl get deploy -o json')).stdout);
  assert.equal(json.kind, 'List');
  assert.equal(json.items[0].metadata.name, 'web');
  assert.equal((await c.sh('kubectl get deploy,cm -o name')).stdout, 'deployment.apps/web\nconfigmap/kube-root-ca.crt\n'.replace('configmap/kube-root-ca.crt\n', (await c.sh('kubectl get cm -o name')).stdout));
  const jp = await c.sh(`kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.spec.nodeName}{"\\n"}{end}'`);
  assert.deepEqual(jp.stdout.trim().split('\n').sort(), ['node-1', 'node-2', 'node-3']);
  const gt = await c.sh(`kubectl get pods -l app=web -o go-template='{{range .items}}{{.spec.nodeName}}{{"\\n"}}{{end}}'`);
  assert.equal(gt.stdout, jp.stdout, 'the same list through a Go template');
  assert.equal((await c.sh(`kubectl get deploy web -o go-template='{{.metadata.name}}:{{len .spec.template.spec.containers}}{{if .status.readyReplicas}} ready{{end}}'`)).stdout, 'web:1 ready');
  assert.deepEqual(await c.sh(`kubectl get deploy web -o go-template='{{.spec.replicas'`), { code: 1, stdout: '', stderr: 'error: error parsing template {{.spec.replicas, template: output:1: unclosed action\n' });
  const cc = await c.sh("kubectl get nodes -o 'custom-columns=NAME:.metadata.name,ZONE:.metadata.labels.topology\\.kubernetes\\.io/zone'");
  await golden('kubectl/get-nodes-custom-columns.txt', cc.stdout);
});

test('-o formats of nothing, -A of cluster-scoped kinds, delete of nothing, run -t without -i', async () => {
  assert.deepEqual(await c.sh('kubectl get pod missing -o yaml'), { code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "missing" not found\n' });
  assert.deepEqual(await c.sh('kubectl get pods -l app=none -o name'), { code: 0, stdout: '', stderr: '' });
  assert.match((await c.sh('kubectl get pods -l app=none -o yaml')).stdout, /^apiVersion: v1\nitems: \[\]\nkind: List\nmetadata:\n  resourceVersion: ""\n$/);
  assert.match((await c.sh('kubectl get nodes -A')).stdout, /^NAME\s+STATUS/);
  assert.deepEqual(await c.sh('kubectl delete pods -l app=none'), { code: 0, stdout: 'No resources found\n', stderr: '' });
  assert.equal((await c.sh('kubectl run t --image=podplay/hello -t')).stderr, 'error: -i/--stdin is required for containers with -t/--tty=true\n');
  assert.equal((await c.sh('kubectl delete pod x --force --grace-period=5')).stderr, 'error: --force and --grace-period greater than 0 cannot be specified together\n');
});

test('kubectl errors are kubectl\'s', async () => {
  await golden('kubectl/errors.txt', [
    await c.sh('kubectl get pods nope'),
    await c.sh('kubectl get pods --frobnicate'),
    await c.sh('kubectl get pods -z'),
    await c.sh('kubectl gte pods'),
    await c.sh('kubectl get'),
    await c.sh('kubectl get flurbs'),
    await c.sh('kubectl create deployment x'),
    await c.sh('kubectl delete pods'),
    await c.sh('kubectl scale deployment web'),
    await c.sh('frobnicate'),
  ].map((r) => `${r.code}\n${r.stdout}${r.stderr}`).join('---\n'));
});

test('apply -f a multi-document file, then again: created, then unchanged; delete -f', async () => {
  // --dry-run: kubectl's lines with (dry run) / (server dry run), nothing stored.
  assert.equal((await c.sh('kubectl apply -f web.yaml --dry-run=client')).stdout, 'deployment.apps/api created (dry run)\nconfigmap/settings created (dry run)\n');
  assert.equal((await c.sh('kubectl apply -f web.yaml --dry-run=server')).stdout, 'deployment.apps/api created (server dry run)\nconfigmap/settings created (server dry run)\n');
  assert.deepEqual(await c.sh('kubectl get deploy api --ignore-not-found'), { code: 0, stdout: '', stderr: '' });
  assert.deepEqual(await c.sh('kubectl get deploy api web --ignore-not-found -o name'), { code: 0, stdout: 'deployment.apps/web\n', stderr: '' });
  assert.equal((await c.sh('kubectl get deploy api')).stderr, 'Error from server (NotFound): deployments.apps "api" not found\n');
  const first = await c.sh('kubectl apply -f web.yaml');
  assert.deepEqual(first, { code: 0, stdout: 'deployment.apps/api created\nconfigmap/settings created\n', stderr: '' });
  const again = await c.sh('kubectl apply -f web.yaml');
  assert.equal(again.stdout, 'deployment.apps/api unchanged\nconfigmap/settings unchanged\n');
  const cat = await c.sh('cat web.yaml');
  assert.match(cat.stdout, /kind: Deployment/);
  await running('app=api', 2);
  assert.equal((await c.sh('kubectl apply -f web.yaml --dry-run=server')).stdout, 'deployment.apps/api unchanged (server dry run)\nconfigmap/settings unchanged (server dry run)\n');
  assert.equal((await c.sh('kubectl delete deploy api --dry-run=client')).stdout, 'deployment.apps "api" deleted from default namespace (dry run)\n');
  assert.equal((await c.sh('kubectl delete deploy api --dry-run=server')).stdout, 'deployment.apps "api" deleted from default namespace (server dry run)\n');
  assert.equal((await c.sh('kubectl get deploy api -o name')).stdout, 'deployment.apps/api\n', 'a dry run deletes nothing');
  assert.equal((await c.sh('kubectl delete deploy api --dry-run=maybe')).stderr, 'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\nSee \'kubectl delete -h\' for help and examples\n');
  const del = await c.sh('kubectl delete -f web.yaml --wait=false');
  assert.equal(del.stdout, 'deployment.apps "api" deleted from default namespace\nconfigmap "settings" deleted from default namespace\n');
});

test('stdin, pipelines and redirections with kubectl; api-resources and version', async () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: piped\nspec:\n  containers:\n  - name: c\n    image: podplay/hello\n';
  assert.equal((await c.sh('kubectl apply -f -', pod)).stdout, 'pod/piped created\n');
  assert.equal((await c.sh('kubectl get pods -o name | grep piped')).stdout, 'pod/piped\n');
  assert.equal((await c.sh('kubectl get pod piped -o yaml > piped.yaml')).stdout, '');
  assert.match((await c.sh('grep -c "name: piped" piped.yaml')).stdout, /^[12]\n$/);
  assert.equal((await c.sh('kubectl delete -f piped.yaml --wait=false')).stdout, 'pod "piped" deleted from default namespace\n');
  await golden('kubectl/api-resources.txt', (await c.sh('kubectl api-resources')).stdout);
  assert.equal((await c.sh('kubectl version')).stdout, 'Client Version: v1.35.0\nServer Version: v1.35.0\n');
});

test('scale, set image, rollout status/history/undo', async () => {
  assert.equal((await c.sh('kubectl scale deployment web --replicas=4')).stdout, 'deployment.apps/web scaled\n');
  await running('app=web', 4);
  const status = await c.sh('kubectl rollout status deployment/web');
  assert.match(status.stdout, /deployment "web" successfully rolled out\n$/);
  // The docs' flow: annotate each change's cause; the deployment controller copies it to the current ReplicaSet.
  assert.equal((await c.sh('kubectl annotate deployment/web kubernetes.io/change-cause="initial release"')).stdout, 'deployment.apps/web annotated\n');
  assert.equal((await c.sh('kubectl set image deployment/web hello=podplay/hello:latest')).stdout, 'deployment.apps/web image updated\n');
  assert.equal((await c.sh('kubectl annotate deployment/web kubernetes.io/change-cause="image pinned to latest" --overwrite')).stdout, 'deployment.apps/web annotated\n');
  const rolled = await c.sh('kubectl rollout status deployment/web');
  assert.match(rolled.stdout, /Waiting for deployment "web" rollout to finish: .*\n[^]*deployment "web" successfully rolled out\n$/);
  await golden('kubectl/rollout-history.txt', (await c.sh('kubectl rollout history deployment/web')).stdout);
  const second = await c.sh('kubectl rollout history deployment/web --revision=2');
  assert.match(second.stdout, /^deployment\.apps\/web with revision #2\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash=\w+\n  Annotations:\tkubernetes\.io\/change-cause: image pinned to latest\n  Containers:\n   hello:\n    Image:\tpodplay\/hello:latest\n/);
  assert.deepEqual(await c.sh('kubectl rollout history deployment/web --revision=7'), { code: 1, stdout: '', stderr: 'error: unable to find the specified revision\n' });
  assert.match((await c.sh('kubectl rollout status deployment/web --revision=2')).stdout, /deployment "web" successfully rolled out\n$/);
  assert.equal((await c.sh('kubectl rollout status deployment/web --revision=5')).stderr, 'error: desired revision (5) is different from the running revision (2)\n');
  assert.equal((await c.sh('kubectl rollout undo deployment/web')).stdout, 'deployment.apps/web rolled back\n');
});

test('label, annotate, taint, cordon, uncordon', async () => {
  assert.equal((await c.sh('kubectl label nodes node-1 disk=ssd')).stdout, 'node/node-1 labeled\n');
  const again = await c.sh('kubectl label nodes node-1 disk=hdd');
  assert.equal(again.stderr, "error: 'disk' already has a value (ssd), and --overwrite is false\n");
  assert.equal((await c.sh('kubectl label nodes node-1 disk-')).stdout, 'node/node-1 unlabeled\n');
  assert.equal((await c.sh('kubectl label nodes node-1 app.kubernetes.io/tier=db')).stdout, 'node/node-1 labeled\n');
  assert.equal((await c.sh('kubectl label nodes node-1 app.kubernetes.io/tier-')).stdout, 'node/node-1 unlabeled\n');
  assert.equal((await c.sh('kubectl annotate deploy web team=blue')).stdout, 'deployment.apps/web annotated\n');
  assert.equal((await c.sh('kubectl taint nodes node-3 dedicated=gpu:NoSchedule')).stdout, 'node/node-3 tainted\n');
  assert.equal((await c.sh('kubectl taint nodes node-3 dedicated=gpu:NoSchedule-')).stdout, 'node/node-3 untainted\n');
  assert.equal((await c.sh('kubectl cordon node-2')).stdout, 'node/node-2 cordoned\n');
  assert.match((await c.sh('kubectl get nodes node-2')).stdout, /node-2\s+Ready,SchedulingDisabled\s+<none>/);
  assert.equal((await c.sh('kubectl uncordon node-2')).stdout, 'node/node-2 uncordoned\n');
});

test('create configmap, secret, namespace, job; a job runs to completion', async () => {
  assert.equal((await c.sh('kubectl create configmap app --from-literal=color=blue --from-literal=size=2')).stdout, 'configmap/app created\n');
  assert.equal((await c.sh('kubectl create secret generic pw --from-literal=password=s3cret')).stdout, 'secret/pw created\n');
  assert.equal((await c.sh('kubectl create namespace team')).stdout, 'namespace/team created\n');
  assert.equal((await c.sh('kubectl get secret pw -o jsonpath={.data.password}')).stdout, 'czNjcmV0');
  assert.equal((await c.sh('kubectl create job once --image=podplay/crash -- /usr/local/bin/crash 0')).stdout, 'job.batch/once created\n');
  await until('job complete', () => ((c.cluster.api.get('Job', 'default', 'once').status as { succeeded?: number }).succeeded ?? 0) === 1);
  assert.match((await c.sh('kubectl get jobs')).stdout, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nonce\s+Complete\s+1\/1\s+/);
  const dry = await c.sh('kubectl create deployment dry --image=podplay/hello --dry-run=client -o yaml');
  assert.match(dry.stdout, /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: dry\n  name: dry\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: dry\n  strategy: \{\}\n  template:\n    metadata:\n      labels:\n        app: dry\n    spec:\n      containers:\n      - image: podplay\/hello\n        name: hello\n        resources: \{\}\nstatus: \{\}\n$/);
  assert.equal(c.cluster.api.tryGet('Deployment', 'default', 'dry'), undefined);
});

test('run a pod, wait for it, delete it; events and describe tell its story', async () => {
  assert.equal((await c.sh('kubectl run solo --image=podplay/ticker --restart=Never -- -count=2 -interval=10ms')).stdout, 'pod/solo created\n');
  await until('solo done', () => c.cluster.api.get<Pod>('Pod', 'default', 'solo').status?.phase === 'Succeeded');
  const logs = await c.sh('kubectl logs solo');
  assert.equal(logs.stdout.trim().split('\n').length, 2);
  const events = await c.sh('kubectl events --for pod/solo');
  assert.match(events.stdout, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n.*Normal\s+Scheduled\s+Pod\/solo\s+Successfully assigned default\/solo to node-\d\n/);
  const described = await c.sh('kubectl describe pod solo');
  assert.match(described.stdout, /^Name:\s+solo\nNamespace:\s+default\n/);
  assert.match(described.stdout, /Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/);
  const del = await c.sh('kubectl delete pod solo');
  assert.equal(del.stdout, 'pod "solo" deleted from default namespace\n');
  assert.equal(c.cluster.api.tryGet('Pod', 'default', 'solo'), undefined);
});

test('get -w prints changes until Ctrl-C; logs -f follows until Ctrl-C', async () => {
  const abort = new AbortController();
  const watching = c.sh('kubectl get deploy -w', undefined, abort.signal);
  await new Promise((r) => setTimeout(r, 50));
  await c.sh('kubectl scale deploy web --replicas=2');
  await new Promise((r) => setTimeout(r, 200));
  abort.abort();
  const w = await watching;
  assert.equal(w.code, 130, 'a line stopped by Ctrl-C ends as a shell reports SIGINT');
  const lines = w.stdout.trim().split('\n');
  assert.match(lines[0]!, /^NAME\s+READY/);
  assert.ok(lines.length >= 3, w.stdout);
  // --output-watch-events: an EVENT column, the listing's rows ADDED, the changes MODIFIED; in -o json, WatchEvents.
  const events = new AbortController();
  const withEvents = c.sh('kubectl get deploy web -w --output-watch-events', undefined, events.signal);
  const asJson = new AbortController();
  const json = c.sh('kubectl get deploy web -w --output-watch-events -o json', undefined, asJson.signal);
  await new Promise((r) => setTimeout(r, 50));
  await c.sh('kubectl scale deploy web --replicas=3');
  await new Promise((r) => setTimeout(r, 200));
  events.abort();
  asJson.abort();
  const e = (await withEvents).stdout.trim().split('\n');
  assert.match(e[0]!, /^EVENT\s+NAME\s+READY/);
  assert.match(e[1]!, /^ADDED\s+web\s/);
  assert.ok(e.slice(2).length > 0 && e.slice(2).every((l) => /^MODIFIED\s+web\s/.test(l)), e.join('\n'));
  const first = JSON.parse((await json).stdout.split('\n}\n')[0] + '\n}');
  assert.equal(first.type, 'ADDED');
  assert.equal(first.object.metadata.name, 'web');
  const ticker = await c.sh('kubectl run tick --image=podplay/ticker -- -interval=20ms');
  assert.equal(ticker.code, 0);
  await running('run=tick', 1);
  const follow = new AbortController();
  const following = c.sh('kubectl logs -f tick', undefined, follow.signal);
  await new Promise((r) => setTimeout(r, 300));
  follow.abort();
  const f = await following;
  assert.ok(f.stdout.split('\n').length > 3, f.stdout);
});

test('attach -i: the running sh of a pod with stdin gets what is typed', async () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: att\nspec:\n  restartPolicy: Never\n  containers:\n  - name: sh\n    image: podplay/toolbox\n    command: [sh]\n    stdin: true\n';
  assert.equal((await c.sh('kubectl apply -f -', pod)).stdout, 'pod/att created\n');
  await c.sh('kubectl wait --for=condition=Ready pod/att');
  const r = await c.sh('kubectl attach att -i', 'echo attached from $HOSTNAME\nexit 2\n');
  assert.deepEqual([r.code, r.stdout], [2, 'attached from att\n']);
  await until('att done', () => c.cluster.api.get<Pod>('Pod', 'default', 'att').status?.phase === 'Failed');
  await c.sh('kubectl delete pod att');
});

test('expose a deployment as a Service; get --sort-by', async () => {
  assert.deepEqual(await c.sh('kubectl expose deployment web --port=80 --target-port=8080'), { code: 0, stdout: 'service/web exposed\n', stderr: '' });
  assert.match((await c.sh('kubectl get svc web')).stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nweb\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\n$/);
  assert.equal((await c.sh("kubectl get svc web -o jsonpath='{.spec.selector.app} {.spec.ports[0].targetPort}'")).stdout, 'web 8080');
  assert.equal((await c.sh('kubectl expose deployment web')).stderr, "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n");
  const byName = (await c.sh('kubectl get ns --sort-by=.metadata.name -o name')).stdout.trim().split('\n');
  assert.deepEqual(byName, [...byName].sort());
  const events = (await c.sh("kubectl get events --sort-by=.lastTimestamp -o jsonpath='{range .items[*]}{.lastTimestamp}{\"\\n\"}{end}'")).stdout.trim().split('\n');
  assert.deepEqual(events, [...events].sort());
  assert.equal((await c.sh('kubectl get pods --sort-by=.spec.nope')).stderr, 'error: couldn\'t find any field with path "{.spec.nope}" in the list of objects\n');
  await c.sh('kubectl delete svc web');
});

test('drain evicts the node\'s pods; delete deployment', async () => {
  const r = await c.sh('kubectl drain node-1 --ignore-daemonsets --force --grace-period=1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^node\/node-1 cordoned\n(evicting pod default\/\S+\n)*(pod\/\S+ evicted\n)*node\/node-1 drained\n$/);
  await c.sh('kubectl uncordon node-1');
  const del = await c.sh('kubectl delete deployment web');
  assert.equal(del.stdout, 'deployment.apps "web" deleted from default namespace\n');
});
