import type { PoolingMode, SimilarityFunction } from './modelConfig';
import { DEFAULT_REPOSITORY, PINNED_DIGESTS, PINNED_REVISION, hasDigest, type PinnedFile, type PinnedRevision, type PinnedTable } from './pinnedDigests';
import { DTYPES, requiredFiles, type Dtype } from './types';

/**
 * The sentence-transformers configuration the original repository publishes (modules.json, 1_Pooling,
 * sentence_bert_config.json, config_sentence_transformers.json). transformers.js repositories ship only the
 * transformer, so the engine writes these into the cache folder of an entry that lacks them.
 */
export interface CatalogueStConfig {
  pooling: PoolingMode[];
  /** The original ends in a Normalize module. */
  normalize: boolean;
  maxSeqLength: number;
  doLowerCase: boolean;
  prompts: Record<string, string>;
  defaultPromptName?: string;
  similarityFunction: SimilarityFunction;
  /** Where these values are published. */
  source: string;
}

export interface CatalogueEntry extends PinnedRevision {
  /** Short name users type (`--model bge-small-zh-v1.5`). */
  id: string;
  /** The sentence-transformers model the ONNX export was made from. */
  baseModel: string;
  /** ISO 639-1 codes, or "50+ languages" style summaries in `languageSummary`. */
  languages: readonly string[];
  languageSummary: string;
  dimension: number;
  licence: string;
  st: CatalogueStConfig;
  /**
   * Sizes shown before a download for files whose exact size is not pinned (the hub's rounded figure, in bytes).
   * Display only: never used to verify a file.
   */
  approximateSizes?: Readonly<Record<string, number>>;
}

const HUB_TREE = (repository: string, revision: string) => `https://huggingface.co/${repository}/tree/${revision}`;

const ALL_MINILM_PIN = PINNED_DIGESTS[0]!;

/**
 * Files with no published digest found are listed with `source` saying so: the engine refuses them from the
 * pinned revision (a checksum from a server is never trusted for a catalogue entry), and `verifiedDtypes` leaves
 * that dtype out.
 *
 * SHA-256 values marked "quoted" were found, identical, in several unrelated public projects that pin the same
 * repository and commit (searched 2026, code search by value); values marked "file page" are the hub's own
 * "Git LFS Details". A wrong value fails safe: the file is refused with a checksum error, never installed.
 */
