/**
 * The map's drawing: zones of node cards and a lane of Pending pods, kept
 * in step with a {@link MapModel} by key (a node's name, a pod's
 * `namespace/name`), so that a render changes only what changed. A chip
 * that moves (bound from the Pending lane to its node) glides there, a new
 * one grows in, a deleted one fades out; with motion off none of them
 * animate. Every node card carries `data-node`, every chip `data-pod` and
 * `data-phase` (the STATUS column's text) and an accessible name.
 */
import type { MapAction } from './actions.ts';
import { podLabel, type MapModel, type MapNode, type MapPod } from './model.ts';

export interface NodeUsageFigures {
  cpuMilli: number;
  memoryBytes: number;
}

export interface MapViewOptions {
  /** Whether chips animate now (the toggle and prefers-reduced-motion). */
  motion(): boolean;
  /** A chip was activated (click, Enter). */
  openPod(key: string): void;
  /** A node's action button. */
  act(action: MapAction): void;
}

export interface RenderExtras {
  /** Measured usage per node (live only). */
  usage: ReadonlyMap<string, NodeUsageFigures>;
  /** Nodes whose worker has stopped (before the node controller notices). */
  stopped: ReadonlySet<string>;
  /** False while showing the past or an imported history: no actions. */
  interactive: boolean;
}

const MOVE_MS = 350;
const FADE_MS = 250;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
};

const setText = (e: Element, text: string) => {
  if (e.textContent !== text) e.textContent = text;
};
const setAttr = (e: Element, name: string, value: string) => {
  if (e.getAttribute(name) !== value) e.setAttribute(name, value);
};

