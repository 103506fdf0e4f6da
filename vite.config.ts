import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, minifySync, parseSync, Visitor, type ESTree, type Plugin } from 'vite';

/** Cross-origin isolation: @wasmer/sdk needs SharedArrayBuffer, which needs both headers. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * @wasmer/sdk's files a browser can load, by path in the package: its
 * browser entry, then every file it or those files name by a literal relative
 * specifier (`import`, `export … from`, `import("…")`, `new URL("…",
 * import.meta.url)`: the worker script, the wasm-bindgen glue the worker
 * imports by the URL the page gives it, the wasm). The Node entry, its worker
 * and the service-worker host are never among them.
 */
const SDK_ENTRY = 'dist/index.js';

/**
 * Files the crawl reaches but podplay never loads, and why. A new entry here
 * needs a reason that holds for every sandbox podplay creates.
 */
const SDK_NEVER_LOADED: Record<string, string> = {
  // Only sandboxes created with `network: { mode: 'wisp' }` import it (podplay's are 'disabled', see src/wasi/);
  // it imports @mercuryworkshop/wisp-js by a bare name, which no browser resolves in these unbundled files.
  'dist/wisp-network.js': 'WISP networking',
};

/** The relative specifiers a module names literally (imports, re-exports, `import("…")`, `new URL("…", import.meta.url)`). */
function relativeSpecifiers(file: string, code: string): string[] {
  const { program, errors } = parseSync(file, code, { sourceType: 'module' });
  if (errors.length) throw new Error(`${file}: ${errors[0]!.message}`);
  const found: string[] = [];
  const literal = (node: ESTree.Node | null | undefined) => {
    if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
    if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]!.value.cooked ?? undefined;
    return undefined;
  };
  const add = (spec: string | undefined) => {
    if (spec === undefined) return;
    if (!spec.startsWith('./') && !spec.startsWith('../')) throw new Error(`${file} imports "${spec}", which a browser cannot resolve in an unbundled copy`);
    found.push(spec);
  };
  // A URL's path needs no `./` (`new URL("x.wasm", import.meta.url)`); one with a scheme or from the root is no file of the package.
  const addUrl = (spec: string | undefined) => {
    if (spec !== undefined && !/^[a-z][a-z0-9+.-]*:|^\//i.test(spec)) add(spec.startsWith('.') ? spec : `./${spec}`);
  };
  new Visitor({
    ImportDeclaration: (n) => add(literal(n.source)),
    ExportNamedDeclaration: (n) => add(literal(n.source)),
    ExportAllDeclaration: (n) => add(literal(n.source)),
    ImportExpression: (n) => add(literal(n.source)),
    NewExpression: (n) => {
      const [spec, base] = n.arguments;
      const isMetaUrl = base?.type === 'MemberExpression' && base.object.type === 'MetaProperty' && base.property.type === 'Identifier' && base.property.name === 'url';
      if (n.callee.type === 'Identifier' && n.callee.name === 'URL' && isMetaUrl) addUrl(literal(spec as ESTree.Node));
    },
  }).visit(program);
  return found.sort();
}

