// Reads the colour scale's anchors from the VS Code theme variables in effect at an element, so heatmaps follow
// light, dark and high-contrast themes. Read again on every draw: a theme switch only changes the variables.
import { DARK_PALETTE, parseCssColor, type DivergingPalette, type Rgb } from '../../../src/shared/colorScale';

/** Theme variables behind each anchor, first one set wins. */
const SOURCES: Record<keyof DivergingPalette, readonly string[]> = {
  negative: ['--vscode-charts-orange'],
  neutral: ['--vscode-editor-background', '--vscode-notebook-outputContainerBackgroundColor'],
  positive: ['--vscode-charts-blue'],
};

export function readDivergingPalette(element: Element = document.body): DivergingPalette {
  const style = getComputedStyle(element);
  const read = (anchor: keyof DivergingPalette): Rgb => {
    for (const name of SOURCES[anchor]) {
      const colour = parseCssColor(style.getPropertyValue(name));
      if (colour) return colour;
    }
    return DARK_PALETTE[anchor];
  };
  return { negative: read('negative'), neutral: read('neutral'), positive: read('positive') };
}
