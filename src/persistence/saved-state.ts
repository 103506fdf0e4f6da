/**
 * A sandbox's state kept between visits: the cluster's objects, the
 * terminal's files and its history, as one value under one key of a
 * {@link KeyValueStore} (IndexedDB in the browser, a directory in Node).
 *
 * Crash-safe: a save is one write of the whole state (one IndexedDB
 * transaction, or a file renamed into place), so a tab killed mid-save
 * leaves the previous state, never half of the new one. Each value carries
 * its format, version and a CRC-32 of its body; a value that does not pass
 * (another podplay's format, a newer or older version, damage) is set aside
 * under a key of its own, never dropped, and the caller starts clean.
 */
import { fromUtf8, utf8 } from '../shared/index.ts';
import type { KeyValueStore } from './store.ts';

/** What is saved. Objects stay opaque here: the API restores and checks them. */
export interface SandboxState {
  objects: unknown[];
  /** The terminal's files: path → base64 bytes. */
  files?: Record<string, string>;
  /** Shell history, oldest first. */
  history?: string[];
}

export const STATE_FORMAT = 'podplay.dev/sandbox-state';
export const STATE_VERSION = 1;

interface Envelope {
  format: string;
  version: number;
  savedAt: string;
  /** `crc32:` and 8 hex digits, of the body's UTF-16 code units' low bytes and high bytes. */
  checksum: string;
  body: string;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/**
 * CRC-32 (IEEE) of a string's UTF-16 code units, computed at once: a save
 * must reach IndexedDB within the task that asked for it (the page may be
 * unloading), which an asynchronous digest (SubtleCrypto) would not allow.
 * It is there to find damage, not to resist tampering.
 */
export function checksum(text: string): string {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    c = CRC_TABLE[(c ^ u) & 0xff]! ^ (c >>> 8);
    c = CRC_TABLE[(c ^ (u >>> 8)) & 0xff]! ^ (c >>> 8);
  }
  return `crc32:${((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0')}`;
}

export type LoadedState =
  | { kind: 'none' }
  | { kind: 'restored'; state: SandboxState; savedAt: string }
  /** The value could not be read: it now lives under `key`, with the reason. */
  | { kind: 'setAside'; reason: string; key: string; bytes: Uint8Array };

/** Why a saved value cannot be restored (what a person reads). */
export class StateInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateInvalid';
  }
}

/** The saved value of a state, made at once (no await: see {@link checksum}). */
export function encodeState(state: SandboxState, savedAt = new Date().toISOString()): Uint8Array {
  const body = JSON.stringify(state);
  const envelope: Envelope = { format: STATE_FORMAT, version: STATE_VERSION, savedAt, checksum: checksum(body), body };
  return utf8(JSON.stringify(envelope));
}

const isState = (s: unknown): s is SandboxState => {
  const o = s as SandboxState;
  if (!o || typeof o !== 'object' || !Array.isArray(o.objects)) return false;
  // files: a record of strings (not null, not an array); history: an array of strings.
  const files = o.files === undefined || (!!o.files && typeof o.files === 'object' && !Array.isArray(o.files) && Object.values(o.files).every((v) => typeof v === 'string'));
  const history = o.history === undefined || (Array.isArray(o.history) && o.history.every((h) => typeof h === 'string'));
  return files && history;
};

/** The state in a saved value, or StateInvalid saying what is wrong with it. */
export async function decodeState(bytes: Uint8Array): Promise<{ state: SandboxState; savedAt?: string }> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (err) {
    throw new StateInvalid(`it is not JSON (${(err as Error).message})`);
  }
  const v = value as Partial<Envelope> & { objects?: unknown };
  // The Node CLI's cluster.json before this format: `{ "objects": [...] }`.
  if (v && typeof v === 'object' && v.format === undefined && Array.isArray(v.objects)) return { state: { objects: v.objects } };
  if (!v || typeof v !== 'object' || v.format !== STATE_FORMAT) throw new StateInvalid('it is not a podplay sandbox state');
  if (v.version !== STATE_VERSION) {
    throw new StateInvalid(`it is format version ${String(v.version)}, saved by ${Number(v.version) > STATE_VERSION ? 'a newer' : 'an older'} podplay; this one reads version ${STATE_VERSION}`);
  }
  if (typeof v.body !== 'string' || checksum(v.body) !== v.checksum) throw new StateInvalid('its checksum does not match: the value is damaged');
  let state: unknown;
  try {
    state = JSON.parse(v.body);
  } catch (err) {
    throw new StateInvalid(`its body is not JSON (${(err as Error).message})`);
  }
  if (!isState(state)) throw new StateInvalid('its body does not have the fields of a sandbox state');
  return { state, savedAt: v.savedAt };
}

