export { buildImage, BuildError, type BuildHost, type BuildRequest, type BuildResult } from './builder.ts';
export { parseDockerfile, DockerfileError, INSTRUCTIONS, type Dockerfile, type Instruction, type Stage } from './dockerfile.ts';
export { memoryContext, loadContext, ignorePatterns, DEFAULT_CONTEXT_LIMIT, type ContextSource, type ContextEntry } from './context.ts';
export { PlainPrinter, sourceSnippet, buildBytes, type BuildEvent } from './progress.ts';
export { expandWord, expandWords } from './shell-words.ts';
