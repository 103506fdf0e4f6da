#!/usr/bin/env node
// podplay's command line: the same image store and runtime as the playground,
// on Node. TypeScript sources are loaded through tsx.
import { register } from 'tsx/esm/api';

// tsconfig: false: podplay's sources compile the same whatever tsconfig.json the working directory has.
register({ tsconfig: false });
const { main } = await import('../src/podplay-cli.ts');
process.exitCode = await main(process.argv.slice(2));
