export { Status, CycleState, type Code } from './status.ts';
export { NodeInfo, podRequests, resourceOf, type Resource, type PodInfo } from './node-info.ts';
export { FILTERS, NodeAffinity, NodeName, NodePorts, NodeResourcesFit, NodeUnschedulable, TaintToleration, insufficient, type FilterPlugin } from './plugins/filters.ts';
export { filterNodes, fitErrorMessage, preemptionNotHelpful, reasonsHistogram, type NodeVerdicts } from './diagnosis.ts';
export { nodeMatchesTerms, requiredNodeAffinity, preferredNodeAffinity, type NodeSelectorTerm } from './affinity.ts';
