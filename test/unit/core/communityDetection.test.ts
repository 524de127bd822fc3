import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flattenCorpus } from '../../../src/core/flatCorpus';
import { communityDetection } from '../../../src/core/communityDetection';
import { cosineSimilarity } from '../../../src/core/vector';
import { referenceCommunityDetection } from './pythonReference';
import { intVectors, randomUnitVectors } from './testVectors';

/** What holds for any output. (Members need not be close to the first element: when the proposing row was already
 * taken by a larger community, Python keeps the rest of its proposal, so the first element is not its centre.) */
function checkInvariants(vectors: unknown[], communities: number[][], minSize: number): void {
  const seen = new Set<number>();
  for (let c = 0; c < communities.length; c++) {
    const community = communities[c];
    assert.ok(community.length >= Math.min(minSize, vectors.length));
    if (c > 0) assert.ok(communities[c - 1].length >= community.length, 'largest first');
    for (const idx of community) {
      assert.ok(!seen.has(idx), `index ${idx} in two communities`);
      seen.add(idx);
    }
  }
}

describe('core/communityDetection', () => {
  it('finds two hand-made groups, centre first, members by similarity to the centre', () => {
    const vectors = [
      [1, 0, 0], [0.99, 0.1, 0], [0.95, 0.2, 0], // group around x
      [0, 0, 1], [0, 0.1, 0.99], // group around z
      [0, 1, 0], // alone
    ];
    const communities = communityDetection(vectors, { threshold: 0.9, minCommunitySize: 2 });
    // Rows 0, 1 and 2 each propose all three; row 0 proposes first. Row 0 ranks 1 (0.995) above 2 (0.978).
    assert.deepEqual(communities, [[0, 1, 2], [3, 4]]);
    for (const community of communities) {
      for (const idx of community) assert.ok(cosineSimilarity(vectors[community[0]], vectors[idx]) >= 0.9);
    }
  });

  it('terminates for a threshold of 0 and for identical inputs', () => {
    const same = Array.from({ length: 200 }, () => [0.3, -0.2, 0.5, 0.1]);
    const all = communityDetection(same, { threshold: 0.75, minCommunitySize: 10 });
    assert.equal(all.length, 1);
    assert.deepEqual([...all[0]].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i));
    const random = randomUnitVectors(300, 32, 4);
    const zero = communityDetection(random, { threshold: 0, minCommunitySize: 1 });
    checkInvariants(random, zero, 1);
    assert.equal(zero.flat().length, 300, 'with threshold 0 and size 1 every vector lands somewhere');
    const single = communityDetection(same, { threshold: 0, minCommunitySize: 1 });
    assert.equal(single.length, 1);
  });

  it('caps min size at the number of embeddings and returns nothing for no embeddings', () => {
    assert.deepEqual(communityDetection([[1, 0], [1, 0.01]], { threshold: 0.9, minCommunitySize: 10 }), [[0, 1]]);
    assert.deepEqual(communityDetection([], {}), []);
  });

  it('matches a literal translation of the Python algorithm and never repeats an index', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(8, 3),
        fc.constantFrom(0, 0.3, 0.5, 0.75, 0.9, 1, -0.5),
        fc.integer({ min: 1, max: 6 }),
        (dim, threshold, minSize) => {
          fc.assert(
            fc.property(intVectors(dim, 0, 40), (vectors) => {
              const actual = communityDetection(vectors, { threshold, minCommunitySize: minSize });
              const expected = referenceCommunityDetection(vectors, threshold, minSize);
              assert.deepEqual(actual, expected);
              const simd = flattenCorpus(vectors, { simd: true, dim });
              assert.deepEqual(communityDetection(simd, { threshold, minCommunitySize: minSize }), expected);
              checkInvariants(vectors, actual, minSize);
            }),
            { numRuns: 10 },
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('matches the reference beyond the initial scan width of 50 (sort_max_size growth)', () => {
    const base = randomUnitVectors(3, 64, 8);
    const noise = randomUnitVectors(240, 64, 12);
    const vectors = noise.map((v, i) => Array.from(base[i % 3], (x, d) => x + 0.3 * v[d]));
    const actual = communityDetection(vectors, { threshold: 0.8, minCommunitySize: 5 });
    assert.ok(actual[0].length > 50, `largest community has ${actual[0].length} members`);
    assert.deepEqual(actual, referenceCommunityDetection(vectors, 0.8, 5));
  });

  it('validates its options', () => {
    assert.throws(() => communityDetection([[1]], { minCommunitySize: 0 }), /minCommunitySize/);
    assert.throws(() => communityDetection([[1]], { threshold: NaN }), /threshold/);
  });
});
