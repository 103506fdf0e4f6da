#!/usr/bin/env node
// podplay's command line: the same image store and runtime as the playground,
// on Node. TypeScript sources are loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/node-main.ts');
process.exitCode = await main(process.argv.slice(2));
