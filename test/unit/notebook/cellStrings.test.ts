// Every message of the cell language (errors, hover docs, labels, completion details) is in the English and
// Simplified Chinese bundles with the same placeholders, and a problem renders in Chinese, syntax hint included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkCell } from '../../../src/notebook/cellLanguage';
import { CELL_MESSAGES, HOVER_DOCS, HOVER_LABELS, RUN_MESSAGES, SYNTAX_HINTS, renderMessage } from '../../../src/notebook/cellMessages';
import { DirectiveError } from '../../../src/notebook/directiveRunner';
import { COMPARE_LABELS } from '../../../src/notebook/resultOutputs';
import { repoRoot } from '../../helpers/sharedPaths';

const bundle = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', file), 'utf8')) as Record<string, string>;
const placeholders = (text: string) => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

describe('cell language strings', () => {
  const english = bundle('bundle.l10n.json');
  const chinese = bundle('bundle.l10n.zh-cn.json');

  it('every message, hint, hover doc and label is in both bundles with the same placeholders', () => {
    const messages = [CELL_MESSAGES, SYNTAX_HINTS, HOVER_DOCS, HOVER_LABELS, RUN_MESSAGES]
      .flatMap((table) => Object.values(table) as string[])
      .filter((m) => m !== '{0}');
    messages.push(...Object.values(COMPARE_LABELS).flatMap((label) => [label.title, label.value]));
    const sources = ['src/notebook/cellCompletions.ts', 'src/notebook/notebookController.ts'].map((f) => fs.readFileSync(path.join(repoRoot, f), 'utf8'));
    for (const source of sources) {
      for (const m of source.matchAll(/(?:detail: |l10n\.t\(|translate\()\s*'((?:[^'\\]|\\.)*)'/g)) messages.push(m[1]!.replace(/\\'/g, "'"));
    }
    assert.ok(messages.length > 80, `only ${messages.length} messages found`);
    for (const message of messages) {
      assert.equal(english[message], message, `English bundle lacks ${message}`);
      assert.equal(typeof chinese[message], 'string', `Chinese bundle lacks ${message}`);
      assert.notEqual(chinese[message], message, `not translated: ${message}`);
      assert.deepEqual(placeholders(chinese[message]!), placeholders(message), message);
    }
  });

  it('an error found while a cell runs renders in Chinese, and in English for logs', () => {
    const zh = (message: string, ...args: Array<string | number | boolean>) =>
      (chinese[message] ?? message).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
    const error = new DirectiveError(2, 'noCorpusDefined', 'faqs', 'faq, docs');
    assert.equal(error.message, 'Line 2: no corpus named "faqs" in this notebook\'s session; run a cell "corpus faqs" first (defined: faq, docs).');
    assert.equal(error.translated(zh), zh('Line {0}: {1}', 2, '本笔记本的会话中没有名为 “faqs” 的语料库；请先运行单元格 “corpus faqs”（已定义：faq, docs）。'));
    assert.match(error.translated(zh), /本笔记本/);
  });

  it('a problem renders in Chinese, its syntax hint translated too', () => {
    const zh = (message: string, ...args: Array<string | number | boolean>) =>
      (chinese[message] ?? message).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
    const [problem] = checkCell('compare\n# nothing').problems;
    assert.equal(
      renderMessage(problem!.message, problem!.args, zh),
      '“compare”下方需要文本，每行一条（或 @file <路径>）；应为 `compare`，下方为文本（每行一条），或 `compare <语料库>`。',
    );
  });
});
