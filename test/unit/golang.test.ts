/**
 * podplay/golang in Node: Go's own compile and link (built for wasip1) run
 * as child processes of the image's go command, in build containers and
 * docker run containers on real node workers; the programs they make run
 * as containers and pods.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { startCliCluster, type CliCluster } from '../helpers/cli.ts';
import { GO_APP, GO_APP_DOCKERFILE, GO_APP_RUN_OUTPUT } from '../helpers/go-app.ts';

let c: CliCluster;

before(async () => {
  c = await startCliCluster({ nodes: 1, realTime: true });
});

after(async () => {
  await c?.close();
});

const GO_MOD = 'module example.com/app\n\ngo 1.26\n';

function setFiles(dir: string, files: Record<string, string>): void {
  const all = { ...c.files.entries() } as Record<string, string | Uint8Array>;
  for (const [p, v] of Object.entries(files)) all[`/home/${dir}/${p}`] = v;
  c.files.replaceAll(all);
}

/** The lines a RUN step printed, without BuildKit's `#N 1.234 ` prefix. */
function runOutput(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => /^#\d+ \d+\.\d+ (.*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined);
}

test('go version and go env describe the wasip1 toolchain', async () => {
  const r = await c.sh(`docker run --rm podplay/golang sh -c 'go version; go env GOOS GOARCH GOROOT GOPATH GOCACHE GOTOOLDIR'`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^go version go1\.\d+\.\d+ wasip1\/wasm\nwasip1\nwasm\n\/usr\/local\/go\n\/go\n\/root\/\.cache\/go-build\n\/usr\/local\/go\/pkg\/tool\/wasip1_wasm\n$/);
});

