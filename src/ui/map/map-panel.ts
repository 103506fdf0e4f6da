/**
 * The cluster map panel of `<podplay-sandbox>` (`panels="terminal map"`):
 * the live map of nodes and pods, "Why here?" for a pod, actions that run
 * as commands in the terminal, and the timeline that shows the cluster as
 * it was at any recorded moment (re-derived from the watch history) or
 * replays an imported history read-only.
 *
 * Lifecycle: made once the session runs; `changed()` after every watch
 * event; `clusterReplaced()` after a reset; `dispose()` stops its timers.
 */
import type { SandboxSession } from '../../cli/index.ts';
import { WatchHistory, type HistoryState, type KubeObject, type Node, type Pod } from '../../sandbox/index.ts';
import type { Disposable } from '../../shared/index.ts';
import { actionLine, type MapAction } from './actions.ts';
import { buildMap, type MapModel } from './model.ts';
import { MapView } from './map-view.ts';
import { PodDialog } from './pod-dialog.ts';
import { indexOf, positionAt, type MapPosition } from './position.ts';
import { TimelineView } from './timeline-view.ts';
import { MapUsage } from './usage.ts';
import { Workloads } from './workloads.ts';

export interface MapContext {
  session: SandboxSession;
  /** The watch history the runner records from the session's start. */
  history: WatchHistory;
  /**
   * Runs an action's command line where the learner sees it (the terminal);
   * resolves to its exit code, and to its output when no terminal showed it.
   */
  run(line: string): Promise<{ exitCode: number; output?: string }>;
}

/** The least time between two drawings of the live map, and of the timeline alone (ms). */
const MIN_RENDER_MS = 100;
const TIMELINE_ONLY_MS = 1000;

/** Larger history files are refused before they are read (a 10,000-event history is tens of MB). */
const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

const HTML = `
<h2 id="map-title">Cluster map</h2>
<div class="map-bar">
  <span id="map-mode" class="map-mode" data-testid="map-mode" role="status">Live</span>
  <label><input type="checkbox" id="map-motion" data-testid="map-motion" /> Animate</label>
  <span id="map-message" class="muted" data-testid="map-message" role="status"></span>
</div>
<ul id="map-workloads" class="workloads" data-testid="map-workloads" aria-label="Deployments"></ul>
<div id="map-canvas" class="map-canvas" data-testid="map"></div>
<dialog id="pod-dialog" class="pod-dialog" data-testid="pod-dialog" aria-labelledby="pod-dialog-title"></dialog>
<section id="timeline" class="timeline" aria-labelledby="timeline-title"></section>`;

