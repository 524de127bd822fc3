import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineAt, nonEmptyLines, selectionTexts, splitLines } from '../../../src/commands/selectionTexts';

/** Offsets of the first occurrence of `part` in `text` (the test documents use distinct lines). */
function rangeOf(text: string, part: string): { start: number; end: number } {
  const start = text.indexOf(part);
  assert.ok(start >= 0, `"${part}" is not in the document`);
  return { start, end: start + part.length };
}

const doc = ['A man is eating food.', '', '   A man is eating bread.   ', 'The girl carries a baby.', '\t', 'A man rides a horse.'].join('\n');

describe('selectionTexts (Compare Selection)', () => {
  it('several selections: each selection is a text, trimmed, in selection order', () => {
    const result = selectionTexts(doc, [rangeOf(doc, 'The girl carries'), rangeOf(doc, ' A man is eating bread. ')]);
    assert.deepEqual(result, { kind: 'texts', texts: ['The girl carries', 'A man is eating bread.'], from: 'selections' });
  });

  it('several selections: a bare cursor stands for its line; blank results are dropped', () => {
    const cursorOnLine4 = doc.indexOf('girl');
    const cursorOnBlankLine = doc.indexOf('\t');
    const result = selectionTexts(doc, [
      { start: cursorOnLine4, end: cursorOnLine4 },
      rangeOf(doc, 'horse'),
      { start: cursorOnBlankLine, end: cursorOnBlankLine },
    ]);
    assert.deepEqual(result, { kind: 'texts', texts: ['The girl carries a baby.', 'horse'], from: 'selections' });
  });

  it('several selections that leave one text ask for a second one', () => {
    const blank = doc.indexOf('\n\n') + 1;
    assert.deepEqual(selectionTexts(doc, [rangeOf(doc, 'horse'), { start: blank, end: blank }]), { kind: 'single', text: 'horse' });
  });

  it('one selection over several lines: each non-empty line, trimmed (blank and whitespace-only lines skipped)', () => {
    const result = selectionTexts(doc, [{ start: 0, end: doc.length }]);
    assert.deepEqual(result, {
      kind: 'texts',
      texts: ['A man is eating food.', 'A man is eating bread.', 'The girl carries a baby.', 'A man rides a horse.'],
      from: 'lines',
    });
  });

  it('a reversed selection (anchor after the cursor) gives the same texts', () => {
    assert.deepEqual(selectionTexts(doc, [{ start: doc.length, end: 0 }]), selectionTexts(doc, [{ start: 0, end: doc.length }]));
  });

  it('CRLF documents split into the same lines as LF ones', () => {
    const crlf = doc.replace(/\n/g, '\r\n');
    assert.deepEqual(selectionTexts(crlf, [{ start: 0, end: crlf.length }]), selectionTexts(doc, [{ start: 0, end: doc.length }]));
  });

  it('one selection within a line is a single text', () => {
    assert.deepEqual(selectionTexts(doc, [rangeOf(doc, 'eating food')]), { kind: 'single', text: 'eating food' });
  });

  it('a multi-line selection with only one non-empty line is a single text', () => {
    const start = doc.indexOf('\n');
    const end = doc.indexOf('The girl');
    assert.deepEqual(selectionTexts(doc, [{ start, end }]), { kind: 'single', text: 'A man is eating bread.' });
  });

  it('a bare cursor stands for its line (trimmed): a single text', () => {
    const inSecondLine = doc.indexOf('eating bread') + 2;
    assert.deepEqual(selectionTexts(doc, [{ start: inSecondLine, end: inSecondLine }]), { kind: 'single', text: 'A man is eating bread.' });
    assert.deepEqual(selectionTexts('  padded  \r\nnext', [{ start: 0, end: 0 }]), { kind: 'single', text: 'padded' });
  });

  it('a bare cursor on a blank line, whitespace or no selection at all is nothing', () => {
    assert.deepEqual(selectionTexts('first\n   \nthird', [{ start: 7, end: 7 }]), { kind: 'none' });
    assert.deepEqual(selectionTexts(doc, [rangeOf(doc, '\n\t\n')]), { kind: 'none' });
    assert.deepEqual(selectionTexts(doc, []), { kind: 'none' });
    assert.deepEqual(selectionTexts('', [{ start: 0, end: 0 }]), { kind: 'none' });
  });

  it('property: texts are never empty, never padded, and each occurs in the document', () => {
    const line = fc.stringMatching(/^[ a-z\t]{0,12}$/);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 5 }), (lines, pairs) => {
        const text = lines.join('\n');
        const selections = pairs.map(([a, b]) => ({ start: a % (text.length + 1), end: b % (text.length + 1) }));
        const result = selectionTexts(text, selections);
        const texts = result.kind === 'texts' ? result.texts : result.kind === 'single' ? [result.text] : [];
        if (result.kind === 'texts') assert.ok(result.texts.length >= 2);
        for (const t of texts) {
          assert.ok(t.length > 0 && t === t.trim(), JSON.stringify(t));
          assert.ok(text.includes(t));
        }
      }),
    );
  });
});

describe('lines of a document (Find Similar candidates)', () => {
  it('splitLines counts \\n, \\r\\n and \\r as VS Code does', () => {
    assert.deepEqual(splitLines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
  });

  it('lineAt returns the whole line around an offset', () => {
    assert.equal(lineAt(doc, doc.indexOf('girl')), 'The girl carries a baby.');
    assert.equal(lineAt(doc, 0), 'A man is eating food.');
    assert.equal(lineAt(doc, doc.length), 'A man rides a horse.');
  });

  it('nonEmptyLines keeps zero-based line numbers, trims, and leaves out excluded lines', () => {
    assert.deepEqual(nonEmptyLines(doc, new Set([0])), [
      { line: 2, text: 'A man is eating bread.' },
      { line: 3, text: 'The girl carries a baby.' },
      { line: 5, text: 'A man rides a horse.' },
    ]);
  });
});
