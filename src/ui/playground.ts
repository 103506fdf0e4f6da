import { BROWSER_STORE, Cluster, Sandbox, defaultNodes, startError, type ContainerHandle, type ContainerResult, type PullEvent, type PulledImage } from '../sandbox/index.ts';
import { MemoryFiles, dockerSize } from '../cli/index.ts';
import { EXAMPLE_FILES } from './examples.ts';
import { mountTerminal, type TerminalView } from './terminal.ts';
import { ImagesView, download } from './images-view.ts';
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
  let terminal: TerminalView | undefined;
  installTestHook(sandbox, () => terminal);
  void startTerminal(layoutUrl, sandbox).then((t) => (terminal = t));
  for (const ref of IMAGES) imageSelect.add(new Option(ref, ref));

  let pullView = new PullView($('pull'));
  const freshPullView = () => (pullView = new PullView($('pull')));
  let current: ContainerHandle | undefined;

  const refreshImages = async () => {
    const images = await sandbox.images();
    imagesView.render(images);
    const known = new Set([...imageSelect.options].map((o) => o.value));
    for (const img of images) if (!known.has(img.ref)) imageSelect.add(new Option(img.ref, img.ref));
  };
  const busy = async (what: string, work: () => Promise<string | void>) => {
    setStatus(`${what}…`);
    try {
      setStatus((await work()) || 'Ready.');
      await refreshImages();
    } catch (err) {
      setStatus((err as Error).message, true);
      await refreshImages().catch(() => undefined);
    }
  };
  const loaded = (images: PulledImage[]) => `Loaded image: ${images.map((i) => i.ref).join(', ')}`;
  const imagesView = new ImagesView($<HTMLTableElement>('images'), {
    run: (ref) => {
      imageSelect.value = ref;
      argsInput.value = '';
      $<HTMLFormElement>('run-form').requestSubmit();
    },
    save: (ref) =>
      void busy(`Saving ${ref}`, async () => {
        const bytes = await sandbox.save([ref]);
        download(bytes, `${ref.replace(/[/:@]+/g, '-')}.tar`);
        return `Saved ${ref} as an OCI layout tar (${dockerSize(bytes.byteLength)}).`;
      }),
    remove: (ref) =>
      void busy(`Removing ${ref}`, async () => {
        const r = await sandbox.rmi(ref);
        return [...r.untagged.map((u) => `Untagged: ${u}`), ...r.deleted.map((d) => `Deleted: ${d}`)].join('\n');
      }),
  });

  $<HTMLFormElement>('pull-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const ref = $<HTMLInputElement>('pull-ref').value.trim();
    freshPullView();
    void busy(`Pulling ${ref}`, async () => void (await sandbox.pull(ref, (e) => pullView.push(e))));
  });
  const loadFile = (file: File) => {
    freshPullView();
    void busy(`Loading ${file.name}`, async () => loaded(await sandbox.load(new Uint8Array(await file.arrayBuffer()), file.name, { onEvent: (e) => pullView.push(e) })));
  };
  $<HTMLInputElement>('load-file').addEventListener('change', (ev) => {
    const input = ev.target as HTMLInputElement;
    if (input.files?.[0]) loadFile(input.files[0]);
    input.value = '';
  });
  const drop = $('drop-zone');
  drop.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    const file = ev.dataTransfer?.files[0];
    if (file) loadFile(file);
  });
  $<HTMLFormElement>('load-url-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const url = $<HTMLInputElement>('load-url').value.trim();
    const tag = $<HTMLInputElement>('load-tag').value.trim() || undefined;
    freshPullView();
    void busy(`Loading ${url}`, async () => loaded(await sandbox.importUrl(url, { tag, onEvent: (e) => pullView.push(e) })));
  });
  $('gc').addEventListener('click', () =>
    void busy('Removing unused data', async () => {
      const r = await sandbox.gc();
      return `Deleted ${r.deleted.length} unused blob${r.deleted.length === 1 ? '' : 's'}, ${dockerSize(r.freedBytes)} reclaimed.`;
    }),
  );
  void sandbox.persist().then((kept) => {
    $('storage').textContent = kept ? 'Images are kept in persistent storage.' : 'The browser may evict stored images under storage pressure.';
  });
  const run = async (image: string, args?: string[]): Promise<ContainerResult> => {
    output.textContent = '';
    exit.textContent = '';
    const { pulled } = await sandbox.ensureImage(image, (e: PullEvent) => pullView.push(e));
    if (pulled) await refreshImages();
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
  await refreshImages();
  performance.mark('podplay-first-run-done');
}

/** The cluster (three node workers) and the terminal bound to it. */
async function startTerminal(layoutUrl: string, sandbox: Sandbox): Promise<TerminalView | undefined> {
  const clusterStatus = $('cluster-status');
  try {
    const cluster = await Cluster.start({ store: BROWSER_STORE, layoutUrl, nodes: defaultNodes(3) });
    clusterStatus.textContent = `Cluster ready: ${cluster.nodes.nodes.map((n) => n.name).join(', ')} (each a node worker in this tab).`;
    return mountTerminal($('terminal'), {
      cluster,
      sandbox: async () => sandbox,
      files: new MemoryFiles(EXAMPLE_FILES),
      fetch: (url) => fetch(url),
    });
  } catch (err) {
    clusterStatus.textContent = `The cluster failed to start: ${(err as Error).message}`;
    clusterStatus.classList.add('error');
    return undefined;
  }
}

main().catch((err: Error) => setStatus(`podplay failed to start: ${err.message}`, true));
