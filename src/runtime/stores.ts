import { ContentStore } from '../oci/index.ts';
import { DirectoryStore, IdbStore, MemoryStore, type DirectoryFs } from '../persistence/index.ts';
import { importNodeOnly } from '../shared/index.ts';
import type { StoreConfig } from './protocol.ts';

/** The image store's IndexedDB databases, shared by the page and every node worker. */
export const BROWSER_STORE: StoreConfig = { kind: 'indexeddb', blobs: 'podplay-blobs', meta: 'podplay-meta' };

/** Opens the content store a config names, in whichever thread asks. */
export async function openContentStore(config: StoreConfig): Promise<ContentStore> {
  switch (config.kind) {
    case 'indexeddb':
      return new ContentStore(new IdbStore(config.blobs), new IdbStore(config.meta));
    case 'memory':
      return new ContentStore(new MemoryStore(), new MemoryStore());
    case 'directory': {
      const fs = await importNodeOnly<DirectoryFs>('node:fs/promises');
      return new ContentStore(new DirectoryStore(`${config.root}/blobs`, fs), new DirectoryStore(`${config.root}/meta`, fs));
    }
  }
}
