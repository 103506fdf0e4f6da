/**
 * Processes in a container, through the `<podplay-sandbox>` element of the
 * test page in Chromium (its `exec` API, as a lesson page drives it): the
 * toolbox's sh starts the image's own programs as child processes, piped
 * both ways with its applets; `exec` replaces the shell; a `#!` script is a
 * pod's command; the control directory gives `ls` true modes and symlinks;
 * a stop signal ends a Go program at once and a shell only at the grace
 * period's SIGKILL; the pause image sits Running.
 */
import { expect, test, type Page } from '@playwright/test';
import { exec, ready } from './element-helpers.ts';
import { TEST_PAGE } from './helpers.ts';

const ID = 'test';

async function open(page: Page): Promise<void> {
  await page.goto(TEST_PAGE);
  await ready(page, ID);
}

const run = (page: Page, line: string) => exec(page, ID, line);

/** Runs a line that must succeed and gives its stdout. */
async function ok(page: Page, line: string): Promise<string> {
  const r = await run(page, line);
  expect(r, line).toMatchObject({ exitCode: 0 });
  return r.stdout;
}

/** `docker run --rm --entrypoint sh IMAGE -c SCRIPT` (the script in single quotes: it may not hold one). */
const sh = (page: Page, image: string, script: string) => run(page, `docker run --rm --entrypoint sh ${image} -c '${script}'`);

/** Writes a file in the element's workspace (no single quotes in `text`) and applies it with kubectl. */
async function apply(page: Page, file: string, text: string): Promise<string> {
  await ok(page, `echo '${text}' > ${file}`);
  return ok(page, `kubectl apply -f ${file}`);
}

const HELLO = /^Hello from podplay, world!\nhostname: [0-9a-f]{12}\n$/;

test.describe('processes in a container', () => {
  test.beforeEach(async ({ page }) => {
    await open(page);
    // Pulled first, so that each run's stderr is the container's own.
    for (const image of ['podplay/toolbox', 'podplay/hello', 'podplay/kv', 'podplay/crash']) await ok(page, `docker pull -q ${image}`);
  });

  test('sh pipes a child process and applets both ways, reads $(…) from a child and keeps each child\'s status', async ({ page }) => {
    // child -> applet
    expect(await sh(page, 'podplay/hello', '/usr/local/bin/hello -once | tr a-z A-Z')).toEqual({
      stdout: expect.stringMatching(/^HELLO FROM PODPLAY, WORLD!\nHOSTNAME: [0-9A-F]{12}\n$/), stderr: '', exitCode: 0,
    });
    // applet -> child's stdin (kv set KEY - reads it), child -> child, child -> applet
    expect(await sh(page, 'podplay/kv', 'seq 1 5 | kv set nums - && kv get nums | kv set copy - && kv get copy | sort -rn | head -2; ls /data')).toEqual({
      stdout: '5\n4\ncopy\nnums\n', stderr: '', exitCode: 0,
    });
    // $(…) of a child, and of a pipeline that ends in an applet
    expect(await sh(page, 'podplay/hello', 'first=$(hello -once | head -1); echo "[$first] $(hello -once | wc -l) lines"')).toEqual({
      stdout: expect.stringMatching(/^\[Hello from podplay, world!\] +2 lines\n$/), stderr: '', exitCode: 0,
    });
    // $? is the child's exit status, also at the end of a pipeline and of a background job; a missing program is 127
    expect(await sh(page, 'podplay/crash', 'crash 3; echo "status $?"; true | crash 5; echo "piped $?"; crash 7 & wait $!; echo "job $?"; nosuch; echo "missing $?"')).toEqual({
      stdout: 'status 3\npiped 5\njob 7\nmissing 127\n',
      stderr: 'crash: exiting with code 3\ncrash: exiting with code 5\ncrash: exiting with code 7\nsh: nosuch: not found\n',
      exitCode: 0,
    });
    expect(await sh(page, 'podplay/crash', 'nosuch')).toEqual({ stdout: '', stderr: 'sh: nosuch: not found\n', exitCode: 127 });
    // sh's own errors for a file it cannot run, with busybox's statuses
    expect(await sh(page, 'podplay/toolbox', 'printf "#!/bin/sh\\necho run as \\$0\\n" > /tmp/s; /tmp/s; echo "status $?"; chmod +x /tmp/s; /tmp/s; printf "#!/nope\\n" > /tmp/b; chmod +x /tmp/b; /tmp/b; echo "status $?"; printf "\\177ELF\\2\\1" > /tmp/e; chmod +x /tmp/e; /tmp/e; echo "status $?"')).toEqual({
      stdout: 'status 126\nrun as /tmp/s\nstatus 127\nstatus 126\n',
      stderr: 'sh: /tmp/s: Permission denied\nsh: /tmp/b: /nope: bad interpreter: No such file or directory\nsh: /tmp/e: Exec format error\n',
      exitCode: 0,
    });
  });

  test('exec replaces the shell: nothing after it runs, the container ends with the program\'s status, and the program is PID 1', async ({ page }) => {
    expect(await sh(page, 'podplay/hello', 'exec hello -once; echo not reached')).toEqual({ stdout: expect.stringMatching(HELLO), stderr: '', exitCode: 0 });
    expect(await sh(page, 'podplay/crash', 'exec crash 4; echo not reached')).toEqual({ stdout: '', stderr: 'crash: exiting with code 4\n', exitCode: 4 });

    // An entrypoint script's `exec` (as in docker-entrypoint.sh): the program takes over PID 1, so docker stop's
    // SIGTERM reaches Go's runtime (status 2 at once), not a shell that would wait for the SIGKILL.
    await ok(page, "docker run -d --name execd --entrypoint sh podplay/ticker -c 'exec ticker -interval 100ms'");
    await expect.poll(() => ok(page, 'docker logs execd'), { timeout: 20_000 }).toMatch(/^tick 1\n/);
    const ps = await ok(page, 'docker exec execd ps');
    expect.soft(ps, ps).toMatch(/^\s+1 root\s+ticker -interval 100ms$/m);
    expect.soft(ps, ps).not.toContain('sh -c');
    const t0 = Date.now();
    await ok(page, 'docker stop -t 5 execd');
    const took = Date.now() - t0;
    expect.soft(await ok(page, "docker inspect -f '{{.State.ExitCode}}' execd")).toBe('2\n');
    expect(took, 'SIGTERM ends the exec\'d Go program before the 5 s SIGKILL').toBeLessThan(3000);
  });
});

