import assert from 'node:assert/strict';
import { CROSS_LINGUAL_PAIRS, crossLingualSummary } from '../../../src/core';
import { Engine } from '../../../src/engine';
import { testModelDir } from '../../helpers/sharedPaths';
import { cosine } from '../../helpers/referenceFixtures';

describe('cross-lingual examples on the real all-MiniLM-L6-v2 (English-only)', function () {
  let engine: Engine;
  before(() => (engine = new Engine({ modelDir: testModelDir(), threads: 1 })));
  after(async () => engine.dispose());

  it('scores translations low: two unrelated Chinese sentences look more alike to it than a sentence and its translation', async () => {
    const scores: number[] = [];
    for (const pair of CROSS_LINGUAL_PAIRS) {
      const [a, b] = await engine.encode([pair.a, pair.b]);
      scores.push(cosine(Array.from(a!), Array.from(b!)));
    }
    const summary = crossLingualSummary(scores);
    console.log(`      mean cosine: translations ${summary.meanTranslation!.toFixed(3)}, unrelated Chinese pairs ${summary.meanUnrelatedChinese!.toFixed(3)}`);
    // The point of the examples: an English-only model gets the direction wrong, a multilingual one should not.
    assert.equal(summary.translationsFirst, false);
    assert.ok(summary.meanUnrelatedChinese! > summary.meanTranslation!, JSON.stringify(summary));
    const bestTranslation = Math.max(...scores.filter((_, k) => CROSS_LINGUAL_PAIRS[k]!.kind === 'translation'));
    const worstUnrelated = Math.min(...scores.filter((_, k) => CROSS_LINGUAL_PAIRS[k]!.kind === 'unrelated-zh'));
    assert.ok(
      worstUnrelated > bestTranslation,
      `every unrelated Chinese pair (lowest ${worstUnrelated}) ranks above every translation (highest ${bestTranslation})`,
    );
  });
});
