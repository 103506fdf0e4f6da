/**
 * The timeline under the map: a scrubber over every recorded watch event
 * (state 0 is where recording began, the last is now), the events around
 * the moment shown, a Live button to return, and export and import of the
 * history as JSON lines. It only draws and reports; the panel decides what
 * the map shows.
 */
import type { HistoryEntry, WatchHistory } from '../../sandbox/index.ts';

export interface TimelineOptions {
  /** A moment was picked: a kept state's index, or live. */
  scrub(index: number | 'live'): void;
  export(): void;
  import(file: File): void;
  /** Leave an imported history for the sandbox's own. */
  leaveReplay(): void;
}

export interface TimelineState {
  history: WatchHistory;
  /** The kept state shown (0 is the history's start, `length` now). */
  index: number;
  /** Following the cluster (the sandbox's own history, at its end). */
  live: boolean;
  /** Set while an imported history is replayed (its file name). */
  replay?: string;
}

/** How many events the list shows around the moment. */
const WINDOW = 40;
/** How far the list looks either way for events worth showing. */
const SCAN = 5000;

/**
 * Which events are noise in the list: Event objects, and a Node's status
 * written again with nothing a learner sees changed (its heartbeat). The
 * scrubber still steps through every event.
 */
class Heartbeats {
  #history: WatchHistory | undefined;
  #startedAt = -1;
  #lastSeq = 0;
  readonly #noise = new Set<number>();
  readonly #nodes = new Map<string, string>();

