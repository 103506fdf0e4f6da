/**
 * The table kubectl prints for each kind podplay serves: the columns (with
 * -o wide's extra ones), and a row per object. `-A` puts NAMESPACE first,
 * `--show-labels` adds LABELS, `-L key` a column per label.
 */
import type { KubeObject, Pod } from '../../../api/index.ts';
import { CLUSTER_TABLES } from './cluster.ts';
import { POD_COLUMNS, POD_WIDE_COLUMNS, podRow } from './pods.ts';
import { RBAC_TABLES } from './rbac.ts';
import { WORKLOAD_TABLES } from './workloads.ts';

export { podState } from './pods.ts';
export { nodeStatus, nodeRoles, eventLastSeen, eventObject } from './cluster.ts';
export { containerCells, selectorText } from './workloads.ts';

interface KindTable {
  columns: string[];
  wide: string[];
  /** When -o wide replaces the columns rather than adding to them (events). */
  wideColumns?: string[];
  row(o: KubeObject, now: number, wide: boolean): string[];
}

const TABLES: Record<string, KindTable> = {
  Pod: { columns: POD_COLUMNS, wide: POD_WIDE_COLUMNS, row: (o, now, wide) => podRow(o as Pod, now, wide) },
  ...WORKLOAD_TABLES,
  ...CLUSTER_TABLES,
  ...RBAC_TABLES,
};

export interface TableOptions {
  wide?: boolean;
  /** Prefix a NAMESPACE column (kubectl get -A). */
  withNamespace?: boolean;
  showLabels?: boolean;
  /** -L: one column per label key, headed by the key's last segment in upper case. */
  labelColumns?: string[];
  /** Names as `kind/name` (kubectl get of several kinds, `get all`). */
  withKind?: string;
  noHeaders?: boolean;
}

const labelsText = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';

/** The header row of a kind's table. */
export function tableHeader(kind: string, options: TableOptions = {}): string[] {
  const t = TABLES[kind];
  const columns = t ? (options.wide ? (t.wideColumns ?? [...t.columns, ...t.wide]) : t.columns) : ['NAME', 'AGE'];
  const header = [...columns];
  for (const l of options.labelColumns ?? []) header.push(l.split('/').pop()!.toUpperCase());
  if (options.showLabels) header.push('LABELS');
  if (options.withNamespace) header.unshift('NAMESPACE');
  return header;
}

/** One object's row. */
export function tableRow(obj: KubeObject, now: number, options: TableOptions = {}): string[] {
  const t = TABLES[obj.kind];
  const row = t ? t.row(obj, now, !!options.wide) : [obj.metadata.name!, ''];
  if (options.withKind && obj.kind !== 'Event') row[0] = `${options.withKind}/${row[0]}`;
  for (const l of options.labelColumns ?? []) row.push(obj.metadata.labels?.[l] ?? '');
  if (options.showLabels) row.push(labelsText(obj.metadata.labels));
  if (options.withNamespace) row.unshift(obj.metadata.namespace ?? '');
  return row;
}

/** Header and rows. */
export function tableRows(kind: string, objects: readonly KubeObject[], now: number, options: TableOptions = {}): string[][] {
  const rows = objects.map((o) => tableRow(o, now, options));
  return options.noHeaders ? rows : [tableHeader(kind, options), ...rows];
}
