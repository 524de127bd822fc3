/** A value a message's `{0}`, `{1}`… placeholders take (what `vscode.l10n.t` accepts). */
export type PlaceholderArg = string | number | boolean;

/**
 * The shape of `vscode.l10n.t` for messages with `{0}` placeholders. View-model functions take it as a parameter so
 * that they run (and are unit-tested) without VS Code; the extension passes `vscode.l10n.t`.
 */
export type Translate = (message: string, ...args: PlaceholderArg[]) => string;

/**
 * Fills `{0}`, `{1}`… with the arguments, as `vscode.l10n.t` does. A placeholder without an argument stays as
 * written, so a missing argument shows in the UI (and in a test) instead of becoming "undefined" or vanishing.
 */
export function fillPlaceholders(template: string, ...args: PlaceholderArg[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}

/** English, with placeholders filled in: the translator outside VS Code (CLI-side code, the webview's defaults, tests). */
export const english: Translate = fillPlaceholders;
