import assert from 'node:assert/strict';
import { CHUNKER_VERSION, chunkDocument, documentKindOf, splitChunk, SHIPPED_STRATEGY, type DocumentKind, type TextChunk } from '../../../src/core/chunking';
import { mergeShortSpans, spanWindows, weightedLength } from '../../../src/core/chunking/windows';

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Every chunk's text lies in the source exactly where its lines say: it starts on startLine and ends on endLine,
 * and is neither empty nor whitespace-only.
 */
function assertExactLines(source: string, chunks: readonly TextChunk[]): void {
  const lines = source.split(LINE_BREAK);
  for (const chunk of chunks) {
    const where = `${JSON.stringify(chunk.text.slice(0, 40))} @ ${chunk.startLine}-${chunk.endLine}`;
    assert.ok(chunk.text.trim().length > 0, `whitespace-only chunk ${where}`);
    assert.equal(chunk.text, chunk.text.trim(), `untrimmed chunk ${where}`);
    assert.ok(chunk.startLine >= 1 && chunk.startLine <= chunk.endLine && chunk.endLine <= lines.length, `bad range ${where}`);
    const own = chunk.text.split(LINE_BREAK);
    assert.equal(own.length, chunk.endLine - chunk.startLine + 1, `line count ${where}`);
    const first = lines[chunk.startLine - 1]!;
    const last = lines[chunk.endLine - 1]!;
    if (own.length === 1) {
      assert.ok(first.includes(own[0]!), `not on line ${chunk.startLine}: ${where}`);
    } else {
      assert.ok(first.endsWith(own[0]!), `first line mismatch ${where}`);
      assert.ok(last.startsWith(own[own.length - 1]!), `last line mismatch ${where}`);
      for (let i = 1; i < own.length - 1; i++) assert.equal(own[i], lines[chunk.startLine - 1 + i], `inner line mismatch ${where}`);
    }
  }
}

function chunks(text: string, kind: DocumentKind = 'text'): TextChunk[] {
  const result = chunkDocument(text, { kind });
  assertExactLines(text, result);
  return result;
}

const texts = (result: readonly TextChunk[]) => result.map((c) => c.text);
const nonSpace = (s: string) => s.replace(/\s+/g, '');