/**
 * @wasmer/sdk's worker and wasm import sibling files by relative URL, which
 * bundling breaks; ship them unbundled under wasmer-sdk/, keeping the
 * package's layout: only the files a browser can load (see {@link SDK_ENTRY}),
 * the JS minified (each file on its own, as a module: names, specifiers and
 * `import.meta.url` stay), the licences beside them.
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
      const out = (path: string) => join(outDir, 'wasmer-sdk', path);
      const shipped = new Set<string>();
      const queue = [SDK_ENTRY];
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        if (shipped.has(path) || path in SDK_NEVER_LOADED) continue;
        shipped.add(path);
        mkdirSync(dirname(out(path)), { recursive: true });
        if (!/\.m?js$/.test(path)) {
          copyFileSync(join(sdk, path), out(path));
          continue;
        }
        const code = readFileSync(join(sdk, path), 'utf8');
        const specifiers = relativeSpecifiers(path, code);
        const min = minifySync(path, code, { module: true, compress: { target: 'es2022' }, mangle: { keepNames: true } });
        if (min.errors.length) throw new Error(`${path}: ${min.errors[0]!.message}`);
        // What the browser follows must survive minifying unchanged.
        if (relativeSpecifiers(path, min.code).join() !== specifiers.join()) throw new Error(`${path}: minifying changed the files it names`);
        writeFileSync(out(path), min.code);
        for (const spec of specifiers) queue.push(posix.join(posix.dirname(path), spec));
      }
      // The SDK's licence, and any licence file beside a shipped file (acorn.LICENSE).
      copyFileSync(join(sdk, 'LICENSE'), out('LICENSE'));
      for (const dir of new Set([...shipped].map((p) => posix.dirname(p)))) {
        for (const name of readdirSync(join(sdk, dir)).filter((n) => /LICEN[CS]E/i.test(n))) copyFileSync(join(sdk, dir, name), out(posix.join(dir, name)));
      }
    },
  };
}

/** Where the build puts kubectl explain's field tree; src/cli/kubectl/explain/schema.ts fetches it from there. */
const EXPLAIN_SCHEMA_PATH = 'assets/kubectl-explain.json';

/**
 * kubectl explain's field tree (src/cli/kubectl/explain/schema.json) as a
 * file of the build, without its indentation: data the page fetches when
 * `kubectl explain` first runs, not JS every page loads.
 */
function shipExplainSchema(): Plugin {
  const source = here('./src/cli/kubectl/explain/schema.json');
  return {
    name: 'podplay-explain-schema',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: EXPLAIN_SCHEMA_PATH, source: JSON.stringify(JSON.parse(readFileSync(source, 'utf8'))) });
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
 * when any of them does. podplay-sw.js caches `files` for offline use once
 * a page has booted, and `lazy` ones (image blobs past {@link LAZY_BYTES}:
 * the client-go images' layer) only when a page first fetches them; it
 * compares versions to tell that a new build is out.
 */
const LAZY_BYTES = 4 * 1024 * 1024;

/**
 * dockerfile-ast checks for a byte-order mark with Node's Buffer, which a
 * browser lacks: the same check with TextEncoder, the one change to it.
 */
function dockerfileAstInBrowsers(): Plugin {
  return {
    name: 'podplay-dockerfile-ast-browser',
    transform(code, id) {
      if (!/dockerfile-ast[\\/]lib[\\/]util\.js$/.test(id)) return null;
      const fixed = code.replace('Uint8Array.from(Buffer.from(char, "UTF-8"))', 'new TextEncoder().encode(char)');
      if (fixed === code) this.error('dockerfile-ast changed: its Buffer use in lib/util.js was not found (see vite.config.ts)');
      return { code: fixed, map: null };
    },
  };
}

/** The shipped courses (lessons/) are served beside the pages, as Markdown files a static host serves. */
function shipLessons(): Plugin {
  let outDir = 'dist';
  return {
    name: 'podplay-ship-lessons',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle() {
      cpSync(here('./lessons'), join(outDir, 'lessons'), { recursive: true });
    },
  };
}

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
        const all = filesUnder(outDir).filter((f) => f !== 'podplay-files.json').sort();
        const hash = createHash('sha256');
        for (const f of all) hash.update(`${f}\0`).update(readFileSync(join(outDir, f))).update('\0');
        const lazy = all.filter((f) => f.startsWith('images/blobs/') && statSync(join(outDir, f)).size > LAZY_BYTES);
        const list = { version: hash.digest('hex').slice(0, 16), files: all.filter((f) => !lazy.includes(f)), lazy };
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
  bench: { bench: here('./bench/bench.html'), benchImages: here('./bench/images.html'), benchRuntime: here('./bench/runtime.html'), benchMap: here('./bench/map.html'), benchGo: here('./bench/go.html') },
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
        scheduler: here('./scheduler.html'),
        lesson: here('./lesson.html'),
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
  // @balena/dockerignore (the .dockerignore matcher) uses Node's path module: path-browserify is its browser twin.
  resolve: { alias: { path: 'path-browserify' } },
  plugins: [devEntry(), shipWasmerSdk(), shipExplainSchema(), shipLessons(), fileList(), dockerfileAstInBrowsers()],
}));
