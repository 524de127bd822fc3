import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DARK_PALETTE,
  contrastRatio,
  divergingColor,
  legendGradient,
  luminance,
  parseCssColor,
  readableTextColor,
  scaleLimit,
  type DivergingPalette,
} from '../../../src/shared/colorScale';

// The three harness themes (test/webview/harness/theme-*.css): editor background, charts-orange, charts-blue.
const THEMES: Record<string, DivergingPalette> = {
  dark: { negative: [209, 134, 22], neutral: [31, 31, 31], positive: [55, 148, 255] },
  light: { negative: [209, 134, 22], neutral: [255, 255, 255], positive: [26, 133, 255] },
  highContrast: { negative: [209, 134, 22], neutral: [0, 0, 0], positive: [55, 148, 255] },
};

describe('the heatmap colour scale', () => {
  it('parses the colour forms of theme variables', () => {
    assert.deepEqual(parseCssColor('#3794ff'), [55, 148, 255]);
    assert.deepEqual(parseCssColor(' #FFF '), [255, 255, 255]);
    assert.deepEqual(parseCssColor('#1f1f1fcc'), [31, 31, 31]);
    assert.deepEqual(parseCssColor('rgba(204, 204, 204, 0.5)'), [204, 204, 204]);
    assert.deepEqual(parseCssColor('rgb(300 0 0)'), [255, 0, 0]);
    assert.equal(parseCssColor('var(--x)'), undefined);
    assert.equal(parseCssColor('#12345'), undefined);
  });

  for (const [name, palette] of Object.entries(THEMES)) {
    it(`${name} theme: 0 is the background, +1 leans to the positive colour and −1 to the negative one, symmetrically`, () => {
      assert.deepEqual(divergingColor(0, 1, palette), palette.neutral);
      const plus = divergingColor(1, 1, palette);
      const minus = divergingColor(-1, 1, palette);
      for (let i = 0; i < 3; i++) {
        assert.equal(plus[i], Math.round(palette.neutral[i] + (palette.positive[i] - palette.neutral[i]) * 0.9));
        assert.equal(minus[i], Math.round(palette.neutral[i] + (palette.negative[i] - palette.neutral[i]) * 0.9));
      }
      // Black or white text on the strongest cells and on the background stays legible (WCAG AA large text, 3:1).
      for (const v of [-1, -0.5, 0, 0.5, 1]) {
        const background = divergingColor(v, 1, palette);
        assert.ok(contrastRatio(background, readableTextColor(background)) >= 3, `${name} ${v}`);
      }
      // The two sides stay apart: a positive and a negative cell of the same size do not look alike.
      assert.ok(Math.abs(luminance(plus) - luminance(minus)) + Math.abs(plus[2] - minus[2]) / 255 > 0.3);
    });
  }

  it('clamps beyond the limit, draws NaN neutral, and moves every channel monotonically on each side of 0', () => {
    assert.deepEqual(divergingColor(3, 1, DARK_PALETTE), divergingColor(1, 1, DARK_PALETTE));
    assert.deepEqual(divergingColor(NaN, 1, DARK_PALETTE), DARK_PALETTE.neutral);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (x, y, negative) => {
        const sign = negative ? -1 : 1;
        const target = negative ? DARK_PALETTE.negative : DARK_PALETTE.positive;
        const [a, b] = [divergingColor(sign * Math.min(x, y), 1, DARK_PALETTE), divergingColor(sign * Math.max(x, y), 1, DARK_PALETTE)];
        for (let i = 0; i < 3; i++) assert.ok((b[i] - a[i]) * Math.sign(target[i] - DARK_PALETTE.neutral[i]) >= 0);
      }),
    );
  });

  it('uses one limit for both sides, so a small negative score looks small', () => {
    assert.equal(scaleLimit(-0.12, 0.85), 0.85);
    assert.equal(scaleLimit(-1, 0.5), 1);
    assert.equal(scaleLimit(0, 0), 1);
    const faint = divergingColor(-0.12, scaleLimit(-0.12, 0.85), DARK_PALETTE);
    const strong = divergingColor(0.85, scaleLimit(-0.12, 0.85), DARK_PALETTE);
    const distance = (c: readonly number[]) => Math.hypot(...c.map((v, i) => v - DARK_PALETTE.neutral[i]));
    assert.ok(distance(faint) < distance(strong) / 4);
  });

  it('the legend puts 0 at its place in the range', () => {
    assert.equal(legendGradient(-0.5, 1, DARK_PALETTE), 'linear-gradient(to right, rgb(111, 77, 26) 0.0%, rgb(30, 30, 30) 33.3%, rgb(53, 136, 233) 100.0%)');
    assert.doesNotMatch(legendGradient(0.2, 0.8, DARK_PALETTE), /33\.3%/);
  });

  it('picks the text colour with more contrast', () => {
    assert.deepEqual(readableTextColor([255, 255, 255]), [0, 0, 0]);
    assert.deepEqual(readableTextColor([31, 31, 31]), [255, 255, 255]);
    assert.deepEqual(readableTextColor([55, 148, 255]), [0, 0, 0]);
    assert.ok(Math.abs(luminance([255, 255, 255]) - 1) < 1e-12);
  });
});