  /** Classifies the events not seen yet, in order (all of them for a new or cleared history). */
  update(history: WatchHistory): void {
    if (history !== this.#history || history.startedAt !== this.#startedAt) this.#restart(history);
    const n = history.length;
    if (!n || history.entry(n - 1).seq <= this.#lastSeq) return;
    const first = history.entry(0).seq;
    for (const e of history.entries(Math.max(0, this.#lastSeq + 1 - first))) this.#classify(e);
    if (this.#noise.size > 2 * n) for (const seq of this.#noise) if (seq < first) this.#noise.delete(seq);
  }

  isNoise(e: HistoryEntry): boolean {
    return this.#noise.has(e.seq);
  }

  #restart(history: WatchHistory): void {
    this.#history = history;
    this.#startedAt = history.startedAt;
    this.#lastSeq = 0;
    this.#noise.clear();
    this.#nodes.clear();
  }

  #classify(e: HistoryEntry): void {
    if (e.seq <= this.#lastSeq) return;
    this.#lastSeq = e.seq;
    if (e.kind === 'Event') this.#noise.add(e.seq);
    if (e.kind !== 'Node') return;
    const o = e.object as { spec?: unknown; metadata: { labels?: unknown }; status?: { conditions?: Array<{ type: string; status: string }> } };
    const seen = JSON.stringify([o.spec, o.metadata.labels, o.status?.conditions?.map((c) => `${c.type}=${c.status}`)]);
    if (e.type === 'MODIFIED' && this.#nodes.get(e.name) === seen) this.#noise.add(e.seq);
    if (e.type === 'DELETED') this.#nodes.delete(e.name);
    else this.#nodes.set(e.name, seen);
  }
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const time = (ms: number) => TIME.format(ms);
/** While live, the list of events is redrawn at most this often (ms). */
const LIVE_LIST_MS = 500;

export class TimelineView {
  readonly #range: HTMLInputElement;
  readonly #where: HTMLElement;
  readonly #live: HTMLButtonElement;
  readonly #leave: HTMLButtonElement;
  readonly #note: HTMLElement;
  readonly #importNote: HTMLElement;
  readonly #events: HTMLOListElement;
  readonly #all: HTMLInputElement;
  readonly #heartbeats = new Heartbeats();
  #last: TimelineState | undefined;
  #listAt = 0;
  #listTimer: ReturnType<typeof setTimeout> | undefined;
  #shown = '';

  constructor(host: HTMLElement, options: TimelineOptions) {
    host.innerHTML = `
<h3 id="timeline-title">Timeline</h3>
<div class="timeline-bar">
  <input type="range" id="timeline-range" data-testid="timeline-range" min="0" max="0" value="0" aria-labelledby="timeline-title" aria-describedby="timeline-where" />
  <button type="button" id="timeline-live" data-testid="timeline-live" title="Back to now, following the cluster">Live</button>
  <button type="button" id="timeline-export" data-testid="timeline-export" title="Download the recorded watch events as JSON lines">Export</button>
  <label>Import <input type="file" id="timeline-import" data-testid="timeline-import" accept=".jsonl,.json,.txt,application/x-ndjson,application/json" /></label>
  <button type="button" id="timeline-leave" data-testid="timeline-leave" hidden>Back to this sandbox</button>
</div>
<p id="timeline-where" class="timeline-where" data-testid="timeline-where"></p>
<p id="timeline-note" class="timeline-note" data-testid="timeline-note" hidden></p>
<p id="timeline-import-note" class="timeline-note" data-testid="timeline-import-note" hidden></p>
<label class="muted"><input type="checkbox" id="timeline-all" data-testid="timeline-all" /> List heartbeats and Events too</label>
<ol id="timeline-events" class="timeline-events" data-testid="timeline-events" aria-label="Watch events around the moment shown"></ol>`;
    const $ = <T extends HTMLElement>(id: string) => host.querySelector<T>(`#${id}`)!;
    this.#range = $('timeline-range');
    this.#where = $('timeline-where');
    this.#live = $('timeline-live');
    this.#leave = $('timeline-leave');
    this.#note = $('timeline-note');
    this.#importNote = $('timeline-import-note');
    this.#events = $('timeline-events');
    this.#all = $('timeline-all');
    this.#all.addEventListener('change', () => this.#last && this.update(this.#last));
    this.#range.addEventListener('input', () => {
      const value = Number(this.#range.value);
      options.scrub(value === Number(this.#range.max) && this.#leave.hidden ? 'live' : value);
    });
    this.#live.addEventListener('click', () => options.scrub('live'));
    $('timeline-export').addEventListener('click', () => options.export());
    const file = $<HTMLInputElement>('timeline-import');
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      file.value = '';
      if (f) options.import(f);
    });
    this.#leave.addEventListener('click', () => options.leaveReplay());
    this.#events.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLElement>('button[data-index]');
      if (button) options.scrub(Number(button.dataset.index));
    });
  }

  /** What the history left out (its caps), in plain text: it changes with the history, so it is not announced. Empty hides it. */
  note(text: string): void {
    this.#note.hidden = !text;
    if (this.#note.textContent !== text) this.#note.textContent = text;
  }

  /** What became of an import (announced: an error as an alert). Empty hides it. */
  importNote(text: string, error = false): void {
    this.#importNote.hidden = !text;
    this.#importNote.setAttribute('role', error ? 'alert' : 'status');
    this.#importNote.classList.toggle('error', error);
    this.#importNote.textContent = text;
  }

  update(state: TimelineState): void {
    this.#last = state;
    const { history, index: at, live, replay } = state;
    const length = history.length;
    this.#range.max = String(length);
    if (Number(this.#range.value) !== at) this.#range.value = String(at);
    this.#leave.hidden = !replay;
    this.#live.hidden = !!replay;
    this.#live.setAttribute('aria-pressed', String(live));
    const moment = time(history.timeAt(at));
    const where = live
      ? `Live: ${length} event${length === 1 ? '' : 's'} recorded since ${time(history.startedAt)}.`
      : `${replay ? `Replaying ${replay} (read-only)` : 'The past (read-only)'}: the cluster at ${moment}, after event ${at} of ${length}.`;
    if (this.#where.textContent !== where) this.#where.textContent = where;
    this.#range.setAttribute('aria-valuetext', live ? 'live' : `${moment}, event ${at} of ${length}`);
    // While live the list follows at a few frames a second (events come in bursts); a picked moment shows at once.
    clearTimeout(this.#listTimer);
    const wait = live ? this.#listAt + LIVE_LIST_MS - performance.now() : 0;
    if (wait > 0) this.#listTimer = setTimeout(() => this.#renderEvents(history, at), wait);
    else this.#renderEvents(history, at);
  }

  #renderEvents(history: WatchHistory, at: number): void {
    this.#listAt = performance.now();
    const all = this.#all.checked;
    if (!all) this.#heartbeats.update(history);
    const shown = (i: number) => all || !this.#heartbeats.isNoise(history.entry(i));
    // Up to half the window before the moment (events 0…at-1 led to it), the rest after.
    const before: number[] = [];
    for (let i = at - 1; i >= Math.max(0, at - SCAN) && before.length < WINDOW / 2; i--) if (shown(i)) before.push(i);
    const after: number[] = [];
    for (let i = at; i < Math.min(history.length, at + SCAN) && after.length < WINDOW - before.length; i++) if (shown(i)) after.push(i);
    const indices = [...before.reverse(), ...after];
    const key = `${history.startedAt}:${history.dropped}:${at}:${all}:${indices.join(',')}`;
    if (key === this.#shown) return;
    this.#shown = key;
    this.#events.replaceChildren(
      ...indices.map((i) => {
        const e = history.entry(i);
        const li = document.createElement('li');
        li.className = i + 1 === at ? 'current' : i + 1 > at ? 'future' : '';
        const button = document.createElement('button');
        button.type = 'button';
        // Event i leads to state i + 1.
        button.dataset.index = String(i + 1);
        button.textContent = `${time(e.at)} ${e.type.padEnd(8)} ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`;
        if (i + 1 === at) button.setAttribute('aria-current', 'step');
        li.append(button);
        return li;
      }),
    );
    // The list scrolls itself (scrollIntoView would scroll the page too).
    const current = this.#events.querySelector<HTMLElement>('.current') ?? this.#events.querySelector<HTMLElement>('.future');
    if (current) this.#events.scrollTop = current.offsetTop - this.#events.clientHeight / 2;
  }
}
