import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ContentStore, LayoutSource, RegistrySource, exportImages, formatPullEvent, pullImage } from '../../src/oci/index.ts';
import { MemoryStore, ThreadLock } from '../../src/persistence/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';
import { peerSkipReason } from '../helpers/peers.ts';
import { TestRegistry } from '../helpers/registry.ts';

const newStore = () => new ContentStore(new MemoryStore(), new MemoryStore(), new ThreadLock());
const skip = peerSkipReason('docker-registry', 'skopeo', 'openssl');

let registry: TestRegistry | undefined;
let dir = '';
let helloDigest = '';

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'podplay-reg-test-'));
  const store = newStore();
  const hello = await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), 'podplay/hello', store);
  helloDigest = hello.descriptor.digest;
  await writeFile(join(dir, 'hello.tar'), await exportImages(store, ['podplay/hello']));
  registry = await TestRegistry.start({ token: true });
  await registry.push(`oci-archive:${join(dir, 'hello.tar')}:podplay/hello:latest`, 'podplay/hello:v1');
});

after(async () => {
  await registry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('pulls from a real registry through the anonymous Bearer-token flow, by tag and by digest', { skip }, async () => {
  const reg = registry!;
  const store = newStore();
  const lines: string[] = [];
  const before = reg.tokenRequests;
  const pulled = await pullImage(new RegistrySource(`${reg.host}/podplay/hello:v1`), undefined, store, { onEvent: (e) => lines.push(formatPullEvent(e)) });
  assert.equal(pulled.ref, `${reg.host}/podplay/hello:v1`);
  assert.equal(pulled.descriptor.digest, helloDigest, 'the digest skopeo pushed is the digest podplay exported');
  assert.ok(reg.tokenRequests > before, 'a token was asked for');
  assert.equal(lines[0], `v1: Pulling from ${reg.host}/podplay/hello`);
  assert.equal(lines.at(-1), `Status: Downloaded newer image for ${reg.host}/podplay/hello:v1`);
  const byDigest = await pullImage(new RegistrySource(`${reg.host}/podplay/hello@${helloDigest}`), undefined, newStore());
  assert.equal(byDigest.descriptor.digest, helloDigest);
});

test('a missing tag and an unreachable registry give typed errors that say what to do', { skip }, async () => {
  await assert.rejects(pullImage(new RegistrySource(`${registry!.host}/podplay/hello:nope`), undefined, newStore()), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'ImageNotFound');
    assert.match(err.message, /manifest unknown: .*podplay\/hello:nope not found \(HTTP 404/);
    return true;
  });
  await assert.rejects(pullImage(new RegistrySource('127.0.0.1:9/podplay/hello'), undefined, newStore()), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'CorsRefused');
    assert.match(err.message, /could not reach http:\/\/127\.0\.0\.1:9 .*Access-Control-Allow-Origin/);
    return true;
  });
});
