import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContentStore, sha256, verifyBlob } from '../../src/oci/index.ts';
import { MemoryStore } from '../../src/persistence/index.ts';

const bytes = new TextEncoder().encode('hello, podplay\n');

test('sha256 matches a known vector', async () => {
  assert.equal(await sha256(new TextEncoder().encode('abc')), 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('verifyBlob accepts matching bytes and names the digest of mismatching ones', async () => {
  const digest = await sha256(bytes);
  await verifyBlob(bytes, { digest, size: bytes.byteLength });
  const other = await sha256('something else');
  await assert.rejects(verifyBlob(bytes, { digest: other, size: bytes.byteLength }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'ImageDigestMismatch');
    assert.match(err.message, new RegExp(other));
    return true;
  });
  await assert.rejects(verifyBlob(bytes, { digest, size: 3 }), { code: 'ImageSizeMismatch' });
  await assert.rejects(verifyBlob(bytes, { digest: 'md5:abc' as never }), { code: 'ManifestInvalid' });
});

test('the content store commits only verified blobs, all or none', async () => {
  const store = new ContentStore(new MemoryStore(), new MemoryStore());
  const digest = await sha256(bytes);
  const tampered = bytes.slice();
  tampered[0] = 0x48;
  const other = new TextEncoder().encode('another blob');
  const good = { desc: { digest: await sha256(other), size: other.byteLength }, bytes: other };
  await assert.rejects(store.commit([good, { desc: { digest, size: bytes.byteLength }, bytes: tampered }]), { code: 'ImageDigestMismatch' });
  assert.deepEqual(await store.blobs.keys(), [], 'the good blob of the failed commit was not written either');
  assert.deepEqual(await store.commit([{ desc: { digest, size: bytes.byteLength }, bytes }, good]), [digest, good.desc.digest]);
  assert.deepEqual(await store.get(digest), bytes);
  assert.deepEqual(await store.commit([good]), [], 'a blob already there is not written again');
});
