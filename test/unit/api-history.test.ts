/**
 * The recorded watch history behind the cluster map's timeline: real objects
 * through the real API store, watched as the session watches every kind;
 * each recorded moment's state equals the store's listing at that moment,
 * through the caps' folding, export and import.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { KINDS, WatchHistory, createApiStore, historyKey, type ApiStore, type HistoryState, type KubeObject, type Pod, type WatchEventType } from '../../src/api/index.ts';
import { ManualClock, hasCode, type Disposable } from '../../src/shared/index.ts';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

/** The session's #watchAll: every kind from the store's resourceVersion now, each event recorded at the clock's time. */
function recordInto(api: ApiStore, history: WatchHistory, clock: ManualClock): Disposable[] {
  const rv = api.resourceVersion;
  return KINDS.map(({ kind }) => api.watch(kind, { resourceVersion: rv }, (e) => void history.record(e.type, kind, e.object, clock.now())));
}

type Listing = Record<string, KubeObject[]>;
const listing = (api: ApiStore): Listing => Object.fromEntries(KINDS.map(({ kind }) => [kind, api.list(kind).items]));
const stateListing = (s: HistoryState): Listing => Object.fromEntries(KINDS.map(({ kind }) => [kind, s.list(kind)]));
/** As JSON has it: the store leaves some fields present but undefined (metadata.generation of a ConfigMap), which JSON drops. */
const asJson = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function makePod(name: string, namespace = 'shop'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'podplay/hello:1.0' }] } };
}

/** A recording: the store, its history, and after each step the store's listing and how many events had been recorded since the start. */
async function scenario(options: { maxEvents?: number; maxAgeMs?: number; checkpointEvery?: number; extraEdits?: number } = {}) {
  const clock = new ManualClock(T0);
  let uids = 0;
  const api = createApiStore({ clock, uid: () => `uid-${++uids}` });
  const history = new WatchHistory({ base: api.dump(), startedAt: clock.now(), ...options });
  const watches = recordInto(api, history, clock);
  const steps: Array<{ name: string; seq: number; at: number; listing: Listing }> = [{ name: 'start', seq: 0, at: clock.now(), listing: listing(api) }];
  const step = async (name: string, fn: () => void) => {
    await clock.advance(1000);
    fn();
    await settle();
    steps.push({ name, seq: history.dropped + history.length, at: clock.now(), listing: listing(api) });
  };
  await step('node', () => api.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} }));
  await step('namespace', () => api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }));
  await step('deployment', () =>
    api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'podplay/hello:1.0' }] } } },
    }),
  );
  await step('pods', () => ['web-1', 'web-2'].forEach((n) => api.create(makePod(n))));
  await step('bind', () => api.bind('shop', 'web-1', 'n1', { annotations: { 'kube-scheduler-simulator.sigs.k8s.io/selected-node': 'n1' } }));
  await step('running', () => api.mutate<Pod>('Pod', 'shop', 'web-1', (p) => void (p.status = { ...p.status, phase: 'Running' }), true));
  await step('scale to 3', () => {
    api.mutate('Deployment', 'shop', 'web', (d) => void ((d.spec as { replicas: number }).replicas = 3));
    api.create(makePod('web-3'));
  });
  await step('delete unbound', () => api.delete('Pod', 'shop', 'web-2'));
  await step('delete bound (graceful)', () => api.delete('Pod', 'shop', 'web-1'));
  await step('delete bound (now)', () => api.delete('Pod', 'shop', 'web-1', { gracePeriodSeconds: 0 }));
  await step('recreate same name', () => api.create(makePod('web-1')));
  await step('configmap', () => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: 'shop' }, data: { n: '0' } }));
  for (let i = 1; i <= (options.extraEdits ?? 3); i++) {
    await step(`edit ${i}`, () => api.mutate('ConfigMap', 'shop', 'conf', (c) => void ((c.data as Record<string, string>).n = String(i))));
  }
  await step('scale to 1', () => api.mutate('Deployment', 'shop', 'web', (d) => void ((d.spec as { replicas: number }).replicas = 1)));
  await step('delete namespace', () => api.delete('Namespace', undefined, 'shop'));
  watches.forEach((w) => w.dispose());
  return { api, clock, history, steps };
}

