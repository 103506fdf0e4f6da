import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Cross-origin isolation: @wasmer/sdk needs SharedArrayBuffer, which needs both headers. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

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
      const sdk = fileURLToPath(new URL('./node_modules/@wasmer/sdk/', import.meta.url));
      for (const dir of ['dist', 'pkg']) cpSync(`${sdk}${dir}`, `${outDir}/wasmer-sdk/${dir}`, { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.d.ts') });
    },
  };
}

export default defineConfig({
  // One page, no SPA fallback: a missing file is a 404, as on any static host.
  appType: 'mpa',
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders, port: 4173 },
  optimizeDeps: { exclude: ['@wasmer/sdk'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: { input: { main: fileURLToPath(new URL('./index.html', import.meta.url)), bench: fileURLToPath(new URL('./bench/bench.html', import.meta.url)), benchImages: fileURLToPath(new URL('./bench/images.html', import.meta.url)), benchRuntime: fileURLToPath(new URL('./bench/runtime.html', import.meta.url)) } },
  },
  plugins: [shipWasmerSdk()],
});
