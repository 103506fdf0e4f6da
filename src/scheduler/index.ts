export { Status, CycleState, type Code } from './status.ts';
export { NodeInfo, podRequests, resourceOf, type Resource, type PodInfo } from './node-info.ts';
export { FILTERS, InterPodAffinity, NodeAffinity, NodeName, NodePorts, NodeResourcesFit, NodeUnschedulable, PodTopologySpread, TaintToleration, insufficient, type FilterPlugin } from './plugins/filters.ts';
export { filterNodes, fitErrorMessage, preemptionNotHelpful, reasonsHistogram, type NodeVerdicts } from './diagnosis.ts';
export { nodeMatchesTerms, requiredNodeAffinity, preferredNodeAffinity, type NodeSelectorTerm } from './affinity.ts';
export { Scheduler, FILTER_RESULT, SCORE_RESULT, FINAL_SCORE_RESULT, SELECTED_NODE, type SchedulerOptions, type SchedulerEvents } from './scheduler.ts';
export { SchedulingQueue, less, type QueuedPod } from './queue.ts';
export { SCORES, MAX_NODE_SCORE, defaultNormalize, leastAllocated, mostAllocated, type ScorePlugin } from './plugins/scores.ts';
export { preempt, type Candidate } from './preemption.ts';