test('each recorded moment is the store as it was then, from the base to now', async () => {
  for (const checkpointEvery of [1, 4, 128]) {
    const { api, history, steps } = await scenario({ checkpointEvery });
    assert.equal(history.dropped, 0);
    assert.equal(history.length, steps.at(-1)!.seq);
    for (const s of steps) {
      assert.deepEqual(stateListing(history.stateAt(s.seq)), s.listing, `state after "${s.name}" (checkpoints every ${checkpointEvery})`);
      assert.equal(history.timeAt(s.seq), s.at, `time after "${s.name}"`);
      assert.equal(history.indexAt(s.at), s.seq, `index at the time of "${s.name}"`);
    }
    assert.deepEqual(stateListing(history.stateAt(history.length)), listing(api), 'the last state is now');
    // A new object is the store's own frozen version; a new version shares what did not change with the one before.
    const added = [...history.entries()].find((e) => e.type === 'ADDED' && e.name === 'web-3')!;
    assert.equal(added.object, api.get('Pod', 'shop', 'web-3'));
    const [bound, running] = [...history.entries()].filter((e) => e.name === 'web-1').slice(1, 3);
    assert.equal(running!.object.spec, bound!.object.spec, 'a status write shares the spec');
    assert.notEqual(running!.object.status, bound!.object.status);
  }
});

test('entries summarize the events for a timeline; an object is known by kind, namespace and name', async () => {
  const { history } = await scenario();
  const pods = [...history.entries()].filter((e) => e.kind === 'Pod' && e.name === 'web-1');
  assert.deepEqual(
    pods.map((e) => e.type),
    ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED', 'ADDED'],
    'created, bound, running, marked for deletion, deleted, created again',
  );
  assert.notEqual(pods[0]!.uid, pods[5]!.uid, 'the same name again is another object (uid)');
  assert.equal(historyKey(pods[0]!), 'Pod/shop/web-1');
  assert.equal(historyKey(history.entry(0)), 'Node//n1', 'cluster-scoped: no namespace');
  assert.deepEqual([...history.entries()].map((e) => e.seq), Array.from({ length: history.length }, (_, i) => i + 1));
  for (const e of history.entries()) {
    assert.equal(e.resourceVersion, e.object.metadata.resourceVersion);
    assert.ok(Object.isFrozen(e) && Object.isFrozen(e.object));
  }
  assert.throws(() => history.stateAt(history.length + 1), RangeError);
  assert.throws(() => history.entry(-1), RangeError);
});

test('past maxEvents the oldest events are folded into the base and every kept moment stays exact', async () => {
  const full = await scenario({ extraEdits: 20 });
  for (const checkpointEvery of [1, 3, 128]) {
    const capped = await scenario({ extraEdits: 20, maxEvents: 7, checkpointEvery });
    const { history, steps } = capped;
    assert.equal(history.length, 7);
    assert.equal(history.dropped, full.history.length - 7);
    for (const s of steps.filter((s) => s.seq >= history.dropped)) {
      assert.deepEqual(stateListing(history.stateAt(s.seq - history.dropped)), s.listing, `after "${s.name}" (checkpoints every ${checkpointEvery})`);
    }
    for (let i = 0; i <= history.length; i++) {
      assert.deepEqual(stateListing(history.stateAt(i)), stateListing(full.history.stateAt(i + history.dropped)), `state ${i}`);
      if (i < history.length) assert.equal(history.entry(i).seq, history.dropped + i + 1);
    }
    assert.equal(history.timeAt(0), full.history.timeAt(history.dropped), 'the base is as old as the last folded event');
  }
});

