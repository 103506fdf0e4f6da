/**
 * The browser tests' page script: the element from podplay's own entry, and
 * the test hook (window.podplay) over the element's sandbox, installed once
 * the element is ready. Built only into dist-test/ (vite build --mode test).
 */
import type { PodplaySandboxElement } from '../../src/ui/index.ts';
import { installTestHook } from './test-hook.ts';

// The element comes from ../../podplay.js, loaded by the page as a docs page loads it.
await customElements.whenDefined('podplay-sandbox');
const el = document.querySelector('podplay-sandbox') as PodplaySandboxElement;
let terminalCommands = 0;
el.addEventListener('podplay-command', (e) => {
  if ((e as CustomEvent<{ source: string }>).detail.source === 'terminal') terminalCommands++;
});
await el.ready;
const session = el.session!;
installTestHook(await session.env.sandbox(), { terminalReady: () => true, terminalCommands: () => terminalCommands });
