/**
 * The commands behind the map's buttons. Each action is the kubectl (or
 * podplay) line a learner would type, run in the terminal so the picture
 * teaches the command; a change made meanwhile is refused by the command's
 * own precondition (`--current-replicas`) or the API's NotFound.
 */
import { quoteWord } from '../../cli/index.ts';

export type MapAction =
  | { kind: 'cordon' | 'uncordon' | 'drain' | 'stop'; node: string }
  | { kind: 'taint'; node: string; taint: string }
  | { kind: 'untaint'; node: string; taint: string }
  | { kind: 'delete-pod'; namespace: string; pod: string }
  | { kind: 'scale'; namespace: string; deployment: string; replicas: number; current?: number };

const ns = (namespace: string) => (namespace === 'default' ? '' : ` -n ${quoteWord(namespace)}`);

/** The shell line of an action. */
export function actionLine(a: MapAction): string {
  switch (a.kind) {
    case 'cordon':
    case 'uncordon':
      return `kubectl ${a.kind} ${quoteWord(a.node)}`;
    case 'drain':
      return `kubectl drain ${quoteWord(a.node)} --ignore-daemonsets`;
    case 'stop':
      return `podplay stop node ${quoteWord(a.node)}`;
    case 'taint':
      return `kubectl taint nodes ${quoteWord(a.node)} ${quoteWord(a.taint)}`;
    case 'untaint': {
      // `key=value:Effect` is removed as `key:Effect-`.
      const [keyValue, effect] = [a.taint.slice(0, a.taint.lastIndexOf(':')), a.taint.slice(a.taint.lastIndexOf(':') + 1)];
      return `kubectl taint nodes ${quoteWord(a.node)} ${quoteWord(`${keyValue.split('=')[0]}:${effect}-`)}`;
    }
    case 'delete-pod':
      return `kubectl delete pod ${quoteWord(a.pod)}${ns(a.namespace)}`;
    case 'scale':
      return `kubectl scale deployment/${quoteWord(a.deployment)} --replicas=${a.replicas}${a.current === undefined ? '' : ` --current-replicas=${a.current}`}${ns(a.namespace)}`;
  }
}
