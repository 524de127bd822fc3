// `npm test`: every suite, in order, on a fresh machine after `npm ci`.
// Sets up what the end-to-end suites need first (Debian chromium/libkrb5-dev/ripgrep when root, code-server in
// .tools/), compiles once (tsc -b, then esbuild), then runs lint (ESLint), format (Prettier), unit, model, webview, renderer, in-host
// (code-server extension host) and UI (Playwright) suites through their `test:*:run` scripts, which reuse out/ and
// dist/ instead of compiling again (`npm run test:unit` etc. compile first when run on their own).
// Exits non-zero when a suite fails or runs no test. The last line, `N passed, N failed`, is what CI reads.
//
// `node scripts/test-all.mjs unit model` runs only the named suites.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const suites = [
  // ESLint reports no test counts: each error counts as one failure, a clean run as one pass.
  { name: 'lint', script: 'lint', counts: lintCounts },
  // Prettier reports each file it would change: one failure per file.
  { name: 'format', script: 'format:check', counts: formatCounts },
  { name: 'unit', script: 'test:unit:run' },
  { name: 'model', script: 'test:model:run' },
  { name: 'webview', script: 'test:webview:run' },
  { name: 'renderer', script: 'test:renderer:run' },
  { name: 'in-host', script: 'test:inhost:run' },
  { name: 'ui', script: 'test:ui' },
];

/** Suites that run compiled code: out/ from tsc, dist/ and media/dist/ from esbuild. */
const needsBuild = new Set(['unit', 'model', 'webview', 'renderer', 'in-host', 'ui']);

