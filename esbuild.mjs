// Bundles every entry point. onnxruntime-node stays external: it loads its native binding through a
// dynamic path. sharp is only used by transformers.js image utilities, so it is replaced by an empty module.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const emptySharp = {
  name: 'empty-sharp',
  setup(build) {
    build.onResolve({ filter: /^sharp$/ }, () => ({ path: 'sharp', namespace: 'empty-sharp' }));
    build.onLoad({ filter: /.*/, namespace: 'empty-sharp' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

// The root tsconfig.json is a solution without compiler options: esbuild takes `strict` (hence "use strict" in
// the CJS bundles) and the target from the options every layer project shares.
const tsconfig = path.join(root, 'tsconfig', 'base.json');

const node = {
  bundle: true,
  tsconfig,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', 'onnxruntime-node'],
  plugins: [emptySharp],
  logLevel: 'warning',
  // transformers.js reads import.meta.url in its ESM build; the CJS build does not need it.
  mainFields: ['main', 'module'],
};

const browser = {
  bundle: true,
  tsconfig,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const entries = {
  extension: { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  worker: { ...node, entryPoints: { engineWorker: 'src/engine/engineWorker.ts' }, outdir: 'dist' },
  cli: { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' },
  // The codicon font ships inside media/dist (the only webview resource root) so the packaged extension has it.
  webview: {
    ...browser,
    entryPoints: { webview: 'media/src/webview/main.ts', 'codicons/codicon': 'node_modules/@vscode/codicons/dist/codicon.css' },
    outdir: 'media/dist',
    loader: { '.ttf': 'file' },
    assetNames: 'codicons/[name]',
  },
  renderer: { ...browser, entryPoints: { renderer: 'media/src/renderer/main.ts' }, outdir: 'media/dist' },
};

import fs from 'node:fs';
const selected = Object.entries(entries).filter(([name, opts]) => {
  if (only && !only.split(',').includes(name)) return false;
  const eps = Object.values(opts.entryPoints);
  return eps.every((ep) => fs.existsSync(path.join(root, ep)));
});

if (watch) {
  for (const [, opts] of selected) (await esbuild.context({ ...opts, absWorkingDir: root })).watch();
} else {
  await Promise.all(selected.map(([, opts]) => esbuild.build({ ...opts, absWorkingDir: root })));
}
