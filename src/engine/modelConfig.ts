import fs from 'node:fs';
import path from 'node:path';
import type { SimilarityFunction } from '../core/similarityMatrix';
import { EngineError } from './errors';
import { readSafetensors } from './safetensors';
import { MODEL_NAME } from './types';
import { DENSE_ACTIVATIONS, type DenseActivation } from './denseActivations';

/** sentence-transformers' pooling modes, in the order its legacy boolean keys are converted. */
export type PoolingMode = 'cls' | 'max' | 'mean' | 'mean_sqrt_len_tokens' | 'weightedmean' | 'lasttoken';
export const POOLING_MODES: readonly PoolingMode[] = ['cls', 'max', 'mean', 'mean_sqrt_len_tokens', 'weightedmean', 'lasttoken'];

export type { SimilarityFunction };
const SIMILARITY_FUNCTIONS: readonly SimilarityFunction[] = ['cosine', 'dot', 'euclidean', 'manhattan'];

export type { DenseActivation };

/** A Dense module: `activation(W·x + b)`, W row-major [outFeatures, inFeatures]. */
export interface DenseLayer {
  inFeatures: number;
  outFeatures: number;
  activation: DenseActivation;
  weight: Float32Array;
  bias: Float32Array | undefined;
  /**
   * use_residual: the input is added to the output, through `residual.weight` ([out, in], no bias) when the widths
   * differ, and as it is when they match.
   */
  residual?: { weight: Float32Array | undefined };
  /** A Normalize module comes before this layer in modules.json (ST runs the modules in that order). */
  normalizeInput?: boolean;
}

export interface PoolingConfig {
  /** Pooled vectors of several modes are concatenated in this order. */
  modes: PoolingMode[];
  /** false: the prompt's tokens (and the leading [CLS]/<s>) are left out of pooling. */
  includePrompt: boolean;
}

/** What `SentenceTransformer(folder)` reads from a model folder, as the engine needs it. */
export interface ModelConfig {
  name: string;
  /** Tokens the model sees at most, specials and prompt included. */
  maxSeqLength: number;
  /**
   * Longest row the transformer has position embeddings for (config.json max_position_embeddings, less RoBERTa's
   * offset of pad id + 1), when known. max_seq_length may exceed it: ST does not cap a configured one and fails
   * on a longer batch, and so does the engine, in one line.
   */
  positionLimit: number | undefined;
  /** sentence_bert_config.json's tokenizer_args (processor_kwargs): arguments that override tokenizer_config.json. */
  tokenizerArgs: Record<string, unknown>;
  /** sentence_bert_config.json do_lower_case: ST lowercases the text before its tokenizer. */
  doLowerCase: boolean;
  /** Width of the token states (the transformer's hidden size). */
  hiddenSize: number;
  pooling: PoolingConfig;
  dense: DenseLayer[];
  normalize: boolean;
  /** Prompt names and texts, with ST's "query" and "document" ("") added when absent. */
  prompts: Record<string, string>;
  defaultPromptName: string | undefined;
  similarityFunction: SimilarityFunction;
  /**
   * config_sentence_transformers.json truncate_dim, when it is below the model's width: vectors keep their first
   * truncateDim values (not renormalised). Undefined when nothing is cut.
   */
  truncateDim: number | undefined;
  /** Width of the output vectors (truncate_dim applied). */
  dimension: number;
  /** How the configuration was found: the folder's modules.json, all-MiniLM-L6-v2's known one, or ST's default. */
  origin: 'modules.json' | 'known' | 'default';
}

export interface ReadConfigOptions {
  /** The resolver knows the folder is all-MiniLM-L6-v2 (pinned default repository, or its named subfolder). */
  knownDefault?: boolean;
  log?: (message: string) => void;
}

/** all-MiniLM-L6-v2's sentence-transformers configuration, for its transformers.js download that has no ST files. */
const ALL_MINILM = { maxSeqLength: 256, hiddenSize: 384, modes: ['mean'] as PoolingMode[], normalize: true };

/**
 * Reads a model folder the way `SentenceTransformer(folder)` (6.2.0) does: modules.json, 1_Pooling, Dense,
 * Normalize, config_sentence_transformers.json, the sequence length rule. A module type the engine does not run
 * is an EngineError naming it.
 */
