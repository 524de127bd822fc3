#!/usr/bin/env node
// The `minilm` command. Builds the CLI bundle on first use so that `npx minilm` works right after `npm ci`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const worker = path.join(root, 'dist', 'engineWorker.js');
if (!fs.existsSync(cli) || !fs.existsSync(worker)) {
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--only=cli,worker'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
require(cli);
