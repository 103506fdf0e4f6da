/**
 * Scheduling profiles from a KubeSchedulerConfiguration (a subset of
 * kubescheduler.config.k8s.io/v1): several profiles chosen by a pod's
 * schedulerName; per profile, the default plugins (multiPoint) with
 * plugins enabled or disabled per extension point (`*` disables every
 * default there), score weights, and each plugin's args (pluginConfig);
 * and percentageOfNodesToScore. MultiPoint plugins expand to every
 * extension point they implement: plugins enabled at a point that are also
 * in multiPoint come first in that point's order, then the other multiPoint
 * plugins, then the rest enabled at that point.
 */
import { EXTENSION_POINTS, POINT_METHOD, type ExtensionPoint, type Handle, type Plugin, type Profile, type Registry, type WeightedPlugin } from './framework.ts';
import { DEFAULT_PLUGINS, inTreeRegistry } from './plugins/registry.ts';

export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export type PluginsConfig = Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;

export interface ProfileConfig {
  schedulerName?: string;
  plugins?: PluginsConfig;
  pluginConfig?: Array<{ name: string; args?: Record<string, unknown> }>;
}

export interface SchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  profiles?: ProfileConfig[];
  /** 0 (or unset): kube-scheduler's adaptive default. */
  percentageOfNodesToScore?: number;
}

/** The multiPoint set: the defaults, less those disabled (`*`: all), plus those enabled. */
function multiPoint(set: PluginSet | undefined): PluginRef[] {
  const disabled = new Set((set?.disabled ?? []).map((p) => p.name));
  const out = disabled.has('*') ? [] : DEFAULT_PLUGINS.filter((p) => !disabled.has(p.name));
  for (const ref of set?.enabled ?? []) {
    const at = out.findIndex((p) => p.name === ref.name);
    if (at >= 0) out[at] = { ...out[at]!, ...ref };
    else out.push(ref);
  }
  return out;
}

/** The plugins of one extension point, after expansion, in order. */
function expand(point: ExtensionPoint, multi: PluginRef[], set: PluginSet | undefined, get: (name: string) => Plugin): PluginRef[] {
  const implementsPoint = (ref: PluginRef) => typeof get(ref.name)[POINT_METHOD[point]] === 'function';
  const disabled = new Set((set?.disabled ?? []).map((p) => p.name));
  const enabled = set?.enabled ?? [];
  for (const ref of enabled) if (!implementsPoint(ref)) throw new Error(`plugin ${JSON.stringify(ref.name)} does not extend ${point} plugin`);
  const inMulti = new Set(multi.map((r) => r.name));
  const overrides = enabled.filter((r) => inMulti.has(r.name));
  const fromMulti = disabled.has('*') ? [] : multi.filter((r) => !disabled.has(r.name) && !enabled.some((e) => e.name === r.name) && implementsPoint(r));
  const rest = enabled.filter((r) => !inMulti.has(r.name));
  return [...overrides, ...fromMulti, ...rest];
}

/** The profiles a configuration describes (the default profile when it has none). */
export function buildProfiles(config: SchedulerConfiguration, handle: Handle, registry: Registry = inTreeRegistry()): Profile[] {
  const configs = config.profiles?.length ? config.profiles : [{}];
  const names = new Set<string>();
  return configs.map((c) => {
    const schedulerName = c.schedulerName ?? 'default-scheduler';
    if (names.has(schedulerName)) throw new Error(`profiles[].schedulerName: Duplicate value: ${JSON.stringify(schedulerName)}`);
    names.add(schedulerName);
    const args = new Map((c.pluginConfig ?? []).map((p) => [p.name, p.args]));
    const instances = new Map<string, Plugin>();
    const get = (name: string): Plugin => {
      let plugin = instances.get(name);
      if (!plugin) {
        const factory = registry.get(name);
        if (!factory) throw new Error(`plugin ${JSON.stringify(name)} does not exist`);
        instances.set(name, (plugin = factory(args.get(name), handle)));
      }
      return plugin;
    };
    const multi = multiPoint(c.plugins?.multiPoint);
    for (const ref of multi) get(ref.name);
    const refs = Object.fromEntries(EXTENSION_POINTS.map((p) => [p, expand(p, multi, c.plugins?.[p], get)])) as Record<ExtensionPoint, PluginRef[]>;
    const list = (p: ExtensionPoint) => refs[p].map((r) => get(r.name));
    const weightOf = (r: PluginRef) => r.weight || multi.find((m) => m.name === r.name)?.weight || 1;
    const score: WeightedPlugin[] = refs.score.map((r) => ({ plugin: get(r.name), weight: weightOf(r) }));
    const queueSort = list('queueSort');
    if (queueSort.length !== 1) throw new Error(`profiles[].plugins.queueSort: Invalid value: ${queueSort.length}: only one queue sort plugin can be enabled`);
    return {
      schedulerName,
      preEnqueue: list('preEnqueue'),
      queueSort: queueSort[0]!,
      preFilter: list('preFilter'),
      filter: list('filter'),
      postFilter: list('postFilter'),
      preScore: list('preScore'),
      score,
      reserve: list('reserve'),
      permit: list('permit'),
      preBind: list('preBind'),
      bind: list('bind'),
      postBind: list('postBind'),
    };
  });
}

/** numFeasibleNodesToFind: every node in small clusters; otherwise a share that shrinks as the cluster grows, never under 100. */
export function nodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < 100 || percentage >= 100) return numAllNodes;
  let p = percentage;
  if (p <= 0) p = Math.max(5, 50 - Math.floor(numAllNodes / 125));
  return Math.max(Math.floor((numAllNodes * p) / 100), 100);
}
