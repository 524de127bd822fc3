// Every string the workspace-search code translates is in both bundles with the same placeholders, and every
// %key% its package.json contributions use is in both package.nls files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../../helpers/sharedPaths';

const SOURCES = [
  'src/host/workspaceSearch/workspaceIndexService.ts',
  'src/host/workspaceSearch/indexStatusBar.ts',
  'src/host/workspaceSearch/semanticSearchView.ts',
  'src/host/workspaceSearch/searchResultsModel.ts',
  'src/commands/workspaceSearch.ts',
];

const json = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, unknown>;
const placeholders = (text: string) => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

describe('workspace search strings', () => {
  it('every translated message is in the English and Simplified Chinese bundles', () => {
    const english = json('l10n/bundle.l10n.json') as Record<string, string>;
    const chinese = json('l10n/bundle.l10n.zh-cn.json') as Record<string, string>;
    let count = 0;
    for (const source of SOURCES) {
      const text = fs.readFileSync(path.join(repoRoot, source), 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'((?:[^'\\]|\\.)*)'/g)) {
        const message = match[1]!.replace(/\\'/g, "'");
        count++;
        assert.equal(english[message], message, `${source}: English bundle lacks ${message}`);
        assert.equal(typeof chinese[message], 'string', `${source}: Chinese bundle lacks ${message}`);
        assert.deepEqual(placeholders(chinese[message]!), placeholders(message), message);
      }
    }
    assert.ok(count > 20, `only ${count} messages found: did the sources move?`);
  });

  it('every %key% of the contributions is in package.nls.json and package.nls.zh-cn.json', () => {
    const manifest = fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8');
    const english = json('package.nls.json');
    const chinese = json('package.nls.zh-cn.json');
    for (const [, key] of manifest.matchAll(/"%([^"%]+)%"/g)) {
      assert.equal(typeof english[key!], 'string', `package.nls.json lacks ${key}`);
      assert.equal(typeof chinese[key!], 'string', `package.nls.zh-cn.json lacks ${key}`);
    }
  });
});
