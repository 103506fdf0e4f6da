import { execFileSync } from 'node:child_process';

/** The Debian packages the peer tests drive; .ci/run installs them. */
export const PEER_TOOLS = ['skopeo', 'umoci', 'docker-registry', 'buildah'] as const;

export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a peer test cannot run here, or undefined when it can. Missing tools
 * skip the test with that reason, except where PODPLAY_REQUIRE_PEERS=1 (CI),
 * where they fail it: a peer test must not silently not run there.
 */
export function peerSkipReason(...tools: string[]): string | undefined {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return undefined;
  const reason = `needs ${missing.join(', ')} (apt-get install -y ${missing.join(' ')})`;
  if (process.env.PODPLAY_REQUIRE_PEERS === '1') throw new Error(`peer test ${reason}`);
  return reason;
}
