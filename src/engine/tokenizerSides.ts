import { EngineError } from './errors';
import type { TokenizerFiles } from './truncation';

export type Side = 'left' | 'right';

export interface TokenizerSides {
  /** Which end of a long text is cut off (the special tokens stay either way). */
  truncation: Side;
  /** Which end of a shorter row of a batch the pad ids fill. */
  padding: Side;
}

/**
 * The sides transformers 5 gives the tokenizer ST loads: `truncation_side` / `padding_side` in tokenizer_config.json,
 * else the `direction` of tokenizer.json's `truncation` / `padding` section, else right
 * (TokenizersBackend.__init__ `kwargs.setdefault(...)`). Any other value is an error there, and here.
 */
export function tokenizerSides({ tokenizer, config }: TokenizerFiles, dir: string): TokenizerSides {
  const t = (tokenizer ?? {}) as { truncation?: { direction?: unknown } | null; padding?: { direction?: unknown } | null };
  const c = (config ?? {}) as { truncation_side?: unknown; padding_side?: unknown };
  const side = (key: string, value: unknown): Side => {
    const text = typeof value === 'string' ? value.toLowerCase() : value;
    if (text === 'left' || text === 'right') return text;
    throw new EngineError('MODEL_CORRUPT', `The tokenizer of ${dir} sets ${key} to ${JSON.stringify(value)}; transformers accepts "left" or "right".`);
  };
  return {
    truncation: side('truncation_side', c.truncation_side ?? t.truncation?.direction ?? 'right'),
    padding: side('padding_side', c.padding_side ?? t.padding?.direction ?? 'right'),
  };
}
