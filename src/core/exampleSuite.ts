import { similarityMatrix, type ScoreMatrix } from './similarityMatrix';
import { formatFloat32 } from './exportFormats';
import type { Vector } from './vector';

export type ExampleTopic = 'machine-learning' | 'deep-learning' | 'nlp' | 'conversation' | 'weather' | 'food' | 'sport';

export interface ExampleText {
  readonly text: string;
  readonly topic: ExampleTopic;
  /** BCP 47 language tag: the original tool's users write Chinese as well as English. */
  readonly language: 'en' | 'zh';
}

/**
 * The preset texts of the example suite: several per topic, so that within-topic similarity can be compared with
 * across-topic similarity. The Chinese sentences show how an English-trained model handles another script.
 */
export const EXAMPLE_TEXTS: readonly ExampleText[] = Object.freeze([
  { text: 'Machine learning lets computers learn patterns from data.', topic: 'machine-learning', language: 'en' },
  { text: 'A random forest combines many decision trees to reduce overfitting.', topic: 'machine-learning', language: 'en' },
  { text: 'Cross-validation estimates how well a model generalises to unseen data.', topic: 'machine-learning', language: 'en' },
  { text: '机器学习让计算机从数据中学习规律。', topic: 'machine-learning', language: 'zh' },
  { text: 'Deep neural networks stack many layers of learned representations.', topic: 'deep-learning', language: 'en' },
  { text: 'Backpropagation computes the gradients used to train a neural network.', topic: 'deep-learning', language: 'en' },
  { text: 'Convolutional networks are widely used for image recognition.', topic: 'deep-learning', language: 'en' },
  { text: '深度学习模型通常需要大量的训练数据。', topic: 'deep-learning', language: 'zh' },
  { text: 'Sentence embeddings map texts to vectors that capture their meaning.', topic: 'nlp', language: 'en' },
  { text: 'Tokenization splits text into words or subword units.', topic: 'nlp', language: 'en' },
  { text: 'Transformers use self-attention to model relationships between words.', topic: 'nlp', language: 'en' },
  { text: '自然语言处理研究计算机如何理解人类语言。', topic: 'nlp', language: 'zh' },
  { text: 'Hi, how are you doing today?', topic: 'conversation', language: 'en' },
  { text: 'Thanks a lot, see you tomorrow!', topic: 'conversation', language: 'en' },
  { text: 'Could you help me with something?', topic: 'conversation', language: 'en' },
  { text: '你好，今天过得怎么样？', topic: 'conversation', language: 'zh' },
  { text: 'It is going to rain heavily this afternoon.', topic: 'weather', language: 'en' },
  { text: 'The weather is sunny and warm today.', topic: 'weather', language: 'en' },
  { text: '明天会下雪，气温很低。', topic: 'weather', language: 'zh' },
  { text: 'I had a delicious bowl of noodles for lunch.', topic: 'food', language: 'en' },
  { text: 'This recipe needs flour, eggs and a little sugar.', topic: 'food', language: 'en' },
  { text: '我最喜欢吃饺子和火锅。', topic: 'food', language: 'zh' },
  { text: 'The football team won the championship last night.', topic: 'sport', language: 'en' },
  { text: 'She runs five kilometres every morning.', topic: 'sport', language: 'en' },
  { text: '他每天下午都去打篮球。', topic: 'sport', language: 'zh' },
] satisfies ExampleText[]);

/** Two texts scored against each other in the cross-lingual examples. */
export interface CrossLingualPair {
  readonly a: string;
  readonly b: string;
  /** `translation`: an English sentence and its Chinese translation; `unrelated-zh`: two Chinese sentences on different topics. */
  readonly kind: 'translation' | 'unrelated-zh';
}

/**
 * Cross-lingual pairs, to show what a multilingual model adds. Expected direction: a multilingual model
 * (paraphrase-multilingual-MiniLM-L12-v2) scores every translation above every unrelated Chinese pair. An English-only
 * model (all-MiniLM-L6-v2) does the reverse: it reads Chinese as single-character word pieces it was hardly trained
 * on, so any two Chinese sentences look alike to it (about 0.45–0.55) and a sentence and its translation do not
 * (about 0.05–0.16); test/model/engine/crossLingual.test.ts checks that direction. The Chinese sentences are the suite's own.
 */
