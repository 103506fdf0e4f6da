export { WasiRunner, type RunSpec, type RunResult, type RunningProgram, type ModuleCompiler } from './runner.ts';
export { moduleCacheStats } from './module-cache.ts';
export { VfsFileServer, type FsReply } from './fs-server.ts';
export { resolveProgram, type Program } from './program.ts';
export { createBaselineRunner } from './baseline.ts';
export { isNode, sdkWasmUrl } from './sdk.ts';
export { withMemoryLimit, WASM_PAGE } from './memory-limit.ts';
export { type Usage } from './usage.ts';
export { type ProcessInfo } from './processes.ts';
