#!/usr/bin/env node
// The `minilm` command. Builds the CLI bundle on first use so that `npx minilm` works right after `npm ci`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const worker = path.join(root, 'dist', 'engineWorker.js');
// Rebuild when a bundle is missing or older than any source file, so a pull never runs a stale CLI.
function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}
const src = path.join(root, 'src');
const stale = (bundle) => !fs.existsSync(bundle) || (fs.existsSync(src) && fs.statSync(bundle).mtimeMs < newestSource(src));
if (stale(cli) || stale(worker)) {
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--only=cli,worker'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
require(cli);
