export { type KeyValueStore, MemoryStore } from './store.ts';
export { IdbStore } from './idb.ts';
export { DirectoryStore, type DirectoryFs } from './directory.ts';
export { storeLock, ThreadLock, requestPersistentStorage, type StoreLock } from './lock.ts';
