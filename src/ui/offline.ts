/**
 * The page's side of podplay-sw.js's offline cache and updates: once a
 * sandbox has booted, the page says hello (the worker then caches the rest
 * of the build, the bundled images too, and looks for a newer build); the
 * worker answers when everything is cached and when an update is ready.
 */

export type ServiceWorkerNews = { type: 'offline-ready' } | { type: 'update-ready'; version: string };

const listeners = new Set<(news: ServiceWorkerNews) => void>();
const seen: ServiceWorkerNews[] = [];
let started = false;

/** Whether podplay-sw.js controls this page. */
function serviceWorkerControls(): boolean {
  return !!globalThis.navigator?.serviceWorker?.controller?.scriptURL.includes('podplay-sw.js');
}

/** Hears what podplay-sw.js says about the build at `assets` (what it said before, too); returns the unsubscribe. */
export function onServiceWorkerNews(assets: string, listener: (news: ServiceWorkerNews) => void): () => void {
  listeners.add(listener);
  for (const n of seen) listener(n);
  if (!started && serviceWorkerControls()) {
    started = true;
    const mine = new URL(assets).pathname;
    navigator.serviceWorker.addEventListener('message', (e: MessageEvent) => {
      const m = e.data as { type?: string; assets?: string; version?: string; pending?: string } | null;
      if (!m?.type?.startsWith('podplay-') || (m.assets && new URL(m.assets, location.href).pathname !== mine)) return;
      const news: ServiceWorkerNews | undefined =
        m.type === 'podplay-offline-ready' ? { type: 'offline-ready' } :
        m.type === 'podplay-update-ready' ? { type: 'update-ready', version: m.version! } :
        // Another tab switched to a new build: this one runs the one before until it reloads.
        m.type === 'podplay-activated' ? { type: 'update-ready', version: m.version! } :
        m.type === 'podplay-state' && m.pending ? { type: 'update-ready', version: m.pending } : undefined;
      if (!news) return;
      seen.push(news);
      for (const l of listeners) l(news);
    });
    navigator.serviceWorker.controller!.postMessage({ type: 'podplay-hello' });
  }
  return () => listeners.delete(listener);
}

/** Switches to the downloaded build and reloads the page. */
export async function applyUpdate(): Promise<void> {
  const controller = navigator.serviceWorker?.controller;
  if (controller) {
    await new Promise<void>((resolve) => {
      const onMessage = (e: MessageEvent) => {
        if ((e.data as { type?: string } | null)?.type !== 'podplay-activated') return;
        navigator.serviceWorker.removeEventListener('message', onMessage);
        resolve();
      };
      navigator.serviceWorker.addEventListener('message', onMessage);
      controller.postMessage({ type: 'podplay-activate' });
      setTimeout(resolve, 5000);
    });
  }
  location.reload();
}
