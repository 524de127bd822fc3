import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENGLISH_STRINGS } from '../../../src/shared/studioUiStrings';
import { repoRoot } from '../../helpers/sharedPaths';

const bundle = (name: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'l10n', name), 'utf8')) as Record<string, string>;

describe('Studio webview strings', () => {
  const english = bundle('bundle.l10n.json');
  const chinese = bundle('bundle.l10n.zh-cn.json');
  const placeholders = (text: string) => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

  it('every webview string is in the English and Simplified Chinese bundles, with the same placeholders', () => {
    for (const text of Object.values(ENGLISH_STRINGS)) {
      assert.equal(english[text], text, `English bundle: ${text}`);
      assert.equal(typeof chinese[text], 'string', `Chinese bundle: ${text}`);
      assert.deepEqual(placeholders(chinese[text]), placeholders(text), text);
    }
  });

  it('the score bands read in Chinese as the original tool did', () => {
    assert.equal(chinese[ENGLISH_STRINGS['band.veryHigh']], '非常相似');
    assert.equal(chinese[ENGLISH_STRINGS['band.none']], '不相关');
  });
});
