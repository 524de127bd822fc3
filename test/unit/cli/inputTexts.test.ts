import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { CliError } from '../../../src/cli/cliError';
import { formatOfFile, parseTexts, readTexts } from '../../../src/cli/inputTexts';

const jsonl = (content: string) => parseTexts(content, { name: 'F.jsonl', format: 'jsonl' });

describe('input texts', () => {
  describe('JSON Lines', () => {
    it('reads JSON strings and objects with a text field, keeping newlines and tabs inside texts', () => {
      const content = '"plain"\n{"text": "two\\nlines\\tand a tab", "id": 7}\n"\\u6771\\u4eac"\n';
      assert.deepEqual(jsonl(content), ['plain', 'two\nlines\tand a tab', '東京']);
    });

    it('skips blank lines, tolerates CRLF and a byte-order mark', () => {
      assert.deepEqual(jsonl('\ufeff"a"\r\n\r\n  \n"b"\r\n'), ['a', 'b']);
      assert.deepEqual(jsonl(''), []);
    });

    it('keeps empty and whitespace texts that are written as JSON', () => {
      assert.deepEqual(jsonl('""\n" "\n'), ['', ' ']);
    });

    it('names the line of malformed JSON', () => {
      assert.throws(
        () => jsonl('"ok"\n"fine"\n{"text": broken\n"after"\n'),
        (error: unknown) => error instanceof CliError && /^F\.jsonl:3: not valid JSON \(/.test(error.message) && !error.message.includes('\n'),
      );
    });

    it('refuses a text with an unpaired surrogate escape, naming line and code unit (ST raises on it); pairs and NUL pass', () => {
      assert.throws(() => jsonl('"ok"\n"a\\ud800b"\n'), /CliError: F\.jsonl:2: the text holds an unpaired surrogate \(\\uD800\), which is not Unicode text/);
      assert.throws(() => jsonl('{"text": "\\udfff"}\n'), /F\.jsonl:1: .*\\uDFFF/);
      assert.deepEqual(jsonl('"\\ud83d\\ude00"\n"nul\\u0000"\n'), ['\u{1F600}', 'nul\u0000']);
    });

    it('counts blank lines when naming the line', () => {
      assert.throws(() => jsonl('"a"\n\n42\n'), /CliError: F\.jsonl:3: expected a JSON string or an object with a "text" field, got a number$/);
    });

    it('rejects objects without a string text field, arrays and null', () => {
      assert.throws(() => jsonl('{"body": "x"}'), /F\.jsonl:1: object has no "text" field/);
      assert.throws(() => jsonl('"a"\n{"text": 5}'), /F\.jsonl:2: "text" is a number, not a string/);
      assert.throws(() => jsonl('["a"]'), /F\.jsonl:1: .*got an array/);
      assert.throws(() => jsonl('null'), /F\.jsonl:1: .*got null/);
    });

    it('round-trips any list of strings written with JSON.stringify', () => {
      fc.assert(
        fc.property(fc.array(fc.string({ unit: 'binary' })), fc.boolean(), (texts, asObjects) => {
          const content = texts.map((t) => JSON.stringify(asObjects ? { text: t } : t)).join('\n');
          assert.deepEqual(jsonl(content), texts);
        }),
      );
    });
  });

  describe('plain text', () => {
    const txt = (content: string) => parseTexts(content, { name: 'F.txt', format: 'txt' });
    it('takes one text per line, without the final line break', () => {
      assert.deepEqual(txt('a\nb\n'), ['a', 'b']);
      assert.deepEqual(txt('a\r\nb'), ['a', 'b']);
      assert.deepEqual(txt(''), []);
    });
    it('keeps blank lines inside the file so indexes match line numbers', () => {
      assert.deepEqual(txt('a\n\nc\n'), ['a', '', 'c']);
    });
  });

  describe('JSON array', () => {
    const json = (content: string) => parseTexts(content, { name: 'F.json', format: 'json' });
    it('reads strings and objects with a text field', () => {
      assert.deepEqual(json('["a", {"text": "b"}]'), ['a', 'b']);
    });
    it('names the bad item', () => {
      assert.throws(() => json('["a", 3]'), /F\.json: item 1 is a number/);
      assert.throws(() => json('{"text": "a"}'), /expected a JSON array/);
      assert.throws(() => json('["a", "b\\udc00"]'), /F\.json: item 1: the text holds an unpaired surrogate \(\\uDC00\)/);
    });
  });

  describe('CSV and TSV', () => {
    const csv = (content: string, column?: string) => parseTexts(content, { name: 'F.csv', format: 'csv', column });
    it('takes the named column, with RFC 4180 quoting (commas, quotes, newlines inside cells)', () => {
      const content = 'id,sentence\n1,"Hello, world"\n2,"She said ""hi""\nand left"\n';
      assert.deepEqual(csv(content, 'sentence'), ['Hello, world', 'She said "hi"\nand left']);
    });
    it('accepts a 1-based column number and a single-column file without --column', () => {
      assert.deepEqual(csv('id,text\n1,a\n2,b\n', '2'), ['a', 'b']);
      assert.deepEqual(csv('text\na\nb\n'), ['a', 'b']);
    });
    it('lists the columns when --column is missing or wrong', () => {
      assert.throws(() => csv('id,text\n1,a\n'), /has 2 columns \("id", "text"\); choose one with --column NAME/);
      assert.throws(() => csv('id,text\n1,a\n', 'body'), /no column "body"; the header has "id", "text"/);
    });
    it('names the line of a malformed record', () => {
      assert.throws(() => csv('id,text\n1,"open\n', 'text'), /CliError: F\.csv:\d+: not valid CSV/);
    });
    it('reads TSV with tabs as delimiters', () => {
      assert.deepEqual(parseTexts('id\ttext\n1\ta, b\n', { name: 'F.tsv', format: 'tsv', column: 'text' }), ['a, b']);
    });
  });

  it('takes the format from the file extension', () => {
    assert.equal(formatOfFile('x/a.JSONL'), 'jsonl');
    assert.equal(formatOfFile('a.csv'), 'csv');
    assert.equal(formatOfFile('a.json'), 'json');
    assert.equal(formatOfFile('a.tsv'), 'tsv');
    assert.equal(formatOfFile('a.txt'), 'txt');
    assert.equal(formatOfFile('noext'), 'txt');
  });

  describe('readTexts', () => {
    it('returns arguments as they are', async () => {
      assert.deepEqual(await readTexts({ args: ['a', 'b c'] }), ['a', 'b c']);
    });
    it('reads stdin for a lone "-" argument or --input -, in the requested format', async () => {
      assert.deepEqual(await readTexts({ args: ['-'] }, Readable.from(['x\ny\n'])), ['x', 'y']);
      assert.deepEqual(await readTexts({ input: '-', inputFormat: 'jsonl' }, Readable.from(['"a\\tb"\n'])), ['a\tb']);
    });
    it('reads a file by its extension and names a missing file with its full path', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-input-'));
      try {
        const file = path.join(dir, 'texts.jsonl');
        fs.writeFileSync(file, '"one"\n{"text": "two"}\n');
        assert.deepEqual(await readTexts({ input: file }), ['one', 'two']);
        const missing = path.join(dir, 'nope.txt');
        await assert.rejects(readTexts({ input: missing }), (e: Error) => e.message === `cannot read --input ${missing}: no such file`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    it('refuses invalid UTF-8 in a file or on stdin, naming file, line and column; replace reads it as U+FFFD', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-input-'));
      const notes: string[] = [];
      const write = process.stderr.write;
      try {
        const file = path.join(dir, 'latin1.txt');
        // "café" saved as Latin-1: é is the lone byte 0xE9.
        fs.writeFileSync(file, Buffer.concat([Buffer.from('one\n東京\ncaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]));
        await assert.rejects(
          readTexts({ input: file }),
          (e: Error) =>
            e instanceof CliError &&
            e.message ===
              `${file}:3: not valid UTF-8 (byte 0xE9 at column 4); save the file as UTF-8, or pass --encoding-errors replace to accept it with U+FFFD`,
        );
        await assert.rejects(readTexts({ args: ['-'] }, Readable.from([Buffer.from([0x61, 0x0a, 0xe6, 0x9d, 0xb1, 0xc3])])), (e: Error) =>
          e.message.startsWith('<stdin>:2: not valid UTF-8 (byte 0xC3 at column 2); send UTF-8 on stdin'),
        );
        process.stderr.write = ((chunk: string) => notes.push(String(chunk)) > 0) as typeof process.stderr.write;
        assert.deepEqual(await readTexts({ input: file, encodingErrors: 'replace' }), ['one', '東京', 'caf\ufffd au lait']);
        process.stderr.write = write;
        assert.deepEqual(notes, [
          `minilm: note: ${file}:3: not valid UTF-8 (byte 0xE9 at column 4); invalid bytes read as U+FFFD (--encoding-errors replace)\n`,
        ]);
      } finally {
        process.stderr.write = write;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    it('refuses arguments together with --input', async () => {
      await assert.rejects(readTexts({ args: ['a'], input: 'f.txt' }), /either as arguments or with --input/);
    });
  });
});
