/**
 * Go bench page (bench/go-bench.ts drives it): one Sandbox over IndexedDB,
 * podplay/golang pulled from the bundled layout (timed: window.benchReady
 * says how long), window.benchGo to run a build script in a podplay/golang
 * container and window.benchRaw for the same compile and link straight
 * through @wasmer/sdk (bench/go-measure.ts).
 */
import { Sandbox, BROWSER_STORE } from '../src/sandbox/index.ts';
import { assetUrl, setAssetsBase } from '../src/shared/index.ts';
import { podplayBuilds, rawBuilds, toolchainFiles } from './go-measure.ts';

// This page is built into dist-bench/bench/: podplay's build folder is the one above.
setAssetsBase(new URL('../', location.href));

type BenchWindow = {
  benchReady?: { pullMs: number } | { error: string };
  benchGo(a: { files: Record<string, string>; script: string }): ReturnType<typeof podplayBuilds>;
  benchRaw(a: { deps: string[]; sources: Record<string, string>; runs: number }): ReturnType<typeof rawBuilds>;
};
const w = window as unknown as BenchWindow;

try {
  const sandbox = await Sandbox.create({ layoutUrl: assetUrl('images'), store: BROWSER_STORE, nodeName: 'bench-go' });
  const t0 = performance.now();
  const image = await sandbox.pull('podplay/golang');
  const pullMs = performance.now() - t0;
  w.benchGo = ({ files, script }) => podplayBuilds(sandbox, files, script);
  w.benchRaw = async ({ deps, sources, runs }) => rawBuilds(await toolchainFiles(sandbox, image, deps), sources, runs);
  w.benchReady = { pullMs };
  document.getElementById('out')!.textContent = 'ready';
} catch (err) {
  w.benchReady = { error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) };
}
