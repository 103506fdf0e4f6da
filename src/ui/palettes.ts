/**
 * The element's two palettes. Their text colours (text, muted, error,
 * accent) meet WCAG AA (4.5:1) against both the background and the panel
 * (checked in test/unit/ui-themes.test.ts). Kept apart from element-styles.ts,
 * whose xterm CSS import only a bundler can load, so Node tests read them.
 */
export interface Palette {
  background: string;
  text: string;
  muted: string;
  error: string;
  accent: string;
  border: string;
  panel: string;
  focus: string;
}

export const LIGHT: Palette = { background: '#ffffff', text: '#1f1f1f', muted: '#595959', error: '#b3261e', accent: '#0b57d0', border: '#767676', panel: '#f3f4f6', focus: '#0b57d0' };
export const DARK: Palette = { background: '#1b1d21', text: '#e8e8e8', muted: '#b4b4b4', error: '#ff8f87', accent: '#8cb4ff', border: '#8a8a8a', panel: '#25282d', focus: '#8cb4ff' };
