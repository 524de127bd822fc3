import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPlainLayout, readNotebook, writeNotebook } from '../../../src/notebook/notebookFile';
import { NotebookFormatError, type JsonObject, type RawCell, type RawNotebook, type RawOutput } from '../../../src/notebook/notebookFormat';

const encoder = new TextEncoder();
const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
const latin1 = (text: string) => Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
const bytesOf = (...parts: (string | Uint8Array)[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p))));
const same = (actual: Uint8Array, expected: Uint8Array, message?: string) => assert.deepEqual(Buffer.from(actual), Buffer.from(expected), message);
/** The notebook without what only its file needs. */
const content = ({ layout: _layout, ...notebook }: RawNotebook): RawNotebook => notebook;

/** JSON-clean values (no -0, no undefined), as a file can hold them. */
const jsonObject = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((o) => JSON.parse(JSON.stringify(o)) as JsonObject);

/** Lines that stress the format: markers, escapes, CRs, blank lines, Unicode. */
const trickyLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => s.replace(/\n/g, '')),
  fc.constantFrom(
    '%% minilm',
    '%% markdown',
    '%%',
    '%%%',
    '%%% x',
    '%% output text/plain',
    '%% item a/b',
    '%',
    '',
    ' ',
    '\r',
    'a\r',
    '\uFEFF',
    '# comment',
    'compare',
  ),
);
/** Text with CR characters: output data may hold them (they are written base64). */
const textWithCr = fc.array(trickyLine, { maxLength: 6 }).map((lines) => lines.join('\n'));
/** Cell text as VS Code holds it: lines joined by LF (its cell editor turns any CR into a line break). */
const text = fc
  .array(
    trickyLine.map((l) => l.replace(/\r/g, '')),
    { maxLength: 6 },
  )
  .map((lines) => lines.join('\n'));

const outputItem = fc.record({
  mime: fc.constantFrom(
    'text/plain',
    'application/json',
    'text/html',
    'application/vnd.minilm.matrix+json',
    'application/vnd.code.notebook.error',
    'image/png',
  ),
  data: fc.oneof(
    textWithCr.map((t) => encoder.encode(t)),
    fc.uint8Array({ maxLength: 40 }),
  ),
});
const output: fc.Arbitrary<RawOutput> = fc
  .record({ metadata: jsonObject, items: fc.array(outputItem, { maxLength: 3 }) })
  .map((o) => ({ metadata: o.metadata, items: o.items.map((i) => ({ mime: i.mime, data: i.data })) }));

const codeCell: fc.Arbitrary<RawCell> = fc
  .record({
    language: fc.constantFrom('minilm', 'plaintext', 'python', 'markdown', 'code', 'output'),
    source: text,
    metadata: jsonObject.map(({ execution: _drop, ...rest }) => rest),
    execution: fc.option(
      fc.record({ order: fc.nat(1000), success: fc.boolean() }, { requiredKeys: [] }).map((e) => ({ ...e })),
      { nil: undefined },
    ),
    outputs: fc.array(output, { maxLength: 2 }),
  })
  .map(({ execution, ...cell }) => {
    const hasExecution = execution && (execution.order !== undefined || execution.success !== undefined);
    return { kind: 'code' as const, ...cell, ...(hasExecution ? { execution } : {}) };
  });
const markdownCell: fc.Arbitrary<RawCell> = fc.record({ source: text, metadata: jsonObject }).map((c) => ({
  kind: 'markdown' as const,
  language: 'markdown',
  ...c,
  outputs: [],
}));
const notebook: fc.Arbitrary<RawNotebook> = fc
  .record({ metadata: jsonObject, cells: fc.array(fc.oneof(codeCell, markdownCell), { maxLength: 5 }) })
  .map((nb) => ({ metadata: nb.metadata, cells: nb.cells }));

/** Lines a file is made of: a header, markers and text (no line breaks inside: those come from `ending`). */
const fileLine = fc.oneof(
  { arbitrary: trickyLine.map((l) => l.replace(/\r/g, '')), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '%% minilm-notebook v1',
      '%% code python',
      '%% output text/plain {"x":1}',
      '%% output text/plain {"x": 1}',
      '%% code minilm',
      '%% output image/png base64',
      'AAEC',
      'AAECAw==',
      '%% minilm {"execution":{"order":1}}',
      '%% minilm {"execution":{"success":true,"order":2},"tag":"x"}',
      '%% minilm {bad',
    ),
    weight: 3,
  },
);
const ending = fc.constantFrom('\n', '\r\n', '\r');
/** Byte sequences that are not UTF-8: Latin-1 é, a lone continuation byte, a cut sequence, an overlong /, a surrogate. */
const invalidUtf8 = fc.constantFrom([0xe9], [0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]);

