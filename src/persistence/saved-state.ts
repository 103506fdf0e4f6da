/**
 * A sandbox's state kept between visits: the cluster's objects, the
 * terminal's files and its history, as one value under one key of a
 * {@link KeyValueStore} (IndexedDB in the browser, a directory in Node).
 *
 * Crash-safe: a save is one write of the whole state (one IndexedDB
 * transaction, or a file renamed into place), so a tab killed mid-save
 * leaves the previous state, never half of the new one. Each value carries
 * its format, version and a SHA-256 of its body; a value that does not pass
 * (another podplay's format, a newer or older version, damage) is set aside
 * under a key of its own, never dropped, and the caller starts clean.
 */
import { fromUtf8, sha256, utf8 } from '../shared/index.ts';
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
  sha256: string;
  body: string;
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

export async function encodeState(state: SandboxState, savedAt = new Date().toISOString()): Promise<Uint8Array> {
  const body = JSON.stringify(state);
  const envelope: Envelope = { format: STATE_FORMAT, version: STATE_VERSION, savedAt, sha256: await sha256(body), body };
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
  if (typeof v.body !== 'string' || (await sha256(v.body)) !== v.sha256) throw new StateInvalid('its checksum does not match: the value is damaged');
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
 * One sandbox's saved state under `key`. Saves run one at a time; a save
 * asked for while one is writing waits, and of several waiting only the
 * newest is written.
 */
export class StateStore {
  readonly key: string;
  readonly #kv: KeyValueStore;
  #writing: Promise<void> = Promise.resolve();
  #next: SandboxState | undefined;

  constructor(kv: KeyValueStore, key: string) {
    this.#kv = kv;
    this.key = key;
  }

  async load(): Promise<LoadedState> {
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

  /** Moves a value that cannot be restored out of the way, keeping its bytes. */
  async setAside(bytes: Uint8Array, reason: string): Promise<LoadedState> {
    const base = `${this.key}.set-aside-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // Two set aside in one millisecond keep a key each: never overwrite one.
    let key = base;
    for (let n = 2; await this.#kv.has(key); n++) key = `${base}-${n}`;
    await this.#kv.set(key, bytes);
    await this.#kv.delete(this.key);
    return { kind: 'setAside', reason, key, bytes };
  }

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
      await this.#kv.set(this.key, await encodeState(latest));
    });
    return this.#writing;
  }

  /** Forgets the saved state (a reset), and any save still waiting to be written; set-aside values stay. */
  async clear(): Promise<void> {
    await this.#writing.catch(() => undefined);
    this.#next = undefined;
    await this.#kv.delete(this.key);
  }
}