export const CROSS_LINGUAL_PAIRS: readonly CrossLingualPair[] = Object.freeze([
  { a: 'Machine learning lets computers learn patterns from data.', b: '机器学习让计算机从数据中学习规律。', kind: 'translation' },
  { a: 'Deep learning models usually need a lot of training data.', b: '深度学习模型通常需要大量的训练数据。', kind: 'translation' },
  { a: 'Natural language processing studies how computers understand human language.', b: '自然语言处理研究计算机如何理解人类语言。', kind: 'translation' },
  { a: 'Hi, how is your day going?', b: '你好，今天过得怎么样？', kind: 'translation' },
  { a: 'It will snow tomorrow and it will be very cold.', b: '明天会下雪，气温很低。', kind: 'translation' },
  { a: 'My favourite foods are dumplings and hot pot.', b: '我最喜欢吃饺子和火锅。', kind: 'translation' },
  { a: 'He plays basketball every afternoon.', b: '他每天下午都去打篮球。', kind: 'translation' },
  { a: '机器学习让计算机从数据中学习规律。', b: '我最喜欢吃饺子和火锅。', kind: 'unrelated-zh' },
  { a: '明天会下雪，气温很低。', b: '自然语言处理研究计算机如何理解人类语言。', kind: 'unrelated-zh' },
  { a: '他每天下午都去打篮球。', b: '深度学习模型通常需要大量的训练数据。', kind: 'unrelated-zh' },
  { a: '你好，今天过得怎么样？', b: '机器学习让计算机从数据中学习规律。', kind: 'unrelated-zh' },
] satisfies CrossLingualPair[]);

export interface CrossLingualSummary {
  readonly meanTranslation: number | null;
  readonly meanUnrelatedChinese: number | null;
  /** Every translation scores above every unrelated Chinese pair: what a cross-lingual model should give. */
  readonly translationsFirst: boolean;
}

/** How a model scores the cross-lingual pairs; `scores[k]` belongs to `pairs[k]`. */
export function crossLingualSummary(scores: readonly number[], pairs: readonly CrossLingualPair[] = CROSS_LINGUAL_PAIRS): CrossLingualSummary {
  if (scores.length !== pairs.length) throw new RangeError(`${pairs.length} pairs but ${scores.length} scores.`);
  const of = (kind: CrossLingualPair['kind']) => scores.filter((_, k) => pairs[k]!.kind === kind);
  const mean = (values: number[]) => (values.length > 0 ? values.reduce((x, y) => x + y, 0) / values.length : null);
  const translation = of('translation');
  const unrelated = of('unrelated-zh');
  return {
    meanTranslation: mean(translation),
    meanUnrelatedChinese: mean(unrelated),
    translationsFirst: translation.length > 0 && unrelated.length > 0 && Math.min(...translation) > Math.max(...unrelated),
  };
}

/** A text with a topic label (any string) and optionally its language. */
export interface LabelledText {
  readonly text: string;
  readonly topic: string;
  readonly language?: string;
}

export interface SimilarPair {
  readonly i: number;
  readonly j: number;
  readonly a: string;
  readonly b: string;
  readonly score: number;
}

export interface ExampleSummary {
  /** Best pairs (i < j), highest first. */
  readonly mostSimilar: SimilarPair[];
  /** Worst pairs (i < j), lowest first. */
  readonly leastSimilar: SimilarPair[];
  /** Mean cosine over pairs of different texts with the same topic (null when there is none). */
  readonly meanWithinTopic: number | null;
  /** Mean cosine over pairs with different topics (null when there is none). */
  readonly meanAcrossTopic: number | null;
  /** Mean within-topic cosine per topic. */
  readonly meanWithinTopicByTopic: Record<string, number | null>;
}