test('events older than 30 minutes are folded into the base, on the injected clock', async () => {
  const clock = new ManualClock(T0);
  const api = createApiStore({ clock });
  const history = new WatchHistory({ base: api.dump(), startedAt: clock.now(), checkpointEvery: 5 });
  const full = new WatchHistory({ base: api.dump(), startedAt: clock.now(), maxAgeMs: Infinity });
  const watches = [...recordInto(api, history, clock), ...recordInto(api, full, clock)];
  api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' }, data: { minute: '0' } });
  for (let minute = 1; minute <= 45; minute++) {
    await clock.advance(60_000);
    api.mutate('ConfigMap', 'default', 'conf', (c) => void ((c.data as Record<string, string>).minute = String(minute)));
    await settle();
  }
  // Events at minutes 15..45 are at most 30 minutes old; 0..14 are folded.
  assert.equal(full.length, 46);
  assert.equal(history.dropped, 15);
  assert.equal(history.length, 31);
  assert.equal(history.timeAt(0), T0 + 14 * 60_000, 'the base is the state at minute 14');
  assert.deepEqual(history.stateAt(0).get('ConfigMap', 'default', 'conf')!.data, { minute: '14' });
  for (let i = 0; i <= history.length; i++) assert.deepEqual(stateListing(history.stateAt(i)), stateListing(full.stateAt(i + 15)));
  assert.equal(history.indexAt(T0 + 20 * 60_000), 6, 'minutes 15..20 are at or before minute 20');
  assert.equal(history.indexAt(T0), 0, 'before the base: the base');
  // With no new events, trim folds by the clock alone.
  await clock.advance(10 * 60_000);
  history.trim(clock.now());
  assert.equal(history.dropped, 25);
  assert.deepEqual(history.stateAt(0).get('ConfigMap', 'default', 'conf')!.data, { minute: '24' });
  watches.forEach((w) => w.dispose());
  // A sandbox reset starts over.
  history.clear(api.dump(), clock.now());
  assert.deepEqual([history.length, history.dropped, history.startedAt], [0, 0, clock.now()]);
  assert.deepEqual(stateListing(history.stateAt(0)), listing(api));
});

function assertSameHistory(a: WatchHistory, b: WatchHistory): void {
  assert.deepEqual([a.length, a.dropped, a.startedAt, a.timeAt(0)], [b.length, b.dropped, b.startedAt, b.timeAt(0)]);
  const summary = (h: WatchHistory) => [...h.entries()].map(({ object: _, ...e }) => e);
  assert.deepEqual(asJson(summary(a)), asJson(summary(b)));
  for (let i = 0; i <= a.length; i++) assert.deepEqual(asJson(stateListing(a.stateAt(i))), asJson(stateListing(b.stateAt(i))), `state ${i}`);
}

test('export to JSON lines and import again gives the same history, every state identical', async () => {
  for (const options of [{}, { maxEvents: 9 }]) {
    const { history, steps } = await scenario(options);
    const text = history.toJsonLines();
    const lines = text.trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    assert.deepEqual(header, { podplayHistory: 1, startedAt: T0, baseAt: history.timeAt(0), dropped: history.dropped, baseObjects: history.stateAt(0).size, events: history.length });
    assert.ok('base' in JSON.parse(lines[1]!));
    assert.deepEqual(Object.keys(JSON.parse(lines.at(-1)!)), ['at', 'type', 'kind', 'object']);
    const imported = WatchHistory.fromJsonLines(text);
    assertSameHistory(imported, history);
    assert.equal(imported.capped, 0);
    for (const s of steps.filter((s) => s.seq >= history.dropped)) assert.deepEqual(stateListing(imported.stateAt(s.seq - history.dropped)), asJson(s.listing));
    assert.ok(Object.isFrozen(imported.entry(0).object.metadata), 'imported objects are read-only too');
    assert.equal(imported.toJsonLines(), text, 'exports the same again');
    assertSameHistory(WatchHistory.fromJsonLines(text.replaceAll('\n', '\r\n')), history);
  }
  // A history with no events.
  const api = createApiStore({ clock: new ManualClock(T0) });
  const empty = new WatchHistory({ base: api.dump(), startedAt: T0 });
  assertSameHistory(WatchHistory.fromJsonLines(empty.toJsonLines()), empty);
});

