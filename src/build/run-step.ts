/**
 * A RUN step: a build container on the node worker, made from the stage's
 * image as it is before the step (stored by manifest digest), running the
 * command with the stage's env, working directory and limits; its changes
 * come back as a layer tar, made by the code `docker commit` uses.
 */
import { formatBytes } from '../oci/index.ts';
import type { NodeWorker, OutputEvent } from '../runtime/index.ts';

export interface RunStepRequest {
  /** `sha256:…` of the stored manifest of the stage's image before the step. */
  image: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  memoryLimit?: number;
  timeoutMs?: number;
  /** Layer entry times are capped here (ms): a reproducible build's epoch. */
  clampMtime: number;
  onOutput(data: Uint8Array): void;
}

export type RunStepResult =
  | { ok: true; tar: Uint8Array; changes: number }
  | { ok: false; exitCode: number; reason: string };

let counter = 0;

/** Runs one RUN step in a throwaway container, which is removed whatever happens. */
export async function runStep(node: NodeWorker, req: RunStepRequest): Promise<RunStepResult> {
  const id = `build-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  await node.create({
    id,
    image: req.image,
    command: req.argv,
    args: [],
    env: req.env,
    workingDir: req.cwd,
    ...(req.memoryLimit ? { memoryLimit: req.memoryLimit } : {}),
  });
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await node.start(id, (e: OutputEvent) => req.onOutput(e.data));
    if (req.timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true;
        void node.kill(id).catch(() => undefined);
      }, req.timeoutMs);
    }
    const result = await node.wait(id);
    if (result.reason === 'StartError') return { ok: false, exitCode: 127, reason: result.error?.message ?? 'the program could not start' };
    if (timedOut) return { ok: false, exitCode: 137, reason: `killed after the step's time limit of ${Math.round(req.timeoutMs! / 1000)}s` };
    if (result.reason === 'OOMKilled') return { ok: false, exitCode: 137, reason: `OOMKilled: it ran out of its memory limit${req.memoryLimit ? ` of ${formatBytes(req.memoryLimit)}` : ''} (docker build --memory)` };
    if (result.exitCode !== 0) return { ok: false, exitCode: result.exitCode, reason: '' };
    const layer = await node.layer(id, req.clampMtime);
    return { ok: true, ...layer };
  } finally {
    if (timer) clearTimeout(timer);
    await node.remove(id, true).catch(() => undefined);
  }
}
