// `npm run package` / `npm run package:offline`: a platform-specific .vsix built with @vscode/vsce.
//
// Everything but onnxruntime-node is bundled by esbuild. vsce --no-dependencies never packages the top-level
// node_modules, so a staging copy of the repository gets the onnxruntime-node subset the target needs
// (package.json, dist/*.js, bin/napi-v6/<os>/<arch>) and its onnxruntime-common under dist/node_modules/,
// where `require('onnxruntime-node')` from dist/extension.js and dist/engineWorker.js finds it.
// `--offline` also packages the q8 model from models/all-MiniLM-L6-v2 (or --model-dir) into the extension's own
// models/ folder, which the extension searches after the workspace's, and makes q8 the default dtype of that
// package, so it works with no network and no settings.
//
// Options: --offline, --model-dir <folder> (with --offline), --target <vsce target> (default: this machine),
// --out <file>, --skip-build.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const offline = flag('--offline');
const target = option('--target') ?? `${process.platform}-${process.arch}`;
const [targetOs, targetArch] = target.split('-');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const out = path.resolve(option('--out') ?? path.join(repoRoot, vsixName(pkg, target, offline)));

/** Where `npm run package` puts the VSIX (the UI tests and `npm start` read it from there). */
export function vsixName(manifest, vsceTarget, withModel) {
  return `${manifest.name}-${withModel ? 'offline-' : ''}${manifest.version}-${vsceTarget}.vsix`;
}

