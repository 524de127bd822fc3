import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../../helpers/sharedPaths';

// The layer rules of eslint.config.mjs, run through ESLint's own API on one import at a time as if it stood in a
// file of that layer (the file need not exist). A rule that never fires would let the layers drift silently.
describe('eslint.config.mjs layer rules', function () {
  this.timeout(120_000);
  let eslint: ESLint;

  before(() => {
    eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: path.join(repoRoot, 'eslint.config.mjs') });
  });

  /** Lints `import { probe } from '<specifier>'` as the file `file`; returns every message ESLint gives. */
  async function lintImport(file: string, specifier: string) {
    const code = `import { probe } from '${specifier}';\nexport { probe };\n`;
    const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  }

  const forbidden: [string, string, RegExp][] = [
    ['src/core/probe.ts', 'vscode', /extension host/],
    ['src/core/probe.ts', 'node:fs', /pure maths/],
    ['src/core/probe.ts', 'fs/promises', /pure maths/],
    ['src/core/probe.ts', 'write-file-atomic', /pure maths/],
    ['src/core/probe.ts', '../engine/engine', /src\/core imports nothing above it/],
    ['src/core/chunking/probe.ts', '../../engine', /src\/core imports nothing above it/],
    ['src/core/probe.ts', '../host/l10n', /src\/core imports nothing above it/],
    ['src/engine/probe.ts', 'vscode', /extension host/],
    ['src/engine/workspaceIndex/probe.ts', '../../host/studioServices', /src\/engine knows no editor/],
    ['src/engine/probe.ts', '../cli/program', /src\/engine knows no editor/],
    ['src/cli/probe.ts', 'vscode', /extension host/],
    ['src/cli/commands/probe.ts', '../../host/studioServices', /run without VS Code/],
    ['src/cli/probe.ts', '../panel/studioPanel', /run without VS Code/],
    ['src/cli/probe.ts', '../notebook/notebookController', /run without VS Code/],
    ['src/cli/probe.ts', '../commands/compareSelection', /run without VS Code/],
    ['src/cli/probe.ts', '../extension', /run without VS Code/],
    ['src/server/probe.ts', 'vscode', /extension host/],
    ['media/src/webview/probe.ts', '../../../src/engine/types', /only the typed protocol in src\/shared/],
    ['media/src/webview/probe.ts', '../../../src/core/vector', /only the typed protocol in src\/shared/],
    ['media/src/renderer/probe.ts', 'node:path', /runs in a browser/],
    ['media/src/renderer/probe.ts', 'fs', /runs in a browser/],
    ['media/src/webview/probe.ts', 'vscode', /extension host/],
  ];
  for (const [file, specifier, reason] of forbidden) {
    it(`${file}: importing '${specifier}' is an error`, async () => {
      const messages = await lintImport(file, specifier);
      assert.equal(messages.length, 1, messages.join('\n'));
      assert.match(messages[0]!, /^no-restricted-imports: /);
      assert.match(messages[0]!, reason);
    });
  }

  const allowed: [string, string][] = [
    ['src/core/probe.ts', './vector'],
    ['src/core/chunking/probe.ts', '../vector'],
    ['src/core/probe.ts', 'node:worker_threads'],
    ['src/engine/probe.ts', '../core/vector'],
    ['src/engine/probe.ts', 'node:fs'],
    ['src/cli/probe.ts', '../engine'],
    ['src/cli/commands/probe.ts', '../../server/app'],
    ['src/host/probe.ts', 'vscode'],
    ['src/panel/probe.ts', '../host/studioServices'],
    ['media/src/webview/probe.ts', '../../../src/shared/studioProtocol'],
    ['media/src/webview/probe.ts', './dom'],
    ['media/src/renderer/probe.ts', 'chart.js'],
  ];
  for (const [file, specifier] of allowed) {
    it(`${file}: importing '${specifier}' is fine`, async () => {
      assert.deepEqual(await lintImport(file, specifier), []);
    });
  }
});
