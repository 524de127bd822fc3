import { randomBytes } from 'node:crypto';

export interface StudioHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** BCP 47 tag for `<html lang>` (vscode.env.language). */
  language: string;
  title: string;
}

/** A fresh nonce per page load: 128 random bits, base64 (CSP accepts base64 nonces). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The Content-Security-Policy of the Studio webview: nothing by default; scripts only with the nonce; styles from
 * the extension's own files or with the nonce (Lit's fallback `<style>` tags carry `window.litNonce`); fonts
 * (codicons) and images only from the extension. No 'unsafe-inline', no 'unsafe-eval'.
 */
export function studioCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The webview page: a shell that the bundle fills in once the host sends `init`. */
export function studioHtml(options: StudioHtmlOptions): string {
  const a = escapeAttribute;
  const nonce = a(options.nonce);
  return `<!DOCTYPE html>
<html lang="${a(options.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(studioCsp(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(options.codiconUri)}" id="vscode-codicon-stylesheet" nonce="${nonce}">
<link rel="stylesheet" href="${a(options.styleUri)}" nonce="${nonce}">
<title>${a(options.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${nonce}">window.litNonce = ${JSON.stringify(options.nonce)};</script>
<script type="module" nonce="${nonce}" src="${a(options.scriptUri)}"></script>
</body>
</html>
`;
}