/** Files as they come: mixed line endings, a byte order mark or not, a last line without a break, damaged UTF-8. */
const fileBytes = fc
  .record({
    bom: fc.boolean(),
    header: fc.constantFrom('%% minilm-notebook v1', '%% minilm-notebook v1', '%% minilm-notebook v1 {"a": 1}', '%% minilm-notebook v2', 'hello', ''),
    first: fc.tuple(fc.constantFrom('%% minilm', '%% markdown', '%% code python', '%% code minilm {"tag": "x"}'), ending),
    lines: fc.array(fc.tuple(fileLine, ending), { maxLength: 12 }),
    headerEnding: ending,
    lastEnding: fc.option(ending, { nil: '' }),
    damage: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.tuple(fc.nat(), invalidUtf8), weight: 1 }),
  })
  .map(({ bom, header, first, lines, headerEnding, lastEnding, damage }) => {
    const all: [string, string][] = [[header, headerEnding], first, ...lines];
    const file = all.map(([line, eol], i) => line + (i === all.length - 1 ? lastEnding : eol)).join('');
    const bytes = bytesOf(bom ? '\uFEFF' : '', file);
    if (!damage) return bytes;
    const at = damage[0] % (bytes.length + 1);
    return bytesOf(bytes.subarray(0, at), Uint8Array.from(damage[1]), bytes.subarray(at));
  });

/** Reads a file; undefined when it is refused, which must be a NotebookFormatError naming a line. */
function tryRead(bytes: Uint8Array): RawNotebook | undefined {
  try {
    return readNotebook(bytes);
  } catch (error) {
    assert.ok(error instanceof NotebookFormatError, `unexpected ${String(error)}`);
    assert.ok(error.line >= 1);
    return undefined;
  }
}

