/**
 * The library's createSandbox() in a page: a sandbox with no element
 * around it, for apps, lesson pages and graders that draw their own UI.
 * It does what the element does around the session: makes the page
 * cross-origin isolated first (registering podplay-sw.js, which reloads
 * the page once), and with `persist` keeps the saved state in one tab and
 * saves as the page goes.
 */
import { createSession, type SandboxSession, type SessionOptions } from '../cli/index.ts';
import { BROWSER_STORE, browserStateStore } from '../sandbox/index.ts';
import { PodplayError, assetUrl, assetsBase, setAssetsBase } from '../shared/index.ts';
import { ensureIsolation } from './isolation.ts';
import { PagePorts } from './page-ports.ts';
import { holdSavedState, saveWhenPageGoes } from './saved-state-hold.ts';

export interface CreateSandboxOptions extends Partial<Omit<SessionOptions, 'state'>> {
  /** Keep the cluster, files and history in IndexedDB under this key, and start from them next time. */
  persist?: string;
  /** Where podplay's build folder is served, when podplay.js was bundled into an app (default: beside podplay.js). */
  assetsUrl?: string;
  /** podplay-sw.js's URL when it is not at the site's root. */
  serviceWorker?: string;
}

export async function createSandbox(options: CreateSandboxOptions = {}): Promise<SandboxSession> {
  const { persist, assetsUrl, serviceWorker, ...rest } = options;
  if (assetsUrl) setAssetsBase(assetsUrl);
  const assets = assetsBase();
  if (!assets) throw new PodplayError('RuntimeFailed', 'podplay cannot find its files: pass createSandbox({ assetsUrl }) with the URL of the folder podplay was built into.');
  const isolation = await ensureIsolation({ assets, serviceWorker });
  if (isolation.case === 'reloading') await new Promise<never>(() => undefined);
  if (isolation.case !== 'isolated') throw new PodplayError('CrossOriginIsolationMissing', isolation.message);
  const hold = persist ? await holdSavedState(persist) : undefined;
  let session: SandboxSession;
  try {
    session = await createSession({ store: BROWSER_STORE, layoutUrl: assetUrl('images'), ports: new PagePorts(assets, serviceWorker), ...rest, state: persist ? browserStateStore(persist) : undefined, saveState: hold?.keeper ?? true });
  } catch (err) {
    hold?.release();
    throw err;
  }
  const stopSaving = saveWhenPageGoes(() => session);
  session.onDispose(() => {
    stopSaving();
    hold?.release();
  });
  return session;
}