/** Base64 of bytes, for files in a saved state. */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/**
 * A small synchronous store a page can still write while it unloads
 * (localStorage: an IndexedDB write issued in `pagehide` does not always
 * reach the disk before the page is gone).
 */
export interface StateJournal {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** States larger than this (characters) are not journalled: localStorage is small. */
const JOURNAL_LIMIT = 2_000_000;

/**
 * One sandbox's saved state under `key`. Saves run one at a time; a save
 * asked for while one is writing waits, and of several waiting only the
 * newest is written. With a journal, {@link saveNow} also writes the state
 * there at once, and {@link load} takes whichever of the two is newer.
 */
export class StateStore {
  readonly key: string;
  readonly #kv: KeyValueStore;
  readonly #journal: StateJournal | undefined;
  #writing: Promise<void> = Promise.resolve();
  #next: SandboxState | undefined;

  constructor(kv: KeyValueStore, key: string, journal?: StateJournal) {
    this.#kv = kv;
    this.key = key;
    this.#journal = journal;
  }

  get #journalKey(): string {
    return `podplay-state-journal:${this.key}`;
  }

  async load(): Promise<LoadedState> {
    let loaded = await this.#loadStored();
    const text = this.#journal?.getItem(this.#journalKey);
    if (text) {
      // The page's last save as it went: newer than the stored one (in the same millisecond too), unless that one was written after it.
      const bytes = utf8(text);
      try {
        const { state, savedAt = '' } = await decodeState(bytes);
        if (loaded.kind !== 'restored' || savedAt >= loaded.savedAt) {
          await this.#kv.set(this.key, bytes);
          loaded = { kind: 'restored', state, savedAt };
        }
      } catch (err) {
        if (!(err instanceof StateInvalid)) throw err;
        await this.setAside(bytes, `${err.message} (the copy saved as the page last closed)`, false);
      }
      this.#journal!.removeItem(this.#journalKey);
    }
    return loaded;
  }

  async #loadStored(): Promise<LoadedState> {
    const bytes = await this.#kv.get(this.key);
    if (!bytes) return { kind: 'none' };
    try {
      const { state, savedAt } = await decodeState(bytes);
      return { kind: 'restored', state, savedAt: savedAt ?? '' };
    } catch (err) {
      if (!(err instanceof StateInvalid)) throw err;
      return this.setAside(bytes, err.message);
    }
  }

  /** Moves a value that cannot be restored out of the way, keeping its bytes (and, with `removeStored`, drops it from its key). */
  async setAside(bytes: Uint8Array, reason: string, removeStored = true): Promise<LoadedState> {
    const base = `${this.key}.set-aside-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // Two set aside in one millisecond keep a key each: never overwrite one.
    let key = base;
    for (let n = 2; await this.#kv.has(key); n++) key = `${base}-${n}`;
    await this.#kv.set(key, bytes);
    if (removeStored) await this.#kv.delete(this.key);
    return { kind: 'setAside', reason, key, bytes };
  }

  /**
   * Writes `state`. When no save is writing, the write is issued before this
   * returns to the event loop.
   */
  save(state: SandboxState): Promise<void> {
    const first = this.#next === undefined;
    this.#next = state;
    if (!first) return this.#writing;
    // A failed save does not stop the ones after it.
    this.#writing = this.#writing.catch(() => undefined).then(async () => {
      const latest = this.#next;
      this.#next = undefined;
      // A clear() asked for since dropped it: the state is being forgotten.
      if (latest === undefined) return;
      await this.#kv.set(this.key, encodeState(latest));
    });
    return this.#writing;
  }

  /** Saves a page's last state as it goes: into the journal at once (when the state is small enough), and as {@link save} does. */
  saveNow(state: SandboxState): Promise<void> {
    if (this.#journal) {
      const text = fromUtf8(encodeState(state));
      try {
        if (text.length <= JOURNAL_LIMIT) this.#journal.setItem(this.#journalKey, text);
      } catch {
        /* full: the store's write is all there is */
      }
    }
    return this.save(state);
  }

  /** Forgets the saved state (a reset), and any save still waiting to be written; set-aside values stay. */
  async clear(): Promise<void> {
    await this.#writing.catch(() => undefined);
    this.#next = undefined;
    this.#journal?.removeItem(this.#journalKey);
    await this.#kv.delete(this.key);
  }
}
