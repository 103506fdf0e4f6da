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
import { TONES } from './map-styles.ts';
import { NodeCard, el, setAttr, setText } from './node-card.ts';
import { podLabel, type MapModel, type MapPod } from './model.ts';

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
  /** False for a jump (the first drawing, a scrub, a replay): changes are drawn at once. */
  animate: boolean;
}

/** A chip is its pod's: a pod made again under the same name gets a new one. */
const chipKey = (p: MapPod) => p.uid || p.key;

const MOVE_MS = 350;
/** More chips than this changing in one drawing are not animated. */
const MAX_ANIMATED = 20;
const FADE_MS = 250;

/** A hue per owner, so a Deployment's pods share a colour across nodes. */
function ownerHue(owner: MapPod['owner']): number {
  if (!owner) return -1;
  let h = 0;
  for (const ch of `${owner.kind}/${owner.name}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 360;
}

export class MapView {
  readonly #options: MapViewOptions;
  readonly #zones = el('div', 'map-zones');
  readonly #legend = el('ul', 'map-legend');
  readonly #pending = el('ul', 'pod-list pending-list');
  readonly #pendingCount = el('span', 'count');
  readonly #orphans = el('ul', 'pod-list');
  readonly #zoneSections = new Map<string, { section: HTMLElement; nodes: HTMLElement }>();
  readonly #cards = new Map<string, NodeCard>();
  readonly #chips = new Map<string, HTMLLIElement>();

  constructor(host: HTMLElement, options: MapViewOptions) {
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
    this.#legend.setAttribute('aria-label', 'What the colours mean');
    host.append(this.#legend, lane, this.#zones, this.#orphans);
  }

  render(model: MapModel, extras: RenderExtras): void {
    const motion = extras.animate && this.#options.motion();
    // Where each pod goes: a node's list (`node:NAME`), the Pending lane, or the orphans'.
    const placed: Array<{ pod: MapPod; where: string }> = [];
    for (const z of model.zones) for (const n of z.nodes) for (const pod of n.pods) placed.push({ pod, where: `node:${n.name}` });
    for (const pod of model.pending) placed.push({ pod, where: 'pending' });
    for (const pod of model.orphans) placed.push({ pod, where: 'orphans' });
    // Where the chips that move are now: read before anything changes.
    const first = new Map<HTMLLIElement, DOMRect>();
    if (motion) {
      for (const { pod, where } of placed) {
        const chip = this.#chips.get(chipKey(pod));
        if (chip?.isConnected && chip.dataset.where !== where) first.set(chip, chip.getBoundingClientRect());
      }
    }
    this.#renderNodes(model, extras);
    this.#renderLegend(model);
    this.#orphans.hidden = model.orphans.length === 0;
    setText(this.#pendingCount, `(${model.pending.length})`);
    const listOf = (where: string) => (where === 'pending' ? this.#pending : where === 'orphans' ? this.#orphans : this.#cards.get(where.slice('node:'.length))!.pods);

    // Chips whose pod is gone fade out (and stop answering to data-pod at once). A pod made again under the same name is a new chip.
    const keys = new Set(placed.map((p) => chipKey(p.pod)));
    const gone = [...this.#chips].filter(([key]) => !keys.has(key));
    const arriving = placed.filter((p) => !this.#chips.has(chipKey(p.pod))).length;
    // A burst (a scale to 100) is drawn at once: dozens of chips moving at the same time teach nothing and cost frames.
    const animate = motion && first.size + arriving + gone.length <= MAX_ANIMATED;
    for (const [key, chip] of gone) {
      this.#chips.delete(key);
      this.#leave(chip, animate);
    }
    const added: HTMLLIElement[] = [];
    const order = new Map<HTMLUListElement, HTMLLIElement[]>();
    for (const { pod, where } of placed) {
      let chip = this.#chips.get(chipKey(pod));
      if (!chip) {
        chip = this.#newChip();
        this.#chips.set(chipKey(pod), chip);
        added.push(chip);
      }
      chip.dataset.where = where;
      this.#updateChip(chip, pod);
      const list = listOf(where);
      const chips = order.get(list);
      if (chips) chips.push(chip);
      else order.set(list, [chip]);
    }
    for (const [list, chips] of order) placeInOrder(list, sortByOwner(chips));
    if (!animate) return;
    for (const [chip, from] of first) {
      const to = chip.getBoundingClientRect();
      const dx = from.left - to.left;
      const dy = from.top - to.top;
      if (dx || dy) chip.animate([{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'none' }], { duration: MOVE_MS, easing: 'ease-out' });
    }
    for (const chip of added) chip.animate([{ opacity: 0, transform: 'scale(0.6)' }, { opacity: 1, transform: 'none' }], { duration: FADE_MS, easing: 'ease-out' });
  }

  /** What the colours mean here: the STATUS texts on the map, and the owners' stripes. */
  #renderLegend(model: MapModel): void {
    const statuses = new Map<string, { tone: string; count: number }>();
    const owners = new Map<string, number>();
    const pods = [...model.zones.flatMap((z) => z.nodes.flatMap((n) => n.pods)), ...model.pending, ...model.orphans];
    for (const p of pods) {
      const s = statuses.get(p.status) ?? { tone: p.tone, count: 0 };
      s.count++;
      statuses.set(p.status, s);
      if (p.owner) owners.set(`${p.owner.kind} ${p.owner.name}`, ownerHue(p.owner));
    }
    const key = JSON.stringify([[...statuses], [...owners]]);
    if (this.#legend.dataset.key === key) return;
    this.#legend.dataset.key = key;
    const item = (swatch: string, text: string, className: string) => {
      const li = el('li', className);
      const sw = el('span', 'swatch');
      sw.style.background = swatch;
      li.append(sw, text);
      return li;
    };
    this.#legend.replaceChildren(
      ...[...statuses].sort(([a], [b]) => (a < b ? -1 : 1)).map(([status, s]) => item(TONES[s.tone] ?? '#777', `${status} (${s.count})`, 'legend-status')),
      ...[...owners].sort(([a], [b]) => (a < b ? -1 : 1)).map(([owner, hue]) => item(`hsl(${hue} 65% 45%)`, owner, 'legend-owner')),
    );
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

  #newChip(): HTMLLIElement {
    const li = el('li', 'chip-item');
    const button = el('button', 'chip');
    button.type = 'button';
    button.append(el('span', 'chip-name'), el('span', 'chip-status'), el('span', 'chip-restarts'));
    button.addEventListener('click', () => button.dataset.pod && this.#options.openPod(button.dataset.pod));
    li.append(button, el('span', 'reason'));
    return li;
  }

  #updateChip(li: HTMLLIElement, p: MapPod): void {
    const button = li.firstElementChild as HTMLButtonElement;
    const [name, status, restarts] = button.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
    setAttr(button, 'data-pod', p.key);
    setAttr(button, 'data-phase', p.status);
    setAttr(button, 'data-tone', p.tone);
    setAttr(button, 'data-owner', p.owner ? `${p.owner.kind}/${p.owner.name}` : '');
    setAttr(button, 'aria-label', podLabel(p));
    setAttr(button, 'title', `${p.key}: ${p.status} (${p.ready} ready)${p.owner ? `, ${p.owner.kind} ${p.owner.name}` : ''}`);
    const hue = ownerHue(p.owner);
    const stripe = hue < 0 ? 'transparent' : `hsl(${hue} 65% 45%)`;
    if (button.style.getPropertyValue('--owner') !== stripe) button.style.setProperty('--owner', stripe);
    setText(name, p.name);
    // Colour is not the only cue: what is not Running says so on the chip.
    setText(status, p.tone === 'running' ? '' : p.status);
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
        if (!card) this.#cards.set(n.name, (card = new NodeCard(n.name, this.#options.act)));
        card.update(n, extras);
        cards.push(card.root);
      }
      placeInOrder(zone.nodes, cards);
    }
    for (const [name, card] of this.#cards) if (!seenNodes.has(name)) (card.root.remove(), this.#cards.delete(name));
    for (const [name, zone] of this.#zoneSections) if (!seenZones.has(name)) (zone.section.remove(), this.#zoneSections.delete(name));
    placeInOrder(this.#zones, zoneOrder);
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
