/**
 * The export format of a recorded watch history (`WatchHistory` in
 * history.ts): writing it, and reading it back into parts that WatchHistory
 * builds itself from, with the checks and error texts of a refused file.
 * `WatchHistory.toJsonLines` and `WatchHistory.fromJsonLines` are the public
 * entry points; this file does not import history.ts.
 *
 * ## Export format: podplay watch history, version 1
 *
 * JSON lines (UTF-8, one JSON object per line, `\n` or `\r\n`; blank lines
 * are ignored):
 *
 * ```
 * {"podplayHistory":1,"startedAt":<ms>,"baseAt":<ms>,"dropped":<n>,"baseObjects":<n>,"events":<n>}
 * {"base":<object>}                                     one line per base object
 * {"at":<ms>,"type":"ADDED"|"MODIFIED"|"DELETED","kind":"<Kind>","object":<object>}   one line per event
 * ```
 *
 * - Line 1, the header: `podplayHistory` is the format version (a reader
 *   refuses a version it does not know); `startedAt` when recording began;
 *   `baseAt` the moment the base lines describe (later than `startedAt` when
 *   older events were folded into the base); `dropped` how many events were
 *   folded so. `baseObjects` and `events` are the numbers of lines that
 *   follow: a reader refuses a file with fewer (truncated). Times are
 *   milliseconds since the epoch on the cluster's clock.
 * - Base lines, then event lines, in the order they happened; `at` never
 *   decreases. Objects are Kubernetes objects as the API served them
 *   (`apiVersion`, `kind`, `metadata.name`, `metadata.namespace` for
 *   namespaced kinds); an event's `kind` is its object's. An object is known
 *   by kind + namespace + name; a DELETED event carries the object as it was
 *   deleted.
 */
import { PodplayError } from '../shared/index.ts';
import type { KubeObject } from './meta.ts';
import type { WatchEventType } from './watch.ts';

/** One event as the format carries it. */
export interface HistoryEvent {
  readonly at: number;
  readonly type: WatchEventType;
  readonly kind: string;
  readonly object: KubeObject;
}

/** What a file holds, in the order {@link writeHistoryJsonLines} writes it. */
export interface HistoryParts {
  readonly startedAt: number;
  readonly baseAt: number;
  readonly dropped: number;
  readonly base: readonly KubeObject[];
  /** Oldest first; `eventCount` of them. */
  readonly events: Iterable<HistoryEvent>;
  readonly eventCount: number;
}

/**
 * A file's lines after the header, as they are read: once the base (its
 * objects, as parsed and not yet frozen, with the header's `baseAt` and
 * `dropped`), before the first event or at the end; then each event, checked
 * and in order.
 */
export type HistoryPart =
  | { readonly part: 'base'; readonly objects: readonly KubeObject[]; readonly baseAt: number; readonly dropped: number }
  | ({ readonly part: 'event' } & HistoryEvent);

/** A `HistoryInvalid` error: an import refused, or an event that cannot be recorded. */
export const invalid = (message: string) => new PodplayError('HistoryInvalid', message);

/** The history in podplay's JSON lines format (see this module's comment), ending in a newline. */
export function writeHistoryJsonLines(h: HistoryParts): string {
  const header = { podplayHistory: 1, startedAt: h.startedAt, baseAt: h.baseAt, dropped: h.dropped, baseObjects: h.base.length, events: h.eventCount };
  const lines = [JSON.stringify(header)];
  for (const o of h.base) lines.push(JSON.stringify({ base: o }));
  for (const e of h.events) lines.push(JSON.stringify({ at: e.at, type: e.type, kind: e.kind, object: e.object }));
  return lines.join('\n') + '\n';
}

/**
 * Reads the header of podplay's JSON lines format now, and the rest as
 * `parts` are iterated, so that an import can fold events as it goes. Both
 * refuse (PodplayError `HistoryInvalid`, naming the line) a file that is not
 * one, or is truncated or malformed.
 */