export const MODEL_CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'all-MiniLM-L6-v2',
    baseModel: 'sentence-transformers/all-MiniLM-L6-v2',
    repository: DEFAULT_REPOSITORY,
    revision: PINNED_REVISION,
    files: ALL_MINILM_PIN.files,
    languages: ['en'],
    languageSummary: 'English',
    dimension: 384,
    licence: 'Apache-2.0',
    st: {
      pooling: ['mean'],
      normalize: true,
      maxSeqLength: 256,
      doLowerCase: false,
      prompts: {},
      similarityFunction: 'cosine',
      source: 'https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2 (modules.json, 1_Pooling/config.json, sentence_bert_config.json)',
    },
  },
  {
    id: 'paraphrase-multilingual-MiniLM-L12-v2',
    baseModel: 'sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2',
    repository: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2',
    // Quoted by several projects pinning this repository (file lists with sizes and SHA-256 of every file below).
    revision: '2c4055b12046f11709e9df2c122e59ffbdc2f900',
    files: {
      'config.json': {
        sha256: '05b570bff786faa5c4604152aa16f19f77ed6dfc31e47dd0f3dd987078693ac7',
        size: 673,
        source: quoted('Xenova/paraphrase-multilingual-MiniLM-L12-v2', '2c4055b12046f11709e9df2c122e59ffbdc2f900'),
      },
      'tokenizer.json': {
        sha256: 'b60b6b43406a48bf3638526314f3d232d97058bc93472ff2de930d43686fa441',
        size: 17_082_913,
        source: quoted('Xenova/paraphrase-multilingual-MiniLM-L12-v2', '2c4055b12046f11709e9df2c122e59ffbdc2f900'),
      },
      'tokenizer_config.json': {
        sha256: '3f5961b9ac86288cccdb97f32fb848d6187c78e1603958c53f3ea1f296b7d8a2',
        size: 496,
        source: quoted('Xenova/paraphrase-multilingual-MiniLM-L12-v2', '2c4055b12046f11709e9df2c122e59ffbdc2f900'),
      },
      'onnx/model_quantized.onnx': {
        sha256: '66fc00f5f29afcaff34092e1bdd20008ca3918265a82fb9695a551e510cc4ebc',
        size: 118_308_126,
        source: quoted('Xenova/paraphrase-multilingual-MiniLM-L12-v2', '2c4055b12046f11709e9df2c122e59ffbdc2f900'),
      },
      // Its size, 470,268,510 bytes, is quoted from the hub's metadata; no published SHA-256 was found.
      'onnx/model.onnx': {
        size: 470_268_510,
        source: `no published SHA-256 found (tree page shows 470 MB: ${HUB_TREE('Xenova/paraphrase-multilingual-MiniLM-L12-v2', '018218219718cc217663562b0a65b5ffd1339d47')}/onnx)`,
      },
    },
    languages: [
      'ar',
      'bg',
      'ca',
      'cs',
      'da',
      'de',
      'el',
      'en',
      'es',
      'et',
      'fa',
      'fi',
      'fr',
      'gl',
      'gu',
      'he',
      'hi',
      'hr',
      'hu',
      'hy',
      'id',
      'it',
      'ja',
      'ka',
      'ko',
      'ku',
      'lt',
      'lv',
      'mk',
      'mn',
      'mr',
      'ms',
      'my',
      'nb',
      'nl',
      'pl',
      'pt',
      'ro',
      'ru',
      'sk',
      'sl',
      'sq',
      'sr',
      'sv',
      'th',
      'tr',
      'uk',
      'ur',
      'vi',
      'zh',
    ],
    languageSummary: '50+ languages (Chinese included), cross-lingual',
    dimension: 384,
    licence: 'Apache-2.0',
    // No Normalize module: vectors are not unit length (cosine still compares them correctly).
    st: {
      pooling: ['mean'],
      normalize: false,
      maxSeqLength: 128,
      doLowerCase: false,
      prompts: {},
      similarityFunction: 'cosine',
      source:
        'https://huggingface.co/sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2 (modules.json: Transformer, Pooling; 1_Pooling/config.json: mean; sentence_bert_config.json: max_seq_length 128)',
    },
  },
  {
    id: 'multilingual-e5-small',
    baseModel: 'intfloat/multilingual-e5-small',
    repository: 'Xenova/multilingual-e5-small',
    revision: '761b726dd34fb83930e26aab4e9ac3899aa1fa78',
    files: {
      // Size left out: the file page found (https://huggingface.co/Xenova/multilingual-e5-small/blob/main/config.json,
      // "658 Bytes") is of main, not of this commit.
      'config.json': {
        sha256: 'cb99455288675345e1a4f411438d5d0adbba5fbd3a67ea4fb03c015433b996c1',
        source:
          'https://huggingface.co/ChatPanel/multilingual-e5-small (byte-for-byte copy of Xenova/multilingual-e5-small@761b726, SHA-256 of each file listed)',
      },
      'tokenizer.json': {
        sha256: '0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39',
        size: 17_082_730,
        source:
          'https://huggingface.co/ChatPanel/multilingual-e5-small; the same SHA-256 is the "Git LFS Details" of https://huggingface.co/intfloat/multilingual-e5-small/blob/refs%2Fpr%2F4/onnx/tokenizer.json',
      },
      'tokenizer_config.json': {
        sha256: 'a1d6bc8734a6f635dc158508bef000f8e2e5a759c7d92f984b2c86e5ff53425b',
        source: 'https://huggingface.co/ChatPanel/multilingual-e5-small (SHA-256 only; size not published)',
      },
      'onnx/model_quantized.onnx': {
        sha256: 'f80102d3f2a1229f387d3c81909990d8945513e347b0eab049f7de3c6f98c193',
        size: 118_308_185,
        source:
          'https://huggingface.co/Xenova/multilingual-e5-small/blob/97cb8f96eaed1a1f0dac821239943e854fce9c36/onnx/model_quantized.onnx (file page, "Git LFS Details"; exact size quoted by projects pinning 761b726)',
      },
      'onnx/model.onnx': {
        source: `no published SHA-256 found for Xenova's export (tree page shows 470 MB: ${HUB_TREE('Xenova/multilingual-e5-small', '97cb8f96eaed1a1f0dac821239943e854fce9c36')}/onnx)`,
      },
    },
    approximateSizes: { 'config.json': 658, 'tokenizer_config.json': 500, 'onnx/model.onnx': 470_000_000 },
    languages: ['multilingual', 'zh', 'en', 'ja', 'ko', 'de', 'fr', 'es', 'ru', 'ar', 'hi', 'vi', 'th'],
    languageSummary: '~100 languages (Chinese included); retrieval with "query: " / "passage: " prompts',
    dimension: 384,
    licence: 'MIT',
    st: {
      pooling: ['mean'],
      normalize: true,
      maxSeqLength: 512,
      doLowerCase: false,
      // The model card: "Each input text should start with "query: " or "passage: "". No default: like ST, a text
      // without --prompt-name is encoded as it is.
      prompts: { query: 'query: ', passage: 'passage: ' },
      similarityFunction: 'cosine',
      source:
        'https://huggingface.co/intfloat/multilingual-e5-small (modules.json: Transformer, Pooling (mean), Normalize; sentence_bert_config.json: max_seq_length 512; prompts from its model card)',
    },
  },
  {
    id: 'bge-small-en-v1.5',
    baseModel: 'BAAI/bge-small-en-v1.5',
    repository: 'Xenova/bge-small-en-v1.5',
    revision: 'ea104dacec62c0de699686887e3f920caeb4f3e3',
    files: {
      'config.json': {
        sha256: 'fa73f90bf92c8cace1fbcb709626306f2bdbc9ea3e5b5f94b440df9b6aa56350',
        size: 683,
        source: quoted('Xenova/bge-small-en-v1.5', 'ea104dacec62c0de699686887e3f920caeb4f3e3'),
      },
      'tokenizer.json': {
        sha256: 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
        size: 711_396,
        source: quoted('Xenova/bge-small-en-v1.5', 'ea104dacec62c0de699686887e3f920caeb4f3e3'),
      },
      'tokenizer_config.json': {
        sha256: '9261e7d79b44c8195c1cada2b453e55b00aeb81e907a6664974b4d7776172ab3',
        size: 366,
        source: quoted('Xenova/bge-small-en-v1.5', 'ea104dacec62c0de699686887e3f920caeb4f3e3'),
      },
      'onnx/model.onnx': {
        sha256: '828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35',
        size: 133_093_490,
        source:
          'https://huggingface.co/Xenova/bge-small-en-v1.5/blob/9c5aaf8ad1ffd76192592209b14ae03a43091e1d/onnx/model.onnx (file page, "Git LFS Details"; exact size quoted by projects pinning ea104da)',
      },
      'onnx/model_quantized.onnx': {
        source: `no published SHA-256 found (tree page shows 34 MB: ${HUB_TREE('Xenova/bge-small-en-v1.5', 'b7ad92a45a298ac620504489f28ecb6ac66ad67c')}/onnx)`,
      },
    },
    approximateSizes: { 'onnx/model_quantized.onnx': 34_000_000 },
    languages: ['en'],
    languageSummary: 'English',
    dimension: 384,
    licence: 'MIT',
    st: {
      pooling: ['cls'],
      normalize: true,
      maxSeqLength: 512,
      doLowerCase: true,
      prompts: {},
      similarityFunction: 'cosine',
      source:
        'https://huggingface.co/BAAI/bge-small-en-v1.5 (modules.json: Transformer, Pooling (cls), Normalize; sentence_bert_config.json: max_seq_length 512, do_lower_case true)',
    },
  },
  {
    id: 'bge-small-zh-v1.5',
    baseModel: 'BAAI/bge-small-zh-v1.5',
    repository: 'Xenova/bge-small-zh-v1.5',
    revision: '75c43b069aac4d136ba6bc1122f995fedcfd2781',
    files: {
      'config.json': {
        sha256: 'd4193ead3a810fd694fa8a31d7fc72fbaebc0668b603e398734bf2f6538ff42f',
        size: 716,
        source: quoted('Xenova/bge-small-zh-v1.5', '75c43b069aac4d136ba6bc1122f995fedcfd2781'),
      },
      'tokenizer.json': {
        sha256: '48cea5d44424912a6fd1ea647bf4fe50b55ab8b1e5879c3275f80e339e8fae26',
        size: 439_125,
        source: quoted('Xenova/bge-small-zh-v1.5', '75c43b069aac4d136ba6bc1122f995fedcfd2781'),
      },
      'tokenizer_config.json': {
        sha256: 'e6f3b96db926a37d4039995fbf5ad17de158dfb8f6343d607e4dbaad18d75f5a',
        size: 367,
        source: quoted('Xenova/bge-small-zh-v1.5', '75c43b069aac4d136ba6bc1122f995fedcfd2781'),
      },
      'onnx/model_quantized.onnx': {
        sha256: '15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc',
        size: 24_010_842,
        source:
          'https://huggingface.co/Xenova/bge-small-zh-v1.5/blob/6aa54ba39ee19d52723c1defa9f7901a8e819e25/onnx/model_quantized.onnx (file page, "Git LFS Details"; exact size quoted by projects pinning 75c43b0)',
      },
      'onnx/model.onnx': {
        source: `no published SHA-256 found (tree page shows 94.9 MB: ${HUB_TREE('Xenova/bge-small-zh-v1.5', 'd990a82dec71c3c1cec53fc9870f2bc97a52f492')}/onnx)`,
      },
    },
    approximateSizes: { 'onnx/model.onnx': 94_900_000 },
    languages: ['zh'],
    languageSummary: 'Chinese',
    dimension: 512,
    licence: 'MIT',
    st: {
      pooling: ['cls'],
      normalize: true,
      maxSeqLength: 512,
      doLowerCase: true,
      prompts: {},
      similarityFunction: 'cosine',
      source:
        'https://huggingface.co/BAAI/bge-small-zh-v1.5 (modules.json: Transformer, Pooling (cls), Normalize; sentence_bert_config.json: max_seq_length 512, do_lower_case true)',
    },
  },
];