test('an import that is not podplay\'s format, or is truncated or malformed, is refused naming the line', async () => {
  const { history } = await scenario();
  const text = history.toJsonLines();
  const lines = text.trimEnd().split('\n');
  const n = lines.length;
  const baseCount = history.stateAt(0).size;
  const event = (i: number) => JSON.parse(lines[1 + baseCount + i]!);
  const withLine = (i: number, line: string) => lines.map((l, j) => (j === i ? line : l)).join('\n');
  const cases: Array<[string, string, RegExp]> = [
    ['empty', '', /^line 1: the file is empty/],
    ['not JSON', 'hello world\n', /^line 1: not a podplay watch history: .*got hello world\. Import a file exported/],
    ['a kubectl list', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }), /^line 1: not a podplay watch history/],
    ['a newer version', withLine(0, JSON.stringify({ ...JSON.parse(lines[0]!), podplayHistory: 2 })), /^line 1: podplay watch history version 2 is not one this podplay reads \(1\); update podplay/],
    ['no start time', withLine(0, '{"podplayHistory":1}'), /^line 1: the header's startedAt is undefined/],
    ['truncated last line', text.slice(0, text.length - 40), new RegExp(`^line ${n}: not a JSON object \\(the file may be truncated\\): .*export the history again`)],
    ['truncated at a line end', lines.slice(0, -2).join('\n') + '\n', new RegExp(`^line ${n - 2}: the file ends after ${history.length - 2} of ${history.length} events \\(the file may be truncated\\)`)],
    ['truncated in the base', lines.slice(0, 3).join('\n'), new RegExp(`^line 3: the file ends after 2 of ${baseCount} base objects`)],
    ['a JSON array', withLine(4, '[1,2]'), /^line 5: not a JSON object/],
    ['unknown type', withLine(n - 3, JSON.stringify({ ...event(history.length - 3), type: 'UPDATED' })), new RegExp(`^line ${n - 2}: not a watch event: "type" is "UPDATED", not ADDED, MODIFIED or DELETED`)],
    ['no time', withLine(n - 1, JSON.stringify({ ...event(history.length - 1), at: 'soon' })), new RegExp(`^line ${n}: not a watch event: "at" is "soon"`)],
    ['no object', withLine(n - 1, JSON.stringify({ ...event(history.length - 1), object: null })), new RegExp(`^line ${n}: not a watch event: the object is null`)],
    ['kind mismatch', withLine(n - 1, JSON.stringify({ ...event(history.length - 1), kind: 'Pod' })), new RegExp(`^line ${n}: not a watch event: the object is a Namespace, not a Pod`)],
    ['nameless base object', withLine(2, '{"base":{"kind":"Namespace","metadata":{}}}'), /^line 3: not a base object: the Namespace has no metadata\.name/],
    ['time going backwards', withLine(n - 1, JSON.stringify({ ...event(history.length - 1), at: 0 })), new RegExp(`^line ${n}: time goes backwards`)],
    ['base after events', withLine(n - 1, lines[1]!), new RegExp(`^line ${n}: a base object after the events`)],
  ];
  for (const [name, input, message] of cases) {
    assert.throws(
      () => WatchHistory.fromJsonLines(input),
      (err: Error) => {
        assert.ok(hasCode(err, 'HistoryInvalid' as never), `${name}: code of ${err}`);
        assert.equal(err.name, 'PodplayError');
        assert.match(err.message, message, name);
        return true;
      },
      name,
    );
  }
  // Blank lines are no problem, and they count in line numbers.
  assertSameHistory(WatchHistory.fromJsonLines(`\n${lines.join('\n\n')}\n\n`), history);
  assert.throws(() => WatchHistory.fromJsonLines(`\n${lines[0]}\n\n{oops`), (err: Error) => /^line 4: not a JSON object/.test(err.message));
});

