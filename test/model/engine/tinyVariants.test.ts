import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../../../src/engine';
import { EngineError } from '../../../src/engine/errors';
import { DENSE_ACTIVATIONS, applyActivation, erf } from '../../../src/engine/denseActivations';
import { cosineOf, normOf } from '../../helpers/tinyModels';
import { materialiseVariant, tinyVariants } from '../../helpers/tinyVariants';

const fixtures = tinyVariants();

describe('tiny model variants: configurations no committed model has, followed as ST 6.2.0 does', function () {
  const folders: string[] = [];
  const engines: Engine[] = [];
  after(async () => {
    await Promise.all(engines.map((e) => e.dispose()));
    for (const folder of folders) fs.rmSync(path.dirname(folder), { recursive: true, force: true });
  });

  it("every Dense activation the engine names gives torch's values (float32 rounding), and no torch class it lacks is in the table", () => {
    assert.deepEqual(Object.keys(DENSE_ACTIVATIONS).sort(), Object.keys(fixtures.activations).sort());
    for (const [torchClass, expected] of Object.entries(fixtures.activations)) {
      const { name } = DENSE_ACTIVATIONS[torchClass as keyof typeof DENSE_ACTIVATIONS];
      fixtures.activation_inputs.forEach((x, i) => {
        const got = Math.fround(applyActivation(name, x));
        assert.ok(Math.abs(got - expected[i]!) <= 2e-7 * Math.max(1, Math.abs(expected[i]!)), `${torchClass}(${x}) = ${got}, torch ${expected[i]}`);
      });
    }
    assert.ok(Math.abs(erf(0)) < 1e-7 && Math.abs(erf(0.5) - 0.5204998778130465) < 2e-7 && Math.abs(erf(-2) + 0.9953222650189527) < 2e-7);
  });

  for (const [name, variant] of Object.entries(fixtures.variants)) {
    describe(`${name}: ${variant.exercises}`, () => {
      let engine: Engine;
      before(() => {
        const folder = materialiseVariant(variant);
        folders.push(folder);
        engine = new Engine({ modelDir: folder, dtype: 'fp32', cacheEntries: 0, threads: 1 });
        engines.push(engine);
      });

      if (variant.load_error) {
        it(`is refused, as ST refuses it (${variant.load_error.split('\n')[0]})`, async () => {
          await assert.rejects(engine.load(), (error: Error) => error instanceof EngineError && !error.message.includes('\n'));
        });
        return;
      }

      it(`reports dimension ${variant.dimension}, max_seq_length ${variant.max_seq_length}, similarity ${variant.similarity_fn_name}`, async () => {
        const info = await engine.load();
        assert.equal(info.dimension, variant.dimension);
        assert.equal(info.maxSeqLength, variant.max_seq_length);
        assert.equal(info.similarityFunction, variant.similarity_fn_name);
      });

      if (name === 'truncate-dim') {
        it("normalize: true scales the cut vectors to unit length, as encode(normalize_embeddings=True) does after truncate_dim; the default leaves them as ST's", async () => {
          const info = await engine.load();
          assert.equal(info.truncateDim, variant.dimension);
          const none = variant.settings!.find((s) => s.name === 'none')!;
          const unit = await engine.encode(fixtures.texts, { normalize: true });
          const plain = await engine.encode(fixtures.texts);
          unit.forEach((vector, i) => {
            const expected = none.embeddings![i]!;
            assert.ok(Math.abs(normOf(vector) - 1) <= 1e-6, `text ${i}: norm ${normOf(vector)}`);
            assert.ok(cosineOf(vector, expected) >= 0.99999, `text ${i}: cosine ${cosineOf(vector, expected)}`);
            assert.ok(Math.abs(normOf(plain[i]!) - none.norms![i]!) <= 1e-4, `text ${i}: default norm ${normOf(plain[i]!)} vs ${none.norms![i]}`);
          });
          assert.ok(
            none.norms!.some((n) => Math.abs(n - 1) > 0.01),
            'the fixture cuts unit vectors, so the default output is not unit length',
          );
        });
      }

      for (const setting of variant.settings ?? []) {
        const options = { prompt: setting.encode_kwargs.prompt, promptName: setting.encode_kwargs.prompt_name };
        if (setting.encode_error) {
          it(`${setting.name}: fails with one clear line, as ST fails (${setting.encode_error.slice(0, 60)}…)`, async () => {
            await assert.rejects(engine.encode(fixtures.texts, options), (error: Error) => {
              assert.ok(error instanceof EngineError, `${error.name}: ${error.message}`);
              assert.ok(!error.message.includes('\n') && error.message.length < 400, error.message);
              return true;
            });
          });
          continue;
        }
        for (const batchSize of variant.batch_dependent ? [32] : [32, 4]) {
          it(`${setting.name}, batches of ${batchSize}: ST's token ids, cosine ≥ 0.99999, norm within 1e-4`, async () => {
            const { vectors, tokens } = await engine.encodeWithTokens(fixtures.texts, { ...options, batchSize });
            assert.deepEqual(
              tokens.map((t) => t.count),
              setting.token_ids!.map((ids) => ids.length),
            );
            vectors.forEach((vector, i) => {
              const expected = setting.embeddings![i]!;
              const norm = setting.norms![i]!;
              assert.equal(vector.length, expected.length);
              const cos = cosineOf(vector, expected);
              assert.ok(cos >= 0.99999, `text ${i} ${JSON.stringify(fixtures.texts[i]!.slice(0, 40))}: cosine ${cos}`);
              assert.ok(Math.abs(normOf(vector) - norm) <= 1e-4 * Math.max(norm, 1e-6), `text ${i}: norm ${normOf(vector)} vs ${norm}`);
            });
          });
        }
      }
    });
  }
});
