/**
 * A docs site as a site owner would publish it: the sample site
 * (examples/docs-site/), podplay's build copied under `podplay/`, and
 * `podplay-sw.js` copied to the site's root, served by a plain static
 * server with no headers of its own (`python3 -m http.server`), or by one
 * that sends the headers a test names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
export const DIST = join(ROOT, 'dist');
export const DOCS_SITE = join(ROOT, 'examples/docs-site');

export interface Site {
  dir: string;
  /** Adds or replaces a file of the site (a test's own page). */
  write(path: string, text: string): void;
  remove(): void;
}

/** The sample docs site with podplay's production build in it; `serviceWorker: false` leaves podplay-sw.js out of the root. */
export function assembleSite(options: { serviceWorker?: boolean } = {}): Site {
  if (!existsSync(join(DIST, 'podplay.js'))) throw new Error('dist/ is not built: run npm run build (npm run test:browser does)');
  const dir = mkdtempSync(join(tmpdir(), 'podplay-site-'));
  cpSync(DOCS_SITE, dir, { recursive: true });
  cpSync(DIST, join(dir, 'podplay'), { recursive: true });
  if (options.serviceWorker !== false) cpSync(join(DIST, 'podplay-sw.js'), join(dir, 'podplay-sw.js'));
  return {
    dir,
    write: (path, text) => writeFileSync(join(dir, path), text),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Served {
  url: string;
  stop(): Promise<void>;
}

/** `python3 -m http.server` on a free port of 127.0.0.1: a static host that sends no isolation headers. */
export async function servePlain(dir: string, host = '127.0.0.1'): Promise<Served> {
  const child: ChildProcess = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', host, '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('python3 -m http.server did not start in 10 s')), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('error', (err) => reject(new Error(`the plain static host is python3 -m http.server, and python3 did not start (${err.message}): install python3 (apt-get install python3)`)));
  });
  child.stderr!.resume();
  return {
    url: `http://${host}:${port}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.yaml': 'text/yaml' };

/** A static server that sends `headers` with every file (a host configured for isolation, or one that forgot part of it). */
export function serveWithHeaders(dir: string, headers: Record<string, string>, host = '127.0.0.1'): Promise<Served> {
  const server: Server = createServer((req, res) => {
    let path = join(dir, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) {
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', ...headers });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, host, () =>
      resolve({
        url: `http://${host}:${(server.address() as { port: number }).port}/`,
        stop: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      }),
    ),
  );
}

/** The isolation headers a host can send itself. */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
