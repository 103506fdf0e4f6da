/**
 * podplay as an npm package, used as a user would: `npm pack` (its prepack
 * builds dist/ and the type declarations), the tarball installed into a
 * scratch Vite app that imports { createSandbox, Cluster } from 'podplay',
 * type-checked with tsc and built with vite; then the Node entry and the
 * CLI from the same installed package. Takes a minute or two: one build,
 * one install (from npm's cache, which `npm ci` filled).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = await mkdtemp(join(tmpdir(), 'podplay-package-'));
const app = join(work, 'app');
after(() => rm(work, { recursive: true, force: true }));

/** What `npm pack --json` says of a tarball. */
interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
}

/** This process's environment without what `npm run`/`node --test` set for the repo (its prefix, its package, the test runner's context). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|userconfig|globalconfig|registry|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(/^npm_/i.test(k) && !keep.test(k)) && k !== 'INIT_CWD' && k !== 'NODE_TEST_CONTEXT'));
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], cwd: string, env?: Record<string, string>, timeout = 300_000) {
  const r = spawnSync(cmd, args, { cwd, env: cleanEnv(env), encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}

function ok(r: ReturnType<typeof run>, what: string) {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code}):\n${r.output.slice(-6000)}`);
}

/** The version the repo installed (so npm finds it in its cache). */
const version = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

let packed: Packed;
let tarball: string;

before(async () => {
  // npm pack runs prepack (vite build, then the declarations); its scripts' output shares stdout with the JSON.
  const pack = run('npm', ['pack', '--json', '--pack-destination', work], root, {}, 600_000);
  ok(pack, 'npm pack');
  const json = /^\[\s*\{[\s\S]*$/m.exec(pack.stdout);
  assert.ok(json, `npm pack printed no JSON:\n${pack.output.slice(-3000)}`);
  packed = (JSON.parse(json[0]) as Packed[])[0]!;
  tarball = join(work, packed.filename);

  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }, null, 2));
  const install = run(
    'npm',
    ['install', tarball, `vite@${version('vite')}`, `typescript@${version('typescript')}`, `@types/node@${version('@types/node')}`, '--prefer-offline', '--no-audit', '--no-fund'],
    app,
    {},
    600_000,
  );
  ok(install, 'npm install of the tarball');
});

test('the tarball has the build, the types, the Node entry and its sources, one copy of the images, and no test pages', (t) => {
  const files = packed.files.map((f) => f.path);
  t.diagnostic(`${packed.filename}: ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${files.length} files`);
  for (const f of [
    'package.json',
    'README.md',
    'dist/podplay.js',
    'dist/podplay-sw.js',
    'dist/podplay-files.json',
    'dist/assets/podplay-node.js',
    'dist/wasmer-sdk/dist/index.js',
    'dist/wasmer-sdk/pkg/wasmer_sdk_js_bg.wasm',
    'dist/images/oci-layout',
    'dist/images/index.json',
    'dist/types/podplay.d.ts',
    'dist/types/node.d.ts',
    'lib/node.mjs',
    'bin/podplay.mjs',
    'src/node.ts',
    'src/cli/node-main.ts',
    'src/runtime/node-worker-thread.mjs',
  ]) {
    assert.ok(files.includes(f), `the tarball lacks ${f}`);
  }
  // Every blob the bundled layout's index names is there (the layout is whole).
  const blobs = files.filter((f) => f.startsWith('dist/images/blobs/sha256/'));
  assert.ok(blobs.length >= 10, `only ${blobs.length} image blobs`);
  const strays = files.filter((f) => /^(public|test|bench|dist-test|dist-bench|wasm|scripts|examples|node_modules|\.ci|\.scratch)\//.test(f) || /test-hook|bench/i.test(f) || f.includes('/pages/'));
  assert.deepEqual(strays, [], 'test pages, benchmarks, the image sources or a second copy of the images in the tarball');

  // The browser entry is a module with the library's exports (an app build keeps none unless vite.config.ts says so).
  const entry = readFileSync(join(app, 'node_modules/podplay/dist/podplay.js'), 'utf8');
  assert.match(entry, /export\s*\{[^}]*\bcreateSandbox\b[^}]*\}/, "dist/podplay.js exports nothing: vite.config.ts's build.rollupOptions needs preserveEntrySignatures: 'exports-only'");
});

const MAIN_TS = `import { createSandbox, Cluster, type CreateSandboxOptions, type SandboxSession } from 'podplay';

const options: CreateSandboxOptions = { assetsUrl: '/podplay/', nodes: 2, persist: 'scratch' };
// @ts-expect-error nodes is a number: the types are podplay's, not any
const wrong: CreateSandboxOptions = { nodes: 'three' };
void wrong;

async function start(out: HTMLElement): Promise<SandboxSession> {
  const sandbox = await createSandbox(options);
  const cluster: Cluster = sandbox.cluster;
  const result = await sandbox.exec('kubectl get nodes');
  out.textContent = \`\${result.stdout}exit \${result.exitCode}, \${cluster.api.list('Node').items.length} nodes\`;
  return sandbox;
}

const out = document.querySelector<HTMLPreElement>('#out')!;
document.querySelector('#start')!.addEventListener('click', () => void start(out), { once: true });
console.log(Cluster.name);
`;

const INDEX_HTML = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>podplay in an app</title></head>
  <body><button id="start">Start</button><pre id="out"></pre><script type="module" src="/main.ts"></script></body>
