import assert from 'node:assert/strict';
import { buildRetrievalSet, type ScoredPair } from '../../../scripts/bench/retrievalSet';

// Sentences with words of their own, so that no two are near repeats unless a test makes them so.
const words = (tag: string, n: number) => Array.from({ length: n }, (_, k) => `${tag}w${k}`).join(' ');
const high: ScoredPair[] = Array.from({ length: 40 }, (_, i) => ({
  score: 4.6,
  sentence1: `${words(`h${i}`, 6)} one.`,
  sentence2: `${words(`h${i}`, 6)} two`,
}));
const low: ScoredPair[] = Array.from({ length: 300 }, (_, i) => ({ score: 1.5, sentence1: `${words(`a${i}`, 5)}.`, sentence2: `${words(`b${i}`, 7)}!` }));
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

describe('retrieval set (scripts/bench/retrievalSet.ts)', () => {
  it('plants one sentence of each pair in its own document and queries with the other', () => {
    const set = buildRetrievalSet([...high, ...low]);
    assert.equal(set.documents.length, high.length);
    assert.equal(set.queries.length, high.length);
    for (const query of set.queries) {
      const pair = high.find((p) => p.sentence1 === query.text || p.sentence2 === query.text)!;
      const planted = query.text === pair.sentence1 ? pair.sentence2 : pair.sentence1;
      const holders = set.documents.filter((d) => oneLine(d.text).includes(planted.replace(/\.$/, '')));
      assert.deepEqual(
        holders.map((d) => d.path),
        [query.path],
      );
      const sentences = oneLine(holders[0]!.text).match(/[.!?](?=\s|$)/g)!.length;
      assert.ok(sentences >= 7 && sentences <= 14, `${sentences} sentences`);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const pairs = [...high, ...low];
    assert.deepEqual(buildRetrievalSet(pairs, { seed: 7 }), buildRetrievalSet(pairs, { seed: 7 }));
    assert.notDeepEqual(buildRetrievalSet(pairs, { seed: 7 }).documents, buildRetrievalSet(pairs, { seed: 8 }).documents);
  });

  it('drops pairs that repeat an earlier pair and fillers that repeat a planted sentence', () => {
    const repeat: ScoredPair = { score: 5, sentence1: high[0]!.sentence1.toUpperCase(), sentence2: 'something else entirely here' };
    const echo: ScoredPair = { score: 0.5, sentence1: high[1]!.sentence2, sentence2: `${words('fresh', 5)}.` };
    const set = buildRetrievalSet([...high, repeat, ...low, echo]);
    assert.equal(set.duplicatePairs, 1);
    assert.equal(set.droppedFillers, 1);
  });

  it('takes a seeded sample for a limit, and gives Markdown documents a heading per paragraph', () => {
    const set = buildRetrievalSet([...high, ...low], { limit: 5, format: 'markdown' });
    assert.equal(set.documents.length, 5);
    for (const d of set.documents) {
      assert.equal(d.kind, 'markdown');
      assert.match(d.path, /\.md$/);
      assert.equal(d.text.split('\n\n').filter((block) => block.startsWith('## ')).length, d.text.split('\n\n').length / 2);
    }
  });
});