test('a huge import keeps the last maxEvents events, folds the rest into the base and says how many', async () => {
  const { history } = await scenario({ extraEdits: 150 });
  assert.ok(history.length > 150);
  const imported = WatchHistory.fromJsonLines(history.toJsonLines(), { maxEvents: 100, checkpointEvery: 16 });
  const folded = history.length - 100;
  assert.deepEqual([imported.length, imported.capped, imported.dropped], [100, folded, folded]);
  assert.equal(imported.entry(0).seq, folded + 1);
  assert.equal(imported.timeAt(0), history.timeAt(folded));
  for (let i = 0; i <= imported.length; i++) assert.deepEqual(stateListing(imported.stateAt(i)), asJson(stateListing(history.stateAt(i + folded))), `state ${i}`);
  // Exported again: the folded events are counted as dropped, no longer as capped.
  const again = WatchHistory.fromJsonLines(imported.toJsonLines());
  assert.deepEqual([again.length, again.capped, again.dropped], [100, 0, folded]);
});

/** A pod as the scheduler leaves it: kube-scheduler-simulator's annotations for 6 nodes and 9 plugins, several kB. */
function scheduledPod(name: string): Pod {
  const nodes = Array.from({ length: 6 }, (_, i) => `worker-${i + 1}`);
  const plugins = ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions', 'PodTopologySpread', 'InterPodAffinity'];
  const table = (f: (n: number, p: number) => string) => JSON.stringify(Object.fromEntries(nodes.map((n, i) => [n, Object.fromEntries(plugins.map((p, j) => [p, f(i, j)]))])));
  const a = 'kube-scheduler-simulator.sigs.k8s.io/';
  const pod = makePod(name, 'default');
  pod.metadata.annotations = {
    [`${a}prefilter-result-status`]: JSON.stringify(Object.fromEntries(plugins.map((p) => [p, 'success']))),
    [`${a}filter-result`]: table(() => 'passed'),
    [`${a}prescore-result`]: JSON.stringify(Object.fromEntries(plugins.map((p) => [p, 'success']))),
    [`${a}score-result`]: table((n, p) => String((n * 7 + p * 13) % 100)),
    'scheduler.podplay.dev/normalizedscore-result': table((n, p) => String((n * 11 + p * 3) % 100)),
    [`${a}finalscore-result`]: table((n, p) => String(((n * 11 + p * 3) % 100) * 2)),
    [`${a}selected-node`]: 'worker-3',
  };
  pod.spec.containers[0]!.resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } };
  return pod;
}

function collectGarbage(): (() => void) | undefined {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as (() => void) | undefined;
}

