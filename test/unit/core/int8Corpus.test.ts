import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flattenCorpus, type ScoreFunction } from '../../../src/core/flatCorpus';
import { buildInt8Corpus, Int8CorpusBuilder, type Int8Corpus, type RescoreRows } from '../../../src/core/int8Corpus';
import { int8Dots, int8DotsInJavaScript, int8DotsModule, paddedRowBytes } from '../../../src/core/int8DotKernel';
import { Int8ScanWorkers } from '../../../src/engine/int8ScanWorkers';
import { semanticSearch } from '../../../src/core/semanticSearch';
import type { Vector } from '../../../src/core/vector';
import { intVectors, randomUnitVectors, seededRandom } from './testVectors';

const fromRows =
  (rows: readonly Vector[]): RescoreRows =>
  (ids) =>
    ids.map((id) => rows[id]);

/** The float32 scan the int8 corpus must reproduce exactly: one chunk, so equal scores keep the lower id. */
function fp32Search(query: Vector, rows: readonly Vector[], topK: number, scoreFunction: ScoreFunction = 'cosine') {
  return semanticSearch(query, rows, { topK, scoreFunction, corpusChunkSize: Math.max(1, rows.length) })[0];
}

async function assertSameAsFp32(
  corpus: Int8Corpus,
  rows: readonly Vector[],
  queries: readonly Vector[],
  topK: number,
  scoreFunction: ScoreFunction = 'cosine',
) {
  for (const [q, query] of queries.entries()) {
    const actual = await corpus.search(query, topK, fromRows(rows), { scoreFunction });
    assert.deepEqual(actual, fp32Search(query, rows, topK, scoreFunction), `query ${q}, topK ${topK}, ${scoreFunction}`);
  }
}

/** `count` copies of `base` each nudged by a few float32 ulps in a few components: scores differ in the last bits. */
function nearTies(base: Float32Array, count: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const v = Float32Array.from(base);
    for (let n = 0; n < 3; n++) {
      const k = Math.floor(random() * v.length);
      v[k] = v[k] * (1 + (random() - 0.5) * 2 ** -9);
    }
    return v;
  });
}

/**
 * Pairs of rows that int8 ranks the wrong way round by almost twice its error bound. Each row's quantisation error
 * points along the query (the one case where the Cauchy–Schwarz bound is tight): +a·y for the first of a pair,
 * −a·y for the second, whose codes are raised along y by just under the 2a the errors take away. So the second
 * looks higher by ~1.92 bounds while the first truly scores higher. All pairs share base codes (one code nudged
 * per pair), so they sit together and every cut k from 1 to `pairs` separates such pairs.
 */
function flippedPairs(query: Float32Array, pairs: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  const a = 0.499;
  const maxQ = Math.max(...Array.from(query, Math.abs));
  const normSq = query.reduce((sum, v) => sum + v * v, 0);
  const byWeight = Array.from(query.keys())
    .filter((k) => k > 0)
    .sort((i, j) => Math.abs(query[j]) - Math.abs(query[i]));
  // Raise codes along y until c·y gains just under 1.96·a·||y||²/maxQ (the errors take away 2·a·||y||²/maxQ).
  const raise = new Int8Array(query.length);
  let gained = 0;
  for (const k of byWeight) {
    if (gained + Math.abs(query[k]) > (1.96 * a * normSq) / maxQ) continue;
    raise[k] = Math.sign(query[k]);
    gained += Math.abs(query[k]);
  }
  const base = Array.from(query, () => Math.round((random() - 0.5) * 160));
  const row = (scale: number, nudge: number, sign: number, raised: boolean) => {
    const v = new Float32Array(query.length);
    v[0] = 127 * scale; // the largest value, quantised exactly, fixes the row's scale (query[0] is 0)
    for (let k = 1; k < v.length; k++) {
      const code = base[k] + (raised ? raise[k] : 0) + (k === nudge ? 1 : 0);
      v[k] = scale * (code + (sign * a * query[k]) / maxQ);
    }
    return v;
  };
  const rows: Float32Array[] = [];
  for (let p = 0; p < pairs; p++) {
    const scale = 0.001 + random() * 0.001;
    const nudge = 1 + Math.floor(random() * (query.length - 1));
    rows.push(row(scale, nudge, 1, false), row(scale, nudge, -1, true));
  }
  return rows;
}

