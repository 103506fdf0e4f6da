import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { expect, test } from '@playwright/test';

const DIST = join(import.meta.dirname, '../../dist');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** Serves the production build with only the given headers: a server that forgot isolation. */
function serve(headers: Record<string, string>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let path = join(DIST, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (path.endsWith('/')) path = join(path, 'index.html');
    if (!existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', ...headers });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

for (const [sent, missing] of [
  [{}, ['Cross-Origin-Opener-Policy: same-origin', 'Cross-Origin-Embedder-Policy: require-corp']],
  [{ 'Cross-Origin-Opener-Policy': 'same-origin' }, ['Cross-Origin-Embedder-Policy: require-corp']],
  [{ 'Cross-Origin-Embedder-Policy': 'require-corp' }, ['Cross-Origin-Opener-Policy: same-origin']],
] as const) {
  test(`without isolation the page names the missing header(s): ${missing.join(', ')}`, async ({ page }) => {
    const { server, url } = await serve(sent);
    try {
      await page.goto(url);
      const status = page.locator('#status');
      await expect(status).toHaveText(/not cross-origin isolated/);
      const text = await status.textContent();
      for (const h of missing) expect(text).toContain(h);
      for (const h of ['Cross-Origin-Opener-Policy', 'Cross-Origin-Embedder-Policy'].filter((h) => !missing.some((m) => m.startsWith(h)))) expect(text).not.toContain(h);
      await expect(page.locator('#run')).toBeDisabled();
    } finally {
      server.close();
    }
  });
}
