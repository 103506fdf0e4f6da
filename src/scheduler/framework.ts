/**
 * The scheduling framework (pkg/scheduler/framework/interface.go): a plugin
 * implements any of the extension points below under its upstream name; a
 * Registry makes plugins from their arguments and a Handle; a profile lists,
 * per extension point, the plugins enabled there, in order. Every point's
 * outcome is a Status: PreFilter's and PreScore's Skip leave that plugin's
 * Filter or Score out of the cycle; Permit's Wait holds the pod until a
 * plugin allows or rejects it, or its timeout runs out.
 */
import type { ApiStore, Pod } from '../api/index.ts';
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';
import type { QueuedPod } from './queue.ts';
import type { Snapshot } from './snapshot.ts';
import type { CycleState, Status } from './status.ts';

/** Each node's verdict, for the nodes a filter rejected (the others passed). */
export type NodeVerdicts = Map<string, Status>;

export interface PostFilterResult {
  status: Status;
  /** The node the pod may go to once its victims are gone (status.nominatedNodeName). */
  nominatedNodeName?: string;
}

export interface PermitResult {
  status: Status;
  /** How long a Wait lasts before the pod is rejected. */
  timeoutMs?: number;
}

/** A plugin: its upstream name and the extension points it implements. */
export interface Plugin {
  readonly name: string;
  /** PreEnqueue: whether the pod may enter activeQ at all (SchedulingGates). */
  preEnqueue?(pod: Pod): Status;
  /** QueueSort: the order of activeQ. */
  less?(a: QueuedPod, b: QueuedPod): boolean;
  /** PreFilter: once per cycle, what Filter needs (kept in the CycleState); Skip leaves Filter out. */
  preFilter?(state: CycleState, pod: PodInfo, snapshot: Snapshot): Status;
  filter?(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  /** PostFilter: when no node fits (DefaultPreemption). */
  postFilter?(state: CycleState, pod: PodInfo, snapshot: Snapshot, verdicts: NodeVerdicts): PostFilterResult;
  /** PreScore: once per cycle, over the feasible nodes; Skip leaves Score out. */
  preScore?(state: CycleState, pod: PodInfo, feasible: readonly NodeInfo[], snapshot: Snapshot): Status;
  score?(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** NormalizeScore: brings the raw scores of the feasible nodes to 0–100, in place. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: number[]): void;
  /** Reserve: the pod is assumed on the node; Unreserve undoes it when a later point fails. */
  reserve?(state: CycleState, pod: PodInfo, nodeName: string): Status;
  unreserve?(state: CycleState, pod: PodInfo, nodeName: string): void;
  permit?(state: CycleState, pod: PodInfo, nodeName: string): PermitResult;
  preBind?(state: CycleState, pod: PodInfo, nodeName: string): Status;
  /** Bind: Skip passes the pod to the next bind plugin. */
  bind?(state: CycleState, pod: PodInfo, nodeName: string): Status;
  postBind?(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** An events recorder, as the controllers have it (kept as an interface: the scheduler sees only the API). */
export interface SchedulerEvents {
  event(object: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** A pod Permit holds (framework.WaitingPod). */
export interface WaitingPod {
  readonly pod: Pod;
  readonly nodeName: string;
  /** The plugins still to allow it. */
  pending(): string[];
  allow(plugin: string): void;
  reject(plugin: string, message: string): void;
}

/** What plugins may reach of the scheduler (framework.Handle). */
export interface Handle {
  readonly api: ApiStore;
  readonly events: SchedulerEvents;
  snapshot(): Snapshot;
  /** Runs the profile's PreFilter and Filter plugins for one node of a what-if snapshot (preemption). */
  runFilters(pod: PodInfo, node: NodeInfo, snapshot: Snapshot): Status;
  getWaitingPod(uid: string): WaitingPod | undefined;
  iterateOverWaitingPods(visit: (w: WaitingPod) => void): void;
}

export type PluginArgs = Record<string, unknown> | undefined;
export type PluginFactory = (args: PluginArgs, handle: Handle) => Plugin;
/** Plugins by name (framework/runtime.Registry). */
export type Registry = Map<string, PluginFactory>;

/** The extension points a profile lists plugins for, as KubeSchedulerConfiguration names them. */
export const EXTENSION_POINTS = ['preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'permit', 'preBind', 'bind', 'postBind'] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

/** The method a plugin implements for each extension point. */
export const POINT_METHOD: Record<ExtensionPoint, keyof Plugin> = {
  preEnqueue: 'preEnqueue',
  queueSort: 'less',
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  permit: 'permit',
  preBind: 'preBind',
  bind: 'bind',
  postBind: 'postBind',
};

export interface WeightedPlugin {
  plugin: Plugin;
  weight: number;
}

/** One profile: per extension point, its plugins in order; score plugins with their weights. */
export interface Profile {
  schedulerName: string;
  preEnqueue: Plugin[];
  queueSort: Plugin;
  preFilter: Plugin[];
  filter: Plugin[];
  postFilter: Plugin[];
  preScore: Plugin[];
  score: WeightedPlugin[];
  reserve: Plugin[];
  permit: Plugin[];
  preBind: Plugin[];
  bind: Plugin[];
  postBind: Plugin[];
}
