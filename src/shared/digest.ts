/** An OCI-style digest string, "sha256:<64 hex>". */
export type Digest = `sha256:${string}`;

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The sha256 digest of `bytes`, through SubtleCrypto (the page, workers and Node alike). */
export async function sha256(bytes: Uint8Array | string): Promise<Digest> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return `sha256:${hex(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>))}`;
}
