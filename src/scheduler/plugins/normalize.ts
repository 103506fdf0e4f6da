/**
 * Score bounds and the usual NormalizeScore (framework.MaxNodeScore,
 * helper.DefaultNormalizeScore).
 */

export const MAX_NODE_SCORE = 100;

/** Scales to 0–100 by the highest score; reversed, a higher raw score is worse. */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? MAX_NODE_SCORE : 0;
    else {
      const s = Math.floor((scores[i]! * MAX_NODE_SCORE) / max);
      scores[i] = reverse ? MAX_NODE_SCORE - s : s;
    }
  }
}
