/**
 * podplay's docker CLI against a real Sandbox in Node (a node worker on a
 * worker thread, real @wasmer/sdk, the sample Go programs, a directory
 * store), its output compared with golden files of what docker prints
 * (test/golden/docker/*.txt; `UPDATE_GOLDEN=1` rewrites them).
 *
 * A golden file is a transcript: `$ docker <line>`, then standard output,
 * then `--- stderr` and standard error when there is any, then `--- exit N`.
 * Container IDs and names are deterministic (the engine's randomness is
 * seeded); image IDs and digests are the bundled images' own. What depends
 * on the wall clock is masked:
 * - relative times (go-units HumanDuration: `Less than a second`, `3 seconds`,
 *   `About a minute`, `11 months`…) become `<duration>`, so `Up <duration>`,
 *   `Exited (0) <duration> ago`, `<duration> ago`;
 * - RFC 3339 timestamps become `<time>`, except the images' fixed
 *   `2026-01-01T00:00:00Z` and Go's zero time `0001-01-01T00:00:00Z`.
 * Tables are cut into cells at the header's column starts, masked cell by
 * cell, and aligned again as docker's tabwriter aligns them, so a golden
 * table has the columns docker would print around the masked values.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dockerEngine, humanDuration, humanSize, humanSizeWithPrecision, runDocker } from '../../src/cli/docker/index.ts';
import { ellipsis, formatG, goQuote, ramInBytes, rfc3339Nano, rfc3339NanoFixed, truncateId } from '../../src/cli/docker/units.ts';
import { bufferIo, type CliEnv } from '../../src/cli/io.ts';
import { DOCKER_TABLE, formatTable } from '../../src/cli/table.ts';
import { splitWords } from '../../src/cli/words.ts';
import { Sandbox } from '../../src/sandbox/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';

const GOLDEN = fileURLToPath(new URL('../golden/docker/', import.meta.url));

let dir = '';
let sb: Sandbox;
let env: CliEnv;

/** A small seeded PRNG (mulberry32): the same container IDs and names on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podplay-docker-'));
  sb = await Sandbox.create({ layoutUrl: layoutUrl(), store: { kind: 'directory', root: join(dir, 'store') }, fetch: fileFetch });
  dockerEngine(sb, { random: seeded(27) });
  env = {
    sandbox: async () => sb,
    files: {
      read: async (p) => new Uint8Array(await readFile(resolve(dir, p))),
      write: (p, data) => writeFile(resolve(dir, p), data),
      list: (d) => readdir(resolve(dir, d)),
    },
    fetch: fileFetch,
    cluster: undefined as never,
  };
});

after(async () => {
  await sb?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const DURATION = /\b(Less than a second|About a minute|About an hour|\d+ (?:second|seconds|minutes|hours|days|weeks|months|years))\b/g;
const TIME = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g;
const FIXED_TIMES = new Set(['2026-01-01T00:00:00Z', '0001-01-01T00:00:00Z']);

const mask = (text: string) => text.replace(DURATION, '<duration>').replace(TIME, (t) => (FIXED_TIMES.has(t) ? t : '<time>'));

/** A docker table, cut at the header's column starts, masked per cell and aligned again. */
function maskTable(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const starts = [0];
  for (const m of lines[0]!.matchAll(/ {2,}(?=\S)/g)) starts.push(m.index + m[0].length);
  const rows = lines.map((l) => starts.map((s, i) => l.slice(s, starts[i + 1]).trim()).map(mask));
  return formatTable(rows, DOCKER_TABLE);
}

const isTable = (text: string) => /^[A-Z][A-Z ]*[A-Z]\n/.test(text) && text.split('\n')[0]!.includes('   ');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The masked transcript of this command. */
  text: string;
}

/** Runs one docker line (split as the shell splits it). */
async function docker(line: string, opts: { stdin?: string; tty?: boolean } = {}): Promise<Run> {
  const io = bufferIo(opts.stdin);
  if (opts.tty) io.isTTY = true;
  const code = await runDocker(splitWords(line).words, io, env);
  const out = isTable(io.stdout) ? maskTable(io.stdout) : mask(io.stdout);
  const text = `$ docker ${line}\n${out}${io.stderr ? `--- stderr\n${mask(io.stderr)}` : ''}--- exit ${code}\n`;
  return { code, stdout: io.stdout, stderr: io.stderr, text };
}

/** Runs the lines in order; the transcript of all of them. */
async function session(lines: Array<string | [string, { stdin?: string; tty?: boolean }]>): Promise<string> {
  const parts: string[] = [];
  for (const l of lines) parts.push((await (typeof l === 'string' ? docker(l) : docker(l[0], l[1]))).text);
  return parts.join('\n');
}

