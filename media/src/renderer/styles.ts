// Styles of the matrix renderer, adopted into each output's shadow root. Colours come from VS Code's theme variables.
export const styles = `
:host { display: block; }
.minilm-output {
  position: relative;
  font-family: var(--vscode-font-family, sans-serif);
  font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-editor-foreground, #cccccc);
}
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; margin-bottom: 6px; }
.title { font-weight: 600; }
.actions { display: inline-flex; gap: 6px; }
.status { opacity: 0.8; }
.button {
  font: inherit;
  color: var(--vscode-button-secondaryForeground, var(--vscode-button-foreground, #ffffff));
  background: var(--vscode-button-secondaryBackground, var(--vscode-button-background, #3a3d41));
  border: 1px solid var(--vscode-button-border, transparent);
  border-radius: 2px;
  padding: 2px 8px;
  cursor: pointer;
}
.button:hover { background: var(--vscode-button-secondaryHoverBackground, var(--vscode-button-hoverBackground, #45494e)); }
.button:focus-visible { outline: 1px solid var(--vscode-focusBorder, #007fd4); outline-offset: 1px; }
.legend { display: inline-flex; align-items: center; gap: 4px; }
.legend-bar { display: inline-block; width: 120px; height: 10px; border: 1px solid var(--vscode-panel-border, #80808059); }
.legend-label { font-variant-numeric: tabular-nums; opacity: 0.8; }
.hint { opacity: 0.7; margin-bottom: 4px; }
.scroller { overflow: auto; max-height: 520px; max-width: 100%; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--vscode-panel-border, #80808059); padding: 2px 6px; }
/* Headers stay in view while the table scrolls under them: column numbers at the top, labels on the left. */
th { position: sticky; background: var(--vscode-editor-background, #1e1e1e); cursor: pointer; user-select: none; }
thead th { top: 0; z-index: 2; }
th.row-header { left: 0; z-index: 1; text-align: left; max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: normal; }
th.corner { left: 0; z-index: 3; cursor: default; font-weight: normal; color: var(--vscode-descriptionForeground, #9d9d9d); }
th.sorted, th.sorted-desc, th.sorted-asc { text-decoration: underline; }
th.sorted-desc::after { content: ' ▼'; }
th.sorted-asc::after { content: ' ▲'; }
td.cell { text-align: right; min-width: 3.2em; }
td.number, td.score { text-align: right; }
td.text { max-width: 560px; }
th:hover { color: var(--vscode-textLink-activeForeground, #3794ff); }
canvas.heatmap { display: block; cursor: crosshair; }
.tooltip {
  position: absolute;
  z-index: 10;
  max-width: 420px;
  pointer-events: none;
  padding: 4px 8px;
  background: var(--vscode-editorHoverWidget-background, #252526);
  color: var(--vscode-editorHoverWidget-foreground, #cccccc);
  border: 1px solid var(--vscode-editorHoverWidget-border, #454545);
  box-shadow: 0 2px 8px var(--vscode-widget-shadow, #0000005c);
}
.tip-row { display: flex; gap: 8px; }
.tip-label { opacity: 0.7; min-width: 2.5em; font-variant-numeric: tabular-nums; }
.error { color: var(--vscode-errorForeground, #f48771); }
textarea.csv { width: 100%; min-height: 120px; margin-top: 6px; font-family: var(--vscode-editor-font-family, monospace); }
`;
