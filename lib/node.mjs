// podplay's Node entry: loads src/node.ts through tsx under a namespace of
// its own, so only podplay's files are compiled and importing the package
// installs no TypeScript loader for the rest of the process. The names below
// are src/node.ts's value exports (test/unit/node-entry.test.ts checks that
// the two lists agree).
import { register } from 'tsx/esm/api';

// tsconfig: false: compile podplay's sources the same way whatever tsconfig.json the host project has.
const tsx = register({ namespace: 'podplay', tsconfig: false });
const podplay = await tsx.import('../src/node.ts', import.meta.url);

export const {
  createSandbox,
  createSession,
  runLine,
  SandboxSession,
  Cluster,
  Sandbox,
  defaultNodes,
  directoryStateStore,
  formatPullEvent,
  fileFetch,
  layoutUrl,
  podplayHome,
  NodeFiles,
  PodplayError,
} = podplay;
