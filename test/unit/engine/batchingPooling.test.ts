import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lengthBalancedShards, lengthSortedBatches } from '../../../src/engine/batching';
import { meanPoolNormalize } from '../../../src/engine/pooling';

describe('lengthSortedBatches', () => {
  it('covers every index once, longest first, batches no larger than asked', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(500), { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (lengths, size) => {
        const batches = lengthSortedBatches(lengths, size);
        const flat = batches.flat();
        assert.deepEqual(
          [...flat].sort((a, b) => a - b),
          lengths.map((_, i) => i),
        );
        for (const b of batches) assert.ok(b.length <= size && b.length > 0);
        for (let i = 1; i < flat.length; i++) assert.ok(lengths[flat[i - 1]!]! >= lengths[flat[i]!]!);
      }),
    );
  });

  it('keeps every batch within the token budget: texts × longest text ≤ budget, or one text alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 256 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 20_000 }),
        (lengths, size, budget) => {
          const batches = lengthSortedBatches(lengths, size, budget);
          assert.deepEqual(
            batches.flat().sort((a, b) => a - b),
            lengths.map((_, i) => i),
          );
          for (const b of batches) {
            const padded = Math.max(...b.map((i) => lengths[i]!));
            assert.ok(b.length <= size && (b.length === 1 || b.length * padded <= budget), `${b.length} × ${padded} > ${budget}`);
          }
          // Greedy: a batch closes only when the next text would not fit.
          for (let k = 0; k + 1 < batches.length; k++) {
            const b = batches[k]!;
            assert.ok(b.length === size || (b.length + 1) * lengths[b[0]!]! > budget);
          }
        },
      ),
    );
  });

  it('512 texts of 256 word pieces with batch size 512 run as 16 batches of 32 under the default budget of 8192', () => {
    const batches = lengthSortedBatches(
      Array.from({ length: 512 }, () => 256),
      512,
      8192,
    );
    assert.deepEqual(
      batches.map((b) => b.length),
      Array.from({ length: 16 }, () => 32),
    );
    // Short texts still fill the batch size: 512 × 16 pieces = 8192.
    assert.equal(
      lengthSortedBatches(
        Array.from({ length: 512 }, () => 16),
        512,
        8192,
      ).length,
      1,
    );
  });

  it('rejects a batch size that is not a positive integer', () => {
    assert.throws(() => lengthSortedBatches([1, 2], 0), RangeError);
    assert.throws(() => lengthSortedBatches([1, 2], 1.5), RangeError);
  });
});

describe('lengthBalancedShards', () => {
  it('deals every index to exactly one shard, sizes within one of each other, each shard with the same length mix', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(500), { maxLength: 300 }), fc.integer({ min: 1, max: 6 }), (lengths, count) => {
        const shards = lengthBalancedShards(lengths, count);
        assert.deepEqual(
          shards.flat().sort((a, b) => a - b),
          lengths.map((_, i) => i),
        );
        assert.equal(shards.length, Math.min(count, lengths.length));
        const sizes = shards.map((s) => s.length);
        if (sizes.length > 0) assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
        // Round-robin over the length order: shard k holds the k-th, (k+n)-th, … longest, so the j-th text of a
        // shard is never shorter than the j-th text of a later shard.
        for (let k = 1; k < shards.length; k++) {
          shards[k]!.forEach((index, j) => assert.ok(lengths[shards[k - 1]![j]!]! >= lengths[index]!));
        }
      }),
    );
  });

  it('with one shard keeps everything together, and rejects a count that is not a positive integer', () => {
    assert.deepEqual(lengthBalancedShards([3, 1, 2], 1), [[0, 2, 1]]);
    assert.throws(() => lengthBalancedShards([1], 0), RangeError);
  });
});

describe('meanPoolNormalize', () => {
  it('averages only the unmasked tokens and returns unit vectors', () => {
    // batch 2, seq 3, dim 2
    const hidden = new Float32Array([1, 0, 3, 4, 100, 100, /* row 2 */ 0, 2, 0, 2, 0, 2]);
    const mask = [1, 1, 0, 1, 1, 1];
    const [a, b] = meanPoolNormalize(hidden, mask, 2, 3, 2);
    // row 1 mean = (2, 2) → (0.7071, 0.7071); the masked 100s must not count
    assert.ok(Math.abs(a![0]! - Math.SQRT1_2) < 1e-6 && Math.abs(a![1]! - Math.SQRT1_2) < 1e-6);
    assert.deepEqual(Array.from(b!), [0, 1]);
  });

  it('leaves an all-zero state as zeros instead of NaN', () => {
    const [v] = meanPoolNormalize(new Float32Array(4), [1, 1], 1, 2, 2);
    assert.deepEqual(Array.from(v!), [0, 0]);
  });
});