export const cpuText = (milli: number) => (milli % 1000 === 0 ? `${milli / 1000}` : `${Math.round(milli)}m`);
/** Memory as Kubernetes writes it: `4Gi`, `96Mi`, `512Ki`. */
export function memoryText(bytes: number): string {
  for (const [unit, size] of [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) if (bytes >= size) return bytes % size === 0 || unit !== 'Gi' ? `${Math.round(bytes / size)}${unit}` : `${+(bytes / size).toFixed(1)}${unit}`;
  return `${bytes}`;
}
const percent = (part: number, whole: number) => (whole > 0 ? Math.min(100, (part / whole) * 100) : 0);

/** A hue per owner, so a Deployment's pods share a colour across nodes. */
export function ownerHue(owner: MapPod['owner']): number {
  if (!owner) return -1;
  let h = 0;
  for (const ch of `${owner.kind}/${owner.name}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 360;
}

interface NodeCard {
  root: HTMLElement;
  status: HTMLElement;
  worker: HTMLElement;
  taints: HTMLUListElement;
  cpu: { bar: HTMLElement; req: HTMLElement; use: HTMLElement; text: HTMLElement };
  memory: { bar: HTMLElement; req: HTMLElement; use: HTMLElement; text: HTMLElement };
  pods: HTMLUListElement;
  cordon: HTMLButtonElement;
  buttons: HTMLButtonElement[];
  taintInput: HTMLInputElement;
  taintKey: string;
}

export class MapView {
  readonly #host: HTMLElement;
  readonly #options: MapViewOptions;
  readonly #zones = el('div', 'map-zones');
  readonly #pending = el('ul', 'pod-list pending-list');
  readonly #pendingCount = el('span', 'count');
  readonly #orphans = el('ul', 'pod-list');
  readonly #zoneSections = new Map<string, { section: HTMLElement; nodes: HTMLElement }>();
  readonly #cards = new Map<string, NodeCard>();
  readonly #chips = new Map<string, HTMLLIElement>();
  #interactive = true;

  constructor(host: HTMLElement, options: MapViewOptions) {
    this.#host = host;
    this.#options = options;
    const lane = el('section', 'pending-lane');
    lane.dataset.testid = 'map-pending';
    lane.setAttribute('aria-label', 'Pending pods');
    const title = el('h3', '', 'Pending ');
    title.append(this.#pendingCount);
    lane.append(title, this.#pending);
    this.#pending.setAttribute('aria-label', 'Pending pods');
    this.#orphans.setAttribute('aria-label', 'Pods on nodes that no longer exist');
    this.#orphans.hidden = true;
    host.append(lane, this.#zones, this.#orphans);
  }

  render(model: MapModel, extras: RenderExtras): void {
    this.#interactive = extras.interactive;
    const motion = this.#options.motion();
    // Where every chip should be, and where the moving ones are now (read before anything changes).
    const targets = new Map<string, { pod: MapPod; list: HTMLUListElement }>();
    this.#renderNodes(model, extras);
    for (const z of model.zones) for (const n of z.nodes) for (const p of n.pods) targets.set(p.key, { pod: p, list: this.#cards.get(n.name)!.pods });
    for (const p of model.pending) targets.set(p.key, { pod: p, list: this.#pending });
    for (const p of model.orphans) targets.set(p.key, { pod: p, list: this.#orphans });
    this.#orphans.hidden = model.orphans.length === 0;
    setText(this.#pendingCount, `(${model.pending.length})`);

    const first = new Map<HTMLLIElement, DOMRect>();
    if (motion) for (const [key, t] of targets) {
      const chip = this.#chips.get(key);
      if (chip && chip.parentElement !== t.list) first.set(chip, chip.getBoundingClientRect());
    }
    // Chips whose pod is gone fade out (and stop answering to data-pod at once).
    for (const [key, chip] of this.#chips) {
      if (targets.has(key)) continue;
      this.#chips.delete(key);
      this.#leave(chip, motion);
    }
    const added: HTMLLIElement[] = [];
    const order = new Map<HTMLUListElement, HTMLLIElement[]>();
    for (const [key, t] of targets) {
      let chip = this.#chips.get(key);
      if (!chip) {
        chip = this.#newChip(key);
        this.#chips.set(key, chip);
        added.push(chip);
      }
      this.#updateChip(chip, t.pod);
      order.set(t.list, [...(order.get(t.list) ?? []), chip]);
    }
    for (const [list, chips] of order) placeInOrder(list, sortByOwner(chips));
    if (!motion) return;
    for (const [chip, from] of first) {
      const to = chip.getBoundingClientRect();
      const dx = from.left - to.left;
      const dy = from.top - to.top;
      if (dx || dy) chip.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'none' }], { duration: MOVE_MS, easing: 'ease-out' });
    }
    for (const chip of added) chip.animate([{ opacity: 0, transform: 'scale(0.6)' }, { opacity: 1, transform: 'none' }], { duration: FADE_MS, easing: 'ease-out' });
  }

  #leave(chip: HTMLLIElement, motion: boolean): void {
    const button = chip.firstElementChild as HTMLElement;
    button.dataset.leavingPod = button.dataset.pod ?? '';
    delete button.dataset.pod;
    chip.classList.add('leaving');
    chip.setAttribute('aria-hidden', 'true');
    if (!motion || !chip.isConnected) return chip.remove();
    chip.animate([{ opacity: 1 }, { opacity: 0, transform: 'scale(0.8)' }], { duration: FADE_MS, easing: 'ease-in' }).finished.then(
      () => chip.remove(),
      () => chip.remove(),
    );
  }

  #newChip(key: string): HTMLLIElement {
    const li = el('li', 'chip-item');
    const button = el('button', 'chip');
    button.type = 'button';
    button.dataset.pod = key;
    button.append(el('span', 'chip-name'), el('span', 'chip-restarts'));
    button.addEventListener('click', () => button.dataset.pod && this.#options.openPod(button.dataset.pod));
    li.append(button, el('span', 'reason'));
    return li;
  }

  #updateChip(li: HTMLLIElement, p: MapPod): void {
    const button = li.firstElementChild as HTMLButtonElement;
    const [name, restarts] = button.children as unknown as [HTMLElement, HTMLElement];
    setAttr(button, 'data-phase', p.status);
    setAttr(button, 'data-tone', p.tone);
    setAttr(button, 'data-owner', p.owner ? `${p.owner.kind}/${p.owner.name}` : '');
    setAttr(button, 'aria-label', podLabel(p));
    setAttr(button, 'title', `${p.key}: ${p.status} (${p.ready} ready)${p.owner ? `, ${p.owner.kind} ${p.owner.name}` : ''}`);
    const hue = ownerHue(p.owner);
    const stripe = hue < 0 ? 'transparent' : `hsl(${hue} 65% 45%)`;
    if (button.style.getPropertyValue('--owner') !== stripe) button.style.setProperty('--owner', stripe);
    setText(name, p.name);
    setText(restarts, p.restarts ? `↻${p.restarts}` : '');
    setText(li.lastElementChild!, p.message ?? '');
  }

  #renderNodes(model: MapModel, extras: RenderExtras): void {
    const seenZones = new Set<string>();
    const seenNodes = new Set<string>();
    const zoneOrder: HTMLElement[] = [];
    for (const z of model.zones) {
      seenZones.add(z.zone);
      let zone = this.#zoneSections.get(z.zone);
      if (!zone) {
        const section = el('section', 'zone');
        section.dataset.zone = z.zone;
        section.setAttribute('aria-label', `zone ${z.zone}`);
        const nodes = el('div', 'zone-nodes');
        section.append(el('h3', '', z.zone), nodes);
        zone = { section, nodes };
        this.#zoneSections.set(z.zone, zone);
      }
      zoneOrder.push(zone.section);
      const cards: HTMLElement[] = [];
      for (const n of z.nodes) {
        seenNodes.add(n.name);
        let card = this.#cards.get(n.name);
        if (!card) this.#cards.set(n.name, (card = this.#newCard(n.name)));
        this.#updateCard(card, n, extras);
        cards.push(card.root);
      }
      placeInOrder(zone.nodes, cards);
    }
    for (const [name, card] of this.#cards) if (!seenNodes.has(name)) (card.root.remove(), this.#cards.delete(name));
    for (const [name, zone] of this.#zoneSections) if (!seenZones.has(name)) (zone.section.remove(), this.#zoneSections.delete(name));
    placeInOrder(this.#zones, zoneOrder);
  }

  #newCard(name: string): NodeCard {
    const root = el('article', 'node');
    root.dataset.node = name;
    const head = el('header', 'node-head');
    const status = el('span', 'node-status');
    const worker = el('span', 'node-worker', 'worker stopped');
    head.append(el('h4', '', name), status, worker);
    const taints = el('ul', 'taints');
    taints.setAttribute('aria-label', `taints of ${name}`);
    const bar = (label: string) => {
      const row = el('div', 'res');
      const b = el('div', 'bar');
      b.setAttribute('role', 'img');
      const req = el('span', 'req');
      const use = el('span', 'use');
      b.append(req, use);
      const text = el('span', 'res-text');
      row.append(el('span', 'res-name', label), b, text);
      return { row, parts: { bar: b, req, use, text } };
    };
    const cpu = bar('CPU');
    const memory = bar('Mem');
    const pods = el('ul', 'pod-list');
    pods.setAttribute('aria-label', `pods on ${name}`);
    const actions = el('details', 'node-actions');
    const summary = el('summary', '', 'Actions');
    summary.setAttribute('aria-label', `Actions for ${name}`);
    const button = (text: string, action: () => MapAction | undefined) => {
      const b = el('button', '', text);
      b.type = 'button';
      b.addEventListener('click', () => {
        const a = action();
        if (a) this.#options.act(a);
      });
      return b;
    };
    const cordon = button('Cordon', () => ({ kind: cordon.dataset.cordoned === 'true' ? 'uncordon' : 'cordon', node: name }));
    const drain = button('Drain', () => ({ kind: 'drain', node: name }));
    const stop = button('Stop node', () => ({ kind: 'stop', node: name }));
    stop.title = 'End this node worker abruptly, as a machine that dies (podplay stop node)';
    const form = el('form', 'taint-form');
    const taintInput = el('input');
    taintInput.placeholder = 'key=value:NoSchedule';
    taintInput.setAttribute('aria-label', `New taint for ${name}`);
    taintInput.size = 18;
    const add = el('button', '', 'Taint');
    add.type = 'submit';
    form.append(taintInput, add);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!taintInput.value.trim()) return;
      this.#options.act({ kind: 'taint', node: name, taint: taintInput.value.trim() });
      taintInput.value = '';
    });
    actions.append(summary, cordon, drain, stop, form);
    root.append(head, taints, cpu.row, memory.row, pods, actions);
    return { root, status, worker, taints, cpu: cpu.parts, memory: memory.parts, pods, cordon, buttons: [cordon, drain, stop, add], taintInput, taintKey: '' };
  }

  #updateCard(card: NodeCard, n: MapNode, extras: RenderExtras): void {
    const stopped = extras.stopped.has(n.name);
    card.root.classList.toggle('down', !n.ready || stopped);
    card.root.classList.toggle('cordoned', n.unschedulable);
    setAttr(card.root, 'data-status', n.status);
    setAttr(card.root, 'aria-label', `node ${n.name}, ${n.status}${stopped ? ', worker stopped' : ''}, ${n.pods.length} pod${n.pods.length === 1 ? '' : 's'}`);
    setText(card.status, n.status);
    card.worker.hidden = !stopped;
    const usage = extras.usage.get(n.name);
    this.#bar(card.cpu, 'CPU', n.requested.cpuMilli, n.allocatable.cpuMilli, usage?.cpuMilli, cpuText);
    this.#bar(card.memory, 'Memory', n.requested.memoryBytes, n.allocatable.memoryBytes, usage?.memoryBytes, memoryText);
    card.cordon.textContent = n.unschedulable ? 'Uncordon' : 'Cordon';
    card.cordon.dataset.cordoned = String(n.unschedulable);
    for (const b of card.buttons) b.disabled = !this.#interactive;
    card.taintInput.disabled = !this.#interactive;
    const key = `${n.taints.join('\n')}|${this.#interactive}`;
    if (card.taintKey !== key) {
      card.taintKey = key;
      card.taints.replaceChildren(
        ...n.taints.map((t) => {
          const li = el('li', 'taint', t);
          if (this.#interactive) {
            const remove = el('button', 'untaint', '×');
            remove.type = 'button';
            remove.setAttribute('aria-label', `Remove taint ${t} from ${n.name}`);
            remove.addEventListener('click', () => this.#options.act({ kind: 'untaint', node: n.name, taint: t }));
            li.append(remove);
          }
          return li;
        }),
      );
    }
  }

  #bar(parts: NodeCard['cpu'], label: string, requested: number, allocatable: number, used: number | undefined, fmt: (n: number) => string): void {
    const req = percent(requested, allocatable);
    parts.req.style.width = `${req}%`;
    parts.req.classList.toggle('full', requested > allocatable);
    parts.use.style.width = used === undefined ? '0' : `${percent(used, allocatable)}%`;
    const usedText = used === undefined ? '' : `, used ${fmt(used)}`;
    setText(parts.text, `${fmt(requested)} / ${fmt(allocatable)}`);
    setAttr(parts.bar, 'aria-label', `${label}: requests ${fmt(requested)} of ${fmt(allocatable)} allocatable (${Math.round(req)}%)${usedText}`);
    setAttr(parts.bar, 'title', `${label} requests ${Math.round(req)}% of allocatable${usedText ? `${usedText} (kubectl top)` : ''}`);
  }
}

/** Same-owner pods side by side, then by name. */
function sortByOwner(chips: HTMLLIElement[]): HTMLLIElement[] {
  const key = (c: HTMLLIElement) => {
    const b = c.firstElementChild as HTMLElement;
    return `${b.dataset.owner || '~'}\u0000${b.dataset.pod}`;
  };
  return chips.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Puts `children` in `parent` in this order, moving only what is out of place (leaving chips stay where they are). */
function placeInOrder(parent: HTMLElement, children: readonly HTMLElement[]): void {
  let ref = parent.firstElementChild;
  const skip = () => {
    while (ref && ref.classList.contains('leaving')) ref = ref.nextElementSibling;
  };
  for (const child of children) {
    skip();
    if (child === ref) {
      ref = ref.nextElementSibling;
      continue;
    }
    parent.insertBefore(child, ref);
  }
}
