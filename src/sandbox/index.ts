export type { BuildRequest, BuildResult, BuildEvent, ContextSource, ContextEntry } from '../build/index.ts';
export { Sandbox, checkEntrypoint, formatPullEvent, type SandboxOptions, type RunRequest, type ImportOptions } from './sandbox.ts';
export { BROWSER_STORE, NodePool, NodeWorker, startError, type ContainerHandle, type ContainerResult, type NodeFailure, type OutputEvent, type StoreConfig, type LogLine, type NodeUsage } from '../runtime/index.ts';
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
export { IdbStore, checkIndexedDb, StateStore, StateInvalid, encodeState, toBase64, fromBase64, type SandboxState, type LoadedState } from '../persistence/index.ts';
export { browserStateStore, directoryStateStore, STATE_DB } from './state.ts';
export { layoutSources } from './layouts.ts';
export { Cluster, startControlPlane, defaultNodes, ZONES, type ClusterOptions, type NodeConfig } from './cluster.ts';
export { REGISTRY_MIRRORS, mirrorNote, resolveImage, type Mirror } from '../controllers/index.ts';
export { rolloutHistory, rolloutUndo, rolloutRestart, rolloutPause, KUBELET_VERSION } from '../controllers/index.ts';
export type { KubeObject, Pod, Node } from '../api/index.ts';
export { readExplanation, type Explanation } from '../scheduler/index.ts';
export { milliValue, value as quantityValue } from '../api/index.ts';
export { DEFAULT_PLUGINS, POSTFILTER_RESULT } from '../scheduler/index.ts';
export { NODE_MONITOR_GRACE_S } from '../controllers/index.ts';
export { WatchHistory, HistoryState, type HistoryEntry } from '../api/index.ts';
export { parseHttpResponse } from '../net/index.ts';
