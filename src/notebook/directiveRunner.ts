// Executes one parsed `minilm` directive: gathers its texts (lines, @file, named corpus), encodes them through the
// function it is given and computes the result with src/core. vscode-free, so the same code runs in the notebook
// controller (encode = EngineHost.encode) and in plain-Node model tests (encode = Engine.encode).
import { RUN_MESSAGES, type RunMessage } from './cellMessages';
import { fillPlaceholders, type PlaceholderArg, type Translate } from '../shared/translate';
import {
  communityDetection,
  cosineSimilarity,
  euclideanDistance,
  flattenCorpus,
  modelSimilarity,
  norm,
  paraphraseMining,
  semanticSearch,
  type FlatCorpus,
  type ScoreMatrix,
  type SimilarityFunction,
} from '../core';
import { buildExplainView, type ExplainSide, type ExplainView } from '../shared/explainView';
import { MAX_COMPARE_TEXTS, type CellText, type Directive, type TextInput } from './cellLanguage';

export type EncodeFunction = (texts: string[], signal: AbortSignal) => Promise<Float32Array[]>;

/** A named corpus defined by `corpus <name>`: kept with its embeddings for the notebook's lifetime (kernel state). */
export interface StoredCorpus {
  readonly name: string;
  readonly texts: readonly string[];
  readonly vectors: readonly Float32Array[];
  readonly flat: FlatCorpus;
}

export interface DirectiveContext {
  readonly encode: EncodeFunction;
  /**
   * Reads a file a cell names (`@file`) as UTF-8 text; rejects with a message for the cell, having read nothing, when
   * it cannot, including when the path leads outside the folder the notebook may read (cellFiles.ts).
   */
  readonly readTextFile: (path: string) => Promise<string>;
  /**
   * Searches the workspace index (`search <query>` with `@workspace`), best first; absent where there is no
   * workspace index (plain-Node runs), and the cell then says so.
   */
  readonly searchWorkspace?: (query: string, top: number, signal: AbortSignal) => Promise<WorkspaceSearchRows>;
  /** One text's word pieces and contextual token embeddings (`explain`); absent where the engine offers none. */
  readonly tokenEmbeddings?: (text: string, signal: AbortSignal) => Promise<ExplainSide>;
  /** Named corpora of this notebook; `corpus` adds to it. */
  readonly corpora: Map<string, StoredCorpus>;
  /**
   * The similarity_fn_name of the model that encoded (asked after encoding): `compare` scores with it, as
   * `SentenceTransformer.similarity` does. Cosine when absent or unknown (a remote backend).
   */
  readonly similarityFunction?: () => SimilarityFunction | undefined;
  readonly signal: AbortSignal;
}

/** An error in a cell that parsed but cannot run (unknown corpus, missing file, …). `line` is 1-based in the cell. */
export class DirectiveError extends Error {
  /** The message in English (logs and tests); the kernel shows it translated from `template` and `args`. */
  readonly detail: string;
  readonly args: readonly PlaceholderArg[];

  constructor(
    readonly line: number,
    readonly template: RunMessage,
    ...args: PlaceholderArg[]
  ) {
    const detail = fillPlaceholders(RUN_MESSAGES[template], ...args);
    super(`Line ${line}: ${detail}`);
    this.name = 'DirectiveError';
    this.detail = detail;
    this.args = args;
  }

  /** The message in the display language. */
  translated(t: Translate): string {
    return t('Line {0}: {1}', this.line, t(RUN_MESSAGES[this.template], ...this.args));
  }
}

export interface SearchHitRow {
  readonly index: number;
  readonly text: string;
  readonly score: number;
}

/** What the workspace index returned for a query: the hits and the size of what was searched. */
export interface WorkspaceSearchRows {
  /** Chunks in the index. */
  readonly chunks: number;
  readonly hits: readonly WorkspaceHitRow[];
}

export interface WorkspaceHitRow {
  /** Path relative to its workspace folder (prefixed with the folder's name when several are open). */
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly score: number;
}

