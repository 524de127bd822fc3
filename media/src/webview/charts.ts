import { themeVariable } from './dom';

export type ChartModule = typeof import('chart.js', { with: { 'resolution-mode': 'import' } });
let loaded: Promise<ChartModule> | undefined;

/**
 * chart.js, registered with the parts the panel uses. Loaded through `import()` because chart.js is an ES module
 * and this folder also compiles as CommonJS for the unit tests; esbuild inlines it into the bundle all the same.
 */
export function loadCharts(): Promise<ChartModule> {
  loaded ??= import('chart.js').then((m) => {
    m.Chart.register(m.BarController, m.BarElement, m.CategoryScale, m.LinearScale, m.ScatterController, m.PointElement, m.Tooltip, m.Legend);
    // Data changes draw at once, so tests and screenshots see the final chart.
    m.Chart.defaults.animation = false;
    return m;
  });
  return loaded;
}

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  font: string;
  positive: string;
  negative: string;
  /** Series colours for categories (topics). */
  palette: string[];
}

/** Chart colours from the current VS Code theme (read each time a chart is built, so theme switches apply). */
export function chartTheme(): ChartTheme {
  const v = themeVariable;
  return {
    foreground: v('--vscode-charts-foreground', v('--vscode-foreground', '#cccccc')),
    muted: v('--vscode-descriptionForeground', '#999999'),
    grid: v('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    font: v('--vscode-font-family', 'sans-serif'),
    positive: v('--vscode-charts-blue', '#3794ff'),
    negative: v('--vscode-charts-orange', '#d18616'),
    palette: [
      v('--vscode-charts-blue', '#3794ff'),
      v('--vscode-charts-red', '#f14c4c'),
      v('--vscode-charts-green', '#89d185'),
      v('--vscode-charts-yellow', '#cca700'),
      v('--vscode-charts-orange', '#d18616'),
      v('--vscode-charts-purple', '#b180d7'),
      v('--vscode-charts-foreground', '#cccccc'),
    ],
  };
}

/** Re-creates charts when the theme changes (VS Code swaps the body class and the variables). */
export function onThemeChange(callback: () => void): void {
  new MutationObserver(() => callback()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
