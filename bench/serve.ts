/**
 * The servers the browser benches load pages from, each its own process
 * group, stopped by {@link Server.close}: vite preview (the isolation
 * headers, as vite.config.ts sets them) and a plain static server (none).
 */
import { spawn } from 'node:child_process';

export interface Server {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): void;
}

/** Starts `command` and waits until `url` answers (any status). */
async function serve(command: string, args: string[], url: string): Promise<Server> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let exited = false;
  child.on('exit', () => (exited = true));
  const close = () => {
    if (!exited && child.pid) process.kill(-child.pid);
  };
  for (let waited = 0; ; waited += 100) {
    if (exited || waited > 60_000) {
      close();
      throw new Error(`${command} ${args.join(' ')} did not start serving ${url}: ${stderr.trim() || (exited ? 'it exited' : 'no answer in 60 s')}`);
    }
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      return { url, close };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** vite preview of a build folder, with vite.config.ts's isolation headers. */
export const vitePreview = (outDir: string, port: number) =>
  serve('npx', ['vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], `http://127.0.0.1:${port}`);

/** A folder as a plain static host serves it: no isolation headers, no caching rules. */
export const staticServer = (dir: string, port: number) =>
  serve('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], `http://127.0.0.1:${port}`);
