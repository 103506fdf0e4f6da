/**
 * `kubectl get` rows of the RBAC kinds and ServiceAccount, as kubectl's
 * printers (pkg/printers/internalversion) compute them: a role's creation
 * time in RFC 3339 rather than an age, a binding's role as `Kind/name`, and
 * with -o wide its subjects by kind (service accounts as `namespace/name`).
 */
import type { KubeObject, RoleBinding } from '../../../api/index.ts';
import { age } from '../../duration.ts';

/** metav1.Time in RFC 3339, UTC, whole seconds (`2026-11-27T12:00:00Z`). */
function createdAt(o: KubeObject): string {
  const t = o.metadata.creationTimestamp;
  return t ? new Date(Date.parse(t)).toISOString().replace(/\.\d+Z$/, 'Z') : '0001-01-01T00:00:00Z';
}

/** rbac.SubjectsStrings: users, groups and service accounts, each list joined by `, `. */
function subjectCells(b: RoleBinding): string[] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of b.subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

const role = {
  columns: ['NAME', 'CREATED AT'],
  wide: [],
  row: (o: KubeObject) => [o.metadata.name!, createdAt(o)],
};

const binding = {
  columns: ['NAME', 'ROLE', 'AGE'],
  wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'],
  row(o: KubeObject, now: number, wide: boolean): string[] {
    const b = o as RoleBinding;
    const row = [b.metadata.name!, `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, age(b.metadata.creationTimestamp, now)];
    return wide ? [...row, ...subjectCells(b)] : row;
  },
};

export const RBAC_TABLES = {
  ServiceAccount: {
    columns: ['NAME', 'SECRETS', 'AGE'],
    wide: [],
    row: (o: KubeObject, now: number) => [o.metadata.name!, String(((o.secrets as unknown[] | undefined) ?? []).length), age(o.metadata.creationTimestamp, now)],
  },
  Role: role,
  ClusterRole: role,
  RoleBinding: binding,
  ClusterRoleBinding: binding,
};
