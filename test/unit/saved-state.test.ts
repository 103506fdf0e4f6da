/**
 * A sandbox's saved state over every KeyValueStore (memory, IndexedDB on
 * fake-indexeddb, a directory): round trips, values that cannot be restored
 * set aside byte for byte, the Node CLI's legacy cluster.json, saves in a
 * burst and after a failure, clear().
 */
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DirectoryStore, IdbStore, MemoryStore, STATE_FORMAT, STATE_VERSION, StateInvalid, StateStore,
  checksum, decodeState, encodeState, fromBase64, toBase64, type KeyValueStore, type SandboxState,
} from '../../src/persistence/index.ts';
import { fromUtf8, utf8 } from '../../src/shared/index.ts';

const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'podplay/hello' }] } } },
});

/** A state with all three parts: objects, files (text and binary), history. */
const STATE: SandboxState = {
  objects: [deployment('web', 3), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { 'a.txt': 'é ü 日本' } }],
  files: { '/home/web.yaml': toBase64(utf8('kind: Deployment\n')), '/home/blob.bin': toBase64(new Uint8Array([0, 1, 254, 255])) },
  history: ['kubectl create deployment web --image=podplay/hello', 'kubectl get pods'],
};

const numbered = (n: number): SandboxState => ({ objects: [deployment(`web-${n}`)], history: [`echo ${n}`] });

const stores: Array<[string, () => Promise<KeyValueStore>, string]> = [
  ['MemoryStore', async () => new MemoryStore(), '/docs/intro#demo'],
  ['IdbStore (fake-indexeddb)', async () => new IdbStore(`podplay-state-test-${Math.random()}`), '/docs/intro#demo'],
  ['DirectoryStore', async () => new DirectoryStore(join(await fs.mkdtemp(join(tmpdir(), 'podplay-state-')), 'home'), fs), 'cluster.json'],
];

/** The envelope encodeState writes, as an object to change. */
const envelopeOf = async (state = STATE) => JSON.parse(fromUtf8(await encodeState(state, '2026-11-27T12:00:00.000Z'))) as Record<string, unknown>;
const bytesOf = (value: unknown) => utf8(JSON.stringify(value));
/** An envelope around `body` whose checksum is right. */
const sealed = async (body: string) => bytesOf({ ...(await envelopeOf()), body, checksum: checksum(body) });

