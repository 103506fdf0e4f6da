/**
 * podplay.js, podplay's browser entry: importing it defines
 * `<podplay-sandbox>` and `<podplay-lesson>`, and it exports the library (createSandbox() for a
 * sandbox without the element, the Cluster and Sandbox beneath it).
 *
 * Its files (chunks, the node worker, @wasmer/sdk, the bundled images) are
 * found beside it, so a site can copy the build folder under any path. An
 * app that bundles podplay.js itself serves that folder somewhere and says
 * where (`createSandbox({ assetsUrl })`, or the element's `assets` attribute).
 */
import { setAssetsBase } from './shared/index.ts';
import { defineLessonElement, defineSandboxElement } from './ui/index.ts';

/** The folder podplay.js was loaded from: this module's own URL, or the page's script tag naming it. */
function ownFolder(): URL | undefined {
  if (/\/podplay\.js(?:[?#].*)?$/.test(import.meta.url)) return new URL(/* @vite-ignore */ './', import.meta.url);
  const script = [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((s) => /\/?podplay\.js(?:[?#].*)?$/.test(s.src));
  return script ? new URL('./', script.src) : undefined;
}

if (!import.meta.env?.DEV) {
  const folder = ownFolder();
  if (folder) setAssetsBase(folder);
}
defineSandboxElement();
defineLessonElement();

export { PodplaySandboxElement, PodplayLessonElement, defineSandboxElement, defineLessonElement, createSandbox, ensureIsolation, parseAttributes, ATTRIBUTES } from './ui/index.ts';
export type { CommandDetail, CreateSandboxOptions, Isolation, IsolationCase, SandboxConfig, AttributeProblem, Panel, Theme } from './ui/index.ts';
export { SandboxSession, type SessionOptions, type ChangeEvent, type ExecResult } from './cli/index.ts';
export { Cluster, Sandbox, defaultNodes, type ClusterOptions, type NodeConfig, type ContainerHandle, type ContainerResult } from './sandbox/index.ts';
export { setAssetsBase, assetsBase, PodplayError } from './shared/index.ts';
