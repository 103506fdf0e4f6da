export { Sandbox, formatPullEvent, type SandboxOptions, type RunRequest } from './sandbox.ts';
export { BROWSER_STORE, startError, type ContainerHandle, type ContainerResult, type OutputEvent, type StoreConfig } from '../runtime/index.ts';
export { LayoutSource, pullImage, type PullEvent, type PulledImage } from '../oci/index.ts';
export { IdbStore } from '../persistence/index.ts';