/** [case, the stored bytes, what the reason says]: every value load() sets aside. */
const unreadable: Array<[string, () => Promise<Uint8Array>, RegExp]> = [
  ['not JSON', async () => utf8('{"format":"podplay.dev/sandbox-state","version":1,"bo'), /^it is not JSON \(/],
  ['not JSON: empty', async () => new Uint8Array(0), /^it is not JSON \(/],
  ['another format', async () => bytesOf({ ...(await envelopeOf()), format: 'example.com/notes' }), /^it is not a podplay sandbox state$/],
  ['another format: no format field, no objects', async () => bytesOf({ notes: ['a'] }), /^it is not a podplay sandbox state$/],
  ['another format: a JSON array', async () => bytesOf([deployment('web')]), /^it is not a podplay sandbox state$/],
  ['another format: JSON null', async () => utf8('null'), /^it is not a podplay sandbox state$/],
  ['version 0', async () => bytesOf({ ...(await envelopeOf()), version: 0 }), /^it is format version 0, saved by an older podplay; this one reads version 1$/],
  ['version 2', async () => bytesOf({ ...(await envelopeOf()), version: 2 }), /^it is format version 2, saved by a newer podplay; this one reads version 1$/],
  ['version missing', async () => { const { version: _, ...rest } = await envelopeOf(); return bytesOf(rest); }, /^it is format version undefined, saved by an older podplay/],
  ['checksum: a character of the body flipped', async () => {
    const bytes = await encodeState(STATE);
    const at = fromUtf8(bytes).indexOf('kubectl get pods');
    assert.ok(at > 0);
    bytes[at] = 'K'.charCodeAt(0);
    assert.doesNotThrow(() => JSON.parse(fromUtf8(bytes)), 'still JSON: only the checksum can tell');
    return bytes;
  }, /^its checksum does not match: the value is damaged$/],
  ['checksum: the checksum field changed', async () => {
    const env = await envelopeOf();
    return bytesOf({ ...env, checksum: (env.checksum as string).replace(/.$/, (c) => (c === '0' ? '1' : '0')) });
  }, /^its checksum does not match: the value is damaged$/],
  ['checksum: no body', async () => { const { body: _, ...rest } = await envelopeOf(); return bytesOf(rest); }, /^its checksum does not match: the value is damaged$/],
  ['body not JSON', async () => sealed('{"objects": ['), /^its body is not JSON \(/],
  ['wrong fields: no objects', async () => sealed(JSON.stringify({ files: {}, history: [] })), /^its body does not have the fields of a sandbox state$/],
  ['wrong fields: objects not an array', async () => sealed(JSON.stringify({ objects: { web: deployment('web') } })), /^its body does not have the fields of a sandbox state$/],
  ['wrong fields: a file that is not a string', async () => sealed(JSON.stringify({ objects: [], files: { '/home/a': 1 } })), /^its body does not have the fields of a sandbox state$/],
  ['wrong fields: files null', async () => sealed(JSON.stringify({ objects: [], files: null })), /^its body does not have the fields of a sandbox state$/],
  ['wrong fields: files an array', async () => sealed(JSON.stringify({ objects: [], files: ['a'] })), /^its body does not have the fields of a sandbox state$/],
  ['wrong fields: history not an array', async () => sealed(JSON.stringify({ objects: [], history: 'ls' })), /^its body does not have the fields of a sandbox state$/],
  ['wrong fields: a history line that is not a string', async () => sealed(JSON.stringify({ objects: [], history: ['ls', 2] })), /^its body does not have the fields of a sandbox state$/],
  ['wrong fields: body is a number', async () => sealed('42'), /^its body does not have the fields of a sandbox state$/],
];

/** A real store that records what is written and can be told to fail its next set. */
class RecordingStore implements KeyValueStore {
  readonly written: SandboxState[] = [];
  failNext: Error | undefined;
  #entered: (() => void) | undefined;
  constructor(readonly inner: KeyValueStore) {}
  /** Resolves when the next set has started. */
  nextSet(): Promise<void> {
    return new Promise((resolve) => (this.#entered = resolve));
  }
  async set(key: string, value: Uint8Array) {
    this.#entered?.();
    this.#entered = undefined;
    await new Promise((resolve) => setImmediate(resolve));
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    this.written.push((await decodeState(value)).state);
    await this.inner.set(key, value);
  }
  get(key: string) { return this.inner.get(key); }
  setMany(entries: ReadonlyArray<readonly [string, Uint8Array]>) { return this.inner.setMany(entries); }
  delete(key: string) { return this.inner.delete(key); }
  has(key: string) { return this.inner.has(key); }
  keys() { return this.inner.keys(); }
}

for (const [name, make, KEY] of stores) {
  describe(`StateStore over ${name}`, () => {
    test('a state round-trips: objects, files and history', async () => {
      const kv = await make();
      await new StateStore(kv, KEY).save(STATE);
      const loaded = await new StateStore(kv, KEY).load();
      assert.equal(loaded.kind, 'restored');
      if (loaded.kind !== 'restored') return;
      assert.deepEqual(loaded.state, STATE);
      assert.match(loaded.savedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(fromBase64(loaded.state.files!['/home/blob.bin']!), new Uint8Array([0, 1, 254, 255]));
      assert.deepEqual(await kv.keys(), [KEY]);
    });

    test('a state with objects only round-trips, and a second save replaces the first', async () => {
      const kv = await make();
      const store = new StateStore(kv, KEY);
      await store.save(STATE);
      await store.save({ objects: [] });
      const loaded = await store.load();
      assert.equal(loaded.kind, 'restored');
      assert.deepEqual(loaded.kind === 'restored' && loaded.state, { objects: [] });
    });

    test('loading with nothing saved gives none and writes nothing', async () => {
      const kv = await make();
      assert.deepEqual(await new StateStore(kv, KEY).load(), { kind: 'none' });
      assert.deepEqual(await kv.keys(), []);
    });

    describe('a value that cannot be restored is set aside with its reason, byte for byte', () => {
      for (const [title, bytesFor, reason] of unreadable) {
        test(title, async () => {
          const kv = await make();
          const bytes = await bytesFor();
          await kv.set(KEY, bytes);
          const loaded = await new StateStore(kv, KEY).load();
          assert.equal(loaded.kind, 'setAside');
          if (loaded.kind !== 'setAside') return;
          assert.match(loaded.reason, reason);
          // The reason says which case: no other case's pattern fits it.
          for (const [other, , pattern] of unreadable) if (pattern !== reason && pattern.source !== reason.source) assert.doesNotMatch(loaded.reason, pattern, `not "${other}"`);
          assert.ok(loaded.key.startsWith(`${KEY}.set-aside-`), loaded.key);
          assert.deepEqual(loaded.bytes, bytes);
          assert.deepEqual(await kv.get(loaded.key), bytes);
          assert.equal(await kv.get(KEY), undefined, 'the main key is gone');
          assert.deepEqual(await kv.keys(), [loaded.key]);
          assert.deepEqual(await new StateStore(kv, KEY).load(), { kind: 'none' }, 'the next load starts clean');
        });
      }
    });

    test('values set aside one after another each keep their own key', async () => {
      const kv = await make();
      const store = new StateStore(kv, KEY);
      const keys = new Set<string>();
      for (let i = 0; i < 12; i++) {
        await kv.set(KEY, utf8(`damaged ${i}`));
        const loaded = await store.load();
        assert.equal(loaded.kind, 'setAside');
        if (loaded.kind === 'setAside') keys.add(loaded.key);
      }
      assert.equal(keys.size, 12);
      assert.deepEqual(new Set(await kv.keys()), keys);
      const kept = await Promise.all([...keys].map(async (k) => fromUtf8((await kv.get(k))!)));
      assert.deepEqual(kept.sort(), Array.from({ length: 12 }, (_, i) => `damaged ${i}`).sort());
    });

    test('the Node CLI\'s legacy { "objects": [...] } cluster.json is restored', async () => {
      const kv = await make();
      const objects = [deployment('web', 2), deployment('api')];
      await kv.set(KEY, utf8(JSON.stringify({ objects }, null, 2)));
      assert.deepEqual(await new StateStore(kv, KEY).load(), { kind: 'restored', state: { objects }, savedAt: '' });
      assert.deepEqual(await kv.keys(), [KEY]);
    });

    test('saves called many times in a row: the newest state is written last', async () => {
      const kv = new RecordingStore(await make());
      const store = new StateStore(kv, KEY);
      await Promise.all(Array.from({ length: 10 }, (_, i) => store.save(numbered(i + 1))));
      assert.deepEqual(kv.written.at(-1), numbered(10));
      assert.ok(kv.written.length < 10, `a burst is written once, not ${kv.written.length} times`);
      // Saves asked for while one is being written: only the newest of them follows it.
      const first = store.save(numbered(11));
      await kv.nextSet();
      const rest = Array.from({ length: 5 }, (_, i) => store.save(numbered(12 + i)));
      await Promise.all([first, ...rest]);
      assert.deepEqual(kv.written.slice(-2), [numbered(11), numbered(16)]);
      const loaded = await store.load();
      assert.equal(loaded.kind, 'restored');
      assert.deepEqual(loaded.kind === 'restored' && loaded.state, numbered(16));
    });

    test('a failing save rejects and does not stop the saves after it', async () => {
      const kv = new RecordingStore(await make());
      const store = new StateStore(kv, KEY);
      await store.save(numbered(1));
      kv.failNext = new Error('QuotaExceededError: the disk is full');
      await assert.rejects(store.save(numbered(2)), /disk is full/);
      await store.save(numbered(3));
      assert.deepEqual(kv.written, [numbered(1), numbered(3)]);
      // A save asked for while the failing one is being written still lands.
      kv.failNext = new Error('QuotaExceededError: the disk is full');
      const failing = store.save(numbered(4));
      await kv.nextSet();
      const after = store.save(numbered(5));
      await assert.rejects(failing, /disk is full/);
      await after;
      assert.deepEqual(kv.written, [numbered(1), numbered(3), numbered(5)]);
      const loaded = await store.load();
      assert.deepEqual(loaded.kind === 'restored' && loaded.state, numbered(5));
    });

    test('clear() removes the state and leaves set-aside values', async () => {
      const kv = await make();
      const store = new StateStore(kv, KEY);
      await kv.set(KEY, utf8('not json'));
      const aside = await store.load();
      assert.equal(aside.kind, 'setAside');
      await store.save(STATE);
      assert.equal((await kv.keys()).length, 2);
      await store.clear();
      assert.equal(await kv.get(KEY), undefined);
      assert.deepEqual(await store.load(), { kind: 'none' });
      assert.deepEqual(await kv.keys(), [(aside as { key: string }).key]);
      assert.deepEqual(fromUtf8((await kv.get((aside as { key: string }).key))!), 'not json');
      await store.clear();
    });

    test('clear() waits for a save being written, then removes it; saves asked for meanwhile are dropped, not thrown', async () => {
      const kv = new RecordingStore(await make());
      const store = new StateStore(kv, KEY);
      const saving = store.save(numbered(1));
      await kv.nextSet();
      const clearing = store.clear();
      const late = store.save(numbered(2));
      await Promise.all([saving, clearing, late]);
      assert.deepEqual(await store.load(), { kind: 'none' });
      await store.save(numbered(3));
      const loaded = await store.load();
      assert.deepEqual(loaded.kind === 'restored' && loaded.state, numbered(3), 'saves after clear() are written');
    });
  });
}

test('DirectoryStore: the state is one file, cluster.json, and a legacy file written by hand is read', async () => {
  const dir = join(await fs.mkdtemp(join(tmpdir(), 'podplay-state-')), 'home');
  const store = new StateStore(new DirectoryStore(dir, fs), 'cluster.json');
  await store.save(STATE);
  assert.deepEqual(await fs.readdir(dir), ['cluster.json']);
  const onDisk = JSON.parse(await fs.readFile(join(dir, 'cluster.json'), 'utf8'));
  assert.equal(onDisk.format, STATE_FORMAT);
  assert.deepEqual(JSON.parse(onDisk.body), STATE);
  await fs.writeFile(join(dir, 'cluster.json'), JSON.stringify({ objects: [deployment('old')] }));
  const loaded = await new StateStore(new DirectoryStore(dir, fs), 'cluster.json').load();
  assert.deepEqual(loaded, { kind: 'restored', state: { objects: [deployment('old')] }, savedAt: '' });
});

describe('checksum: CRC-32 (IEEE) of the body', () => {
  test('the check value of the standard, and of text with code units above 0xff', () => {
    // CRC-32's check value: "123456789" as bytes gives cbf43926; here each code unit is two bytes (low, high).
    const bytesOfUnits = (t: string) => [...t].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]);
    const reference = (bytes: number[]) => {
      let c = 0xffffffff;
      for (const b of bytes) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return `crc32:${((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0')}`;
    };
    assert.equal(reference([...'123456789'].map((c) => c.charCodeAt(0))), 'crc32:cbf43926');
    for (const t of ['', '123456789', 'héllo wörld', 'pods ✓ 日本', '{"objects":[]}']) assert.equal(checksum(t), reference(bytesOfUnits(t)), t);
    assert.notEqual(checksum('ab'), checksum('ba'));
  });
});

describe('encodeState and decodeState', () => {
  test('the envelope: format, version, savedAt, the SHA-256 of the body, the body', async () => {
    const env = await envelopeOf();
    assert.deepEqual(Object.keys(env), ['format', 'version', 'savedAt', 'checksum', 'body']);
    assert.equal(env.format, 'podplay.dev/sandbox-state');
    assert.equal(env.version, STATE_VERSION);
    assert.equal(STATE_VERSION, 1);
    assert.equal(env.savedAt, '2026-11-27T12:00:00.000Z');
    assert.equal(env.checksum, checksum(env.body as string));
    assert.deepEqual(JSON.parse(env.body as string), STATE);
  });

  test('decode(encode(state)) is the state and its savedAt', async () => {
    const states: SandboxState[] = [STATE, { objects: [] }, { objects: [], files: {}, history: [] }, numbered(7)];
    for (const state of states) assert.deepEqual(await decodeState(await encodeState(state, '2026-01-02T03:04:05.000Z')), { state, savedAt: '2026-01-02T03:04:05.000Z' });
  });

  test('every unreadable value is a StateInvalid saying why', async () => {
    for (const [title, bytesFor, reason] of unreadable) {
      await assert.rejects(decodeState(await bytesFor()), (err: Error) => err instanceof StateInvalid && err.name === 'StateInvalid' && reason.test(err.message), title);
    }
  });
});

test('toBase64 and fromBase64 round-trip every byte, past one 32 KiB chunk', () => {
  const cases = [new Uint8Array(0), Uint8Array.from({ length: 256 }, (_, i) => i), Uint8Array.from({ length: 0x8000 * 2 + 17 }, (_, i) => (i * 31) & 0xff)];
  for (const bytes of cases) {
    assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
    assert.equal(toBase64(bytes), Buffer.from(bytes).toString('base64'));
  }
});

describe('the journal: a page\'s last save, written at once as it unloads', () => {
  /** localStorage's shape, over a Map. */
  const journalOf = () => {
    const m = new Map<string, string>();
    return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
  };
  const at = (state: SandboxState) => (state.history ?? []).join();

  test('saveNow writes the journal at once; a store write lost on the way leaves the journal, and load takes it and writes it to the store', async () => {
    const kv = new MemoryStore();
    const journal = journalOf();
    const store = new StateStore(kv, 'k', journal);
    await store.save({ objects: [], history: ['one'] });
    // The page goes: the journal is written before saveNow returns; the store's write is lost with the page.
    const lost = new StateStore({ ...kv, get: kv.get.bind(kv), has: kv.has.bind(kv), keys: kv.keys.bind(kv), delete: kv.delete.bind(kv), setMany: kv.setMany.bind(kv), set: () => new Promise(() => undefined) }, 'k', journal);
    void lost.saveNow({ objects: [], history: ['one', 'two'] });
    assert.equal(journal.m.size, 1);
    const again = new StateStore(kv, 'k', journal);
    const loaded = await again.load();
    assert.equal(loaded.kind, 'restored');
    assert.equal(at((loaded as { state: SandboxState }).state), 'one,two');
    assert.equal(journal.m.size, 0, 'the journal is taken once');
    assert.equal(at((await decodeState((await kv.get('k'))!)).state), 'one,two', 'and written to the store');
  });

  test('a store written after the journal wins over it', async () => {
    const kv = new MemoryStore();
    const journal = journalOf();
    const store = new StateStore(kv, 'k', journal);
    await store.saveNow({ objects: [], history: ['journalled'] });
    await new Promise((r) => setTimeout(r, 5));
    await store.save({ objects: [], history: ['journalled', 'stored later'] });
    const loaded = await new StateStore(kv, 'k', journal).load();
    assert.equal(at((loaded as { state: SandboxState }).state), 'journalled,stored later');
    assert.equal(journal.m.size, 0);
  });

  test('a damaged journal is set aside, never dropped; clear() removes the journal', async () => {
    const kv = new MemoryStore();
    const journal = journalOf();
    const store = new StateStore(kv, 'k', journal);
    await store.save({ objects: [], history: ['good'] });
    journal.setItem('podplay-state-journal:k', '{"format": broken');
    const loaded = await new StateStore(kv, 'k', journal).load();
    assert.equal(at((loaded as { state: SandboxState }).state), 'good');
    const aside = (await kv.keys()).filter((k) => k.startsWith('k.set-aside-'));
    assert.equal(aside.length, 1);
    assert.equal(fromUtf8((await kv.get(aside[0]!))!), '{"format": broken');
    await store.saveNow({ objects: [], history: ['x'] });
    await store.clear();
    assert.equal(journal.m.size, 0);
    assert.equal(await kv.get('k'), undefined);
  });
});
