/**
 * A container's state in docker's words: inspect's State object, the
 * STATUS column (moby container.State.String: `Up 3 seconds`, `Exited (0)
 * 2 minutes ago`, `Created`) and the COMMAND column (moby daemon/list.go).
 */
import type { ContainerInfo, DockerContainer } from './engine.ts';
import { humanDuration, rfc3339Nano, ZERO_TIME } from './units.ts';

/** docker inspect's State. */
export interface DockerState {
  Status: 'created' | 'running' | 'exited' | 'dead';
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

/** The state of `c` from the node worker's `info` (undefined: the node lost it). */
export function dockerState(c: DockerContainer, info: ContainerInfo | undefined): DockerState {
  const status = !info ? 'dead' : info.state;
  return {
    Status: status,
    Running: status === 'running',
    Paused: false,
    Restarting: false,
    OOMKilled: info?.reason === 'OOMKilled',
    Dead: status === 'dead',
    Pid: 0, // wasip1 programs have no process ID podplay could show
    ExitCode: status === 'exited' ? info!.exitCode ?? 0 : c.errorExitCode ?? 0,
    Error: c.error ?? '',
    StartedAt: info?.startedAt !== undefined ? rfc3339Nano(info.startedAt) : ZERO_TIME,
    FinishedAt: status === 'exited' && info?.finishedAt !== undefined ? rfc3339Nano(info.finishedAt) : ZERO_TIME,
  };
}

/** The STATUS column: moby's State.String(). */
export function statusText(info: ContainerInfo | undefined, now: number): string {
  if (!info) return 'Dead';
  if (info.state === 'running') return `Up ${humanDuration(now - (info.startedAt ?? now))}`;
  if (info.state === 'created' || info.startedAt === undefined) return 'Created';
  if (info.finishedAt === undefined) return '';
  return `Exited (${info.exitCode ?? 0}) ${humanDuration(now - info.finishedAt)} ago`;
}

/** The COMMAND column before quoting: Path, then Args with spaces in single quotes. */
export function commandText(c: DockerContainer): string {
  if (c.args.length === 0) return c.path;
  return `${c.path} ${c.args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}

/** Whether the node worker runs `c` now. */
export const isRunning = (info: ContainerInfo | undefined) => info?.state === 'running';