export function readModelConfig(dir: string, options: ReadConfigOptions = {}): ModelConfig {
  const log = options.log ?? (() => undefined);
  const hfConfig = readJsonObject(dir, 'config.json') ?? {};
  const tokenizerConfig = readJsonObject(dir, 'tokenizer_config.json') ?? {};
  const stConfig = readJsonObject(dir, 'config_sentence_transformers.json') ?? {};
  const modules = readJson(dir, 'modules.json');
  const hiddenSize = numberOr(hfConfig.hidden_size, numberOr(hfConfig.d_model, 0));

  const prompts: Record<string, string> = { query: '', document: '' };
  if (isObject(stConfig.prompts)) {
    for (const [name, text] of Object.entries(stConfig.prompts)) {
      if (typeof text === 'string') prompts[name] = text;
    }
  }
  const defaultPromptName = typeof stConfig.default_prompt_name === 'string' ? stConfig.default_prompt_name : undefined;
  if (defaultPromptName !== undefined && !(defaultPromptName in prompts)) {
    throw new EngineError(
      'MODEL_CORRUPT',
      `config_sentence_transformers.json in ${dir} names the default prompt "${defaultPromptName}", which is not among its prompts (${Object.keys(prompts).join(', ')}).`,
    );
  }
  // ST 6.2.0 takes a saved similarity_fn_name only when it is one of its four names, and cosine otherwise.
  const savedSimilarity = stConfig.similarity_fn_name;
  let similarityFunction: SimilarityFunction = 'cosine';
  if (SIMILARITY_FUNCTIONS.includes(savedSimilarity as SimilarityFunction)) similarityFunction = savedSimilarity as SimilarityFunction;
  else if (savedSimilarity !== undefined && savedSimilarity !== null)
    log(
      `config_sentence_transformers.json in ${dir} names the similarity function ${JSON.stringify(savedSimilarity)}, which sentence-transformers ignores: using cosine, as it does`,
    );
  // Matryoshka models: ST keeps the first truncate_dim values of each vector, after Normalize.
  const truncateDim =
    typeof stConfig.truncate_dim === 'number' && Number.isInteger(stConfig.truncate_dim) && stConfig.truncate_dim > 0 ? stConfig.truncate_dim : undefined;
  const common = { prompts, defaultPromptName, similarityFunction };

  if (modules === undefined) {
    // Recognised by the resolver, by config.json's model name, or by the folder (or, in the cache, its parent) name.
    const named = (value: string) => value.toLowerCase() === MODEL_NAME.toLowerCase();
    const known =
      options.knownDefault === true ||
      named(
        String(hfConfig._name_or_path ?? '')
          .split('/')
          .at(-1) ?? '',
      ) ||
      named(path.basename(dir)) ||
      named(path.basename(path.dirname(dir)));
    if (known) {
      log(`${dir} has no modules.json: using all-MiniLM-L6-v2's sentence-transformers configuration (mean pooling, Normalize, 256 tokens, cosine)`);
      return {
        name: MODEL_NAME,
        maxSeqLength: ALL_MINILM.maxSeqLength,
        tokenizerArgs: {},
        positionLimit: positionLimit(hfConfig),
        doLowerCase: false,
        hiddenSize: hiddenSize || ALL_MINILM.hiddenSize,
        pooling: { modes: ALL_MINILM.modes, includePrompt: true },
        dense: [],
        normalize: ALL_MINILM.normalize,
        ...common,
        ...outputWidth(hiddenSize || ALL_MINILM.hiddenSize, truncateDim),
        origin: 'known',
      };
    }
    if (!hiddenSize) throw new EngineError('MODEL_CORRUPT', `config.json in ${dir} gives no hidden_size; it is not a transformer model folder.`);
    log(`${dir} has no modules.json: using sentence-transformers' default for a plain transformers model (mean pooling, no Normalize)`);
    return {
      name: path.basename(dir),
      // ST builds a fresh Transformer here: a sentence_bert_config.json without modules.json is not read.
      maxSeqLength: sequenceLength(dir, tokenizerConfig, hfConfig, undefined),
      tokenizerArgs: {},
      positionLimit: positionLimit(hfConfig),
      doLowerCase: false,
      hiddenSize,
      pooling: { modes: ['mean'], includePrompt: true },
      dense: [],
      normalize: false,
      ...common,
      ...outputWidth(hiddenSize, truncateDim),
      origin: 'default',
    };
  }

  if (!Array.isArray(modules)) throw new EngineError('MODEL_CORRUPT', `modules.json in ${dir} is not a list of modules.`);
  let transformerPath: string | undefined;
  let pooling: PoolingConfig | undefined;
  let pooledWidth = 0;
  const dense: DenseLayer[] = [];
  let normalize = false;
  for (const entry of modules as unknown[]) {
    const module = isObject(entry) ? entry : {};
    const type = String(module.type ?? '');
    const kind = type.split('.').at(-1) ?? '';
    const modulePath = typeof module.path === 'string' ? module.path : '';
    const order = (what: string, ok: boolean) => {
      if (!ok)
        throw new EngineError(
          'MODEL_UNSUPPORTED',
          `modules.json in ${dir} puts ${what} ("${type}") where the engine does not run it: it runs Transformer → Pooling, then Dense and Normalize modules.`,
        );
    };
    switch (kind) {
      case 'Transformer':
        order('a second Transformer', transformerPath === undefined);
        transformerPath = modulePath;
        if (modulePath !== '')
          throw new EngineError(
            'MODEL_UNSUPPORTED',
            `modules.json in ${dir} keeps the Transformer in "${modulePath}/"; the engine reads it from the folder itself.`,
          );
        break;
      case 'Pooling': {
        order('Pooling', transformerPath !== undefined && pooling === undefined);
        const read = readPooling(dir, modulePath, hiddenSize);
        pooling = read.pooling;
        pooledWidth = read.width;
        break;
      }
      case 'Dense': {
        order('Dense', pooling !== undefined);
        const layer = readDense(dir, modulePath, log);
        const expected = dense.at(-1)?.outFeatures ?? pooledWidth;
        if (layer.inFeatures !== expected) {
          throw new EngineError(
            'MODEL_CORRUPT',
            `${modulePath}/config.json in ${dir} takes ${layer.inFeatures} features, but the module before it gives ${expected}.`,
          );
        }
        if (normalize) layer.normalizeInput = true;
        normalize = false;
        dense.push(layer);
        break;
      }
      case 'Normalize':
        order('Normalize', pooling !== undefined);
        normalize = true;
        break;
      default:
        throw new EngineError(
          'MODEL_UNSUPPORTED',
          `modules.json in ${dir} uses the module "${type || '(no type)'}", which this engine does not run. Supported: Transformer, Pooling, Dense, Normalize.`,
        );
    }
  }
  if (transformerPath === undefined) throw new EngineError('MODEL_UNSUPPORTED', `modules.json in ${dir} has no Transformer module.`);
  if (!pooling) throw new EngineError('MODEL_UNSUPPORTED', `modules.json in ${dir} has no Pooling module; the engine needs one to make a sentence vector.`);
  const sbert = readTransformerConfig(dir);
  return {
    name: path.basename(dir),
    maxSeqLength: sequenceLength(dir, tokenizerConfig, hfConfig, sbert),
    tokenizerArgs: tokenizerArgsOf(sbert),
    positionLimit: positionLimit(hfConfig),
    doLowerCase: sbert?.do_lower_case === true,
    hiddenSize: hiddenSize || pooledWidth / pooling.modes.length,
    pooling,
    dense,
    normalize,
    ...common,
    ...outputWidth(dense.at(-1)?.outFeatures ?? pooledWidth, truncateDim),
    origin: 'modules.json',
  };
}

