/**
 * docker build end to end in Node: real Dockerfiles through dockerfile-ast,
 * RUN steps as real wasm processes of the toolbox image on a node worker,
 * layers in a real directory store, the cache, and the result run by
 * docker run and by a pod.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expandWord, expandWords, parseDockerfile } from '../../src/build/index.ts';
import { expandHeredoc } from '../../src/build/shell-words.ts';
import { loadImage, tarEntries, decompress } from '../../src/oci/index.ts';
import { startCliCluster, type CliCluster } from '../helpers/cli.ts';
import { peerSkipReason } from '../helpers/peers.ts';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let c: CliCluster;

before(async () => {
  c = await startCliCluster({ nodes: 1, realTime: true });
});

after(async () => {
  await c?.close();
});

const APP = `FROM podplay/toolbox AS build
ARG GREETING=hello
WORKDIR /src
COPY . .
RUN echo "$GREETING from RUN" > /src/out.txt && ls
FROM podplay/toolbox AS unused
RUN echo never
FROM podplay/toolbox
ENV MODE=prod
COPY --from=build /src/out.txt /srv/
EXPOSE 8080
CMD ["cat", "/srv/out.txt"]
`;

function setFiles(files: Record<string, string>): void {
  c.files.replaceAll(Object.fromEntries(Object.entries(files).map(([p, v]) => [`/home/app/${p}`, v])));
}

async function build(args: string) {
  return c.sh(`docker build --progress=plain ${args} app`);
}

/** The names of the steps a build printed, with how each ended. */
function steps(stderr: string): string[] {
  const names = new Map<string, string>();
  for (const line of stderr.split('\n')) {
    const m = /^#(\d+) (\[.*|exporting.*)$/.exec(line);
    if (m && !names.has(m[1]!)) names.set(m[1]!, m[2]!);
  }
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^#(\d+) (DONE|CACHED|ERROR)/.exec(line);
    if (m && names.has(m[1]!) && /^\[(?!internal)/.test(names.get(m[1]!)!)) out.push(`${names.get(m[1]!)} ${m[2]}`);
  }
  return out;
}

test('the lexer expands as Docker does; the parser knows continuations, escape, heredocs and JSON forms', () => {
  const vars = new Map([['A', 'x y'], ['F', 'a/b.tar.gz']]);
  assert.equal(expandWord('"$A" \'$A\' ${A:-no} ${Z:-def} ${Z-d2} ${A:+set} ${F%.*} ${F%%.*} ${F#*/} ${F/b/B} \\$A', vars), 'x y $A x y def d2 set a/b.tar a/b b.tar.gz a/B.tar.gz $A');
  assert.deepEqual(expandWords('$A "$A" b\\ c', vars), ['x', 'y', 'x y', 'b c']);
  assert.throws(() => expandWord('${A', vars), /missing '}'/);
  assert.equal(expandHeredoc('it\'s "$A" ${Z:-none} \\$A \\n\n', vars), 'it\'s "x y" none $A \\n\n', 'a here-document keeps quotes and backslashes as text');
  const df = parseDockerfile('# escape=`\nFROM scratch\nRUN echo a `\n  b\nRUN ["echo","json"]\nCOPY <<EOT /x\nhi\nEOT\n');
  assert.equal(df.escape, '`');
  const [run, json, copy] = df.stages[0]!.instructions;
  assert.equal(run!.args, 'echo a   b');
  assert.deepEqual(json!.json, ['echo', 'json']);
  assert.equal(copy!.heredocs[0]!.content, 'hi\n');
  assert.throws(() => parseDockerfile('FROM scratch\nFORM x\n'), /dockerfile parse error on line 2: unknown instruction: FORM \(did you mean FROM\?\)/);
  assert.throws(() => parseDockerfile(''), /the Dockerfile cannot be empty/);
});