/** Runs a command, echoing its output live while keeping a copy to read the mocha counts from. */
function run(command, args) {
  return new Promise((resolve) => {
    // MINILM_COMPILED: out/ is fresh, so the UI runner does not run tsc again.
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', MINILM_COMPILED: '1' } });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      output += d;
      process.stderr.write(d);
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** Mocha's (and runInHostTests.mjs's) summary lines: `  12 passing (3s)`, `  1 failing`, `  2 pending`. */
export function mochaCounts(output) {
  const count = (word) => {
    const all = [...output.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return all.reduce((sum, m) => sum + Number(m[1]), 0);
  };
  return { passed: count('passing'), failed: count('failing'), pending: count('pending') };
}

/**
 * The failure reports that follow mocha's `N failing` line, without stack frames, so the summary (the part of the
 * log CI keeps) names what failed and why.
 */
export function failureDigest(output, maxLines = 30) {
  const marker = [...output.matchAll(/^\s*\d+ failing\b.*$/gm)];
  const lines = [];
  for (const m of marker) {
    const after = output.slice(m.index + m[0].length).split('\n');
    for (const line of after) {
      if (/^\s+at /.test(line) || line.trim() === '') continue;
      if (/^\s*\d+ (passing|pending)\b/.test(line) || /^\[e2e\]/.test(line)) break;
      lines.push(line.trimEnd());
      if (lines.length >= maxLines) return [...lines, '    …'];
    }
  }
  return lines;
}

/**
 * ESLint's default (stylish) report: a file's path on a line of its own, then `  line:col  error  message  rule`
 * per problem. One failure per error, the errors as `file:line:col message (rule)` for the digest. A non-zero exit
 * without any error line (a broken config, too many warnings) is one failure with ESLint's own words.
 */
export function lintCounts(output, code, root = repoRoot, maxLines = 30) {
  const errors = [];
  let file = '';
  for (const line of output.split('\n')) {
    const problem = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.*?)\s{2,}(\S+)\s*$/.exec(line);
    if (problem) {
      if (problem[3] === 'error') errors.push(`${file}:${problem[1]}:${problem[2]} ${problem[4]} (${problem[5]})`);
    } else if (/^\S/.test(line) && !/^✖/.test(line)) {
      file = line.trim().startsWith(root + path.sep) ? line.trim().slice(root.length + 1) : line.trim();
    }
  }
  const failed = code === 0 ? 0 : Math.max(errors.length, 1);
  const digest = code === 0 ? [] : errors.length > 0 ? errors : output.trim().split('\n');
  return { passed: failed === 0 ? 1 : 0, failed, pending: 0, digest: digest.length > maxLines ? [...digest.slice(0, maxLines), '…'] : digest };
}

/** Prettier's `--check` report: `[warn] <file>` per file not in its style; one failure per file, a clean run one pass. */
export function formatCounts(output, code, maxLines = 30) {
  const files = output
    .split('\n')
    .map((line) => /^\[warn\] (.+)$/.exec(line.trim())?.[1])
    .filter((file) => file !== undefined && !/^Code style issues/.test(file));
  const failed = code === 0 ? 0 : Math.max(files.length, 1);
  const digest =
    code === 0 ? [] : files.length > 0 ? files.map((file) => `${file}: not in Prettier's style (npx prettier --write ${file})`) : output.trim().split('\n');
  return { passed: failed === 0 ? 1 : 0, failed, pending: 0, digest: digest.length > maxLines ? [...digest.slice(0, maxLines), '…'] : digest };
}

/** tsc's report: `file(line,col): error TSnnnn: message` per error; one failure per error, a clean run one pass. */
export function tscCounts(output, code, maxLines = 30) {
  const errors = output
    .split('\n')
    .filter((line) => /: error TS\d+:/.test(line))
    .map((line) => line.trim());
  const failed = code === 0 ? 0 : Math.max(errors.length, 1);
  const digest = code === 0 ? [] : errors.length > 0 ? errors : output.trim().split('\n');
  return { passed: failed === 0 ? 1 : 0, failed, pending: 0, digest: digest.length > maxLines ? [...digest.slice(0, maxLines), '…'] : digest };
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main() {
  const only = process.argv.slice(2);
  const selected = only.length > 0 ? suites.filter((s) => only.includes(s.name)) : suites;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const started = Date.now();
  const rows = [];

  const needsCodeServer = selected.some((s) => ['in-host', 'ui', 'webview', 'renderer'].includes(s.name));
  if (needsCodeServer) {
    console.log('\n=== set-up: Debian packages and code-server ===');
    const t = Date.now();
    const setup = await run(process.execPath, [path.join(repoRoot, 'scripts', 'e2e', 'install.mjs')]);
    rows.push({
      name: 'set-up',
      ok: setup.code === 0,
      passed: 0,
      failed: setup.code === 0 ? 0 : 1,
      ms: Date.now() - t,
      note: setup.code === 0 ? '' : 'set-up failed',
    });
  }

  if (selected.some((s) => needsBuild.has(s.name))) {
    // tsc -b builds the layer projects of tsconfig/ (tsconfig.json lists them): a wrong import fails here.
    console.log('\n=== build: tsc -b && node esbuild.mjs ===');
    const t = Date.now();
    const tsc = await run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', repoRoot]);
    const bundle = tsc.code === 0 ? await run(process.execPath, [path.join(repoRoot, 'esbuild.mjs')]) : tsc;
    const ok = tsc.code === 0 && bundle.code === 0;
    rows.push({
      name: 'build',
      ok,
      passed: 0,
      failed: ok ? 0 : 1,
      ms: Date.now() - t,
      note: ok ? '' : tsc.code === 0 ? 'esbuild failed' : 'tsc failed',
      digest: ok ? [] : tsc.code !== 0 ? tscCounts(tsc.output, tsc.code).digest : bundle.output.trim().split('\n').slice(-30),
    });
  }

  for (const suite of selected) {
    console.log(`\n=== ${suite.name}: npm run ${suite.script} ===`);
    const t = Date.now();
    const { code, output } = await run(npm, ['run', '--silent', suite.script]);
    const counts = suite.counts ? suite.counts(output, code) : mochaCounts(output);
    let note = '';
    if (code !== 0) note = `exit code ${code}`;
    if (counts.passed + counts.failed === 0) note = note ? `${note}, no test ran` : 'no test ran';
    const ok = code === 0 && counts.failed === 0 && counts.passed > 0;
    // A suite that broke before reporting any failure still counts as one failure.
    const failed = ok ? 0 : Math.max(counts.failed, 1);
    rows.push({
      name: suite.name,
      ok,
      passed: counts.passed,
      failed,
      pending: counts.pending,
      ms: Date.now() - t,
      note,
      digest: ok ? [] : (counts.digest ?? failureDigest(output)),
    });
  }

  console.log('\n=== summary ===');
  for (const r of rows) {
    const counts = r.name === 'set-up' || r.name === 'build' ? '' : `${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} pending` : ''}`;
    console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(8)} ${seconds(r.ms).padStart(8)}  ${counts}${r.note ? `  (${r.note})` : ''}`);
    for (const line of r.digest ?? []) console.log(`      ${line}`);
  }
  console.log(`total time ${seconds(Date.now() - started)}`);
  const passed = rows.reduce((s, r) => s + r.passed, 0);
  const failed = rows.reduce((s, r) => s + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return rows.every((r) => r.ok) ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