describe('chunkDocument', () => {
  describe('plain text', () => {
    it('cuts paragraphs into sentences with the lines each sentence is on', () => {
      const doc = 'The cat sat on the mat. It was warm and quiet.\n\nA second paragraph starts here\nand wraps onto a second line. A short one at the end.\n';
      const result = chunks(doc);
      assert.deepEqual(
        result.map((c) => [c.text, c.startLine, c.endLine]),
        [
          ['The cat sat on the mat.', 1, 1],
          ['It was warm and quiet.', 1, 1],
          ['A second paragraph starts here\nand wraps onto a second line.', 3, 4],
          ['A short one at the end.', 4, 4],
        ],
      );
    });

    it('reads unpunctuated text written one item per line line by line, while hard-wrapped prose keeps its sentences', () => {
      const items = [
        'buy a new charger for the laptop before the trip',
        'call the landlord about the broken heating in the bedroom',
        'renew the passport at least six weeks ahead of travel',
        'book the train to the airport for the early morning flight',
        'ask the neighbours to water the plants while we are away',
        'cancel the newspaper delivery for the two weeks we are gone',
        'pack the adapter plugs and the spare camera batteries',
        'print the hotel confirmation and the car rental voucher',
      ];
      const list = chunks(`${items.join('\n')}\n`);
      assertExactLines(`${items.join('\n')}\n`, list);
      assert.deepEqual(texts(list), items, 'one chunk per line, each findable');
      assert.deepEqual(
        list.map((c) => c.startLine),
        items.map((_, i) => i + 1),
      );
      // The same words hard-wrapped as punctuated prose: sentences, not lines.
      const prose = 'The cat sat on the mat and looked out of the window at the birds\nin the garden. It was warm and quiet in the house that afternoon.\n';
      assert.deepEqual(texts(chunks(prose)), [
        'The cat sat on the mat and looked out of the window at the birds\nin the garden.',
        'It was warm and quiet in the house that afternoon.',
      ]);
      // Three short unpunctuated lines stay one chunk (under 400 characters, fewer than 4 lines).
      assert.equal(chunks('alpha beta gamma\ndelta epsilon zeta\neta theta iota\n').length, 1);
    });

    it('never lets a sentence cross a blank line', () => {
      const result = chunks('no full stop here\n\nnor here\n');
      assert.deepEqual(texts(result), ['no full stop here', 'nor here']);
    });

    it('reads Chinese sentences ended by 。！？', () => {
      const result = chunks('今天天气很好。我们去公园吧！\n你明天来参加会议吗？');
      assert.deepEqual(
        result.map((c) => [c.text, c.startLine]),
        [
          ['今天天气很好。', 1],
          ['我们去公园吧！', 1],
          ['你明天来参加会议吗？', 2],
        ],
      );
    });

    it('joins tiny sentences to a neighbour, in English and in Chinese', () => {
      const english = chunks('Yes. The meeting moved to Thursday morning. See below.\n\nOK.');
      assert.deepEqual(texts(english), ['Yes. The meeting moved to Thursday morning. See below.', 'OK.']);
      const chinese = chunks('好的。我们明天去公园吧！\n你来吗？');
      assert.deepEqual(texts(chinese), ['好的。我们明天去公园吧！\n你来吗？']);
    });

    it('gives the same chunks and lines for CRLF, LF and lone CR line breaks', () => {
      const lf = 'First line of a sentence\nthat continues. The next sentence.\n\nThe last paragraph here.';
      const expected = chunks(lf).map((c) => [c.text, c.startLine, c.endLine]);
      for (const eol of ['\r\n', '\r']) {
        const other = chunks(lf.replace(/\n/g, eol)).map((c) => [c.text.replace(/\r\n|\r/g, '\n'), c.startLine, c.endLine]);
        assert.deepEqual(other, expected, JSON.stringify(eol));
      }
    });

    it('keeps a last line without a line break', () => {
      const result = chunks('The first paragraph.\n\nLast line without newline');
      assert.deepEqual(result.at(-1), { text: 'Last line without newline', startLine: 3, endLine: 3 });
    });

    it('returns nothing for empty or whitespace-only documents, whatever the kind', () => {
      for (const kind of ['text', 'markdown', 'code'] as const) {
        for (const doc of ['', '\n', '   \r\n\t\n', '\n\n\n']) assert.deepEqual(chunkDocument(doc, { kind }), [], `${kind} ${JSON.stringify(doc)}`);
      }
    });

    it('defaults to text', () => {
      const doc = '# Not a heading in text. Really not one at all.';
      assert.deepEqual(chunkDocument(doc), chunkDocument(doc, { kind: 'text' }));
      assert.equal(chunkDocument(doc)[0]!.text, '# Not a heading in text.');
    });
  });

  describe('markdown', () => {
    const doc = [
      '---', // 1
      'title: Guide', // 2
      '---', // 3
      '# Installing the tool ##', // 4
      '', // 5
      'Run the installer first. Then restart the editor.', // 6
      '', // 7
      '- The first list item. It has two sentences.', // 8
      '- [x] A done task', // 9
      '  continued on a second line.', // 10
      '1. A numbered list item.', // 11
      '', // 12
      '> Quoted text here.', // 13
      '> More quoted text.', // 14
      '', // 15
      '```ts', // 16
      'const a = 1;', // 17
      'const b = 2;', // 18
      '```', // 19
      '', // 20
      'Setext heading', // 21
      '==============', // 22
      '| col a | col b |', // 23
      '|-------|-------|', // 24
      '***', // 25
      'Closing words', // 26
    ].join('\n');

    it('reads headings, paragraphs, list items, quotes, fences, tables and front matter', () => {
      const result = chunks(doc, 'markdown');
      assert.deepEqual(
        result.map((c) => [c.text, c.startLine, c.endLine]),
        [
          ['title: Guide', 2, 2],
          ['Installing the tool', 4, 4],
          ['Run the installer first.', 6, 6],
          ['Then restart the editor.', 6, 6],
          ['The first list item.', 8, 8],
          ['It has two sentences.', 8, 8],
          ['A done task\n  continued on a second line.', 9, 10],
          ['A numbered list item.', 11, 11],
          ['Quoted text here.', 13, 13],
          ['More quoted text.', 14, 14],
          ['const a = 1;\nconst b = 2;', 17, 18],
          ['Setext heading', 21, 21],
          ['| col a | col b |\n|-------|-------|', 23, 24],
          ['Closing words', 26, 26],
        ],
      );
    });

    it('leaves markup out of sentences but keeps the source text between lines', () => {
      const result = chunks('> A quoted sentence that\n> wraps. The second sentence.', 'markdown');
      assert.deepEqual(texts(result), ['A quoted sentence that\n> wraps.', 'The second sentence.']);
    });

    it('keeps an unclosed fence as code to the end', () => {
      const result = chunks('Intro.\n\n```\nlet x = 1;\n\nlet y = 2;', 'markdown');
      assert.deepEqual(texts(result), ['Intro.', 'let x = 1;', 'let y = 2;']);
    });
  });

  describe('code', () => {
    it('separates comment runs (as sentences) from code (as lines)', () => {
      const doc = [
        '#!/usr/bin/env node', // 1
        '#include <stdio.h>', // 2
        '// Adds two numbers. Returns the sum.', // 3
        '// It never throws.', // 4
        'function add(a, b) {', // 5
        '  return a + b; // inline stays with the code', // 6
        '}', // 7
        '', // 8
        '/**', // 9
        ' * Multiplies two numbers.', // 10
        ' *', // 11
        ' * @param a the first', // 12
        ' */', // 13
        'def f():', // 14
        '    """The docstring starts here.', // 15
        '    Second docstring line."""', // 16
        '    # a hash comment', // 17
        '    return 1', // 18
        '-- select all rows', // 19
      ].join('\n');
      const result = chunks(doc, 'code');
      assert.deepEqual(
        result.map((c) => [c.text, c.startLine, c.endLine]),
        [
          ['#!/usr/bin/env node\n#include <stdio.h>', 1, 2],
          ['Adds two numbers.', 3, 3],
          ['Returns the sum.', 3, 3],
          ['It never throws.', 4, 4],
          ['function add(a, b) {\n  return a + b; // inline stays with the code\n}', 5, 7],
          ['Multiplies two numbers.', 10, 10],
          ['@param a the first', 12, 12],
          ['def f():', 14, 14],
          ['The docstring starts here.', 15, 15],
          ['Second docstring line.', 16, 16],
          ['a hash comment', 17, 17],
          ['return 1', 18, 18],
          ['select all rows', 19, 19],
        ],
      );
    });

    it('cuts a long code block into windows of lines', () => {
      const doc = Array.from({ length: 20 }, (_, i) => `const v${i} = ${i};`).join('\n');
      const result = chunks(doc, 'code');
      assert.ok(result.length >= Math.ceil(20 / SHIPPED_STRATEGY.codeLines), `${result.length} chunks`);
      for (const c of result) assert.ok(c.endLine - c.startLine + 1 <= SHIPPED_STRATEGY.codeLines);
      assert.equal(result.map((c) => c.text).join('\n'), doc);
    });
  });

  describe('long lines', () => {
    const json = JSON.stringify(Array.from({ length: 2500 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })));
    const minified = Array.from({ length: 3000 }, (_, i) => `var a${i}=${i};function f${i}(x){return x+a${i}}`).join('');

    for (const [name, doc, kind] of [
      ['a 50 kB one-line JSON', json, 'code'],
      ['minified JavaScript without spaces', minified, 'code'],
      ['an unpunctuated line of text', 'word '.repeat(5000), 'text'],
      ['a long Markdown paragraph', `${'lorem ipsum dolor '.repeat(400)}`, 'markdown'],
    ] as const) {
      it(`cuts ${name} into chunks of at most ${SHIPPED_STRATEGY.maxChars} characters covering it`, () => {
        const result = chunks(doc, kind);
        assert.ok(result.length >= Math.ceil(doc.trim().length / SHIPPED_STRATEGY.maxChars), `${result.length} chunks for ${doc.length} chars`);
        for (const c of result) assert.ok(c.text.length <= SHIPPED_STRATEGY.maxChars, `${c.text.length} chars`);
        assert.equal(nonSpace(texts(result).join('')), nonSpace(doc));
      });
    }

    it('reads a long paragraph in windows without changing its sentences', () => {
      const sentences = Array.from({ length: 600 }, (_, i) => `Sentence number ${i} talks about item ${i * 7}${i % 3 === 0 ? '!' : '.'}`);
      const doc = sentences.join(' ');
      assert.ok(doc.length > 4 * 4096);
      assert.deepEqual(texts(chunks(doc)), sentences);
    });

    it('never splits a surrogate pair', () => {
      const doc = '😀'.repeat(3000);
      const result = chunks(doc, 'code');
      for (const c of result) assert.doesNotMatch(c.text, /^[\udc00-\udfff]|[\ud800-\udbff]$/);
      assert.equal(texts(result).join(''), doc);
    });
  });

  it('is deterministic', () => {
    const doc = 'Alpha beta. Gamma delta!\n\n# Heading\n\nMore text here? Yes.\n';
    for (const kind of ['text', 'markdown', 'code'] as const) assert.deepEqual(chunkDocument(doc, { kind }), chunkDocument(doc, { kind }));
  });

  it('has a version to invalidate indexes with', () => {
    assert.match(CHUNKER_VERSION, /^\S+$/);
    assert.notEqual(CHUNKER_VERSION, 'TODO');
  });
});

