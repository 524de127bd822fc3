import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar } from 'vscode-textmate';
import { DIRECTIVES } from '../../../src/notebook/cellLanguage';

function repoFile(...parts: string[]): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, ...parts);
    if (fs.existsSync(path.join(dir, 'esbuild.mjs'))) return file;
  }
  throw new Error('repository root not found');
}

let grammarPromise: Promise<IGrammar> | undefined;

/** The grammar as VS Code runs it: vscode-textmate with the Oniguruma regular expressions (\\G, look-arounds). */
function loadGrammar(): Promise<IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: async () => {
        const file = repoFile('syntaxes', 'minilm.tmLanguage.json');
        return parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      },
    });
    return (await registry.loadGrammar('source.minilm'))!;
  })();
  return grammarPromise;
}

/** Each line of a cell as [text, innermost scope] tokens, blanks dropped. */
async function tokenize(cell: string): Promise<[string, string][][]> {
  const grammar = await loadGrammar();
  let state = INITIAL;
  return cell.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens
      .map((t): [string, string] => [line.slice(t.startIndex, t.endIndex), t.scopes.at(-1)!])
      .filter(([text]) => text.trim() !== '')
      .map(([text, scope]): [string, string] => [text.trim(), scope]);
  });
}

describe('minilm grammar and snippets', () => {
  const grammar = JSON.parse(fs.readFileSync(repoFile('syntaxes', 'minilm.tmLanguage.json'), 'utf8')) as {
    scopeName: string;
    repository: Record<string, unknown>;
  };
  const pkg = JSON.parse(fs.readFileSync(repoFile('package.json'), 'utf8'));

  it('is the grammar package.json declares', () => {
    const declared = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'minilm');
    assert.equal(declared.scopeName, grammar.scopeName);
    assert.equal(path.normalize(declared.path), path.normalize('./syntaxes/minilm.tmLanguage.json'));
  });

  it('colours the directive line of each directive, its corpus and numbers, and comments, escapes and options below', async () => {
    const lines: Record<string, string> = {
      compare: 'compare docs',
      similarity: 'similarity',
      explain: 'explain',
      search: 'search what is a neural network? in docs',
      encode: 'encode',
      mine: 'mine docs top 5 max 10',
      cluster: 'cluster 0.75 in docs min 2',
      corpus: 'corpus docs',
    };
    for (const directive of DIRECTIVES) {
      const [head] = await tokenize(`# a comment\n\n  ${lines[directive]}`).then((t) => t.slice(2));
      assert.deepEqual(
        head.find(([text]) => text === directive),
        [directive, 'keyword.control.directive.minilm'],
        lines[directive],
      );
      if (lines[directive].endsWith('docs'))
        assert.deepEqual(
          head.find(([text]) => text === 'docs'),
          ['docs', directive === 'corpus' ? 'entity.name.type.corpus.minilm' : 'variable.other.corpus.minilm'],
        );
    }
    const body = await tokenize('compare\n# note\n\\# a text\n@file data/x.txt\n@top 3');
    assert.deepEqual(body[1], [
      ['#', 'punctuation.definition.comment.minilm'],
      ['note', 'comment.line.number-sign.minilm'],
    ]);
    assert.deepEqual(body[2]![0], ['\\', 'constant.character.escape.minilm']);
    assert.deepEqual(body[3]![0], ['@file', 'keyword.other.option.minilm']);
    assert.deepEqual(body[4]!.at(-1), ['3', 'constant.numeric.integer.minilm']);
    const upper = await tokenize('Search q\n@TOP 2\nx');
    assert.deepEqual(
      [upper[0]![0], upper[1]![0]],
      [
        ['Search', 'keyword.control.directive.minilm'],
        ['@TOP', 'keyword.other.option.minilm'],
      ],
      'the parser ignores case',
    );
  });

  it('colours only the real directive: not a text below it that reads like one, nor an unknown first word', async () => {
    const below = await tokenize('similarity\nsearch for the meaning\ncompare apples');
    assert.deepEqual(below[0], [['similarity', 'keyword.control.directive.minilm']]);
    assert.deepEqual(below.slice(1), [[['search for the meaning', 'source.minilm']], [['compare apples', 'source.minilm']]]);
    const unknown = await tokenize('foo bar\ncompare\n@top 3');
    assert.deepEqual(unknown[0], [['foo bar', 'source.minilm']]);
    assert.deepEqual(unknown[1], [['compare', 'source.minilm']]);
    assert.deepEqual(unknown[2]![0], ['@top', 'keyword.other.option.minilm']);
    const options = await tokenize('search q\n@limit 3');
    assert.deepEqual(options[1], [['@limit 3', 'source.minilm']], 'an unknown option');
  });

  it('snippets cover every directive', () => {
    const snippets = JSON.parse(fs.readFileSync(repoFile('snippets', 'minilm.code-snippets'), 'utf8')) as Record<string, { prefix: string }>;
    const prefixes = new Set(Object.values(snippets).map((s) => s.prefix.split(' ')[0]));
    for (const directive of DIRECTIVES) assert.ok(prefixes.has(directive), `no snippet for ${directive}`);
  });
});
