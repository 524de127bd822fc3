import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CliError } from '../../../src/cli/cliError';
import { decodeUtf8 } from '../../../src/cli/textDecoding';
import { firstInvalidUtf8 } from '../../../src/core/utf8';

const fatal = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const valid = (bytes: Uint8Array) => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('CLI text decoding', () => {
  it('finds the first invalid UTF-8 byte exactly where the WHATWG decoder fails', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const at = firstInvalidUtf8(bytes);
        assert.equal(at === -1, valid(bytes));
        if (at >= 0) {
          assert.ok(valid(bytes.subarray(0, at)), 'everything before the reported byte is valid');
          assert.ok(lenient.decode(bytes.subarray(at)).startsWith('\ufffd'), 'the reported byte starts a bad sequence');
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => assert.equal(firstInvalidUtf8(Buffer.from(text)), -1)));
    // Overlong "/", a UTF-16 surrogate, above U+10FFFF, a truncated sequence at the end.
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0x61, 0xe6, 0x9d],
    ]) {
      assert.equal(firstInvalidUtf8(new Uint8Array(bad)), bad[0] === 0x61 ? 1 : 0);
    }
  });

  it('names line and column (in characters, after a byte order mark) of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('\ufeff東京\r\nok\n🚀 x'), Buffer.from([0xff]), Buffer.from('\n')]);
    assert.throws(
      () => decodeUtf8(bytes, 'F.txt'),
      (e: Error) =>
        e instanceof CliError &&
        e.message === 'F.txt:3: not valid UTF-8 (byte 0xFF at column 4); save the file as UTF-8, or pass --encoding-errors replace to accept it with U+FFFD',
    );
    assert.throws(
      () => decodeUtf8(Buffer.from([0xff, 0xfe, 0x68, 0x00]), 'U.txt'),
      /^CliError: U\.txt:1: not valid UTF-8 \(byte 0xFF at column 1; the file starts with a UTF-16 byte order mark\)/,
    );
    assert.throws(() => decodeUtf8(Buffer.from([0x0a, 0xe9]), '<stdin>'), /^CliError: <stdin>:2: .*; send UTF-8 on stdin, or pass --encoding-errors replace/);
  });

  it('replace reads each bad sequence as U+FFFD, notes where the first was, and drops a byte order mark', () => {
    const notes: string[] = [];
    const text = decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xe9, 0x62, 0x0a, 0xc0, 0xaf]), 'F.txt', 'replace', (m) => notes.push(m));
    assert.equal(text, 'a\ufffdb\n\ufffd\ufffd');
    assert.deepEqual(notes, ['F.txt:1: not valid UTF-8 (byte 0xE9 at column 2); invalid bytes read as U+FFFD (--encoding-errors replace)']);
    assert.equal(
      decodeUtf8(Buffer.from('\ufeffplain'), 'F.txt', 'strict', () => assert.fail('no note for valid input')),
      'plain',
    );
  });
});
