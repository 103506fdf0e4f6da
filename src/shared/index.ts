export * from './errors.ts';
export * from './disposable.ts';
export * from './bytes.ts';
export * from './digest.ts';
export * from './clock.ts';
export * from './assets.ts';
export * from './node-import.ts';
export * from './signals.ts';
