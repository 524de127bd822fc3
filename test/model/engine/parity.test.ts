import assert from 'node:assert/strict';
import path from 'node:path';
import { Engine } from '../../../src/engine';
import { testModelDir } from '../../helpers/sharedPaths';
import { cosine, loadReferenceEmbeddings } from '../../helpers/referenceFixtures';

const reference = loadReferenceEmbeddings();

function cosines(vectors: Float32Array[]): number[] {
  return vectors.map((v, i) => cosine(v, reference.embeddings[i]!));
}

function worst(values: number[]): { value: number; text: string } {
  let index = 0;
  values.forEach((v, i) => {
    if (v < values[index]!) index = i;
  });
  return { value: values[index]!, text: reference.texts[index]!.slice(0, 60) };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('parity with sentence-transformers (PyTorch) reference embeddings', function () {
  const engines: Engine[] = [];
  const engineFor = (dtype: 'fp32' | 'q8', batchSize: number) => {
    const engine = new Engine({ modelDir: testModelDir(), dtype, batchSize, cacheEntries: 0 });
    engines.push(engine);
    return engine;
  };
  after(async () => Promise.all(engines.map((e) => e.dispose())));

  it('the fixture covers the hard cases: empty, whitespace, CJK, emoji and texts past 256 word pieces', () => {
    assert.ok(reference.texts.includes(''));
    assert.ok(reference.texts.some((t) => t.trim() === '' && t.length > 0));
    assert.ok(reference.texts.some((t) => /[\u4e00-\u9fff]/.test(t)));
    assert.ok(reference.token_counts.some((c) => c === 256));
  });

  for (const batchSize of [64, 7, 1]) {
    it(`fp32, batches of ${batchSize}: every text has cosine ≥ 0.99999 and equal token counts`, async () => {
      const engine = engineFor('fp32', batchSize);
      const { vectors, tokens } = await engine.encodeWithTokens(reference.texts);
      const values = cosines(vectors);
      const low = worst(values);
      assert.ok(low.value >= 0.99999, `worst fp32 cosine ${low.value} on "${low.text}"`);
      assert.deepEqual(
        tokens.map((t) => t.count),
        reference.token_counts,
      );
      tokens.forEach((t) => assert.equal(t.truncated ? t.count : 0, t.truncated ? 256 : 0));
      assert.ok(tokens.filter((t) => t.truncated).length >= 3, 'the long fixture texts are reported as truncated');
      for (const v of vectors) assert.equal(v.length, 384);
    });
  }

  for (const batchSize of [64, 1]) {
    it(`q8, batches of ${batchSize}: every text ≥ 0.95 and mean ≥ 0.985`, async () => {
      const engine = engineFor('q8', batchSize);
      const vectors = await engine.encode(reference.texts);
      const values = cosines(vectors);
      const low = worst(values);
      assert.ok(low.value >= 0.95, `worst q8 cosine ${low.value} on "${low.text}"`);
      assert.ok(mean(values) >= 0.985, `mean q8 cosine ${mean(values)}`);
    });
  }

  it('the bound is strict enough to catch a plain transformers.js pipeline (which truncates at 512)', async () => {
    // Control: the naive way the brief warns about must fail the fp32 bound on the long texts, otherwise the
    // parity test above could not tell the engine's truncation apart from the library default.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const transformers = require('@huggingface/transformers') as typeof import('@huggingface/transformers', { with: { 'resolution-mode': 'import' } });
    const dir = testModelDir();
    transformers.env.allowRemoteModels = false;
    transformers.env.localModelPath = path.dirname(dir) + path.sep;
    const extractor = await transformers.pipeline('feature-extraction', path.basename(dir), { dtype: 'fp32' });
    const longIndices = reference.token_counts.map((c, i) => (c === 256 ? i : -1)).filter((i) => i >= 0);
    const naive: number[] = [];
    for (const i of longIndices) {
      const output = await extractor(reference.texts[i]!, { pooling: 'mean', normalize: true });
      naive.push(cosine(output.data as Float32Array, reference.embeddings[i]!));
    }
    await extractor.dispose();
    assert.ok(Math.min(...naive) < 0.99999, `naive pipeline unexpectedly within bound: ${Math.min(...naive)}`);
  });
});