export function readHistoryJsonLines(text: string): { startedAt: number; parts: Generator<HistoryPart, void> } {
  const lines = jsonLines(text);
  const first = lines.next();
  if (first.done) throw invalid('line 1: the file is empty; import a watch history exported from podplay (a .jsonl file).');
  const { line: headerLine, value: header, text: headerText } = first.value;
  if (!isObject(header) || !('podplayHistory' in header)) {
    throw invalid(`line ${headerLine}: not a podplay watch history: expected a first line like {"podplayHistory":1,"startedAt":…}, got ${snippet(headerText, true)}. Import a file exported from podplay's cluster map timeline.`);
  }
  if (header.podplayHistory !== 1) {
    throw invalid(`line ${headerLine}: podplay watch history version ${snippet(header.podplayHistory)} is not one this podplay reads (1); update podplay, or export the history again with this version.`);
  }
  const num = (field: string, fallback?: number): number => {
    const v = header[field];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalid(`line ${headerLine}: the header's ${field} is ${snippet(v)}, not a time or count; export the history again.`);
    return v;
  };
  const startedAt = num('startedAt');
  const expected = { base: num('baseObjects', -1), events: num('events', -1) };
  return { startedAt, parts: body(lines, { line: headerLine, num, startedAt, expected }) };
}

interface Header {
  readonly line: number;
  /** Reads (and checks) a header field. */
  readonly num: (field: string, fallback?: number) => number;
  readonly startedAt: number;
  /** Lines that follow, -1 when the header does not say. */
  readonly expected: { readonly base: number; readonly events: number };
}

/** The lines after the header. */
function* body(lines: Generator<JsonLine>, header: Header): Generator<HistoryPart, void> {
  const { num, startedAt, expected } = header;
  const base: KubeObject[] = [];
  let events = 0;
  let lastAt = 0; // the last event's time, or the base's
  let line = header.line;
  const truncated = (what: string, seen: number, total: number) =>
    invalid(`line ${line}: the file ends after ${seen} of ${total} ${what} (the file may be truncated); export the history again, or copy the whole file.`);
  const baseEnds = (): HistoryPart => {
    if (expected.base >= 0 && base.length < expected.base) throw truncated('base objects', base.length, expected.base);
    lastAt = num('baseAt', startedAt);
    return { part: 'base', objects: base, baseAt: lastAt, dropped: num('dropped', 0) };
  };
  for (const next of lines) {
    line = next.line;
    const v = next.value;
    if (!isObject(v)) throw invalid(`line ${line}: not a JSON object (the file may be truncated): ${snippet(next.text, true)}; export the history again, or copy the whole file.`);
    if ('base' in v) {
      if (events > 0) throw invalid(`line ${line}: a base object after the events; base lines come right after the header.`);
      const problem = objectProblem(v.base);
      if (problem) throw invalid(`line ${line}: not a base object: ${problem}.`);
      base.push(v.base as KubeObject);
      continue;
    }
    if (events === 0) yield baseEnds();
    const { at, type, kind, object } = v;
    const problem =
      typeof at !== 'number' || !Number.isFinite(at) ? `"at" is ${snippet(at)}, not a time in ms`
      : type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED' ? `"type" is ${snippet(type)}, not ADDED, MODIFIED or DELETED`
      : typeof kind !== 'string' || !kind ? `"kind" is ${snippet(kind)}, not a kind`
      : objectProblem(object, kind);
    if (problem) throw invalid(`line ${line}: not a watch event: ${problem}; expected {"at":ms,"type":"ADDED"|"MODIFIED"|"DELETED","kind":…,"object":{…}}.`);
    if ((at as number) < lastAt) throw invalid(`line ${line}: time goes backwards (${at} after ${lastAt}); events must be in the order they happened.`);
    lastAt = at as number;
    events++;
    yield { part: 'event', at: at as number, type: type as WatchEventType, kind: kind as string, object: object as KubeObject };
  }
  if (events === 0) yield baseEnds();
  if (expected.events >= 0 && events < expected.events) throw truncated('events', events, expected.events);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What is wrong with an object to record, if anything. */
export function objectProblem(o: unknown, kind?: string): string | undefined {
  if (!isObject(o)) return `the object is ${snippet(o)}, not an API object`;
  if (typeof o.kind !== 'string' || !o.kind) return 'the object has no kind';
  if (kind !== undefined && o.kind !== kind) return `the object is a ${o.kind}, not a ${kind}`;
  if (!isObject(o.metadata) || typeof o.metadata.name !== 'string' || !o.metadata.name) return `the ${o.kind} has no metadata.name`;
  return undefined;
}

/** A value as JSON, or a line's text as it is, cut short. */
function snippet(v: unknown, text = false): string {
  const s = text && typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

interface JsonLine {
  readonly line: number;
  readonly text: string;
  readonly value: unknown;
}

/** Non-blank lines with their 1-based numbers, parsed (undefined when a line is not JSON). */
function* jsonLines(text: string): Generator<JsonLine> {
  let line = 0;
  for (let pos = 0; pos < text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    line++;
    const raw = text.slice(pos, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    pos = end + 1;
    if (!raw.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    yield { line, text: raw, value };
  }
}