describe('window helpers', () => {
  const span = (start: number, end: number) => ({ start, end });

  it('joins a short sentence to the next, or to the previous when it is last', () => {
    const text = 'x'.repeat(60);
    assert.deepEqual(mergeShortSpans(text, [span(0, 4), span(5, 30), span(31, 35)], 10), [span(0, 35)]);
    assert.deepEqual(mergeShortSpans(text, [span(0, 20), span(21, 24), span(25, 50)], 10), [span(0, 20), span(21, 50)]);
    assert.deepEqual(mergeShortSpans(text, [span(0, 3)], 10), [span(0, 3)]);
    assert.deepEqual(mergeShortSpans(text, [span(0, 3), span(4, 6)], 10), [span(0, 6)]);
  });

  it('counts Han, kana and Hangul characters three times', () => {
    const text = '今天天气很好。好的 abc';
    assert.equal(weightedLength(text, span(0, 7)), 19);
    assert.equal(weightedLength(text, span(7, 13)), 10);
  });

  it('slides windows to the last sentence', () => {
    const s = [span(0, 1), span(2, 3), span(4, 5), span(6, 7), span(8, 9)];
    assert.deepEqual(spanWindows(s, 2, 2), [span(0, 3), span(4, 7), span(8, 9)]);
    assert.deepEqual(spanWindows(s, 2, 1), [span(0, 3), span(2, 5), span(4, 7), span(6, 9)]);
    assert.deepEqual(spanWindows(s, 0, 1), [span(0, 9)]);
    assert.deepEqual(spanWindows([], 2, 1), []);
  });
});

