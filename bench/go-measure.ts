/**
 * What `npm run bench -- go` measures, the same in Node and in a page
 * (bench/go-bench.ts drives both):
 *  - podplay: `go build` in a podplay/golang container, each build timed by
 *    the output events of markers echoed around it (their times are taken
 *    in the node worker, so the page's messaging is not counted); the
 *    container's memory (its processes' wasm memories together) sampled
 *    while it runs, for the peak;
 *  - raw: the same compile and link commands of the same files straight
 *    through @wasmer/sdk (one SDK sandbox holding the source, the standard
 *    library archives the program needs and an importcfg), no podplay in
 *    between: no go command, no image filesystem, no cache.
 */
import type { PulledImage } from '../src/oci/index.ts';
import { readLayer } from '../src/oci/index.ts';
import type { OutputEvent, Sandbox } from '../src/sandbox/index.ts';
import { createBaselineSandbox } from '../src/wasi/index.ts';

/** A Go program's files by path (go.mod, main.go, …). */
export type GoFiles = Record<string, string>;

/** One timed `go build`: what it was, its wall time in the node worker, and its exit status. */
export interface GoBuild {
  label: string;
  ms: number;
  status: number;
}

export interface PodplayRun {
  builds: GoBuild[];
  /** The most memory the container's processes held at once (sampled every 100 ms). */
  peakBytes: number;
  /** What the builds printed (for a failed bench's message). */
  output: string;
}

const MARK = '@@go-bench';

/**
 * A sh script that builds `dir` as labelled: `first`, then `unchanged`
 * (nothing edited: every action from the build cache), then `changes`
 * builds each after one line is added to `edit` (that package and the link
 * run again).
 */
export function buildScript(dir: string, name: string, edit: string, changes: number): string {
  const build = (label: string) => `echo ${MARK} start ${name}:${label}; go build -o /tmp/${name}.wasm .; echo ${MARK} end $?`;
  const lines = [`cd ${dir}`, build('first'), build('unchanged')];
  for (let i = 1; i <= changes; i++) lines.push(`echo '// change ${i}' >> ${edit}`, build('changed'));
  return lines.join('\n');
}

/** Runs `script` in a podplay/golang container holding `files` (absolute paths), and reads the marked builds off its output. */
export async function podplayBuilds(sandbox: Sandbox, files: Record<string, string>, script: string): Promise<PodplayRun> {
  const builds: GoBuild[] = [];
  let output = '';
  let pending = '';
  let open: { label: string; at: number } | undefined;
  const onOutput = (e: OutputEvent) => {
    const text = new TextDecoder().decode(e.data);
    output += text;
    if (e.type !== 'stdout') return;
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const m = line.match(new RegExp(`^${MARK} (start|end) (\\S+)`));
      if (!m) continue;
      if (m[1] === 'start') open = { label: m[2]!, at: e.time };
      else if (open) {
        builds.push({ label: open.label, ms: e.time - open.at, status: Number(m[2]) });
        open = undefined;
      }
    }
  };
  const handle = await sandbox.run('podplay/golang', { command: ['sh', '-c', script], files, onOutput, timeoutMs: 900_000 });
  let peakBytes = 0;
  let sampling = true;
  const sample = (async () => {
    while (sampling) {
      const usage = await sandbox.node.usage();
      peakBytes = Math.max(peakBytes, usage.containers[handle.id]?.memoryBytes ?? 0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const result = await handle.result;
  sampling = false;
  await sample;
  if (result.exitCode !== 0 || builds.some((b) => b.status !== 0)) throw new Error(`go build in podplay failed (exit ${result.exitCode}):\n${output}`);
  return { builds, peakBytes, output };
}

const GOROOT = 'usr/local/go';
const TOOLS = `${GOROOT}/pkg/tool/wasip1_wasm/`;
const STD = `${GOROOT}/pkg/wasip1_wasm/`;

/**
 * compile and link of podplay/golang, and the standard library archives of
 * `deps` (import paths; `unsafe` is the compiler's own and has none), read
 * out of the stored image's layers.
 */
export async function toolchainFiles(sandbox: Sandbox, image: PulledImage, deps: readonly string[]): Promise<{ compile: Uint8Array; link: Uint8Array; archives: Record<string, Uint8Array> }> {
  const packages = deps.filter((p) => p !== 'unsafe');
  const wanted = new Set(packages.map((p) => `${STD}${p}.a`));
  const found: Record<string, Uint8Array> = {};
  for (const [i, desc] of image.manifest.layers.entries()) {
    const layer = await readLayer(await sandbox.store.get(desc.digest), desc, i);
    for (const e of layer.entries) {
      const name = e.name.replace(/^\.?\//, '');
      if (e.data && (wanted.has(name) || name.startsWith(TOOLS))) found[name] = e.data;
    }
  }
  const compile = found[`${TOOLS}compile`];
  const link = found[`${TOOLS}link`];
  if (!compile || !link) throw new Error('podplay/golang holds no compile or link');
  const archives: Record<string, Uint8Array> = {};
  for (const p of packages) {
    const a = found[`${STD}${p}.a`];
    if (!a) throw new Error(`podplay/golang holds no archive for ${p}`);
    archives[p] = a;
  }
  return { compile, link, archives };
}

/**
 * Raw compile + link of one main package's `sources` (file name → text),
 * `runs` times, through @wasmer/sdk alone: the same flags podplay's go
 * command gives the tools (`go build -x` shows them). ms per run; the first
 * run (the SDK compiling the tools' modules) is returned apart.
 */
export async function rawBuilds(tools: { compile: Uint8Array; link: Uint8Array; archives: Record<string, Uint8Array> }, sources: Record<string, string>, runs: number): Promise<{ first: number; runs: number[] }> {
  const enc = new TextEncoder();
  // The SDK's sandbox filesystem takes files under /workspace only.
  const W = '/workspace';
  const files: Record<string, Uint8Array> = {};
  const cfg: string[] = [];
  for (const [p, bytes] of Object.entries(tools.archives)) {
    files[`${W}/std/${p}.a`] = bytes;
    cfg.push(`packagefile ${p}=${W}/std/${p}.a`);
  }
  files[`${W}/work/importcfg`] = enc.encode(cfg.join('\n') + '\n');
  for (const [name, text] of Object.entries(sources)) files[`${W}/src/${name}`] = enc.encode(text);
  const sb = await createBaselineSandbox({ compile: tools.compile, link: tools.link }, files);
  try {
    const once = async () => {
      const t0 = performance.now();
      const c = await sb.run('compile', ['-o', `${W}/work/main.a`, '-trimpath', `${W}/src=>`, '-p', 'main', '-lang=go1.26', '-complete', '-dwarf=false', '-c=1', '-nolocalimports', '-importcfg', `${W}/work/importcfg`, '-pack', ...Object.keys(sources).map((n) => `${W}/src/${n}`)], `${W}/src`);
      if (c.exitCode !== 0) throw new Error(`raw compile exited ${c.exitCode}: ${c.stderr}`);
      const l = await sb.run('link', ['-o', `${W}/work/main.wasm`, '-importcfg', `${W}/work/importcfg`, '-buildmode=exe', `${W}/work/main.a`], `${W}/work`);
      if (l.exitCode !== 0) throw new Error(`raw link exited ${l.exitCode}: ${l.stderr}`);
      return performance.now() - t0;
    };
    const first = await once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await once());
    return { first, runs: times };
  } finally {
    await sb.close();
  }
}
