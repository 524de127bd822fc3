import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Engine, type EngineOptions } from '../../../src/engine';
import { ModelPool, modelIdentity, poolKey, weightsBytes, type PoolRequest } from '../../../src/engine/modelPool';
import { MODEL_CATALOGUE } from '../../../src/engine/modelCatalogue';
import { cosineOf, tinyFixtures, tinyModelDir } from '../../helpers/tinyModels';

const fixtures = tinyFixtures();
const request = (name: string): PoolRequest => ({ model: { modelDir: tinyModelDir(name) } });
/** Weights of one tiny model on one worker: what the pool counts for it. */
const oneModel = (name: string) => fs.statSync(path.join(tinyModelDir(name), 'onnx', 'model.onnx')).size;

/** A pool whose engines are kept in `made`, so that the tests can see their worker threads end. */
function poolWith(budgetBytes: number) {
  const made = new Map<string, Engine>();
  const pool = new ModelPool({
    shared: { threads: 1, workers: 1 },
    budgetBytes,
    createEngine: (options: EngineOptions) => {
      const engine = new Engine(options);
      made.set(path.basename(options.modelDir!), engine);
      return engine;
    },
  });
  return { pool, made };
}

/** Encodes the fixture texts with the model's settings "none" and checks them against sentence-transformers' vectors. */
async function checkFixtureVectors(engine: Engine, name: string): Promise<Float32Array[]> {
  const model = fixtures.models[name]!;
  const expected = model.settings.find((s) => s.name === 'none')!.embeddings;
  const vectors = await engine.encode(model.texts);
  vectors.forEach((v, i) => assert.ok(cosineOf(v, expected[i]!) >= 0.99999, `${name} text ${i}: cosine ${cosineOf(v, expected[i]!)}`));
  return vectors;
}

