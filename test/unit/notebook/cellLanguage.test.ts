import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CellSyntaxError, checkCell, definedCorpus, definedCorpusName, parseCell, type Directive } from '../../../src/notebook/cellLanguage';
import { renderMessage } from '../../../src/notebook/cellMessages';
import { english } from '../../../src/shared/translate';

function texts(d: Directive): string[] {
  if (d.kind === 'similarity' || d.kind === 'explain') return d.texts.map((t) => t.text);
  return d.input.texts.map((t) => t.text);
}

function syntaxError(source: string, line: number, message: RegExp) {
  assert.throws(
    () => parseCell(source),
    (error: unknown) => {
      assert.ok(error instanceof CellSyntaxError, `expected CellSyntaxError, got ${String(error)}`);
      assert.equal(error.line, line, `line of "${error.message}"`);
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('minilm cell language', () => {
  it('compare: every following non-empty line is a text; comments and blanks are skipped', () => {
    const d = parseCell('# my comparison\n\ncompare\nA cat sits.\n\n# not a text\nA dog runs.\n  \\# a hash text  \n\\@ at text\n');
    assert.equal(d.kind, 'compare');
    assert.equal(d.line, 3);
    assert.deepEqual(texts(d), ['A cat sits.', 'A dog runs.', '# a hash text', '@ at text']);
    assert.deepEqual(d.kind === 'compare' && d.input.texts.map((t) => t.line), [4, 7, 8, 9]);
  });

  it('compare <corpus> and compare in <corpus> reuse a named corpus', () => {
    for (const source of ['compare docs', 'compare in docs']) {
      const d = parseCell(source);
      assert.ok(d.kind === 'compare' && d.input.corpus?.name === 'docs' && d.input.texts.length === 0);
    }
  });

  it('similarity takes exactly two texts', () => {
    const d = parseCell('similarity\nfirst\nsecond');
    assert.deepEqual(d.kind === 'similarity' && d.texts.map((t) => [t.text, t.line]), [
      ['first', 2],
      ['second', 3],
    ]);
    syntaxError('similarity\nonly one', 3, /expected two texts/);
    syntaxError('similarity\na\nb\nc', 4, /exactly two texts/);
  });

  it('explain takes exactly two texts, no corpus', () => {
    const d = parseCell('# why?\nexplain\nA cat sat.\nA kitten sits.');
    assert.deepEqual(d.kind === 'explain' && d.texts.map((t) => [t.text, t.line]), [
      ['A cat sat.', 3],
      ['A kitten sits.', 4],
    ]);
    syntaxError('explain\nonly one', 3, /expected two texts below "explain"/);
    syntaxError('explain\na\nb\nc', 4, /explain compares exactly two texts/);
    syntaxError('explain docs\na\nb', 1, /explain/);
  });

  it('search: query on the directive line, candidates, @file and @top below', () => {
    const d = parseCell('search how do plants grow?\n@top 3\nPhotosynthesis\n@file data/faq.txt\nCars');
    assert.ok(d.kind === 'search');
    assert.equal(d.query, 'how do plants grow?');
    assert.equal(d.top, 3);
    assert.deepEqual(texts(d), ['Photosynthesis', 'Cars']);
    assert.deepEqual(d.input.files, [{ path: 'data/faq.txt', line: 4 }]);
  });

  it('a lone CR or a Unicode line separator inside a line is part of the text, not a crash', () => {
    // `.` in a regular expression stops at \r and U+2028; these lines were found by the fast-check property below.
    const d = parseCell('search first\rsecond\u2028third in docs');
    assert.ok(d.kind === 'search');
    assert.equal(d.query, 'first\rsecond\u2028third');
    assert.equal(d.input.corpus?.name, 'docs');
    const option = parseCell('search q\n@top 2\r\u2028\nx');
    assert.ok(option.kind === 'search' && option.top === 2);
    syntaxError('\u0000\u000b\u0000\r\u0000', 1, /unknown directive/);
  });

  it('search <query> in <corpus>, and a quoted query keeps a literal trailing "in word"', () => {
    const d = parseCell('search neural networks in ml_notes');
    assert.ok(d.kind === 'search' && d.query === 'neural networks' && d.input.corpus?.name === 'ml_notes');
    const q = parseCell('search "what is in box"\ncandidate');
    assert.ok(q.kind === 'search' && q.query === 'what is in box' && q.input.corpus === undefined);
    const both = parseCell('search "a \\"quoted\\" query" in docs');
    assert.ok(both.kind === 'search' && both.query === 'a "quoted" query' && both.input.corpus?.name === 'docs');
  });

  it('mine and cluster take options on the directive line or as @ lines', () => {
    const m = parseCell('mine top 3 max 20\na\nb');
    assert.ok(m.kind === 'mine' && m.top === 3 && m.max === 20);
    const m2 = parseCell('mine docs');
    assert.ok(m2.kind === 'mine' && m2.input.corpus?.name === 'docs' && m2.top === 10 && m2.max === 50);
    const c = parseCell('cluster 0.7 in docs min 3');
    assert.ok(c.kind === 'cluster' && c.threshold === 0.7 && c.minSize === 3 && c.input.corpus?.name === 'docs');
    const c2 = parseCell('cluster 0.5\n@min 4\nx\ny');
    assert.ok(c2.kind === 'cluster' && c2.minSize === 4 && c2.input.texts.length === 2);
  });

  it('corpus <name> defines a corpus from the lines below or @file', () => {
    const d = parseCell('corpus faq\nQ1\n@file faq.txt');
    assert.ok(d.kind === 'corpus' && d.name === 'faq' && d.input.texts.length === 1 && d.input.files.length === 1);
    assert.equal(definedCorpusName('# defines\ncorpus faq\nQ1'), 'faq');
    assert.equal(definedCorpusName('compare\nx'), undefined);
  });

  it('encode accepts texts or a corpus', () => {
    assert.deepEqual(texts(parseCell('encode\nx\ny')), ['x', 'y']);
    const d = parseCell('encode docs');
    assert.ok(d.kind === 'encode' && d.input.corpus?.name === 'docs');
  });

  describe('errors name the line and what was expected', () => {
    const cases: [string, string, number, RegExp][] = [
      ['an empty cell', '', 1, /expected a directive/],
      ['comments only', '# nothing\n# here', 1, /expected a directive/],
      ['a typo', '\n# c\ncomapre\nx', 3, /unknown directive "comapre".*did you mean "compare"/],
      ['compare without texts', 'compare\n# none', 2, /expected texts below "compare"/],
      ['search without query', 'search\nx', 1, /expected a query/],
      ['search in a quoted corpus with candidates', 'search "q" in docs\nstray', 2, /takes no texts/],
      ['a bad @top', 'search q\n@top zero\nx', 2, /positive whole number/],
      ['@top 0', 'search q\n@top 0\nx', 2, /positive whole number/],
      ['an unknown option', 'compare\n@limit 3\nx', 2, /unknown option "@limit"/],
      ['an option the directive does not take', 'compare\n@top 3\nx', 2, /does not take "@top"/],
      ['cluster without threshold', 'cluster\nx', 1, /threshold/],
      ['cluster threshold out of range', 'cluster 1.5\nx', 1, /between -1 and 1/],
      ['corpus without name', 'corpus\nx', 1, /expected a name/],
      ['corpus without texts', 'corpus faq', 2, /texts of corpus "faq"/],
      ['a bad corpus name', 'compare 9lives', 1, /not a corpus name/],
      ['@file without path', 'encode\n@file', 2, /workspace-relative path/],
      ['an option given twice', 'mine top 3\n@top 4\nx', 2, /given on line 1/],
      ['unterminated quoted query', 'search "abc\nx', 1, /closing quote/],
    ];
    for (const [name, source, line, message] of cases) it(name, () => syntaxError(source, line, message));
  });

  it('never throws anything but CellSyntaxError, and errors stay within the cell', () => {
    const word = fc.constantFrom(
      'compare',
      'similarity',
      'explain',
      'search',
      'encode',
      'mine',
      'cluster',
      'corpus',
      'in',
      'top',
      'max',
      'min',
      '@file',
      '@top',
      '#',
      '\\',
      '0.5',
      '3',
      '"',
      'docs',
    );
    const line = fc.oneof(
      fc.array(word, { maxLength: 5 }).map((w) => w.join(' ')),
      fc.string({ unit: 'binary', maxLength: 15 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const source = lines.join(eol);
        for (const problem of checkCell(source).problems) {
          const text = source.split(/\r?\n/)[problem.line - 1] ?? '';
          assert.ok(problem.start >= 0 && problem.start <= problem.end && problem.end <= text.length, JSON.stringify(problem));
        }
        try {
          const d = parseCell(source);
          assert.ok(d.line >= 1 && d.line <= lines.length);
        } catch (error) {
          assert.ok(error instanceof CellSyntaxError, String(error));
          assert.ok(error.line >= 1 && error.line <= Math.max(lines.length, 1) + 1, `line ${error.line} of ${lines.length}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('search with @workspace', () => {
  it('parses: the query on the directive line, @workspace and @top below', () => {
    const directive = parseCell('search how are models loaded?\n@workspace\n@top 3');
    assert.equal(directive.kind, 'search');
    if (directive.kind !== 'search') return;
    assert.equal(directive.query, 'how are models loaded?');
    assert.deepEqual(directive.input.workspace, { line: 2 });
    assert.deepEqual(directive.input.texts, []);
    assert.equal(directive.top, 3);
  });

  it('refuses texts, @file or a corpus next to @workspace, naming the line', () => {
    assert.throws(
      () => parseCell('search q\n@workspace\na text'),
      (e: CellSyntaxError) => e.line === 3 && /@workspace/.test(e.detail),
    );
    assert.throws(
      () => parseCell('search q\n@file a.txt\n@workspace'),
      (e: CellSyntaxError) => e.line === 2,
    );
    assert.throws(
      () => parseCell('search "q" in faq\n@workspace'),
      (e: CellSyntaxError) => e.line === 2 && /corpus "faq"/.test(e.detail),
    );
    assert.throws(
      () => parseCell('search q\n@workspace docs'),
      (e: CellSyntaxError) => e.line === 2 && /takes nothing after it/.test(e.detail),
    );
    assert.throws(
      () => parseCell('search q\n@workspace\n@workspace'),
      (e: CellSyntaxError) => e.line === 3 && /twice/.test(e.detail),
    );
  });

  it('only search takes @workspace', () => {
    assert.throws(
      () => parseCell('compare\n@workspace'),
      (e: CellSyntaxError) => e.line === 2 && /does not take "@workspace"/.test(e.detail),
    );
  });
});

describe('every problem of a cell, with its range', () => {
  const describeProblems = (source: string) =>
    checkCell(source).problems.map((p) => [p.line, p.start, p.end, renderMessage(p.message, p.args, english)] as const);

  it('reports each wrong line, not only the first, sorted by line', () => {
    const problems = describeProblems('compare\n  @limit 3\n@top 3\nx\n@file\ny');
    assert.deepEqual(
      problems.map(([line, start, end]) => [line, start, end]),
      [
        [2, 2, 8],
        [3, 0, 4],
        [5, 0, 5],
      ],
    );
    assert.match(problems[0][3], /unknown option "@limit"/);
    assert.match(problems[1][3], /does not take "@top"/);
    assert.match(problems[2][3], /workspace-relative path/);
    assert.equal(checkCell('compare\n  @limit 3\n@top 3\nx\n@file\ny').directive, undefined);
  });

  it('flags the directive-line arguments by their columns', () => {
    const problems = describeProblems('cluster 1.5 in 9x top 2\na');
    assert.deepEqual(
      problems.map(([line, start, end]) => [line, start, end]),
      [
        [1, 8, 11],
        [1, 15, 17],
        [1, 18, 21],
      ],
    );
    assert.match(problems[0][3], /between -1 and 1/);
    assert.match(problems[1][3], /"9x" is not a corpus name/);
    assert.match(problems[2][3], /"cluster" does not take "top"/);
  });

  it('an unknown directive still has its unknown options flagged, and both carry the nearest names as fixes', () => {
    const { problems } = checkCell('  comapre\n@fiel x.txt\nA text');
    assert.deepEqual(
      problems.map((p) => [p.line, p.start, p.end, p.fixes]),
      [
        [1, 2, 9, ['compare']],
        [2, 0, 5, ['@file']],
      ],
    );
    assert.deepEqual(checkCell('search q\n@tpo 3\nx').problems[0].fixes, ['@top']);
    assert.equal(checkCell('xyzzy\nx').problems[0].fixes, undefined, 'nothing near enough, no fix');
  });

  it('a valid cell has no problems and a directive', () => {
    const { directive, problems } = checkCell('search q\n@top 2\nx');
    assert.deepEqual(problems, []);
    assert.equal(directive?.kind, 'search');
  });

  it('corpus references and definitions carry their columns', () => {
    const search = parseCell('search how to cook  in  recipes  ');
    assert.deepEqual(search.kind === 'search' && search.input.corpus, { name: 'recipes', line: 1, start: 24, end: 31 });
    const mine = parseCell('# x\nmine in docs top 3');
    assert.deepEqual(mine.kind === 'mine' && mine.input.corpus, { name: 'docs', line: 2, start: 8, end: 12 });
    assert.deepEqual(definedCorpus('# defines\n  corpus faq \nQ1'), { name: 'faq', line: 2, start: 9, end: 12 });
  });
});

describe('escapes: a text line may start with #, @ or \\', () => {
  it('\\# is a text starting with #, \\\\ one starting with a backslash, \\@ one starting with @', () => {
    const d = parseCell('compare\n\\# not a comment\n  \\\\ a backslash\n\\@ not an option\n# a comment');
    assert.deepEqual(texts(d), ['# not a comment', '\\ a backslash', '@ not an option']);
  });

  it('an escaped line below search is a candidate, so a trailing "in word" stays in the query', () => {
    const d = parseCell('search tags in docs\n\\#docs');
    assert.ok(d.kind === 'search' && d.query === 'tags in docs' && d.input.corpus === undefined);
    assert.deepEqual(texts(d), ['#docs']);
  });
});

describe('search: the query and the corpus are told apart', () => {
  it('with candidates below, a trailing "in <word>" is part of the query', () => {
    for (const below of ['a candidate', '@file notes.txt', '@workspace']) {
      const d = parseCell(`search things to do in Paris\n${below}`);
      assert.ok(d.kind === 'search', below);
      assert.equal(d.query, 'things to do in Paris', below);
      assert.equal(d.input.corpus, undefined, below);
    }
  });

  it('without candidates, "in <name>" names the corpus (existing notebooks keep working)', () => {
    const d = parseCell('search What will the weather be like tomorrow? in examples\n@top 5');
    assert.ok(d.kind === 'search' && d.query === 'What will the weather be like tomorrow?' && d.input.corpus?.name === 'examples' && d.top === 5);
  });

  it('a query whose last word is a corpus name (without "in") is only a query', () => {
    const d = parseCell('search show me examples\nfirst\nsecond');
    assert.ok(d.kind === 'search' && d.query === 'show me examples' && d.input.corpus === undefined);
    assert.throws(
      () => parseCell('search show me examples'),
      (e: CellSyntaxError) => e.line === 2 && /expected texts below "search"/.test(e.detail),
    );
  });

  it('a quoted query with "in <name>" after it names a corpus, so candidates below are an error', () => {
    const quoted = parseCell('search "what is in box" in docs');
    assert.ok(quoted.kind === 'search' && quoted.query === 'what is in box' && quoted.input.corpus?.name === 'docs');
    assert.throws(
      () => parseCell('search "q" in docs\nx'),
      (e: CellSyntaxError) => e.line === 2 && /reads corpus "docs"/.test(e.detail),
    );
  });
});
