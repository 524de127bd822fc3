import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIRECTIVES } from '../../../src/notebook/cellLanguage';

function repoFile(...parts: string[]): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, ...parts);
    if (fs.existsSync(path.join(dir, 'esbuild.mjs'))) return file;
  }
  throw new Error('repository root not found');
}

interface Rule {
  match?: string;
  name?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
}

describe('minilm grammar and snippets', () => {
  const grammar = JSON.parse(fs.readFileSync(repoFile('syntaxes', 'minilm.tmLanguage.json'), 'utf8')) as {
    scopeName: string;
    repository: Record<string, Rule>;
  };
  const pkg = JSON.parse(fs.readFileSync(repoFile('package.json'), 'utf8'));

  it('is the grammar package.json declares', () => {
    const declared = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'minilm');
    assert.equal(declared.scopeName, grammar.scopeName);
    assert.equal(path.normalize(declared.path), path.normalize('./syntaxes/minilm.tmLanguage.json'));
  });

  it('every pattern compiles, and each directive line is matched by a directive rule', () => {
    const all: RegExp[] = [];
    const visit = (rule: Rule) => {
      if (rule.match) all.push(new RegExp(rule.match));
      rule.patterns?.forEach(visit);
      Object.values(rule.captures ?? {}).forEach(visit);
    };
    Object.values(grammar.repository).forEach(visit);
    assert.ok(all.length > 8);
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
      const rules = ['directive', 'search', 'cluster', 'corpus'].map((k) => new RegExp(grammar.repository[k].match!));
      const m = rules.map((r) => r.exec(lines[directive])).find(Boolean);
      assert.ok(m, `no rule matches "${lines[directive]}"`);
      assert.equal(m![1], directive);
    }
    assert.ok(new RegExp(grammar.repository.comment.match!).test('  # a comment'));
    assert.ok(new RegExp(grammar.repository.option.match!).test('@file data/x.txt'));
  });

  it('snippets cover every directive', () => {
    const snippets = JSON.parse(fs.readFileSync(repoFile('snippets', 'minilm.code-snippets'), 'utf8')) as Record<string, { prefix: string }>;
    const prefixes = new Set(Object.values(snippets).map((s) => s.prefix.split(' ')[0]));
    for (const directive of DIRECTIVES) assert.ok(prefixes.has(directive), `no snippet for ${directive}`);
  });
});
