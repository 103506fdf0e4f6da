/**
 * docker tag, push, login and logout against real Distribution registries
 * (Debian's docker-registry): open, anonymous Bearer tokens (the shared
 * harness), htpasswd Basic auth, and a token service that checks
 * credentials as Docker Hub's does. What podplay pushed is read back by
 * skopeo (digests, and every blob by `skopeo copy`) and pulled back by
 * podplay into a clean store and run.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { runDocker } from '../../src/cli/docker/index.ts';
import { MemoryFiles, bufferIo, splitWords, type CliEnv } from '../../src/cli/index.ts';
import { formatPushEvent, loadImage, pushImage, type FetchFn, type PushEvent } from '../../src/oci/index.ts';
import { Sandbox } from '../../src/sandbox/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';
import { peerSkipReason } from '../helpers/peers.ts';
import { TestRegistry } from '../helpers/registry.ts';

const skip = peerSkipReason('docker-registry', 'skopeo', 'openssl');
const run = promisify(execFile);

/** The bundled layout from file: URLs, registries over HTTP (method, headers and body kept). */
const fetchAll: FetchFn = (url, init) => (url.startsWith('file:') ? fileFetch(url) : fetch(url, init));

const USER = 'podplay';
const PASSWORD = 's3cret-pass';
/** `htpasswd -nbB podplay s3cret-pass` (bcrypt, which Distribution's htpasswd needs). */
const HTPASSWD = 'podplay:$2y$05$Tp3FZqMaj1E34n/Sx.ZBfe128V1q3YVixEVvb/NF9pNqqFd1CfYfi\n';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * A docker-registry that asks for credentials: htpasswd (a Basic
 * challenge), or Bearer tokens from a token service here that gives pull
 * and push only to USER:PASSWORD, refuses a wrong password with Docker
 * Hub's `{"details": "incorrect username or password"}`, and gives
 * anonymous callers a token with no access.
 */
class AuthRegistry {
  host = '';
  tokenRequests: string[] = [];
  #proc: ChildProcess | undefined;
  #token: Server | undefined;

  private constructor(readonly dir: string) {}

