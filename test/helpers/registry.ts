import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';

/** CORS headers a registry needs to serve a browser's pulls and pushes (what podplay's CorsRefused error asks for). */
const CORS_HEADERS = `  headers:
    Access-Control-Allow-Origin: ['*']
    Access-Control-Allow-Methods: [HEAD, GET, OPTIONS, POST, PUT, PATCH]
    Access-Control-Allow-Headers: [Authorization, Accept, Content-Type, Content-Range]
    Access-Control-Expose-Headers: [Docker-Content-Digest, WWW-Authenticate, Location, Range, Docker-Upload-UUID]
`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * A real Distribution registry (Debian's docker-registry) on 127.0.0.1 with
 * CORS headers, optionally behind anonymous Bearer-token auth served by a
 * small token service here (ES256 JWTs whose x5c certificate is the
 * registry's root bundle), as Docker Hub works for public images.
 */
export class TestRegistry {
  /** Where clients reach it: the registry itself, or its CORS front when it has one. */
  host: string;
  tokenRequests = 0;
  #proc: ChildProcess | undefined;
  #tokenServer: Server | undefined;
  #front: Server | undefined;
  /** The registry's own address (the same as host unless there is a front). */
  registryHost: string;
  #dir: string;

  private constructor(host: string, dir: string) {
    this.host = host;
    this.registryHost = host;
    this.#dir = dir;
  }

  static async start(options: { cors?: boolean; token?: boolean; corsFront?: boolean } = {}): Promise<TestRegistry> {
    const dir = await mkdtemp(join(tmpdir(), 'podplay-registry-'));
    const port = await freePort();
    const reg = new TestRegistry(`127.0.0.1:${port}`, dir);
    let auth = '';
    if (options.token) {
      const tokenPort = await freePort();
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=podplay-test-token'], { stdio: 'ignore' });
      const key = createPrivateKey(await readFile(join(dir, 'key.pem')));
      const certDer = new X509Certificate(await readFile(join(dir, 'cert.pem'))).raw;
      reg.#tokenServer = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        res.setHeader('Access-Control-Allow-Origin', '*');
        if (url.pathname !== '/token') return void res.writeHead(404).end();
        reg.tokenRequests++;
        // Anonymous callers get pull and push on whatever repository they ask for: a test registry.
        const access = url.searchParams.getAll('scope').map((s) => {
          const [type, ...rest] = s.split(':');
          const actions = rest.pop()!.split(',');
          return { type, name: rest.join(':'), actions };
        });
        const now = Math.floor(Date.now() / 1000);
        const header = { alg: 'ES256', typ: 'JWT', x5c: [certDer.toString('base64')] };
        const claims = { iss: 'podplay-test-issuer', sub: '', aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
        const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
        const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `${input}.${b64url(sig)}` }));
      });
      await new Promise<void>((r) => reg.#tokenServer!.listen(tokenPort, '127.0.0.1', r));
      auth = `auth:
  token:
    realm: http://127.0.0.1:${tokenPort}/token
    service: podplay-test-registry
    issuer: podplay-test-issuer
    rootcertbundle: ${join(dir, 'cert.pem')}
`;
    }
    const config = `version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
http:
  addr: 127.0.0.1:${port}
${options.cors === false || options.corsFront ? '' : CORS_HEADERS}${auth}`;
    await writeFile(join(dir, 'config.yml'), config);
    // Its log goes to a file: a pipe would fill while a synchronous skopeo push blocks this thread, and stall the registry.
    const log = openSync(join(dir, 'registry.log'), 'w');
    reg.#proc = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', log, log] });
    closeSync(log);
    for (let i = 0; ; i++) {
      try {
        const res = await fetch(`http://${reg.host}/v2/`);
        if (res.status === 200 || res.status === 401) break;
      } catch {
        // not listening yet
      }
      if (i > 100 || reg.#proc.exitCode !== null) throw new Error(`docker-registry did not start: ${await readFile(join(dir, 'registry.log'), 'utf8')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (options.corsFront) await reg.#startFront();
    return reg;
  }

  /**
   * A CORS front, as a registry that serves browsers with auth is deployed
   * (docker-registry 2.8 answers OPTIONS with 401 when auth is on, which
   * fails every preflight): it answers preflights itself and passes every
   * other request to the registry unchanged.
   */
  async #startFront(): Promise<void> {
    const upstream = this.host;
    const port = await freePort();
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'HEAD, GET, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Accept',
      'Access-Control-Expose-Headers': 'Docker-Content-Digest, WWW-Authenticate',
    };
    this.#front = createServer(async (req, res) => {
      if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
      const headers: Record<string, string> = {};
      for (const h of ['authorization', 'accept']) if (req.headers[h]) headers[h] = String(req.headers[h]);
      const up = await fetch(`http://${upstream}${req.url}`, { method: req.method, headers, redirect: 'manual' });
      const out: Record<string, string> = { ...cors };
      up.headers.forEach((v, k) => (out[k] = v));
      delete out['content-encoding'];
      delete out['transfer-encoding'];
      res.writeHead(up.status, out).end(Buffer.from(await up.arrayBuffer()));
    });
    await new Promise<void>((r) => this.#front!.listen(port, '127.0.0.1', r));
    this.host = `127.0.0.1:${port}`;
    this.registryHost = upstream;
  }

  /**
   * `skopeo copy` an image into this registry (plain HTTP, anonymous token
   * when auth is on). Asynchronous: the token service answers from this thread.
   */
  async push(from: string, repoTag: string): Promise<void> {
    await promisify(execFile)('skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false', from, `docker://${this.registryHost}/${repoTag}`]);
  }

  async stop(): Promise<void> {
    this.#proc?.kill();
    for (const srv of [this.#tokenServer, this.#front]) if (srv) await new Promise<void>((r) => srv.close(() => r()));
    await rm(this.#dir, { recursive: true, force: true });
  }
}
