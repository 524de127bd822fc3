// The Debian chromium the browser tests drive through playwright-core, and the flags that keep it quiet and offline.
// scripts/e2e/codeServer.mjs keeps its own copy: it is plain ESM run before any TypeScript is compiled.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? process.env.MINILM_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