  static async start(kind: 'basic' | 'token'): Promise<AuthRegistry> {
    const reg = new AuthRegistry(await mkdtemp(join(tmpdir(), `podplay-push-${kind}-`)));
    const port = await freePort();
    reg.host = `127.0.0.1:${port}`;
    let auth: string;
    if (kind === 'basic') {
      await writeFile(join(reg.dir, 'htpasswd'), HTPASSWD);
      auth = `auth:\n  htpasswd:\n    realm: podplay-test\n    path: ${join(reg.dir, 'htpasswd')}\n`;
    } else {
      const tokenPort = await freePort();
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(reg.dir, 'key.pem'), '-out', join(reg.dir, 'cert.pem'), '-days', '1', '-subj', '/CN=podplay-push-token'], { stdio: 'ignore' });
      const key = createPrivateKey(await readFile(join(reg.dir, 'key.pem')));
      const certDer = new X509Certificate(await readFile(join(reg.dir, 'cert.pem'))).raw;
      const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
      reg.#token = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        reg.tokenRequests.push(url.search);
        const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString() : undefined;
        if (basic !== undefined && basic !== `${USER}:${PASSWORD}`) {
          return void res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
        }
        const access = basic === undefined ? [] : url.searchParams.getAll('scope').map((s) => {
          const [type, ...rest] = s.split(':');
          const actions = rest.pop()!.split(',');
          return { type, name: rest.join(':'), actions };
        });
        const now = Math.floor(Date.now() / 1000);
        const header = { alg: 'ES256', typ: 'JWT', x5c: [certDer.toString('base64')] };
        const claims = { iss: 'podplay-push-issuer', sub: basic ? USER : '', aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
        const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
        const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `${input}.${b64url(sig)}` }));
      });
      await new Promise<void>((r) => reg.#token!.listen(tokenPort, '127.0.0.1', r));
      auth = `auth:\n  token:\n    realm: http://127.0.0.1:${tokenPort}/token\n    service: podplay-push-registry\n    issuer: podplay-push-issuer\n    rootcertbundle: ${join(reg.dir, 'cert.pem')}\n`;
    }
    await writeFile(join(reg.dir, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(reg.dir, 'data')}\nhttp:\n  addr: ${reg.host}\n${auth}`);
    const log = openSync(join(reg.dir, 'registry.log'), 'w');
    reg.#proc = spawn('docker-registry', ['serve', join(reg.dir, 'config.yml')], { stdio: ['ignore', log, log] });
    closeSync(log);
    for (let i = 0; ; i++) {
      const status = await fetch(`http://${reg.host}/v2/`).then((r) => r.status, () => 0);
      if (status === 401) break;
      if (i > 100 || reg.#proc.exitCode !== null) throw new Error(`docker-registry did not start: ${await readFile(join(reg.dir, 'registry.log'), 'utf8')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return reg;
  }

  async stop(): Promise<void> {
    this.#proc?.kill();
    if (this.#token) await new Promise<void>((r) => this.#token!.close(() => r()));
    await rm(this.dir, { recursive: true, force: true });
  }
}

let dir = '';
let sb: Sandbox;
let env: CliEnv;
let open: TestRegistry | undefined;
let tokens: TestRegistry | undefined;
let basic: AuthRegistry | undefined;
let hub: AuthRegistry | undefined;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podplay-push-'));
  sb = await Sandbox.create({ layoutUrl: layoutUrl(), store: { kind: 'directory', root: join(dir, 'store') }, fetch: fetchAll });
  env = { cluster: undefined as never, sandbox: async () => sb, files: new MemoryFiles(), fetch: (u) => fetchAll(u) };
  await sb.ensureImage('podplay/hello');
  await sb.ensureImage('podplay/toolbox');
  if (skip) return;
  [open, tokens, basic, hub] = await Promise.all([TestRegistry.start(), TestRegistry.start({ token: true }), AuthRegistry.start('basic'), AuthRegistry.start('token')]);
});

