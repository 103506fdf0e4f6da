/**
 * What a page does for a sandbox whose state it saves: one tab of a page
 * keeps the state (it holds a Web Lock on the key), another starts from it
 * but does not write over it; and the state is saved as the page goes
 * (hidden, or unloading). Used by the element and by the browser's
 * createSandbox().
 */
import type { SandboxSession } from '../cli/index.ts';

export interface StateHold {
  /** Whether this tab keeps (writes) the state. */
  keeper: boolean;
  release(): void;
}

/** Asks to keep the state saved under `key`; without Web Locks every tab keeps it. */
export function holdSavedState(key: string): Promise<StateHold> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return Promise.resolve({ keeper: true, release: () => undefined });
  return new Promise<StateHold>((resolve) => {
    void locks.request(`podplay-state:${key}`, { ifAvailable: true }, (lock) => {
      if (!lock) {
        resolve({ keeper: false, release: () => undefined });
        return undefined;
      }
      return new Promise<void>((release) => resolve({ keeper: true, release }));
    });
  });
}

/** Saves the session as the page is hidden or unloads (into the state's journal too); returns the undo. */
export function saveWhenPageGoes(session: () => SandboxSession | undefined): () => void {
  const save = () => void session()?.saveNow().catch(() => undefined);
  const onVisibility = () => document.visibilityState === 'hidden' && save();
  addEventListener('pagehide', save);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    removeEventListener('pagehide', save);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