async function golden(name: string, actual: string): Promise<void> {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, actual);
    return;
  }
  assert.equal(actual, await readFile(file, 'utf8'), `${name}: differs from ${file} (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Waits until the container has exited (a detached run that ends by itself). */
async function exited(name: string): Promise<void> {
  const engine = dockerEngine(sb);
  const c = engine.get(name);
  for (let i = 0; i < 500; i++) {
    if ((await engine.state(c.id))?.state === 'exited') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`${name} did not exit`);
}

test('go-units durations and sizes, Go formatting, as docker prints them', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  const w = 7 * d;
  const mo = 30 * d;
  const y = 365 * d;
  // go-units duration_test.go (v0.5, vendored by docker/cli)
  const durations: Array<[number, string]> = [
    [450, 'Less than a second'], [1 * s, '1 second'], [45 * s, '45 seconds'], [59 * s, '59 seconds'], [60 * s, 'About a minute'],
    [3 * m, '3 minutes'], [35 * m + 40 * s, '35 minutes'], [59 * m, '59 minutes'], [1 * h, 'About an hour'], [1 * h + 29 * m, 'About an hour'],
    [1 * h + 31 * m, '2 hours'], [3 * h + 29 * m, '3 hours'], [3 * h + 31 * m, '4 hours'], [24 * h, '24 hours'], [d + 12 * h, '36 hours'],
    [2 * d, '2 days'], [7 * d, '7 days'], [13 * d + 5 * h, '13 days'], [2 * d + 17 * h, '3 days'], [13 * d + 12 * h, '14 days'],
    [2 * w, '2 weeks'], [2 * w + 4 * d, '3 weeks'], [3 * w + 6 * d, '4 weeks'], [mo, '4 weeks'], [8 * w + 3 * d, '8 weeks'],
    [mo + 2 * w, '6 weeks'], [2 * mo, '2 months'], [3 * mo + 20 * d, '4 months'], [13 * mo, '13 months'], [24 * mo, '24 months'],
    [24 * mo + 2 * w, '2 years'], [3 * y + 2 * mo, '3 years'], [3 * y + 8 * mo, '4 years'],
  ];
  for (const [ms, want] of durations) assert.equal(humanDuration(ms), want, `${ms} ms`);
  // go-units size_test.go
  const sizes: Array<[number, string]> = [[1000, '1kB'], [1024, '1.024kB'], [1e6, '1MB'], [1048576, '1.049MB'], [2e6, '2MB'], [3.42e9, '3.42GB'], [5.372e12, '5.372TB'], [2.22e15, '2.22PB'], [1e28, '1e+04YB']];
  for (const [n, want] of sizes) assert.equal(humanSize(n), want);
  assert.equal(humanSizeWithPrecision(2538494, 3), '2.54MB');
  assert.equal(humanSizeWithPrecision(999_600, 3), '1e+03kB', "Go's %.3g of 999.6");
  assert.equal(humanSizeWithPrecision(0, 3), '0B');
  assert.equal(formatG(0.00001234, 3), '1.23e-05');
  assert.equal(ramInBytes('64m'), 64 * 1024 * 1024);
  assert.equal(ramInBytes('32.3 mb'), Math.trunc(32.3 * 1024 * 1024));
  assert.equal(ramInBytes('-32'), undefined);
  assert.equal(ellipsis('/usr/local/bin/ticker -interval 1s', 20), '/usr/local/bin/tick…');
  assert.equal(ellipsis('/usr/local/bin/hello', 20), '/usr/local/bin/hello');
  assert.equal(goQuote('sh -c "a\tb"'), '"sh -c \\"a\\tb\\""');
  assert.equal(truncateId('sha256:94c05429aca4ffff'), '94c05429aca4');
  assert.equal(rfc3339Nano(Date.UTC(2026, 10, 27, 16, 12, 55, 120)), '2026-11-27T16:12:55.12Z');
  assert.equal(rfc3339Nano(Date.UTC(2026, 10, 27)), '2026-11-27T00:00:00Z');
  assert.equal(rfc3339NanoFixed(Date.UTC(2026, 10, 27, 16, 12, 55, 120)), '2026-11-27T16:12:55.120000000Z');
});

test('usage mistakes and missing objects, in docker\'s words and exit codes', async () => {
  await golden(
    'errors.txt',
    await session([
      'foo',
      'run --foo podplay/crash',
      'ps --bar',
      'ps -z',
      'run',
      'logs',
      'ps extra',
      'logs nope',
      'stop nope other',
      'inspect nope',
      'container inspect nope',
      'image inspect nope',
      'rmi nope',
      'history nope',
      'container foo',
      'system',
      'save podplay/toolbox',
      'load',
    ]),
  );
});

test('pull: progress lines on a pipe, up to date, quiet, unknown names and tags', async () => {
  await golden(
    'pull.txt',
    await session(['pull podplay/toolbox', 'pull podplay/toolbox', 'pull -q podplay/crash:latest', 'pull podplay/primes', 'pull podplay/nope', 'pull podplay/crash:v2', 'pull localhost:1/app:v1']),
  );
});

test('pull on a terminal: one line per layer, redrawn in place', async () => {
  const r = await docker('pull podplay/ticker', { tty: true });
  assert.equal(r.code, 0, r.stderr);
  const [layer] = (await sb.ensureImage('podplay/ticker')).image.manifest.layers.slice(-1).map((l) => l.digest.slice(7, 19));
  assert.ok(r.stdout.startsWith('Using default tag: latest\nlatest: Pulling from podplay/ticker\n'), r.stdout);
  // A new layer line: a newline, then up one line, erase it, write the status, and down again.
  assert.ok(r.stdout.includes(`\n\x1b[1A\x1b[2K\r${layer}: Pulling fs layer \r\x1b[1B`), JSON.stringify(r.stdout));
  assert.ok(r.stdout.includes(`\x1b[2K\r${layer}: Pull complete \r`), JSON.stringify(r.stdout));
  assert.match(r.stdout, /\x1b\[2K\r[0-9a-f]{12}: Already exists \r/);
  assert.match(r.stdout, /Digest: sha256:[0-9a-f]{64}\nStatus: Downloaded newer image for podplay\/ticker:latest\ndocker\.io\/podplay\/ticker:latest\n$/);
});

test('images: the table, IDs only, by repository, with digests', async () => {
  await golden(
    'images.txt',
    await session(['images', 'images -q', 'images podplay/crash', 'images --digests podplay/primes:latest', 'image ls --no-trunc podplay/crash', 'images podplay/nope']),
  );
});

test('run: output and exit codes, pulls, env, entrypoint, stdin, tty, and the ways it fails', async () => {
  await golden(
    'run.txt',
    await session([
      'run podplay/crash 3',
      'run --rm podplay/crash 0',
      'run podplay/kv incr visits',
      'run podplay/ticker -count 2 -interval 10ms',
      'run --rm -e GREETING=hi -e PATH=/bin -w /etc podplay/toolbox sh -c "printenv GREETING; pwd; hostname"',
      'run --entrypoint /bin/echo podplay/crash "hello  world" again',
      ['run -i podplay/toolbox cat', { stdin: 'one\ntwo\n' }],
      ['run -it podplay/toolbox sh', { stdin: 'echo to-stderr >&2\nexit 5\n' }],
      ['run -it podplay/toolbox sh', { stdin: 'echo to-stderr >&2\nexit 5\n', tty: true }],
      'run podplay/toolbox nope',
      'run podplay/toolbox /etc',
      'run --name web -d podplay/ticker -interval 50ms',
      'run --name web podplay/crash',
      'run --name "bad name" podplay/crash',
      'run nope/nope',
      'run --pull never podplay/hello',
      'run --pull sometimes podplay/crash',
      'run -m 1k podplay/crash',
    ]),
  );
});

test('ps, logs, stop, kill and rm', async () => {
  const start = await docker('run -d --name counter podplay/ticker -count 3 -interval 10ms');
  assert.equal(start.code, 0, start.stderr);
  await exited('counter');
  const stamped = await docker('logs -t --tail 1 counter');
  assert.match(stamped.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick 3\n$/);
  await golden(
    'containers.txt',
    start.text + '\n' +
      (await session([
        'ps',
        'ps -q',
        'ps -a',
        'ps -a -n 2',
        'ps -l --no-trunc',
        'logs counter',
        'logs --tail 1 counter',
        'logs -n 0 counter',
        'logs -t -n 1 counter',
        'rm web',
        'kill web',
        'kill web',
        'stop counter',
        'rm web counter nope',
        'ps -a -n 1',
      ])),
  );
});

test('exec: in a running container, with env, workdir and stdin; not in a stopped one', async () => {
  await golden(
    'exec.txt',
    await session([
      'run -d --name box podplay/toolbox sleep 60',
      'exec box echo hi',
      'exec -e X=1 -w /etc box sh -c "printenv X; pwd"',
      ['exec -i box cat', { stdin: 'piped\n' }],
      'exec box sh -c "exit 3"',
      'exec box nope',
      'stop -t 0 box',
      'exec box echo hi',
      'rm box',
    ]),
  );
});

test('inspect: a container and an image as the daemon describes them, and templates', async () => {
  await golden(
    'inspect.txt',
    await session([
      'run --name insp -e MODE=demo podplay/crash 0',
      'inspect insp',
      'inspect podplay/crash',
      'inspect -f "{{.State.Status}} {{.State.ExitCode}} {{json .Config.Cmd}} {{.Name}}" insp',
      'image inspect -f "{{.Os}}/{{.Architecture}} {{.Size}} {{.RepoTags}}" podplay/crash',
      'inspect -f "{{.Name}}" insp nope',
    ]),
  );
});

test('history: the image config\'s history, newest first', async () => {
  await golden('history.txt', await session(['history podplay/crash', 'history -H=false podplay/crash', 'history -q podplay/crash', 'history --no-trunc podplay/toolbox']));
});

test('diff and commit: a container\'s changes, then an image of them with its history, author, message and --change', async () => {
  const before = await session(['run -q --name changer podplay/toolbox sh -c "mkdir -p /tmp/notes && echo kept > /tmp/notes/a && rm /etc/hostname"', 'diff changer']);
  const commit = await docker('commit -a "Ada <ada@example.com>" -m "notes added" -c "CMD cat /tmp/notes/a" -c "ENV STAGE=committed" changer notes:1');
  // The ID is the new config's digest, which holds the time of the commit: the transcript names it.
  const id = commit.stdout.trim();
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  assert.equal((await docker('inspect -f {{.Id}} notes:1')).stdout.trim(), id, 'the printed ID is the stored image\'s');
  const after = await session([
    'history notes:1',
    'inspect -f "{{.Author}} {{json .Config.Cmd}} {{json .Config.Env}}" notes:1',
    'run --rm notes:1',
    'run --name fresh notes:1 true',
    'diff fresh',
    'commit -c "ADD a /a" changer notes:2',
    'commit changer',
    'commit changer Notes',
    'diff nothing-here',
    'rm changer fresh',
  ]);
  await docker('rmi notes:1'); // the tables of later tests list no image of this one's
  // The layer's gzip holds the files' times too: its size varies by a byte or two.
  const named = (text: string) =>
    text
      .replaceAll(id, '<committed image ID>')
      .replaceAll(id.slice(7, 19), '<short ID>  ')
      .replace(/\b\d+B(?=\s+notes added)/, '<n>B');
  await golden('diff-commit.txt', named([before, commit.text, after].join('\n')));
});

test('rmi, save and load', async () => {
  await golden(
    'rmi-save-load.txt',
    await session([
      'rmi podplay/crash',
      'save -o primes.tar podplay/primes',
      'rmi podplay/primes',
      'rmi podplay/primes',
      'load -i primes.tar',
      'load -i missing.tar',
      'images podplay/primes',
    ]),
  );
});

test('system df', async () => {
  await golden('system-df.txt', await session(['system df']));
});

test('Ctrl-C kills an attached container and ends a follow', async () => {
  /** Runs a line and presses Ctrl-C once it has printed `lines` lines. */
  const interrupt = async (line: string, lines: number) => {
    const ac = new AbortController();
    const io = bufferIo(undefined, ac.signal);
    const out = io.out.bind(io);
    io.out = (text: string) => {
      out(text);
      if (io.stdout.split('\n').length > lines) ac.abort();
    };
    const code = await runDocker(splitWords(line).words, io, env);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };
  const attached = await interrupt('run --name tick podplay/ticker -interval 50ms', 2);
  assert.equal(attached.code, 137, attached.stderr);
  assert.match(attached.stdout, /^tick 1\ntick 2\n(tick \d+\n)*$/);
  const ps = await docker('ps -a -n 1');
  assert.match(ps.stdout, /Exited \(137\) .* ago\s+tick\n$/);
  assert.equal((await docker('run -d --name follow podplay/ticker -interval 50ms')).code, 0);
  const follow = await interrupt('logs -f follow', 3);
  assert.equal(follow.code, 0);
  assert.match(follow.stdout, /^tick 1\ntick 2\ntick 3\n(tick \d+\n)*$/);
  const removed = await docker('rm -f follow tick');
  assert.equal(removed.stdout, 'follow\ntick\n');
});

test('ps and images --format: a template per row, or a table with docker\'s headers', async () => {
  const started = await docker('run -d --name fmt podplay/ticker -interval 1s');
  assert.equal(started.code, 0, started.stderr);
  const names = await docker("ps --format '{{.Names}} {{.State}}'");
  assert.match(names.stdout, /^fmt running\n/m);
  const table = await docker("ps --format 'table {{.ID}}\\t{{.Names}}\\t{{.Status}}'");
  assert.match(table.stdout, /^CONTAINER ID\s+NAMES\s+STATUS\n[0-9a-f]{12}\s+fmt\s+Up /);
  const images = await docker("images --format 'table {{.Repository}}:{{.Tag}}\\t{{.ID}}'");
  assert.match(images.stdout, /^REPOSITORY:TAG\s+IMAGE ID\npodplay\/\w+:latest\s+[0-9a-f]{12}\n/);
  const json = await docker("images --format json");
  assert.equal(JSON.parse(json.stdout.split('\n')[0]!).Tag, 'latest');
  await docker('rm -f fmt');
});
