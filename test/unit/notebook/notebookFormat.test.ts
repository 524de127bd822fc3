import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  type JsonObject,
  type RawCell,
  type RawNotebook,
  type RawOutput,
} from '../../../src/notebook/notebookFormat';

const encoder = new TextEncoder();

/** JSON-clean values (no -0, no undefined), as a file can hold them. */
const jsonObject = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((o) => JSON.parse(JSON.stringify(o)) as JsonObject);

/** Lines that stress the format: markers, escapes, CRs, blank lines, Unicode. */
const trickyLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => s.replace(/\n/g, '')),
  fc.constantFrom('%% minilm', '%% markdown', '%%', '%%%', '%%% x', '%% output text/plain', '%% item a/b', '%', '', ' ', '\r', 'a\r', '\uFEFF', '# comment', 'compare'),
);
const text = fc.array(trickyLine, { maxLength: 6 }).map((lines) => lines.join('\n'));

const outputItem = fc.record({
  mime: fc.constantFrom('text/plain', 'application/json', 'text/html', 'application/vnd.minilm.matrix+json', 'application/vnd.code.notebook.error', 'image/png'),
  data: fc.oneof(text.map((t) => encoder.encode(t)), fc.uint8Array({ maxLength: 40 })),
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
  .record({
    metadata: jsonObject,
    cells: fc.array(fc.oneof(codeCell, markdownCell), { maxLength: 5 }),
    eol: fc.constantFrom('\n' as const, '\r\n' as const),
  })
  .map((nb) => ({ metadata: nb.metadata, cells: nb.cells, eol: nb.eol }));

const MARKER = /^%%(?!%)/;

/** The non-marker text of a file, escapes undone and line breaks removed: what a save must never lose. */
function contentOf(file: string): string {
  const lines = file.split(/\r?\n/);
  return lines
    .slice(1)
    .filter((l) => !MARKER.test(l))
    .map((l) => (l.startsWith('%%%') ? l.slice(1) : l))
    .join('')
    .replace(/[\r\n]/g, '');
}

describe('notebook file format', () => {
  it('round-trips arbitrary notebooks exactly (cells, metadata, unknown fields, outputs, line endings)', () => {
    fc.assert(
      fc.property(notebook, (nb) => {
        const file = serializeNotebook(nb);
        const parsed = parseNotebook(file);
        assert.deepEqual(parsed, nb);
        assert.equal(serializeNotebook(parsed), file, 'a second save changes the file');
      }),
      { numRuns: 400 },
    );
  });

  it('never crashes on arbitrary text: it parses or throws NotebookFormatError, and a save of what parsed keeps every text', () => {
    const fileLike = fc.tuple(
      fc.constantFrom('%% minilm-notebook v1', '%% minilm-notebook v1 {"a":1}', '%% minilm-notebook v2', 'hello', ''),
      fc.array(fc.oneof(trickyLine, fc.constantFrom('%% code python', '%% output text/plain {"x":1}', '%% output image/png base64', 'AAEC', '%% minilm {"execution":{"order":1}}', '%% minilm {bad')), { maxLength: 12 }),
      fc.constantFrom('\n', '\r\n'),
    ).map(([header, lines, eol]) => [header, ...lines].join(eol) + eol);
    fc.assert(
      fc.property(fc.oneof(fileLike, fc.string({ unit: 'binary' })), (file) => {
        let parsed: RawNotebook;
        try {
          parsed = parseNotebook(file);
        } catch (error) {
          assert.ok(error instanceof NotebookFormatError, `unexpected ${String(error)}`);
          assert.ok(error.line >= 1);
          return;
        }
        const saved = serializeNotebook(parsed);
        assert.deepEqual(parseNotebook(saved), parsed, 'the saved file reads back differently');
        if (file.trim() !== '') {
          const content = contentOf(file.replace(/^\uFEFF/, ''));
          const base64Free = !/ base64/.test(file);
          if (base64Free) assert.equal(contentOf(saved), content, 'a save lost text');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('never crashes on arbitrary bytes decoded as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const prefixed = [encoder.encode('%% minilm-notebook v1\n%% minilm\n'), bytes];
        for (const candidate of [bytes, Buffer.concat(prefixed)]) {
          try {
            const parsed = parseNotebook(new TextDecoder().decode(candidate));
            assert.deepEqual(parseNotebook(serializeNotebook(parsed)), parsed);
          } catch (error) {
            assert.ok(error instanceof NotebookFormatError, `unexpected ${String(error)}`);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('writes the documented layout', () => {
    const file = serializeNotebook({
      metadata: {},
      eol: '\n',
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
      file,
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

  it('keeps CRLF files CRLF', () => {
    const file = '%% minilm-notebook v1\r\n%% minilm\r\ncompare\r\na\r\n';
    const parsed = parseNotebook(file);
    assert.equal(parsed.eol, '\r\n');
    assert.equal(parsed.cells[0].source, 'compare\na');
    assert.equal(serializeNotebook(parsed), file);
  });

  it('reads an empty file as an empty notebook', () => {
    assert.deepEqual(parseNotebook(''), { metadata: {}, cells: [], eol: '\n' });
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
        () => parseNotebook(file),
        (error: unknown) => error instanceof NotebookFormatError && error.line === line && message.test(error.message),
      );
    });
  }
});
