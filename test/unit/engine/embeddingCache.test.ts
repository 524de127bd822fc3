import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EmbeddingCache } from '../../../src/engine/embeddingCache';

/** Values whose size is the number itself, so that the byte arithmetic is visible. */
const sized = (limits: { maxBytes: number; maxEntries?: number }) => new EmbeddingCache<number>(limits, (n) => n);
/** What the cache adds to each value for its 64-character key and the entry around it. */
const KEY_BYTES = 64 * 2 + 64;
const key = (text: string) => EmbeddingCache.key({ dir: '/models/all-MiniLM-L6-v2', dtype: 'fp32' }, text);

describe('EmbeddingCache', () => {
  it('keys are SHA-256 digests: 64 hex characters whatever the text, holding none of it', () => {
    for (const text of ['', 'a', 'x'.repeat(1_000_000), 'Grüße 天气 🎉']) {
      const k = key(text);
      assert.match(k, /^[0-9a-f]{64}$/);
      if (text.length >= 4) assert.ok(!k.includes(text.slice(0, 4)));
    }
  });

  it('keys differ by model folder, dtype and text, including texts that differ only in lone surrogates', () => {
    assert.notEqual(EmbeddingCache.key({ dir: 'm', dtype: 'fp32' }, 't'), EmbeddingCache.key({ dir: 'm', dtype: 'q8' }, 't'));
    assert.notEqual(EmbeddingCache.key({ dir: 'm1', dtype: 'fp32' }, 't'), EmbeddingCache.key({ dir: 'm2', dtype: 'fp32' }, 't'));
    assert.notEqual(EmbeddingCache.key({ dir: 'm', dtype: 'fp32' }, 'ab'), EmbeddingCache.key({ dir: 'm', dtype: 'fp3' }, '2ab'));
    // UTF-8 would encode both lone surrogates (and U+FFFD) as the same three bytes.
    assert.notEqual(key('a\uD800'), key('a\uDC00'));
    assert.notEqual(key('a\uD800'), key('a\uFFFD'));
    assert.equal(key('same'), key('same'));
  });

  it('keys carry the model, its revision and the dtype: two models never share a cached vector', () => {
    const cache = new EmbeddingCache<string>({ maxBytes: 1 << 20 }, () => 8);
    const english = { dir: '/cache/sentence-transformers/all-MiniLM-L6-v2/abc', revision: 'sentence-transformers/all-MiniLM-L6-v2@abc', dtype: 'fp32' };
    const models = [
      english,
      { ...english, dtype: 'q8' },
      { ...english, revision: 'sentence-transformers/all-MiniLM-L6-v2@def' },
      { ...english, revision: undefined },
      { ...english, dir: '/cache/other' },
    ];
    models.forEach((model, i) => cache.set(EmbeddingCache.key(model, 'hello'), `vector of model ${i}`));
    assert.equal(cache.size, models.length);
    models.forEach((model, i) => assert.equal(cache.get(EmbeddingCache.key(model, 'hello')), `vector of model ${i}`));
  });

  it('many large texts keep the byte total under the cap', () => {
    const cap = 64 * 1024;
    const cache = new EmbeddingCache<Float32Array>({ maxBytes: cap }, (v) => v.buffer.byteLength + 128);
    for (let i = 0; i < 200; i++) {
      const text = `${i} `.repeat(50_000); // ~300 KB each, 60 MB in all
      cache.set(key(text), new Float32Array(384));
      assert.ok(cache.bytes <= cap, `${cache.bytes} bytes after ${i + 1} texts`);
    }
    // Each entry costs its vector (1536 B) + 128 + the key's 192: the cap holds 36 of them.
    assert.equal(cache.size, Math.floor(cap / (1536 + 128 + KEY_BYTES)));
  });

  it('evicts the least recently used entries until the bytes fit, counting replaced entries once', () => {
    const cache = sized({ maxBytes: 3 * (100 + KEY_BYTES) });
    cache.set('a'.repeat(64), 100);
    cache.set('b'.repeat(64), 100);
    cache.set('c'.repeat(64), 100);
    assert.equal(cache.bytes, 3 * (100 + KEY_BYTES));
    cache.get('a'.repeat(64));
    cache.set('b'.repeat(64), 100); // replacing does not double-count
    assert.equal(cache.size, 3);
    cache.set('d'.repeat(64), 100); // evicts c, the least recently used
    assert.equal(cache.get('c'.repeat(64)), undefined);
    assert.deepEqual(
      ['a', 'b', 'd'].map((k) => cache.get(k.repeat(64))),
      [100, 100, 100],
    );
    cache.set('e'.repeat(64), 250); // needs the room of two entries
    assert.equal(cache.size, 2);
    assert.ok(cache.bytes <= 3 * (100 + KEY_BYTES));
  });

  it('keeps the byte count exact under any sequence of sets, gets and limit changes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ set: fc.integer({ min: 0, max: 9 }), size: fc.nat(2000) }),
            fc.record({ get: fc.integer({ min: 0, max: 9 }) }),
            fc.record({ limit: fc.nat(8000) }),
          ),
        ),
        (ops) => {
          let maxBytes = 5000;
          const cache = sized({ maxBytes });
          const model = new Map<number, number>();
          for (const op of ops) {
            if ('set' in op) cache.set(key(String(op.set)), op.size);
            else if ('get' in op) cache.get(key(String(op.get)));
            else cache.setLimits({ maxBytes: (maxBytes = op.limit) });
            assert.ok(cache.bytes <= maxBytes);
          }
          for (let i = 0; i < 10; i++) {
            const v = cache.get(key(String(i)));
            if (v !== undefined) model.set(i, v);
          }
          assert.equal(
            cache.bytes,
            [...model.values()].reduce((sum, v) => sum + v + KEY_BYTES, 0),
          );
          assert.equal(cache.size, model.size);
        },
      ),
    );
  });

  it('lowering the limits live keeps the most recently used entries; raising them again keeps what is held', () => {
    const cache = sized({ maxBytes: 1 << 20 });
    for (const t of ['a', 'b', 'c', 'd']) cache.set(key(t), 100);
    cache.get(key('a')); // a becomes the most recently used
    cache.setLimits({ maxBytes: 2 * (100 + KEY_BYTES) });
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((t) => cache.get(key(t))),
      [100, undefined, undefined, 100],
    );
    cache.setLimits({ maxBytes: 1 << 20, maxEntries: 1 });
    assert.equal(cache.size, 1);
    assert.equal(cache.get(key('d')), 100, 'd was read last');
    cache.setLimits({ maxBytes: 0 });
    assert.equal(cache.size, 0);
    cache.setLimits({ maxBytes: 1 << 20 });
    cache.set(key('e'), 7);
    assert.equal(cache.get(key('e')), 7, 'a cache switched off and on again stores');
  });

  it('stores nothing with a cap of 0 bytes or 0 entries, nor an entry larger than the cap; maxEntries also bounds', () => {
    for (const limits of [{ maxBytes: 0 }, { maxBytes: 1 << 20, maxEntries: 0 }]) {
      const cache = sized(limits);
      cache.set(key('a'), 1);
      assert.equal(cache.size, 0);
    }
    const small = sized({ maxBytes: 1000 });
    small.set(key('big'), 5000);
    assert.equal(small.size, 0);
    const counted = sized({ maxBytes: 1 << 20, maxEntries: 2 });
    for (const t of ['a', 'b', 'c']) counted.set(key(t), 1);
    assert.equal(counted.size, 2);
    assert.equal(counted.get(key('a')), undefined);
    counted.clear();
    assert.equal(counted.bytes, 0);
  });
});
