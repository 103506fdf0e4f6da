/**
 * The package's Node entry (`import { createSandbox } from 'podplay'` in
 * Node): lib/node.mjs, which loads src/node.ts through a tsx namespace of
 * its own. Imported here as a user's code imports it, through the shim.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const home = await mkdtemp(join(tmpdir(), 'podplay-node-entry-'));
process.env.PODPLAY_HOME = home;
// The shim is plain JS; its types are src/node.ts's (the package's `types` for the node condition are built from it).
const shim = '../../lib/node.mjs';
const podplay = (await import(shim)) as typeof import('../../src/node.ts');
after(() => rm(home, { recursive: true, force: true }));

test('the shim exports every value src/node.ts exports', async () => {
  const source = await import('../../src/node.ts');
  assert.deepEqual(Object.keys(podplay).sort(), Object.keys(source).sort());
});

test('createSandbox() runs kubectl over a cluster of node workers, with images under $PODPLAY_HOME', async () => {
  const sandbox = await podplay.createSandbox({ nodes: 2 });
  try {
    const nodes = await sandbox.exec('kubectl get nodes');
    assert.equal(nodes.exitCode, 0, nodes.stderr);
    assert.match(nodes.stdout, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    assert.match(nodes.stdout, /\nnode-1\s+Ready\s/);
    assert.match(nodes.stdout, /\nnode-2\s+Ready\s/);
    assert.ok(sandbox.cluster instanceof podplay.Cluster);
    assert.ok(sandbox instanceof podplay.SandboxSession);

    // A pod's container runs on a node worker thread, pulled from the bundled layout into the home's store.
    const run = await sandbox.exec('kubectl run hi --image=podplay/hello --restart=Never -- -once');
    assert.equal(run.exitCode, 0, run.stderr);
    const deadline = Date.now() + 60_000;
    let phase: string | undefined;
    while (Date.now() < deadline && phase !== 'Succeeded' && phase !== 'Failed') {
      await new Promise((r) => setTimeout(r, 100));
      phase = (sandbox.get('pod', 'hi') as { status?: { phase?: string } } | undefined)?.status?.phase;
    }
    assert.equal(phase, 'Succeeded');
    const logs = await sandbox.exec('kubectl logs hi');
    assert.match(logs.stdout, /^Hello from podplay/, logs.stderr);
    assert.ok((await readdir(join(home, 'blobs'))).length >= 2, 'the image is stored under $PODPLAY_HOME');
  } finally {
    await sandbox.dispose();
  }
});

test('persist: a second sandbox with the same key starts where the first one stopped; another starts clean', async () => {
  const first = await podplay.createSandbox({ nodes: 1, persist: 'lesson-1' });
  try {
    assert.equal(first.restored.kind, 'none');
    // No replicas: nothing is pulled, so nothing is still writing under the home once the sandbox is disposed.
    const created = await first.exec('kubectl create deployment web --image=podplay/hello --replicas=0');
    assert.equal(created.stdout, 'deployment.apps/web created\n', created.stderr);
  } finally {
    await first.dispose();
  }
  assert.ok(existsSync(join(home, 'lesson-1.json')), 'the state is saved as <home>/<persist>.json');

  const second = await podplay.createSandbox({ nodes: 1, persist: 'lesson-1' });
  try {
    assert.equal(second.restored.kind, 'restored');
    const deployments = await second.exec('kubectl get deployments -o name');
    assert.equal(deployments.stdout, 'deployment.apps/web\n', deployments.stderr);
    assert.ok(second.get('deployment', 'web'));
  } finally {
    await second.dispose();
  }

  const other = await podplay.createSandbox({ nodes: 1, persist: 'lesson-2' });
  try {
    assert.equal(other.restored.kind, 'none');
    assert.deepEqual(other.get('deployments'), []);
  } finally {
    await other.dispose();
  }
});
