import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ContentStore, LayoutSource, exportImages, pullImage } from '../../src/oci/index.ts';
import { MemoryStore, ThreadLock } from '../../src/persistence/index.ts';
import { fileFetch, layoutUrl } from '../helpers/layout.ts';
import { peerSkipReason } from '../helpers/peers.ts';
import { TestRegistry } from '../helpers/registry.ts';
import { hook, openPlayground, run } from './helpers.ts';
import { exec, ready } from './element-helpers.ts';
import { execFileSync } from 'node:child_process';

interface ImportSummary {
  lines: string[];
  images: Array<{ ref: string; digest: string }>;
  error?: { code?: string; message: string };
}

const skip = peerSkipReason('docker-registry', 'skopeo', 'openssl');
let dir = '';
let helloDigest = '';
const registries: Record<'open' | 'token' | 'noCors', TestRegistry | undefined> = { open: undefined, token: undefined, noCors: undefined };

test.describe('pulling from a real registry in Chromium', () => {
  test.skip(!!skip, skip);
  test.beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podplay-registry-spec-'));
    const store = new ContentStore(new MemoryStore(), new MemoryStore(), new ThreadLock());
    const hello = await pullImage(LayoutSource.fromUrl(layoutUrl(), fileFetch), 'podplay/hello', store);
    helloDigest = hello.descriptor.digest;
    await writeFile(join(dir, 'hello.tar'), await exportImages(store, ['podplay/hello']));
    registries.open = await TestRegistry.start();
    registries.token = await TestRegistry.start({ token: true, corsFront: true });
    registries.noCors = await TestRegistry.start({ cors: false });
    for (const reg of Object.values(registries)) await reg!.push(`oci-archive:${join(dir, 'hello.tar')}:podplay/hello:latest`, 'podplay/hello:v1');
  });
  test.afterAll(async () => {
    for (const reg of Object.values(registries)) await reg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('an image skopeo pushed is pulled into IndexedDB with docker pull\'s progress, and runs', async ({ page }) => {
    await openPlayground(page);
    const ref = `${registries.open!.host}/podplay/hello:v1`;
    const r = await hook<ImportSummary>(page, 'pull', ref);
    expect(r.error).toBeUndefined();
    expect(r.lines[0]).toBe(`v1: Pulling from ${registries.open!.host}/podplay/hello`);
    expect(r.lines.filter((l) => l.endsWith(': Already exists'))).toHaveLength(2); // both layers came with the bundled podplay/hello
    expect(r.lines).toContain(`Digest: ${helloDigest}`);
    expect(r.lines.at(-1)).toBe(`Status: Downloaded newer image for ${ref}`);
    const out = await run(page, ref);
    expect(out.stdout).toContain('Hello from podplay');
  });

  test('the anonymous Bearer-token flow, as a public registry serves browsers', async ({ page }) => {
    await openPlayground(page);
    await hook(page, 'rmi', 'podplay/hello');
    const reg = registries.token!;
    const tokens = reg.tokenRequests;
    const r = await hook<ImportSummary>(page, 'pull', `${reg.host}/podplay/hello:v1`);
    expect(r.error).toBeUndefined();
    expect(r.lines.filter((l) => / Pull complete$/.test(l))).toHaveLength(2);
    expect(reg.tokenRequests).toBeGreaterThan(tokens);
    expect((await run(page, `${reg.host}/podplay/hello:v1`)).exitCode).toBe(0);
  });

  test('a registry that does not allow this origin is reported as a CORS refusal, with what it must allow', async ({ page }) => {
    await openPlayground(page);
    const before = await hook<unknown>(page, 'snapshot');
    const r = await hook<ImportSummary>(page, 'pull', `${registries.noCors!.host}/podplay/hello:v1`);
    expect(r.error?.code).toBe('CorsRefused');
    expect(r.error?.message).toContain(`could not reach http://${registries.noCors!.host}`);
    expect(r.error?.message).toContain('Access-Control-Allow-Origin: http://127.0.0.1:4173');
    expect(r.error?.message).toContain('Access-Control-Expose-Headers: Docker-Content-Digest, WWW-Authenticate');
    expect(await hook<unknown>(page, 'snapshot')).toEqual(before);
  });

  test('docker tag and docker push from the page: the registry serves what was pushed (skopeo reads it back); a registry without CORS for pushes is refused clearly', async ({ page }) => {
    await openPlayground(page);
    await ready(page, 'test');
    const target = `${registries.open!.host}/pushed/hello:v2`;
    expect((await exec(page, 'test', `docker tag podplay/hello ${target}`)).exitCode).toBe(0);
    const push = await exec(page, 'test', `docker push ${target}`);
    expect(push.exitCode, push.stderr).toBe(0);
    expect(push.stdout).toContain(`The push refers to repository [${registries.open!.host}/pushed/hello]`);
    const digest = /v2: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(push.stdout)?.[1];
    expect(digest, push.stdout).toBe(helloDigest);
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${target}`]).toString());
    expect(inspected.Digest).toBe(helloDigest);

    const refused = `${registries.noCors!.host}/pushed/hello:v2`;
    expect((await exec(page, 'test', `docker tag podplay/hello ${refused}`)).exitCode).toBe(0);
    const denied = await exec(page, 'test', `docker push ${refused}`);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toContain('Access-Control-Allow-Origin: http://127.0.0.1:4173');
  });
});
