import assert from 'node:assert/strict';
import { english, fillPlaceholders } from '../../../src/shared/translate';
import { formatTemplate } from '../../../media/src/webview/formatting';

describe('fillPlaceholders (the one {0} fill)', () => {
  it('fills each placeholder by index, repeated and out of order', () => {
    assert.equal(fillPlaceholders('{1} of {0}, {1} again', 10, 3), '3 of 10, 3 again');
  });

  it('leaves a placeholder without an argument visible instead of "undefined" or nothing', () => {
    assert.equal(fillPlaceholders('Top {0} of {1}', 3), 'Top 3 of {1}');
    assert.equal(fillPlaceholders('{0}'), '{0}');
  });

  it('writes falsy arguments as themselves and does not fill placeholders inside an argument', () => {
    assert.equal(fillPlaceholders('{0}|{1}|{2}', 0, false, ''), '0|false|');
    assert.equal(fillPlaceholders('{0} {1}', '{1}', 'x'), '{1} x');
  });

  it('is what the English translator (host, commands, notebook) and the webview use, so they cannot drift apart', () => {
    assert.equal(english, fillPlaceholders);
    assert.equal(formatTemplate, fillPlaceholders);
  });
});
