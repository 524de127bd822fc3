import assert from 'node:assert/strict';
import * as path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../helpers/sharedPaths';

// The layer projects of tsconfig/ (built by `tsc -b`, npm run compile), run through the TypeScript API on one fixture
// at a time: each project must refuse what its layer's runtime lacks, and accept what it has. (An import of another
// layer's file fails in `tsc -b` as TS6307, "not listed within the file list of project": no fixture needed.)
describe('layer projects (tsconfig/*.json)', function () {
  // A program per fixture pulls in @types/node or the DOM lib: seconds each on a busy machine.
  this.timeout(120_000);

  /** Diagnostics of `fixture` compiled alone with the compiler options of `config`, as `TSnnnn message`. */
  function diagnostics(config: string, fixture: string): string[] {
    const configPath = path.join(repoRoot, 'tsconfig', config);
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath));
    const options = { ...parsed.options, composite: false, declaration: false, noEmit: true };
    const program = ts.createProgram([path.join(repoRoot, 'test', 'fixtures', 'layers', fixture)], options);
    return ts.getPreEmitDiagnostics(program).map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  const refusesVscode = /TS2306 .*notInThisLayer\.d\.ts' is not a module/;
  const refusesDom = /TS2304 Cannot find name 'HTMLElement'/;
  const refusesNode = /TS2307 Cannot find module 'node:fs'/;

  it('the root tsconfig.json is a solution: no files of its own, a reference to every layer project', () => {
    const root = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile).config as { files: unknown[]; references: { path: string }[] };
    assert.deepEqual(root.files, []);
    assert.deepEqual(
      root.references.map((r) => r.path).sort(),
      ['browser', 'cli', 'core', 'engine', 'host', 'shared', 'tests'].map((p) => `./tsconfig/${p}.json`),
    );
  });

  it('core and shared: no vscode, no Node module, no DOM', () => {
    for (const config of ['core.json', 'shared.json']) {
      assert.match(diagnostics(config, 'importsVscode.ts').join('\n'), refusesVscode, config);
      assert.match(diagnostics(config, 'importsNode.ts').join('\n'), refusesNode, config);
      assert.match(diagnostics(config, 'usesDom.ts').join('\n'), refusesDom, config);
    }
  });

  it('engine and CLI/server: Node modules compile; vscode and the DOM fail', () => {
    for (const config of ['engine.json', 'cli.json']) {
      assert.match(diagnostics(config, 'importsVscode.ts').join('\n'), refusesVscode, config);
      assert.match(diagnostics(config, 'usesDom.ts').join('\n'), refusesDom, config);
      assert.deepEqual(diagnostics(config, 'importsNode.ts'), [], config);
    }
  });

  it('extension host: vscode and Node compile; the DOM fails', () => {
    assert.deepEqual(diagnostics('host.json', 'importsVscode.ts'), []);
    assert.deepEqual(diagnostics('host.json', 'importsNode.ts'), []);
    assert.match(diagnostics('host.json', 'usesDom.ts').join('\n'), refusesDom);
  });

  it('browser code: the DOM compiles; vscode and Node modules fail', () => {
    assert.match(diagnostics('browser.json', 'importsVscode.ts').join('\n'), refusesVscode);
    assert.match(diagnostics('browser.json', 'importsNode.ts').join('\n'), refusesNode);
    assert.deepEqual(diagnostics('browser.json', 'usesDom.ts'), []);
  });

  it('tests and scripts see every layer: all three compile', () => {
    for (const fixture of ['importsVscode.ts', 'usesDom.ts', 'importsNode.ts']) assert.deepEqual(diagnostics('tests.json', fixture), [], fixture);
  });
});
