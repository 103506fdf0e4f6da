/**
 * The terminal's colours, light and dark. Every colour a program prints
 * text in meets WCAG AA (4.5:1) against its background (checked in
 * test/unit/ui-themes.test.ts); black on the dark theme and white and
 * bright white on the light one are left as they are (they are backgrounds,
 * and invisible by design there).
 */
export interface TerminalTheme {
  background: string;
  foreground: string;
  cursor: string;
  cursorAccent: string;
  selectionBackground: string;
  black: string;
  red: string;
  green: string;
  yellow: string;
  blue: string;
  magenta: string;
  cyan: string;
  white: string;
  brightBlack: string;
  brightRed: string;
  brightGreen: string;
  brightYellow: string;
  brightBlue: string;
  brightMagenta: string;
  brightCyan: string;
  brightWhite: string;
}

export const DARK_THEME: TerminalTheme = {
  background: '#1e1e1e',
  foreground: '#d4d4d4',
  cursor: '#d4d4d4',
  cursorAccent: '#1e1e1e',
  selectionBackground: '#264f78',
  black: '#000000',
  red: '#f47474',
  green: '#23d18b',
  yellow: '#e5e510',
  blue: '#6c9ef8',
  magenta: '#d670d6',
  cyan: '#29b8db',
  white: '#e5e5e5',
  brightBlack: '#8a8a8a',
  brightRed: '#ff8b8b',
  brightGreen: '#3ee8a0',
  brightYellow: '#f5f543',
  brightBlue: '#8cb4ff',
  brightMagenta: '#e98be9',
  brightCyan: '#4fd1f0',
  brightWhite: '#ffffff',
};

export const LIGHT_THEME: TerminalTheme = {
  background: '#ffffff',
  foreground: '#1f1f1f',
  cursor: '#1f1f1f',
  cursorAccent: '#ffffff',
  selectionBackground: '#add6ff',
  black: '#000000',
  red: '#c21a1a',
  green: '#0f7a3d',
  yellow: '#8a6d00',
  blue: '#0451a5',
  magenta: '#a3229e',
  cyan: '#0b6e8a',
  white: '#ffffff',
  brightBlack: '#5f5f5f',
  brightRed: '#b11616',
  brightGreen: '#0b6b34',
  brightYellow: '#7a6100',
  brightBlue: '#0a4fb8',
  brightMagenta: '#912c8c',
  brightCyan: '#0a6279',
  brightWhite: '#ffffff',
};

/** WCAG 2 relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