export interface MinedPair {
  readonly score: number;
  readonly i: number;
  readonly j: number;
}

export type DirectiveResult =
  | {
      readonly kind: 'compare';
      readonly corpus?: string;
      readonly texts: readonly string[];
      readonly similarityFunction: SimilarityFunction;
      readonly matrix: ScoreMatrix;
    }
  | {
      readonly kind: 'similarity';
      readonly texts: readonly [string, string];
      readonly cosine: number;
      readonly euclidean: number;
      readonly norms: readonly [number, number];
    }
  | { readonly kind: 'explain'; readonly texts: readonly [string, string]; readonly view: ExplainView }
  | {
      readonly kind: 'search';
      readonly query: string;
      readonly corpus?: string;
      readonly candidates: number;
      readonly top: number;
      readonly hits: readonly SearchHitRow[];
    }
  | { readonly kind: 'searchWorkspace'; readonly query: string; readonly chunks: number; readonly top: number; readonly hits: readonly WorkspaceHitRow[] }
  | { readonly kind: 'encode'; readonly corpus?: string; readonly texts: readonly string[]; readonly vectors: readonly Float32Array[] }
  | {
      readonly kind: 'mine';
      readonly corpus?: string;
      readonly texts: readonly string[];
      readonly top: number;
      readonly max: number;
      readonly pairs: readonly MinedPair[];
    }
  | {
      readonly kind: 'cluster';
      readonly corpus?: string;
      readonly texts: readonly string[];
      readonly threshold: number;
      readonly minSize: number;
      readonly clusters: readonly (readonly number[])[];
    }
  | { readonly kind: 'corpus'; readonly name: string; readonly texts: readonly string[]; readonly dimension: number };

interface Gathered {
  readonly texts: string[];
  /** Present when the texts come from a stored corpus: its embeddings, so nothing is encoded again. */
  readonly corpus?: StoredCorpus;
}

