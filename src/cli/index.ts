export { ago, dockerSize, repoAndTag } from './format.ts';
