import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { errorLine } from '../../../src/cli/program';
import { CliError, oneLine } from '../../../src/cli/cliError';
import { EngineError } from '../../../src/engine';
import { cellText, csvLines, displayWidth, jsonArrayLines, renderTable, vectorJson } from '../../../src/cli/output';
import { writeToStream } from '../../../src/cli/outTarget';

describe('CLI output', () => {
  it('streams a JSON array one element per line that parses back to the input', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 5 })), (rows) => {
        const text = [...jsonArrayLines(rows, vectorJson)].join('');
        assert.deepEqual(
          JSON.parse(text),
          rows.map((r) => r.map((x) => (Object.is(x, -0) ? 0 : x))),
        );
      }),
    );
  });

  it('prints float32 vectors at full precision (the exact float32 value, like tensor.tolist())', () => {
    const vector = new Float32Array([0.1, -1 / 3, 1e-8]);
    const parsed = JSON.parse(vectorJson(vector)) as number[];
    assert.deepEqual(parsed, Array.from(vector));
    assert.equal(parsed[0], 0.10000000149011612);
  });

  it('writes through a stream in order, waiting for drain', async () => {
    const sink = new PassThrough({ highWaterMark: 16 });
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const pieces = Array.from({ length: 5000 }, (_, i) => `${i},`);
    await writeToStream(sink, pieces);
    sink.end();
    assert.equal(Buffer.concat(chunks).toString(), pieces.join(''));
  });

  it('quotes CSV cells only when needed, with CRLF line ends', () => {
    assert.equal(
      [
        ...csvLines(
          ['text', 'score'],
          [
            ['a, "b"', 0.5],
            ['plain', 1],
          ],
        ),
      ].join(''),
      'text,score\r\n"a, ""b""",0.5\r\nplain,1\r\n',
    );
  });

  it('shows texts on one table line and aligns wide characters', () => {
    assert.equal(cellText('a\nb\tc'), 'a⏎b→c');
    assert.equal(cellText(''), '(empty)');
    assert.equal(cellText('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
    assert.equal(displayWidth('東京ab'), 6);
    const table = renderTable(
      ['n', 'text'],
      [
        ['1', '東京'],
        ['22', 'ab'],
      ],
      ['right'],
    ).split('\n');
    assert.equal(table[2], ' 1  東京');
    assert.equal(table[3], '22  ab');
  });

  it('turns every failure into one line; unexpected errors say how to get details', () => {
    assert.equal(oneLine('a\n  b\r\nc'), 'a b c');
    assert.equal(errorLine(new CliError('F.jsonl:3: not valid JSON')), 'F.jsonl:3: not valid JSON');
    assert.match(errorLine(new EngineError('MODEL_NOT_FOUND', 'No model in /x.')), /^No model in \/x\. .*--model-dir DIR/);
    assert.equal(errorLine(new EngineError('MODEL_CORRUPT', '/m/onnx/model.onnx is corrupted\n(details)')), '/m/onnx/model.onnx is corrupted (details)');
    assert.match(errorLine(new TypeError('x is undefined')), /^unexpected error: x is undefined \(set MINILM_DEBUG=1/);
  });
});