// What the extension reads from a bundled model folder when dtype is q8 (see models/README.md).
const offlineModelFiles = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'onnx/model_quantized.onnx'];
const optionalModelFiles = ['README.md', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json'];
const modelDir = path.resolve(option('--model-dir') ?? path.join(repoRoot, 'models', 'all-MiniLM-L6-v2'));

// Never copied into the staging folder: large, private or rebuilt there.
const skipTopLevel = new Set(['node_modules', '.git', '.tools', '.test-output', 'out', 'results', 'models', '.vscode-test']);

function log(message) {
  process.stderr.write(`[package] ${message}\n`);
}

function fail(message) {
  log(message);
  process.exit(1);
}

function vsceBin() {
  return path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
}

function copyFiltered(from, to, keep) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyFiltered(src, dst, keep);
    else if (keep(src)) {
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}

function stageOnnxRuntime(stage) {
  const ortSrc = path.join(repoRoot, 'node_modules', 'onnxruntime-node');
  const commonSrc = path.join(repoRoot, 'node_modules', 'onnxruntime-common');
  const nativeDir = path.join(ortSrc, 'bin', 'napi-v6', targetOs, targetArch);
  if (!fs.existsSync(path.join(nativeDir, 'onnxruntime_binding.node'))) {
    fail(`onnxruntime-node has no native binding for ${target} (${path.relative(repoRoot, nativeDir)}); run npm ci first`);
  }
  const ortDst = path.join(stage, 'dist', 'node_modules', 'onnxruntime-node');
  fs.mkdirSync(ortDst, { recursive: true });
  fs.copyFileSync(path.join(ortSrc, 'package.json'), path.join(ortDst, 'package.json'));
  for (const f of ['LICENSE', 'README.md']) if (fs.existsSync(path.join(ortSrc, f))) fs.copyFileSync(path.join(ortSrc, f), path.join(ortDst, f));
  copyFiltered(path.join(ortSrc, 'dist'), path.join(ortDst, 'dist'), (f) => f.endsWith('.js'));
  // Only the CPU runtime: leave out CUDA/TensorRT providers if a build ever ships them.
  copyFiltered(nativeDir, path.join(ortDst, 'bin', 'napi-v6', targetOs, targetArch), (f) => !/cuda|tensorrt/i.test(path.basename(f)));
  const commonDst = path.join(stage, 'dist', 'node_modules', 'onnxruntime-common');
  fs.mkdirSync(commonDst, { recursive: true });
  fs.copyFileSync(path.join(commonSrc, 'package.json'), path.join(commonDst, 'package.json'));
  copyFiltered(path.join(commonSrc, 'dist', 'cjs'), path.join(commonDst, 'dist', 'cjs'), (f) => f.endsWith('.js') || path.basename(f) === 'package.json');
  // exports.import points at dist/esm; require() never uses it, but keep the manifest honest for Node's resolver.
  const commonPkg = JSON.parse(fs.readFileSync(path.join(commonDst, 'package.json'), 'utf8'));
  commonPkg.exports = { require: './dist/cjs/index.js', default: './dist/cjs/index.js' };
  fs.writeFileSync(path.join(commonDst, 'package.json'), JSON.stringify(commonPkg, null, 2));
}

function stageModel(stage) {
  const missing = offlineModelFiles.filter((f) => !fs.existsSync(path.join(modelDir, f)));
  if (missing.length > 0) {
    fail(
      `package:offline needs the q8 model in ${path.relative(repoRoot, modelDir)}/, missing: ${missing.join(', ')}.\n` +
        `  Get it with \`npx minilm download\` (or copy a local copy there, e.g. cp -r ../shared/models/all-MiniLM-L6-v2 models/), then rerun.`,
    );
  }
  const dst = path.join(stage, 'models', 'all-MiniLM-L6-v2');
  for (const f of [...offlineModelFiles, ...optionalModelFiles]) {
    const src = path.join(modelDir, f);
    if (!fs.existsSync(src)) continue;
    fs.mkdirSync(path.dirname(path.join(dst, f)), { recursive: true });
    fs.copyFileSync(src, path.join(dst, f));
  }
  fs.appendFileSync(path.join(stage, '.vscodeignore'), '\n# package:offline\n!models/all-MiniLM-L6-v2/**\n');
  // Only q8 is shipped: make it the default so that a fresh install loads without a download.
  const manifestFile = path.join(stage, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  manifest.contributes.configuration.properties['minilm.dtype'].default = 'q8';
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
}

function listVsix(stage) {
  const r = spawnSync(process.execPath, [vsceBin(), 'ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0) fail(`vsce ls failed:\n${r.stdout}${r.stderr}`);
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function checkContents(files) {
  const required = [
    'package.json',
    'LICENSE',
    pkg.icon,
    'dist/extension.js',
    `dist/node_modules/onnxruntime-node/bin/napi-v6/${targetOs}/${targetArch}/onnxruntime_binding.node`,
    'dist/node_modules/onnxruntime-common/dist/cjs/index.js',
  ];
  if (offline) required.push('models/all-MiniLM-L6-v2/onnx/model_quantized.onnx');
  const absent = required.filter((f) => !files.includes(f));
  if (absent.length > 0) fail(`the package would miss: ${absent.join(', ')}`);
  const forbidden = files.filter(
    (f) =>
      /^(src|test|out|scripts|\.tools|\.test-output|node_modules)\//.test(f) ||
      (!offline && f.startsWith('models/')) ||
      f.endsWith('.map') ||
      (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
      (f.includes('/bin/napi-v6/') && !f.includes(`/bin/napi-v6/${targetOs}/${targetArch}/`)),
  );
  if (forbidden.length > 0) fail(`the package would include files it must not:\n  ${forbidden.join('\n  ')}`);
}

function main() {
  const started = Date.now();
  if (!flag('--skip-build')) {
    log('bundling with esbuild --production');
    execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.mjs'), '--production'], { cwd: repoRoot, stdio: 'inherit' });
  }
  if (!fs.existsSync(path.join(repoRoot, pkg.main))) fail(`${pkg.main} is missing after the build`);

  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-package-'));
  try {
    for (const entry of fs.readdirSync(repoRoot, { withFileTypes: true })) {
      if (skipTopLevel.has(entry.name) || entry.name.endsWith('.vsix')) continue;
      fs.cpSync(path.join(repoRoot, entry.name), path.join(stage, entry.name), { recursive: true });
    }
    // Production bundles carry no source maps; drop stale ones from an earlier dev build.
    for (const dir of ['dist', path.join('media', 'dist')]) {
      const d = path.join(stage, dir);
      if (!fs.existsSync(d)) continue;
      for (const f of fs.readdirSync(d, { recursive: true, encoding: 'utf8' })) if (f.endsWith('.map')) fs.rmSync(path.join(d, f));
    }
    stageOnnxRuntime(stage);
    if (offline) stageModel(stage);

    const files = listVsix(stage);
    checkContents(files);

    fs.rmSync(out, { force: true });
    // No --skip-license / --allow-missing-repository: LICENSE and `repository` are part of a publishable package.
    // vsce rewrites the README's relative links from `repository` (images to …/raw/HEAD/…, pages to …/blob/HEAD/…),
    // so the screenshots show on the Marketplace without being shipped.
    const args = [vsceBin(), 'package', '--target', target, '--no-dependencies', '--out', out];
    const r = spawnSync(process.execPath, args, { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) fail(`vsce package failed:\n${r.stdout}${r.stderr}`);
    const sizeMb = (fs.statSync(out).size / 1024 / 1024).toFixed(1);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(`${files.length} files, ${sizeMb} MB, ${seconds} s`);
    console.log(out);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
