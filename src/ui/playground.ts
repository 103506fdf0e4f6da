import { BROWSER_STORE, Sandbox, startError, type ContainerHandle, type ContainerResult, type PullEvent } from '../sandbox/index.ts';
import { missingIsolationHeaders, isolationMessage } from './isolation.ts';
import { PullView } from './pull-view.ts';
import { installTestHook } from './test-hook.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const output = $('output');
const exit = $('exit');
const imageSelect = $<HTMLSelectElement>('image');
const argsInput = $<HTMLInputElement>('args');
const runButton = $<HTMLButtonElement>('run');
const killButton = $<HTMLButtonElement>('kill');

const IMAGES = ['podplay/hello', 'podplay/toolbox', 'podplay/ticker', 'podplay/crash', 'podplay/primes', 'podplay/memhog', 'podplay/kv'];

function setStatus(text: string, error = false) {
  status.textContent = text;
  status.classList.toggle('error', error);
}

/** Splits an argument line the way a shell would for plain words and quotes. */
function splitArgs(line: string): string[] | undefined {
  const words = line.match(/"[^"]*"|'[^']*'|\S+/g);
  return words?.map((w) => (/^(["']).*\1$/.test(w) ? w.slice(1, -1) : w));
}

async function main() {
  const missing = await missingIsolationHeaders();
  if (missing.length) {
    setStatus(isolationMessage(missing), true);
    runButton.disabled = true;
    return;
  }
  const layoutUrl = new URL(`${import.meta.env.BASE_URL}images`, location.href).href;
  const sandbox = await Sandbox.create({ layoutUrl, store: BROWSER_STORE });
  installTestHook(sandbox);
  for (const ref of IMAGES) imageSelect.add(new Option(ref, ref));

  const pullView = new PullView($('pull'));
  let current: ContainerHandle | undefined;
  const run = async (image: string, args?: string[]): Promise<ContainerResult> => {
    output.textContent = '';
    exit.textContent = '';
    const { pulled } = await sandbox.ensureImage(image, (e: PullEvent) => pullView.push(e));
    if (!pulled) pullView.push({ kind: 'image', status: 'Status', message: `Image is up to date for ${image}:latest (from IndexedDB)` });
    setStatus(`Running ${image}…`);
    const decoder = new TextDecoder();
    current = await sandbox.run(image, {
      args,
      onOutput: (e) => {
        const span = document.createElement('span');
        if (e.type === 'stderr') span.className = 'stderr';
        span.textContent = decoder.decode(e.data, { stream: true });
        output.append(span);
      },
    });
    killButton.disabled = false;
    const result = await current.result;
    killButton.disabled = true;
    current = undefined;
    const err = startError(result);
    exit.textContent = err ? `docker: Error response from daemon: ${err.message}` : `exited with code ${result.exitCode} (${result.reason})`;
    setStatus('Ready.');
    return result;
  };

  $<HTMLFormElement>('run-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    runButton.disabled = true;
    run(imageSelect.value, splitArgs(argsInput.value))
      .catch((err: Error) => setStatus(err.message, true))
      .finally(() => (runButton.disabled = false));
  });
  killButton.addEventListener('click', () => void current?.kill());

  setStatus('Pulling podplay/hello…');
  await sandbox.node.ready();
  await run('podplay/hello');
  performance.mark('podplay-first-run-done');
}

main().catch((err: Error) => setStatus(`podplay failed to start: ${err.message}`, true));
