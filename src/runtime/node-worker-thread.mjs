// Node only: a worker_threads entry that loads the TypeScript node worker
// through tsx (the browser build bundles node-worker.ts instead).
import { register } from 'tsx/esm/api';

register();
await import('./node-worker.ts');
