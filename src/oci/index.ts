export { sha256, verifyBlob, isDigest, shortId, type Digest } from './digest.ts';
export * from './types.ts';
export { normalizeRef } from './reference.ts';
export { ContentStore, type ImageRef } from './content-store.ts';
export { LayoutSource, type FetchFn, type DownloadProgress } from './layout.ts';
export { pullImage, formatPullEvent, type PullEvent, type PulledImage } from './pull.ts';
export { readLayer, applyLayer, entryPath, type LayerEntry } from './layer.ts';
export { RootfsCache, chainIds } from './rootfs.ts';
export { loadImage, type StoredImage } from './image.ts';