const SCRIPT_POD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  greet.sh: |
    #!/bin/sh
    echo "$0 got $# args: $*"
    hello -once | tr a-z A-Z
---
apiVersion: v1
kind: Pod
metadata:
  name: scripted
spec:
  restartPolicy: Never
  volumes:
  - name: scripts
    configMap:
      name: scripts
      defaultMode: 0755
  containers:
  - name: main
    image: podplay/hello
    command: ["/scripts/greet.sh", "a", "b c"]
    volumeMounts:
    - name: scripts
      mountPath: /scripts
`;

test('a #!/bin/sh script from a configMap volume (defaultMode 0755) is a pod\'s command, run by its interpreter', async ({ page }) => {
  await open(page);
  expect(await apply(page, 'scripted.yaml', SCRIPT_POD)).toBe('configmap/scripts created\npod/scripted created\n');
  await ok(page, `kubectl wait --for=jsonpath={.status.phase}=Succeeded pod/scripted --timeout=30s`);
  expect(await ok(page, 'kubectl get pod scripted --no-headers')).toMatch(/^scripted\s+0\/1\s+Completed\s+0\s/);
  expect(await ok(page, 'kubectl logs scripted')).toBe('/scripts/greet.sh got 2 args: a b c\nHELLO FROM PODPLAY, WORLD!\nHOSTNAME: SCRIPTED\n');
});

/** A script that prints its own mode: in a volume whose defaultMode is written as YAML writes it (0755), and in one with no defaultMode (0644). */
const MODES = `apiVersion: v1
kind: ConfigMap
metadata:
  name: scripts
data:
  mode.sh: |
    #!/bin/sh
    stat -L -c "%a" "$0"
---
apiVersion: v1
kind: Pod
metadata:
  name: octal
spec:
  restartPolicy: Never
  volumes:
  - name: scripts
    configMap:
      name: scripts
      defaultMode: 0755
  containers:
  - name: main
    image: podplay/toolbox
    command: ["/scripts/mode.sh"]
    volumeMounts:
    - name: scripts
      mountPath: /scripts
---
apiVersion: v1
kind: Pod
metadata:
  name: no-exec-bit
spec:
  restartPolicy: Never
  volumes:
  - name: scripts
    configMap:
      name: scripts
  containers:
  - name: main
    image: podplay/toolbox
    command: ["/scripts/mode.sh"]
    volumeMounts:
    - name: scripts
      mountPath: /scripts
