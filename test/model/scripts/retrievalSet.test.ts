import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseStsFile } from '../../../src/cli/stsBenchmark';
import { Engine } from '../../../src/engine';
import { MemoEncoder, scoreChunking, type RetrievalScore } from '../../../scripts/bench/retrievalEval';
import { buildRetrievalSet } from '../../../scripts/bench/retrievalSet';
import { PARAGRAPHS, shippedVariant, strategyVariant } from '../../../scripts/bench/retrievalVariants';
import { sharedFile, testModelDir } from '../../helpers/sharedPaths';

// A 150-document seeded sample of the retrieval set behind docs/retrieval.md (the whole set: `npm run bench --
// --retrieval-only`). Measured on this sample, fp32: shipped chunker hit@5 0.980, MRR 0.959 (1428 chunks); whole
// paragraphs hit@5 0.633, MRR 0.538 (320 chunks). The floors leave room for ONNX Runtime's rounding across machines,
// not for a regression.
const DOCUMENTS = 150;
const SHIPPED_HIT5_FLOOR = 0.93;
const SHIPPED_MRR_FLOOR = 0.9;

describe('chunking retrieval set (real model, STS-B train pairs ≥ 4.2)', function () {
  this.timeout(240_000);
  let engine: Engine;
  let shipped: RetrievalScore;
  let paragraphs: RetrievalScore;

  before(async () => {
    const { pairs } = parseStsFile(fs.readFileSync(sharedFile('datasets', 'stsbenchmark', 'sts-train.csv'), 'utf8'));
    const set = buildRetrievalSet(pairs, { limit: DOCUMENTS });
    engine = new Engine({ modelDir: testModelDir(), dtype: 'fp32' });
    await engine.load();
    const encoder = new MemoEncoder((texts) => engine.encode(texts));
    shipped = await scoreChunking(set, shippedVariant().chunkTexts, encoder);
    paragraphs = await scoreChunking(set, strategyVariant('paragraphs', 'paragraphs', PARAGRAPHS).chunkTexts, encoder);
  });

  after(async () => {
    await engine?.dispose();
  });

  it("the shipped chunker finds the planted sentence's file in the top 5 more often than whole paragraphs do", () => {
    assert.ok(shipped.hitAt5 > paragraphs.hitAt5 + 0.2, `shipped hit@5 ${shipped.hitAt5.toFixed(3)}, paragraphs ${paragraphs.hitAt5.toFixed(3)}`);
    assert.ok(shipped.mrr > paragraphs.mrr + 0.2, `shipped MRR ${shipped.mrr.toFixed(3)}, paragraphs ${paragraphs.mrr.toFixed(3)}`);
  });

  it(`the shipped chunker reaches hit@5 ≥ ${SHIPPED_HIT5_FLOOR} and MRR ≥ ${SHIPPED_MRR_FLOOR}`, () => {
    assert.ok(shipped.hitAt5 >= SHIPPED_HIT5_FLOOR, `hit@5 ${shipped.hitAt5.toFixed(3)} (hit@1 ${shipped.hitAt1.toFixed(3)})`);
    assert.ok(shipped.mrr >= SHIPPED_MRR_FLOOR, `MRR ${shipped.mrr.toFixed(3)}`);
    assert.equal(shipped.queries, DOCUMENTS);
  });
});
