/**
 * The Deployments above the map, each with READY/replicas and − / + to
 * scale it (`kubectl scale … --current-replicas=N`, so a change made
 * meanwhile is refused). Rows are kept by Deployment and updated in place:
 * the button just pressed keeps the focus.
 */
import type { MapAction } from './actions.ts';
import type { MapDeployment } from './model.ts';

interface Row {
  li: HTMLLIElement;
  label: HTMLElement;
  down: HTMLButtonElement;
  up: HTMLButtonElement;
  deployment: MapDeployment;
}

export class Workloads {
  readonly #list: HTMLElement;
  readonly #act: (a: MapAction) => void;
  readonly #rows = new Map<string, Row>();

  constructor(list: HTMLElement, act: (a: MapAction) => void) {
    this.#list = list;
    this.#act = act;
  }

  render(deployments: readonly MapDeployment[], live: boolean): void {
    const seen = new Set<string>();
    let ref = this.#list.firstElementChild;
    for (const d of deployments) {
      const key = `${d.namespace}/${d.name}`;
      seen.add(key);
      const row = this.#rows.get(key) ?? this.#newRow(key, d);
      row.deployment = d;
      const text = `deployment/${d.name}${d.namespace === 'default' ? '' : ` (${d.namespace})`} ${d.ready}/${d.replicas}`;
      if (row.label.textContent !== text) row.label.textContent = text;
      row.down.disabled = !live || d.replicas < 1;
      row.up.disabled = !live;
      row.down.setAttribute('aria-label', `Scale down deployment ${d.name} to ${Math.max(0, d.replicas - 1)}`);
      row.up.setAttribute('aria-label', `Scale up deployment ${d.name} to ${d.replicas + 1}`);
      if (row.li !== ref) this.#list.insertBefore(row.li, ref);
      else ref = ref.nextElementSibling;
    }
    for (const [key, row] of this.#rows) {
      if (seen.has(key)) continue;
      row.li.remove();
      this.#rows.delete(key);
    }
  }

  #newRow(key: string, d: MapDeployment): Row {
    const li = document.createElement('li');
    li.dataset.deployment = key;
    const label = document.createElement('span');
    const button = (text: string, by: number) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.addEventListener('click', () => {
        const { namespace, name, replicas } = row.deployment;
        this.#act({ kind: 'scale', namespace, deployment: name, replicas: replicas + by, current: replicas });
      });
      return b;
    };
    const row: Row = { li, label, down: button('−', -1), up: button('+', 1), deployment: d };
    li.append(label, row.down, row.up);
    this.#rows.set(key, row);
    return row;
  }
}