/** The JSON document written to `results/test_YYYYMMDD_HHMMSS.json`. */
export interface ExampleResultDocument {
  /** ISO 8601, UTC. */
  readonly timestamp: string;
  readonly model: string;
  readonly dtype: string;
  readonly dimension: number;
  readonly texts: string[];
  readonly topics: string[];
  readonly languages: string[];
  /** Cosine similarity, N x N, float32 values printed at their shortest exact form. */
  readonly matrix: number[][];
  /** Milliseconds, as measured by the caller (e.g. load, encode) plus `similarityMatrix` measured here. */
  readonly timings: Record<string, number>;
  readonly summary: ExampleSummary;
}

export interface ExampleResultInput {
  readonly model: string;
  readonly dtype: string;
  /** Usually {@link EXAMPLE_TEXTS}; any labelled texts work. */
  readonly examples: readonly LabelledText[];
  readonly embeddings: readonly Vector[];
  readonly timings?: Readonly<Record<string, number>>;
  readonly date?: Date;
  /** How many pairs each of `mostSimilar` / `leastSimilar` lists (default 5). */
  readonly pairCount?: number;
}

/** Builds the example suite's result document from the texts and their embeddings. */
export function buildExampleResult(input: ExampleResultInput): ExampleResultDocument {
  const examples = input.examples;
  if (examples.length !== input.embeddings.length) {
    throw new RangeError(`${examples.length} texts but ${input.embeddings.length} embeddings.`);
  }
  const started = performance.now();
  const matrix = similarityMatrix(input.embeddings);
  const matrixMs = performance.now() - started;
  return {
    timestamp: (input.date ?? new Date()).toISOString(),
    model: input.model,
    dtype: input.dtype,
    dimension: input.embeddings.length > 0 ? input.embeddings[0].length : 0,
    texts: examples.map((e) => e.text),
    topics: examples.map((e) => e.topic),
    languages: examples.map((e) => e.language ?? 'en'),
    matrix: roundedRows(matrix),
    timings: { ...input.timings, similarityMatrix: Number(matrixMs.toFixed(3)) },
    summary: summarize(matrix, examples, input.pairCount ?? 5),
  };
}

function roundedRows(matrix: ScoreMatrix): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < matrix.rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < matrix.cols; c++) row.push(Number(formatFloat32(matrix.data[r * matrix.cols + c])));
    rows.push(row);
  }
  return rows;
}

/** Most / least similar pairs and mean within- vs across-topic similarity of a square cosine matrix. */
export function summarize(matrix: ScoreMatrix, examples: readonly LabelledText[], pairCount = 5): ExampleSummary {
  const n = matrix.rows;
  const pairs: SimilarPair[] = [];
  let withinSum = 0;
  let withinCount = 0;
  let acrossSum = 0;
  let acrossCount = 0;
  const byTopic = new Map<string, { sum: number; count: number }>();
  for (const e of examples) if (!byTopic.has(e.topic)) byTopic.set(e.topic, { sum: 0, count: 0 });
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const score = Number(formatFloat32(matrix.data[i * n + j]));
      pairs.push({ i, j, a: examples[i].text, b: examples[j].text, score });
      if (examples[i].topic === examples[j].topic) {
        withinSum += score;
        withinCount++;
        const t = byTopic.get(examples[i].topic)!;
        t.sum += score;
        t.count++;
      } else {
        acrossSum += score;
        acrossCount++;
      }
    }
  }
  const byScore = [...pairs].sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const mean = (sum: number, count: number) => (count > 0 ? sum / count : null);
  return {
    mostSimilar: byScore.slice(0, pairCount),
    leastSimilar: byScore.slice(-pairCount).reverse().slice(0, pairCount),
    meanWithinTopic: mean(withinSum, withinCount),
    meanAcrossTopic: mean(acrossSum, acrossCount),
    meanWithinTopicByTopic: Object.fromEntries([...byTopic].map(([topic, t]) => [topic, mean(t.sum, t.count)])),
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `test_YYYYMMDD_HHMMSS.json` in local time, like the original tool's `datetime.now().strftime(...)`. */
export function resultFileName(date: Date = new Date()): string {
  const day = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  return `test_${day}_${time}.json`;
}
