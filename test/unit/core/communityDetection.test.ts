import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flattenCorpus } from '../../../src/core/flatCorpus';
import { communityDetection } from '../../../src/core/communityDetection';
import { cosineSimilarity } from '../../../src/core/vector';
import { referenceCommunityDetection } from './pythonReference';
import { intVectors, randomUnitVectors } from './testVectors';

/** What holds for any output: disjoint, large enough, largest first, and (6.2.0) every member is close to the
 * first element, the community's centre. */
function checkInvariants(vectors: number[][], communities: number[][], minSize: number, threshold: number): void {
  const corpus = flattenCorpus(vectors);
  const scores = new Float32Array(vectors.length);
  const seen = new Set<number>();
  for (let c = 0; c < communities.length; c++) {
    const community = communities[c];
    assert.ok(community.length >= minSize);
    if (c > 0) assert.ok(communities[c - 1].length >= community.length, 'largest first');
    corpus.scoreRowInto(community[0], scores, 'cosine');
    for (const idx of community) {
      assert.ok(!seen.has(idx), `index ${idx} in two communities`);
      seen.add(idx);
      if (idx !== community[0]) assert.ok(scores[idx] >= Math.fround(threshold), `${idx} is not close to centre ${community[0]}`);
    }
  }
}

/** Unit vectors in a plane at these angles (degrees). */
const atAngles = (angles: number[]): number[][] => angles.map((a) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)]);

describe('core/communityDetection', () => {
  it('finds two hand-made groups, centre first, members by similarity to the centre', () => {
    const vectors = [
      [1, 0, 0],
      [0.99, 0.1, 0],
      [0.95, 0.2, 0], // group around x
      [0, 0, 1],
      [0, 0.1, 0.99], // group around z
      [0, 1, 0], // alone
    ];
    const communities = communityDetection(vectors, { threshold: 0.9, minCommunitySize: 2 });
    // Rows 0, 1 and 2 each propose all three; row 0 proposes first. Row 0 ranks 1 (0.995) above 2 (0.978).
    assert.deepEqual(communities, [
      [0, 1, 2],
      [3, 4],
    ]);
    for (const community of communities) {
      for (const idx of community) assert.ok(cosineSimilarity(vectors[community[0]], vectors[idx]) >= 0.9);
    }
  });

  it('terminates for a threshold of 0 and for identical inputs', () => {
    const same = Array.from({ length: 200 }, () => [0.3, -0.2, 0.5, 0.1]);
    const all = communityDetection(same, { threshold: 0.75, minCommunitySize: 10 });
    assert.equal(all.length, 1);
    assert.deepEqual(
      [...all[0]].sort((a, b) => a - b),
      Array.from({ length: 200 }, (_, i) => i),
    );
    const random = randomUnitVectors(300, 32, 4).map((v) => Array.from(v));
    const zero = communityDetection(random, { threshold: 0, minCommunitySize: 1 });
    checkInvariants(random, zero, 1, 0);
    assert.equal(zero.flat().length, 300, 'with threshold 0 and size 1 every vector lands somewhere');
    const single = communityDetection(same, { threshold: 0, minCommunitySize: 1 });
    assert.equal(single.length, 1);
  });

  it('returns nothing with fewer embeddings than min_community_size (6.2.0; 6.0.1 lowered the size to their number)', () => {
    // 6.0.1: [[0, 1]]. 6.2.0: "if len(embeddings) < min_community_size: return []".
    assert.deepEqual(
      communityDetection(
        [
          [1, 0],
          [1, 0.01],
        ],
        { threshold: 0.9, minCommunitySize: 10 },
      ),
      [],
    );
    assert.deepEqual(
      communityDetection(
        [
          [1, 0],
          [1, 0.01],
        ],
        { threshold: 0.9, minCommunitySize: 2 },
      ),
      [[0, 1]],
    );
    assert.deepEqual(communityDetection([], {}), []);
  });

  it('drops a proposal whose centre an earlier community claimed (6.2.0; 6.0.1 kept its rest under another name)', () => {
    // Nine points 1 degree apart (0..8), then 16, 25, 27 and 36 degrees; close means within 12.5 degrees. Row 4
    // proposes 0..8 and 16 (10 members) and wins; row 9 (16 degrees) proposed 4..8, 16, 25 and 27, but 16 is now
    // taken. 6.0.1 kept [10, 11] (25 and 27, ordered by closeness to 16 degrees, which is in another community);
    // 6.2.0 drops row 9's proposal, and row 10 (25 degrees) then forms [10, 11, 12] around itself.
    const vectors = atAngles([0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 25, 27, 36]);
    const threshold = Math.cos((12.5 * Math.PI) / 180);
    const communities = communityDetection(vectors, { threshold, minCommunitySize: 2 });
    assert.deepEqual(
      communities.map((c) => c[0]),
      [4, 10],
    );
    assert.deepEqual(
      [...communities[0]].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(communities[1], [10, 11, 12]);
    checkInvariants(vectors, communities, 2, threshold);
  });

  it('matches a literal translation of the Python algorithm and never repeats an index', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 3), fc.constantFrom(0, 0.3, 0.5, 0.75, 0.9, 1, -0.5), fc.integer({ min: 1, max: 6 }), (dim, threshold, minSize) => {
        fc.assert(
          fc.property(intVectors(dim, 0, 40), (vectors) => {
            const actual = communityDetection(vectors, { threshold, minCommunitySize: minSize });
            const expected = referenceCommunityDetection(vectors, threshold, minSize);
            assert.deepEqual(actual, expected);
            const simd = flattenCorpus(vectors, { simd: true, dim });
            assert.deepEqual(communityDetection(simd, { threshold, minCommunitySize: minSize }), expected);
            checkInvariants(vectors, actual, minSize, threshold);
          }),
          { numRuns: 10 },
        );
      }),
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