describe('notebook file format', () => {
  it('round-trips arbitrary notebooks exactly (cells, metadata, unknown fields, outputs)', () => {
    fc.assert(
      fc.property(notebook, (nb) => {
        const file = writeNotebook(nb);
        const parsed = readNotebook(file);
        assert.deepEqual(content(parsed), nb);
        same(writeNotebook(parsed), file, 'a second save changes the file');
      }),
      { numRuns: 400 },
    );
  });

  it('bytes → read → write gives the same bytes, or the file is refused: mixed LF / CRLF / CR, BOM, invalid UTF-8', () => {
    let read = 0;
    fc.assert(
      fc.property(fileBytes, (bytes) => {
        const parsed = tryRead(bytes);
        if (parsed === undefined) return;
        read++;
        same(writeNotebook(parsed), bytes);
      }),
      { numRuns: 3000 },
    );
    assert.ok(read > 300, `only ${read} generated files were notebooks: the property says little`);
  });

  it('bytes → read → write gives the same bytes, or the file is refused: arbitrary bytes, alone and after a valid header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const candidate of [bytes, bytesOf('%% minilm-notebook v1\n%% minilm\n', bytes)]) {
          const parsed = tryRead(candidate);
          if (parsed !== undefined) same(writeNotebook(parsed), candidate);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("an edited notebook is written in one line ending (the file's most common), keeps its BOM and reads back as edited", () => {
    fc.assert(
      fc.property(fileBytes, text, (bytes, added) => {
        const parsed = tryRead(bytes);
        if (parsed === undefined) return;
        const edited: RawNotebook = {
          ...parsed,
          cells: [...parsed.cells, { kind: 'markdown', language: 'markdown', source: added, metadata: {}, outputs: [] }],
        };
        const written = writeNotebook(edited);
        assert.deepEqual(content(readNotebook(written)), content(edited), 'the edited notebook reads back differently');
        const textOf = decode(written);
        assert.equal(textOf.startsWith('\uFEFF'), decode(bytes).startsWith('\uFEFF'), 'the byte order mark');
        const endings = new Set(textOf.match(/\r\n|\r|\n/g));
        assert.equal(endings.size, 1, `one line ending, not ${JSON.stringify([...endings])}`);
        const counts = new Map<string, number>();
        for (const e of decode(bytes).match(/\r\n|\r|\n/g) ?? []) counts.set(e, (counts.get(e) ?? 0) + 1);
        const most = Math.max(0, ...counts.values());
        if (most > 0) assert.equal(counts.get([...endings][0]), most, 'not the most common ending');
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a Latin-1 file, naming the line and the byte, instead of reading "caf\uFFFD"', () => {
    const bytes = bytesOf('%% minilm-notebook v1\n%% minilm\ncompare\n', latin1('café\n'), 'tea\n');
    assert.throws(
      () => readNotebook(bytes),
      (error: unknown) =>
        error instanceof NotebookFormatError &&
        error.line === 4 &&
        /not valid UTF-8 \(byte 0xE9 at byte 4 of the line\)/.test(error.message) &&
        /convert the file/.test(error.message),
    );
    // A cut sequence at the very end is an error too, on the last line.
    assert.throws(
      () => readNotebook(bytesOf('%% minilm-notebook v1\r\n%% minilm\r\nx', Uint8Array.from([0xe2, 0x82]))),
      (e: unknown) => e instanceof NotebookFormatError && e.line === 3,
    );
  });

  it('reads a file whose first lines end in CRLF and the others in LF as its cells, and writes it back unchanged', () => {
    const bytes = bytesOf('%% minilm-notebook v1\r\n%% markdown\r\n# Notes\n%% minilm\ncompare\na\nb\n');
    const parsed = readNotebook(bytes);
    assert.deepEqual(
      parsed.cells.map((c) => [c.kind, c.source]),
      [
        ['markdown', '# Notes'],
        ['code', 'compare\na\nb'],
      ],
    );
    same(writeNotebook(parsed), bytes);
    const edited = { ...parsed, cells: [parsed.cells[1]] };
    assert.equal(decode(writeNotebook(edited)), '%% minilm-notebook v1\n%% minilm\ncompare\na\nb\n', 'edited: LF, the most common ending');
  });

  it("reads a lone CR as a line break, as VS Code's cell editor does", () => {
    const bytes = bytesOf('%% minilm-notebook v1\r%% minilm\rcompare\ra\r\nb');
    const parsed = readNotebook(bytes);
    assert.equal(parsed.cells[0].source, 'compare\na\nb');
    same(writeNotebook(parsed), bytes);
  });

  it('keeps a byte order mark, and a file without a final line break', () => {
    const bytes = bytesOf('\uFEFF%% minilm-notebook v1\n%% minilm\ncompare');
    const parsed = readNotebook(bytes);
    assert.equal(parsed.cells[0].source, 'compare');
    same(writeNotebook(parsed), bytes);
    assert.equal(decode(writeNotebook({ ...parsed, metadata: { edited: true } })), '\uFEFF%% minilm-notebook v1 {"edited":true}\n%% minilm\ncompare\n');
  });

  it('writes a hand-written file back as it was until it is edited (JSON spacing, %% code minilm, base64 lines)', () => {
    const file =
      '%% minilm-notebook v1 {"a": 1}\n%% code minilm {"execution": {"success": true, "order": 2}}\ncompare\n%% output image/png base64\nAAEC\nAw==\n';
    const parsed = readNotebook(bytesOf(file));
    assert.deepEqual(content(parsed), {
      metadata: { a: 1 },
      cells: [
        {
          kind: 'code',
          language: 'minilm',
          source: 'compare',
          metadata: {},
          execution: { success: true, order: 2 },
          outputs: [{ metadata: {}, items: [{ mime: 'image/png', data: Uint8Array.from([0, 1, 2, 3]) }] }],
        },
      ],
    });
    assert.equal(decode(writeNotebook(parsed)), file);
    assert.equal(
      decode(writeNotebook({ ...parsed, metadata: { a: 2 } })),
      '%% minilm-notebook v1 {"a":2}\n%% minilm {"execution":{"order":2,"success":true}}\ncompare\n%% output image/png\n\0\x01\x02\x03\n',
    );
  });

  it("writes cell text with any line break in the file's ending, and output text holding a CR as base64", () => {
    const nb: RawNotebook = {
      metadata: {},
      cells: [
        {
          kind: 'code',
          language: 'minilm',
          source: 'compare\r\na\rb',
          metadata: {},
          outputs: [{ metadata: {}, items: [{ mime: 'text/plain', data: encoder.encode('x\ry\r\n') }] }],
        },
      ],
    };
    const written = decode(writeNotebook(nb));
    assert.equal(written, '%% minilm-notebook v1\n%% minilm\ncompare\na\nb\n%% output text/plain base64\neA15DQo=\n');
    const parsed = readNotebook(encoder.encode(written));
    assert.equal(parsed.cells[0].source, 'compare\na\nb');
    assert.deepEqual(parsed.cells[0].outputs, nb.cells[0].outputs);
  });

  it('refuses to write cell text holding an unpaired surrogate (UTF-8 cannot store it), naming the cell', () => {
    const cell: RawCell = { kind: 'markdown', language: 'markdown', source: 'a\uD800b', metadata: {}, outputs: [] };
    assert.throws(() => writeNotebook({ metadata: {}, cells: [cell, cell] }), /Cell 1 holds a character that is not valid Unicode/);
  });

  it('keeps no more layout than a file needs: none beyond its ending for a file as this version writes it', () => {
    const lf = readNotebook(bytesOf('%% minilm-notebook v1\n%% minilm\ncompare\n'));
    assert.deepEqual(lf.layout, { bom: false, eol: '\n' });
    assert.ok(isPlainLayout(lf.layout!), 'an LF file needs no layout in the notebook metadata');
    // Two versions of a CRLF file: the same layout, so the notebook diff editor sees no metadata change.
    const v1 = readNotebook(bytesOf('%% minilm-notebook v1\r\n%% minilm\r\ncompare\r\n'));
    const v2 = readNotebook(bytesOf('%% minilm-notebook v1\r\n%% minilm\r\ncompare\r\na\r\n'));
    assert.deepEqual(v1.layout, { bom: false, eol: '\r\n' });
    assert.deepEqual(v2.layout, v1.layout);
    const mixed = readNotebook(bytesOf('\uFEFF%% minilm-notebook v1\r\n%% minilm\ncompare\n'));
    assert.equal(mixed.layout?.eol, '\n');
    assert.equal(mixed.layout?.exact?.endings, 'C1L2');
  });

  it('writes the documented layout', () => {
    const file = writeNotebook({
      metadata: {},
      cells: [
        { kind: 'markdown', language: 'markdown', source: '# Title\n%% not a marker', metadata: {}, outputs: [] },
        {
          kind: 'code',
          language: 'minilm',
          source: 'compare\na\nb',
          metadata: { tag: 'x' },
          execution: { order: 3, success: true },
          outputs: [{ metadata: { minilm: 'result' }, items: [{ mime: 'application/json', data: encoder.encode('{\n"kind": "compare"\n}') }] }],
        },
      ],
    });
    assert.equal(
      decode(file),
      [
        '%% minilm-notebook v1',
        '%% markdown',
        '# Title',
        '%%% not a marker',
        '%% minilm {"tag":"x","execution":{"order":3,"success":true}}',
        'compare',
        'a',
        'b',
        '%% output application/json {"minilm":"result"}',
        '{',
        '"kind": "compare"',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps CRLF files CRLF, edited or not', () => {
    const file = bytesOf('%% minilm-notebook v1\r\n%% minilm\r\ncompare\r\na\r\n');
    const parsed = readNotebook(file);
    assert.equal(parsed.cells[0].source, 'compare\na');
    same(writeNotebook(parsed), file);
    const edited = { ...parsed, cells: [{ ...parsed.cells[0], source: 'compare\na\nb' }] };
    assert.equal(decode(writeNotebook(edited)), '%% minilm-notebook v1\r\n%% minilm\r\ncompare\r\na\r\nb\r\n');
  });

  it('reads an empty file as an empty notebook, and writes it back empty until a cell is added', () => {
    const parsed = readNotebook(new Uint8Array());
    assert.deepEqual(content(parsed), { metadata: {}, cells: [] });
    same(writeNotebook(parsed), new Uint8Array());
    assert.equal(decode(writeNotebook({ metadata: {}, cells: [] })), '%% minilm-notebook v1\n');
    const cell: RawCell = { kind: 'markdown', language: 'markdown', source: 'x', metadata: {}, outputs: [] };
    assert.equal(decode(writeNotebook({ ...parsed, cells: [cell] })), '%% minilm-notebook v1\n%% markdown\nx\n');
  });

  const malformed: [string, string, number, RegExp][] = [
    ['no header', '# My notes\n', 1, /first line/],
    ['newer version', '%% minilm-notebook v2\n', 1, /version 2/],
    ['text before the first cell', '%% minilm-notebook v1\nstray\n', 2, /cell marker/],
    ['unknown marker', '%% minilm-notebook v1\n%% minilm\ncompare\n%% bogus\n', 4, /unknown marker/],
    ['bad JSON', '%% minilm-notebook v1\n%% minilm {oops\n', 2, /not valid JSON/],
    ['output after markdown', '%% minilm-notebook v1\n%% markdown\nhi\n%% output text/plain\nx\n', 4, /follow a code cell/],
    ['damaged base64', '%% minilm-notebook v1\n%% minilm\n%% output image/png base64\n!!!!\n', 4, /base64/],
    ['bad execution', '%% minilm-notebook v1\n%% minilm {"execution":{"order":"one"}}\n', 2, /execution.order/],
  ];
  for (const [name, file, line, message] of malformed) {
    it(`rejects ${name} with the line and what was expected`, () => {
      assert.throws(
        () => readNotebook(encoder.encode(file)),
        (error: unknown) => error instanceof NotebookFormatError && error.line === line && message.test(error.message),
      );
    });
  }
});
