/**
 * Loads @wasmer/sdk for the platform this code runs on. In a Vite production
 * build the SDK is shipped unbundled under `wasmer-sdk/` in the build's folder
 * (its worker and wasm import sibling files by relative URL, which bundling
 * breaks; see shared/assets.ts for how the folder is found); in
 * dev the package is served as is; in Node the SDK's Node entry is used, with
 * the worker bridge the SDK leaves out there. In both, the SDK's worker
 * threads run the usage probe first (see sdk-workers.ts).
 */
import type * as Sdk from '@wasmer/sdk';
import { assetUrl, importNodeOnly } from '../shared/index.ts';
import { installSdkWorkers } from './sdk-workers.ts';

export type WasmerSdk = typeof Sdk;

export const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

let loading: Promise<WasmerSdk> | undefined;

/**
 * `usageProbe: false` leaves the SDK's browser workers as the SDK makes them
 * (the bench's raw baseline); the first call in a thread decides.
 */
export function loadSdk(options: { usageProbe?: boolean } = {}): Promise<WasmerSdk> {
  return (loading ??= (async () => {
    if (isNode) {
      await installSdkWorkers(true);
      return importNodeOnly<WasmerSdk>('@wasmer/sdk/node');
    }
    if (options.usageProbe !== false) await installSdkWorkers(false);
    if (import.meta.env?.PROD) {
      const url = assetUrl('wasmer-sdk/dist/index.js');
      return (await import(/* @vite-ignore */ url)) as WasmerSdk;
    }
    return (await import('@wasmer/sdk/browser')) as unknown as WasmerSdk;
  })());
}

/** Where the SDK's own wasm is, in a production build (undefined under the dev server and in Node: the SDK finds it itself). */
export function sdkWasmUrl(): string | undefined {
  return !isNode && import.meta.env?.PROD ? assetUrl('wasmer-sdk/pkg/wasmer_sdk_js_bg.wasm') : undefined;
}
