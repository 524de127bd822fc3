/**
 * transformers 5 does not take tokenizer.json's normaliser for the tokenizer classes it has code for: their
 * `__init__` builds a new one from tokenizer_config.json (and from_pretrained's arguments), and keeps only the
 * vocabulary (TokenizersBackend.convert_to_native_format). For BERT's family that is
 * `BertNormalizer(clean_text=True, handle_chinese_chars=tokenize_chinese_chars, strip_accents=strip_accents,
 * lowercase=do_lower_case)` with the defaults True, None, True. transformers.js uses the file's normaliser, so a
 * folder whose two files disagree (a cased tokenizer.json beside a config without do_lower_case) would tokenise
 * differently; this is the normaliser ST's tokenizer has, for the engine to put into the tokenizer.
 */

/** tokenizer_class values (without "Fast") whose transformers 5 `__init__` builds the BertNormalizer above. */
const BERT_NORMALIZER_CLASSES = new Set([
  'BertTokenizer',
  'DistilBertTokenizer',
  'ConvBertTokenizer',
  'MobileBertTokenizer',
  'SqueezeBertTokenizer',
  'MPNetTokenizer',
]);

export interface BertNormalizerJson {
  type: 'BertNormalizer';
  clean_text: boolean;
  handle_chinese_chars: boolean;
  strip_accents: boolean | null;
  lowercase: boolean;
}

/**
 * The normaliser transformers 5 gives a tokenizer of this configuration when it differs from tokenizer.json's, or
 * undefined when the file's normaliser is the one ST uses (other classes, or the files agree).
 */
export function rebuiltNormalizer(tokenizerConfig: Record<string, unknown>, tokenizerJson: unknown): BertNormalizerJson | undefined {
  const className = String(tokenizerConfig.tokenizer_class ?? '').replace(/Fast$/, '');
  if (!BERT_NORMALIZER_CLASSES.has(className)) return undefined;
  const flag = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
  const rebuilt: BertNormalizerJson = {
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: flag(tokenizerConfig.tokenize_chinese_chars, true),
    strip_accents: typeof tokenizerConfig.strip_accents === 'boolean' ? tokenizerConfig.strip_accents : null,
    lowercase: flag(tokenizerConfig.do_lower_case, true),
  };
  const current = (tokenizerJson as { normalizer?: Partial<BertNormalizerJson> | null } | undefined)?.normalizer;
  const same =
    current?.type === 'BertNormalizer' &&
    current.clean_text === rebuilt.clean_text &&
    current.handle_chinese_chars === rebuilt.handle_chinese_chars &&
    (current.strip_accents ?? null) === rebuilt.strip_accents &&
    current.lowercase === rebuilt.lowercase;
  return same ? undefined : rebuilt;
}
