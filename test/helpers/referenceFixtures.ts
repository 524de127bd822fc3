import fs from 'node:fs';
import { sharedFile } from './sharedPaths';

export interface ReferenceEmbeddings {
  texts: string[];
  token_counts: number[];
  embeddings: number[][];
  max_seq_length: number;
}

/** Outputs of the original PyTorch SentenceTransformer.encode (../shared/fixtures/reference-embeddings.json). */
export function loadReferenceEmbeddings(): ReferenceEmbeddings {
  return JSON.parse(fs.readFileSync(sharedFile('fixtures', 'reference-embeddings.json'), 'utf8')) as ReferenceEmbeddings;
}

export interface StsReference {
  dev: { pairs: number; torch_fp32: { spearman: number; pearson: number }; onnx_q8: { spearman: number; pearson: number } };
}

export function loadStsReference(): StsReference {
  return JSON.parse(fs.readFileSync(sharedFile('fixtures', 'sts-reference.json'), 'utf8')) as StsReference;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}
