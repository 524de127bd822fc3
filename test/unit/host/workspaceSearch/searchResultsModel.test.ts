import assert from 'node:assert/strict';
import {
  groupByFile,
  indexCountLabel,
  locationLabel,
  mergeRankings,
  overlaps,
  previewLine,
  scoreBar,
  scoreLabel,
  type WorkspaceHit,
} from '../../../../src/host/workspaceSearch/searchResultsModel';
import { english } from '../../../../src/shared/translate';

function hit(path: string, startLine: number, score: number, folderPath = '/ws'): WorkspaceHit {
  return { folder: folderPath.split('/').pop()!, folderPath, path, startLine, endLine: startLine + 2, text: `text of ${path}:${startLine}`, score };
}

describe('search results model', () => {
  it('groups by file: files by their best score, matches by score then line', () => {
    const groups = groupByFile([hit('b.md', 10, 0.9), hit('a.md', 1, 0.5), hit('b.md', 3, 0.7), hit('a.md', 8, 0.8), hit('c.md', 1, 0.7)]);
    assert.deepEqual(
      groups.map((g) => [g.path, g.best, g.hits.map((h) => h.startLine)]),
      [
        ['b.md', 0.9, [10, 3]],
        ['a.md', 0.8, [8, 1]],
        ['c.md', 0.7, [1]],
      ],
    );
  });

  it('keeps the same relative path of two folders apart', () => {
    const groups = groupByFile([hit('README.md', 1, 0.9, '/one'), hit('README.md', 1, 0.8, '/two')]);
    assert.equal(groups.length, 2);
  });

  it('score bar: five cells over 0..1, negatives empty, NaN empty', () => {
    assert.equal(scoreBar(1), '▰▰▰▰▰');
    assert.equal(scoreBar(0.61), '▰▰▰▱▱');
    assert.equal(scoreBar(0), '▱▱▱▱▱');
    assert.equal(scoreBar(-0.3), '▱▱▱▱▱');
    assert.equal(scoreBar(Number.NaN), '▱▱▱▱▱');
    assert.equal(scoreLabel(0.8123), '0.812 ▰▰▰▰▱');
  });

  it('preview: first non-blank line, whitespace collapsed, long lines cut with an ellipsis', () => {
    assert.equal(previewLine('\n\n   # Title   with  spaces\nbody'), '# Title with spaces');
    assert.equal(previewLine('x'.repeat(300), 10), `${'x'.repeat(9)}…`);
    assert.equal(previewLine(' \n '), '');
  });

  it('location: path:line or path:start-end, folder-prefixed in a multi-root workspace', () => {
    assert.equal(locationLabel({ folder: 'ws', path: 'docs/a.md', startLine: 4, endLine: 4 }, false), 'docs/a.md:4');
    assert.equal(locationLabel({ folder: 'ws', path: 'docs/a.md', startLine: 4, endLine: 9 }, true), 'ws/docs/a.md:4-9');
  });

  it('status bar count with thousands separators', () => {
    assert.equal(indexCountLabel(1234, english), '$(search) 1,234 chunks');
  });

  it('merges folder rankings best first and keeps topK', () => {
    const merged = mergeRankings([[hit('a', 1, 0.5, '/one'), hit('b', 1, 0.3, '/one')], [hit('c', 1, 0.9, '/two')]], 2);
    assert.deepEqual(
      merged.map((h) => h.path),
      ['c', 'a'],
    );
  });

  it('overlap with a selection: same file and shared lines only', () => {
    const place = { folderPath: '/ws', path: 'a.md', startLine: 5, endLine: 6 };
    assert.equal(overlaps({ folderPath: '/ws', path: 'a.md', startLine: 6, endLine: 9 }, place), true);
    assert.equal(overlaps({ folderPath: '/ws', path: 'a.md', startLine: 7, endLine: 9 }, place), false);
    assert.equal(overlaps({ folderPath: '/ws', path: 'b.md', startLine: 5, endLine: 6 }, place), false);
  });
});