function quoted(repository: string, revision: string): string {
  return `SHA-256 and size quoted identically by several public projects pinning ${repository}@${revision} (no hub page found); sizes agree with ${HUB_TREE(repository, revision)}`;
}

export const DEFAULT_CATALOGUE_ID = 'all-MiniLM-L6-v2';

/** Every revision this release pins: what downloads and cached files are held to by default. */
export const RELEASE_PINNED: PinnedTable = MODEL_CATALOGUE.map(({ repository, revision, files }) => ({ repository, revision, files }));

/** The entry with this id (case-insensitive), or undefined. */
export function catalogueEntry(id: string, catalogue: readonly CatalogueEntry[] = MODEL_CATALOGUE): CatalogueEntry | undefined {
  const wanted = id.trim().toLowerCase();
  return catalogue.find((entry) => entry.id.toLowerCase() === wanted);
}

/** The entry pinning this repository (and revision, when given). */
export function catalogueEntryFor(
  repository: string,
  revision: string | undefined,
  catalogue: readonly CatalogueEntry[] = MODEL_CATALOGUE,
): CatalogueEntry | undefined {
  const repo = repository.toLowerCase();
  return catalogue.find((entry) => entry.repository.toLowerCase() === repo && (revision === undefined || entry.revision === revision.toLowerCase()));
}

/** Dtypes whose every required file carries a digest: the ones this release can download and verify. */
export function verifiedDtypes(entry: PinnedRevision): Dtype[] {
  return DTYPES.filter((dtype) => requiredFiles(dtype).every((file) => hasDigest(entry.files[file])));
}

export interface DownloadSize {
  bytes: number;
  /** Every file's size is pinned; otherwise part of the figure is the hub's rounded size. */
  exact: boolean;
}

/** Bytes a download of this dtype fetches. */
export function downloadSize(entry: CatalogueEntry, dtype: Dtype): DownloadSize {
  let bytes = 0;
  let exact = true;
  for (const file of requiredFiles(dtype)) {
    const pinned: PinnedFile | undefined = entry.files[file];
    if (pinned?.size !== undefined) bytes += pinned.size;
    else {
      exact = false;
      bytes += entry.approximateSizes?.[file] ?? 0;
    }
  }
  return { bytes, exact };
}
