import fs from 'node:fs';
import path from 'node:path';

/** Every compiled `*.vscode.test.js` below `dir`, sorted so runs are reproducible. */
export function findTestFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.vscode.test.js'))
    .map((name) => path.join(dir, name))
    .sort();
}
