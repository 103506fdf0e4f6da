/**
 * ImageLocality (pkg/scheduler/framework/plugins/imagelocality): a node
 * that already holds the pod's images scores higher, each image counted by
 * its size times the share of nodes that hold it (so that one node holding
 * a rare image does not draw every pod), the sum clamped between 23 MB and
 * 1000 MB per container. The images are the ones each node's kubelet
 * reports from its real image store.
 */
import type { Plugin } from '../framework.ts';
import { Status } from '../status.ts';
import { MAX_NODE_SCORE } from './normalize.ts';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** The names a container's image may be listed under on a node (normalizedImageName, and the docker.io forms). */
export const imageNames = (image: string) => {
  const tagged = /[:@][^/]*$/.test(image) ? image : `${image}:latest`;
  return [...new Set([image, tagged, `docker.io/${tagged}`, `docker.io/library/${tagged}`])];
};

interface ImageShare {
  names: string[];
  /** How many nodes hold it, out of all. */
  share: number;
}

export const ImageLocality: Plugin = {
  name: 'ImageLocality',
  preScore(state, pod, _feasible, snapshot) {
    const total = Math.max(1, snapshot.nodes.length);
    const images: ImageShare[] = pod.images.map((image) => {
      const names = imageNames(image);
      return { names, share: Math.max(...names.map((n) => snapshot.imageNumNodes(n))) / total };
    });
    state.write('ImageLocality', images);
    return Status.success();
  },
  score(state, pod, node) {
    const images = state.read<ImageShare[]>('ImageLocality')!;
    let sum = 0;
    if (node.images.size) {
      for (const { names, share } of images) {
        for (const n of names) {
          const size = node.images.get(n);
          if (size !== undefined) {
            sum += Math.trunc(size * share);
            break;
          }
        }
      }
    }
    const max = MAX_CONTAINER_THRESHOLD * pod.images.length;
    const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), max);
    return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
  },
};
