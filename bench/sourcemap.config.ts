/**
 * The production build with source maps, for bench/js-breakdown.ts:
 * `BENCH_OUT_DIR=<folder> vite build --config bench/sourcemap.config.ts`.
 * Everything else is vite.config.ts's.
 */
import { defineConfig, mergeConfig } from 'vite';
import config from '../vite.config.ts';

export default defineConfig((env) =>
  mergeConfig(config(env), { logLevel: 'warn', build: { sourcemap: true, outDir: process.env.BENCH_OUT_DIR ?? 'dist-sourcemap', emptyOutDir: true } }),
);
