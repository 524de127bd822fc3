import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tinyModelDir, tinyModelsDir } from './tinyModels';

/** One encode() call of sentence-transformers 6.2.0 on a variant, or the error it raised. */
export interface VariantSetting {
  name: string;
  encode_kwargs: { prompt?: string; prompt_name?: string };
  token_ids?: number[][];
  embeddings?: number[][];
  norms?: number[];
  encode_error?: string;
}

/** A tiny model with edited configuration files (scripts/make-tiny-variants.py), and what ST does with it. */
export interface TinyVariant {
  name: string;
  base: string;
  exercises: string;
  /** ST's vectors depend on the batch (BERT with left padding): only the one-batch result is compared. */
  batch_dependent?: boolean;
  json?: Record<string, unknown>;
  merge?: Record<string, Record<string, unknown>>;
  binary?: Record<string, string>;
  copy?: Record<string, string>;
  load_error?: string;
  dimension?: number;
  max_seq_length?: number;
  similarity_fn_name?: string;
  settings?: VariantSetting[];
}

export interface TinyVariants {
  texts: string[];
  activation_inputs: number[];
  activations: Record<string, number[]>;
  variants: Record<string, TinyVariant>;
}

let cached: TinyVariants | undefined;

export function tinyVariants(): TinyVariants {
  cached ??= JSON.parse(fs.readFileSync(path.join(tinyModelsDir, 'variants.json'), 'utf8')) as TinyVariants;
  return cached;
}

/** Builds the variant's folder under a new temporary directory, as the generator's `apply_recipe` does. */
export function materialiseVariant(variant: TinyVariant): string {
  const folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-variant-')), variant.name);
  fs.cpSync(tinyModelDir(variant.base), folder, { recursive: true });
  const target = (rel: string) => {
    const file = path.join(folder, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return file;
  };
  const writeJson = (rel: string, value: unknown) => fs.writeFileSync(target(rel), `${JSON.stringify(value, null, 2)}\n`);
  for (const [from, to] of Object.entries(variant.copy ?? {})) fs.copyFileSync(path.join(folder, from), target(to));
  for (const [rel, content] of Object.entries(variant.json ?? {})) {
    if (content === null) fs.rmSync(path.join(folder, rel), { force: true });
    else writeJson(rel, content);
  }
  for (const [rel, keys] of Object.entries(variant.merge ?? {})) {
    const data = JSON.parse(fs.readFileSync(path.join(folder, rel), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(keys)) {
      if (value === null) delete data[key];
      else data[key] = value;
    }
    writeJson(rel, data);
  }
  for (const [rel, blob] of Object.entries(variant.binary ?? {})) fs.writeFileSync(target(rel), Buffer.from(blob, 'base64'));
  return folder;
}
