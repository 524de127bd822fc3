// The payload's colour scale on the renderer's cells and legend: the shared diverging scale (src/shared/colorScale.ts)
// with the theme of the notebook the output sits in.
import { divergingColor, legendGradient, readableTextColor, rgbCss, scaleLimit, type DivergingPalette, type Rgb } from '../../../src/shared/colorScale';
import { el } from './elements';

export interface Shading {
  rgb(value: number): Rgb;
  /** Colours a cell for `value`: background on the scale, black or white text on it. */
  paint(cell: HTMLElement, value: number): void;
  legend(): HTMLElement;
}

export function shadingOf(scale: readonly [number, number], palette: DivergingPalette): Shading {
  const limit = scaleLimit(scale[0], scale[1]);
  const rgb = (value: number) => divergingColor(value, limit, palette);
  return {
    rgb,
    paint(cell, value) {
      const background = rgb(value);
      cell.style.backgroundColor = rgbCss(background);
      cell.style.color = rgbCss(readableTextColor(background));
    },
    legend() {
      const legend = el('span', 'legend');
      legend.setAttribute('aria-label', `colour scale from ${scale[0]} to ${scale[1]}`);
      const bar = el('span', 'legend-bar');
      bar.style.backgroundImage = legendGradient(scale[0], scale[1], palette);
      legend.append(el('span', 'legend-label', format(scale[0])), bar, el('span', 'legend-label', format(scale[1])));
      return legend;
    },
  };
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
