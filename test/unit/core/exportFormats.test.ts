import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import {
  csvField,
  formatFloat32,
  npyToVectors,
  parseNpyHeader,
  projectorField,
  projectorMetadata,
  vectorsToCsv,
  vectorsToJson,
  vectorsToNpy,
  vectorsToProjectorTensors,
} from '../../../src/core/exportFormats';
import { randomUnitVectors } from './testVectors';

/** Texts that break naive CSV/TSV writers. */
const hostileText = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', '\t', '中', '😀', ';', "'") }),
  fc.string(),
  fc.constantFrom('', '"', '""', ',', '\r\n', 'a,"b"\nc', ' leading', '=1+2'),
);

describe('core/exportFormats', () => {
  it('prints float32 values at their shortest exact form', () => {
    assert.equal(formatFloat32(0.1), '0.1');
    assert.equal(formatFloat32(Math.fround(0.1)), '0.1');
    assert.equal(formatFloat32(-1), '-1');
    assert.equal(formatFloat32(0), '0');
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        assert.equal(Math.fround(Number(formatFloat32(x))), Math.fround(x) === 0 ? 0 : Math.fround(x));
      }),
    );
  });

  it('JSON round-trips vectors exactly as float32, with or without texts', () => {
    const vectors = randomUnitVectors(4, 384, 2);
    const back = JSON.parse(vectorsToJson(vectors)) as number[][];
    assert.deepEqual(
      back.map((r) => Array.from(Float32Array.from(r))),
      vectors.map((v) => Array.from(v)),
    );
    const texts = ['a "quoted"\ntext', '', '中文', '\t'];
    const withTexts = JSON.parse(vectorsToJson(vectors, texts)) as Array<{ text: string; embedding: number[] }>;
    assert.deepEqual(
      withTexts.map((r) => r.text),
      texts,
    );
    assert.equal(withTexts[3].embedding.length, 384);
    assert.throws(() => vectorsToJson(vectors, ['one']), /texts/);
  });

  it('quotes CSV fields per RFC 4180', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\r'), '"cr\r"');
  });

  it('CSV round-trips hostile texts and float32 values through csv-parse', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 5 }), (texts, dim) => {
        const vectors = texts.map((_, i) => Float32Array.from({ length: dim }, (_, k) => Math.fround(Math.sin(i * 7 + k) / 3)));
        const csv = vectorsToCsv(vectors, texts);
        const rows = parse(csv, { relax_column_count: false }) as string[][];
        assert.deepEqual(rows[0], ['text', ...Array.from({ length: dim }, (_, k) => `dim_${k}`)]);
        assert.equal(rows.length, texts.length + 1);
        rows.slice(1).forEach((row, i) => {
          assert.equal(row[0], texts[i]);
          assert.deepEqual(
            row.slice(1).map((x) => Math.fround(Number(x))),
            Array.from(vectors[i]),
          );
        });
      }),
    );
  });

  it('writes a 384-column CSV header without texts', () => {
    const csv = vectorsToCsv(randomUnitVectors(2, 384));
    const rows = parse(csv) as string[][];
    assert.equal(rows[0][0], 'dim_0');
    assert.equal(rows[0][383], 'dim_383');
    assert.equal(rows[0].length, 384);
    assert.equal(rows.length, 3);
    assert.ok(csv.endsWith('\r\n'));
  });

  it('writes .npy version 1.0 with a 64-byte aligned <f4 (n, 384) header and reads it back', () => {
    for (const n of [0, 1, 3, 17]) {
      const vectors = randomUnitVectors(n, 384, n + 1);
      const bytes = vectorsToNpy(vectors, 384);
      assert.deepEqual(Array.from(bytes.subarray(0, 8)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      const header = parseNpyHeader(bytes);
      assert.deepEqual(header, { version: [1, 0], descr: '<f4', fortranOrder: false, shape: [n, 384], dataOffset: header.dataOffset });
      assert.equal(header.dataOffset % 64, 0);
      assert.equal(bytes[header.dataOffset - 1], 0x0a, 'header ends with a newline');
      assert.equal(bytes.length, header.dataOffset + n * 384 * 4);
      const text = Buffer.from(bytes.subarray(10, header.dataOffset)).toString('latin1');
      assert.match(text, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(\d+, 384\), \} *\n$/);
      assert.deepEqual(
        npyToVectors(bytes).map((v) => Array.from(v)),
        vectors.map((v) => Array.from(v)),
      );
      // Little endian regardless of the host: check one value byte by byte.
      if (n > 0) assert.equal(Buffer.from(bytes).readFloatLE(header.dataOffset + 4), vectors[0][1]);
    }
  });

  it('rejects a non-npy buffer', () => {
    assert.throws(() => parseNpyHeader(new Uint8Array(20)), /magic/);
  });

  it('writes Embedding Projector tensors and metadata with one line per vector', () => {
    const vectors = randomUnitVectors(3, 4);
    const tensors = vectorsToProjectorTensors(vectors);
    const lines = tensors.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[1].split('\t').map(Number).map(Math.fround), Array.from(vectors[1]));

    const texts = ['tab\there', 'two\nlines\r\nthree', ''];
    const single = projectorMetadata({ text: texts });
    assert.equal(single, 'tab here\ntwo lines three\n(empty)\n', 'one column: no header');
    const several = projectorMetadata({ text: texts, topic: ['a', 'b', 'c'] });
    assert.equal(several, 'text\ttopic\ntab here\ta\ntwo lines three\tb\n(empty)\tc\n');
    assert.throws(() => projectorMetadata({ text: ['a'], topic: [] }), /topic/);
  });

  it('keeps the projector metadata aligned with the tensors for any text', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 10 }), (texts) => {
        const single = projectorMetadata({ text: texts }).split('\n');
        assert.equal(single.length, texts.length + 1);
        assert.equal(single[texts.length], '');
        for (const line of single.slice(0, -1)) assert.ok(line.length > 0 && !line.includes('\t') && !line.includes('\r'));
        for (const t of texts) assert.ok(!/[\t\r\n]/.test(projectorField(t)));
      }),
    );
  });
});
