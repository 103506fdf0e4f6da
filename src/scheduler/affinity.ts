/**
 * Node selector terms (v1.NodeSelector, as required node affinity uses them):
 * terms are ORed, a term's requirements ANDed; matchExpressions on labels
 * with In, NotIn, Exists, DoesNotExist, Gt and Lt; matchFields on
 * metadata.name.
 */
import type { Node, Pod } from '../api/index.ts';

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PreferredTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

/** requiredDuringSchedulingIgnoredDuringExecution's terms, if the pod has them. */
export function requiredNodeAffinity(pod: Pod): NodeSelectorTerm[] | undefined {
  return (pod.spec.affinity as any)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
}

export function preferredNodeAffinity(pod: Pod): PreferredTerm[] {
  return (pod.spec.affinity as any)?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
}

export function requirementHolds(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      // Both sides must be integers; anything else does not match.
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0]!)) return false;
      return r.operator === 'Gt' ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]);
    }
    default:
      return false;
  }
}

/** A term with no requirements matches nothing (as upstream). */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((r) => requirementHolds(r, labels[r.key])) && fields.every((r) => requirementHolds(r, r.key === 'metadata.name' ? node.metadata.name : undefined));
}

export function nodeMatchesTerms(terms: NodeSelectorTerm[], node: Node): boolean {
  return terms.some((t) => termMatches(t, node));
}
