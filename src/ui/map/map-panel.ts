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
import { WatchHistory, readExplanation, type HistoryState, type KubeObject, type Node, type Pod } from '../../sandbox/index.ts';
import type { Disposable } from '../../shared/index.ts';
import { actionLine, TAINT_FORM, type MapAction } from './actions.ts';
import { renderExplanation } from './explain-view.ts';
import { buildMap, mapPod, type MapModel } from './model.ts';
import { MapView, type NodeUsageFigures } from './map-view.ts';
import { TimelineView } from './timeline-view.ts';
import { MapUsage } from './usage.ts';

export interface MapContext {
  session: SandboxSession;
  /** The watch history the runner records from the session's start. */
  history: WatchHistory;
  /** Runs an action's command line where the learner sees it (the terminal); resolves to its exit code. */
  run(line: string): Promise<number>;
}

const HTML = `
<h2 id="map-title">Cluster map</h2>
<div class="map-bar">
  <span id="map-mode" class="map-mode" data-testid="map-mode">Live</span>
  <label><input type="checkbox" id="map-motion" data-testid="map-motion" /> Animate</label>
  <span id="map-message" class="muted" data-testid="map-message" role="status"></span>
</div>
<ul id="map-workloads" class="workloads" data-testid="map-workloads" aria-label="Deployments"></ul>
<div id="map-canvas" class="map-canvas" data-testid="map"></div>
<dialog id="pod-dialog" class="pod-dialog" data-testid="pod-dialog" aria-labelledby="pod-dialog-title">
  <div class="dialog-head"><h3 id="pod-dialog-title"></h3><button type="button" id="pod-dialog-close">Close</button></div>
  <p id="pod-dialog-status"></p>
  <div id="pod-dialog-actions" class="dialog-actions"></div>
  <h4>Why here? The scheduler's last attempt</h4>
  <div id="pod-dialog-explain"></div>
  <p class="muted">In the terminal: <code id="pod-dialog-command"></code></p>
</dialog>
<section id="timeline" class="timeline" aria-labelledby="timeline-title"></section>`;

