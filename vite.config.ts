import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Cross-origin isolation: @wasmer/sdk needs SharedArrayBuffer, which needs both headers. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * @wasmer/sdk's worker and wasm import sibling files by relative URL, which
 * bundling breaks; ship its dist/ and pkg/ as they are, under wasmer-sdk/.
 */
function shipWasmerSdk(): Plugin {
  let outDir = 'dist';
  return {
    name: 'podplay-ship-wasmer-sdk',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle() {
      const sdk = here('./node_modules/@wasmer/sdk/');
      for (const dir of ['dist', 'pkg']) cpSync(`${sdk}${dir}`, `${outDir}/wasmer-sdk/${dir}`, { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.d.ts') });
    },
  };
}

/** Every file of a folder, as paths relative to it with `/`. */
function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(root, path) : [relative(root, path).split(sep).join('/')];
  });
}

/**
 * `podplay-files.json`: every file of the build and a version that changes
 * when any of them does. podplay-sw.js caches these files for offline use
 * and compares versions to tell that a new build is out.
 */
function fileList(): Plugin {
  let outDir = 'dist';
  return {
    name: 'podplay-file-list',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle: {
      order: 'post',
      handler() {
        const files = filesUnder(outDir).filter((f) => f !== 'podplay-files.json').sort();
        const hash = createHash('sha256');
        for (const f of files) hash.update(`${f}\0`).update(readFileSync(join(outDir, f))).update('\0');
        const list = { version: hash.digest('hex').slice(0, 16), files };
        writeFileSync(join(outDir, 'podplay-files.json'), JSON.stringify(list, null, 1) + '\n');
      },
    },
  };
}

/**
 * The playground page loads `./podplay.js`, the element's bundle, as any
 * docs page would; under the dev server that name is the entry's source.
 */
function devEntry(): Plugin {
  return {
    name: 'podplay-dev-entry',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0] !== '/podplay.js') return next();
        res.writeHead(302, { Location: '/src/podplay.ts' }).end();
      });
    },
  };
}

/** Pages that only tests and benchmarks load: built into their own folders, never into dist/. */
const EXTRA_PAGES: Record<string, Record<string, string>> = {
  test: { 'test-hook': here('./test/pages/hook.html') },
  bench: { bench: here('./bench/bench.html'), benchImages: here('./bench/images.html'), benchRuntime: here('./bench/runtime.html') },
};

/** Files that keep their names, for sites and tools that name them. */
const FIXED_NAMES: Record<string, string> = { podplay: 'podplay.js', 'podplay-sw': 'podplay-sw.js', 'podplay-node': 'assets/podplay-node.js' };

export default defineConfig(({ mode }) => ({
  // Relative URLs: the build works under any path (a docs site's /podplay/) without rebuilding.
  base: './',
  // One page, no SPA fallback: a missing file is a 404, as on any static host.
  appType: 'mpa',
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders, port: 4173 },
  optimizeDeps: { exclude: ['@wasmer/sdk'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: mode === 'test' ? 'dist-test' : mode === 'bench' ? 'dist-bench' : 'dist',
    // Chunks are shared by the page and the node workers; the preload helper reaches for `document`.
    modulePreload: false,
    rollupOptions: {
      // An app build drops its entries' exports; podplay.js is also the library's module.
      preserveEntrySignatures: 'exports-only',
      input: {
        main: here('./index.html'),
        podplay: here('./src/podplay.ts'),
        'podplay-node': here('./src/runtime/node-worker.ts'),
        'podplay-sw': here('./src/sw/podplay-sw.ts'),
        ...EXTRA_PAGES[mode],
      },
      output: {
        entryFileNames: (chunk) => FIXED_NAMES[chunk.name] ?? 'assets/[name]-[hash].js',
      },
    },
  },
  plugins: [devEntry(), shipWasmerSdk(), fileList()],
}));
