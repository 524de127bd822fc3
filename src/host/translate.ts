/**
 * The shape of `vscode.l10n.t` for messages with `{0}` placeholders. View-model functions take it as a parameter so
 * that they run (and are unit-tested) without VS Code; the extension passes `vscode.l10n.t`.
 */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** English, with placeholders filled in: what the unit tests use. */
export const english: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
