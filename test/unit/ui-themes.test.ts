/**
 * WCAG AA (4.5:1, WCAG 2.2 SC 1.4.3) for every colour the element prints
 * text in: the terminal themes' foreground and ANSI colours against the
 * terminal's background, and the element palettes' text colours against
 * their background and their panel.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DARK, LIGHT, type Palette } from '../../src/ui/palettes.ts';
import { DARK_THEME, LIGHT_THEME, contrast, luminance, type TerminalTheme } from '../../src/ui/terminal-themes.ts';

const AA = 4.5;

describe('contrast() and luminance() follow WCAG 2', () => {
  const pairs: Array<[string, string, number]> = [
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#000000', 21],
    ['#777777', '#ffffff', 4.48],
    ['#767676', '#ffffff', 4.54],
    ['#595959', '#ffffff', 7.0],
    ['#ff0000', '#ffffff', 4.0],
    ['#0000ff', '#ffffff', 8.59],
    ['#1e1e1e', '#1e1e1e', 1],
  ];
  for (const [a, b, ratio] of pairs) {
    test(`${a} on ${b} is ${ratio}:1`, () => assert.ok(Math.abs(contrast(a, b) - ratio) < 0.01, `got ${contrast(a, b)}`));
  }
  test('#777777 on white falls just short of AA, #767676 just meets it', () => {
    assert.ok(contrast('#777777', '#ffffff') < AA);
    assert.ok(contrast('#767676', '#ffffff') >= AA);
  });
  const lum: Array<[string, number]> = [['#000000', 0], ['#ffffff', 1], ['#ff0000', 0.2126], ['#00ff00', 0.7152], ['#0000ff', 0.0722], ['#808080', 0.2159]];
  for (const [hex, l] of lum) test(`luminance(${hex}) is ${l}`, () => assert.ok(Math.abs(luminance(hex) - l) < 0.0001, `got ${luminance(hex)}`));
});

/** The ANSI colours a program prints text in, and the foreground. */
const TEXT_COLOURS = [
  'foreground',
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'brightBlack', 'brightRed', 'brightGreen', 'brightYellow', 'brightBlue', 'brightMagenta', 'brightCyan', 'brightWhite',
] as const satisfies ReadonlyArray<keyof TerminalTheme>;

/**
 * Left as they are (terminal-themes.ts): black on the dark theme and white
 * (both whites, #ffffff) on the light one are the background's own colour.
 */
const SKIPPED: Record<string, ReadonlyArray<keyof TerminalTheme>> = {
  DARK_THEME: ['black'],
  LIGHT_THEME: ['white', 'brightWhite'],
};

const themes: Array<[string, TerminalTheme]> = [['DARK_THEME', DARK_THEME], ['LIGHT_THEME', LIGHT_THEME]];

for (const [name, theme] of themes) {
  describe(`${name}: text colours against the background ${theme.background}`, () => {
    for (const key of TEXT_COLOURS) {
      if (SKIPPED[name]!.includes(key)) continue;
      test(`${key} ${theme[key]} meets AA`, () => {
        const ratio = contrast(theme[key], theme.background);
        assert.ok(ratio >= AA, `${name}.${key} ${theme[key]} on ${theme.background} is ${ratio.toFixed(2)}:1, below ${AA}:1`);
      });
    }
    test('the cursor is the foreground, drawn over the background', () => {
      assert.equal(theme.cursor, theme.foreground);
      assert.equal(theme.cursorAccent, theme.background);
    });
    test('the skipped colours are the background-like ones (contrast below 1.5:1)', () => {
      for (const key of SKIPPED[name]!) assert.ok(contrast(theme[key], theme.background) < 1.5, `${name}.${key}`);
    });
  });
}

const PALETTE_TEXT = ['text', 'muted', 'error', 'accent'] as const satisfies ReadonlyArray<keyof Palette>;
const PALETTE_GROUNDS = ['background', 'panel'] as const satisfies ReadonlyArray<keyof Palette>;
const palettes: Array<[string, Palette]> = [['LIGHT', LIGHT], ['DARK', DARK]];

for (const [name, palette] of palettes) {
  describe(`element palette ${name}`, () => {
    for (const ground of PALETTE_GROUNDS) {
      for (const key of PALETTE_TEXT) {
        test(`${key} ${palette[key]} on ${ground} ${palette[ground]} meets AA`, () => {
          const ratio = contrast(palette[key], palette[ground]);
          assert.ok(ratio >= AA, `${name}.${key} ${palette[key]} on ${name}.${ground} ${palette[ground]} is ${ratio.toFixed(2)}:1, below ${AA}:1`);
        });
      }
    }
    test('every colour is #rrggbb', () => {
      for (const [key, value] of Object.entries(palette)) assert.match(value, /^#[0-9a-f]{6}$/, `${name}.${key}`);
    });
  });
}

test('every terminal colour is #rrggbb (contrast() reads no other form)', () => {
  for (const [name, theme] of themes) for (const [key, value] of Object.entries(theme)) assert.match(value, /^#[0-9a-f]{6}$/, `${name}.${key}`);
});
