/**
 * The in-tree registry (plugins/registry.go) and the default profile's
 * plugins in their multiPoint order with their weights (PluginsV1), which
 * expand to each extension point a plugin implements, in that order.
 */
import type { PluginRef } from '../profile.ts';
import type { PluginFactory, Registry } from '../framework.ts';
import { defaultBinder } from './default-binder.ts';
import { defaultPreemption } from './default-preemption.ts';
import { ImageLocality } from './image-locality.ts';
import { interPodAffinity } from './inter-pod-affinity.ts';
import { NodeAffinity, NodeName, NodePorts, NodeUnschedulable, TaintToleration } from './node-basics.ts';
import { PrioritySort, SchedulingGates } from './queue-sort.ts';
import { NodeResourcesBalancedAllocation, nodeResourcesFit } from './resources-fit.ts';
import { podTopologySpread } from './topology-spread.ts';

export function inTreeRegistry(): Registry {
  return new Map<string, PluginFactory>([
    ['SchedulingGates', () => SchedulingGates],
    ['PrioritySort', () => PrioritySort],
    ['NodeUnschedulable', () => NodeUnschedulable],
    ['NodeName', () => NodeName],
    ['TaintToleration', () => TaintToleration],
    ['NodeAffinity', () => NodeAffinity],
    ['NodePorts', () => NodePorts],
    ['NodeResourcesFit', (args) => nodeResourcesFit(args)],
    ['PodTopologySpread', (args, handle) => podTopologySpread(args, handle.api)],
    ['InterPodAffinity', (args) => interPodAffinity(args)],
    ['DefaultPreemption', (args, handle) => defaultPreemption(args, handle)],
    ['NodeResourcesBalancedAllocation', () => NodeResourcesBalancedAllocation],
    ['ImageLocality', () => ImageLocality],
    ['DefaultBinder', (args, handle) => defaultBinder(args, handle)],
  ]);
}

/** The default profile's plugins (multiPoint), in order, with the score weights. */
export const DEFAULT_PLUGINS: PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];
