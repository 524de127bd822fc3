import assert from 'node:assert/strict';
import { buildExampleResult, CROSS_LINGUAL_PAIRS, crossLingualSummary, EXAMPLE_TEXTS, resultFileName } from '../../../src/core/exampleSuite';
import { randomUnitVectors } from './testVectors';

describe('core/exampleSuite', () => {
  it('covers the required topics, with Chinese sentences, several texts per topic', () => {
    const topics = new Set(EXAMPLE_TEXTS.map((e) => e.topic));
    for (const t of ['machine-learning', 'deep-learning', 'nlp', 'conversation', 'weather', 'food', 'sport']) assert.ok(topics.has(t as never), t);
    for (const t of topics) assert.ok(EXAMPLE_TEXTS.filter((e) => e.topic === t).length >= 3, t);
    const chinese = EXAMPLE_TEXTS.filter((e) => e.language === 'zh');
    assert.ok(chinese.length >= 5);
    for (const e of chinese) assert.match(e.text, /[\u4e00-\u9fff]/);
    assert.equal(new Set(EXAMPLE_TEXTS.map((e) => e.text)).size, EXAMPLE_TEXTS.length, 'no duplicate texts');
  });

  it('names result files test_YYYYMMDD_HHMMSS.json in local time', () => {
    assert.equal(resultFileName(new Date(2026, 0, 5, 7, 8, 9)), 'test_20260105_070809.json');
    assert.equal(resultFileName(new Date(2025, 11, 31, 23, 59, 59)), 'test_20251231_235959.json');
    assert.match(resultFileName(), /^test_\d{8}_\d{6}\.json$/);
  });

  it('builds the result document: matrix, timings and a summary that sees topic structure', () => {
    // Fake embeddings: one direction per topic plus noise, so within-topic similarity is clearly higher.
    const topics = [...new Set(EXAMPLE_TEXTS.map((e) => e.topic))];
    const directions = randomUnitVectors(topics.length, 384, 4);
    const noise = randomUnitVectors(EXAMPLE_TEXTS.length, 384, 5);
    const embeddings = EXAMPLE_TEXTS.map((e, i) => directions[topics.indexOf(e.topic)].map((x, d) => x + 0.5 * noise[i][d]));
    const date = new Date(Date.UTC(2026, 10, 28, 15, 0, 0));
    const doc = buildExampleResult({ model: 'all-MiniLM-L6-v2', dtype: 'fp32', examples: EXAMPLE_TEXTS, embeddings, timings: { encodeMs: 12.5 }, date });
    const n = EXAMPLE_TEXTS.length;
    assert.equal(doc.timestamp, '2026-11-28T15:00:00.000Z');
    assert.equal(doc.model, 'all-MiniLM-L6-v2');
    assert.equal(doc.dimension, 384);
    assert.deepEqual(
      doc.texts,
      EXAMPLE_TEXTS.map((e) => e.text),
    );
    assert.deepEqual(
      doc.topics,
      EXAMPLE_TEXTS.map((e) => e.topic),
    );
    assert.equal(doc.matrix.length, n);
    for (let i = 0; i < n; i++) {
      assert.equal(doc.matrix[i].length, n);
      assert.ok(Math.abs(doc.matrix[i][i] - 1) < 1e-6);
      for (let j = 0; j < n; j++) assert.equal(doc.matrix[i][j], doc.matrix[j][i]);
    }
    assert.equal(doc.timings.encodeMs, 12.5);
    assert.equal(typeof doc.timings.similarityMatrix, 'number');
    const { summary } = doc;
    assert.ok(summary.meanWithinTopic! > summary.meanAcrossTopic! + 0.3, JSON.stringify(summary));
    assert.equal(summary.mostSimilar.length, 5);
    assert.ok(summary.mostSimilar[0].score >= summary.mostSimilar[4].score);
    assert.ok(summary.leastSimilar[0].score <= summary.leastSimilar[4].score);
    assert.ok(summary.mostSimilar[0].score > summary.leastSimilar[0].score);
    for (const p of [...summary.mostSimilar, ...summary.leastSimilar]) {
      assert.ok(p.i < p.j);
      assert.equal(p.score, doc.matrix[p.i][p.j]);
      assert.equal(p.a, doc.texts[p.i]);
    }
    assert.equal(doc.topics[summary.mostSimilar[0].i], doc.topics[summary.mostSimilar[0].j]);
    // The document survives JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
  });

  it("cross-lingual pairs: translations of the suite's Chinese sentences and unrelated Chinese pairs, summarised by kind", () => {
    const zh = new Set(EXAMPLE_TEXTS.filter((e) => e.language === 'zh').map((e) => e.text));
    const translations = CROSS_LINGUAL_PAIRS.filter((p) => p.kind === 'translation');
    const unrelated = CROSS_LINGUAL_PAIRS.filter((p) => p.kind === 'unrelated-zh');
    assert.ok(translations.length >= 5 && unrelated.length >= 3);
    for (const p of translations) assert.ok(/^[\x20-\x7e]+$/.test(p.a) && zh.has(p.b), p.a);
    for (const p of unrelated) assert.ok(zh.has(p.a) && zh.has(p.b) && p.a !== p.b);
    const scores: number[] = CROSS_LINGUAL_PAIRS.map((p) => (p.kind === 'translation' ? 0.75 : 0.25));
    assert.deepEqual(crossLingualSummary(scores), { meanTranslation: 0.75, meanUnrelatedChinese: 0.25, translationsFirst: true });
    scores[0] = 0.1;
    assert.equal(crossLingualSummary(scores).translationsFirst, false, 'one translation below an unrelated pair');
    assert.throws(() => crossLingualSummary([1]), /pairs but 1 scores/);
  });

  it('refuses mismatched texts and embeddings', () => {
    assert.throws(() => buildExampleResult({ model: 'm', dtype: 'fp32', examples: EXAMPLE_TEXTS, embeddings: [] }), /embeddings/);
  });
});