/** The Transformer module's configuration files, in the order ST 6.2.0 tries them; the first non-empty one counts. */
const TRANSFORMER_CONFIG_FILES = [
  'sentence_bert_config.json',
  'sentence_roberta_config.json',
  'sentence_distilbert_config.json',
  'sentence_camembert_config.json',
  'sentence_albert_config.json',
  'sentence_xlm-roberta_config.json',
  'sentence_xlnet_config.json',
];

function readTransformerConfig(dir: string): Record<string, unknown> | undefined {
  for (const file of TRANSFORMER_CONFIG_FILES) {
    const config = readJsonObject(dir, file);
    if (config && Object.keys(config).length > 0) return config;
  }
  return undefined;
}

/** ST renames tokenizer_args to processor_kwargs, the old key replacing the new one when both are present. */
function tokenizerArgsOf(sbert: Record<string, unknown> | undefined): Record<string, unknown> {
  const args = sbert?.tokenizer_args ?? sbert?.processor_kwargs;
  return isObject(args) ? args : {};
}

/**
 * ST 6.2.0: a model_max_length among the tokenizer arguments wins; then sentence_bert_config.json's max_seq_length,
 * as it is; otherwise the tokenizer's model_max_length capped by config.json's max_position_embeddings.
 */
function sequenceLength(
  dir: string,
  tokenizerConfig: Record<string, unknown>,
  hfConfig: Record<string, unknown>,
  sbert: Record<string, unknown> | undefined,
): number {
  const fromArgs = tokenizerArgsOf(sbert).model_max_length;
  if (typeof fromArgs === 'number' && fromArgs > 0) return Math.floor(fromArgs);
  const fromSbert = sbert?.max_seq_length;
  if (typeof fromSbert === 'number' && Number.isInteger(fromSbert) && fromSbert > 0) return fromSbert;
  const candidates = [tokenizerConfig.model_max_length, hfConfig.max_position_embeddings].filter((v): v is number => typeof v === 'number' && v > 0);
  if (candidates.length === 0)
    throw new EngineError('MODEL_CORRUPT', `${dir} gives no sequence length (tokenizer_config.json model_max_length, config.json max_position_embeddings).`);
  return Math.floor(Math.min(...candidates));
}

