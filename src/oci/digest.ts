import { PodplayError, sha256, type Digest } from '../shared/index.ts';

export { sha256, type Digest } from '../shared/index.ts';

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

export function isDigest(s: unknown): s is Digest {
  return typeof s === 'string' && DIGEST_RE.test(s);
}

/** "a6dabe21f3b4", the short id docker prints for a digest. */
export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/**
 * Checks that `bytes` are what `expected` describes (size first, then
 * sha256). Nothing unverified is ever stored or used.
 */
const verified = new WeakMap<Uint8Array, string>();

/** True when these very bytes passed {@link verifyBlob} for `digest` (and so need no second hash). */
export function wasVerified(bytes: Uint8Array, digest: string): boolean {
  return verified.get(bytes) === digest;
}

export async function verifyBlob(bytes: Uint8Array, expected: { digest: string; size?: number }, what = 'blob'): Promise<void> {
  if (!isDigest(expected.digest)) {
    throw new PodplayError('ManifestInvalid', `${what} has an invalid digest "${expected.digest}": podplay accepts sha256:<64 lowercase hex> digests.`);
  }
  if (expected.size !== undefined && bytes.byteLength !== expected.size) {
    throw new PodplayError(
      'ImageSizeMismatch',
      `${what} ${expected.digest} is ${bytes.byteLength} bytes, but its descriptor says ${expected.size}: the image is corrupt or was changed after it was pushed; re-pack or re-push it. Nothing was stored.`,
    );
  }
  const actual = await sha256(bytes);
  if (actual !== expected.digest) {
    throw new PodplayError(
      'ImageDigestMismatch',
      `${what} ${expected.digest} does not match its content (sha256 is ${actual}): the image is corrupt or was changed after it was pushed; re-pack or re-push it. Nothing was stored.`,
    );
  }
  verified.set(bytes, actual);
}
