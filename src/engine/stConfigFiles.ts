import fs from 'node:fs';
import path from 'node:path';
import type { CatalogueStConfig } from './modelCatalogue';

/** Marks files the engine wrote from a catalogue entry, so that `info` and a reader of the folder can tell. */
export const GENERATED_BY = 'minilm-studio model catalogue';

/**
 * Makes a transformers.js download a sentence-transformers folder: writes modules.json, 1_Pooling/config.json,
 * sentence_bert_config.json and config_sentence_transformers.json from the catalogue entry's published
 * configuration. A folder that already has modules.json is left alone (the repository's own files win). Each
 * file is written beside its final name and renamed, so a reader never sees half a file.
 */
export function writeStConfigFiles(dir: string, st: CatalogueStConfig, hiddenSize: number, log: (message: string) => void = () => undefined): boolean {
  if (fs.existsSync(path.join(dir, 'modules.json'))) return false;
  const modules: Array<Record<string, unknown>> = [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  ];
  if (st.normalize) modules.push({ idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' });
  const pooling: Record<string, unknown> = {
    word_embedding_dimension: hiddenSize,
    pooling_mode: st.pooling.length === 1 ? st.pooling[0] : st.pooling,
    include_prompt: true,
  };
  const files: Array<[string, unknown]> = [
    [path.join('1_Pooling', 'config.json'), pooling],
    ['sentence_bert_config.json', { max_seq_length: st.maxSeqLength, do_lower_case: st.doLowerCase }],
    [
      'config_sentence_transformers.json',
      {
        prompts: st.prompts,
        default_prompt_name: st.defaultPromptName ?? null,
        similarity_fn_name: st.similarityFunction,
        generated_by: GENERATED_BY,
        source: st.source,
      },
    ],
    // Last: its presence is what makes the folder read as sentence-transformers.
    ['modules.json', modules],
  ];
  for (const [file, value] of files) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    const temporary = `${full}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
    fs.renameSync(temporary, full);
  }
  log(
    `${dir}: wrote the sentence-transformers configuration of the catalogue entry (${st.pooling.join('+')} pooling, ${st.normalize ? 'Normalize' : 'no Normalize'}, ${st.maxSeqLength} tokens) from ${st.source}`,
  );
  return true;
}
