/**
 * Imports a module that only Node has (`node:fs/promises`, `@wasmer/sdk/node`).
 * The specifier reaches `import()` as a parameter of a function called from
 * several places, so no bundler or minifier folds it into a static import:
 * an app that bundles podplay's browser build does not pull in Node code it
 * never runs.
 */
export function importNodeOnly<T>(specifier: string): Promise<T> {
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  if (!node) return Promise.reject(new Error(`${specifier} is only there in Node`));
  return import(/* @vite-ignore */ specifier) as Promise<T>;
}
