// The one colour scale of every heatmap (Studio panel, notebook renderer, explain view): diverging around 0, the
// theme's background at 0, one theme colour for positive scores and another for negative ones. Pure maths, no DOM:
// media/src/shared/themePalette.ts reads the theme's colours into a DivergingPalette.

export type Rgb = readonly [number, number, number];

/** The three anchors of the scale, taken from the current theme. */
export interface DivergingPalette {
  /** Colour of the most negative score. */
  readonly negative: Rgb;
  /** Colour of 0: the background, so unrelated pairs recede. */
  readonly neutral: Rgb;
  /** Colour of the most positive score. */
  readonly positive: Rgb;
}

/** VS Code's Dark Modern colours, for when no theme variable is set (tests, a renderer outside VS Code). */
export const DARK_PALETTE: DivergingPalette = { negative: [209, 134, 22], neutral: [30, 30, 30], positive: [55, 148, 255] };

/**
 * Parses the colour forms VS Code puts in its theme variables: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb()/rgba().
 * Alpha is ignored (theme chart colours are opaque). Anything else is undefined.
 */
export function parseCssColor(value: string): Rgb | undefined {
  const text = value.trim().toLowerCase();
  let match = /^#([0-9a-f]{3,4})$/.exec(text);
  if (match) return [0, 1, 2].map((i) => parseInt(match![1][i] + match![1][i], 16)) as unknown as Rgb;
  match = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(text);
  if (match) return [0, 2, 4].map((i) => parseInt(match![1].slice(i, i + 2), 16)) as unknown as Rgb;
  match = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(text);
  if (match) return [1, 2, 3].map((i) => Math.max(0, Math.min(255, Math.round(Number(match![i]))))) as unknown as Rgb;
  return undefined;
}

/**
 * The score that gets the full colour, the same on both sides of 0 so that a small negative score looks small:
 * the largest magnitude of the range (at least a tiny positive number, so an all-zero matrix stays neutral).
 */
export function scaleLimit(min: number, max: number): number {
  const limit = Math.max(Math.abs(min), Math.abs(max));
  return Number.isFinite(limit) && limit > 0 ? limit : 1;
}

/** How far the scale goes towards the theme colour at ±limit; below 1 keeps the cell text legible on every theme. */
const STRENGTH = 0.9;

/** The colour of `value` with ±`limit` at full strength; values beyond are clamped, NaN is neutral. */
export function divergingColor(value: number, limit: number, palette: DivergingPalette): Rgb {
  const t = Number.isFinite(value) && limit > 0 ? Math.max(-1, Math.min(1, value / limit)) : 0;
  const target = t >= 0 ? palette.positive : palette.negative;
  const share = Math.abs(t) * STRENGTH;
  return [0, 1, 2].map((i) => Math.round(palette.neutral[i] + (target[i] - palette.neutral[i]) * share)) as unknown as Rgb;
}

/** A CSS linear gradient of the scale from `min` to `max` (0 at its place when the range spans it). */
export function legendGradient(min: number, max: number, palette: DivergingPalette): string {
  const limit = scaleLimit(min, max);
  const values = min < 0 && max > 0 ? [min, 0, max] : [min, max];
  const span = max - min || 1;
  const stops = values.map((v) => `${rgbCss(divergingColor(v, limit, palette))} ${(((v - min) / span) * 100).toFixed(1)}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/** Relative luminance (WCAG 2). */
export function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever contrasts more with the background. */
export function readableTextColor(background: Rgb): Rgb {
  return contrastRatio(background, [0, 0, 0]) >= contrastRatio(background, [255, 255, 255]) ? [0, 0, 0] : [255, 255, 255];
}

export const rgbCss = ([r, g, b]: Rgb) => `rgb(${r}, ${g}, ${b})`;
