import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../../../src/engine/errors';
import { readModelConfig, resolvePrompt } from '../../../src/engine/modelConfig';
import { sentenceEmbeddings } from '../../../src/engine/pooling';
import { readSafetensors } from '../../../src/engine/safetensors';
import { tinyFixtures, tinyModelDir } from '../../helpers/tinyModels';
import { testModelDir } from '../../helpers/sharedPaths';

const fixtures = tinyFixtures();

/** The real all-MiniLM-L6-v2 folder (../shared), or a skip where it is absent: the unit suite runs without it. */
function allMiniLmDir(context: Mocha.Context): string {
  try {
    return testModelDir();
  } catch {
    return context.skip();
  }
}

function rejectsWith(code: string, pattern: RegExp, run: () => unknown): void {
  assert.throws(run, (error: EngineError) => {
    assert.ok(error instanceof EngineError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('readModelConfig', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-config-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A copy of a tiny model folder without its ONNX export (the config reader never opens it). */
  const copyOf = (name: string, as = name) => {
    const dir = path.join(tmp, as);
    fs.cpSync(tinyModelDir(name), dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}onnx`) });
    return dir;
  };

  for (const [name, model] of Object.entries(fixtures.models)) {
    it(`${name}: what ST 6.2.0 reads (${model.pooling_mode}, max ${model.max_seq_length}, ${model.similarity_fn_name})`, () => {
      const config = readModelConfig(tinyModelDir(name));
      assert.equal(config.name, name);
      assert.equal(config.origin, 'modules.json');
      assert.equal(config.maxSeqLength, model.max_seq_length);
      assert.deepEqual(config.pooling, { modes: [model.pooling_mode], includePrompt: model.include_prompt });
      assert.equal(config.normalize, model.normalize);
      assert.equal(config.dimension, model.dimension);
      assert.equal(config.hiddenSize, 32);
      assert.equal(config.similarityFunction, model.similarity_fn_name);
      assert.deepEqual(config.prompts, model.prompts);
      assert.equal(config.defaultPromptName, model.default_prompt_name ?? undefined);
      assert.equal(config.doLowerCase, false);
      assert.deepEqual(
        config.dense.map((d) => ({ in_features: d.inFeatures, out_features: d.outFeatures })),
        model.dense ? [{ in_features: model.dense.in_features, out_features: model.dense.out_features }] : [],
      );
    });
  }

  it('bert-max-dense: Dense weights [24, 32] and bias from 2_Dense/model.safetensors, Tanh', () => {
    const [dense] = readModelConfig(tinyModelDir('bert-max-dense')).dense;
    assert.equal(dense!.activation, 'tanh');
    assert.equal(dense!.weight.length, 24 * 32);
    assert.equal(dense!.bias!.length, 24);
    const tensors = readSafetensors(path.join(tinyModelDir('bert-max-dense'), '2_Dense', 'model.safetensors'));
    assert.deepEqual(tensors.get('linear.weight')!.shape, [24, 32]);
    assert.ok(dense!.weight.some((v) => v !== 0));
  });

  it('all-MiniLM-L6-v2 (old-style modules.json, legacy pooling keys, sentence_bert_config max_seq_length 256 uncapped rule)', function () {
    const config = readModelConfig(allMiniLmDir(this));
    assert.equal(config.name, 'all-MiniLM-L6-v2');
    assert.equal(config.maxSeqLength, 256);
    assert.deepEqual(config.pooling, { modes: ['mean'], includePrompt: true });
    assert.equal(config.normalize, true);
    assert.equal(config.dimension, 384);
    assert.equal(config.similarityFunction, 'cosine');
    assert.deepEqual(config.prompts, { query: '', document: '' });
  });

  it("a folder without modules.json: all-MiniLM-L6-v2 when the resolver knows it (or by name), else ST's plain default", function () {
    const source = allMiniLmDir(this);
    const dir = path.join(tmp, 'c0ffee');
    fs.mkdirSync(dir);
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) fs.copyFileSync(path.join(source, file), path.join(dir, file));
    const logs: string[] = [];
    const known = readModelConfig(dir, { knownDefault: true, log: (m) => logs.push(m) });
    assert.deepEqual([known.name, known.origin, known.maxSeqLength, known.normalize, known.dimension], ['all-MiniLM-L6-v2', 'known', 256, true, 384]);
    assert.match(logs[0]!, /all-MiniLM-L6-v2's sentence-transformers configuration/);
    const plain = readModelConfig(dir, { log: (m) => logs.push(m) });
    assert.deepEqual([plain.name, plain.origin, plain.maxSeqLength, plain.normalize, plain.pooling.modes], ['c0ffee', 'default', 512, false, ['mean']]);
    assert.match(logs[1]!, /default for a plain transformers model/);
    const named = path.join(tmp, 'all-MiniLM-L6-v2');
    fs.renameSync(dir, named);
    assert.equal(readModelConfig(named).origin, 'known');
  });

  it('max_seq_length: tokenizer model_max_length capped by max_position_embeddings; sentence_bert_config wins uncapped', () => {
    const dir = copyOf('bert-cls');
    const tokenizerConfig = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    const hf = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { max_position_embeddings: number };
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ ...tokenizerConfig, model_max_length: 1e30 }));
    assert.equal(readModelConfig(dir).maxSeqLength, hf.max_position_embeddings);
    fs.writeFileSync(path.join(dir, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 9999 }));
    assert.equal(readModelConfig(dir).maxSeqLength, 9999);
  });

  it("new-style pooling lists concatenate; legacy keys convert in ST's order", () => {
    const dir = copyOf('bert-cls');
    fs.writeFileSync(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify({ embedding_dimension: 32, pooling_mode: ['cls', 'mean'] }));
    assert.deepEqual([readModelConfig(dir).pooling.modes, readModelConfig(dir).dimension], [['cls', 'mean'], 64]);
    fs.writeFileSync(
      path.join(dir, '1_Pooling', 'config.json'),
      JSON.stringify({ word_embedding_dimension: 32, pooling_mode_max_tokens: true, pooling_mode_cls_token: true }),
    );
    assert.deepEqual(readModelConfig(dir).pooling, { modes: ['cls', 'max'], includePrompt: true });
    fs.writeFileSync(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: 32 }));
    assert.deepEqual(readModelConfig(dir).pooling.modes, ['mean']);
  });

  it('an unknown module type is MODEL_UNSUPPORTED naming it; so are an unknown pooling mode and activation', () => {
    const dir = copyOf('bert-max-dense');
    const modulesFile = path.join(dir, 'modules.json');
    const modules = JSON.parse(fs.readFileSync(modulesFile, 'utf8')) as { type: string; path: string }[];
    fs.writeFileSync(modulesFile, JSON.stringify([...modules, { idx: 4, name: '4', path: '4_X', type: 'sentence_transformers.models.WordWeights' }]));
    rejectsWith('MODEL_UNSUPPORTED', /sentence_transformers\.models\.WordWeights/, () => readModelConfig(dir));
    fs.writeFileSync(modulesFile, JSON.stringify(modules));
    fs.writeFileSync(
      path.join(dir, '2_Dense', 'config.json'),
      JSON.stringify({ in_features: 32, out_features: 24, bias: true, activation_function: 'torch.nn.modules.activation.PReLU' }),
    );
    rejectsWith('MODEL_UNSUPPORTED', /PReLU.*supported: Identity, Tanh, ReLU, Sigmoid, GELU/, () => readModelConfig(dir));
    fs.writeFileSync(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify({ embedding_dimension: 32, pooling_mode: 'median' }));
    rejectsWith('MODEL_UNSUPPORTED', /"median"/, () => readModelConfig(dir));
  });
});

describe('resolvePrompt', () => {
  const config = { name: 'm', prompts: { query: 'query: ', document: '', passage: 'passage: ' }, defaultPromptName: 'query' };
  it('explicit prompt wins (even ""), then the name, then the default; "" is no prompt', () => {
    assert.equal(resolvePrompt(config, {}), 'query: ');
    assert.equal(resolvePrompt(config, { promptName: 'passage' }), 'passage: ');
    assert.equal(resolvePrompt(config, { prompt: 'x: ', promptName: 'passage' }), 'x: ');
    assert.equal(resolvePrompt(config, { prompt: '' }), undefined);
    assert.equal(resolvePrompt(config, { promptName: 'document' }), undefined);
    assert.equal(resolvePrompt({ ...config, defaultPromptName: undefined }, {}), undefined);
  });
  it('an unknown name is INVALID_INPUT listing the names', () => {
    rejectsWith('INVALID_INPUT', /"query", "document", "passage"/, () => resolvePrompt(config, { promptName: 'nope' }));
    rejectsWith('INVALID_INPUT', /no prompt named "toString"/, () => resolvePrompt(config, { promptName: 'toString' }));
  });
});

describe('sentenceEmbeddings: pooling modes as ST computes them', () => {
  // Two rows of three positions, dim 2; row 1 is right-padded after two tokens.
  const hidden = new Float32Array([1, 2, 3, 4, 5, -6, 7, 8, 9, 10, 0, 0]);
  const mask = [1, 1, 1, 1, 1, 0];
  const pool = (mode: 'cls' | 'max' | 'mean' | 'mean_sqrt_len_tokens' | 'weightedmean' | 'lasttoken', promptLength = 0) =>
    sentenceEmbeddings(hidden, mask, 2, 3, 2, { modes: [mode], dense: [], normalize: false }, promptLength).map((v) => Array.from(v));
  it('cls, max, mean, mean_sqrt_len_tokens, weightedmean, lasttoken', () => {
    assert.deepEqual(pool('cls'), [
      [1, 2],
      [7, 8],
    ]);
    assert.deepEqual(pool('max'), [
      [5, 4],
      [9, 10],
    ]);
    assert.deepEqual(pool('mean'), [
      [3, 0],
      [8, 9],
    ]);
    assert.deepEqual(
      pool('mean_sqrt_len_tokens').map((v) => v.map((x) => Number(x.toFixed(5)))),
      [
        [5.19615, 0],
        [11.31371, 12.72792],
      ],
    );
    assert.deepEqual(
      pool('weightedmean').map((v) => v.map((x) => Number(x.toFixed(5)))),
      [[(1 + 6 + 15) / 6, (2 + 8 - 18) / 6].map((x) => Number(x.toFixed(5))), [(7 + 18) / 3, (8 + 20) / 3].map((x) => Number(x.toFixed(5)))],
    );
    assert.deepEqual(pool('lasttoken'), [
      [5, -6],
      [9, 10],
    ]);
  });
  it('a prompt length masks the first positions for pooling; cls then takes the first token after it', () => {
    assert.deepEqual(pool('cls', 1), [
      [3, 4],
      [9, 10],
    ]);
    assert.deepEqual(pool('mean', 1), [
      [4, -1],
      [9, 10],
    ]);
    // weightedmean keeps the original positions' weights.
    assert.deepEqual(
      pool('weightedmean', 1)[0]!.map((x) => Number(x.toFixed(5))),
      [(6 + 15) / 5, (8 - 18) / 5],
    );
    // Nothing left: mean gives zeros, lasttoken zeros, cls position 0.
    assert.deepEqual(pool('mean', 3)[1], [0, 0]);
    assert.deepEqual(pool('lasttoken', 3)[1], [0, 0]);
    assert.deepEqual(pool('cls', 3)[1], [7, 8]);
  });
  it('Dense (W·x + b, activation) and Normalize run after pooling', () => {
    const dense = { inFeatures: 2, outFeatures: 1, activation: 'identity' as const, weight: new Float32Array([1, 1]), bias: new Float32Array([0.5]) };
    const [v] = sentenceEmbeddings(hidden, mask, 1, 3, 2, { modes: ['mean'], dense: [dense], normalize: false });
    assert.deepEqual(Array.from(v!), [3.5]);
    const [n] = sentenceEmbeddings(hidden, mask, 1, 3, 2, { modes: ['mean'], dense: [dense], normalize: true });
    assert.deepEqual(Array.from(n!), [1]);
  });
});