describe('splitChunk', () => {
  /** Splits until every piece is at most `max` characters, as the indexer does with word pieces. */
  function splitUntil(chunk: TextChunk, max: number): TextChunk[] {
    const pieces = splitChunk(chunk);
    if (chunk.text.length <= max || pieces.length < 2) return pieces;
    return pieces.flatMap((p) => splitUntil(p, max));
  }

  function assertCovers(chunk: TextChunk, pieces: readonly TextChunk[]): void {
    assert.equal(nonSpace(texts(pieces).join('')), nonSpace(chunk.text));
    for (const p of pieces) {
      assert.ok(p.text.trim().length > 0);
      assert.ok(p.startLine >= chunk.startLine && p.endLine <= chunk.endLine && p.startLine <= p.endLine);
    }
  }

  it('splits at the sentence boundary nearest the middle, keeping line numbers', () => {
    const chunk = { text: 'One sentence here.\nTwo sentences there. Three.', startLine: 5, endLine: 6 };
    const pieces = splitChunk(chunk);
    assert.deepEqual(pieces, [
      { text: 'One sentence here.', startLine: 5, endLine: 5 },
      { text: 'Two sentences there. Three.', startLine: 6, endLine: 6 },
    ]);
  });

  it('splits lines when there is one sentence', () => {
    const chunk = { text: 'a = 1\r\nb = 2\r\nc = 3\r\nd = 4', startLine: 10, endLine: 13 };
    const pieces = splitChunk(chunk);
    assert.deepEqual(pieces, [
      { text: 'a = 1\r\nb = 2', startLine: 10, endLine: 11 },
      { text: 'c = 3\r\nd = 4', startLine: 12, endLine: 13 },
    ]);
  });

  it('splits characters in one line, at whitespace near the middle when there is some', () => {
    assert.deepEqual(texts(splitChunk({ text: 'abcd efgh', startLine: 1, endLine: 1 })), ['abcd', 'efgh']);
    assert.deepEqual(texts(splitChunk({ text: 'abcdefgh', startLine: 2, endLine: 2 })), ['abcd', 'efgh']);
  });

  it('returns a single character as it is, so a caller looping to fit stops', () => {
    assert.deepEqual(splitChunk({ text: 'x', startLine: 3, endLine: 3 }), [{ text: 'x', startLine: 3, endLine: 3 }]);
    assert.deepEqual(splitChunk({ text: '😀', startLine: 3, endLine: 3 }), [{ text: '😀', startLine: 3, endLine: 3 }]);
  });

  it('covers the text of any chunk down to small pieces', () => {
    const source = chunkDocument(`${'A fairly long sentence about nothing in particular. '.repeat(30)}\n${'x=1;'.repeat(300)}\n`, { kind: 'text' });
    for (const chunk of source) {
      const pieces = splitUntil(chunk, 40);
      assertCovers(chunk, pieces);
      for (const p of pieces) assert.ok(p.text.length <= 40, `${p.text.length}`);
    }
  });
});

describe('documentKindOf', () => {
  it('chooses from the extension or the file name', () => {
    assert.equal(documentKindOf('docs/guide.md'), 'markdown');
    assert.equal(documentKindOf('C:\\repo\\README.MARKDOWN'), 'markdown');
    assert.equal(documentKindOf('page.mdx'), 'markdown');
    assert.equal(documentKindOf('src/a.ts'), 'code');
    assert.equal(documentKindOf('tool.py'), 'code');
    assert.equal(documentKindOf('data.json'), 'code');
    assert.equal(documentKindOf('Dockerfile'), 'code');
    assert.equal(documentKindOf('notes.txt'), 'text');
    assert.equal(documentKindOf('LICENSE'), 'text');
    assert.equal(documentKindOf('.gitignore'), 'text');
  });
});
