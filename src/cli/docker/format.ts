/**
 * docker ps / images --format: a Go template per row (`{{.Names}}`,
 * `{{json .}}`), or `table …` for a table whose header docker derives from
 * the fields (`{{.ID}}` → CONTAINER ID), columns split at tabs (`\t`).
 */
import { DOCKER_TABLE, formatTable } from '../table.ts';
import { dockerTemplate } from './template.ts';

/** docker/cli's column headers for the fields of ps and images. */
const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Names: 'NAMES',
  Labels: 'LABELS',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  Size: 'SIZE',
};

/** Rows through a --format template; `imageHeaders` names `.ID` as images does (IMAGE ID). */
export function formatWith(format: string, rows: readonly Record<string, string>[], imageHeaders = false): string {
  // A literal \t in the flag's value is a tab, as docker reads it.
  const template = format.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  if (!template.startsWith('table')) {
    const render = dockerTemplate(template);
    return rows.map((r) => render(r) + '\n').join('');
  }
  const columns = template.slice('table'.length).trim().split('\t');
  const header = columns.map((c) =>
    c.replace(/\{\{-?\s*(?:json\s+)?\.(\w*)\s*-?\}\}/g, (_, f: string) => (f === 'ID' && imageHeaders ? 'IMAGE ID' : (HEADERS[f] ?? f.toUpperCase()))),
  );
  const renders = columns.map((c) => dockerTemplate(c));
  return formatTable([header, ...rows.map((r) => renders.map((render) => render(r)))], DOCKER_TABLE);
}
