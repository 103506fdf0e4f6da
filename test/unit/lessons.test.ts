/**
 * Lessons: the format read from Markdown (steps, runnable blocks, checks,
 * hints, solutions, files), checks over real API objects, and the author's
 * verifier run as `podplay lessons verify` over the shipped course (which
 * must pass) and over a broken course (which it must reject, naming files
 * and lines).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApiStore } from '../../src/api/index.ts';
import { evaluateObjectCheck, parseLesson, splitCommands, verifyChecks, type LessonProblem, type ObjectCheck } from '../../src/lessons/index.ts';
import { ManualClock } from '../../src/shared/index.ts';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

const EXAMPLE = `---
title: Deployments
minutes: 5
sandbox:
  nodes: 2
files:
  web.yaml: |
    apiVersion: apps/v1
    kind: Deployment
setup:
  - kubectl create namespace shop
---

Some intro with \`code\`.

## Scale it

\`\`\`sh
$ kubectl scale deployment web --replicas=3
kubectl get deploy \\
  web
\`\`\`

\`\`\`check
kind: Deployment
name: web
path: status.readyReplicas
equals: 3
timeout: 2m
\`\`\`

\`\`\`check
- run: kubectl get pods -l app=web -o name
  matches: pod/web-
- kind: Pod
  selector: app=web
  count: { atLeast: 3 }
\`\`\`

\`\`\`hint
Use **kubectl scale**.
\`\`\`

\`\`\`hint
\`--replicas=3\`
\`\`\`

\`\`\`solution
kubectl scale deployment web --replicas=3
\`\`\`

## Show the file

\`\`\`yaml file=web.yaml
\`\`\`
`;

test('a lesson reads as steps: runnable blocks, checks with their lines, hints in order, a solution, files', () => {
  const { value: lesson, problems } = parseLesson('05-deploy.md', EXAMPLE);
  assert.deepEqual(problems, []);
  assert.equal(lesson.title, 'Deployments');
  assert.equal(lesson.minutes, 5);
  assert.deepEqual(lesson.sandbox, { nodes: 2 });
  assert.deepEqual(lesson.setup, [{ line: 'kubectl create namespace shop' }]);
  assert.match(lesson.intro, /<p>Some intro with <code>code<\/code>.<\/p>/);
  assert.deepEqual(lesson.steps.map((s) => [s.title, s.line]), [['Scale it', 16], ['Show the file', 52]]);
  const [scale, show] = lesson.steps;
  assert.deepEqual(scale!.runs.map((r) => r.commands), [[{ line: 'kubectl scale deployment web --replicas=3' }, { line: 'kubectl get deploy web' }]]);
  assert.match(scale!.html, /<code data-run="0" class="language-sh">\$ kubectl scale/);
  assert.doesNotMatch(scale!.html, /readyReplicas|Use <strong>/, 'checks and hints are not in the prose');
  assert.deepEqual(scale!.checks.map((c) => [c.type, c.line, c.timeout]), [['object', 25, 120], ['command', 33, 60], ['object', 35, 60]]);
  assert.deepEqual(scale!.checks[2], { type: 'object', kind: 'Pod', namespace: 'default', selector: 'app=web', count: { atLeast: 3 }, timeout: 60, line: 35 });
  assert.deepEqual(scale!.hints, ['Use **kubectl scale**.', '`--replicas=3`']);
  assert.deepEqual(scale!.solution, [{ line: 'kubectl scale deployment web --replicas=3' }]);
  assert.match(show!.html, /<code data-file="web.yaml" class="language-yaml">apiVersion: apps\/v1\nkind: Deployment\n<\/code>/);
});

test('commands split as pasted: prompts, comments, continuations and here-documents', () => {
  assert.deepEqual(splitCommands("# make it\n$ kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\nEOF\n\nkubectl get ns \\\n  a\n"), [
    { line: 'kubectl apply -f -', stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n' },
    { line: 'kubectl get ns a' },
  ]);
});

test('object checks compare a field of a named object, or count the objects a selector matches', () => {
  const api = createApiStore({ clock: new ManualClock(Date.UTC(2026, 0, 1)) });
  for (const [name, tier] of [['web-1', 'front'], ['web-2', 'back'], ['db', 'front']] as const) {
    api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name.startsWith('web') ? 'web' : 'db', tier } }, spec: { containers: [{ name: 'c', image: 'podplay/hello' }] } });
  }
  const check = (c: Partial<ObjectCheck>) => evaluateObjectCheck(api, { type: 'object', kind: 'pods', namespace: 'default', timeout: 60, line: 1, ...c });
  assert.deepEqual(check({ name: 'web-1', path: 'metadata.labels.tier', equals: 'front' }), { passed: true });
  assert.deepEqual(check({ name: 'web-2', path: 'metadata.labels.tier', equals: 'front' }), { passed: false, seen: 'metadata.labels.tier is "back"' });
  assert.deepEqual(check({ name: 'nope' }), { passed: false, seen: 'pods nope does not exist' });
  assert.deepEqual(check({ name: 'nope', exists: false }), { passed: true });
  assert.deepEqual(check({ name: 'web-1', path: '{.spec.containers[0].image}', matches: '^podplay/' }), { passed: true });
  assert.deepEqual(check({ selector: 'app=web', count: 2 }), { passed: true });
  assert.deepEqual(check({ selector: 'app=web', path: 'metadata.labels.tier', equals: 'front', count: { atLeast: 2 } }), { passed: false, seen: '1 of 2 pods matching app=web with metadata.labels.tier as asked' });
  assert.deepEqual(check({ kind: 'widgets', name: 'x' }), { passed: false, seen: 'the cluster has no resource type "widgets"' });
});

const run = promisify(execFile);

async function verify(dir: string): Promise<{ code: number; stdout: string }> {
  const home = mkdtempSync(join(tmpdir(), 'podplay-lessons-'));
  try {
    const r = await run(process.execPath, ['bin/podplay.mjs', 'lessons', 'verify', dir], { cwd: PROJECT, env: { ...process.env, PODPLAY_HOME: home }, maxBuffer: 16 << 20 });
    return { code: 0, stdout: r.stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

test('podplay lessons verify: the shipped course passes, every step after its checks first failed', async () => {
  const r = await verify('lessons/go-containers-kubernetes');
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /^LESSON +STEP +RESULT +SECONDS$/m);
  assert.doesNotMatch(r.stdout, /FAILED/);
  assert.match(r.stdout, /\n(\d+) of \1 passed\n$/);
});

test('podplay lessons verify: a broken course fails, naming each file, line and problem', async () => {
  const r = await verify('test/lessons/broken');
  assert.equal(r.code, 1);
  const reasons = r.stdout.split('\n').filter((l) => l.includes(' › '));
  assert.deepEqual(reasons, [
    '01-bad-front-matter.md › (file): 01-bad-front-matter.md:2: front matter: Flow sequence in block collection must be sufficiently indented and end with a ]',
    '01-bad-front-matter.md › (file): 01-bad-front-matter.md:1: the lesson has no title: give one in the front matter (title:) or as a # heading',
    '02-bad-blocks.md › (file): 02-bad-blocks.md:10: check: unknown check kind "http": a check has run: (a kubectl or docker command) or kind: (API objects)',
    '02-bad-blocks.md › (file): 02-bad-blocks.md:18: check: unknown key equal: (did you mean equals?) in a kind: check',
    '02-bad-blocks.md › (file): 02-bad-blocks.md:23: the code block in step "A file that is not there" shows web.yaml, which is not among the lesson\'s files (front matter files:, or files/web.yaml in the course folder): give the block a body or add the file',
    '03-missing.md › (file): 03-missing.md: course.yaml lists 03-missing.md, but test/lessons/broken has no such file',
    '04-passes-untouched.md › Look at the nodes: its checks pass before the solution runs: they do not test what the step teaches',
  ]);
  assert.match(r.stdout, /\n0 of 7 passed\n$/);
});

test('a Killercoda scenario folder (index.json, {{exec}} markers, verify.sh) verifies as a podplay course', async () => {
  const r = await verify('test/lessons/killercoda');
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /^Verifying "Create and delete a pod": 1 lesson$/m);
  assert.match(r.stdout, /index\.json +Delete the pod +passed/);
  assert.match(r.stdout, /\n2 of 2 passed\n$/);
});

test("a verify script's lines become checks; what the terminal's shell cannot run is reported with its line", () => {
  const problems: LessonProblem[] = [];
  const checks = verifyChecks('#!/bin/bash\nset -e\nkubectl get pod a | grep -q Running\n! kubectl get pod b\nif kubectl get ns c; then exit 1; fi\nfor i in 1 2; do echo $i; done\nn=$(kubectl get pods -o name | wc -l)\n', 'step1/verify.sh', problems);
  assert.deepEqual(checks, [{ run: 'kubectl get pod a | grep -q Running' }, { run: 'kubectl get pod b', fails: true }, { run: 'kubectl get ns c', fails: true }]);
  assert.deepEqual(problems.map((p) => `${p.file}:${p.line}`), ['step1/verify.sh:6', 'step1/verify.sh:7']);
  assert.match(problems[0]!.message, /^`for i in 1 2; do echo \$i; done` is not supported in a verify script here/);
});
