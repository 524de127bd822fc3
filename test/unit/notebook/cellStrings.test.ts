// Every message of the cell language (errors, hover docs, labels, completion details) is in the English and
// Simplified Chinese bundles with the same placeholders, and a problem renders in Chinese, syntax hint included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkCell } from '../../../src/notebook/cellLanguage';
import { CELL_MESSAGES, HOVER_DOCS, HOVER_LABELS, SYNTAX_HINTS, renderMessage } from '../../../src/notebook/cellMessages';
import { repoRoot } from '../../helpers/sharedPaths';

const bundle = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', file), 'utf8')) as Record<string, string>;
const placeholders = (text: string) => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

describe('cell language strings', () => {
  const english = bundle('bundle.l10n.json');
  const chinese = bundle('bundle.l10n.zh-cn.json');

  it('every message, hint, hover doc and label is in both bundles with the same placeholders', () => {
    const messages = [CELL_MESSAGES, SYNTAX_HINTS, HOVER_DOCS, HOVER_LABELS].flatMap((table) => Object.values(table) as string[]);
    const sources = ['src/notebook/cellCompletions.ts', 'src/notebook/notebookController.ts'].map((f) => fs.readFileSync(path.join(repoRoot, f), 'utf8'));
    for (const source of sources) {
      for (const m of source.matchAll(/(?:detail: |l10n\.t\(|translate\()'((?:[^'\\]|\\.)*)'/g)) messages.push(m[1]!.replace(/\\'/g, "'"));
    }
    assert.ok(messages.length > 80, `only ${messages.length} messages found`);
    for (const message of messages) {
      assert.equal(english[message], message, `English bundle lacks ${message}`);
      assert.equal(typeof chinese[message], 'string', `Chinese bundle lacks ${message}`);
      assert.notEqual(chinese[message], message, `not translated: ${message}`);
      assert.deepEqual(placeholders(chinese[message]!), placeholders(message), message);
    }
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
