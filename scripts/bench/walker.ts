/**
 * How long the workspace index's file walker takes on a generated tree (default 10,000 source files in nested
 * folders, a node_modules of 2,000 files, build output, root and nested .gitignore files), against two baselines
 * in the same run, interleaved: a rule-free walk (readdir + stat of every file, node_modules included) and
 * `rg --files` as VS Code's file search runs it (one process spawn included). Prints medians and ratios.
 *
 *   npx tsc -b && node out/scripts/bench/walker.js [--files 10000] [--runs 5]
 */
import { execFileSync } from 'node:child_process';
import type { Dirent } from 'node:fs';
import fs from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { walkFiles } from '../../src/engine/workspaceIndex/fileWalker';
import { machineInfo } from './machine';
import { median } from './stats';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number.parseInt(process.argv[i + 1]!, 10) : fallback;
}

function write(root: string, relative: string, content = 'export const x = 1;\n'): void {
  const target = path.join(root, relative);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
}

function buildTree(root: string, files: number): void {
  write(root, '.gitignore', 'build/\n*.log\ncoverage/\n.cache/\n');
  for (let i = 0; i < files; i++) {
    const pkg = i % 20;
    const folder = Math.floor(i / 50) % 10;
    write(root, `packages/p${pkg}/src/m${folder}/file${i}.ts`);
  }
  for (let p = 0; p < 20; p++) {
    write(root, `packages/p${p}/.gitignore`, 'generated/\n!keep.log\n');
    for (let i = 0; i < 20; i++) write(root, `packages/p${p}/build/out${i}.js`);
    for (let i = 0; i < 10; i++) write(root, `packages/p${p}/generated/g${i}.ts`);
  }
  for (let i = 0; i < 2000; i++) write(root, `node_modules/dep${i % 100}/lib/f${i}.js`);
}

async function ruleFreeWalk(root: string): Promise<number> {
  let count = 0;
  const visit = async (dir: string): Promise<void> => {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
    await Promise.all(entries.filter((e) => e.isFile()).map((e) => stat(path.join(dir, e.name))));
    count += entries.filter((e) => e.isFile()).length;
    for (const e of entries) if (e.isDirectory()) await visit(path.join(dir, e.name));
  };
  await visit(root);
  return count;
}

function ripgrepFiles(root: string): number {
  const out = execFileSync('rg', ['--files', '--hidden', '--no-require-git', '--no-config', '-g', '!**/node_modules', '-g', '!.git'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.toString().split('\n').filter(Boolean).length;
}

async function main(): Promise<void> {
  const files = arg('--files', 10_000);
  const runs = arg('--runs', 5);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-bench-walker-'));
  try {
    buildTree(root, files);
    let hasRg = true;
    try {
      execFileSync('rg', ['--version'], { stdio: 'ignore' });
    } catch {
      hasRg = false;
    }
    const times: Record<string, number[]> = { walker: [], ruleFree: [], rg: [] };
    const counts: Record<string, number> = {};
    // One warm-up round, then interleaved rounds so that all three see the same load.
    for (let round = 0; round <= runs; round++) {
      let t = performance.now();
      const result = await walkFiles({ root });
      const walkerMs = performance.now() - t;
      t = performance.now();
      counts.ruleFree = await ruleFreeWalk(root);
      const ruleFreeMs = performance.now() - t;
      let rgMs = NaN;
      if (hasRg) {
        t = performance.now();
        counts.rg = ripgrepFiles(root);
        rgMs = performance.now() - t;
      }
      counts.walker = result.files.length;
      if (round === 0) continue;
      times.walker.push(walkerMs);
      times.ruleFree.push(ruleFreeMs);
      times.rg.push(rgMs);
    }
    const machine = machineInfo();
    const walker = median(times.walker);
    console.log(`File walker on ${files} source files (+ node_modules, build output, nested .gitignore); median of ${runs} interleaved runs`);
    console.log(`CPU: ${machine.cpuModel}, ${machine.logicalCpus} logical CPUs; load average ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`  walkFiles (defaults)                  ${walker.toFixed(0).padStart(6)} ms  ${counts.walker} files`);
    const rf = median(times.ruleFree);
    console.log(
      `  rule-free readdir + stat (baseline)   ${rf.toFixed(0).padStart(6)} ms  ${counts.ruleFree} files; walkFiles = ${(walker / rf).toFixed(2)}× this`,
    );
    if (hasRg) {
      const rg = median(times.rg);
      console.log(`  rg --files (VS Code's file search)    ${rg.toFixed(0).padStart(6)} ms  ${counts.rg} files; walkFiles = ${(walker / rg).toFixed(2)}× this`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