export class MapPanel implements Disposable {
  readonly #ctx: MapContext;
  readonly #view: MapView;
  readonly #timeline: TimelineView;
  readonly #usage: MapUsage;
  readonly #motion: HTMLInputElement;
  readonly #mode: HTMLElement;
  readonly #message: HTMLElement;
  readonly #workloads: HTMLElement;
  readonly #dialog: HTMLDialogElement;
  readonly #section: HTMLElement;
  readonly #reducedMotion: MediaQueryList | undefined;
  #motionTouched = false;
  #position: number | 'live' = 'live';
  #replay: { name: string; history: WatchHistory } | undefined;
  #openPod: string | undefined;
  #frame = 0;
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
    this.#workloads = $('map-workloads');
    this.#dialog = $('pod-dialog');
    this.#reducedMotion = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');
    this.#motion.checked = !this.#reducedMotion?.matches;
    this.#reducedMotion?.addEventListener('change', this.#onReducedMotion);
    this.#motion.addEventListener('change', () => {
      this.#motionTouched = true;
      this.#syncMotion();
    });
    this.#syncMotion();
    this.#view = new MapView($('map-canvas'), { motion: () => this.#motion.checked, openPod: (key) => this.#showPod(key), act: (a) => void this.#act(a) });
    this.#timeline = new TimelineView($('timeline'), {
      scrub: (p) => this.#scrub(p),
      export: () => this.#export(),
      import: (f) => void this.#import(f),
      leaveReplay: () => {
        this.#replay = undefined;
        this.#scrub('live');
        this.#timeline.note('');
      },
    });
    $('pod-dialog-close').addEventListener('click', () => this.#dialog.close());
    this.#dialog.addEventListener('close', () => (this.#openPod = undefined));
    this.#usage = new MapUsage(() => ctx.session.cluster, () => this.#position === 'live' && !this.#replay && this.#section.isConnected, () => this.changed());
    this.changed();
  }

  readonly #onReducedMotion = () => {
    if (!this.#motionTouched) this.#motion.checked = !this.#reducedMotion?.matches;
    this.#syncMotion();
  };

  #syncMotion(): void {
    this.#section.dataset.motion = this.#motion.checked ? 'on' : 'off';
  }

  /** Something changed in the cluster: redraw at the next frame (live) and move the timeline on. */
  changed(): void {
    if (this.#frame || this.#disposed) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  /** The session started a new cluster (a reset): back to live, no stopped workers, fresh figures. */
  clusterReplaced(): void {
    this.#usage.reset();
    this.#scrub('live');
  }

  /** The history being looked at: an imported one, else the sandbox's. */
  get #history(): WatchHistory {
    return this.#replay?.history ?? this.#ctx.history;
  }

  #scrub(position: number | 'live'): void {
    this.#position = position === 'live' && this.#replay ? this.#replay.history.length : position;
    this.#render();
  }

  #render(): void {
    const history = this.#history;
    const live = this.#position === 'live' && !this.#replay;
    let model: MapModel;
    let state: HistoryState | undefined;
    if (live) {
      const { api, clock } = this.#ctx.session.cluster;
      const list = <T extends KubeObject>(kind: string) => api.list<T>(kind).items;
      model = buildMap({ nodes: list<Node>('Node'), pods: list<Pod>('Pod'), replicaSets: list('ReplicaSet'), deployments: list('Deployment') }, clock.now());
    } else {
      const at = Math.min(this.#position as number, history.length);
      state = history.stateAt(at);
      const list = <T extends KubeObject>(kind: string) => state!.list(kind) as T[];
      model = buildMap({ nodes: list<Node>('Node'), pods: list<Pod>('Pod'), replicaSets: list('ReplicaSet'), deployments: list('Deployment') }, history.timeAt(at));
    }
    const usage: ReadonlyMap<string, NodeUsageFigures> = live ? this.#usage.figures : new Map();
    this.#view.render(model, { usage, stopped: live ? this.#usage.stopped : new Set(), interactive: live });
    this.#renderWorkloads(model, live);
    this.#mode.textContent = live ? 'Live' : this.#replay ? `Replay: ${this.#replay.name}` : 'The past';
    this.#mode.classList.toggle('past', !live);
    this.#timeline.update({ history, position: this.#position, replay: this.#replay?.name });
    if (!this.#replay && this.#ctx.history.dropped) this.#timeline.note(`The oldest ${this.#ctx.history.dropped} events were folded into the starting point: the timeline keeps the last ${this.#ctx.history.maxEvents.toLocaleString('en')} events or ${Math.round(this.#ctx.history.maxAgeMs / 60_000)} minutes.`);
    if (this.#openPod) this.#fillDialog(this.#openPod, state);
  }

  #renderWorkloads(model: MapModel, live: boolean): void {
    const items = model.deployments.map((d) => {
      const li = document.createElement('li');
      li.dataset.deployment = `${d.namespace}/${d.name}`;
      const label = document.createElement('span');
      label.textContent = `deployment/${d.name}${d.namespace === 'default' ? '' : ` (${d.namespace})`} ${d.ready}/${d.replicas}`;
      const button = (text: string, replicas: number, name: string) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = text;
        b.setAttribute('aria-label', `${name} deployment ${d.name} to ${replicas}`);
        b.disabled = !live || replicas < 0;
        b.addEventListener('click', () => void this.#act({ kind: 'scale', namespace: d.namespace, deployment: d.name, replicas, current: d.replicas }));
        return b;
      };
      li.append(label, button('−', d.replicas - 1, 'Scale down'), button('+', d.replicas + 1, 'Scale up'));
      return li;
    });
    const key = JSON.stringify([model.deployments, live]);
    if (this.#workloads.dataset.key !== key) {
      this.#workloads.dataset.key = key;
      this.#workloads.replaceChildren(...items);
    }
  }

  async #act(action: MapAction): Promise<void> {
    if (action.kind === 'taint' && !TAINT_FORM.test(action.taint)) {
      this.#message.textContent = `"${action.taint}" is not a taint: write key=value:Effect, with Effect NoSchedule, PreferNoSchedule or NoExecute.`;
      return;
    }
    const line = actionLine(action);
    this.#message.textContent = `$ ${line}`;
    const code = await this.#ctx.run(line);
    this.changed();
    this.#message.textContent = `$ ${line}${code ? ` (exit ${code}: see the terminal)` : ''}`;
  }

  #showPod(key: string): void {
    this.#openPod = key;
    this.#fillDialog(key, this.#position === 'live' && !this.#replay ? undefined : this.#history.stateAt(Math.min(this.#position as number, this.#history.length)));
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  /** The dialog of pod `key`, from the live cluster or a past state. */
  #fillDialog(key: string, state: HistoryState | undefined): void {
    const [namespace, name] = key.split('/') as [string, string];
    const pod = (state ? state.get('Pod', namespace, name) : this.#ctx.session.cluster.api.tryGet('Pod', namespace, name)) as Pod | undefined;
    const $ = (id: string) => this.#dialog.querySelector<HTMLElement>(`#${id}`)!;
    $('pod-dialog-title').textContent = `pod/${name}${namespace === 'default' ? '' : ` -n ${namespace}`}`;
    $('pod-dialog-command').textContent = `podplay explain pod ${name}${namespace === 'default' ? '' : ` -n ${namespace}`}`;
    const actions = $('pod-dialog-actions');
    if (!pod) {
      $('pod-dialog-status').textContent = 'This pod is gone.';
      actions.replaceChildren();
      $('pod-dialog-explain').replaceChildren();
      return;
    }
    const now = state ? this.#history.timeAt(Math.min(this.#position as number, this.#history.length)) : this.#ctx.session.cluster.clock.now();
    const chip = mapPod(pod, now, new Map());
    const rv = `${pod.metadata.resourceVersion}:${!!state}`;
    if (this.#dialog.dataset.shown === `${key}@${rv}`) return;
    this.#dialog.dataset.shown = `${key}@${rv}`;
    $('pod-dialog-status').textContent = `${chip.status}, ${chip.ready} ready, ${chip.restarts} restart${chip.restarts === 1 ? '' : 's'}${chip.node ? `, on ${chip.node}` : ''}.`;
    const live = !state;
    const button = (text: string, action: MapAction) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.disabled = !live;
      b.addEventListener('click', () => void this.#act(action));
      return b;
    };
    actions.replaceChildren(button('Delete pod', { kind: 'delete-pod', namespace, pod: name }));
    $('pod-dialog-explain').replaceChildren(renderExplanation(chip, readExplanation(pod)));
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
      const history = WatchHistory.fromJsonLines(await file.text());
      this.#replay = { name: file.name, history };
      this.#position = history.length;
      this.#timeline.note(
        history.capped
          ? `${file.name} held ${history.capped + history.length} events: the first ${history.capped} were folded into its starting point (the timeline keeps ${history.maxEvents.toLocaleString('en')}).`
          : `${file.name}: ${history.length} events. Drag the scrubber to replay them; the sandbox keeps running meanwhile.`,
      );
      this.#render();
    } catch (err) {
      this.#timeline.note(`${file.name} was not imported: ${(err as Error).message}`, true);
    }
  }

  dispose(): void {
    this.#disposed = true;
    cancelAnimationFrame(this.#frame);
    this.#usage.dispose();
    this.#reducedMotion?.removeEventListener('change', this.#onReducedMotion);
  }
}
