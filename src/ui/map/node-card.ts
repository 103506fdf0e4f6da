/**
 * One node's card on the map: its name, STATUS, taints (each removable),
 * the CPU and memory bars (requests against allocatable, measured usage
 * under them) and its Actions menu, whose buttons hand the map the action
 * to run. The card's list of pods is filled by the map.
 */
import type { MapAction } from './actions.ts';
import type { MapNode } from './model.ts';
import type { RenderExtras } from './map-view.ts';

interface BarParts {
  bar: HTMLElement;
  req: HTMLElement;
  use: HTMLElement;
  text: HTMLElement;
}

export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
};

export const setText = (e: Element, text: string) => {
  if (e.textContent !== text) e.textContent = text;
};
export const setAttr = (e: Element, name: string, value: string) => {
  if (e.getAttribute(name) !== value) e.setAttribute(name, value);
};

const cpuText = (milli: number) => (milli % 1000 === 0 ? `${milli / 1000}` : `${Math.round(milli)}m`);
/** Memory as Kubernetes writes it: `4Gi`, `96Mi`, `512Ki`. */
function memoryText(bytes: number): string {
  for (const [unit, size] of [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) if (bytes >= size) return bytes % size === 0 || unit !== 'Gi' ? `${Math.round(bytes / size)}${unit}` : `${+(bytes / size).toFixed(1)}${unit}`;
  return `${bytes}`;
}
const percent = (part: number, whole: number) => (whole > 0 ? Math.min(100, (part / whole) * 100) : 0);

export class NodeCard {
  readonly root: HTMLElement;
  /** Where the map puts the node's chips. */
  readonly pods: HTMLUListElement;
  readonly #status: HTMLElement;
  readonly #worker: HTMLElement;
  readonly #taints: HTMLUListElement;
  readonly #cpu: BarParts;
  readonly #memory: BarParts;
  readonly #cordon: HTMLButtonElement;
  readonly #buttons: HTMLButtonElement[];
  readonly #taintInput: HTMLInputElement;
  readonly #act: (a: MapAction) => void;
  #taintKey = '';

  constructor(name: string, act: (a: MapAction) => void) {
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
      const b = el('div', 'res-bar');
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
        if (a) act(a);
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
      act({ kind: 'taint', node: name, taint: taintInput.value.trim() });
      taintInput.value = '';
    });
    actions.append(summary, cordon, drain, stop, form);
    root.append(head, taints, cpu.row, memory.row, pods, actions);
    this.root = root;
    this.pods = pods;
    this.#status = status;
    this.#worker = worker;
    this.#taints = taints;
    this.#cpu = cpu.parts;
    this.#memory = memory.parts;
    this.#cordon = cordon;
    this.#buttons = [cordon, drain, stop, add];
    this.#taintInput = taintInput;
    this.#act = act;
  }

  /** Draws node `n`; `interactive` is false in the past and in a replay. */
  update(n: MapNode, extras: RenderExtras): void {
    const interactive = extras.interactive;
    const stopped = extras.stopped.has(n.name);
    this.root.classList.toggle('down', !n.ready || stopped);
    this.root.classList.toggle('cordoned', n.unschedulable);
    setAttr(this.root, 'data-status', n.status);
    setAttr(this.root, 'aria-label', `node ${n.name}, ${n.status}${stopped ? ', worker stopped' : ''}, ${n.pods.length} pod${n.pods.length === 1 ? '' : 's'}`);
    setText(this.#status, n.status);
    this.#worker.hidden = !stopped;
    const usage = extras.usage.get(n.name);
    this.#bar(this.#cpu, 'CPU', n.requested.cpuMilli, n.allocatable.cpuMilli, usage?.cpuMilli, cpuText);
    this.#bar(this.#memory, 'Memory', n.requested.memoryBytes, n.allocatable.memoryBytes, usage?.memoryBytes, memoryText);
    setText(this.#cordon, n.unschedulable ? 'Uncordon' : 'Cordon');
    this.#cordon.dataset.cordoned = String(n.unschedulable);
    for (const b of this.#buttons) if (b.disabled === interactive) b.disabled = !interactive;
    if (this.#taintInput.disabled === interactive) this.#taintInput.disabled = !interactive;
    const key = `${n.taints.join('\n')}|${interactive}`;
    if (this.#taintKey !== key) {
      this.#taintKey = key;
      this.#taints.replaceChildren(
        ...n.taints.map((t) => {
          const li = el('li', 'taint', t);
          if (interactive) {
            const remove = el('button', 'untaint', '×');
            remove.type = 'button';
            remove.setAttribute('aria-label', `Remove taint ${t} from ${n.name}`);
            remove.addEventListener('click', () => this.#act({ kind: 'untaint', node: n.name, taint: t }));
            li.append(remove);
          }
          return li;
        }),
      );
    }
  }

  #bar(parts: BarParts, label: string, requested: number, allocatable: number, used: number | undefined, fmt: (n: number) => string): void {
    const req = percent(requested, allocatable);
    const width = (e: HTMLElement, w: string) => e.style.width !== w && (e.style.width = w);
    width(parts.req, `${req}%`);
    parts.req.classList.toggle('full', requested > allocatable);
    width(parts.use, used === undefined ? '0px' : `${percent(used, allocatable)}%`);
    const usedText = used === undefined ? '' : `, used ${fmt(used)}`;
    setText(parts.text, `${fmt(requested)} / ${fmt(allocatable)}`);
    setAttr(parts.bar, 'aria-label', `${label}: requests ${fmt(requested)} of ${fmt(allocatable)} allocatable (${Math.round(req)}%)${usedText}`);
    setAttr(parts.bar, 'title', `${label} requests ${Math.round(req)}% of allocatable${usedText ? `${usedText} (kubectl top)` : ''}`);
  }
}
