export { type KeyValueStore, MemoryStore } from './store.ts';
export { IdbStore, checkIndexedDb } from './idb.ts';
export { DirectoryStore, type DirectoryFs } from './directory.ts';
export { storeLock, ThreadLock, requestPersistentStorage, type StoreLock } from './lock.ts';
export { StateStore, StateInvalid, checksum, encodeState, decodeState, toBase64, fromBase64, STATE_FORMAT, STATE_VERSION, type SandboxState, type LoadedState, type StateJournal } from './saved-state.ts';
