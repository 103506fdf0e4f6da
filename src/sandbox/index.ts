export { Sandbox, checkEntrypoint, formatPullEvent, type SandboxOptions, type RunRequest, type ImportOptions } from './sandbox.ts';
export { BROWSER_STORE, NodePool, startError, type ContainerHandle, type ContainerResult, type NodeFailure, type OutputEvent, type StoreConfig } from '../runtime/index.ts';
export {
  LayoutSource,
  RegistrySource,
  MemorySource,
  pullImage,
  formatBytes,
  shortId,
  type PullEvent,
  type PulledImage,
  type ImageSummary,
  type RemoveResult,
} from '../oci/index.ts';
export { IdbStore } from '../persistence/index.ts';
export { Cluster, startControlPlane, defaultNodes, ZONES, type ClusterOptions, type NodeConfig } from './cluster.ts';