export class MapPanel implements Disposable {
  readonly #ctx: MapContext;
  readonly #view: MapView;
  readonly #timeline: TimelineView;
  readonly #usage: MapUsage;
  readonly #workloads: Workloads;
  readonly #dialog: PodDialog;
  readonly #motion: HTMLInputElement;
  readonly #mode: HTMLElement;
  readonly #message: HTMLElement;
  readonly #section: HTMLElement;
  readonly #reducedMotion: MediaQueryList | undefined;
  #motionTouched = false;
  #position: MapPosition = 'live';
  #replay: { name: string; history: WatchHistory } | undefined;
  /** What the last drawing showed (a past moment is drawn once, not at every event), and whether it was live. */
  #drawn = '';
  #frame = 0;
  /** A drawing waiting out the minimum gap, and whether it is for a drawn kind. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerDrawn = false;
  #lastRender = 0;
  #disposed = false;

  constructor(section: HTMLElement, ctx: MapContext) {
    this.#ctx = ctx;
    this.#section = section;
    section.innerHTML = HTML;
    section.setAttribute('aria-labelledby', 'map-title');
    const $ = <T extends HTMLElement>(id: string) => section.querySelector<T>(`#${id}`)!;
    this.#motion = $('map-motion');
    this.#mode = $('map-mode');
    this.#message = $('map-message');
    this.#reducedMotion = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');
    this.#motion.checked = !this.#reducedMotion?.matches;
    this.#reducedMotion?.addEventListener('change', this.#onReducedMotion);
    this.#motion.addEventListener('change', () => {
      this.#motionTouched = true;
      this.#syncMotion();
    });
    this.#syncMotion();
    const act = (a: MapAction) => void this.#act(a);
    this.#view = new MapView($('map-canvas'), { motion: () => this.#motion.checked, openPod: (key) => this.showPod(key), act });
    this.#workloads = new Workloads($('map-workloads'), act);
    this.#dialog = new PodDialog($<HTMLDialogElement>('pod-dialog'), { act });
    this.#timeline = new TimelineView($('timeline'), {
      scrub: (index) => this.#scrub(index === 'live' ? 'live' : positionAt(this.#history, index)),
      export: () => this.#export(),
      import: (f) => void this.#import(f),
      leaveReplay: () => {
        this.#replay = undefined;
        this.#timeline.importNote('');
        this.#scrub('live');
      },
    });
    this.#usage = new MapUsage(() => ctx.session.cluster, () => this.#isLive && this.#section.isConnected, () => this.changed());
    this.changed();
  }

  readonly #onReducedMotion = () => {
    if (!this.#motionTouched) this.#motion.checked = !this.#reducedMotion?.matches;
    this.#syncMotion();
  };

  #syncMotion(): void {
    this.#section.dataset.motion = this.#motion.checked ? 'on' : 'off';
  }

  /**
   * Something was recorded: redraw at a next frame, at most every 100 ms
   * (a burst of events is one drawing), or every second for kinds the map
   * does not draw (the timeline moves on).
   */
  changed(drawn = true): void {
    if (this.#frame || this.#disposed) return;
    const wait = this.#lastRender + (drawn ? MIN_RENDER_MS : TIMELINE_ONLY_MS) - performance.now();
    if (wait > 0) {
      if (this.#timer && (!drawn || this.#timerDrawn)) return;
      clearTimeout(this.#timer);
      this.#timerDrawn = drawn;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.changed(drawn);
      }, wait);
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  /** The session started a new cluster (a reset): back to live, no stopped workers, fresh figures. */
  clusterReplaced(): void {
    this.#usage.reset();
    this.#dialog.close();
    this.#scrub('live');
  }

  /** Opens the "Why here?" dialog of pod `namespace/name` (a chip, or a described pod's link in the terminal). */
  showPod(key: string): void {
    this.#dialog.open(key);
    this.#render();
  }

  /** The history being looked at: an imported one, else the sandbox's. */
  get #history(): WatchHistory {
    return this.#replay?.history ?? this.#ctx.history;
  }

  get #isLive(): boolean {
    return this.#position === 'live' && !this.#replay;
  }

  #scrub(position: MapPosition): void {
    this.#position = position === 'live' && this.#replay ? positionAt(this.#replay.history, this.#replay.history.length) : position;
    this.#render();
  }

