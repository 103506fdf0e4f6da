/**
 * Without cross-origin isolation @wasmer/sdk cannot use SharedArrayBuffer and
 * silently returns empty output. This says which response header is missing.
 */
export async function missingIsolationHeaders(): Promise<string[]> {
  if (globalThis.crossOriginIsolated) return [];
  const missing: string[] = [];
  try {
    const res = await fetch(location.href, { cache: 'no-store' });
    if (res.headers.get('cross-origin-opener-policy')?.trim() !== 'same-origin') missing.push('Cross-Origin-Opener-Policy: same-origin');
    const coep = res.headers.get('cross-origin-embedder-policy')?.trim();
    if (coep !== 'require-corp' && coep !== 'credentialless') missing.push('Cross-Origin-Embedder-Policy: require-corp');
  } catch {
    /* fall through to the generic answer */
  }
  return missing.length ? missing : ['Cross-Origin-Opener-Policy: same-origin', 'Cross-Origin-Embedder-Policy: require-corp'];
}

export function isolationMessage(missing: string[]): string {
  return (
    `podplay cannot run containers here: this page is not cross-origin isolated. ` +
    `The server did not send ${missing.map((h) => `"${h}"`).join(' and ')}. ` +
    `Serve the page with ${missing.length > 1 ? 'these headers' : 'this header'} (npm start does).`
  );
}
