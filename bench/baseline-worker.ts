/** Bench only: runs the raw @wasmer/sdk baseline in its own worker, as podplay's node worker runs containers. */
import * as Comlink from 'comlink';
import { setAssetsBase } from '../src/shared/index.ts';
import { createBaselineRunner } from '../src/wasi/index.ts';

let runner: Awaited<ReturnType<typeof createBaselineRunner>> | undefined;
Comlink.expose({
  /** `assets`: podplay's build folder, where the SDK is shipped (a worker cannot tell it from its own URL). */
  async init(wasm: Uint8Array, files: Record<string, Uint8Array>, assets: string) {
    setAssetsBase(assets);
    runner = await createBaselineRunner(wasm, files);
  },
  async time(args: string[], env: Record<string, string>): Promise<{ ms: number; exitCode: number; stdout: string }> {
    const t0 = performance.now();
    const out = await runner!.run(args, env);
    return { ms: performance.now() - t0, ...out };
  },
});
