/**
 * `npx podplay`: the command line's entry. `podplay lessons …` (the lessons
 * module's verifier) sits beside the shell and the image commands (cli).
 */
import { main as cliMain } from './cli/node-main.ts';

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'lessons') return (await import('./lessons-cli.ts')).lessonsMain(argv.slice(1));
  return cliMain(argv);
}
