/**
 * Deployment, ReplicaSet, DaemonSet and Job validation (pkg/apis/apps and
 * batch validation): selectors that match their template, restart policies,
 * counts, and the fields that cannot change.
 */
import { fieldErrors, type FieldError } from '../errors.ts';
import type { LabelSelector } from '../meta.ts';
import { fromLabelSelector, matches } from '../selectors.ts';
import type { PodTemplateSpec } from '../types.ts';
import { labelErrors } from './names.ts';
import { podSpecErrors } from './pod.ts';

function nonNegative(field: string, v: number | undefined): FieldError[] {
  return v !== undefined && (!Number.isInteger(v) || v < 0) ? [fieldErrors.invalid(field, v, 'must be greater than or equal to 0')] : [];
}

/** Selector present and non-empty, matching the template's labels; the template valid with the allowed restart policies. */
export function selectorAndTemplateErrors(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, restartPolicies: string[], selectorRequired = true): FieldError[] {
  const out: FieldError[] = [];
  const sel = fromLabelSelector(selector);
  if (selectorRequired && !selector) out.push(fieldErrors.required('spec.selector'));
  else if (selectorRequired && sel.length === 0) out.push(fieldErrors.invalid('spec.selector', selector ?? null, 'empty selector is invalid for deployment'));
  if (!template) return [...out, fieldErrors.required('spec.template')];
  const labels = template.metadata?.labels ?? {};
  out.push(...labelErrors('spec.template.metadata.labels', labels));
  if (sel.length && !matches(sel, labels)) out.push(fieldErrors.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  out.push(...podSpecErrors('spec.template.spec', template.spec));
  const policy = template.spec?.restartPolicy;
  if (policy !== undefined && !restartPolicies.includes(policy)) out.push(fieldErrors.notSupported('spec.template.spec.restartPolicy', policy, restartPolicies));
  if (template.spec?.activeDeadlineSeconds !== undefined) out.push(fieldErrors.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return out;
}

function percentOrInt(field: string, v: number | string | undefined): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return nonNegative(field, v);
  const m = /^(\d+)%$/.exec(v);
  if (!m) return [fieldErrors.invalid(field, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  return Number(m[1]) > 100 ? [fieldErrors.invalid(field, v, 'must not be greater than 100%')] : [];
}

function isZero(v: number | string | undefined): boolean {
  return v === 0 || v === '0%';
}

export function deploymentErrors(spec: Record<string, any>): FieldError[] {
  const out = [...nonNegative('spec.replicas', spec.replicas), ...selectorAndTemplateErrors(spec.selector, spec.template, ['Always'])];
  const strategy = spec.strategy ?? {};
  if (strategy.type !== undefined && !['RollingUpdate', 'Recreate'].includes(strategy.type)) out.push(fieldErrors.notSupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']));
  if (strategy.type === 'Recreate' && strategy.rollingUpdate) out.push(fieldErrors.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
  const ru = strategy.rollingUpdate;
  if (ru) {
    out.push(...percentOrInt('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable), ...percentOrInt('spec.strategy.rollingUpdate.maxSurge', ru.maxSurge));
    if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) out.push(fieldErrors.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  out.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit), ...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  return out;
}

export function replicaSetErrors(spec: Record<string, any>): FieldError[] {
  return [...nonNegative('spec.replicas', spec.replicas), ...selectorAndTemplateErrors(spec.selector, spec.template, ['Always'])];
}

export function daemonSetErrors(spec: Record<string, any>): FieldError[] {
  const out = selectorAndTemplateErrors(spec.selector, spec.template, ['Always']);
  const type = spec.updateStrategy?.type;
  if (type !== undefined && !['RollingUpdate', 'OnDelete'].includes(type)) out.push(fieldErrors.notSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
  return out;
}

export function jobErrors(spec: Record<string, any>): FieldError[] {
  const out = [
    ...nonNegative('spec.parallelism', spec.parallelism),
    ...nonNegative('spec.completions', spec.completions),
    ...nonNegative('spec.backoffLimit', spec.backoffLimit),
    ...nonNegative('spec.ttlSecondsAfterFinished', spec.ttlSecondsAfterFinished),
  ];
  if (spec.activeDeadlineSeconds !== undefined && !(spec.activeDeadlineSeconds > 0)) out.push(fieldErrors.invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be greater than or equal to 0'));
  if (spec.completionMode !== undefined && !['NonIndexed', 'Indexed'].includes(spec.completionMode)) out.push(fieldErrors.notSupported('spec.completionMode', spec.completionMode, ['NonIndexed', 'Indexed']));
  out.push(...selectorAndTemplateErrors(spec.selector, spec.template, ['OnFailure', 'Never'], false).filter((e) => e.field !== 'spec.template.spec.activeDeadlineSeconds'));
  if (spec.template?.spec && spec.template.spec.restartPolicy === undefined) out.push(fieldErrors.required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
  return out;
}

/** The immutable fields of workloads: selectors, and a Job's template. */
export function workloadUpdateErrors(kind: string, next: Record<string, any>, prev: Record<string, any>): FieldError[] {
  const out: FieldError[] = [];
  if (['Deployment', 'ReplicaSet', 'DaemonSet', 'Job'].includes(kind) && JSON.stringify(next.selector ?? null) !== JSON.stringify(prev.selector ?? null)) {
    out.push(fieldErrors.invalid('spec.selector', next.selector ?? null, 'field is immutable'));
  }
  if (kind === 'Job') {
    const strip = (t: unknown) => JSON.stringify(t ?? null);
    if (strip(next.template) !== strip(prev.template)) out.push(fieldErrors.invalid('spec.template', next.template ?? null, 'field is immutable'));
    if (next.completions !== prev.completions) out.push(fieldErrors.invalid('spec.completions', next.completions, 'field is immutable'));
  }
  return out;
}