`;

test('a configMap\'s defaultMode: 0755 is octal as kubectl reads YAML, and a script without x is no command (StartError)', async ({ page }) => {
  await open(page);
  await apply(page, 'modes.yaml', MODES);
  // kubectl's YAML is YAML 1.1 (sigs.k8s.io/yaml): 0755 is 493, the API server's number; its files are rwxr-xr-x.
  expect.soft(await ok(page, 'kubectl get pod octal -o jsonpath={.spec.volumes[0].configMap.defaultMode}')).toBe('493');
  await ok(page, `kubectl wait --for=jsonpath={.status.phase}=Succeeded pod/octal --timeout=30s`);
  expect.soft(await ok(page, 'kubectl logs octal')).toBe('755\n');
  // Without defaultMode the file is 0644: the runtime cannot exec it (runc: `exec: "/scripts/mode.sh": permission denied`),
  // so the container is terminated with reason StartError, exit code 128, and the pod fails.
  await expect
    .poll(async () => ok(page, 'kubectl get pod no-exec-bit -o jsonpath={.status.phase}'), { timeout: 30_000 })
    .toMatch(/^(Succeeded|Failed)$/);
  expect.soft(await ok(page, 'kubectl get pod no-exec-bit -o jsonpath={.status.phase}/{.status.containerStatuses[0].state.terminated.reason}/{.status.containerStatuses[0].state.terminated.exitCode}')).toBe('Failed/StartError/128');
  expect.soft(await ok(page, 'kubectl get pod no-exec-bit -o jsonpath={.status.containerStatuses[0].state.terminated.message}')).toContain('permission denied');
});

const BUSYBOX = `apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: bb
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
`;

test('ls -la / and ls -l /bin in a busybox pod show the image\'s true modes and symlinks', async ({ page }) => {
  await open(page);
  await apply(page, 'bb.yaml', BUSYBOX);
  await ok(page, 'kubectl wait --for=condition=Ready pod/bb --timeout=30s');

  const root = (await ok(page, 'kubectl exec bb -- ls -la /')).split('\n');
  expect(root[0]).toMatch(/^total \d+$/);
  const entry = (mode: string, name: string) => new RegExp(`^${mode}\\s+\\d+ root\\s+root\\s+\\d+ \\w{3} [ \\d]\\d [ \\d]\\d[:\\d]\\d\\d ${name.replace(/[.]/g, '\\.')}$`);
  for (const name of ['.', '..', 'bin', 'etc', 'usr']) expect(root.some((l) => entry('drwxr-xr-x', name).test(l)), `ls -la / has ${name}:\n${root.join('\n')}`).toBe(true);
  expect(root.some((l) => entry('drwxrwxrwt', 'tmp').test(l)), root.join('\n')).toBe(true);

  const bin = (await ok(page, 'kubectl exec bb -- ls -l /bin')).trimEnd().split('\n');
  expect(bin[0]).toMatch(/^total \d+$/);
  expect(bin.filter((l) => entry('-rwxr-xr-x', 'toolbox').test(l))).toHaveLength(1);
  const links = bin.slice(1).filter((l) => !entry('-rwxr-xr-x', 'toolbox').test(l));
  expect(links.length).toBeGreaterThan(30);
  for (const l of links) expect(l).toMatch(/^lrwxrwxrwx\s+1 root\s+root\s+7 .* [a-z0-9]+ -> toolbox$/);
  for (const applet of ['ls', 'sh', 'cat', 'sleep']) expect(links.some((l) => l.endsWith(` ${applet} -> toolbox`)), applet).toBe(true);

  // The same metadata through readlink, find (symlinks not followed without -L) and stat.
  expect(await ok(page, 'kubectl exec bb -- readlink /bin/ls')).toBe('toolbox\n');
  expect(await ok(page, 'kubectl exec bb -- find /bin -type f')).toBe('/bin/toolbox\n');
  expect(await ok(page, 'kubectl exec bb -- stat -c "%A %n" /tmp /bin/sh')).toBe('drwxrwxrwt /tmp\nlrwxrwxrwx /bin/sh\n');
  // …and of what the container writes: a symlink and a mode of its own.
  expect(await ok(page, 'kubectl exec bb -- sh -c "echo hi > /tmp/f && chmod 640 /tmp/f && ln -s f /tmp/l && ls -l /tmp | cut -c1-10"')).toBe('total 4\n-rw-r-----\nlrwxrwxrwx\n');
});

const STOPPING = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 2
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
      - name: hello
        image: podplay/hello
---
apiVersion: v1
kind: Pod
metadata:
  name: ticker
spec:
  containers:
  - name: ticker
    image: podplay/ticker
---
apiVersion: v1
kind: Pod
metadata:
  name: loop
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: loop
    image: busybox
    command: ["sh", "-c", "while true; do sleep 1; done"]
`;

