/**
 * The ReplicaSet controller creates pods in slow-start batches (1, 2, 4…),
 * each in a task of its own; a ReplicaSet deleted or scaled down between
 * two batches gets no more pods from the sync under way.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiStore, type KubeObject } from '../../src/api/index.ts';
import { ReplicaSetController } from '../../src/controllers/index.ts';
import { ManualClock } from '../../src/shared/index.ts';

const rs = (replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'podplay/hello' }] } } },
});

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

function setup() {
  const api = createApiStore({ clock: new ManualClock(Date.UTC(2026, 11, 7)) });
  const controller = new ReplicaSetController(api);
  const pods = () => api.list('Pod', { namespace: 'default' }).items.filter((p) => !p.metadata.deletionTimestamp);
  return { api, controller, pods };
}

test('a scale to 100 is created in batches of 1, 2, 4, 8, 16, 32 and 37, a task each', async () => {
  const { api, controller, pods } = setup();
  api.create(rs(100));
  const seen: number[] = [];
  for (let i = 0; i < 40 && pods().length < 100; i++) {
    await turns(1);
    if (seen.at(-1) !== pods().length) seen.push(pods().length);
  }
  controller.dispose();
  assert.equal(pods().length, 100);
  assert.deepEqual(seen.slice(0, 3), [1, 3, 7], `counts as the batches landed: ${seen.join(', ')}`);
});

test('a ReplicaSet deleted between two batches gets no more pods from that sync', async () => {
  const { api, controller, pods } = setup();
  api.create(rs(100));
  await turns(2);
  const before = pods().length;
  assert.ok(before > 0 && before < 100, `${before} pods before the delete`);
  api.delete('ReplicaSet', 'default', 'web');
  await turns(30);
  controller.dispose();
  assert.ok(pods().length <= before + 8, `${pods().length} pods after the delete (${before} before it)`);
});

test('a ReplicaSet scaled down between two batches gets no more pods from that sync, and ends at its new count', async () => {
  const { api, controller, pods } = setup();
  let created = 0;
  const watch = api.watch('Pod', {}, (e) => void (e.type === 'ADDED' && created++));
  api.create(rs(100));
  await turns(2);
  const before = pods().length;
  api.mutate('ReplicaSet', 'default', 'web', (x) => ((x.spec as { replicas: number }).replicas = 5));
  await turns(40);
  controller.dispose();
  watch.dispose();
  assert.ok(created <= Math.max(before, 5) + 8, `${created} pods created in all (${before} before the scale down)`);
  assert.equal(pods().length, 5);
});