/** The output width, and truncate_dim only where it cuts the model's `width` values. */
function outputWidth(width: number, truncateDim: number | undefined): { dimension: number; truncateDim: number | undefined } {
  return truncateDim !== undefined && truncateDim < width ? { dimension: truncateDim, truncateDim } : { dimension: width, truncateDim: undefined };
}

/** Model types whose embeddings number positions from pad id + 1 (RoBERTa's `create_position_ids_from_input_ids`). */
const PADDING_OFFSET_POSITIONS = new Set(['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'mpnet', 'data2vec-text', 'longformer']);

function positionLimit(hfConfig: Record<string, unknown>): number | undefined {
  const positions = hfConfig.max_position_embeddings;
  if (typeof positions !== 'number' || !Number.isInteger(positions) || positions <= 0) return undefined;
  const offset = PADDING_OFFSET_POSITIONS.has(String(hfConfig.model_type)) ? numberOr(hfConfig.pad_token_id, 1) + 1 : 0;
  return positions - offset > 0 ? positions - offset : undefined;
}

function readPooling(dir: string, modulePath: string, hiddenSize: number): { pooling: PoolingConfig; width: number } {
  const file = path.join(modulePath, 'config.json');
  const config = readJsonObject(dir, file);
  if (!config) throw new EngineError('MODEL_CORRUPT', `${path.join(dir, file)} is missing or not JSON.`);
  const width = numberOr(config.embedding_dimension, numberOr(config.word_embedding_dimension, hiddenSize));
  let modes: PoolingMode[];
  if (config.pooling_mode !== undefined) {
    const named = Array.isArray(config.pooling_mode) ? config.pooling_mode : [config.pooling_mode];
    modes = named.map((name) => {
      const mode = POOLING_MODES.find((m) => m === name);
      if (!mode)
        throw new EngineError(
          'MODEL_UNSUPPORTED',
          `${path.join(dir, file)} asks for the pooling mode "${String(name)}"; supported: ${POOLING_MODES.join(', ')}.`,
        );
      return mode;
    });
  } else {
    const legacy: Record<PoolingMode, string> = {
      cls: 'pooling_mode_cls_token',
      max: 'pooling_mode_max_tokens',
      mean: 'pooling_mode_mean_tokens',
      mean_sqrt_len_tokens: 'pooling_mode_mean_sqrt_len_tokens',
      weightedmean: 'pooling_mode_weightedmean_tokens',
      lasttoken: 'pooling_mode_lasttoken',
    };
    modes = POOLING_MODES.filter((m) => config[legacy[m]] === true);
    if (modes.length === 0) modes = ['mean'];
  }
  if (modes.length === 0) throw new EngineError('MODEL_CORRUPT', `${path.join(dir, file)} names no pooling mode.`);
  return { pooling: { modes, includePrompt: config.include_prompt !== false }, width: width * modes.length };
}

function readDense(dir: string, modulePath: string, log: (message: string) => void): DenseLayer {
  const folder = path.join(dir, modulePath);
  const config = readJsonObject(dir, path.join(modulePath, 'config.json'));
  if (!config) throw new EngineError('MODEL_CORRUPT', `${path.join(folder, 'config.json')} is missing or not JSON.`);
  const inFeatures = numberOr(config.in_features, 0);
  const outFeatures = numberOr(config.out_features, 0);
  let activationName = String(config.activation_function ?? 'torch.nn.modules.activation.Tanh');
  if (!activationName.startsWith('torch.')) {
    // ST 6.2.0 only imports torch.* classes without trust_remote_code; anything else falls back to Tanh.
    log(`${path.join(folder, 'config.json')} names the activation "${activationName}", which sentence-transformers does not trust: using Tanh, as it does`);
    activationName = 'torch.nn.modules.activation.Tanh';
  }
  const className = activationName.split('.').at(-1) ?? '';
  const activation = Object.hasOwn(DENSE_ACTIVATIONS, className) ? DENSE_ACTIVATIONS[className as keyof typeof DENSE_ACTIVATIONS].name : undefined;
  if (!activation)
    throw new EngineError(
      'MODEL_UNSUPPORTED',
      `${path.join(folder, 'config.json')} uses the activation "${activationName}"; supported: ${Object.keys(DENSE_ACTIVATIONS).join(', ')}.`,
    );
  const weightsFile = path.join(folder, 'model.safetensors');
  if (!fs.existsSync(weightsFile)) {
    const legacy = fs.existsSync(path.join(folder, 'pytorch_model.bin'));
    throw new EngineError(
      legacy ? 'MODEL_UNSUPPORTED' : 'MODEL_CORRUPT',
      `${weightsFile} is missing${legacy ? ' (the folder has pytorch_model.bin, which this engine cannot read: save the model again with safetensors)' : ''}.`,
    );
  }
  const tensors = readSafetensors(weightsFile);
  const weight = tensors.get('linear.weight');
  if (!weight || weight.shape.length !== 2 || weight.shape[0] !== outFeatures || weight.shape[1] !== inFeatures) {
    throw new EngineError('MODEL_CORRUPT', `${weightsFile} has no linear.weight of shape [${outFeatures}, ${inFeatures}].`);
  }
  const bias = tensors.get('linear.bias');
  if (config.bias !== false && (!bias || bias.data.length !== outFeatures))
    throw new EngineError('MODEL_CORRUPT', `${weightsFile} has no linear.bias of ${outFeatures} values.`);
  let residual: DenseLayer['residual'];
  if (config.use_residual === true) {
    const projection = tensors.get('residual.weight');
    if (inFeatures !== outFeatures && (!projection || projection.shape[0] !== outFeatures || projection.shape[1] !== inFeatures))
      throw new EngineError('MODEL_CORRUPT', `${weightsFile} has no residual.weight of shape [${outFeatures}, ${inFeatures}] for its use_residual.`);
    residual = { weight: inFeatures === outFeatures ? undefined : projection!.data };
  }
  return { inFeatures, outFeatures, activation, weight: weight.data, bias: config.bias === false ? undefined : bias!.data, residual };
}

/** A prompt for `encode`: an explicit `prompt` wins (even ""), then `promptName`, then the model's default prompt. */
export interface PromptOptions {
  prompt?: string;
  promptName?: string;
}

/**
 * The prompt ST's `encode(texts, prompt=…, prompt_name=…)` prepends, or undefined for none ("" is none too: it
 * changes neither the text nor pooling). An unknown name is INVALID_INPUT listing the model's names.
 */
export function resolvePrompt(config: Pick<ModelConfig, 'name' | 'prompts' | 'defaultPromptName'>, options: PromptOptions): string | undefined {
  let prompt: string | undefined;
  if (options.prompt !== undefined) prompt = options.prompt;
  else if (options.promptName !== undefined) {
    if (!Object.hasOwn(config.prompts, options.promptName)) {
      throw new EngineError(
        'INVALID_INPUT',
        `${config.name} has no prompt named "${options.promptName}". Its prompts: ${Object.keys(config.prompts)
          .map((n) => `"${n}"`)
          .join(', ')}.`,
      );
    }
    prompt = config.prompts[options.promptName];
  } else if (config.defaultPromptName !== undefined) prompt = config.prompts[config.defaultPromptName];
  return prompt === '' ? undefined : prompt;
}

function readJson(dir: string, file: string): unknown {
  const full = path.join(dir, file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EngineError('MODEL_CORRUPT', `${full} is not valid JSON (${(error as Error).message}).`);
  }
}

function readJsonObject(dir: string, file: string): Record<string, unknown> | undefined {
  const value = readJson(dir, file);
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new EngineError('MODEL_CORRUPT', `${path.join(dir, file)} is not a JSON object.`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
