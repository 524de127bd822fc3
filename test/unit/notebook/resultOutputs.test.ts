import assert from 'node:assert/strict';
import { similarityMatrix } from '../../../src/core';
import { MATRIX_MIME, payloadToCsv, type MatrixOutput } from '../../../src/shared/matrixOutput';
import { formatDocument, outputItemsFromJson, outputItemsOf, resultDocument } from '../../../src/notebook/resultOutputs';
import type { DirectiveResult } from '../../../src/notebook/directiveRunner';

const vectors = [new Float32Array([1, 0, 0]), new Float32Array([0.6, 0.8, 0]), new Float32Array([0, 0, 1])];
const texts = ['a <b> & "c"', 'x | y', 'z\nw'];

describe('notebook result outputs', () => {
  const compare: DirectiveResult = { kind: 'compare', texts, similarityFunction: 'cosine', matrix: similarityMatrix(vectors) };

  it('orders items richest first: matrix payload, HTML, markdown, JSON', () => {
    assert.deepEqual(
      outputItemsOf(compare).map((i) => i.mime),
      [MATRIX_MIME, 'text/html', 'text/markdown', 'application/json'],
    );
  });

  it('the JSON document is valid, one row per line, and rebuilds identical items (what a saved notebook shows)', () => {
    const json = formatDocument(resultDocument(compare));
    const parsed = JSON.parse(json);
    assert.deepEqual(parsed.matrix, [
      [1, 0.6, 0],
      [0.6, 1, 0],
      [0, 0, 1],
    ]);
    assert.ok(json.includes('\n[1,0.6,0],\n'), json);
    assert.deepEqual(outputItemsFromJson(json), outputItemsOf(compare));
  });

  it('a result produced by a named model says so in its JSON, its renderer title and both fallbacks, and reloads the same', () => {
    const items = outputItemsOf(compare, undefined, 'bert-cls fp32');
    const json = items.find((i) => i.mime === 'application/json')!.text;
    assert.equal(JSON.parse(json).model, 'bert-cls fp32');
    assert.match((JSON.parse(items.find((i) => i.mime === MATRIX_MIME)!.text) as MatrixOutput).title, / — model bert-cls fp32$/);
    for (const mime of ['text/html', 'text/markdown']) assert.ok(items.find((i) => i.mime === mime)!.text.includes('model bert-cls fp32'), mime);
    assert.deepEqual(outputItemsFromJson(json), items);
    assert.ok(!outputItemsOf(compare).some((i) => i.text.includes('— model')), 'no model named: titles as before');
  });

  it('a compare under a model whose similarity function is not cosine names it, scales to its values, and reloads the same', () => {
    const dot: DirectiveResult = {
      kind: 'compare',
      texts,
      similarityFunction: 'dot',
      matrix: similarityMatrix(
        vectors.map((v) => v.map((x) => x * 2)),
        undefined,
        { scoreFunction: 'dot' },
      ),
    };
    const items = outputItemsOf(dot);
    const json = items.find((i) => i.mime === 'application/json')!.text;
    assert.equal(JSON.parse(json).similarity_fn, 'dot');
    const payload = JSON.parse(items.find((i) => i.mime === MATRIX_MIME)!.text) as MatrixOutput;
    assert.match(payload.title, /^Dot product, 3 texts/);
    assert.deepEqual(payload.scale, [0, 4]);
    assert.ok(items.find((i) => i.mime === 'text/markdown')!.text.includes('Dot product'));
    assert.deepEqual(outputItemsFromJson(json), items);
  });

  it('a saved compare without similarity_fn reads as cosine; one naming an unknown function is refused', () => {
    const json = formatDocument(resultDocument(compare));
    const old = JSON.stringify({ ...JSON.parse(json), similarity_fn: undefined });
    assert.match((JSON.parse(outputItemsFromJson(old)[0]!.text) as MatrixOutput).title, /^Cosine similarity/);
    assert.throws(() => outputItemsFromJson(JSON.stringify({ ...JSON.parse(json), similarity_fn: 'toString' })), /unknown similarity_fn "toString"/);
  });

  it('keeps float32 values exact in the JSON', () => {
    const v = [new Float32Array([0.1, 0.2, 0.3]), new Float32Array([0.3, 0.2, 0.1])];
    const encode: DirectiveResult = { kind: 'encode', texts: ['p', 'q'], vectors: v };
    const doc = JSON.parse(formatDocument(resultDocument(encode)));
    doc.vectors.forEach((row: number[], i: number) => assert.deepEqual(Float32Array.from(row), v[i]));
  });

  it('escapes HTML and markdown', () => {
    const items = outputItemsOf(compare);
    const html = items.find((i) => i.mime === 'text/html')!.text;
    assert.ok(html.includes('a &lt;b&gt; &amp; &quot;c&quot;'));
    assert.ok(!html.includes('<b>'));
    const markdown = items.find((i) => i.mime === 'text/markdown')!.text;
    assert.ok(markdown.includes('x \\| y'));
    assert.ok(markdown.includes('z w'));
  });

  it('gives the renderer a matrix payload for compare and a table for search', () => {
    const payload = JSON.parse(outputItemsOf(compare)[0].text) as MatrixOutput;
    assert.equal(payload.kind, 'matrix');
    assert.deepEqual(payload.rowLabels, texts);
    const search: DirectiveResult = {
      kind: 'search',
      query: 'q',
      candidates: 3,
      top: 2,
      hits: [
        { index: 1, text: 'x | y', score: 0.9 },
        { index: 0, text: 'a', score: 0.5 },
      ],
    };
    const table = JSON.parse(outputItemsOf(search)[0].text) as MatrixOutput;
    assert.ok(table.kind === 'table');
    assert.deepEqual(table.rows[0], [1, 0.9, 'x | y', 2]);
  });

  it('writes CSV with quoted fields and the chosen row order', () => {
    const payload = JSON.parse(outputItemsOf(compare)[0].text) as MatrixOutput;
    const csv = payloadToCsv(payload, [2, 0, 1]);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], ',"a <b> & ""c""",x | y,"z\nw"');
    assert.ok(lines[1].startsWith('"z\nw",0,0,1'));
  });
});
