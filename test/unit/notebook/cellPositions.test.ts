import assert from 'node:assert/strict';
import { corpusNameAt, filePathBefore, queryReadWithIn, wordAt } from '../../../src/notebook/cellPositions';
import { parseCell } from '../../../src/notebook/cellLanguage';

describe('what stands at a position of a cell', () => {
  it('the directive word of the directive line, not the same word in a text below', () => {
    const source = '# note\n  search compare things\ncompare';
    assert.deepEqual(wordAt(source, 1, 4), { topic: 'search', kind: 'directive', start: 2, end: 8, directive: 'search' });
    assert.equal(wordAt(source, 1, 12), undefined, 'a query word');
    assert.equal(wordAt(source, 2, 3), undefined, 'a text that reads like a directive');
    assert.equal(wordAt(source, 0, 3), undefined, 'a comment');
    assert.equal(wordAt('comapre\nx', 0, 2), undefined, 'an unknown directive has no docs');
  });

  it('options at the start of a body line, and top/max/min/in on the line of mine, cluster, compare, encode', () => {
    assert.deepEqual(wordAt('search q\n @top 3\nx', 1, 3), { topic: '@top', kind: 'option', start: 1, end: 5, directive: 'search' });
    assert.equal(wordAt('search q\n@top 3\nx', 1, 6), undefined, 'the value');
    assert.equal(wordAt('search q\n@limit 3', 1, 2), undefined, 'an unknown option');
    assert.equal(wordAt('search q\nmail me @top', 1, 10), undefined, 'not at the start of the line');
    assert.deepEqual(wordAt('mine docs top 3', 0, 11), { topic: '@top', kind: 'keyword', start: 10, end: 13, directive: 'mine' });
    assert.deepEqual(wordAt('cluster 0.5 in docs', 0, 13), { topic: 'in', kind: 'keyword', start: 12, end: 14, directive: 'cluster' });
    assert.equal(wordAt('search cats in docs', 0, 12), undefined, 'search: the line is the query');
  });

  it('the corpus name a cell reads or defines', () => {
    assert.deepEqual(corpusNameAt('search q in docs', 0, 14), { name: 'docs', line: 1, start: 12, end: 16 });
    assert.equal(corpusNameAt('search q in docs', 0, 3), undefined);
    assert.deepEqual(corpusNameAt('# x\ncorpus faq\nQ', 1, 8), { name: 'faq', line: 2, start: 7, end: 10 });
    assert.equal(corpusNameAt('search q in docs\ncandidate', 0, 14), undefined, 'with candidates, "in docs" is query text');
  });

  it('the path typed after @file', () => {
    assert.deepEqual(filePathBefore('@file data/fa'), { typed: 'data/fa', start: 6 });
    assert.deepEqual(filePathBefore('  @file "my data/'), { typed: 'my data/', start: 9 });
    assert.equal(filePathBefore('@top 3'), undefined);
    assert.equal(filePathBefore('@file'), undefined, 'no space yet');
  });
});

describe('queryReadWithIn (semantic colouring of a query ending in "in <name>")', () => {
  it('covers the whole query when candidates follow, as the parser reads it', () => {
    const source = '# a comment\n  search what is kept in docs  \nthe first candidate\n@file notes.txt';
    const range = queryReadWithIn(source);
    assert.deepEqual(range, { line: 1, start: 9, end: 29 });
    const line = source.split('\n')[1];
    const directive = parseCell(source);
    assert.equal(directive.kind, 'search');
    assert.equal(line.slice(range!.start, range!.end), directive.kind === 'search' ? directive.query : undefined);
    assert.equal(directive.kind === 'search' ? directive.input.corpus : 'x', undefined);
  });

  it('is absent when the tail names the corpus read (no candidates), for a quoted query, and without "in"', () => {
    assert.equal(queryReadWithIn('search what is kept in docs'), undefined);
    const read = parseCell('search what is kept in docs');
    assert.equal(read.kind === 'search' ? read.input.corpus?.name : undefined, 'docs');
    assert.equal(queryReadWithIn('search "what is kept" in docs\na candidate'), undefined);
    assert.equal(queryReadWithIn('search what is kept\na candidate'), undefined);
    assert.equal(queryReadWithIn('compare in docs\na text'), undefined);
  });

  it('counts @workspace and @file lines as candidates, not comments or blank lines', () => {
    assert.ok(queryReadWithIn('search q in docs\n@workspace'));
    assert.ok(queryReadWithIn('search q in docs\n@FILE a.txt'));
    assert.equal(queryReadWithIn('search q in docs\n\n# only a comment\n'), undefined);
  });
});
