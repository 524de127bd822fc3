import assert from 'node:assert/strict';
import { excludedByGlobs, globMatcher } from '../../../../src/engine/workspaceIndex/globFilter';
import { DEFAULT_EXCLUDES } from '../../../../src/engine/workspaceIndex/walkDefaults';

describe('excludedByGlobs (what the file watcher ignores)', () => {
  it('leaves out a path whose folder an exclude glob matches, at any depth, as the walker does', () => {
    const exclude = globMatcher([...DEFAULT_EXCLUDES, 'out', 'docs/generated/**']);
    for (const excluded of ['node_modules/pkg/index.js', 'a/b/node_modules/x.ts', '.git/HEAD', 'out/src/main.js', 'docs/generated/api.md', 'node_modules']) {
      assert.equal(excludedByGlobs(exclude, excluded), true, excluded);
    }
    for (const kept of ['src/main.ts', 'docs/guide.md', 'outline.md', 'src/out.ts', 'node_modules_notes.md']) {
      assert.equal(excludedByGlobs(exclude, kept), false, kept);
    }
  });

  it('excludes nothing with no globs', () => {
    assert.equal(excludedByGlobs(globMatcher([]), 'node_modules/x.js'), false);
  });
});
