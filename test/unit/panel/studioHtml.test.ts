import assert from 'node:assert/strict';
import { createNonce, studioCsp, studioHtml } from '../../../src/panel/studioHtml';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123+/=',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/webview.css',
  codiconUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/codicons/codicon.css',
  language: 'zh-cn',
  title: 'MiniLM <Studio>',
};

describe('Studio webview HTML and CSP', () => {
  const html = studioHtml(options);

  it('the CSP allows scripts only by nonce and nothing inline or eval', () => {
    const csp = studioCsp(options.cspSource, options.nonce);
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-abc123\+\/='(;|$)/);
    assert.match(csp, new RegExp(`style-src ${options.cspSource.replace(/[.+]/g, '\\$&')} 'nonce-`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.ok(html.includes(`content="${csp.replace(/"/g, '&quot;')}"`));
  });

  it('every script and link carries the nonce, and the codicon link has the id vscode-elements looks for', () => {
    const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
    assert.ok(tags.length >= 4);
    for (const tag of tags) assert.ok(tag.includes(`nonce="${options.nonce}"`), tag);
    assert.match(html, /<link rel="stylesheet" href="[^"]*codicon\.css" id="vscode-codicon-stylesheet"/);
    assert.match(html, /window\.litNonce = "abc123\+\/=";/);
  });

  it('has no inline style attributes or event handlers, and escapes what it interpolates', () => {
    assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i);
    assert.ok(html.includes('<title>MiniLM &lt;Studio&gt;</title>'));
    assert.ok(html.includes('<html lang="zh-cn">'));
    const hostile = studioHtml({ ...options, scriptUri: 'x"><script>alert(1)</script>' });
    assert.equal((hostile.match(/<script/g) ?? []).length, 2);
  });

  it('nonces are fresh, 128-bit and base64', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    assert.equal(nonces.size, 100);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  });
});
