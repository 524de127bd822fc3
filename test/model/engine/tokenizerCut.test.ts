import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type * as Transformers from '@huggingface/transformers' with { 'resolution-mode': 'import' };
import { cutCharacterClasses, encodeTruncated, modelPrefix, prefixCutIsExact, truncateIds } from '../../../src/engine/truncation';
import { testModelDir } from '../../helpers/sharedPaths';

// The prefix cut (src/engine/truncation.ts) must give exactly the word pieces of the whole text. These tests check
// its character classes one by one against the model's real tokenizer, then whole texts built to break it.

const SEP = 102;

async function loadTokenizer(): Promise<Transformers.PreTrainedTokenizer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AutoTokenizer, env } = require('@huggingface/transformers') as typeof Transformers;
  const dir = testModelDir();
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(dir) + path.sep;
  return AutoTokenizer.from_pretrained(path.basename(dir), { local_files_only: true });
}

describe('the prefix cut against the real tokenizer', function () {
  let tokenizer: Transformers.PreTrainedTokenizer;
  let encode: (text: string) => number[];
  let pieces: (text: string) => string[];
  before(async () => {
    tokenizer = await loadTokenizer();
    encode = (text) => tokenizer.encode(text);
    pieces = (text) => tokenizer.tokenize(text);
  });

  it('is proven for this tokenizer (and not for one that keeps accents or has longer words)', () => {
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(testModelDir(), file), 'utf8')) as Record<string, unknown>;
    const files = { tokenizer: read('tokenizer.json'), config: read('tokenizer_config.json') };
    assert.equal(prefixCutIsExact(files), true);
    const t = files.tokenizer as { normalizer: object; model: object };
    assert.equal(prefixCutIsExact({ ...files, tokenizer: { ...t, normalizer: { ...t.normalizer, strip_accents: false } } }), false);
    assert.equal(prefixCutIsExact({ ...files, tokenizer: { ...t, model: { ...t.model, max_input_chars_per_word: 200 } } }), false);
    assert.equal(prefixCutIsExact({ tokenizer: undefined, config: undefined }), false);
  });

  it('every character class holds for every code point', function () {
    this.timeout(600_000);
    const { separator, word, solid, vanishing, sigmaTransparent } = cutCharacterClasses;
    const zz = JSON.stringify(pieces('zz'));
    const failures: string[] = [];
    const fail = (what: string, cp: number, got: unknown) =>
      failures.length < 20 && failures.push(`${what} U+${cp.toString(16).toUpperCase()}: ${JSON.stringify(got)}`);
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const c = String.fromCodePoint(cp);
      const isSeparator = cp <= 0xffff && separator.test(c);
      const isWord = word.test(c);
      if (isSeparator) {
        if (isWord) fail('separator and word', cp, c);
        // Splits the word around it, and its normal form starts with a starter (NFD never reorders across it).
        const got = pieces(`z${c}z`);
        if (got[0] !== 'z' || got.at(-1) !== 'z' || got.length < 2) fail('separator does not split', cp, got);
        if (/^\p{M}/u.test(c.toLowerCase().normalize('NFD'))) fail('separator starts with a mark', cp, c);
        if (sigmaTransparent.test(c) !== /\p{Case_Ignorable}/u.test(c)) fail('separator transparency', cp, c);
      }
      if (isWord) {
        // Never splits a word: one word of pieces, or one [UNK].
        const got = pieces(`z${c}z`);
        if (!(got.length === 1 || (got[0]!.startsWith('z') && got.slice(1).every((p) => p.startsWith('##'))))) fail('word char splits', cp, got);
      }
      if (vanishing.test(c)) {
        if (!isWord) fail('vanishing but not a word char', cp, c);
        if (JSON.stringify(pieces(`z${c}z`)) !== zz) fail('vanishing leaves something', cp, pieces(`z${c}z`));
        if (!sigmaTransparent.test(c)) fail('vanishing but not transparent to Σ', cp, c);
      }
      if (solid.test(c)) {
        if (!isWord || vanishing.test(c) || sigmaTransparent.test(c)) fail('solid class', cp, c);
        // Leaves at least one character, so 101 of them make a word of more than 100 characters: [UNK].
        const got = pieces(c.repeat(101));
        if (got.length !== 1 || got[0] !== '[UNK]') fail('solid leaves nothing', cp, got.slice(0, 3));
        if (/^\p{M}/u.test(c.toLowerCase().normalize('NFD'))) fail('solid starts with a mark', cp, c);
      }
      // Lowercasing decides a final sigma by exactly these properties.
      const ignorable = /\p{Case_Ignorable}/u.test(c);
      const cased = /\p{Cased}/u.test(c);
      const before = `AΣ${c}`.toLowerCase()[1];
      const between = `AΣ${c}A`.toLowerCase()[1];
      if (before !== (ignorable || !cased ? 'ς' : 'σ') || between !== (ignorable || cased ? 'σ' : 'ς')) fail('final sigma', cp, [before, between]);
    }
    assert.deepEqual(failures, []);
  });

  /** Fragments that sit on every edge the cut has to respect. */
  const fragment = fc.oneof(
    fc.constantFrom(' ', '\n', '\t', '\v', '\f', '\uFEFF', '\u00A0', '\u2028', '\u3000', '\r\n'),
    fc.constantFrom('.', ',', ':', "'", '`', '^', '[', ']', '[SEP]', '[MASK]', '[SE', 'P]', '[CLS', '(', '!', '-', '\u3002', '\u00B7', '\u2019'),
    fc.constantFrom('Σ', 'ΑΣ', 'σ', 'ς', 'Σ.', 'Σ\u0301', 'ΣΑ', 'İ', 'ß', 'ǅ', 'ʰ', '\u02B0Σ'),
    fc.constantFrom('\u0301', '\u0903', '\u20DD', '\u200B', '\u200D', '\u0000', '\u0007', '\u0085', '\uFFFD', '\uD800', '\uDC00', '\uE000'),
    fc.constantFrom('天', '天气很好', '𠀀', '😀', '👩‍👩‍👧', '\u1FEF', '\u2260', '×', '€', '¨'),
    fc.constantFrom('café', 'Crème brûlée', 'naïve', 'über', 'ÅNGSTRÖM', 'Ελληνικά'),
    fc.stringMatching(/^[a-z]{1,12}$/),
    fc.integer({ min: 90, max: 110 }).map((n) => 'w'.repeat(n)),
    fc
      .tuple(fc.constantFrom('x', 'é', 'Σ', 'ʰ', '\u0301', 'a\u0301', '😀', '\u200B', 'x\u0903', '天'), fc.integer({ min: 1, max: 1400 }))
      .map(([c, n]) => c.repeat(n)),
  );
  const adversarialText = fc.array(fragment, { minLength: 1, maxLength: 120 }).map((parts) => parts.join(''));

  it('a prefix at any budget tokenises to the leading pieces of the whole text, all of them when complete', () => {
    fc.assert(
      fc.property(adversarialText, fc.integer({ min: 1, max: 6000 }), (text, budget) => {
        const whole = encode(text);
        const prefix = modelPrefix(text, budget);
        if (!prefix) return;
        const ids = encode(prefix.text);
        if (prefix.complete) assert.deepEqual(ids, whole);
        else {
          assert.ok(prefix.text.length <= budget, `prefix of ${prefix.text.length} > budget ${budget}`);
          assert.deepEqual(ids.slice(0, -1), whole.slice(0, ids.length - 1), `budget ${budget}: ${JSON.stringify(prefix.text.slice(-20))}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('long adversarial texts give the same ids and truncation as tokenising all of them', () => {
    fc.assert(
      fc.property(fc.array(adversarialText, { minLength: 1, maxLength: 12 }), (parts) => {
        const text = parts.join('');
        assert.deepEqual(encodeTruncated(text, encode, SEP), truncateIds(encode(text), SEP));
      }),
      { numRuns: 150 },
    );
  });

  it('a prefix ending exactly at an edge keeps the leading pieces', () => {
    // [text, budget]: the budget makes the cut fall on the edge.
    const cases: [string, number][] = [
      ['ΑΣ..Βb c', 3], // Σ then case-ignorable '.' up to the cut, a cased letter after it: σ in the whole text
      ['ΑΣ\u0301\u200B.\u0301.Bb c', 5],
      ["ΑΣ''x c", 3],
      ['ΑΣ..1 c', 3], // … an uncased character after it: ς in both
      ['un\uFEFFable now', 2], // U+FEFF, \v and \f are \s but deleted, not made spaces: no cut before them
      ['un\vable now', 2],
      ['un\fable now', 2],
      ['x[SEP] y', 5], // no cut before the ']' of a special token
      ['ab\uD840\uDC00c d', 3], // nor inside a surrogate pair
      ['天气很好', 2],
      [`${'y'.repeat(100)}z c`, 100],
      ['e\u0301\u0301. b', 3],
    ];
    for (const [text, budget] of cases) {
      const whole = encode(text);
      const prefix = modelPrefix(text, budget);
      if (!prefix) continue;
      const ids = encode(prefix.text);
      assert.deepEqual(
        ids.slice(0, -1),
        whole.slice(0, ids.length - 1),
        `${JSON.stringify(text)} at ${budget}: ${JSON.stringify(pieces(prefix.text))} vs ${JSON.stringify(pieces(text))}`,
      );
    }
  });

  it('a Σ kept among the first 254 pieces, right before the cut, is lowercased as in the whole text', () => {
    // 'a ' × n, then ΑΣ, two full stops and a long word without solid letters: the only cut within 4 K characters is
    // before the second full stop, and for some n the Σ piece is the last one kept.
    let exercised = 0;
    for (let n = 246; n <= 256; n++) {
      const text = `${'a '.repeat(n)}ΑΣ..Β${'ʰ'.repeat(4000)}${' b'.repeat(300)}`;
      const prefix = modelPrefix(text, 4096)!;
      assert.ok(prefix.text.endsWith('.') && !prefix.complete, JSON.stringify(prefix.text.slice(-5)));
      const ids = encode(prefix.text);
      if (ids.length > 256) exercised++;
      assert.deepEqual(encodeTruncated(text, encode, SEP), truncateIds(encode(text), SEP), `n = ${n}`);
    }
    assert.ok(exercised > 0);
  });

  it('edges placed exactly at the first cut (4096) keep the ids', () => {
    const at = (head: string, edge: string, tail: string) => {
      const pad = 'a '.repeat(4096);
      return pad.slice(0, 4096 - head.length) + head + edge + tail;
    };
    const cases = [
      at('word', ' ', 'next '.repeat(300)),
      at('ΑΣ', '.', 'Β '.repeat(300)), // Σ before a case-ignorable stop, then a cased letter: σ in the whole text
      at('ΑΣ', ':', '1 '.repeat(300)), // … then an uncased character: ς
      at('ΑΣ\u0301\u200B', "'", '\u0301Bb '.repeat(300)),
      at('x', 'y'.repeat(100), ' tail '.repeat(300)), // a word of 101+ characters across the cut
      at('', 'w'.repeat(100), ' tail '.repeat(300)), // exactly 100: real pieces, not [UNK]
      at('[SE', 'P]', ' after '.repeat(300)), // a special token across the cut
      at('\uD840', '\uDC00', '天'.repeat(3000)), // a surrogate pair across the cut, then CJK
      at('天', '气', '很好'.repeat(3000)),
      at('e', '\u0301', 'x'.repeat(5000) + ' end'.repeat(300)), // a mark right at the cut, then a long run
      at('a', '\uFEFF', 'b '.repeat(300)), // U+FEFF is whitespace to \s but deleted by the normaliser
      at('a', '\v', 'b '.repeat(300)),
    ];
    for (const text of cases) assert.deepEqual(encodeTruncated(text, encode, SEP), truncateIds(encode(text), SEP), JSON.stringify(text.slice(4090, 4104)));
  });

  it('shortened runs keep what is on their sides: special tokens, a Σ before or after, the [UNK] decision', () => {
    const cases = [
      `[SE${'\u200B'.repeat(3000)}P] after`, // a vanishing stretch keeps "[SEP]" apart
      `[SE${'\u0301'.repeat(3000)}P] after`,
      `ΑΣ${'\u0301'.repeat(20)}${'x'.repeat(3000)} b`, // Σ before a run (one word with it: [UNK] either way)
      `ΑΣ.${'\u0301'.repeat(2000)}${'X'.repeat(3000)}.b`, // … and across a full stop, decided by the run's first letter
      `ΑΣ.${'\u0301'.repeat(2000)}${'1'.repeat(3000)}.b`,
      `b.${'x'.repeat(3000)}${'\u0301'.repeat(1500)}.Σ c`, // Σ after a run, decided by its last letter
      `b.${'X'.repeat(3000)}ʰ${'\u0301'.repeat(1500)}.Σ c`,
      `b.${'X'.repeat(3000)}1.Σ c`, // an uncased last letter: this Σ is not final, as it would be after an X
      `${'x'.repeat(2000)}${'\u0903'.repeat(2000)}.ΑΣ. c`, // spacing marks after the last letter stay
      `${'ʰ'.repeat(90)}${'x'.repeat(1000)} c`,
    ];
    for (const text of cases) {
      const prefix = modelPrefix(text, 1 << 20)!;
      assert.ok(prefix.complete && prefix.text.length < text.length, `shortened: ${prefix.text.length} of ${text.length}`);
      assert.deepEqual(pieces(prefix.text), pieces(text), JSON.stringify(text.slice(0, 12)));
    }
  });
});
