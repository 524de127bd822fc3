import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LIMITS, type WebviewMessage } from '../../../src/shared/studioProtocol';
import { STUDIO_METHODS, STUDIO_NOTIFICATION_METHODS, parseWebviewMessage } from '../../../src/shared/studioMessageValidation';

const valid: WebviewMessage[] = [
  { type: 'notification', method: 'webview/ready', params: {} },
  { type: 'notification', method: 'request/cancel', params: { id: 3 } },
  { type: 'request', id: 1, method: 'model/status', params: {} },
  { type: 'request', id: 2, method: 'model/load', params: {} },
  { type: 'request', id: 3, method: 'model/unload', params: {} },
  { type: 'request', id: 4, method: 'model/setDtype', params: { dtype: 'q8' } },
  { type: 'request', id: 5, method: 'similarity/compute', params: { a: 'x', b: '' } },
  { type: 'request', id: 6, method: 'encode/compute', params: { text: '你好' } },
  { type: 'request', id: 7, method: 'encode/copy', params: { text: 'x' } },
  { type: 'request', id: 8, method: 'encode/export', params: { text: 'x', format: 'npy' } },
  { type: 'request', id: 9, method: 'search/run', params: { query: 'q', candidates: ['a', 'b'], topK: 5 } },
  { type: 'request', id: 10, method: 'search/openCandidates', params: {} },
  { type: 'request', id: 11, method: 'matrix/compute', params: { texts: ['a', 'b', 'c'] } },
  { type: 'request', id: 12, method: 'examples/run', params: {} },
  { type: 'request', id: 13, method: 'examples/list', params: {} },
  { type: 'request', id: 14, method: 'examples/load', params: { path: '/w/results/test_20250101_120000.json' } },
  { type: 'request', id: 15, method: 'examples/open', params: { path: 'test_20250101_120000.json' } },
  { type: 'request', id: 16, method: 'command/run', params: { command: 'minilm.chooseModelFolder' } },
  { type: 'request', id: 17, method: 'similarity/explain', params: { a: 'The cat sat.', b: 'A kitten sits.' } },
  { type: 'request', id: 18, method: 'model/catalogue', params: {} },
  { type: 'request', id: 19, method: 'model/pick', params: { id: 'bge-small-zh-v1.5' } },
  { type: 'request', id: 20, method: 'model/useOther', params: { model: 'BAAI/bge-small-en-v1.5@main' } },
  { type: 'request', id: 21, method: 'compare/similarity', params: { a: 'A cat.', b: '一只猫。', model: 'paraphrase-multilingual-MiniLM-L12-v2' } },
  { type: 'request', id: 22, method: 'compare/matrix', params: { texts: ['a', 'b'], model: '/models/tiny' } },
  { type: 'request', id: 23, method: 'model/loaded', params: {} },
  { type: 'request', id: 24, method: 'model/unloadPooled', params: { key: '{"model":"folder /w/m","dtype":"fp32","backend":"local"}' } },
];