describe('ModelPool: several models at once, least recently used evicted over a memory budget', function () {
  this.timeout(120_000);
  const pools: ModelPool[] = [];
  afterEach(async () => Promise.all(pools.splice(0).map((p) => p.dispose())));

  it('keys models by folder (or hub repository and revision), dtype and backend', () => {
    const folder = poolKey({ model: { modelDir: '/m/a' } });
    assert.equal(folder, poolKey({ model: { modelDir: '/m/x/../a', dtype: 'fp32' } }), 'the same folder, and fp32 is the default dtype');
    const others = [
      poolKey({ model: { modelDir: '/m/a', dtype: 'q8' } }),
      poolKey({ model: { modelDir: '/m/a' }, backend: 'tei http://127.0.0.1:8080' }),
      poolKey({ model: { modelDir: '/m/b' } }),
      poolKey({ model: { hub: { repository: 'o/n', revision: 'r1' }, modelNamed: true } }),
      poolKey({ model: { hub: { repository: 'o/n', revision: 'r2' }, modelNamed: true } }),
    ];
    assert.equal(new Set([folder, ...others]).size, others.length + 1);
  });

  it('knows the default model by its identity: unnamed, named by catalogue id or by its pinned repository, it is one model', () => {
    const env = {};
    const minilm = MODEL_CATALOGUE.find((e) => e.id === 'all-MiniLM-L6-v2')!;
    const unnamed = poolKey({ model: { hub: {}, dtype: 'fp32' } }, env);
    assert.equal(modelIdentity({ hub: {} }, env), 'catalogue all-MiniLM-L6-v2');
    assert.equal(poolKey({ model: { hub: { repository: minilm.repository, revision: minilm.revision }, modelNamed: true, dtype: 'fp32' } }, env), unnamed);
    assert.equal(poolKey({ model: { hub: { endpoint: 'https://hf-mirror.com' } } }, env), unnamed, 'the endpoint is where, not which');
    // MINILM_MODEL_DIR replaces an unnamed model only; a named one is still the catalogue's.
    const withDir = { MINILM_MODEL_DIR: '/m/a' };
    assert.equal(modelIdentity({ hub: {} }, withDir), modelIdentity({ modelDir: '/m/a' }, withDir));
    assert.equal(modelIdentity({ hub: { repository: minilm.repository, revision: minilm.revision }, modelNamed: true }, withDir), 'catalogue all-MiniLM-L6-v2');
    assert.notEqual(poolKey({ model: { hub: {}, dtype: 'q8' } }, env), unnamed);
    assert.notEqual(poolKey({ model: { hub: { repository: minilm.repository, revision: 'main' }, modelNamed: true } }, env), unnamed);
  });

  it("two models loaded at once each give their own fixture vectors, and never each other's", async () => {
    const { pool, made } = poolWith(64 * 1024 * 1024);
    pools.push(pool);
    const [english, multilingual] = await Promise.all([
      pool.use(request('bert-mean-norm'), (engine) => checkFixtureVectors(engine, 'bert-mean-norm')),
      pool.use(request('xlmr-unigram-mean'), (engine) => checkFixtureVectors(engine, 'xlmr-unigram-mean')),
    ]);
    assert.equal(made.size, 2);
    assert.deepEqual(
      pool
        .models()
        .map((m) => m.info?.name)
        .sort(),
      ['bert-mean-norm', 'xlmr-unigram-mean'],
    );
    assert.ok(pool.models().every((m) => m.busy === 0 && m.state === 'ready'));
    // The same text, asked again of each model, comes from each model's own cache and equals its first answer.
    const i = fixtures.models['bert-mean-norm']!.texts.indexOf('hello world');
    const [again] = await pool.use(request('bert-mean-norm'), (engine) => engine.encode(['hello world']));
    assert.deepEqual(Array.from(again!), Array.from(english[i]!));
    assert.ok(cosineOf(english[i]!, multilingual[fixtures.models['xlmr-unigram-mean']!.texts.indexOf('hello world')]!) < 0.99);
    assert.equal(made.size, 2, 'the pool reuses the loaded engine');
  });

  it('a budget that fits one model unloads the least recently used one and ends its worker', async () => {
    const budget = Math.max(oneModel('bert-cls'), oneModel('bert-lasttoken')) + 1024;
    const { pool, made } = poolWith(budget);
    pools.push(pool);
    await pool.use(request('bert-cls'), (engine) => checkFixtureVectors(engine, 'bert-cls'));
    const first = made.get('bert-cls')!;
    assert.equal(first.threadCount, 1);
    assert.equal(pool.models()[0]!.bytes, weightsBytes(first.info!));
    await pool.use(request('bert-lasttoken'), (engine) => checkFixtureVectors(engine, 'bert-lasttoken'));
    await pool.settled();
    assert.deepEqual(
      pool.models().map((m) => m.info?.name),
      ['bert-lasttoken'],
    );
    assert.equal(first.threadCount, 0, "the evicted model's worker thread has ended");
    assert.equal(first.info, undefined, 'the evicted engine holds no model');
    assert.ok(pool.bytesInUse <= budget);
    // Asked for again, the evicted model loads afresh in a new engine.
    await pool.use(request('bert-cls'), (engine) => checkFixtureVectors(engine, 'bert-cls'));
    assert.notEqual(made.get('bert-cls'), first);
  });

  it("a new model's weights count once its folder is found: idle models are unloaded before its sessions load", async () => {
    const names = ['bert-cls', 'bert-lasttoken', 'bert-mean-norm'] as const;
    const budget = oneModel('bert-cls') + oneModel('bert-lasttoken') + 1024;
    assert.ok(budget < names.reduce((sum, n) => sum + oneModel(n), 0), 'the three do not fit together');
    // Threads of the older models alive when the newest one starts loading its sessions.
    let alive: Record<string, number> | undefined;
    const made = new Map<string, Engine>();
    const pool = new ModelPool({
      shared: { threads: 1, workers: 1 },
      budgetBytes: budget,
      createEngine: (options) => {
        const engine = new Engine(options);
        const name = path.basename(options.modelDir!);
        made.set(name, engine);
        if (name === 'bert-mean-norm')
          engine.on(
            'state',
            (state) => state.kind === 'loading' && (alive = Object.fromEntries([...made].filter(([n]) => n !== name).map(([n, e]) => [n, e.threadCount]))),
          );
        return engine;
      },
    });
    pools.push(pool);
    for (const name of names.slice(0, 2)) await pool.use(request(name), (engine) => checkFixtureVectors(engine, name));
    assert.deepEqual(
      pool.models().map((m) => m.info?.name),
      ['bert-lasttoken', 'bert-cls'],
    );
    const during = await pool.use(request('bert-mean-norm'), async (engine) => {
      await checkFixtureVectors(engine, 'bert-mean-norm');
      return pool.models().map((m) => [m.info?.name, m.bytes]);
    });
    assert.deepEqual(alive, { 'bert-cls': 0, 'bert-lasttoken': 1 }, 'the least recently used model ended before the new sessions loaded');
    assert.deepEqual(
      during,
      [
        ['bert-mean-norm', oneModel('bert-mean-norm')],
        ['bert-lasttoken', oneModel('bert-lasttoken')],
      ],
      'while its request runs, the new model counts and the old one is gone',
    );
    assert.ok(pool.bytesInUse <= budget);
  });

  it('unloads an idle model on request, and refuses one a request is running on', async () => {
    const { pool, made } = poolWith(64 * 1024 * 1024);
    pools.push(pool);
    await pool.use(request('bert-cls'), (engine) => engine.encode(['a']));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const inFlight = pool.use(request('bert-lasttoken'), async (engine) => {
      await engine.load();
      started();
      await held;
      return engine.encode(['still loaded']);
    });
    await running;
    const busyKey = pool.models().find((m) => m.busy > 0)!.key;
    await assert.rejects(pool.unload(busyKey), /bert-lasttoken is busy with 1 request: unload it once they have finished\./);
    const idleKey = pool.models().find((m) => m.busy === 0)!.key;
    assert.equal(await pool.unload(idleKey), true);
    assert.equal(made.get('bert-cls')!.threadCount, 0);
    assert.equal(await pool.unload(idleKey), false, 'no longer held');
    release();
    assert.equal((await inFlight).length, 1);
    assert.deepEqual(
      pool.models().map((m) => m.info?.name),
      ['bert-lasttoken'],
    );
  });

  it('a model with a request in flight is not evicted, even when another model overfills the budget meanwhile', async () => {
    const { pool, made } = poolWith(oneModel('bert-weightedmean') + 1024);
    pools.push(pool);
    // Used once before, so that the pool knows its size when it is asked for again.
    await pool.use(request('bert-weightedmean'), (engine) => engine.encode(['warm']));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let loaded!: () => void;
    const ready = new Promise<void>((resolve) => (loaded = resolve));
    const inFlight = pool.use(request('bert-weightedmean'), async (engine) => {
      loaded();
      await held;
      // Still loaded after another model came and went: this request finishes on it.
      return checkFixtureVectors(engine, 'bert-weightedmean');
    });
    await ready;
    await pool.use(request('bert-max-dense'), (engine) => checkFixtureVectors(engine, 'bert-max-dense'));
    await pool.settled();
    const busy = made.get('bert-weightedmean')!;
    assert.equal(busy.state.kind, 'ready');
    assert.equal(busy.threadCount, 1);
    assert.deepEqual(
      pool
        .models()
        .map((m) => [m.info?.name, m.busy])
        .sort(),
      [
        ['bert-max-dense', 0],
        ['bert-weightedmean', 1],
      ],
    );
    release();
    await inFlight;
    await pool.settled();
    // Once its request ended it is the most recently used; the other one is over the budget now.
    assert.deepEqual(
      pool.models().map((m) => m.info?.name),
      ['bert-weightedmean'],
    );
    assert.equal(made.get('bert-max-dense')!.threadCount, 0);
  });

  it('a lower budget evicts idle models least recently used first; a model larger than the budget is kept alone', async () => {
    const { pool, made } = poolWith(64 * 1024 * 1024);
    pools.push(pool);
    for (const name of ['bert-cls', 'bert-lasttoken', 'bert-mean-norm']) await pool.use(request(name), (engine) => engine.encode(['a']));
    pool.setBudget(oneModel('bert-lasttoken') + oneModel('bert-mean-norm') + 1024);
    await pool.settled();
    assert.deepEqual(
      pool.models().map((m) => m.info?.name),
      ['bert-mean-norm', 'bert-lasttoken'],
    );
    assert.equal(made.get('bert-cls')!.threadCount, 0);
    pool.setBudget(1000);
    await pool.settled();
    assert.deepEqual(
      pool.models().map((m) => m.info?.name),
      ['bert-mean-norm'],
    );
    assert.throws(() => pool.setBudget(0), /whole number of bytes/);
  });

  it('changed shared options unload every model; the next request loads it with them', async () => {
    const { pool, made } = poolWith(64 * 1024 * 1024);
    pools.push(pool);
    await pool.use(request('bert-cls'), (engine) => engine.encode(['a']));
    const before = made.get('bert-cls')!;
    pool.setShared({ threads: 1, workers: 1 });
    assert.equal(pool.models().length, 1, 'the same options change nothing');
    pool.setShared({ threads: 1, workers: 1, batchSize: 8 });
    await pool.settled();
    assert.deepEqual(pool.models(), []);
    assert.equal(before.threadCount, 0);
    await pool.use(request('bert-cls'), (engine) => checkFixtureVectors(engine, 'bert-cls'));
    assert.notEqual(made.get('bert-cls'), before);
  });

  it('a pooled hub model keeps the shared hub endpoint (a mirror) besides its own repository and revision', async () => {
    const made: EngineOptions[] = [];
    const pool = new ModelPool({
      shared: { hub: { endpoint: 'https://mirror.example' }, workers: 1 },
      budgetBytes: 1024,
      createEngine: (options) => (made.push(options), new Engine(options)),
    });
    pools.push(pool);
    await pool.use({ model: { hub: { repository: 'o/n', revision: 'r1' }, modelNamed: true } }, async () => undefined);
    assert.deepEqual(made[0]!.hub, { endpoint: 'https://mirror.example', repository: 'o/n', revision: 'r1' });
  });

  it('a model that fails to load leaves nothing behind', async () => {
    const { pool } = poolWith(64 * 1024 * 1024);
    pools.push(pool);
    await assert.rejects(pool.use({ model: { modelDir: tinyModelDir('no-such-model') } }, (engine) => engine.encode(['a'])));
    assert.deepEqual(pool.models(), []);
  });
});
