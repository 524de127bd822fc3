import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readIndexableFile } from '../../../../src/engine/workspaceIndex/fileContent';
import type { CandidateFile } from '../../../../src/engine/workspaceIndex/types';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = order === 'le' ? le : Buffer.from(le).swap16();
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
}

describe('readIndexableFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-content-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function candidate(name: string, bytes: Uint8Array | string): CandidateFile {
    const absolutePath = path.join(dir, name);
    fs.writeFileSync(absolutePath, bytes);
    const stats = fs.statSync(absolutePath);
    return { path: name, absolutePath, size: stats.size, mtimeMs: stats.mtimeMs };
  }

  it('reads UTF-8 text and hashes the raw bytes with SHA-256', async () => {
    const text = 'Sentence embeddings — 句子嵌入 🙂\nsecond line\n';
    const result = await readIndexableFile(candidate('a.md', text));
    assert.deepEqual(result, { kind: 'text', text, hash: sha256(Buffer.from(text)) });
  });

  it('an empty file is empty text', async () => {
    assert.deepEqual(await readIndexableFile(candidate('empty.txt', '')), { kind: 'text', text: '', hash: sha256(Buffer.alloc(0)) });
  });

  it('strips a UTF-8 byte-order mark from the text but hashes it', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo')]);
    const result = await readIndexableFile(candidate('bom.txt', bytes));
    assert.deepEqual(result, { kind: 'text', text: 'héllo', hash: sha256(bytes) });
  });

  it('decodes UTF-16 little- and big-endian files that start with their byte-order mark', async () => {
    const text = 'Grüße, 世界 🙂\r\n';
    for (const order of ['le', 'be'] as const) {
      const bytes = utf16(text, order);
      const result = await readIndexableFile(candidate(`u16${order}.txt`, bytes));
      assert.deepEqual(result, { kind: 'text', text, hash: sha256(bytes) }, order);
    }
  });

  it('skips a file with a NUL byte in its first 8000 bytes as binary, naming the offset', async () => {
    const bytes = Buffer.from('PK\u0003\u0004 header then text');
    bytes[10] = 0;
    assert.deepEqual(await readIndexableFile(candidate('blob.dat', bytes)), {
      kind: 'skipped',
      reason: 'binary',
      note: 'NUL byte at offset 10',
    });
  });

  it('skips Latin-1 text as undecodable, naming the byte, its offset and line', async () => {
    const bytes = Buffer.from('first line\ncaf\xe9 au lait\n', 'latin1');
    assert.deepEqual(await readIndexableFile(candidate('latin1.txt', bytes)), {
      kind: 'skipped',
      reason: 'undecodable',
      note: 'not UTF-8: byte 0xe9 at offset 14 (line 2)',
    });
  });

  it('skips a file that grew past the limit since the walk as too-large, and a vanished one as unreadable', async () => {
    const file = candidate('grown.txt', 'x'.repeat(50));
    assert.deepEqual(await readIndexableFile(file, { maxFileBytes: 10 }), {
      kind: 'skipped',
      reason: 'too-large',
      note: '50 bytes > 10',
    });
    fs.rmSync(file.absolutePath);
    assert.deepEqual(await readIndexableFile(file), { kind: 'skipped', reason: 'unreadable', note: 'ENOENT' });
  });
});
