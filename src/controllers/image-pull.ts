/**
 * A container's image, as the kubelet's image manager gets it
 * (pkg/kubelet/images): per imagePullPolicy, with the events and waiting
 * reasons of a real node: `Pulling`, `Pulled`, `ErrImagePull`, then
 * `ImagePullBackOff` (10 s doubling to 5 min), `ErrImageNeverPull`.
 */
import type { Container, ContainerState } from '../api/index.ts';
import { mirrorNote, type ImageService, type PulledImage } from './images.ts';

export interface PullContext {
  images: ImageService;
  now(): number;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Shows the container waiting for this reason. */
  waiting(state: ContainerState): void;
  /** Waits `s` seconds of cluster time (less if the pod is being stopped). */
  sleep(s: number): Promise<void>;
  stopping(): boolean;
}

export const IMAGE_BACKOFF_S = 10;
export const MAX_IMAGE_BACKOFF_S = 300;

/** Go's time.Duration text, as kubelet messages print it: `1.234s`, `412ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** podplay's addition to a Pulled event when a registry mirror served the name: which podplay image, and what it lacks. */
const served = (p: PulledImage) => (p.mirror ? ` (${mirrorNote(p.mirror)})` : '');

/** Tracks one container's pull backoff across its runs. */
export class ImagePuller {
  #backoffS = 0;

  #nextBackoff(): number {
    this.#backoffS = this.#backoffS ? Math.min(this.#backoffS * 2, MAX_IMAGE_BACKOFF_S) : IMAGE_BACKOFF_S;
    return this.#backoffS;
  }

  /** The image, or undefined after a failure whose backoff has been waited out. */
  async get(ctx: PullContext, c: Container): Promise<PulledImage | undefined> {
    const image = c.image ?? '';
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    const present = await ctx.images.present(image);
    if (present && policy !== 'Always') {
      ctx.event('Normal', 'Pulled', `Container image ${JSON.stringify(image)} already present on machine and can be accessed by the pod${served(present)}`);
      return present;
    }
    if (!present && policy === 'Never') {
      const message = `Container image ${JSON.stringify(image)} is not present with pull policy of Never`;
      ctx.waiting({ waiting: { reason: 'ErrImageNeverPull', message } });
      ctx.event('Warning', 'ErrImageNeverPull', message);
      ctx.event('Warning', 'Failed', 'Error: ErrImageNeverPull');
      await ctx.sleep(this.#nextBackoff());
      return undefined;
    }
    ctx.event('Normal', 'Pulling', `Pulling image ${JSON.stringify(image)}`);
    const t0 = ctx.now();
    try {
      const pulled = await ctx.images.pull(image);
      const took = formatDuration(ctx.now() - t0);
      ctx.event('Normal', 'Pulled', `Successfully pulled image ${JSON.stringify(image)} in ${took} (${took} including waiting). Image size: ${pulled.size} bytes.${served(pulled)}`);
      this.#backoffS = 0;
      return pulled;
    } catch (err) {
      const why = (err as Error).message;
      ctx.waiting({ waiting: { reason: 'ErrImagePull', message: why } });
      ctx.event('Warning', 'Failed', `Failed to pull image ${JSON.stringify(image)}: ${why}`);
      ctx.event('Warning', 'Failed', 'Error: ErrImagePull');
      const backoff = this.#nextBackoff();
      await ctx.sleep(1);
      if (ctx.stopping()) return undefined;
      ctx.waiting({ waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image ${JSON.stringify(image)}: ErrImagePull: ${why}` } });
      ctx.event('Normal', 'BackOff', `Back-off pulling image ${JSON.stringify(image)}`);
      ctx.event('Warning', 'Failed', 'Error: ImagePullBackOff');
      await ctx.sleep(backoff);
      return undefined;
    }
  }
}
