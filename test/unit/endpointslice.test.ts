/**
 * The EndpointSlice and Endpoints controllers' output over the API alone:
 * ready and not-ready pods, and a named targetPort that is a different
 * number in different pods (one slice and one subset per port mapping).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiStore, type KubeObject } from '../../src/api/index.ts';
import { EndpointSliceController } from '../../src/controllers/index.ts';
import { ManualClock } from '../../src/shared/index.ts';

const settle = () => new Promise((r) => setTimeout(r, 20));

test('a named targetPort: pods that map it to different numbers get a slice and a subset each; not-ready pods are marked', async () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 7));
  const api = createApiStore({ clock });
  const controller = new EndpointSliceController(api);
  try {
    api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } });
    const pod = (name: string, port: number, ip: string, ready: boolean) => {
      api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'podplay/web', ports: [{ name: 'http', containerPort: port }] }] } });
      api.mutate('Pod', 'default', name, (p: KubeObject) => {
        p.status = { ...(p.status as object), phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
      }, true);
    };
    pod('a', 8080, '10.244.1.2', true);
    pod('b', 9090, '10.244.2.2', true);
    pod('c', 8080, '10.244.3.2', false);
    for (let i = 0; i < 5; i++) {
      await clock.advance(1000);
      await settle();
    }
    type Slice = KubeObject & { endpoints: Array<{ addresses: string[]; conditions: { ready: boolean } }>; ports: Array<{ port: number }> };
    const slices = api.list<Slice>('EndpointSlice', { labelSelector: 'kubernetes.io/service-name=web' }).items;
    const byPort = new Map(slices.map((s) => [s.ports[0]!.port, s.endpoints.map((e) => `${e.addresses[0]} ${e.conditions.ready}`)]));
    assert.deepEqual(Object.fromEntries(byPort), { 8080: ['10.244.1.2 true', '10.244.3.2 false'], 9090: ['10.244.2.2 true'] });
    const ep = api.get('Endpoints', 'default', 'web') as KubeObject & { subsets: Array<{ addresses?: Array<{ ip: string }>; notReadyAddresses?: Array<{ ip: string }>; ports: Array<{ port: number }> }> };
    assert.deepEqual(
      ep.subsets.map((s) => [s.ports[0]!.port, (s.addresses ?? []).map((a) => a.ip), (s.notReadyAddresses ?? []).map((a) => a.ip)]),
      [[8080, ['10.244.1.2'], ['10.244.3.2']], [9090, ['10.244.2.2'], []]],
    );
    // The 9090 pod goes: its slice goes with it.
    api.delete('Pod', 'default', 'b', { gracePeriodSeconds: 0 });
    for (let i = 0; i < 5; i++) {
      await clock.advance(1000);
      await settle();
    }
    assert.deepEqual(api.list<Slice>('EndpointSlice', { labelSelector: 'kubernetes.io/service-name=web' }).items.map((s) => s.ports[0]!.port), [8080]);
  } finally {
    controller.dispose();
  }
});