describe('Studio protocol validation', () => {
  it('accepts one valid message for every request and notification method', () => {
    const methods = new Set(valid.map((m) => m.method));
    assert.deepEqual([...methods].sort(), [...STUDIO_METHODS, ...STUDIO_NOTIFICATION_METHODS].sort(), 'the table covers every method');
    for (const message of valid) {
      const parsed = parseWebviewMessage(message);
      assert.ok(parsed.ok, `${message.method}: ${parsed.ok ? '' : parsed.reason}`);
      assert.deepEqual(parsed.message, message);
    }
  });

  it('model picker requests: a catalogue id and a model name are non-empty strings of bounded length, nothing else', () => {
    for (const junk of [
      { type: 'request', id: 1, method: 'model/pick', params: {} },
      { type: 'request', id: 1, method: 'model/pick', params: { id: '' } },
      { type: 'request', id: 1, method: 'model/pick', params: { id: 7 } },
      { type: 'request', id: 1, method: 'model/pick', params: { id: 'x'.repeat(201) } },
      { type: 'request', id: 1, method: 'model/pick', params: { id: 'all-MiniLM-L6-v2', download: true } },
      { type: 'request', id: 1, method: 'model/useOther', params: { model: '   ' } },
      { type: 'request', id: 1, method: 'model/useOther', params: { model: 'a/b'.padEnd(4097, 'c') } },
      { type: 'request', id: 1, method: 'model/useOther', params: { model: ['a/b'] } },
      { type: 'request', id: 1, method: 'model/catalogue', params: { dtype: 'q8' } },
      { type: 'request', id: 1, method: 'model/loaded', params: { all: true } },
      { type: 'request', id: 1, method: 'model/unloadPooled', params: {} },
      { type: 'request', id: 1, method: 'model/unloadPooled', params: { key: '' } },
      { type: 'request', id: 1, method: 'model/unloadPooled', params: { key: 3 } },
      { type: 'request', id: 1, method: 'model/unloadPooled', params: { key: 'x'.repeat(8193) } },
    ]) {
      assert.equal(parseWebviewMessage(junk).ok, false, JSON.stringify(junk).slice(0, 120));
    }
    const spaced = parseWebviewMessage({ type: 'request', id: 1, method: 'model/useOther', params: { model: '  ./models/x  ' } });
    assert.ok(spaced.ok);
    assert.deepEqual(spaced.message.params, { model: './models/x' }, 'the name is trimmed before the host reads it');
  });

  it('compare requests: the model is a non-empty bounded name, the texts as their single-model requests', () => {
    for (const junk of [
      { type: 'request', id: 1, method: 'compare/similarity', params: { a: 'x', b: 'y' } },
      { type: 'request', id: 1, method: 'compare/similarity', params: { a: 'x', b: 'y', model: ' ' } },
      { type: 'request', id: 1, method: 'compare/similarity', params: { a: 'x', b: 'y', model: 'a/b'.padEnd(4097, 'c') } },
      { type: 'request', id: 1, method: 'compare/similarity', params: { a: 'x', b: 'y', model: 'a/b', download: true } },
      { type: 'request', id: 1, method: 'compare/similarity', params: { a: 'x'.repeat(LIMITS.textLength + 1), b: 'y', model: 'a/b' } },
      { type: 'request', id: 1, method: 'compare/matrix', params: { texts: ['only one'], model: 'a/b' } },
      { type: 'request', id: 1, method: 'compare/matrix', params: { texts: Array.from({ length: LIMITS.matrixTexts + 1 }, () => 't'), model: 'a/b' } },
      { type: 'request', id: 1, method: 'compare/matrix', params: { texts: ['a', 2], model: 'a/b' } },
      { type: 'request', id: 1, method: 'compare/matrix', params: { texts: ['a', 'b'], model: { kind: 'other' } } },
    ]) {
      assert.equal(parseWebviewMessage(junk).ok, false, JSON.stringify(junk).slice(0, 120));
    }
    const spaced = parseWebviewMessage({ type: 'request', id: 1, method: 'compare/matrix', params: { texts: ['a', 'b'], model: '  owner/name@main ' } });
    assert.ok(spaced.ok);
    assert.deepEqual(spaced.message.params, { texts: ['a', 'b'], model: 'owner/name@main' });
  });

  it('rejects unknown methods, wrong kinds and prototype keys', () => {
    for (const junk of [
      { type: 'request', id: 1, method: 'fs/delete', params: {} },
      { type: 'request', id: 1, method: 'webview/ready', params: {} },
      { type: 'notification', method: 'model/load', params: {} },
      { type: 'request', id: 1, method: 'toString', params: {} },
      { type: 'request', id: 1, method: '__proto__', params: {} },
      { type: 'response', id: 1, ok: true, result: null },
    ]) {
      const parsed = parseWebviewMessage(junk);
      assert.equal(parsed.ok, false, JSON.stringify(junk));
    }
  });

  it('rejects malformed envelopes and params', () => {
    const cases: unknown[] = [
      null,
      undefined,
      'model/load',
      42,
      [],
      { type: 'request', method: 'model/load', params: {} }, // no id
      { type: 'request', id: -1, method: 'model/load', params: {} },
      { type: 'request', id: 1.5, method: 'model/load', params: {} },
      { type: 'request', id: '1', method: 'model/load', params: {} },
      { type: 'request', id: 1, method: 'model/load', params: {}, extra: true },
      { type: 'request', id: 1, method: 'model/load', params: { force: true } },
      { type: 'request', id: 1, method: 'model/setDtype', params: { dtype: 'fp16' } },
      { type: 'request', id: 1, method: 'similarity/compute', params: { a: 'x' } },
      { type: 'request', id: 1, method: 'similarity/compute', params: { a: 1, b: 'y' } },
      { type: 'request', id: 1, method: 'similarity/explain', params: { a: 'x', b: 'y', idf: true } },
      { type: 'request', id: 1, method: 'similarity/explain', params: { a: 'x', b: 'y'.repeat(LIMITS.textLength + 1) } },
      { type: 'request', id: 1, method: 'encode/export', params: { text: 'x', format: 'exe' } },
      { type: 'request', id: 1, method: 'search/run', params: { query: 'q', candidates: [], topK: 5 } },
      { type: 'request', id: 1, method: 'search/run', params: { query: 'q', candidates: ['a'], topK: 0 } },
      { type: 'request', id: 1, method: 'search/run', params: { query: 'q', candidates: ['a'], topK: LIMITS.topK + 1 } },
      { type: 'request', id: 1, method: 'search/run', params: { query: 'q', candidates: [1], topK: 1 } },
      { type: 'request', id: 1, method: 'matrix/compute', params: { texts: ['only one'] } },
      { type: 'request', id: 1, method: 'encode/compute', params: { text: 'x'.repeat(LIMITS.textLength + 1) } },
      { type: 'request', id: 1, method: 'command/run', params: { command: 'workbench.action.terminal.sendSequence' } },
      { type: 'request', id: 1, method: 'examples/load', params: { path: '' } },
      { type: 'notification', method: 'request/cancel', params: {} },
    ];
    for (const junk of cases) assert.equal(parseWebviewMessage(junk).ok, false, JSON.stringify(junk)?.slice(0, 120));
  });

  it('never throws on arbitrary input, and what it accepts is a known method with re-parseable params', () => {
    const known = new Set<string>([...STUDIO_METHODS, ...STUDIO_NOTIFICATION_METHODS]);
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withMap: true, withSet: true, withBigInt: true }), (junk) => {
        const parsed = parseWebviewMessage(junk);
        if (parsed.ok) {
          assert.ok(known.has(parsed.message.method));
          assert.ok(parseWebviewMessage(JSON.parse(JSON.stringify(parsed.message))).ok);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('envelopes with a random method string are rejected unless the method is known', () => {
    const known = new Set<string>(STUDIO_METHODS);
    fc.assert(
      fc.property(fc.string(), fc.nat(), (method, id) => {
        const parsed = parseWebviewMessage({ type: 'request', id, method, params: {} });
        if (!known.has(method)) assert.equal(parsed.ok, false);
      }),
    );
  });

  it('similarity requests with any two strings are accepted; any extra param key is rejected', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.string({ minLength: 1 }).filter((k) => k !== 'a' && k !== 'b'),
        (a, b, extra) => {
          assert.ok(parseWebviewMessage({ type: 'request', id: 1, method: 'similarity/compute', params: { a, b } }).ok);
          assert.equal(parseWebviewMessage({ type: 'request', id: 1, method: 'similarity/compute', params: { a, b, [extra]: 1 } }).ok, false);
        },
      ),
    );
  });
});