describe('core/int8DotKernel', () => {
  it('computes the same float32 values as JavaScript, at the extremes of the codes and of the query scale', () => {
    const module = int8DotsModule(false);
    assert.ok(module, 'this Node has WebAssembly SIMD');
    const dim = 384;
    const rows = 37;
    const memory = new WebAssembly.Memory({ initial: 2 });
    const dots = int8Dots(module, memory);
    const query = new Int16Array(memory.buffer, 0, dim);
    const weights = new Float32Array(memory.buffer, 2048, rows);
    const out = new Float32Array(memory.buffer, 4096, rows);
    const codes = new Int8Array(memory.buffer, 8192, rows * dim);
    const random = seededRandom(3);
    for (let k = 0; k < dim; k++) query[k] = k % 2 === 0 ? 32767 : -32767;
    query[5] = Math.round((random() - 0.5) * 65534);
    for (let i = 0; i < codes.length; i++) codes[i] = Math.round((random() - 0.5) * 254);
    for (let r = 0; r < rows; r++) weights[r] = r < 2 ? 1 : random() * 1e-3;
    codes.fill(127, 0, dim); // the largest possible sum
    for (let k = 0; k < dim; k++) codes[dim + k] = query[k] > 0 ? -127 : 127; // and the smallest
    dots(0, 8192, rows, dim, 2048, 4096);
    const expected = new Float32Array(rows);
    int8DotsInJavaScript(query, codes, 0, rows, dim, weights, expected);
    assert.deepEqual(Array.from(out), Array.from(expected));
    assert.ok(expected[1] < -1.5e9, 'the extreme row reaches far into int32');
  });

  it('pads rows to 16 bytes', () => {
    assert.deepEqual([1, 16, 17, 30, 384].map(paddedRowBytes), [16, 16, 32, 32, 384]);
  });
});

