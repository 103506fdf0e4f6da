import type { ImageConfig } from '../oci/index.ts';
import type { ContainerSpec } from './protocol.ts';

/** The process a container runs: argv, env, cwd, from the image config and the spec, as docker and Kubernetes compute them. */
export function processFor(config: ImageConfig, spec: ContainerSpec): { argv: string[]; env: Record<string, string>; cwd: string } {
  const image = config.config ?? {};
  const entrypoint = spec.command ?? image.Entrypoint ?? [];
  // An overridden entrypoint drops the image's Cmd (docker run --entrypoint; Kubernetes command without args).
  const cmd = spec.args ?? (spec.command ? [] : image.Cmd ?? []);
  const env: Record<string, string> = {};
  for (const kv of image.Env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  env.HOSTNAME = spec.hostname ?? spec.id.slice(0, 12);
  Object.assign(env, spec.env);
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return { argv: [...entrypoint, ...cmd], env, cwd: spec.workingDir || image.WorkingDir || '/' };
}