test('docker build: multi-stage with an unused stage skipped, BuildKit output, a runnable OCI image, docker history and inspect', async () => {
  setFiles({ Dockerfile: APP, 'main.go': 'package main\n', 'debug.log': 'x', 'keep.log': 'k', '.dockerignore': '*.log\n!keep.log\n' });
  const r = await build('-t lesson:3');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^#0 building with "default" instance using docker driver\n\n#1 \[internal\] load build definition from Dockerfile\n#1 transferring dockerfile: \d+B done\n#1 DONE \d\.\ds\n/);
  assert.doesNotMatch(r.stderr, /unused|never/, 'BuildKit skips a stage the target does not need');
  assert.match(r.stderr, /#\d+ \d\.\d{3} Dockerfile\n/, 'RUN output, with seconds since the step began');
  assert.doesNotMatch(r.stderr, /debug\.log/, '.dockerignore excluded debug.log');
  assert.match(r.stderr, /keep\.log/, 'the ! exception kept keep.log');
  assert.match(r.stderr, /#\d+ naming to docker.io\/library\/lesson:3 done/);
  assert.deepEqual(steps(r.stderr), [
    '[build 1/4] FROM docker.io/podplay/toolbox:latest@' + steps(r.stderr)[0]!.split('@')[1],
    '[stage-2 1/2] FROM docker.io/podplay/toolbox:latest@' + steps(r.stderr)[1]!.split('@')[1],
    '[build 2/4] WORKDIR /src DONE',
    '[build 3/4] COPY . . DONE',
    '[build 4/4] RUN echo "hello from RUN" > /src/out.txt && ls DONE',
    '[stage-2 2/2] COPY --from=build /src/out.txt /srv/ DONE',
  ]);
  const run = await c.sh('docker run --rm lesson:3');
  assert.equal(run.stdout, 'hello from RUN\n');
  const history = (await c.sh('docker history --no-trunc lesson:3')).stdout.split('\n');
  const createdBy = history.slice(1, 5).map((l) => l.split(/ {2,}/).slice(2).join('|'));
  assert.deepEqual(createdBy, ['CMD ["cat" "/srv/out.txt"]|0B|buildkit.dockerfile.v0', 'EXPOSE [8080/tcp]|0B|buildkit.dockerfile.v0', 'COPY /src/out.txt /srv/ # buildkit|' + createdBy[2]!.split('|')[1] + '|buildkit.dockerfile.v0', 'ENV MODE=prod|0B|buildkit.dockerfile.v0']);
  const inspect = JSON.parse((await c.sh('docker image inspect lesson:3')).stdout)[0];
  assert.deepEqual(inspect.Config.Cmd, ['cat', '/srv/out.txt']);
  assert.ok(inspect.Config.Env.includes('MODE=prod'));
  // A pod runs it from the store (imagePullPolicy: Never).
  const pod = await c.sh('kubectl run lesson --image=lesson:3 --image-pull-policy=Never --restart=Never');
  assert.equal(pod.code, 0, pod.stderr);
  for (let i = 0; i < 200; i++) {
    const logs = await c.sh('kubectl logs lesson');
    if (logs.stdout === 'hello from RUN\n') break;
    assert.ok(i < 199, `the pod never logged its file: ${logs.stdout}${logs.stderr}`);
    await new Promise((res) => setTimeout(res, 100));
  }
});

test('the cache: everything CACHED on a rebuild; a changed source, build arg or earlier step rebuilds from there on', async () => {
  setFiles({ Dockerfile: APP, 'main.go': 'package main\n' });
  assert.equal((await build('-t cached:1')).code, 0);
  const again = await build('-t cached:1');
  assert.deepEqual(steps(again.stderr).filter((s) => !s.includes('FROM')), ['[build 2/4] WORKDIR /src CACHED', '[build 3/4] COPY . . CACHED', '[build 4/4] RUN echo "hello from RUN" > /src/out.txt && ls CACHED', '[stage-2 2/2] COPY --from=build /src/out.txt /srv/ CACHED']);
  const first = JSON.parse((await c.sh('docker image inspect cached:1')).stdout)[0].Id;
  setFiles({ Dockerfile: APP, 'main.go': 'package main // changed\n' });
  const changed = await build('-t cached:1');
  assert.deepEqual(steps(changed.stderr).filter((s) => !s.includes('FROM')).map((s) => s.split(' ').pop()), ['CACHED', 'DONE', 'DONE', 'CACHED'], 'the RUN reruns; its output is the same, so the final COPY is cached again');
  assert.equal(JSON.parse((await c.sh('docker image inspect cached:1')).stdout)[0].Id, first, 'same output, same image');
  const arg = await build('-t cached:2 --build-arg GREETING=hi');
  assert.deepEqual(steps(arg.stderr).filter((s) => !s.includes('FROM')).map((s) => s.split(' ').pop()), ['CACHED', 'CACHED', 'DONE', 'DONE']);
  assert.equal((await c.sh('docker run --rm cached:2')).stdout, 'hi from RUN\n');
  const noCache = await build('-t cached:3 --no-cache');
  assert.doesNotMatch(noCache.stderr, /CACHED/);
});

test('reproducible: two clean stores give the same image digest; SOURCE_DATE_EPOCH changes it', async () => {
  const other = await startCliCluster({ nodes: 1, realTime: true });
  try {
    const files = { Dockerfile: APP, 'main.go': 'package main\n' };
    setFiles(files);
    other.files.replaceAll(Object.fromEntries(Object.entries(files).map(([p, v]) => [`/home/app/${p}`, v])));
    assert.equal((await build('-q -t repro:1')).code, 0);
    const b = await other.sh('docker build -q -t repro:1 app');
    const a = await c.sh('docker build -q -t repro:1 app');
    assert.equal(a.stdout, b.stdout);
    assert.match(a.stdout, /^sha256:[0-9a-f]{64}\n$/);
    const epoch = await c.sh('docker build -q --source-date-epoch 1700000000 -t repro:2 app');
    assert.notEqual(epoch.stdout, a.stdout);
    const config = (await loadImage((await c.env.sandbox()).store, 'repro:2')).config;
    assert.equal(config.created, '2023-11-14T22:13:20Z');
  } finally {
    await other.close();
  }
});

test('bad input: syntax errors, missing sources, failing RUN and unknown targets in BuildKit words; a failed build moves no tag', async () => {
  setFiles({ Dockerfile: 'FROM podplay/toolbox\nFORM x\n' });
  const syntax = await build('-t bad:1');
  assert.equal(syntax.code, 1);
  assert.match(syntax.stderr, /ERROR: failed to build: failed to solve: dockerfile parse error on line 2: unknown instruction: FORM \(did you mean FROM\?\)\n$/);
  assert.match(syntax.stderr, /Dockerfile:2\n--------------------\n {3}1 \| {5}FROM podplay\/toolbox\n {3}2 \| >>> FORM x\n/);
  setFiles({ Dockerfile: 'FROM podplay/toolbox\nCOPY missing.txt /x\n' });
  assert.match((await build('')).stderr, /ERROR: failed to build: failed to solve: failed to compute cache key: failed to calculate checksum of ref: "\/missing.txt": not found\n$/);
  setFiles({ Dockerfile: 'FROM podplay/toolbox\nRUN echo one && echo two >&2 && exit 3\n' });
  await c.sh('docker pull podplay/toolbox');
  const before = JSON.parse((await c.sh('docker image inspect podplay/toolbox')).stdout)[0].Id;
  const failing = await c.sh('docker build --progress=plain -t podplay/toolbox app');
  assert.equal(failing.code, 1);
  assert.match(failing.stderr, /#\d+ ERROR: process "\/bin\/sh -c echo one && echo two >&2 && exit 3" did not complete successfully: exit code: 3\n------\n > \[2\/2\] RUN echo one && echo two >&2 && exit 3:\n\d\.\d{3} one\n\d\.\d{3} two\n------\n/);
  assert.equal(JSON.parse((await c.sh('docker image inspect podplay/toolbox')).stdout)[0].Id, before, 'the tag did not move');
  setFiles({ Dockerfile: APP });
  assert.match((await build('--target buidl')).stderr, /target stage "buidl" could not be found \(did you mean build\?\)/);
  setFiles({ 'Dockerfile.other': 'FROM scratch\n' });
  assert.match((await build('')).stderr, /failed to read dockerfile: open Dockerfile: no such file or directory/);
});

test('scratch, ADD of a tar, --chown/--chmod, ENTRYPOINT resets an inherited CMD, --target, docker builder prune', async () => {
  const tar = await (await import('../helpers/images.ts')).tarOf([{ name: 'pkg/', type: 'directory' }, { name: 'pkg/a.txt', body: 'A\n' }]);
  const sb = await c.env.sandbox();
  c.files.replaceAll({
    '/home/app/Dockerfile': 'FROM scratch AS base\nADD files.tar /opt/\nCOPY --chown=1000:1000 --chmod=750 run.sh /bin/\nENTRYPOINT ["/bin/run.sh"]\nFROM base AS final\nLABEL stage=final\n',
    '/home/app/run.sh': '#!/bin/sh\n',
    '/home/app/files.tar': tar,
  });
  const r = await build('-t scratchy:1 --target base');
  assert.equal(r.code, 0, r.stderr);
  const image = await loadImage((await c.env.sandbox()).store, 'scratchy:1');
  assert.deepEqual(image.config.config?.Entrypoint, ['/bin/run.sh']);
  assert.equal(image.config.config?.Labels, undefined, '--target base stops before the final stage');
  const entries = (await Promise.all(image.manifest.layers.map(async (l) => tarEntries(await decompress(await sb.store.get(l.digest), 'gzip', 1e8, 'layer'), 'layer')))).flat();
  const byName = new Map(entries.map((e) => [e.name.replace(/\/$/, ''), e]));
  assert.equal(byName.get('opt/pkg/a.txt')?.type, 'file', 'ADD unpacked the tar');
  assert.equal(byName.get('bin/run.sh')?.mode, 0o750);
  assert.equal(byName.get('bin/run.sh')?.uid, 1000);
  const prune = await c.sh('docker builder prune -f');
  assert.match(prune.stdout, /^Deleted build cache objects:\n[0-9a-f]{25}\n[\s\S]*Total reclaimed space: /);
  assert.equal((await (await c.env.sandbox()).store.listCache()).length, 0);
  assert.ok(await loadImage((await c.env.sandbox()).store, 'scratchy:1'), 'pruning the cache keeps tagged images');
});

test('the workspace: mkdir, cd, a here-document Dockerfile, docker build ., rm and mv, as the page\'s terminal does it', async () => {
  c.files.replaceAll({});
  const lines = ['mkdir -p ws/app', 'cd ws/app', 'pwd', "cat > Dockerfile", 'echo hello > note.txt', 'ls'];
  let out = '';
  for (const line of lines) {
    const r = await c.sh(line, line.startsWith('cat') ? 'FROM podplay/toolbox\nCOPY note.txt /srv/\nCMD ["cat", "/srv/note.txt"]\n' : undefined);
    assert.equal(r.code, 0, `${line}: ${r.stderr}`);
    out += r.stdout;
  }
  assert.equal(out, '/home/ws/app\nDockerfile\nnote.txt\n');
  const built = await c.sh('docker build -q -t ws:1 .');
  assert.equal(built.code, 0, built.stderr);
  assert.equal((await c.sh('docker run --rm ws:1')).stdout, 'hello\n');
  assert.equal((await c.sh('mv note.txt renamed.txt')).code, 0);
  assert.equal((await c.sh('ls')).stdout, 'Dockerfile\nrenamed.txt\n');
  await c.sh('cd ..');
  assert.equal((await c.sh('rm app')).stderr, "rm: cannot remove 'app': Is a directory\n");
  assert.equal((await c.sh('rm -r app')).code, 0);
  assert.equal((await c.sh('ls')).stdout, '');
  assert.equal((await c.sh('pwd')).stdout, '/home/ws\n');
  assert.equal((await c.sh('cd nowhere')).stderr, 'cd: nowhere: No such file or directory\n');
  assert.ok(c.files.entries()['/home/ws/'], 'a made directory is kept in the saved workspace');
});

test('the web-app example builds (multi-stage, ARG-chosen stage) and serves HTTP in a pod', async () => {
  const { readFile, readdir } = await import('node:fs/promises');
  const dir = new URL('../../examples/web-app/', import.meta.url);
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(dir)) files[`/home/web-app/${name}`] = new Uint8Array(await readFile(new URL(name, dir)));
  c.files.replaceAll(files);
  const built = await c.sh('docker build --progress=plain --build-arg BUILD=prebuilt -t web-app:1 web-app');
  assert.equal(built.code, 0, built.stderr);
  assert.doesNotMatch(built.stderr, /podplay\/golang/, 'the source stage is not needed with BUILD=prebuilt, so it is skipped');
  assert.equal((await c.sh('kubectl run web-app --image=web-app:1 --image-pull-policy=Never')).code, 0);
  assert.match((await c.sh('kubectl wait --for=condition=Ready pod/web-app --timeout=60s')).stdout, /condition met/);
  let answer = '';
  for (let i = 0; i < 50 && !answer.includes('web-app'); i++) {
    answer = (await c.sh('kubectl exec web-app -- wget -qO- http://127.0.0.1:8080/')).stdout;
    if (!answer.includes('web-app')) await new Promise((res) => setTimeout(res, 200));
  }
  assert.match(answer, /web-app/);
});

test('ONBUILD triggers run in a child build; a RUN over --memory is reported as killed; an oversized context is refused before it is read; docker save of a built image is read by skopeo', async (t) => {
  c.files.replaceAll({
    '/home/base/Dockerfile': 'FROM podplay/toolbox\nONBUILD COPY marker.txt /tmp/\nONBUILD RUN cat /tmp/marker.txt > /tmp/seen.txt\n',
    '/home/child/Dockerfile': 'FROM onbase:1\nCMD ["cat", "/tmp/seen.txt"]\n',
    '/home/child/marker.txt': 'triggered\n',
    '/home/hog/Dockerfile': 'FROM podplay/memhog\nRUN memhog -hold 1s 256\n',
  });
  assert.equal((await c.sh('docker build -q -t onbase:1 base')).code, 0);
  const onbase = await loadImage((await c.env.sandbox()).store, 'onbase:1');
  assert.deepEqual(onbase.config.config?.OnBuild, ['COPY marker.txt /tmp/', 'RUN cat /tmp/marker.txt > /tmp/seen.txt']);
  const child = await c.sh('docker build --progress=plain -t onchild:1 child');
  assert.equal(child.code, 0, child.stderr);
  assert.match(child.stderr, /#\d+ \[2\/3\] ONBUILD COPY marker.txt \/tmp\/\n/);
  assert.equal((await c.sh('docker run --rm onchild:1')).stdout, 'triggered\n');
  assert.equal((await loadImage((await c.env.sandbox()).store, 'onchild:1')).config.config?.OnBuild, undefined, 'triggers do not pass on to grandchildren');

  const hog = await c.sh('docker build --progress=plain -m 64m -t hog:1 hog');
  assert.equal(hog.code, 1);
  // sh's child is killed at the limit and sh says so, as a kernel OOM kill in a real build shows.
  assert.match(hog.stderr, /#\d+ \d\.\d{3} Killed\n/);
  // The container had an OOM kill and then failed: the step says so, with the limit.
  assert.match(hog.stderr, /ERROR: failed to build: failed to solve: process "\/bin\/sh -c memhog -hold 1s 256" did not complete successfully: exit code: 137 \(OOMKilled: it ran out of its memory limit of 64 MiB \(docker build --memory\)\)\n$/);

  const sb = await c.env.sandbox();
  let reads = 0;
  await assert.rejects(
    sb.build({
      dockerfile: 'FROM scratch\nCOPY . /\n',
      context: { name: 'big', list: async () => [{ path: 'big.bin', kind: 'file', mode: 0o644, size: 2 * 1024 * 1024, mtime: 0 }], read: async () => (reads++, new Uint8Array(0)) },
      contextLimit: 1024 * 1024,
    }),
    /the build context big holds 2 MiB of files, more than the 1 MiB a build may read: add what the build does not need to \.dockerignore/,
  );
  assert.equal(reads, 0, 'nothing was read');

  const skip = peerSkipReason('skopeo');
  if (skip) return t.skip(skip);
  const dir = await mkdtemp(join(tmpdir(), 'podplay-build-save-'));
  await writeFile(join(dir, 'onchild.tar'), await sb.save(['onchild:1']));
  const inspected = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `oci-archive:${join(dir, 'onchild.tar')}`]).toString());
  assert.deepEqual(inspected.config.Cmd, ['cat', '/tmp/seen.txt']);
  assert.equal(inspected.history.at(-1).comment, 'buildkit.dockerfile.v0');
});
