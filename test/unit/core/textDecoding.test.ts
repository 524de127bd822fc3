import assert from 'node:assert/strict';
import { BINARY_SNIFF_BYTES, decodeTextBytes } from '../../../src/core/textDecoding';

const bytes = (...values: number[]) => Uint8Array.from(values);

function utf16(text: string, order: 'le' | 'be'): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const body = order === 'le' ? le : Buffer.from(le).swap16();
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

describe('decodeTextBytes', () => {
  it('decodes UTF-8 and drops a byte-order mark', () => {
    assert.deepEqual(decodeTextBytes(Buffer.from('a 句 🙂')), { kind: 'text', text: 'a 句 🙂', encoding: 'utf-8' });
    assert.deepEqual(decodeTextBytes(bytes(0xef, 0xbb, 0xbf, 0x68, 0x69)), { kind: 'text', text: 'hi', encoding: 'utf-8' });
    assert.deepEqual(decodeTextBytes(bytes()), { kind: 'text', text: '', encoding: 'utf-8' });
  });

  it('refuses malformed UTF-8 the lenient decoder would patch, naming byte, offset and line', () => {
    const cases: Array<[string, Uint8Array, string]> = [
      ['Latin-1', Buffer.from('line\ncaf\xe9', 'latin1'), 'not UTF-8: byte 0xe9 at offset 8 (line 2)'],
      ['encoded surrogate', bytes(0x61, 0xed, 0xa0, 0x80), 'not UTF-8: byte 0xed at offset 1 (line 1)'],
      ['overlong slash', bytes(0x61, 0x62, 0xc0, 0xaf), 'not UTF-8: byte 0xc0 at offset 2 (line 1)'],
      ['sequence cut at the end', bytes(0x61, 0xe4, 0xb8), 'not UTF-8: byte 0xe4 at offset 1 (line 1)'],
      ['after a BOM (offset from the file start)', bytes(0xef, 0xbb, 0xbf, 0x61, 0xff), 'not UTF-8: byte 0xff at offset 4 (line 1)'],
    ];
    for (const [name, input, note] of cases) assert.deepEqual(decodeTextBytes(input), { kind: 'undecodable', note }, name);
  });

  it(`calls bytes binary when a NUL appears in the first ${BINARY_SNIFF_BYTES} (git's test), not later`, () => {
    const early = new Uint8Array(9000).fill(0x61);
    early[BINARY_SNIFF_BYTES - 1] = 0;
    assert.deepEqual(decodeTextBytes(early), { kind: 'binary', note: `NUL byte at offset ${BINARY_SNIFF_BYTES - 1}` });
    const late = new Uint8Array(9000).fill(0x61);
    late[BINARY_SNIFF_BYTES] = 0;
    assert.equal(decodeTextBytes(late).kind, 'text');
  });

  it('decodes UTF-16 with its byte-order mark, both byte orders, across conversion slices', () => {
    const text = 'Grüße, 世界 🙂\r\n'.repeat(1000); // > 8192 code units, a surrogate pair on many slice offsets
    for (const order of ['le', 'be'] as const) {
      const decoded = decodeTextBytes(utf16(text, order));
      assert.equal(decoded.kind === 'text' && decoded.text, text, order);
      assert.equal(decoded.kind === 'text' && decoded.encoding, `utf-16${order}`);
    }
  });

  it('refuses broken UTF-16 and any UTF-32', () => {
    assert.deepEqual(decodeTextBytes(bytes(0xff, 0xfe, 0x61, 0x00, 0x62)), {
      kind: 'undecodable',
      note: 'UTF-16LE text with an odd number of bytes (5)',
    });
    assert.deepEqual(decodeTextBytes(bytes(0xfe, 0xff, 0x00, 0x61, 0xdc, 0x00)), {
      kind: 'undecodable',
      note: 'UTF-16BE: unpaired surrogate at offset 4',
    });
    assert.deepEqual(decodeTextBytes(bytes(0xff, 0xfe, 0x3d, 0xd8)), {
      kind: 'undecodable',
      note: 'UTF-16LE: unpaired surrogate at offset 2',
    });
    for (const bom of [bytes(0xff, 0xfe, 0x00, 0x00, 0x61, 0, 0, 0), bytes(0x00, 0x00, 0xfe, 0xff, 0, 0, 0, 0x61)]) {
      assert.equal(decodeTextBytes(bom).kind, 'undecodable');
    }
  });
});