test('10,000 events of scheduled pods: memory, scrubbing, export and import (figures printed)', async () => {
  const gc = collectGarbage();
  const heap = () => (gc?.(), gc?.(), process.memoryUsage().heapUsed);
  const clock = new ManualClock(T0);
  // The store's own watch cache kept small, so the heap growth is the history's alone.
  const api = createApiStore({ clock, historyLimit: 10 });
  const pods = Array.from({ length: 100 }, (_, i) => api.create(scheduledPod(`web-${i}`)));
  const podBytes = JSON.stringify(pods[0]).length;
  const history = new WatchHistory({ base: api.dump(), startedAt: clock.now() });
  const watches = recordInto(api, history, clock);
  const seen: Array<[WatchEventType, KubeObject]> = [];
  watches.push(api.watch('Pod', { resourceVersion: api.resourceVersion }, (e) => void seen.push([e.type, e.object])));
  const before = heap();
  for (let i = 0; i < 10_000; i++) {
    if (i % 100 === 0) {
      await settle();
      await clock.advance(1000);
    }
    // A status write: the store stores a fresh deep copy, so no two versions share anything.
    api.mutate<Pod>('Pod', 'default', `web-${i % 100}`, (p) => void (p.status = { ...p.status, message: `attempt ${i}` }), true);
  }
  await settle();
  watches.forEach((w) => w.dispose());
  assert.equal(history.length, 10_000);
  let t = performance.now();
  const replay = new WatchHistory({ base: [...history.stateAt(0)], startedAt: T0 });
  for (const [type, object] of seen) replay.record(type, 'Pod', object, T0);
  const recordUs = ((performance.now() - t) * 1000) / seen.length;
  replay.clear([], T0);
  seen.length = 0; // the test's own copies of the store's versions go; what stays is the history's
  const recorded = heap() - before;
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);

  t = performance.now();
  const text = history.toJsonLines();
  const exportMs = performance.now() - t;

  const sweep = (h: WatchHistory) => {
    let t = performance.now();
    for (let i = 0; i <= h.length; i += 10) h.stateAt(i).list('Pod');
    const drag = (performance.now() - t) / (h.length / 10 + 1);
    let worst = 0;
    t = performance.now();
    for (let k = 0; k < 500; k++) {
      const s = performance.now();
      h.stateAt(Math.floor(Math.random() * (h.length + 1))).list('Pod');
      worst = Math.max(worst, performance.now() - s);
    }
    return { drag, random: (performance.now() - t) / 500, worst };
  };
  const scrub = sweep(history);
  // stateAt agrees with the store at the end.
  assert.deepEqual(history.stateAt(history.length).list('Pod'), api.list('Pod').items);

  const beforeImport = heap();
  t = performance.now();
  const imported = WatchHistory.fromJsonLines(text);
  const importMs = performance.now() - t;
  const importedBytes = heap() - beforeImport;
  assert.equal(imported.length, 10_000);
  assert.deepEqual(imported.stateAt(imported.length).list('Pod'), asJson(api.list('Pod').items));
  const scrubImported = sweep(imported);
  t = performance.now();
  const cappedImport = WatchHistory.fromJsonLines(text, { maxEvents: 1000 });
  const cappedMs = performance.now() - t;
  assert.deepEqual([cappedImport.length, cappedImport.capped], [1000, 9000]);
  assert.deepEqual(cappedImport.stateAt(0).list('Pod'), imported.stateAt(9000).list('Pod'));

  console.log(
    [
      `watch history, 10,000 pod events (pod ${podBytes} B as JSON, 100 pods, checkpoints every ${history.checkpointEvery})${gc ? '' : ' (no gc: heap figures rough)'}:`,
      `  recorded from the store: heap +${mb(recorded)} MB (versions share what did not change), ${recordUs.toFixed(1)} µs a record`,
      `  export: ${mb(text.length)} MB of JSON lines in ${exportMs.toFixed(0)} ms`,
      `  import: heap +${mb(importedBytes)} MB in ${importMs.toFixed(0)} ms; with maxEvents 1,000 (9,000 folded): ${cappedMs.toFixed(0)} ms`,
      `  stateAt + list('Pod'): dragging ${(scrub.drag * 1000).toFixed(0)} µs, random ${(scrub.random * 1000).toFixed(0)} µs (worst ${scrub.worst.toFixed(2)} ms); imported: ${(scrubImported.random * 1000).toFixed(0)} µs`,
    ].join('\n'),
  );
  if (gc) {
    assert.ok(recorded < 100 * 2 ** 20, `recording took ${mb(recorded)} MB`);
    assert.ok(importedBytes < 100 * 2 ** 20, `an import took ${mb(importedBytes)} MB`);
  }
});
