// `search <query>` with `@workspace`: the runner asks the workspace index (no encoding of its own), and the output
// lists each chunk with its file and lines.
import assert from 'node:assert/strict';
import { parseCell } from '../../../src/notebook/cellLanguage';
import { DirectiveError, runDirective, type DirectiveContext, type DirectiveResult } from '../../../src/notebook/directiveRunner';
import { outputItemsFromJson, outputItemsOf, resultDocument } from '../../../src/notebook/resultOutputs';

function context(searchWorkspace?: DirectiveContext['searchWorkspace']): DirectiveContext {
  return {
    encode: async () => assert.fail('a workspace search encodes through the index, not the cell'),
    readTextFile: async () => assert.fail('no file is read'),
    corpora: new Map(),
    searchWorkspace,
    signal: new AbortController().signal,
  };
}

describe('search @workspace directive', () => {
  it('passes the query and @top to the index and returns its hits', async () => {
    const asked: [string, number][] = [];
    const result = await runDirective(
      parseCell('search where is the model loaded?\n@workspace\n@top 2'),
      context(async (query, top) => {
        asked.push([query, top]);
        return { chunks: 40, hits: [{ path: 'docs/guide.md', startLine: 3, endLine: 7, text: 'The engine loads the model.', score: 0.71 }] };
      }),
    );
    assert.deepEqual(asked, [['where is the model loaded?', 2]]);
    assert.equal(result.kind, 'searchWorkspace');
  });

  it('outside VS Code (no index) the cell says so at the @workspace line', async () => {
    await assert.rejects(runDirective(parseCell('search q\n@workspace'), context()), (e: DirectiveError) => e.line === 2 && /workspace index/.test(e.detail));
  });

  it('renders rank, score, text and file:lines; the saved JSON gives back the same outputs', () => {
    const result: DirectiveResult = {
      kind: 'searchWorkspace',
      query: 'model loading',
      chunks: 40,
      top: 5,
      hits: [
        { path: 'docs/guide.md', startLine: 3, endLine: 7, text: 'The engine loads the model.', score: 0.71 },
        { path: 'notes.txt', startLine: 1, endLine: 1, text: 'Lunch at noon.', score: 0.05 },
      ],
    };
    const document = resultDocument(result);
    assert.equal(document.kind, 'searchWorkspace');
    const items = outputItemsOf(result);
    const markdown = items.find((i) => i.mime === 'text/markdown')!.text;
    assert.match(markdown, /Search: "model loading" in the workspace index \(40 chunks\)/);
    assert.match(markdown, /\| 1 \| 0\.71 \| The engine loads the model\. \| docs/);
    assert.match(markdown, /guide\.md:3-7 \|/);
    assert.match(markdown, /notes\.txt:1 \|/);
    const json = items.find((i) => i.mime === 'application/json')!.text;
    assert.deepEqual(outputItemsFromJson(json), items);
  });
});
