/**
 * The API store in Node: create 10,000 pods through the API (defaulting,
 * validation, resourceVersion, watch history), then list them with a label
 * selector and with a field selector. The baseline, side by side in the same
 * process: the same pods copied into a plain Map, and the same predicates
 * over a plain array.
 */
import { createApiStore, type Pod } from '../src/api/index.ts';
import { SystemClock } from '../src/shared/index.ts';

export interface ApiBenchResult {
  pods: number;
  createPerSec: number;
  baselineCreatePerSec: number;
  labelListMs: number;
  baselineLabelListMs: number;
  fieldListMs: number;
  baselineFieldListMs: number;
  labelMatches: number;
  fieldMatches: number;
}

function pod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, labels: { app: i % 10 === 0 ? 'db' : 'web', shard: String(i % 4) } },
    spec: { containers: [{ name: 'web', image: 'podplay/hello:1.0', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function runApiBench(count = 10_000, listRuns = 9): ApiBenchResult {
  const inputs = Array.from({ length: count }, (_, i) => pod(i));
  const api = createApiStore({ clock: new SystemClock() });
  let t = performance.now();
  for (const p of inputs) api.create(p);
  const createMs = performance.now() - t;
  const plain = new Map<string, Pod>();
  t = performance.now();
  for (const p of inputs) plain.set(`default/${p.metadata.name}`, structuredClone(p));
  const baselineCreateMs = performance.now() - t;
  // Bind a quarter of them, so the field selector has something to find.
  for (let i = 0; i < count; i += 4) api.bind('default', `web-${i}`, 'node-1');
  for (const [i, p] of [...plain.values()].entries()) if (i % 4 === 0) p.spec.nodeName = 'node-1';
  const array = [...plain.values()];
  const label: number[] = [];
  const baseLabel: number[] = [];
  const field: number[] = [];
  const baseField: number[] = [];
  let labelMatches = 0;
  let fieldMatches = 0;
  for (let r = 0; r < listRuns; r++) {
    t = performance.now();
    labelMatches = api.list('Pod', { labelSelector: 'app=db,shard in (0,2)' }).items.length;
    label.push(performance.now() - t);
    t = performance.now();
    array.filter((p) => p.metadata.labels?.app === 'db' && ['0', '2'].includes(p.metadata.labels?.shard ?? ''));
    baseLabel.push(performance.now() - t);
    t = performance.now();
    fieldMatches = api.list('Pod', { fieldSelector: 'spec.nodeName=node-1' }).items.length;
    field.push(performance.now() - t);
    t = performance.now();
    array.filter((p) => p.spec.nodeName === 'node-1');
    baseField.push(performance.now() - t);
  }
  return {
    pods: count,
    createPerSec: count / (createMs / 1000),
    baselineCreatePerSec: count / (baselineCreateMs / 1000),
    labelListMs: median(label),
    baselineLabelListMs: median(baseLabel),
    fieldListMs: median(field),
    baselineFieldListMs: median(baseField),
    labelMatches,
    fieldMatches,
  };
}