</html>
`;

/** A Node script with the Node entry's types: createSandbox's Node options, the session it returns. */
const NODE_CHECK_TS = `import { createSandbox, podplayHome, type NodeSandboxOptions, type SandboxSession } from 'podplay';

const options: NodeSandboxOptions = { home: podplayHome(), persist: 'lesson', nodes: 1, images: ['./my-layout'] };
// @ts-expect-error assetsUrl is the browser entry's option
const wrong: NodeSandboxOptions = { assetsUrl: '/podplay/' };
void wrong;
export async function nodes(): Promise<string> {
  const sandbox: SandboxSession = await createSandbox(options);
  try {
    return (await sandbox.exec('kubectl get nodes')).stdout;
  } finally {
    await sandbox.dispose();
  }
}
`;

const tsconfig = (compilerOptions: Record<string, unknown>, include: string[]) =>
  JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, ...compilerOptions }, include }, null, 2);

test("a Vite app imports { createSandbox, Cluster } from 'podplay': tsc checks it against the package's types and vite builds it", async () => {
  await writeFile(join(app, 'index.html'), INDEX_HTML);
  await writeFile(join(app, 'main.ts'), MAIN_TS);
  await writeFile(join(app, 'node-check.ts'), NODE_CHECK_TS);
  // The app's own check is Vite's template's, without @types/node; lib checking on. (@wasmer/sdk's declarations use Symbol.dispose.)
  await writeFile(join(app, 'tsconfig.json'), tsconfig({ module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable', 'ESNext.Disposable'], types: [] }, ['main.ts']));
  // A Node project's usual check (@tsconfig/node20's): skipLibCheck, since podplay's declarations name WebAssembly's types, which only TypeScript's DOM lib declares.
  await writeFile(join(app, 'tsconfig.node.json'), tsconfig({ module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: ['node'], skipLibCheck: true }, ['node-check.ts']));
  ok(run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], app), 'tsc on the app (browser entry types)');
  ok(run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.node.json'], app), 'tsc on a Node script (Node entry types)');

  // The app serves podplay's build folder as /podplay/ (what assetsUrl names), as its docs say.
  const served = join(app, 'public/podplay');
  cpSync(join(app, 'node_modules/podplay/dist'), served, { recursive: true });
  rmSync(join(served, 'types'), { recursive: true, force: true });
  const build = run(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], app);
  ok(build, 'vite build of the app');

  const out = join(app, 'dist');
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  const script = /<script type="module"[^>]*src="\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script, `no module script in the built index.html:\n${html}`);
  const js = readdirSync(join(out, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(out, 'assets', f), 'utf8'))
    .join('\n');
  assert.ok(js.includes('podplay-sandbox'), "the app's bundle lacks the <podplay-sandbox> element");
  assert.ok(js.includes('podplay cannot find its files'), "the app's bundle lacks createSandbox()");
  assert.ok(js.includes('kubectl get nodes'), "the app's bundle lacks the app's own code");
  for (const f of ['podplay/podplay.js', 'podplay/podplay-sw.js', 'podplay/assets/podplay-node.js', 'podplay/images/index.json', 'podplay/wasmer-sdk/pkg/wasmer_sdk_js_bg.wasm']) {
    assert.ok(existsSync(join(out, f)), `the app's build lacks ${f}`);
  }
});

test("Node: import from 'podplay' runs kubectl with no TypeScript loader left behind, and the package's CLI runs a container", async () => {
  const home = join(work, 'home');
  await writeFile(join(app, 'enum.ts'), 'enum Answer { Yes }\nexport const answer: number = Answer.Yes;\n');
  await writeFile(
    join(app, 'check.mjs'),
    `import { createSandbox, layoutUrl } from 'podplay';
const sandbox = await createSandbox({ nodes: 1 });
const nodes = await sandbox.exec('kubectl get nodes');
await sandbox.dispose();
// Only podplay's files go through tsx: a TypeScript file of the app's own is not compiled.
let tsLoader = true;
try { await import('./enum.ts'); } catch { tsLoader = false; }
// The build folder an app serves, found through the package's ./dist/* export.
const serviceWorker = import.meta.resolve('podplay/dist/podplay-sw.js');
console.log(JSON.stringify({ nodes, tsLoader, layout: layoutUrl(), serviceWorker }));
`,
  );
  const check = run(process.execPath, ['check.mjs'], app, { PODPLAY_HOME: home }, 120_000);
  ok(check, 'node check.mjs');
  const result = JSON.parse(check.stdout.trim().split('\n').at(-1)!) as { nodes: { stdout: string; exitCode: number }; tsLoader: boolean; layout: string; serviceWorker: string };
  assert.equal(result.nodes.exitCode, 0);
  assert.match(result.nodes.stdout, /\nnode-1\s+Ready\s/);
  assert.equal(result.tsLoader, false, 'importing podplay left a TypeScript loader in the process');
  assert.match(result.layout, /node_modules\/podplay\/dist\/images$/);
  assert.match(result.serviceWorker, /node_modules\/podplay\/dist\/podplay-sw\.js$/);

  const cli = run(process.execPath, ['node_modules/podplay/bin/podplay.mjs', 'run', 'podplay/hello', 'package'], app, { PODPLAY_HOME: home }, 120_000);
  ok(cli, 'podplay run podplay/hello');
  assert.match(cli.stdout, /^Hello from podplay, package!\n/);
});
