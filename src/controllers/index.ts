export { eventRecorder, type EventRecorder, type EventType } from './events.ts';
export { WorkQueue } from './queue.ts';
export { REGISTRY_MIRRORS, mirrorFor, qualifiedImage, storeImageService, type ImageService, type Mirror, type PulledImage } from './images.ts';
export { Kubelet, KUBELET_VERSION, HEARTBEAT_SECONDS, type KubeletOptions } from './kubelet.ts';
export { PodWorker, INITIAL_BACKOFF_S, MAX_BACKOFF_S, type ContainerRuntime } from './pod-worker.ts';
export { RoundRobinBinder } from './binder.ts';
export { podPhase, podConditions } from './pod-status.ts';
