import fs from 'node:fs';
import path from 'node:path';

/** Repository root, found from the compiled test location (out/test/...) or the source (test/...). */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The read-only shared folder (../shared beside the repository, or MINILM_SHARED_DIR). */
export function sharedDir(): string {
  const dir = process.env.MINILM_SHARED_DIR ?? path.join(repoRoot, '..', 'shared');
  if (!fs.existsSync(dir)) {
    throw new Error(`shared folder not found at ${dir}: clone the project beside ../shared or set MINILM_SHARED_DIR`);
  }
  return dir;
}

/** Folder holding the real all-MiniLM-L6-v2 weights (MINILM_MODEL_DIR or ../shared/models/all-MiniLM-L6-v2). */
export function testModelDir(): string {
  const dir = process.env.MINILM_MODEL_DIR ?? path.join(sharedDir(), 'models', 'all-MiniLM-L6-v2');
  if (!fs.existsSync(path.join(dir, 'onnx', 'model.onnx'))) {
    throw new Error(`model weights not found in ${dir} (expected onnx/model.onnx): set MINILM_MODEL_DIR`);
  }
  return dir;
}

export function sharedFile(...parts: string[]): string {
  const file = path.join(sharedDir(), ...parts);
  if (!fs.existsSync(file)) throw new Error(`missing shared file ${file}`);
  return file;
}
