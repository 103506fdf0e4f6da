/**
 * What a `<podplay-sandbox>` runs once the page can run containers: its
 * session (cluster, docker side, files, history, saved state), its terminal
 * and panels, and what its attributes ask for at start (extra image
 * layouts, manifests, files, lines to type). The element owns the DOM
 * around it and the events; this owns the parts and their order.
 */
import { PagePorts } from './page-ports.ts';
import { MemoryFiles, createSession, nodeConfigsFromYaml, type ChangeEvent, type SandboxSession } from '../cli/index.ts';
import { BROWSER_STORE, STATE_DB, WatchHistory, browserStateStore, checkIndexedDb, type LoadedState, type NodeConfig } from '../sandbox/index.ts';
import { PodplayError, assetUrl, assetsBase, setAssetsBase } from '../shared/index.ts';
import { persistKey, type SandboxConfig } from './attributes.ts';
import { EXAMPLE_FILES } from './examples.ts';
import { ImagesPanel } from './images-panel.ts';
import { FilesPanel } from './files-panel.ts';
import { MapPanel } from './map/map-panel.ts';
import type { Notices } from './notices.ts';
import { RunPanel } from './run-panel.ts';
import { checkLayouts, fetchAll, fileNameOf } from './startup-inputs.ts';
import { inFrame } from './isolation.ts';
import { holdSavedState, saveWhenPageGoes } from './saved-state-hold.ts';
import { mountTerminal, type TerminalView } from './terminal.ts';

export type CommandSource = 'terminal' | 'exec';

/** The kinds the map draws (others only move its timeline on). */
const MAP_KINDS = new Set(['Node', 'Pod', 'ReplicaSet', 'Deployment']);

/** The notices of a start (URLs that failed, a state set aside): a reset takes them away. */
const START = 'start';

export interface RunnerHooks {
  status(text: string, error?: boolean): void;
  notices: Notices;
  dark(): boolean;
  screenReader(): boolean;
  command(detail: { line: string; exitCode: number; source: CommandSource; startedAt: number }): void;
  change(detail: ChangeEvent): void;
}

/** Images live in IndexedDB: a page refused it gets told why and what to do, before anything starts. */
async function checkStorage(): Promise<void> {
  try {
    await checkIndexedDb(STATE_DB);
  } catch (err) {
    throw new PodplayError(
      'StorageRefused',
      `podplay cannot keep its images here: ${(err as Error).message}. ` +
        (inFrame()
          ? 'This page is a frame of another site, and the browser blocks storage for embedded sites (as private windows and strict privacy settings do): open podplay in a tab of its own, or allow this site to store data (third-party cookies) in the browser.'
          : 'Private windows and some privacy settings block it: open the page in a normal window, or allow this site to store data.'),
    );
  }
}

/** A start given up because the element left the page. */
class StartCancelled extends Error {
  constructor() {
    super('this sandbox was removed from the page while it started');
    this.name = 'StartCancelled';
  }
}

export class SandboxRunner {
  readonly assets: string | undefined;
  session: SandboxSession | undefined;
  terminal: TerminalView | undefined;
  readonly #host: HTMLElement;
  readonly #root: ShadowRoot;
  readonly #config: SandboxConfig;
  readonly #hooks: RunnerHooks;
  #images: ImagesPanel | undefined;
  #run: RunPanel | undefined;
  #map: MapPanel | undefined;
  /** Every watch event since the cluster started, for the map's timeline (with the map panel). */
  #history: WatchHistory | undefined;
  /** The resourceVersion the history's start holds. */
  #historyFrom = 0;
  /** Extra layouts that answered at start. */
  #layouts: string[] = [];
  /** Ends the hold on this sandbox's saved state (see holdSavedState). */
  #releaseState: (() => void) | undefined;
  /** Stops saving as the page goes. */
  #stopSavingOnHide: (() => void) | undefined;
  /** What the terminal says once it is there (a restored state). */
  #pendingNote: string | undefined;
  /** Let go of by the element: a start under way stops at its next step. */
  #disposed = false;