  #render(): void {
    this.#lastRender = performance.now();
    const history = this.#history;
    const live = this.#isLive;
    const { index, folded } = indexOf(history, this.#position);
    let state: HistoryState | undefined;
    let model: MapModel | undefined;
    const drawn = live ? 'live' : `${history.startedAt}@${history.dropped + index}:${this.#replay?.name ?? ''}`;
    if (live) {
      const { api, clock } = this.#ctx.session.cluster;
      const list = <T extends KubeObject>(kind: string) => api.list<T>(kind).items;
      model = buildMap({ nodes: list<Node>('Node'), pods: list<Pod>('Pod'), replicaSets: list('ReplicaSet'), deployments: list('Deployment') }, clock.now());
    } else if (drawn !== this.#drawn || this.#dialog.key) {
      state = history.stateAt(index);
      const list = <T extends KubeObject>(kind: string) => state!.list(kind) as T[];
      if (drawn !== this.#drawn) model = buildMap({ nodes: list<Node>('Node'), pods: list<Pod>('Pod'), replicaSets: list('ReplicaSet'), deployments: list('Deployment') }, history.timeAt(index));
    }
    if (model) {
      // Changes animate only from one live drawing to the next: the first drawing, a scrub and a replay are jumps.
      const animate = live && this.#drawn === 'live';
      this.#view.render(model, { usage: live ? this.#usage.figures : new Map(), stopped: live ? this.#usage.stopped : new Set(), interactive: live, animate });
      this.#workloads.render(model.deployments, live);
    }
    this.#drawn = drawn;
    const mode = live ? 'Live' : this.#replay ? `Replay: ${this.#replay.name}` : 'The past';
    if (this.#mode.textContent !== mode) this.#mode.textContent = mode;
    this.#mode.classList.toggle('past', !live);
    this.#timeline.update({ history, index, live, replay: this.#replay?.name });
    this.#timeline.note(this.#capNote(history, folded));
    const key = this.#dialog.key;
    if (key) {
      const [namespace, name] = key.split('/') as [string, string];
      const pod = (state ? state.get('Pod', namespace, name) : this.#ctx.session.cluster.api.tryGet('Pod', namespace, name)) as Pod | undefined;
      this.#dialog.update(pod, live ? this.#ctx.session.cluster.clock.now() : history.timeAt(index), live);
    }
  }

  /** What the history left out, in round figures (it is redrawn at every event). */
  #capNote(history: WatchHistory, folded: boolean): string {
    const parts: string[] = [];
    if (folded) parts.push('The moment picked has been folded into the starting point since: the oldest kept moment is shown.');
    if (history.dropped) {
      const limits = this.#replay ? `${history.maxEvents.toLocaleString('en')} events` : `the last ${history.maxEvents.toLocaleString('en')} events or ${Math.round(history.maxAgeMs / 60_000)} minutes of the cluster's clock`;
      parts.push(`Older events are folded into the starting point: the timeline keeps ${limits}.`);
    }
    return parts.join(' ');
  }

  async #act(action: MapAction): Promise<void> {
    // What the command refuses (a taint written wrong, a pod gone) it says in its own words.
    const line = actionLine(action);
    this.#message.textContent = `$ ${line}`;
    const { exitCode, output } = await this.#ctx.run(line);
    this.changed();
    const said = output?.trim().split('\n')[0];
    this.#message.textContent = `$ ${line}${said ? `: ${said}` : exitCode ? ` (exit ${exitCode}: see the terminal)` : ''}`;
  }

  #export(): void {
    const history = this.#history;
    const blob = new Blob([history.toJsonLines()], { type: 'application/x-ndjson' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `podplay-history-${new Date(history.timeAt(history.length)).toISOString().replace(/[:.]/g, '-')}.jsonl`;
    this.#section.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  async #import(file: File): Promise<void> {
    try {
      if (file.size > MAX_IMPORT_BYTES) throw new Error(`it is ${Math.round(file.size / 2 ** 20)} MiB, more than the ${MAX_IMPORT_BYTES / 2 ** 20} MiB a history can be; export a shorter one`);
      const history = WatchHistory.fromJsonLines(await file.text());
      this.#replay = { name: file.name, history };
      this.#position = positionAt(history, history.length);
      this.#dialog.close();
      this.#timeline.importNote(
        history.capped
          ? `${file.name} held ${(history.capped + history.length).toLocaleString('en')} events: the first ${history.capped.toLocaleString('en')} were folded into its starting point (the timeline keeps ${history.maxEvents.toLocaleString('en')}).`
          : `${file.name}: ${history.length} events. Drag the scrubber to replay them; the sandbox keeps running meanwhile.`,
      );
      this.#render();
    } catch (err) {
      this.#timeline.importNote(`${file.name} was not imported: ${(err as Error).message}`, true);
    }
  }

  dispose(): void {
    this.#disposed = true;
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#usage.dispose();
    this.#dialog.close();
    this.#reducedMotion?.removeEventListener('change', this.#onReducedMotion);
  }
}
