/**
 * The attributes of `<podplay-sandbox>`, read into a config. Every attribute
 * is optional; a value that is not allowed is reported (which attribute, what
 * was given, what is allowed) and its default is used instead, so a typo in
 * a docs page never stops the sandbox. No DOM here: the element passes its
 * attributes as a plain record, and Node tests do the same.
 */

export type Panel = 'terminal' | 'files' | 'map' | 'images' | 'run';
export type Theme = 'light' | 'dark' | 'auto';

export const PANELS: readonly Panel[] = ['terminal', 'files', 'map', 'images', 'run'];
export const MAX_NODES = 10;
export const MAX_SPEED = 1000;

export interface SandboxConfig {
  nodes: number;
  /** A YAML file of Node manifests: the nodes the cluster starts with (over nodes, node-cpu, node-memory). */
  cluster?: string;
  nodeCpu?: string;
  nodeMemory?: string;
  /** Extra OCI image layouts, searched before the bundled one. */
  images: string[];
  /** Manifests applied at start, in order. */
  manifests: string[];
  /** Files placed in the terminal's working directory. */
  files: string[];
  /** Lines typed at start. */
  run: string[];
  persist: boolean;
  speed: number;
  panels: Panel[];
  readonlyTerminal: boolean;
  /** CSS height of the terminal. */
  height: string;
  theme: Theme;
  screenReader: boolean;
  /** Where podplay's build is served, when podplay.js is not loaded from it. */
  assets?: string;
  /** Where podplay-sw.js is, when not at the site's root. */
  serviceWorker?: string;
}

/** One attribute that could not be used, in words for the page's author. */
export interface AttributeProblem {
  attribute: string;
  value: string;
  message: string;
}

export const DEFAULT_HEIGHT = '28rem';

export const DEFAULTS: SandboxConfig = {
  nodes: 3,
  images: [],
  manifests: [],
  files: [],
  run: [],
  persist: false,
  speed: 1,
  panels: ['terminal'],
  readonlyTerminal: false,
  height: DEFAULT_HEIGHT,
  theme: 'auto',
  screenReader: false,
};

/** Every attribute the element reads (its observedAttributes). */
export const ATTRIBUTES = [
  'nodes', 'cluster', 'node-cpu', 'node-memory', 'images', 'manifests', 'files', 'run', 'persist', 'speed',
  'panels', 'readonly-terminal', 'height', 'theme', 'screen-reader', 'assets', 'service-worker',
] as const;

const CPU = /^(?:\d+(?:\.\d+)?|\.\d+)m?$/;
const MEMORY = /^(?:\d+(?:\.\d+)?|\.\d+)(?:Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const LENGTH = /^(?:\d+(?:\.\d+)?|\.\d+)(?:px|rem|em|vh|svh|dvh|lh)?$/;
const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const BOOLEAN_FALSE = new Set(['false', '0', 'no', 'off']);

/** URLs in an attribute, separated by spaces (a URL may hold commas: data: URLs do). */
const urls = (value: string) => value.split(/\s+/).filter(Boolean);

/** A boolean attribute: present means on, as HTML's own; `"false"` is also accepted as off. */
const flag = (value: string | null) => value !== null && !BOOLEAN_FALSE.has(value.trim().toLowerCase());

/**
 * Reads the element's attributes (null = absent). Problems come back with the
 * config; the config holds the default for each attribute that had one.
 */
export function parseAttributes(attrs: Readonly<Record<string, string | null | undefined>>): { config: SandboxConfig; problems: AttributeProblem[] } {
  const config: SandboxConfig = { ...DEFAULTS, images: [], manifests: [], files: [], run: [], panels: [...DEFAULTS.panels] };
  const problems: AttributeProblem[] = [];
  const get = (name: string) => attrs[name] ?? null;
  const bad = (attribute: string, value: string, allowed: string, fallback: string) =>
    problems.push({ attribute, value, message: `${attribute}="${value}" is not allowed: ${attribute} takes ${allowed}. Using ${fallback}.` });

  const nodes = get('nodes');
  if (nodes !== null) {
    const n = Number(nodes.trim());
    if (/^\d+$/.test(nodes.trim()) && n >= 1 && n <= MAX_NODES) config.nodes = n;
    else bad('nodes', nodes, `a whole number of nodes from 1 to ${MAX_NODES}`, `the default, ${DEFAULTS.nodes}`);
  }
  const cluster = get('cluster')?.trim();
  if (cluster) config.cluster = cluster;
  const cpu = get('node-cpu');
  if (cpu !== null) {
    if (CPU.test(cpu.trim()) && parseFloat(cpu) > 0) config.nodeCpu = cpu.trim();
    else bad('node-cpu', cpu, 'a CPU quantity above zero, as Kubernetes writes it ("2", "1.5", "500m")', 'the default, 2');
  }
  const memory = get('node-memory');
  if (memory !== null) {
    if (MEMORY.test(memory.trim()) && parseFloat(memory) > 0) config.nodeMemory = memory.trim();
    else bad('node-memory', memory, 'a memory quantity above zero, as Kubernetes writes it ("4Gi", "512Mi", "2G")', 'the default, 4Gi');
  }
  for (const [attr, key] of [['images', 'images'], ['manifests', 'manifests'], ['files', 'files']] as const) {
    const v = get(attr);
    if (v !== null) config[key] = urls(v);
  }
  const run = get('run');
  if (run !== null) config.run = run.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  config.persist = flag(get('persist'));
  const speed = get('speed');
  if (speed !== null) {
    const s = Number(speed.trim());
    if (DECIMAL.test(speed.trim()) && s > 0 && s <= MAX_SPEED) config.speed = s;
    else bad('speed', speed, `a number above 0 and at most ${MAX_SPEED}: how many cluster seconds pass per real second ("10" runs ten times faster)`, 'the default, 1');
  }
  const panels = get('panels');
  if (panels !== null) {
    const words = panels.toLowerCase().split(/[\s,]+/).filter(Boolean);
    const unknown = words.filter((w) => !PANELS.includes(w as Panel));
    const known = [...new Set(words.filter((w): w is Panel => PANELS.includes(w as Panel)))];
    if (unknown.length || !known.length) bad('panels', panels, `one or more of ${PANELS.join(', ')}, separated by spaces or commas`, known.length ? known.join(' ') : `the default, ${DEFAULTS.panels.join(' ')}`);
    if (known.length) config.panels = known;
  }
  config.readonlyTerminal = flag(get('readonly-terminal'));
  const height = get('height');
  if (height !== null) {
    const h = height.trim();
    if (LENGTH.test(h) && parseFloat(h) > 0) config.height = DECIMAL.test(h) ? `${h}px` : h;
    else bad('height', height, 'a CSS length for the terminal ("400", "400px", "30rem", "60vh")', `the default, ${DEFAULT_HEIGHT}`);
  }
  const theme = get('theme');
  if (theme !== null) {
    const t = theme.trim().toLowerCase();
    if (t === 'light' || t === 'dark' || t === 'auto') config.theme = t;
    else bad('theme', theme, 'light, dark or auto (auto follows the reader\'s system setting)', 'auto');
  }
  config.screenReader = flag(get('screen-reader'));
  const assets = get('assets')?.trim();
  if (assets) config.assets = assets;
  const sw = get('service-worker')?.trim();
  if (sw) config.serviceWorker = sw;
  return { config, problems };
}

/** The key a persisted sandbox is saved under: the page's path (`/a/` and `/a/index.html` are one page) and the element's id. */
export function persistKey(pathname: string, id: string): string {
  return `${pathname.replace(/\/index\.html?$/, '/')}#${id}`;
}