after(async () => {
  await sb?.dispose();
  for (const reg of [open, tokens, basic, hub]) await reg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function docker(line: string, opts: { stdin?: string; env?: CliEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIo(opts.stdin);
  const code = await runDocker(splitWords(line).words, io, opts.env ?? env);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** What docker push prints on a pipe for a fresh push of `ref` (top layer first), with `status` for each layer. */
async function pushLines(ref: string, registryRepo: string, status: (id: string) => string): Promise<string> {
  const image = await loadImage(sb.store, ref);
  const ids = [...image.manifest.layers].reverse().map((l) => l.digest.slice(7, 19));
  const size = (await sb.store.get(image.descriptor.digest)).byteLength;
  return [
    `The push refers to repository [${registryRepo}]`,
    ...ids.map((id) => `${id}: Preparing`),
    ...ids.map((id) => `${id}: ${status(id)}`),
    `${ref.slice(ref.lastIndexOf(':') + 1)}: digest: ${image.descriptor.digest} size: ${size}`,
    '',
  ].join('\n');
}

async function skopeoInspect(ref: string, creds?: string): Promise<{ Digest: string; Layers: string[] }> {
  const { stdout } = await run('skopeo', ['inspect', '--tls-verify=false', ...(creds ? ['--creds', creds] : []), `docker://${ref}`]);
  return JSON.parse(stdout) as { Digest: string; Layers: string[] };
}

test('docker tag and push to a real registry: skopeo reads back the same digests and blobs; a second push finds the layers; another repository mounts them', { skip }, async () => {
  const host = open!.host;
  assert.deepEqual(await docker(`tag podplay/hello ${host}/app:1`), { code: 0, stdout: '', stderr: '' });
  const hello = await loadImage(sb.store, 'podplay/hello');
  assert.equal((await loadImage(sb.store, `${host}/app:1`)).descriptor.digest, hello.descriptor.digest);

  const first = await docker(`push ${host}/app:1`);
  assert.equal(first.stderr, '');
  assert.equal(first.code, 0);
  assert.equal(first.stdout, await pushLines(`${host}/app:1`, `${host}/app`, () => 'Pushed'));

  const inspected = await skopeoInspect(`${host}/app:1`);
  assert.equal(inspected.Digest, hello.descriptor.digest);
  assert.deepEqual(inspected.Layers, hello.manifest.layers.map((l) => l.digest));
  // skopeo copy fetches and checks every blob against the manifest.
  await run('skopeo', ['--insecure-policy', 'copy', '--src-tls-verify=false', `docker://${host}/app:1`, `oci:${join(dir, 'copied')}:x`]);
  const index = JSON.parse(await readFile(join(dir, 'copied', 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  assert.equal(index.manifests[0]!.digest, hello.descriptor.digest);

  const again = await docker(`push ${host}/app:1`);
  assert.equal(again.stdout, await pushLines(`${host}/app:1`, `${host}/app`, () => 'Layer already exists'));

  await docker(`tag podplay/hello ${host}/team/other:2`);
  const mounted = await docker(`push ${host}/team/other:2`);
  assert.equal(mounted.code, 0, mounted.stderr);
  assert.equal(mounted.stdout, await pushLines(`${host}/team/other:2`, `${host}/team/other`, () => 'Mounted from app'));
  assert.equal((await skopeoInspect(`${host}/team/other:2`)).Digest, hello.descriptor.digest);
});

test('a blob bigger than the chunk size goes up in PATCH chunks with Content-Range, then a closing PUT', { skip }, async () => {
  // A registry none of whose repositories has the layer yet (podplay/hello shares it, and would be mounted from).
  const host = tokens!.host;
  await sb.tag('podplay/toolbox', `${host}/chunked:1`);
  const toolbox = await loadImage(sb.store, `${host}/chunked:1`);
  const biggest = Math.max(...toolbox.manifest.layers.map((l) => l.size));
  const chunkSize = Math.ceil(biggest / 5);
  const requests: string[] = [];
  const counting: FetchFn = (url, init) => {
    requests.push(`${init?.method ?? 'GET'} ${new Headers(init?.headers).get('content-range') ?? ''}`.trim());
    return fetch(url, init);
  };
  const events: PushEvent[] = [];
  const pushed = await pushImage(sb.store, `${host}/chunked:1`, { fetch: counting, chunkSize, onEvent: (e) => events.push(e) });
  assert.equal(pushed.digest, toolbox.descriptor.digest);
  const patches = requests.filter((r) => r.startsWith('PATCH'));
  assert.ok(patches.length >= 5, `chunked: ${requests.join(', ')}`);
  assert.ok(patches.includes(`PATCH 0-${chunkSize - 1}`) && patches.includes(`PATCH ${chunkSize}-${2 * chunkSize - 1}`), patches.join(', '));
  const big = toolbox.manifest.layers.find((l) => l.size === biggest)!;
  const progress = events.filter((e) => e.kind === 'layer' && e.id === big.digest.slice(7, 19) && e.status === 'Pushing');
  assert.deepEqual(progress.map((e) => (e as { current: number }).current).slice(0, 3), [0, chunkSize, 2 * chunkSize]);
  assert.equal(formatPushEvent(events.at(-1)!), `1: digest: ${toolbox.descriptor.digest} size: ${pushed.size}`);
  await run('skopeo', ['--insecure-policy', 'copy', '--src-tls-verify=false', `docker://${host}/chunked:1`, `oci:${join(dir, 'chunked')}:x`]);
  assert.equal((await skopeoInspect(`${host}/chunked:1`)).Digest, toolbox.descriptor.digest);
});

test("pushed images pull back into a clean store through podplay's own pull, and run", { skip }, async () => {
  const clean = await Sandbox.create({ layoutUrl: layoutUrl(), store: { kind: 'directory', root: join(dir, 'clean') }, fetch: fetchAll });
  try {
    const cleanEnv: CliEnv = { ...env, sandbox: async () => clean };
    const pulled = await docker(`pull ${open!.host}/app:1`, { env: cleanEnv });
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, / Pull complete\n/);
    const ran = await docker(`run --rm ${open!.host}/app:1`, { env: cleanEnv });
    assert.equal(ran.code, 0, ran.stderr);
    assert.match(ran.stdout, /Hello from podplay/);
  } finally {
    await clean.dispose();
  }
});

test('the anonymous Bearer-token flow asks for pull,push on the repository, and for pull on a mount source', { skip }, async () => {
  const host = tokens!.host;
  const before = tokens!.tokenRequests;
  await sb.tag('podplay/hello', `${host}/app:1`);
  const r = await docker(`push ${host}/app:1`);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(tokens!.tokenRequests > before);
  assert.equal((await skopeoInspect(`${host}/app:1`)).Digest, (await loadImage(sb.store, 'podplay/hello')).descriptor.digest);
  await sb.tag('podplay/hello', `${host}/copy:1`);
  const m = await docker(`push ${host}/copy:1`);
  assert.equal(m.stdout, await pushLines(`${host}/copy:1`, `${host}/copy`, () => 'Mounted from app'));
});

test('docker login against Basic auth: a wrong password in the daemon\'s words, the right one stored; push works until logout', { skip }, async () => {
  const host = basic!.host;
  await sb.tag('podplay/hello', `${host}/app:1`);
  const denied = await docker(`push ${host}/app:1`);
  assert.equal(denied.code, 1);
  assert.equal(denied.stderr, 'unauthorized: authentication required\n');

  const wrong = await docker(`login -u ${USER} -p wrong ${host}`);
  assert.equal(wrong.code, 1);
  assert.equal(wrong.stderr, `WARNING! Using --password via the CLI is insecure. Use --password-stdin.\nError response from daemon: login attempt to http://${host}/v2/ failed with status: 401 Unauthorized\n`);
  assert.equal(await sb.credentials.get(host), undefined);

  const ok = await docker(`login -u ${USER} --password-stdin ${host}`, { stdin: `${PASSWORD}\n` });
  assert.deepEqual(ok, { code: 0, stdout: 'Login Succeeded\n', stderr: '' });
  assert.deepEqual(await sb.credentials.get(host), { username: USER, password: PASSWORD });
  const again = await docker(`login ${host}`);
  assert.equal(again.stdout, 'Login Succeeded\n');
  assert.match(again.stderr, /^Authenticating with existing credentials\.\.\. \[Username: podplay\]\n/);

  const pushed = await docker(`push ${host}/app:1`);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.equal((await skopeoInspect(`${host}/app:1`, `${USER}:${PASSWORD}`)).Digest, (await loadImage(sb.store, 'podplay/hello')).descriptor.digest);

  assert.deepEqual(await docker(`logout ${host}`), { code: 0, stdout: `Removing login credentials for ${host}\n`, stderr: '' });
  assert.equal(await sb.credentials.get(host), undefined);
  await sb.tag('podplay/toolbox', `${host}/app:2`);
  const after = await docker(`push ${host}/app:2`);
  assert.equal(after.code, 1);
  assert.equal(after.stderr, 'unauthorized: authentication required\n');
});

test('docker login against a token service that checks credentials (as Docker Hub): refused with its words, then push with a token for pull,push', { skip }, async () => {
  const host = hub!.host;
  const wrong = await docker(`login -u ${USER} --password-stdin ${host}`, { stdin: 'nope\n' });
  assert.equal(wrong.code, 1);
  assert.equal(wrong.stderr, `Error response from daemon: Get "http://${host}/v2/": unauthorized: incorrect username or password\n`);

  await sb.tag('podplay/hello', `${host}/team/app:1`);
  const anonymous = await docker(`push ${host}/team/app:1`);
  assert.equal(anonymous.code, 1);
  assert.match(anonymous.stderr, /denied: requested access to the resource is denied/);

  assert.equal((await docker(`login -u ${USER} --password-stdin ${host}`, { stdin: PASSWORD })).stdout, 'Login Succeeded\n');
  hub!.tokenRequests = [];
  const pushed = await docker(`push ${host}/team/app:1`);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.ok(hub!.tokenRequests.some((q) => new URLSearchParams(q).getAll('scope').includes('repository:team/app:pull,push')), hub!.tokenRequests.join('\n'));
  assert.equal((await skopeoInspect(`${host}/team/app:1`, `${USER}:${PASSWORD}`)).Digest, (await loadImage(sb.store, 'podplay/hello')).descriptor.digest);
  await docker(`logout ${host}`);
});

test('docker push -a pushes every tag of the repository; -q prints only the name', { skip }, async () => {
  const host = open!.host;
  await sb.tag('podplay/hello', `${host}/multi:a`);
  await sb.tag('podplay/toolbox', `${host}/multi:b`);
  const r = await docker(`push -a ${host}/multi`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.match(/The push refers to repository/g)?.length, 1);
  assert.match(r.stdout, /\na: digest: sha256:[0-9a-f]{64} size: \d+\n/);
  assert.match(r.stdout, /\nb: digest: sha256:[0-9a-f]{64} size: \d+\n$/);
  assert.deepEqual(await docker(`push -q ${host}/multi:a`), { code: 0, stdout: `${host}/multi:a\n`, stderr: '' });
  assert.equal((await docker(`push -a ${host}/multi:a`)).stderr, "tag can't be used with --all-tags/-a\n");
});

test('push, tag and login refusals in docker\'s words; an unreachable registry says what a browser would need', async () => {
  const missing = await docker('push nosuch');
  assert.deepEqual(missing, {
    code: 1,
    stdout: 'Using default tag: latest\nThe push refers to repository [docker.io/library/nosuch]\n',
    stderr: 'An image does not exist locally with the tag: nosuch\n',
  });
  assert.deepEqual(await docker('push -q nosuch'), { code: 1, stdout: '', stderr: 'An image does not exist locally with the tag: nosuch\n' });
  await sb.tag('podplay/hello', 'localhost:5999/x:1');
  assert.equal((await docker('push localhost:5999/x:2')).stderr, 'tag does not exist: localhost:5999/x:2\n');

  const hubPush = await docker('push podplay/hello');
  assert.equal(hubPush.code, 1);
  assert.match(hubPush.stdout, /^Using default tag: latest\nThe push refers to repository \[docker\.io\/podplay\/hello\]\n[0-9a-f]{12}: Preparing\n/);
  assert.match(hubPush.stderr, /^denied: requested access to the resource is denied\npodplay's Docker Hub is its bundled image layout, which takes no pushes: /);

  assert.equal((await docker('tag nope x')).stderr, 'Error response from daemon: No such image: nope:latest\n');
  assert.equal((await docker('tag podplay/hello Bad')).stderr, 'Error parsing reference: "Bad" is not a valid repository/tag: invalid reference format: repository name (library/Bad) must be lowercase\n');
  assert.equal((await docker('tag podplay/hello x@sha256:' + '0'.repeat(64))).stderr, 'refusing to create a tag with a digest reference\n');
  assert.match((await docker('tag')).stderr, /^"docker tag" requires exactly 2 arguments\./);

  await sb.tag('podplay/hello', '127.0.0.1:9/app:1');
  const down = await docker('push 127.0.0.1:9/app:1');
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^could not reach http:\/\/127\.0\.0\.1:9 .*Access-Control-Allow-Methods: HEAD, GET, POST, PUT, PATCH, OPTIONS.*Expose-Headers: .*Location, Range/);

  assert.equal((await docker('login -u a --password-stdin -p b localhost:5999')).stderr, 'conflicting options: cannot specify both --password and --password-stdin\n');
  assert.equal((await docker('login --password-stdin localhost:5999')).stderr, 'the --password-stdin option requires --username to be set\n');
  assert.equal((await docker('login localhost:5999')).stderr, 'error: cannot perform an interactive login from a non-TTY device\n');
  assert.equal((await docker('logout localhost:5999')).stdout, 'Removing login credentials for localhost:5999\n');
});
