import assert from 'node:assert/strict';
import { downloadPercent, formatBytes, formatScore, formatTemplate } from '../../../media/src/webview/formatting';

describe('Studio number formatting', () => {
  it('formats scores, bytes, percentages and templates', () => {
    assert.equal(formatScore(0.80191234), '0.8019');
    assert.equal(formatScore(-0.00001), '0.0000');
    assert.equal(formatScore(-0.25, 2), '-0.25');
    assert.equal(formatScore(NaN), '—');
    assert.equal(formatScore(Infinity), '—');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(90_868_376), '86.7 MB');
    assert.equal(formatBytes(-1), '—');
    assert.equal(downloadPercent(50, 200), 25);
    assert.equal(downloadPercent(1, 3), 33.3);
    assert.equal(downloadPercent(300, 200), 100);
    assert.equal(downloadPercent(5, undefined), undefined);
    assert.equal(downloadPercent(5, 0), undefined);
    assert.equal(formatTemplate('Top {0} of {1}', 3, 10), 'Top 3 of 10');
    assert.equal(formatTemplate('{0} and {0}, {2}', 'a'), 'a and a, {2}');
  });
});
