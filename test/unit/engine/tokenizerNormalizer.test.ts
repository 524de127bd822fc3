import assert from 'node:assert/strict';
import { rebuiltNormalizer } from '../../../src/engine/tokenizerNormalizer';

describe('rebuiltNormalizer (transformers 5 rebuilds BERT-family normalisers from tokenizer_config.json)', () => {
  const uncased = { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true };

  it("keeps the file's normaliser when the files agree or the class is not rebuilt", () => {
    assert.equal(rebuiltNormalizer({ tokenizer_class: 'BertTokenizer', do_lower_case: true }, { normalizer: uncased }), undefined);
    assert.equal(rebuiltNormalizer({ tokenizer_class: 'XLMRobertaTokenizer', do_lower_case: true }, { normalizer: null }), undefined);
  });

  it("uses BertTokenizer's defaults (lowercase, CJK spacing) for keys the config leaves out, and follows it over the file", () => {
    assert.deepEqual(rebuiltNormalizer({ tokenizer_class: 'BertTokenizerFast' }, { normalizer: { ...uncased, lowercase: false } }), uncased);
    assert.deepEqual(rebuiltNormalizer({ tokenizer_class: 'MPNetTokenizer', do_lower_case: false, strip_accents: false }, { normalizer: uncased }), {
      ...uncased,
      lowercase: false,
      strip_accents: false,
    });
  });
});