test('a stop signal ends a Go program at once; a shell loop without handlers waits out its grace period', async ({ page }) => {
  await open(page);
  await apply(page, 'stopping.yaml', STOPPING);
  await ok(page, 'kubectl rollout status deployment/hello --timeout=30s');
  await ok(page, 'kubectl wait --for=condition=Ready pod/ticker pod/loop --timeout=30s');

  // Deleted together (default grace period 30 s, the loop's 5 s); each timed until the API no longer has it.
  const took = await page.evaluate(async (id) => {
    const el = document.getElementById(id) as unknown as {
      exec(l: string): Promise<{ exitCode: number }>;
      get(kind: string, name?: string): Promise<unknown>;
    };
    const pods = async () => ((await el.get('pods')) as Array<{ metadata: { name: string; labels?: Record<string, string> } }>) ?? [];
    // -1: the command failed, or the pod was still there after 40 s (never killed).
    const timed = async (line: string, gone: () => Promise<boolean>) => {
      const t0 = performance.now();
      const r = await el.exec(line);
      if (r.exitCode !== 0) return -1;
      while (!(await gone())) {
        if (performance.now() - t0 > 40_000) return -1;
        await new Promise((res) => setTimeout(res, 25));
      }
      return performance.now() - t0;
    };
    const [deployment, ticker, loop] = await Promise.all([
      timed('kubectl delete deployment hello', async () => !(await pods()).some((p) => p.metadata.labels?.app === 'hello')),
      timed('kubectl delete pod ticker --wait=false', async () => !(await pods()).some((p) => p.metadata.name === 'ticker')),
      timed('kubectl delete pod loop --wait=false', async () => !(await pods()).some((p) => p.metadata.name === 'loop')),
    ]);
    return { deployment, ticker, loop };
  }, ID);
  expect(took.deployment, 'podplay/hello pods of a Deployment end on SIGTERM').toBeGreaterThan(0);
  expect(took.deployment, 'podplay/hello pods of a Deployment end on SIGTERM').toBeLessThan(3000);
  expect(took.ticker, 'a podplay/ticker pod ends on SIGTERM').toBeGreaterThan(0);
  expect(took.ticker, 'a podplay/ticker pod ends on SIGTERM').toBeLessThan(3000);
  expect(took.loop, 'the shell loop is killed in the end').toBeGreaterThan(0);
  expect(took.loop, 'the shell loop outlives SIGTERM until SIGKILL at 5 s').toBeGreaterThanOrEqual(4500);
});

test('docker stop: a Go program ends with status 2 at once; a shell loop is killed (137) when -t runs out', async ({ page }) => {
  await open(page);
  await ok(page, 'docker run -d --name tick podplay/ticker');
  await ok(page, "docker run -d --name loop podplay/toolbox sh -c 'while true; do sleep 1; done'");
  await expect.poll(() => ok(page, 'docker logs tick'), { timeout: 20_000 }).toMatch(/^tick 1\n/);
  const took = await page.evaluate(async (id) => {
    const el = document.getElementById(id) as unknown as { exec(l: string): Promise<{ exitCode: number }> };
    const timed = async (line: string) => {
      const t0 = performance.now();
      return (await el.exec(line)).exitCode === 0 ? performance.now() - t0 : -1;
    };
    const [tick, loop] = await Promise.all([timed('docker stop tick'), timed('docker stop -t 2 loop')]);
    return { tick, loop };
  }, ID);
  expect(took.tick).toBeGreaterThan(0);
  expect(took.tick).toBeLessThan(3000);
  expect(took.loop).toBeGreaterThanOrEqual(1800);
  expect(await ok(page, "docker inspect -f '{{.State.ExitCode}}' tick loop")).toBe('2\n137\n');
});

const PAUSE = `apiVersion: v1
kind: Pod
metadata:
  name: pause
spec:
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.9
`;

test('registry.k8s.io/pause sits Running, not restarted', async ({ page }) => {
  await open(page);
  await apply(page, 'pause.yaml', PAUSE);
  await ok(page, 'kubectl wait --for=condition=Ready pod/pause --timeout=30s');
  await page.waitForTimeout(10_000);
  expect(await ok(page, 'kubectl get pod pause --no-headers')).toMatch(/^pause\s+1\/1\s+Running\s+0\s/);
  expect(await ok(page, 'kubectl get pod pause -o jsonpath={.status.containerStatuses[0].restartCount}/{.status.containerStatuses[0].state.running.startedAt}')).toMatch(/^0\/\d{4}-/);
});