test('a module of two packages with a goroutine and an embedded file builds, reuses its cache, and runs as a container and a pod', async () => {
  setFiles('app', { ...GO_APP, Dockerfile: GO_APP_DOCKERFILE });
  const built = await c.sh('docker build --progress=plain -t goapp:1 app');
  assert.equal(built.code, 0, built.stderr);
  assert.deepEqual(runOutput(built.stderr), GO_APP_RUN_OUTPUT);
  const run = await c.sh('docker run --rm goapp:1');
  assert.equal(run.stdout, 'Hi there, podplay (from a goroutine)\n', run.stderr);
  assert.equal((await c.sh('kubectl run goapp --image=goapp:1 --restart=Never')).code, 0);
  let logs = '';
  for (let i = 0; i < 150 && !logs.includes('Hi there'); i++) {
    logs = (await c.sh('kubectl logs goapp')).stdout;
    if (!logs.includes('Hi there')) await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(logs, 'Hi there, podplay (from a goroutine)\n');
});

test('examples/web-app built from source serves HTTP as a pod with its hostname, and shuts down gracefully on SIGTERM through signal.Notify', async () => {
  const dir = new URL('../../examples/web-app/', import.meta.url);
  const files: Record<string, string> = {};
  for (const name of await readdir(dir)) files[name] = await readFile(new URL(name, dir), 'utf8');
  setFiles('web-app', files);
  const built = await c.sh('docker build --progress=plain -t web-app:src web-app');
  assert.equal(built.code, 0, built.stderr);
  assert.match(built.stderr, /\[build-source 4\/4\] RUN go build -o bin\/web \.\n#\d+ DONE/);
  assert.equal((await c.sh('kubectl run web-src --image=web-app:src --image-pull-policy=Never')).code, 0);
  let answer = '';
  for (let i = 0; i < 100 && !answer.startsWith('Hello'); i++) {
    answer = (await c.sh('kubectl exec web-src -- wget -T 2 -qO- http://127.0.0.1:8080/')).stdout;
    if (!answer.startsWith('Hello')) await new Promise((res) => setTimeout(res, 200));
  }
  // os.Hostname is the pod's name, as on Linux (plain wasip1 says "wasip1").
  assert.equal(answer, 'Hello from web-src\n');
  // signal.Notify(SIGTERM) gets the signal: the server shuts down and main returns (status 0, not Go's default 2).
  assert.equal((await c.sh('docker run -d --name graceful web-app:src')).code, 0);
  let logs = '';
  for (let i = 0; i < 100 && !logs.includes('listening'); i++) {
    logs = (await c.sh('docker logs graceful')).stderr;
    if (!logs.includes('listening')) await new Promise((res) => setTimeout(res, 200));
  }
  assert.match(logs, /listening on :8080/);
  assert.equal((await c.sh('docker stop graceful')).code, 0);
  assert.equal((await c.sh("docker inspect -f '{{.State.ExitCode}}' graceful")).stdout, '0\n');
});

test("a compile error prints go build's text and fails the build step with BuildKit's words", async () => {
  setFiles('broken', {
    'go.mod': GO_MOD,
    'main.go': 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n\tx = 1\n}\n',
    Dockerfile: 'FROM podplay/golang\nWORKDIR /src\nCOPY . .\nRUN go build -o bin/app .\n',
  });
  const r = await c.sh('docker build --progress=plain -t broken:1 broken');
  assert.equal(r.code, 1);
  assert.deepEqual(runOutput(r.stderr).slice(0, 2), ['# example.com/app', './main.go:7:2: undefined: x']);
  assert.match(r.stderr, /ERROR: failed to build: failed to solve: process "\/bin\/sh -c go build -o bin\/app \." did not complete successfully: exit code: 1\n$/);
});

test('go run, a missing module, cgo and go mod init answer as the go command does', async () => {
  setFiles('cases', {
    'run/go.mod': GO_MOD,
    'run/main.go': 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() { fmt.Println("args:", os.Args[1:]); os.Exit(3) }\n',
    'nomod/go.mod': GO_MOD,
    'nomod/main.go': 'package main\n\nimport "github.com/google/uuid"\n\nfunc main() { println(uuid.NewString()) }\n',
    'cgo/go.mod': GO_MOD,
    'cgo/main.go': 'package main\n\n// #include <stdio.h>\nimport "C"\n\nfunc main() {}\n',
    'init/main.go': 'package main\n\nfunc main() {}\n',
    Dockerfile: `FROM podplay/golang
WORKDIR /src
COPY . .
RUN cd run && go run . a b 2>&1; echo "status $?"
RUN cd nomod && go build . 2>&1; echo "status $?"
RUN cd cgo && go build . 2>&1; echo "status $?"
RUN cd init && go mod init example.com/hello 2>&1 && cat go.mod && go build && ls
`,
  });
  const r = await c.sh('docker build --progress=plain -t cases:1 cases');
  assert.equal(r.code, 0, r.stderr);
  const out = runOutput(r.stderr);
  assert.deepEqual(out.slice(0, 3), ['args: [a b]', 'exit status 3', 'status 1']);
  assert.deepEqual(out.slice(3, 7), [
    'main.go:3:8: no required module provides package github.com/google/uuid; to add it:',
    '\tgo get github.com/google/uuid',
    out[5]!,
    'status 1',
  ]);
  assert.match(out[5]!, /^podplay: there is no network to the Go module proxy here/);
  assert.match(out[7]!, /^package example\.com\/app: main\.go imports "C": cgo is not available for wasip1\/wasm/);
  assert.equal(out[8], 'status 1');
  assert.deepEqual(out.slice(9), ['go: creating new go.mod: module example.com/hello', 'go: to add module requirements and sums:', '\tgo mod tidy', 'module example.com/hello', '', out[14]!, 'go.mod', 'hello.wasm', 'main.go']);
  assert.match(out[14]!, /^go 1\.\d+\.\d+$/);
});

test('go build past a memory limit ends OOMKilled, and the build step names the limit', async () => {
  setFiles('oom', {
    'go.mod': GO_MOD,
    'main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n',
    Dockerfile: 'FROM podplay/golang\nWORKDIR /src\nCOPY . .\nRUN go build -o bin/app .\n',
  });
  const r = await c.sh('docker build --progress=plain --memory 40m -t oom:1 oom');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ERROR: failed to build: failed to solve: process "\/bin\/sh -c go build -o bin\/app \." did not complete successfully: exit code: 137 \(OOMKilled: it ran out of its memory limit of 40 MiB \(docker build --memory\)\)\n$/);
  // The same build as a container of its own: docker says OOMKilled, and with its exit code.
  const run = await c.sh('docker run --name oomgo -m 40m podplay/golang sh -c "mkdir -p /go/oom && cd /go/oom && go mod init example.com/oom && echo \'package main; func main() {}\' > main.go && go build ."');
  assert.equal(run.code, 137, run.stderr);
  assert.equal((await c.sh("docker inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}}' oomgo")).stdout, 'true 137\n');
});
