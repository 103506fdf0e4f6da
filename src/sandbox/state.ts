import { DirectoryStore, IdbStore, StateStore, type DirectoryFs } from '../persistence/index.ts';
import { importNodeOnly } from '../shared/index.ts';

/** The IndexedDB database that keeps sandboxes' saved states, one key each. */
export const STATE_DB = 'podplay-state';

/** A saved state in this origin's IndexedDB (a page's `persist` sandbox), with localStorage as the journal of a page's last save. */
export function browserStateStore(key: string): StateStore {
  let journal: Storage | undefined;
  try {
    journal = globalThis.localStorage;
  } catch {
    journal = undefined; // refused (a frame of another site): IndexedDB alone
  }
  return new StateStore(new IdbStore(STATE_DB), key, journal);
}

/** A saved state as a file in `dir` (the Node CLI's `cluster.json`), replaced whole on each save. */
export async function directoryStateStore(dir: string, file = 'cluster.json'): Promise<StateStore> {
  const fs = await importNodeOnly<DirectoryFs>('node:fs/promises');
  return new StateStore(new DirectoryStore(dir, fs), file);
}
