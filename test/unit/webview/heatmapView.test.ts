import assert from 'node:assert/strict';
import type { MatrixView } from '../../../src/shared/studioProtocol';
import { ENGLISH_STRINGS, type StringKey } from '../../../src/shared/studioUiStrings';
import { formatTemplate } from '../../../media/src/webview/formatting';
import { heatmapOrder, matrixSummary, offDiagonalRange } from '../../../media/src/webview/heatmapView';

const t = (key: StringKey, ...args: Array<string | number>) => formatTemplate(ENGLISH_STRINGS[key], ...args);

describe('Examples heatmap view', () => {
  it('takes the scale range off the diagonal', () => {
    assert.deepEqual(
      offDiagonalRange([
        [1, 0.2, -0.1],
        [0.2, 1, 0.7],
        [-0.1, 0.7, 1],
      ]),
      { min: -0.1, max: 0.7 },
    );
    assert.deepEqual(offDiagonalRange([[1]]), { min: 0, max: 1 });
  });

  it('orders heatmap rows by the cluster order only when it is a valid permutation', () => {
    const view = { texts: ['a', 'b', 'c'], clusterOrder: [2, 0, 1] } as MatrixView;
    assert.deepEqual(heatmapOrder(view, true), [2, 0, 1]);
    assert.deepEqual(heatmapOrder(view, false), [0, 1, 2]);
    assert.deepEqual(heatmapOrder({ ...view, clusterOrder: [0, 0, 1] }, true), [0, 1, 2]);
  });

  it('says where a matrix came from once: the texts of a command do not read "5 texts · 5 texts"', () => {
    const view = { origin: 'texts', title: '5 texts', texts: ['a', 'b', 'c', 'd', 'e'], model: 'all-MiniLM-L6-v2', dtype: 'fp32' } as MatrixView;
    assert.equal(matrixSummary(view, t), 'Selected texts · 5 texts · all-MiniLM-L6-v2 fp32');
    const run = { ...view, origin: 'run', title: 'test_20261207_011128.json', timings: { encode: 570.3 } } as MatrixView;
    assert.equal(matrixSummary(run, t), 'test_20261207_011128.json · 5 texts · all-MiniLM-L6-v2 fp32 · encode 570.3 ms');
  });
});
