import assert from 'node:assert/strict';
import { enabledPatterns, readIndexSettings, type ReadSetting } from '../../../../src/host/workspaceSearch/indexSettings';

function reader(values: Record<string, unknown>): ReadSetting {
  return (section, key) => values[`${section}.${key}`];
}

describe('workspace index settings', () => {
  it('defaults: every file, .gitignore honoured, 1 MiB per file, 500 MiB cap, auto-update on', () => {
    const settings = readIndexSettings(reader({}));
    assert.equal(settings.include, undefined);
    assert.deepEqual(settings.exclude, []);
    assert.equal(settings.useGitIgnore, true);
    assert.equal(settings.maxFileBytes, 1024 * 1024);
    assert.equal(settings.maxBytes, 500 * 1024 * 1024);
    assert.equal(settings.autoUpdate, true);
  });

  it('minilm.index.exclude comes first, then the switched-on patterns of files.exclude and search.exclude, without repeats', () => {
    const settings = readIndexSettings(
      reader({
        'minilm.index.exclude': ['build/**', ' '],
        'files.exclude': { '**/.git': true, '**/.DS_Store': true, '**/tmp': false },
        'search.exclude': { '**/node_modules': true, '**/bower_components': true, '**/.git': true },
      }),
    );
    assert.deepEqual(settings.exclude, ['build/**', '**/.git', '**/.DS_Store', '**/node_modules', '**/bower_components']);
  });

  it('a files.exclude pattern with a "when" clause is left out (the walker cannot check the sibling file)', () => {
    assert.deepEqual(enabledPatterns({ '**/*.js': { when: '$(basename).ts' }, '**/out': true }), ['**/out']);
  });

  it('malformed values fall back to the defaults', () => {
    const settings = readIndexSettings(
      reader({
        'minilm.index.include': 'docs/**',
        'minilm.index.exclude': [3, null, 'a/**'],
        'minilm.index.maxFileKB': -5,
        'minilm.index.maxSizeMB': 'big',
        'minilm.index.useGitIgnore': 'no',
        'files.exclude': ['**/x'],
      }),
    );
    assert.equal(settings.include, undefined);
    assert.deepEqual(settings.exclude, ['a/**']);
    assert.equal(settings.maxFileBytes, 1024 * 1024);
    assert.equal(settings.maxBytes, 500 * 1024 * 1024);
    assert.equal(settings.useGitIgnore, true);
  });

  it('include globs, sizes in KiB and MiB become byte counts', () => {
    const settings = readIndexSettings(
      reader({
        'minilm.index.include': ['docs/**', 'src/**/*.ts'],
        'minilm.index.maxFileKB': 64,
        'minilm.index.maxSizeMB': 2,
        'minilm.index.autoUpdate': false,
      }),
    );
    assert.deepEqual(settings.include, ['docs/**', 'src/**/*.ts']);
    assert.equal(settings.maxFileBytes, 64 * 1024);
    assert.equal(settings.maxBytes, 2 * 1024 * 1024);
    assert.equal(settings.autoUpdate, false);
  });
});
