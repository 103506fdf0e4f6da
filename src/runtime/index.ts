export { NodeWorker, startError, type ContainerHandle, type RunOptions, type NodeCondition, type NodeFailure, type NodeWorkerOptions } from './pool.ts';
export { NodePool } from './node-pool.ts';
export { NodeRuntime } from './node-runtime.ts';
export { BROWSER_STORE, openContentStore } from './stores.ts';
export { processFor } from './container.ts';
export type { ContainerSpec, ContainerResult, ContainerInfo, ContainerState, ExecOptions, ExitReason, OutputEvent, StoreConfig, NodeStats, NodeUsage, ContainerUsage, VolumeMount, VolumeSource } from './protocol.ts';
export { LogBuffer, type LogLine, type LogQuery } from './logs.ts';
export { ModuleCompiler, pageCompiler } from './compiler.ts';
