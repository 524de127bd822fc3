/**
 * A retrieval set that measures whether chunking keeps one sentence findable: for every STS Benchmark pair scored
 * ≥ 4.2, one sentence is planted among 6–12 unrelated sentences of a document (one to three paragraphs, one line
 * per paragraph or hard-wrapped), and the other sentence is the query whose answer is that document. Deterministic
 * for a seed. Pure: the caller reads the STS file.
 */
import type { DocumentKind } from '../../src/core/chunking';

export interface RetrievalDocument {
  readonly path: string;
  readonly kind: DocumentKind;
  readonly text: string;
}

export interface RetrievalQuery {
  readonly text: string;
  /** The document that holds the query's paraphrase. */
  readonly path: string;
}

export interface RetrievalSet {
  readonly documents: readonly RetrievalDocument[];
  readonly queries: readonly RetrievalQuery[];
  /** Pairs above the score dropped because they nearly repeat an earlier pair (two right answers would blur the measure). */
  readonly duplicatePairs: number;
  /** Candidate filler sentences dropped because they nearly repeat a planted or query sentence. */
  readonly droppedFillers: number;
}

export interface ScoredPair {
  readonly score: number;
  readonly sentence1: string;
  readonly sentence2: string;
}

export interface RetrievalSetOptions {
  /** Pairs scored at least this are planted (default 4.2). */
  readonly minScore?: number;
  readonly seed?: number;
  /** Documents to build (default all pairs): a seeded sample, so any limit is a fair subset. */
  readonly limit?: number;
  /** markdown gives every paragraph a `##` heading made from one of its filler sentences (default text). */
  readonly format?: 'text' | 'markdown';
  /** Share of documents given one tiny sentence ("Yes.", "See below.") somewhere (default 0.3). */
  readonly tinyRate?: number;
}

export const DEFAULT_SEED = 20250611;
const TINY_SENTENCES = ['Yes.', 'See below.', 'Thanks!', 'Right.', 'Not quite.', 'Why?', 'Indeed.', 'OK.', 'Noted.', 'Fair enough.'];
/** Word-set Jaccard at or above which two sentences count as the same sentence for this set. */
const NEAR_DUPLICATE = 0.6;

export function buildRetrievalSet(pairs: readonly ScoredPair[], options: RetrievalSetOptions = {}): RetrievalSet {
  const minScore = options.minScore ?? 4.2;
  const random = mulberry32(options.seed ?? DEFAULT_SEED);
  const format = options.format ?? 'text';
  const tinyRate = options.tinyRate ?? 0.3;

  const seen = new WordIndex();
  const planted: ScoredPair[] = [];
  let duplicatePairs = 0;
  for (const pair of pairs.filter((p) => p.score >= minScore)) {
    if (seen.nearDuplicate(pair.sentence1) || seen.nearDuplicate(pair.sentence2)) {
      duplicatePairs++;
      continue;
    }
    seen.add(pair.sentence1);
    seen.add(pair.sentence2);
    planted.push(pair);
  }
  const candidates = unique(pairs.filter((p) => p.score < minScore).flatMap((p) => [p.sentence1, p.sentence2]));
  const fillers = candidates.filter((s) => !seen.nearDuplicate(s));
  const droppedFillers = candidates.length - fillers.length;

  const chosen = shuffle(planted, random).slice(0, options.limit ?? planted.length);
  const fillerDeck = new Deck(fillers, random);
  const documents: RetrievalDocument[] = [];
  const queries: RetrievalQuery[] = [];
  chosen.forEach((pair, i) => {
    const plantFirst = random() < 0.5;
    const plant = plantFirst ? pair.sentence1 : pair.sentence2;
    const query = plantFirst ? pair.sentence2 : pair.sentence1;
    const sentences = Array.from({ length: 6 + Math.floor(random() * 7) }, () => fillerDeck.next());
    sentences.splice(Math.floor(random() * (sentences.length + 1)), 0, plant);
    if (random() < tinyRate) sentences.splice(Math.floor(random() * (sentences.length + 1)), 0, TINY_SENTENCES[Math.floor(random() * TINY_SENTENCES.length)]!);
    const paragraphs = splitIntoParagraphs(sentences.map(asProse), 1 + Math.floor(random() * 3), random);
    const wrapAt = random() < 0.5 ? 0 : 60 + Math.floor(random() * 21);
    const path = `doc-${String(i + 1).padStart(4, '0')}.${format === 'markdown' ? 'md' : 'txt'}`;
    const blocks = paragraphs.map((p) => {
      const body = wrapAt > 0 ? hardWrap(p.join(' '), wrapAt) : p.join(' ');
      if (format !== 'markdown') return body;
      const titleFrom = p.find((s) => s !== asProse(plant) && !TINY_SENTENCES.includes(s)) ?? p[0]!;
      return `## ${headingOf(titleFrom)}\n\n${body}`;
    });
    documents.push({ path, kind: format, text: `${blocks.join('\n\n')}\n` });
    queries.push({ text: query, path });
  });
  return { documents, queries, duplicatePairs, droppedFillers };
}

/** Headlines in STS-B often lack a full stop; without one a sentence would run into the next in running text. */
function asProse(sentence: string): string {
  const s = sentence.trim();
  return /[.!?'"”)]$/.test(s) ? s : `${s}.`;
}

/** A heading as a writer might give it: the first five words of a sentence, without its closing punctuation. */
function headingOf(sentence: string): string {
  return sentence
    .split(/\s+/)
    .slice(0, 5)
    .join(' ')
    .replace(/[.,;:!?]+$/, '');
}

function splitIntoParagraphs(sentences: readonly string[], count: number, random: () => number): string[][] {
  const cuts = new Set<number>();
  while (cuts.size < Math.min(count - 1, sentences.length - 1)) cuts.add(1 + Math.floor(random() * (sentences.length - 1)));
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), sentences.length];
  return sorted.slice(1).map((end, k) => sentences.slice(sorted[k], end));
}

function hardWrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return lines.join('\n');
}

function unique(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  return texts.filter((t) => {
    const key = t.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sentences by their word sets, to find near repeats by Jaccard similarity without comparing every pair. */
class WordIndex {
  private readonly sets: Set<string>[] = [];
  private readonly byWord = new Map<string, number[]>();

  add(sentence: string): void {
    const words = wordSet(sentence);
    const id = this.sets.push(words) - 1;
    for (const w of words) (this.byWord.get(w) ?? this.byWord.set(w, []).get(w)!).push(id);
  }

  nearDuplicate(sentence: string): boolean {
    const words = wordSet(sentence);
    const shared = new Map<number, number>();
    for (const w of words) for (const id of this.byWord.get(w) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    for (const [id, common] of shared) {
      if (common / (words.size + this.sets[id]!.size - common) >= NEAR_DUPLICATE) return true;
    }
    return false;
  }
}

function wordSet(sentence: string): Set<string> {
  return new Set(sentence.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Draws without replacement, reshuffling when the deck runs out. */
class Deck<T> {
  private order: T[] = [];
  constructor(
    private readonly items: readonly T[],
    private readonly random: () => number,
  ) {}

  next(): T {
    if (this.order.length === 0) this.order = shuffle(this.items, this.random);
    return this.order.pop()!;
  }
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A small seeded generator (mulberry32): the same seed gives the same set on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
