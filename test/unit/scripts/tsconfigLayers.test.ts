import assert from 'node:assert/strict';
import * as path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../helpers/sharedPaths';

// The layer type checks of tsconfig/ (npm run check:layers), run through the TypeScript API on one fixture at a time:
// each check must refuse what its layer's runtime lacks, and accept what it has.
describe('layer type checks (tsconfig/node.json, tsconfig/browser.json)', function () {
  // A program per fixture pulls in @types/node or the DOM lib: seconds each on a busy machine.
  this.timeout(120_000);

  /** Diagnostics of `fixture` compiled alone with the options of `config`, as `TSnnnn message`. */
  function diagnostics(config: string, fixture: string): string[] {
    const configPath = path.join(repoRoot, config);
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
    const program = ts.createProgram([path.join(repoRoot, 'test', 'fixtures', 'layers', fixture)], parsed.options);
    return ts.getPreEmitDiagnostics(program).map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }

  it('Node-only code: a vscode import and a DOM type fail, a Node module compiles', () => {
    assert.match(diagnostics('tsconfig/node.json', 'importsVscode.ts').join('\n'), /TS2306 .*notInThisLayer\.d\.ts' is not a module/);
    assert.match(diagnostics('tsconfig/node.json', 'usesDom.ts').join('\n'), /TS2304 Cannot find name 'HTMLElement'/);
    assert.deepEqual(diagnostics('tsconfig/node.json', 'importsNode.ts'), []);
  });

  it('browser code: a vscode import and a Node module fail, a DOM type compiles', () => {
    assert.match(diagnostics('tsconfig/browser.json', 'importsVscode.ts').join('\n'), /TS2306 .*notInThisLayer\.d\.ts' is not a module/);
    assert.match(diagnostics('tsconfig/browser.json', 'importsNode.ts').join('\n'), /TS2307 Cannot find module 'node:fs'/);
    assert.deepEqual(diagnostics('tsconfig/browser.json', 'usesDom.ts'), []);
  });

  it('the root tsconfig (extension host, tests) still compiles all three', () => {
    for (const fixture of ['importsVscode.ts', 'usesDom.ts', 'importsNode.ts']) assert.deepEqual(diagnostics('tsconfig.json', fixture), [], fixture);
  });
});
