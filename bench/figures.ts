/** How the bench prints its figures. */

/** The p-th percentile (nearest rank) of `xs`. */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
export const ms = (x: number) => `${x.toFixed(1)} ms`;
export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
