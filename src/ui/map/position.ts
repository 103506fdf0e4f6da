/**
 * Where the map is in time. A past moment is held as its state's number
 * since recording began (events folded into the history's start included),
 * not as an index into the kept events: while the history folds its oldest
 * events away, an index would slide forward and the map with it.
 */
import type { WatchHistory } from '../../sandbox/index.ts';

/** Live (following the cluster), or the state after this many events since recording began. */
export type MapPosition = 'live' | { state: number };

/** The position of kept state `index` of `history`. */
export const positionAt = (history: WatchHistory, index: number): MapPosition => ({ state: history.dropped + index });

/**
 * The kept state to show for `position`: its index, clamped to what the
 * history holds; `folded` when the moment itself has been folded away (the
 * oldest kept one is shown instead).
 */
export function indexOf(history: WatchHistory, position: MapPosition): { index: number; folded: boolean } {
  if (position === 'live') return { index: history.length, folded: false };
  const index = position.state - history.dropped;
  if (index < 0) return { index: 0, folded: true };
  return { index: Math.min(index, history.length), folded: false };
}