  constructor(host: HTMLElement, root: ShadowRoot, config: SandboxConfig, hooks: RunnerHooks) {
    this.#host = host;
    this.#root = root;
    this.#config = config;
    this.#hooks = hooks;
    if (config.assets) setAssetsBase(config.assets);
    this.assets = assetsBase();
  }

  #el<T extends HTMLElement = HTMLElement>(id: string): T {
    return this.#root.getElementById(id) as T;
  }

  /** Where this sandbox's state is saved: the page's path and the element's id (or its place among the page's sandboxes). */
  #persistKey(): string {
    if (this.#host.id) return persistKey(location.pathname, this.#host.id);
    const all = [...document.querySelectorAll(this.#host.localName)];
    const place = `${this.#host.localName}-${all.indexOf(this.#host) + 1}`;
    this.#hooks.notices.add(`persist: this sandbox has no id, so it is saved as the page's ${place}; give it an id to keep its state when the page changes.`);
    return persistKey(location.pathname, place);
  }

  async start(): Promise<void> {
    const config = this.#config;
    const { status, notices } = this.#hooks;
    await checkStorage();
    this.#alive();
    if (config.images.length) {
      status('Checking the image layouts…');
      const { good, errors } = await checkLayouts(config.images);
      this.#alive();
      this.#layouts = good;
      for (const e of errors) notices.add(`images: ${e.url}: ${e.error}`, 'error', undefined, START);
    }
    const key = config.persist ? this.#persistKey() : undefined;
    const hold = key ? await holdSavedState(key) : undefined;
    this.#releaseState = hold?.release;
    this.#alive();
    const keeper = !!hold?.keeper;
    if (key && !keeper) notices.add('This sandbox is also open in another tab, which keeps its saved state: it started from that state, and what happens here is not saved.', 'info', undefined, START);
    const nodeConfigs = config.cluster ? await this.#clusterNodes(config.cluster) : undefined;
    this.#alive();
    const workers = nodeConfigs?.length ?? config.nodes;
    status(`Starting the cluster (${workers} node worker${workers === 1 ? '' : 's'})…`);
    const session = await createSession({
      nodeConfigs,
      store: BROWSER_STORE,
      layoutUrl: assetUrl('images'),
      images: this.#layouts,
      nodes: config.nodes,
      nodeCpu: config.nodeCpu,
      nodeMemory: config.nodeMemory,
      speed: config.speed,
      files: { ...EXAMPLE_FILES },
      state: key ? browserStateStore(key) : undefined,
      saveState: keeper,
      ports: new PagePorts(this.assets ?? location.href, config.serviceWorker),
    });
    // Removed while the cluster started: let it go at once (dispose() ran before it existed).
    if (this.#disposed) {
      await session.dispose();
      this.#alive();
    }
    this.session = session;
    if (config.panels.includes('map')) this.#record(session);
    this.session.onChange((e) => this.#hooks.change(e));
    this.#reportRestored(this.session.restored);
    if (config.panels.includes('terminal')) this.#mountTerminal();
    if (this.session.restored.kind !== 'restored') await this.#startInputs();
    this.#alive();
    await this.#mountPanels();
    this.#alive();
    this.#ready();
    this.#stopSavingOnHide = saveWhenPageGoes(() => this.session);
  }

  /**
   * Records every watch event from now on. The objects now are where the
   * history starts; events are delivered a moment after their write, so
   * those of writes the start already holds (resourceVersion at or below
   * its own) are left out.
   */
  #record(session: SandboxSession): void {
    const history = (this.#history = new WatchHistory({ base: [], startedAt: 0 }));
    this.#startHistory();
    session.onChange((e) => {
      if (Number(e.object.metadata.resourceVersion) <= this.#historyFrom) return;
      try {
        history.record(e.type, e.kind, e.object, session.cluster.clock.now());
      } catch (err) {
        console.warn(`podplay: the timeline could not record a ${e.kind} event: ${(err as Error).message}`);
      }
      this.#map?.changed(MAP_KINDS.has(e.kind));
    });
  }

  /** Starts the history over at the cluster as it is now (at the start, after a reset). */
  #startHistory(): void {
    const { api, clock } = this.session!.cluster;
    this.#historyFrom = Number(api.resourceVersion);
    this.#history?.clear(api.dump(), clock.now());
  }

  /**
   * Runs a map action's line where the learner sees it: typed into the
   * terminal at its prompt; while a command runs there (kubectl get -w),
   * run beside it and written into the terminal with its output. Without a
   * terminal, the output comes back for the map to show.
   */
  async #runAction(line: string): Promise<{ exitCode: number; output?: string }> {
    const terminal = this.terminal;
    if (terminal && !terminal.shell.busy) return { exitCode: await terminal.type(line) };
    const r = await this.exec(line);
    const output = (r.stdout + r.stderr).replace(/\n$/, '');
    if (!terminal) return { exitCode: r.exitCode, output };
    terminal.note(`$ ${line}\n${output}`);
    return { exitCode: r.exitCode };
  }

  /** The nodes of the `cluster` file; a file that fails is reported, and the nodes of the other attributes start. */
  async #clusterNodes(url: string): Promise<NodeConfig[] | undefined> {
    const [f] = await fetchAll([url], 'text');
    try {
      if (f!.error) throw new Error(`${url} ${f!.error}`);
      return nodeConfigsFromYaml(f!.text!, url);
    } catch (err) {
      this.#hooks.notices.add(`cluster: ${(err as Error).message.replace(/[.?!]?$/, '.')} The nodes of the nodes, node-cpu and node-memory attributes (or their defaults) started instead.`, 'error', undefined, START);
      return undefined;
    }
  }

  #ready(): void {
    const nodes = this.session!.cluster.nodes.nodes.map((n) => n.name).join(', ');
    this.#hooks.status(`Cluster ready: ${nodes} (each a node worker in this tab).`);
  }

  #reportRestored(restored: LoadedState): void {
    if (restored.kind === 'restored') {
      const when = restored.savedAt ? new Date(restored.savedAt).toLocaleString() : 'earlier';
      this.#pendingNote = `Restored this sandbox as it was saved (${when}): ${restored.state.objects.length} objects; the pods start again, as after a node reboot. Reset starts clean.`;
    } else if (restored.kind === 'setAside') {
      this.#hooks.notices.add(
        `The saved state of this sandbox could not be restored: ${restored.reason}. It was set aside (IndexedDB "podplay-state", key "${restored.key}") and a clean cluster started.`,
        'error',
        { name: `${restored.key.replace(/[^\w.-]+/g, '_')}.json`, bytes: restored.bytes, label: 'Download it' },
        START,
      );
    }
  }

  #mountTerminal(): void {
    const session = this.session!;
    this.terminal = mountTerminal(this.#el('terminal'), {
      env: session.env,
      history: session.history,
      dark: this.#hooks.dark(),
      readonly: this.#config.readonlyTerminal,
      screenReader: this.#hooks.screenReader(),
      openPod: this.#config.panels.includes('map') ? (namespace, name) => this.#map?.showPod(`${namespace}/${name}`) : undefined,
      onCommand: (line, exitCode, startedAt) => {
        session.scheduleSave();
        this.#hooks.command({ line, exitCode, source: 'terminal', startedAt });
      },
    });
    // The terminal's own history array is what gets saved from now on.
    session.history = this.terminal.shell.editor.history;
    if (this.#pendingNote) this.terminal.note(this.#pendingNote);
    this.#pendingNote = undefined;
  }

  /** Files and manifests from the attributes (a fresh start: a restored sandbox has its own). */
  async #startInputs(): Promise<void> {
    const session = this.session!;
    const { notices } = this.#hooks;
    for (const f of await fetchAll(this.#config.files, 'bytes')) {
      if (f.error) notices.add(`files: ${f.url} ${f.error}`, 'error', undefined, START);
      else await session.files.write(fileNameOf(f.url), f.bytes!).catch((err: Error) => notices.add(`files: ${f.url} could not be placed: ${err.message}`, 'error', undefined, START));
    }
    for (const m of await fetchAll(this.#config.manifests, 'text')) {
      if (m.error) {
        notices.add(`manifests: ${m.url} ${m.error}`, 'error', undefined, START);
        continue;
      }
      const { lines, errors } = session.apply(m.text!, m.url);
      for (const e of errors) notices.add(`manifests: ${m.url}: ${e.replace(/\n+$/, '')}`, 'error', undefined, START);
      if (lines.length) this.terminal?.note(`kubectl apply -f ${fileNameOf(m.url)}\n${lines.join('\n')}`);
    }
  }

  async #mountPanels(): Promise<void> {
    const session = this.session!;
    const { panels } = this.#config;
    const files = session.files;
    if (files instanceof MemoryFiles) files.onChange = () => session.scheduleSave();
    if (panels.includes('files') && files instanceof MemoryFiles) {
      const section = this.#el('files-section');
      section.hidden = false;
      const panel = new FilesPanel(section, { files, save: () => session.scheduleSave(), dark: () => this.#hooks.dark(), status: (text, error) => this.#hooks.status(text, error) });
      session.env.editor = { open: (path) => panel.open(path) };
    }
    if (panels.includes('map')) {
      const section = this.#el('map-section');
      section.hidden = false;
      this.#map = new MapPanel(section, { session, history: this.#history!, run: (line) => this.#runAction(line) });
    }
    if (!panels.includes('images') && !panels.includes('run')) return;
    const statusLine = this.#el('status');
    statusLine.hidden = false;
    const status = (text: string, error = false) => {
      statusLine.textContent = text;
      statusLine.classList.toggle('error', error);
    };
    const docker = () => session.env.sandbox();
    if (panels.includes('images')) {
      const section = this.#el('images-section');
      section.hidden = false;
      this.#images = new ImagesPanel(section, { docker, status, runImage: (ref) => this.#run?.runImage(ref) });
    }
    if (panels.includes('run')) {
      const section = this.#el('run-section');
      section.hidden = false;
      this.#run = new RunPanel(section, {
        docker,
        status,
        pullEvent: (e) => this.#images?.pullView.push(e),
        imagesChanged: () => void this.#refreshImages(),
      });
      status('Pulling podplay/hello…');
      await (await docker()).node.ready();
      void this.#run.start().then(() => this.#refreshImages());
    } else {
      await this.#refreshImages();
    }
  }

  async #refreshImages(): Promise<void> {
    await this.#images?.refresh();
    const docker = await this.session!.env.sandbox();
    this.#run?.addImages((await docker.images()).map((i) => i.ref));
  }

  async exec(line: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    const startedAt = Date.now();
    const r = await this.session!.exec(line);
    this.#hooks.command({ line, exitCode: r.exitCode, source: 'exec', startedAt });
    return r;
  }

  /** Types into the terminal when there is one; without one the line runs as exec would. */
  async type(line: string): Promise<number> {
    if (!this.terminal) return (await this.exec(line)).exitCode;
    return this.terminal.type(line);
  }

  async typeRunLines(): Promise<void> {
    for (const line of this.#config.run) await this.type(line);
  }

  async reset(): Promise<void> {
    const session = this.session!;
    this.#hooks.status('Resetting: a new cluster…');
    this.#hooks.notices.clear(START);
    this.terminal?.dispose();
    this.terminal = undefined;
    this.#el('terminal').replaceChildren();
    try {
      await session.reset({ ...EXAMPLE_FILES });
    } finally {
      // A terminal again either way: after a failed reset it says what its commands meet.
      if (this.#config.panels.includes('terminal')) this.#mountTerminal();
    }
    if (this.#history) this.#startHistory();
    this.#map?.clusterReplaced();
    await this.#startInputs();
    this.#ready();
  }

  /** Throws when the element let go of this runner while it was starting (and lets go of the saved state's hold, taken since). */
  #alive(): void {
    if (!this.#disposed) return;
    this.#releaseState?.();
    throw new StartCancelled();
  }

  /** Lets go of everything: the terminal, the session (saved first), the hold on the saved state; a start under way stops at its next step. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#stopSavingOnHide?.();
    this.#map?.dispose();
    this.terminal?.dispose();
    await this.session?.dispose();
    this.#releaseState?.();
  }
}
