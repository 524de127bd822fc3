import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './sharedPaths';

export { cosine as cosineOf } from './referenceFixtures';

/** test/fixtures/tiny-models: ten tiny random sentence-transformers models and what ST 6.2.0 returns for them. */
export const tinyModelsDir = path.join(repoRoot, 'test', 'fixtures', 'tiny-models');

export interface TinySetting {
  name: string;
  encode_kwargs: { prompt?: string; prompt_name?: string };
  resolved_prompt: string | null;
  prompt_length: number | null;
  token_ids: number[][];
  embeddings: number[][];
  norms: number[];
}

export interface TinyModel {
  architecture: string;
  dimension: number;
  max_seq_length: number;
  pooling_mode: string;
  include_prompt: boolean;
  normalize: boolean;
  dense: { in_features: number; out_features: number; activation_function: string } | null;
  similarity_fn_name: string;
  prompts: Record<string, string>;
  default_prompt_name: string | null;
  texts: string[];
  settings: TinySetting[];
}

export interface TinyFixtures {
  explicit_prompt: string;
  texts: string[];
  models: Record<string, TinyModel>;
}

let cached: TinyFixtures | undefined;

export function tinyFixtures(): TinyFixtures {
  cached ??= JSON.parse(fs.readFileSync(path.join(tinyModelsDir, 'fixtures.json'), 'utf8')) as TinyFixtures;
  return cached;
}

export function tinyModelDir(name: string): string {
  return path.join(tinyModelsDir, name);
}

export function normOf(a: ArrayLike<number>): number {
  let sq = 0;
  for (let i = 0; i < a.length; i++) sq += a[i]! * a[i]!;
  return Math.sqrt(sq);
}
