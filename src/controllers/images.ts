/**
 * How a kubelet gets a pod's image: through the node's image store, with the
 * registry mirrors a real node can have. podplay runs WebAssembly images, so
 * a small, visible table maps the images tutorials use for shell one-liners
 * (busybox, registry.k8s.io/busybox, registry.k8s.io/pause) to podplay's
 * toolbox, which has the same applets; manifests copied from the Kubernetes
 * docs then run unmodified. Images with no podplay equivalent (nginx, …) are
 * not faked: their pull fails and says which images there are.
 */
import { listImages, normalizeRef, pullImage, type ContentStore, type ImageSource } from '../oci/index.ts';

export interface Mirror {
  /** What a manifest names: `busybox`, `registry.k8s.io/busybox:*` (any tag). */
  pattern: string;
  /** The podplay image that serves it. */
  image: string;
}

export const REGISTRY_MIRRORS: readonly Mirror[] = [
  { pattern: 'docker.io/library/busybox:*', image: 'podplay/toolbox:latest' },
  { pattern: 'registry.k8s.io/busybox:*', image: 'podplay/toolbox:latest' },
  { pattern: 'k8s.gcr.io/busybox:*', image: 'podplay/toolbox:latest' },
  { pattern: 'registry.k8s.io/pause:*', image: 'podplay/toolbox:latest' },
  { pattern: 'registry.k8s.io/e2e-test-images/busybox:*', image: 'podplay/toolbox:latest' },
];

/** Fully qualified, as a container runtime names an image: `docker.io/library/busybox:1.28`. */
export function qualifiedImage(image: string): string {
  const ref = normalizeRef(image);
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** The podplay image a mirror serves for `image`, if any. */
export function mirrorFor(image: string): string | undefined {
  const full = qualifiedImage(image);
  for (const m of REGISTRY_MIRRORS) {
    const [repo, tag] = m.pattern.split(':') as [string, string];
    const [fullRepo, fullTag] = [full.slice(0, full.lastIndexOf(':')), full.slice(full.lastIndexOf(':') + 1)];
    if (fullRepo === repo && (tag === '*' || tag === fullTag)) return m.image;
  }
  return undefined;
}

export interface PulledImage {
  /** The stored ref that serves the pod's image (a mirror's image, or the image itself). */
  ref: string;
  /** Set when a mirror served the name. */
  mirror?: string;
  size: number;
  imageId: string;
}

/** What a kubelet needs of the node's images. */
export interface ImageService {
  /** The stored image for `image`, or undefined when the node does not have it. */
  present(image: string): Promise<PulledImage | undefined>;
  /** Pulls `image` (through a mirror when one serves it). Throws with a message that names the images there are. */
  pull(image: string): Promise<PulledImage>;
  /** Every image the node has, by ref (for ImageLocality and messages). */
  list(): Promise<Array<{ names: string[]; sizeBytes: number }>>;
}

/** An image service over a content store, pulling from podplay's bundled layout (its built-in registry) and any layouts before it. */
export function storeImageService(store: ContentStore, layout: ImageSource): ImageService {
  const target = (image: string) => {
    const mirror = mirrorFor(image);
    return { ref: normalizeRef(mirror ?? image), mirror };
  };
  const describe = async (ref: string, mirror?: string): Promise<PulledImage | undefined> => {
    const summary = (await listImages(store)).find((i) => i.ref === ref);
    if (!summary) return undefined;
    return { ref, mirror, size: summary.size, imageId: summary.digest };
  };
  return {
    async present(image) {
      const t = target(image);
      return describe(t.ref, t.mirror);
    },
    async pull(image) {
      const t = target(image);
      try {
        await pullImage(layout, t.ref, store);
      } catch (err) {
        const known = (await layout.list().catch(() => [])).map((i) => i.name).filter((n): n is string => !!n);
        const why = (err as { code?: string }).code === 'ImageNotFound' || /not found|no image/i.test(String((err as Error).message));
        const detail = why ? `podplay has no image ${JSON.stringify(qualifiedImage(image))}: podplay runs WebAssembly images` : (err as Error).message;
        throw Object.assign(new Error(`${detail} (images there are: ${known.join(', ') || 'none'})`), { code: 'ImageNotFound' });
      }
      return (await describe(t.ref, t.mirror))!;
    },
    async list() {
      return (await listImages(store)).map((i) => ({ names: [i.ref, i.digest], sizeBytes: i.size }));
    },
  };
}
