import assert from 'node:assert/strict';
import { Engine } from '../../../src/engine';
import { ModelSession } from '../../../src/engine/modelSession';
import { cosineOf, normOf, tinyFixtures, tinyModelDir, type TinySetting } from '../../helpers/tinyModels';

const fixtures = tinyFixtures();

/** The engine's prompt options for one of the fixture's settings (the kwargs ST's encode was given). */
export function promptOptionsOf(setting: TinySetting): { prompt?: string; promptName?: string } {
  return { prompt: setting.encode_kwargs.prompt, promptName: setting.encode_kwargs.prompt_name };
}

describe('tiny sentence-transformers models: the engine follows each folder as ST 6.2.0 does', function () {
  const engines: Engine[] = [];
  after(async () => Promise.all(engines.map((e) => e.dispose())));
  const worstByModel: Record<string, number> = {};
  after(() => {
    console.log(
      `      worst cosine per model: ${Object.entries(worstByModel)
        .map(([m, c]) => `${m} 1−${(1 - c).toExponential(1)}`)
        .join(', ')}`,
    );
  });

  it("the cache keys the prompt applied: the same text under two prompts gives two vectors, each ST's", async () => {
    const model = fixtures.models['bert-prompts-exclude']!;
    const engine = new Engine({ modelDir: tinyModelDir('bert-prompts-exclude'), threads: 1 });
    engines.push(engine);
    const i = model.texts.indexOf('hello world');
    for (const settingName of ['prompt_name:query', 'prompt_name:passage', 'none', 'prompt_name:query']) {
      const setting = model.settings.find((s) => s.name === settingName)!;
      const [vector] = await engine.encode([model.texts[i]!], promptOptionsOf(setting));
      assert.ok(cosineOf(vector!, setting.embeddings[i]!) >= 0.99999, settingName);
    }
    assert.equal(engine.cacheUsage.entries, 3);
  });

  it("normalize overrides the folder's Normalize module both ways, and the cache keeps the two apart", async () => {
    // bert-cls ends without Normalize (ST returns its CLS vectors as they are); bert-mean-norm ends with it.
    const raw = fixtures.models['bert-cls']!;
    const unit = fixtures.models['bert-mean-norm']!;
    const rawEngine = new Engine({ modelDir: tinyModelDir('bert-cls'), threads: 1 });
    const unitEngine = new Engine({ modelDir: tinyModelDir('bert-mean-norm'), threads: 1 });
    engines.push(rawEngine, unitEngine);
    const pick = (model: typeof raw) => {
      const setting = model.settings.find((s) => s.name === 'none')!;
      const i = model.texts.indexOf('hello world');
      return { text: model.texts[i]!, st: setting.embeddings[i]!, stNorm: setting.norms[i]! };
    };
    const a = pick(raw);
    assert.ok(Math.abs(a.stNorm - 1) > 0.01, 'the fixture is a vector that is not unit length');
    const [asIs] = await rawEngine.encode([a.text]);
    const [scaled] = await rawEngine.encode([a.text], { normalize: true });
    assert.ok(Math.abs(normOf(asIs!) - a.stNorm) < 1e-4 && Math.abs(normOf(scaled!) - 1) < 1e-6);
    assert.ok(cosineOf(scaled!, a.st) >= 0.99999);

    const b = pick(unit);
    const [normalised] = await unitEngine.encode([b.text]);
    const [pooled] = await unitEngine.encode([b.text], { normalize: false });
    const [again] = await unitEngine.encode([b.text]);
    assert.ok(Math.abs(normOf(normalised!) - 1) < 1e-6 && Math.abs(normOf(pooled!) - 1) > 0.01, `pooled norm ${normOf(pooled!)}`);
    assert.ok(cosineOf(pooled!, b.st) >= 0.99999 && cosineOf(again!, b.st) >= 0.99999);
    assert.deepEqual(Array.from(again!), Array.from(normalised!), "the unit vector is not served from the raw one's cache entry");
    await assert.rejects(unitEngine.encode(['x'], { normalize: 'no' as unknown as boolean }), /normalize must be true or false/);
  });

  it("an unknown prompt name is INVALID_INPUT listing the model's prompt names", async () => {
    const engine = new Engine({ modelDir: tinyModelDir('bert-prompts-include'), threads: 1 });
    engines.push(engine);
    await assert.rejects(engine.encode(['x'], { promptName: 'Query' }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'INVALID_INPUT');
      assert.match(error.message, /bert-prompts-include has no prompt named "Query".*"query", "document", "passage"/);
      return true;
    });
    await assert.rejects(engine.countTokens(['x'], undefined, { promptName: 'nope' }), /no prompt named "nope"/);
    assert.deepEqual(await engine.countTokens(['hello world'], undefined, { promptName: 'passage' }), [{ count: 6, truncated: false }]);
  });

  for (const [name, model] of Object.entries(fixtures.models)) {
    describe(name, () => {
      let engine: Engine;
      before(() => {
        engine = new Engine({ modelDir: tinyModelDir(name), dtype: 'fp32', cacheEntries: 0, threads: 1 });
        engines.push(engine);
      });

      it(`reports the folder's configuration (${model.pooling_mode}, dimension ${model.dimension}, max ${model.max_seq_length})`, async () => {
        const info = await engine.load();
        assert.equal(info.name, name);
        assert.equal(info.dimension, model.dimension);
        assert.equal(info.maxSeqLength, model.max_seq_length);
        assert.deepEqual(info.pooling, [model.pooling_mode]);
        assert.equal(info.includePrompt, model.include_prompt);
        assert.equal(info.normalize, model.normalize);
        assert.equal(info.similarityFunction, model.similarity_fn_name);
        assert.deepEqual(info.prompts, model.prompts);
        assert.equal(info.defaultPromptName, model.default_prompt_name ?? undefined);
        assert.equal(info.dense.length, model.dense ? 1 : 0);
      });

      it("token ids and prompt lengths equal ST's in every setting", async () => {
        const session = await ModelSession.load({ dir: tinyModelDir(name), dtype: 'fp32', threads: 1 });
        try {
          for (const setting of model.settings) {
            const prompt = setting.resolved_prompt ?? undefined;
            model.texts.forEach((text, i) =>
              assert.deepEqual(session.tokenize(text, prompt || undefined).ids, setting.token_ids[i], `${setting.name}, text ${i}`),
            );
            const expectedLength = model.include_prompt || !prompt ? 0 : setting.prompt_length;
            assert.equal(session.promptLength(prompt || undefined), expectedLength, setting.name);
          }
        } finally {
          await session.dispose();
        }
      });

      for (const setting of model.settings) {
        for (const batchSize of [32, 1]) {
          it(`${setting.name}, batches of ${batchSize}: ST's token ids, cosine ≥ 0.99999, norm within 1e-4`, async () => {
            const { vectors, tokens } = await engine.encodeWithTokens(model.texts, { ...promptOptionsOf(setting), batchSize });
            assert.deepEqual(
              tokens.map((t) => t.count),
              setting.token_ids.map((ids) => ids.length),
            );
            vectors.forEach((vector, i) => {
              const expected = setting.embeddings[i]!;
              assert.equal(vector.length, expected.length);
              const cos = cosineOf(vector, expected);
              const relative = Math.abs(normOf(vector) - setting.norms[i]!) / setting.norms[i]!;
              worstByModel[name] = Math.min(worstByModel[name] ?? 1, cos);
              assert.ok(cos >= 0.99999, `text ${i} ${JSON.stringify(model.texts[i]!.slice(0, 40))}: cosine ${cos}`);
              assert.ok(relative <= 1e-4, `text ${i}: norm ${normOf(vector)} vs ${setting.norms[i]}`);
            });
          });
        }
      }
    });
  }
});