describe('core/int8Corpus', () => {
  it('returns exactly the float32 top-k on random unit vectors, cosine and dot, with few rows rescored', async () => {
    const rows = randomUnitVectors(3000, 384, 21);
    const corpus = buildInt8Corpus(rows);
    assert.equal(corpus.usesSimd, true);
    const queries = randomUnitVectors(8, 384, 22);
    for (const topK of [1, 10, 100]) await assertSameAsFp32(corpus, rows, queries, topK);
    await assertSameAsFp32(corpus, rows, queries, 10, 'dot');
    const { candidates } = await corpus.searchDetailed(queries[0], 10, fromRows(rows));
    assert.ok(candidates >= 10 && candidates < 300, `${candidates} rows rescored out of 3000`);
  });

  it('separates near-ties that int8 cannot see, and orders exact duplicates by id', async () => {
    const base = randomUnitVectors(1, 384, 5)[0];
    const ties = nearTies(base, 40, 6);
    const noise = randomUnitVectors(400, 384, 7);
    const duplicate = Float32Array.from(ties[3]);
    const rows: Float32Array[] = [...noise.slice(0, 200), ...ties.slice(0, 20), duplicate, ...noise.slice(200), ...ties.slice(20), duplicate];
    const corpus = buildInt8Corpus(rows);
    // Seen from the side (cosine ≈ 0.6 with base), the nudges move the float32 scores by ~1e-6, far below int8's
    // resolution; seen from base itself they nearly all tie exactly.
    const other = randomUnitVectors(1, 384, 9)[0];
    const aside = Float32Array.from(base, (v, k) => 0.6 * v + 0.8 * other[k]);
    const queries = [aside, base, ties[7], ...nearTies(base, 3, 8), other];
    for (const topK of [1, 5, 21, 45]) await assertSameAsFp32(corpus, rows, queries, topK);
    const scores = fp32Search(aside, rows, 42).map((h) => h.score);
    assert.ok(new Set(scores).size > 20 && scores[0] - scores[41] < 1e-4, `near-ties with distinct float32 scores: ${scores[0]} .. ${scores[41]}`);
    const { candidates } = await corpus.searchDetailed(aside, 5, fromRows(rows));
    assert.ok(candidates >= 42, 'every near-tie must be rescored');
  });

  it('keeps every row the bound cannot rule out, where int8 ranks pairs the wrong way round', async () => {
    const query = randomUnitVectors(1, 384, 61)[0];
    query[0] = 0; // the error-free component: the errors point exactly along the query
    const rows = flippedPairs(query, 30, 62);
    const corpus = buildInt8Corpus(rows);
    for (const scoreFunction of ['cosine', 'dot'] as const) {
      for (let topK = 1; topK <= 30; topK++) await assertSameAsFp32(corpus, rows, [query], topK, scoreFunction);
    }
    // Worth something only if int8 alone gets it wrong: its best row must not be the float32 best.
    const hits = fp32Search(query, rows, 1);
    assert.equal(hits[0].corpus_id % 2, 0, 'a first-of-pair row wins in float32');
  });

  it('handles zero rows, a zero query, topK above the count, topK 0 and an empty corpus', async () => {
    const rows = [...randomUnitVectors(30, 384, 1), new Float32Array(384), ...randomUnitVectors(30, 384, 2), new Float32Array(384)];
    const corpus = buildInt8Corpus(rows);
    const queries = [randomUnitVectors(1, 384, 3)[0], new Float32Array(384)];
    for (const scoreFunction of ['cosine', 'dot'] as const) {
      for (const topK of [1, 10, 62, 100, Number.MAX_SAFE_INTEGER]) await assertSameAsFp32(corpus, rows, queries, topK, scoreFunction);
    }
    assert.deepEqual(await corpus.search(queries[0], 0, fromRows(rows)), []);
    const empty = buildInt8Corpus([], 384);
    assert.equal(empty.count, 0);
    assert.deepEqual(await empty.search(queries[0], 10, fromRows([])), []);
  });

  it('handles dimensions that are not a multiple of 16 or 8, in the kernel and in JavaScript', async () => {
    for (const dim of [1, 5, 30, 100, 385]) {
      const rows = randomUnitVectors(200, dim, dim);
      const queries = randomUnitVectors(4, dim, dim + 1);
      for (const wasm of [true, false]) {
        const corpus = buildInt8Corpus(rows, dim, { wasm });
        assert.equal(corpus.usesSimd, wasm);
        await assertSameAsFp32(corpus, rows, queries, 7);
        await assertSameAsFp32(corpus, rows, queries, 7, 'dot');
      }
    }
  });

  it('matches the float32 scan on small integer vectors full of ties (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(3, 8, 16, 20).chain((dim) => fc.tuple(fc.constant(dim), intVectors(dim, 0, 40), intVectors(dim, 1, 3))),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom<ScoreFunction>('cosine', 'dot'),
        fc.boolean(),
        async ([dim, rows, queries], topK, scoreFunction, simd) => {
          // Both sides flatten alike, so the float32 kernel choice (and its rounding) is the same.
          const corpus = buildInt8Corpus(rows, dim, { simd });
          for (const query of queries) {
            const expected = semanticSearch(query, flattenCorpus(rows, { dim, simd }), { topK, scoreFunction })[0];
            assert.deepEqual(await corpus.search(query, topK, fromRows(rows), { scoreFunction }), expected);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reproduces a pre-flattened corpus, JavaScript loops included', async () => {
    const rows = randomUnitVectors(300, 384, 31);
    const query = randomUnitVectors(1, 384, 32)[0];
    for (const simd of [true, false]) {
      const flat = flattenCorpus(rows, { simd });
      const corpus = buildInt8Corpus(flat);
      assert.equal(corpus.fp32Simd, simd);
      const hits = await corpus.search(query, 50, (ids) => ids.map((id) => flat.row(id)));
      assert.deepEqual(hits, semanticSearch(query, flat, { topK: 50 })[0]);
    }
  });

  it('takes an asynchronous rescore callback and refuses rows that are not the indexed ones', async () => {
    const rows = randomUnitVectors(500, 384, 41);
    const corpus = buildInt8Corpus(rows);
    const query = rows[17];
    let asked: readonly number[] = [];
    const hits = await corpus.search(query, 3, async (ids) => {
      asked = ids;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return ids.map((id) => rows[id]);
    });
    assert.equal(hits[0].corpus_id, 17);
    assert.deepEqual(
      [...asked].sort((a, b) => a - b),
      asked,
      'ids ascending',
    );
    const stale = (ids: readonly number[]) => ids.map((id) => (id === 17 ? rows[18] : rows[id]));
    await assert.rejects(corpus.search(query, 3, stale), /Row 17 .* not the vector this int8 corpus was built from/);
    await assert.rejects(
      corpus.search(query, 3, (ids) => ids.slice(1).map((id) => rows[id])),
      /returned \d+ rows for \d+ ids/,
    );
  });

  it('validates its input with one clear message each', async () => {
    const corpus = buildInt8Corpus(randomUnitVectors(5, 8, 1));
    const rescore: RescoreRows = () => [];
    await assert.rejects(corpus.search(new Float32Array(4), 1, rescore), /Query has dimension 4, corpus has 8/);
    await assert.rejects(corpus.search(new Float32Array(8), -1, rescore), /topK must be a non-negative integer/);
    assert.throws(() => buildInt8Corpus([[1, 2], [1]]), /Vector 1 has dimension 1, expected 2/);
    assert.throws(() => buildInt8Corpus([[1, Number.NaN]]), /Vector 0 holds a non-finite value/);
    assert.throws(() => buildInt8Corpus(new Float32Array(10), 3), /dimension dividing its length/);
  });

  it('gives the same answers with the scan split across worker threads, and for concurrent searches', async () => {
    const rows = randomUnitVectors(20_000, 384, 51);
    const corpus = buildInt8Corpus(rows);
    assert.equal(corpus.shareable, true);
    const workers = new Int8ScanWorkers(1);
    try {
      const queries = [...randomUnitVectors(6, 384, 52), rows[12_345]];
      const results = await Promise.all(queries.map((query) => corpus.searchDetailed(query, 10, fromRows(rows), { threads: workers, minRowsPerThread: 1000 })));
      for (const [q, result] of results.entries()) {
        assert.equal(result.threads, 2);
        assert.deepEqual(result.hits, fp32Search(queries[q], rows, 10), `query ${q}`);
      }
      assert.equal(results[6].hits[0].corpus_id, 12_345, 'a row in the worker half');
      const small = await corpus.searchDetailed(queries[0], 10, fromRows(rows), { threads: workers });
      assert.equal(small.threads, 1, '20,000 rows are too few to hand to a worker by default');
    } finally {
      await workers.close();
    }
    assert.throws(() => new Int8ScanWorkers(0), /1 to 16 threads/);
  });

  it('skips the rows flagged in skipRows: the answer is the float32 scan over the others, ids unchanged', async () => {
    const rows = randomUnitVectors(2000, 384, 71);
    const query = randomUnitVectors(1, 384, 72)[0];
    const corpus = buildInt8Corpus(rows);
    // Skip the float32 top 5 itself (so a skip that is ignored shows), and every third row.
    const skip = new Uint8Array(rows.length);
    for (const hit of fp32Search(query, rows, 5)) skip[hit.corpus_id] = 1;
    for (let i = 0; i < rows.length; i += 3) skip[i] = 1;
    const kept = rows.map((_, i) => i).filter((i) => !skip[i]);
    for (const scoreFunction of ['cosine', 'dot'] as const) {
      for (const q of [query, rows[4], new Float32Array(384)]) {
        const expected = fp32Search(
          q,
          kept.map((i) => rows[i]),
          10,
          scoreFunction,
        ).map((h) => ({ corpus_id: kept[h.corpus_id], score: h.score }));
        assert.deepEqual(await corpus.search(q, 10, fromRows(rows), { scoreFunction, skipRows: skip }), expected);
      }
    }
    const all = new Uint8Array(rows.length).fill(1);
    assert.deepEqual(await corpus.search(query, 10, fromRows(rows), { skipRows: all }), []);
    await assert.rejects(corpus.search(query, 10, fromRows(rows), { skipRows: new Uint8Array(3) }), /skipRows holds 3 flags for 2000 rows/);
  });

  it('builds block by block exactly what buildInt8Corpus builds from the whole', async () => {
    const rows = randomUnitVectors(1000, 384, 81);
    const flat = new Float32Array(rows.length * 384);
    rows.forEach((r, i) => flat.set(r, i * 384));
    const builder = new Int8CorpusBuilder(rows.length, 384);
    for (let start = 0; start < rows.length; start += 300) builder.add(flat.subarray(start * 384, Math.min(rows.length, start + 300) * 384));
    const blocks = builder.finish();
    const whole = buildInt8Corpus(rows);
    assert.deepEqual(blocks.codes, whole.codes);
    assert.deepEqual(blocks.scales, whole.scales);
    assert.equal(blocks.fp32Simd, whole.fp32Simd);
    await assertSameAsFp32(blocks, rows, randomUnitVectors(4, 384, 82), 10);
    assert.throws(() => new Int8CorpusBuilder(2, 384).finish(), /Only 0 of 2 rows/);
    assert.throws(() => new Int8CorpusBuilder(1, 384).add(flat.subarray(0, 768)), /does not fit/);
    const bad = new Int8CorpusBuilder(1, 384);
    assert.throws(() => bad.add(new Float32Array(384).fill(Number.NaN)), /non-finite/);
  });
});
