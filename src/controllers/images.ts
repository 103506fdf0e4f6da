/**
 * How a name becomes an image, for a kubelet and for `docker pull`/`run`
 * alike: through the registry mirrors a real node or daemon can have.
 * podplay runs WebAssembly images, so a small, visible table maps the Linux
 * images that tutorials and the Kubernetes docs name to podplay images that
 * do the same job (busybox to podplay's toolbox, which has the same applets;
 * registry.k8s.io/pause to podplay/pause, …); manifests copied from the docs
 * then run unmodified. As a registry mirror serves a name, the mirror's
 * image is stored under the name asked for: `busybox:1.28` becomes a tag of
 * podplay/toolbox's manifest (the same image ID). Images with no podplay
 * equivalent (nginx, …) are not faked: their pull fails and says which
 * images there are.
 */
import {
  listImages,
  normalizeRef,
  pullImage,
  type ContentStore,
  type ImageSource,
  type PulledImage as StoredPull,
  type PullOptions,
} from '../oci/index.ts';

export interface Mirror {
  /** What a manifest names, fully qualified: `docker.io/library/busybox:*` (`*`: any tag). */
  pattern: string;
  /** The podplay image that serves it. */
  image: string;
  /** What the podplay image is and lacks beside the real one, said whenever it serves the name. */
  about?: string;
}

const TOOLBOX = 'podplay/toolbox:latest';
const NO_APT = 'podplay\'s toolbox is a minimal busybox-like image, without apt-get or dpkg: apt-get gives "sh: apt-get: not found"';
const NO_APK = 'podplay\'s toolbox is a minimal busybox-like image, without apk: apk gives "sh: apk: not found"';

/** podplay's registry mirrors: the names they serve and the podplay image that serves each. */
export const REGISTRY_MIRRORS: readonly Mirror[] = [
  { pattern: 'docker.io/library/busybox:*', image: TOOLBOX },
  { pattern: 'registry.k8s.io/busybox:*', image: TOOLBOX },
  { pattern: 'k8s.gcr.io/busybox:*', image: TOOLBOX },
  { pattern: 'registry.k8s.io/e2e-test-images/busybox:*', image: TOOLBOX },
  { pattern: 'registry.k8s.io/pause:*', image: 'podplay/pause:latest' },
  { pattern: 'k8s.gcr.io/pause:*', image: 'podplay/pause:latest' },
  { pattern: 'docker.io/library/debian:*', image: TOOLBOX, about: NO_APT },
  { pattern: 'docker.io/library/ubuntu:*', image: TOOLBOX, about: NO_APT },
  { pattern: 'docker.io/library/alpine:*', image: TOOLBOX, about: NO_APK },
  { pattern: 'docker.io/polinux/stress:*', image: 'podplay/stress:latest' },
];

/** Fully qualified, as a container runtime names an image: `docker.io/library/busybox:1.28`. */
export function qualifiedImage(image: string): string {
  const ref = normalizeRef(image);
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

/** The mirror that serves `image`, if any (a digest names one exact manifest, which no mirror has). */
export function mirrorFor(image: string): Mirror | undefined {
  const full = qualifiedImage(image);
  if (full.includes('@')) return undefined;
  const colon = full.lastIndexOf(':');
  const [repo, tag] = [full.slice(0, colon), full.slice(colon + 1)];
  return REGISTRY_MIRRORS.find((m) => {
    const at = m.pattern.lastIndexOf(':');
    const want = m.pattern.slice(at + 1);
    return m.pattern.slice(0, at) === repo && (want === '*' || want === tag);
  });
}

/** How an image name is pulled: the name it is stored under and the mirror that serves it, if one does. */
export interface ResolvedImage {
  /** The name asked for, as stored: `busybox:1.28`, `registry.k8s.io/pause:3.9`. */
  name: string;
  mirror?: Mirror;
}

/** The one resolver of image names, for the kubelet and the docker commands. */
export function resolveImage(image: string): ResolvedImage {
  return { name: normalizeRef(image), mirror: mirrorFor(image) };
}

/** A mirror's words for a name it served, as the Pulled event and `docker pull` say them. */
export function mirrorNote(m: Mirror): string {
  return `served by podplay image ${JSON.stringify(m.image)} through a registry mirror${m.about ? `; ${m.about}` : ''}`;
}

/**
 * Pulls `image` from `source` (podplay's layouts): through the mirror that
 * serves the name, whose image is stored under the name asked for, else by
 * its own name. Either way it is one pull (progress, digest checks, the
 * store left as it was on failure) under `options`.
 */
export async function pullResolved(source: ImageSource, image: string, store: ContentStore, options: PullOptions = {}): Promise<StoredPull & { mirror?: Mirror }> {
  const { name, mirror } = resolveImage(image);
  if (!mirror) return pullImage(source, image, store, options);
  return { ...(await pullImage(source, mirror.image, store, { ...options, tag: name })), mirror };
}

export interface PulledImage {
  /** The stored ref that serves the pod's image: the name asked for. */
  ref: string;
  /** Set when a mirror served the name. */
  mirror?: Mirror;
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
  const describe = async (image: string): Promise<PulledImage | undefined> => {
    const { name, mirror } = resolveImage(image);
    const summary = (await listImages(store)).find((i) => i.ref === name);
    if (!summary) return undefined;
    return { ref: name, mirror, size: summary.size, imageId: summary.digest };
  };
  return {
    present: describe,
    async pull(image) {
      try {
        await pullResolved(layout, image, store);
      } catch (err) {
        const known = (await layout.list().catch(() => [])).map((i) => i.name).filter((n): n is string => !!n);
        const why = (err as { code?: string }).code === 'ImageNotFound' || /not found|no image/i.test(String((err as Error).message));
        const mirror = mirrorFor(image);
        const missing = mirror ? `podplay has no image ${JSON.stringify(mirror.image)}, which serves ${JSON.stringify(qualifiedImage(image))} through a registry mirror` : `podplay has no image ${JSON.stringify(qualifiedImage(image))}: podplay runs WebAssembly images`;
        const detail = why ? missing : (err as Error).message;
        throw Object.assign(new Error(`${detail} (images there are: ${known.join(', ') || 'none'})`), { code: 'ImageNotFound' });
      }
      return (await describe(image))!;
    },
    async list() {
      return (await listImages(store)).map((i) => ({ names: [i.ref, i.digest], sizeBytes: i.size }));
    },
  };
}
