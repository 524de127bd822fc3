import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../../helpers/sharedPaths';

// Every `npx minilm` call used to print `npm warn Unknown project config "onnxruntime-node-install"` because of a
// custom key in .npmrc; package.json's allowScripts now keeps onnxruntime-node's download step from running.
describe('npx minilm', function () {
  this.timeout(180_000);

  it('prints the version and no npm warning', () => {
    const run = spawnSync('npx', ['--no-install', 'minilm', '--version'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^\d+\.\d+\.\d+\s*$/);
    assert.doesNotMatch(run.stderr, /npm warn/i);
  });

  it("package.json keeps onnxruntime-node's install script (a GPU download that fails offline) from running", async () => {
    const manifest = (await import('node:fs')).readFileSync(`${repoRoot}/package.json`, 'utf8');
    assert.equal(JSON.parse(manifest).allowScripts?.['onnxruntime-node'], false);
  });
});