export async function runDirective(directive: Directive, context: DirectiveContext): Promise<DirectiveResult> {
  switch (directive.kind) {
    case 'compare': {
      const { texts, vectors, corpus } = await gatherAndEncode(directive.input, directive.line, context);
      if (texts.length > MAX_COMPARE_TEXTS) {
        throw new DirectiveError(directive.line, 'compareTooMany', MAX_COMPARE_TEXTS, texts.length);
      }
      const similarityFunction = context.similarityFunction?.() ?? 'cosine';
      return { kind: 'compare', corpus, texts, similarityFunction, matrix: modelSimilarity(vectors, undefined, similarityFunction) };
    }
    case 'similarity': {
      const texts = [directive.texts[0].text, directive.texts[1].text] as const;
      const [a, b] = await encode(context, [...texts]);
      return {
        kind: 'similarity',
        texts,
        cosine: cosineSimilarity(a, b),
        euclidean: euclideanDistance(a, b),
        norms: [norm(a), norm(b)],
      };
    }
    case 'explain': {
      if (!context.tokenEmbeddings) throw new DirectiveError(directive.line, 'explainNoTokens');
      const texts = [directive.texts[0].text, directive.texts[1].text] as const;
      const [va, vb] = await encode(context, [...texts]);
      const a = await context.tokenEmbeddings(texts[0], context.signal);
      const b = await context.tokenEmbeddings(texts[1], context.signal);
      context.signal.throwIfAborted();
      // A truncated text holds exactly max_seq_length pieces: that is the limit the warning names.
      const maxTokens = Math.max(a.truncated ? a.tokens.length : 0, b.truncated ? b.tokens.length : 0);
      return { kind: 'explain', texts, view: buildExplainView(a, b, cosineSimilarity(va, vb), maxTokens) };
    }
    case 'search': {
      if (directive.input.workspace) {
        if (!context.searchWorkspace) throw new DirectiveError(directive.input.workspace.line, 'workspaceNoIndex');
        context.signal.throwIfAborted();
        const found = await context.searchWorkspace(directive.query, directive.top, context.signal);
        context.signal.throwIfAborted();
        return { kind: 'searchWorkspace', query: directive.query, chunks: found.chunks, top: directive.top, hits: found.hits };
      }
      const gathered = await gather(directive.input, directive.line, context);
      const corpusFlat = gathered.corpus?.flat ?? flattenCorpus(await encode(context, gathered.texts));
      const [queryVector] = await encode(context, [directive.query]);
      const [hits] = semanticSearch([queryVector], corpusFlat, { topK: directive.top });
      return {
        kind: 'search',
        query: directive.query,
        corpus: gathered.corpus?.name,
        candidates: gathered.texts.length,
        top: directive.top,
        hits: hits.map((h) => ({ index: h.corpus_id, text: gathered.texts[h.corpus_id], score: h.score })),
      };
    }
    case 'encode': {
      const { texts, vectors, corpus } = await gatherAndEncode(directive.input, directive.line, context);
      return { kind: 'encode', corpus, texts, vectors };
    }
    case 'mine': {
      const { texts, vectors, corpus } = await gatherAndEncode(directive.input, directive.line, context);
      const pairs = paraphraseMining(vectors, { topK: directive.top, maxPairs: directive.max })
        .slice(0, directive.max)
        .map(([score, i, j]) => ({ score, i, j }));
      return { kind: 'mine', corpus, texts, top: directive.top, max: directive.max, pairs };
    }
    case 'cluster': {
      const { texts, vectors, corpus } = await gatherAndEncode(directive.input, directive.line, context);
      const clusters = communityDetection(vectors, { threshold: directive.threshold, minCommunitySize: directive.minSize });
      return { kind: 'cluster', corpus, texts, threshold: directive.threshold, minSize: directive.minSize, clusters };
    }
    case 'corpus': {
      const { texts } = await gather(directive.input, directive.line, context);
      const vectors = await encode(context, texts);
      context.corpora.set(directive.name, { name: directive.name, texts, vectors, flat: flattenCorpus(vectors) });
      return { kind: 'corpus', name: directive.name, texts, dimension: vectors[0]?.length ?? 0 };
    }
  }
}

async function gatherAndEncode(
  input: TextInput,
  line: number,
  context: DirectiveContext,
): Promise<{ texts: string[]; vectors: readonly Float32Array[]; corpus?: string }> {
  const gathered = await gather(input, line, context);
  if (gathered.corpus) return { texts: gathered.texts, vectors: gathered.corpus.vectors, corpus: gathered.corpus.name };
  return { texts: gathered.texts, vectors: await encode(context, gathered.texts) };
}

async function gather(input: TextInput, line: number, context: DirectiveContext): Promise<Gathered> {
  if (input.corpus) {
    const stored = context.corpora.get(input.corpus.name);
    if (!stored) {
      const known = [...context.corpora.keys()];
      throw known.length
        ? new DirectiveError(input.corpus.line, 'noCorpusDefined', input.corpus.name, known.join(', '))
        : new DirectiveError(input.corpus.line, 'noCorpusNone', input.corpus.name);
    }
    return { texts: [...stored.texts], corpus: stored };
  }
  const texts = input.texts.map((t: CellText) => t.text);
  for (const file of input.files) {
    let content: string;
    try {
      content = await context.readTextFile(file.path);
    } catch (error) {
      throw new DirectiveError(file.line, 'cannotRead', file.path, (error as Error).message);
    }
    const lines = content
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (lines.length === 0) throw new DirectiveError(file.line, 'fileEmpty', file.path);
    texts.push(...lines);
  }
  if (texts.length === 0) throw new DirectiveError(line, 'noTexts');
  return { texts };
}

async function encode(context: DirectiveContext, texts: string[]): Promise<Float32Array[]> {
  context.signal.throwIfAborted();
  const vectors = await context.encode(texts, context.signal);
  context.signal.throwIfAborted();
  return vectors;
}
