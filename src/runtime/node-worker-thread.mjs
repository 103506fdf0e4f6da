// Node only: a worker_threads entry that loads the TypeScript node worker
// through tsx (the browser build bundles node-worker.ts instead).
import { register } from 'tsx/esm/api';

// tsconfig: false: podplay's sources compile the same whatever tsconfig.json the working directory has.
register({ tsconfig: false });
await import('./node-worker.ts');
