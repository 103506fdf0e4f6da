/**
 * Running a profile's extension points (framework/runtime): PreFilter with
 * its Skips, Filter on one node stopping at the first rejection, PreScore
 * and Score with NormalizeScore and the weights, and the binding cycle's
 * Reserve, Permit, PreBind, Bind and PostBind.
 */
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';
import type { Plugin, Profile } from './framework.ts';
import type { Snapshot } from './snapshot.ts';
import { CycleState, Status } from './status.ts';

export interface PreFilterOutcome {
  state: CycleState;
  /** A PreFilter's rejection: the pod fits no node. */
  status: Status;
  /** The filters this cycle runs (those whose PreFilter said Skip are left out). */
  filters: Plugin[];
  /** Each PreFilter's outcome, by plugin (for the explanation). */
  results: Map<string, Status>;
}

export function runPreFilter(profile: Profile, pod: PodInfo, snapshot: Snapshot): PreFilterOutcome {
  const state = new CycleState();
  const results = new Map<string, Status>();
  let skipped: Set<string> | undefined;
  for (const plugin of profile.preFilter) {
    const s = plugin.preFilter!(state, pod, snapshot);
    results.set(plugin.name, s);
    if (s.code === 'Skip') (skipped ??= new Set()).add(plugin.name);
    else if (!s.isSuccess()) return { state, status: s.withPlugin(plugin.name), filters: [], results };
  }
  const filters = skipped ? profile.filter.filter((p) => !skipped.has(p.name)) : profile.filter;
  return { state, status: Status.success(), filters, results };
}

/** One node's verdict: the first filter that rejects it (the rest are not run), or success. */
export function runFilters(state: CycleState, pod: PodInfo, node: NodeInfo, filters: readonly Plugin[]): Status {
  for (let i = 0; i < filters.length; i++) {
    const s = filters[i]!.filter!(state, pod, node);
    if (s.code !== 'Success') return s.withPlugin(filters[i]!.name);
  }
  return Status.success();
}

/** Each plugin's scores of each feasible node: raw, normalized (0–100) and weighted. */
export interface ScoreDetail {
  plugin: string;
  raw: number[];
  normalized: number[];
  weight: number;
}

export interface ScoreOutcome {
  totals: Float64Array;
  details: ScoreDetail[];
  /** Each PreScore's outcome, by plugin (for the explanation). */
  preScore: Map<string, Status>;
}

/** PreScore, then Score and NormalizeScore per plugin, then the weighted sum per node. */
export function runScore(profile: Profile, state: CycleState, pod: PodInfo, feasible: readonly NodeInfo[], snapshot: Snapshot): ScoreOutcome {
  const preScore = new Map<string, Status>();
  let skipped: Set<string> | undefined;
  for (const plugin of profile.preScore) {
    const s = plugin.preScore!(state, pod, feasible, snapshot);
    preScore.set(plugin.name, s);
    if (s.code === 'Skip') (skipped ??= new Set()).add(plugin.name);
  }
  const totals = new Float64Array(feasible.length);
  const details: ScoreDetail[] = [];
  for (const { plugin, weight } of profile.score) {
    if (skipped?.has(plugin.name)) continue;
    const raw = new Array<number>(feasible.length);
    for (let i = 0; i < feasible.length; i++) raw[i] = plugin.score!(state, pod, feasible[i]!);
    let normalized = raw;
    if (plugin.normalizeScore) {
      normalized = raw.slice();
      plugin.normalizeScore(state, pod, normalized);
    }
    for (let i = 0; i < feasible.length; i++) totals[i]! += normalized[i]! * weight;
    details.push({ plugin: plugin.name, raw, normalized, weight });
  }
  return { totals, details, preScore };
}

/** Reserve in order; on a failure, every Reserve plugin's Unreserve runs, in reverse. */
export function runReserve(profile: Profile, state: CycleState, pod: PodInfo, nodeName: string): Status {
  for (const plugin of profile.reserve) {
    const s = plugin.reserve?.(state, pod, nodeName) ?? Status.success();
    if (!s.isSuccess()) {
      runUnreserve(profile, state, pod, nodeName);
      return s.withPlugin(plugin.name);
    }
  }
  return Status.success();
}

export function runUnreserve(profile: Profile, state: CycleState, pod: PodInfo, nodeName: string): void {
  for (const plugin of [...profile.reserve].reverse()) plugin.unreserve?.(state, pod, nodeName);
}

export interface PermitOutcome {
  status: Status;
  /** Plugins that said Wait, with their timeouts. */
  waits: Map<string, number>;
}

/** Permit: a rejection ends it; each Wait is kept with its plugin's timeout (at most 15 min). */
export function runPermit(profile: Profile, state: CycleState, pod: PodInfo, nodeName: string): PermitOutcome {
  const waits = new Map<string, number>();
  for (const plugin of profile.permit) {
    const { status, timeoutMs } = plugin.permit!(state, pod, nodeName);
    if (status.code === 'Wait') waits.set(plugin.name, Math.min(timeoutMs ?? 0, MAX_PERMIT_TIMEOUT_MS));
    else if (!status.isSuccess()) return { status: status.withPlugin(plugin.name), waits };
  }
  return { status: waits.size ? Status.wait() : Status.success(), waits };
}

/** maxTimeout of a Permit Wait upstream. */
export const MAX_PERMIT_TIMEOUT_MS = 15 * 60_000;

export function runPreBind(profile: Profile, state: CycleState, pod: PodInfo, nodeName: string): Status {
  for (const plugin of profile.preBind) {
    const s = plugin.preBind!(state, pod, nodeName);
    if (s.code !== 'Success' && s.code !== 'Skip') return s.withPlugin(plugin.name);
  }
  return Status.success();
}

/** Bind: the first bind plugin that does not Skip binds. */
export function runBind(profile: Profile, state: CycleState, pod: PodInfo, nodeName: string): Status {
  for (const plugin of profile.bind) {
    const s = plugin.bind!(state, pod, nodeName);
    if (s.code !== 'Skip') return s.isSuccess() ? s : s.withPlugin(plugin.name);
  }
  return new Status('Skip', ['all bind plugins skipped']);
}

export function runPostBind(profile: Profile, state: CycleState, pod: PodInfo, nodeName: string): void {
  for (const plugin of profile.postBind) plugin.postBind!(state, pod, nodeName);
}
