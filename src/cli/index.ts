export { ago, dockerSize } from './format.ts';
