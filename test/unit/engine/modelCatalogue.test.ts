import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../../../src/engine/errors';
import { MODEL_CATALOGUE, RELEASE_PINNED, catalogueEntry, downloadSize, verifiedDtypes, type CatalogueEntry } from '../../../src/engine/modelCatalogue';
import { readModelConfig } from '../../../src/engine/modelConfig';
import { resolveModel } from '../../../src/engine/modelResolver';
import { parseModelSpec } from '../../../src/engine/modelSpec';
import { PINNED_DIGESTS, hasDigest } from '../../../src/engine/pinnedDigests';
import { DTYPES, requiredFiles } from '../../../src/engine/types';
import { pinnedTableFor, startLocalHub, type FakeRepoFile } from '../../helpers/localHubServer';
import { tinyModelDir } from '../../helpers/tinyModels';

describe('model catalogue data', () => {
  it('has unique ids, 40-hex revisions, and for every required file a digest or a stated reason', () => {
    const ids = MODEL_CATALOGUE.map((e) => e.id.toLowerCase());
    assert.equal(new Set(ids).size, ids.length);
    for (const entry of MODEL_CATALOGUE) {
      assert.match(entry.revision, /^[0-9a-f]{40}$/, entry.id);
      for (const dtype of DTYPES) {
        for (const file of requiredFiles(dtype)) {
          const pinned = entry.files[file];
          assert.ok(pinned, `${entry.id}: ${file} is not listed`);
          assert.ok(pinned.source.length > 0, `${entry.id}: ${file} gives no source`);
          if (pinned.sha256 !== undefined) assert.match(pinned.sha256, /^[0-9a-f]{64}$/, `${entry.id}: ${file}`);
          if (pinned.gitBlobSha1 !== undefined) assert.match(pinned.gitBlobSha1, /^[0-9a-f]{40}$/, `${entry.id}: ${file}`);
          if (!hasDigest(pinned)) assert.match(entry.files[file]!.source, /no published/, `${entry.id}: ${file} has no digest and says not why`);
        }
      }
      assert.ok(verifiedDtypes(entry).length > 0, `${entry.id}: no dtype can be downloaded`);
      assert.ok(entry.dimension > 0 && entry.st.maxSeqLength > 0 && entry.st.pooling.length > 0);
      assert.ok(downloadSize(entry, 'q8').bytes > 0 && downloadSize(entry, 'fp32').bytes > 0);
    }
  });

  it('keeps the default entry exactly the pinned all-MiniLM-L6-v2 revision and files', () => {
    const entry = catalogueEntry('all-MiniLM-L6-v2')!;
    assert.equal(entry.repository, PINNED_DIGESTS[0]!.repository);
    assert.equal(entry.revision, PINNED_DIGESTS[0]!.revision);
    assert.equal(entry.files, PINNED_DIGESTS[0]!.files);
    assert.equal(RELEASE_PINNED.length, MODEL_CATALOGUE.length);
  });

  it('carries the configuration the original repositories publish', () => {
    assert.deepEqual(
      [catalogueEntry('paraphrase-multilingual-MiniLM-L12-v2')!.st.normalize, catalogueEntry('paraphrase-multilingual-MiniLM-L12-v2')!.st.maxSeqLength],
      [false, 128],
    );
    assert.deepEqual(catalogueEntry('bge-small-en-v1.5')!.st.pooling, ['cls']);
    assert.deepEqual(catalogueEntry('bge-small-zh-v1.5')!.st.pooling, ['cls']);
    assert.deepEqual(catalogueEntry('multilingual-e5-small')!.st.prompts, { query: 'query: ', passage: 'passage: ' });
  });
});

describe('parseModelSpec', () => {
  it('reads catalogue ids, folders and hub repositories, and names the choices for anything else', () => {
    assert.deepEqual(parseModelSpec('BGE-small-zh-v1.5'), parseModelSpec('bge-small-zh-v1.5'));
    const byId = parseModelSpec('bge-small-zh-v1.5');
    assert.equal(byId.kind === 'catalogue' && byId.entry.repository, 'Xenova/bge-small-zh-v1.5');
    // A catalogue repository named without a revision is the pinned entry.
    const byRepo = parseModelSpec('Xenova/bge-small-zh-v1.5');
    assert.equal(byRepo.kind === 'catalogue' && byRepo.entry.id, 'bge-small-zh-v1.5');
    assert.deepEqual(parseModelSpec('Xenova/bge-small-zh-v1.5@main'), { kind: 'hub', repository: 'Xenova/bge-small-zh-v1.5', revision: 'main' });
    assert.deepEqual(parseModelSpec('org/model'), { kind: 'hub', repository: 'org/model', revision: 'main' });
    const dir = tinyModelDir('bert-cls');
    assert.deepEqual(parseModelSpec(dir), { kind: 'folder', dir });
    assert.throws(
      () => parseModelSpec('no such model'),
      (error: EngineError) => error.code === 'INVALID_INPUT' && /minilm models/.test(error.message),
    );
  });
});

describe('catalogue download through the local hub', () => {
  let tmp: string;
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const env = { HOME: '/nonexistent', MINILM_MODEL_DIR: '' };
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-catalogue-'));
    logs.length = 0;
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** The tiny XLM-R model's transformer files only, as a transformers.js repository ships them (no ST files). */
  function tinyRepoFiles(): FakeRepoFile[] {
    const dir = tinyModelDir('xlmr-unigram-mean');
    return requiredFiles('fp32').map((file) => ({ path: file, content: fs.readFileSync(path.join(dir, file)), lfs: file.endsWith('.onnx') }));
  }

  /** A catalogue-like entry whose digests are the tiny files' own; its ST configuration differs from the fixture's. */
  function testEntry(repository: string, revision: string, files: FakeRepoFile[]): CatalogueEntry {
    const pin = pinnedTableFor(repository, revision, files)[0]!;
    return {
      ...pin,
      id: 'tiny-xlmr',
      baseModel: 'test/tiny-xlmr',
      languages: ['zh', 'en'],
      languageSummary: 'test',
      dimension: 32,
      licence: 'test',
      st: {
        pooling: ['cls'],
        normalize: false,
        maxSeqLength: 16,
        doLowerCase: false,
        prompts: { query: 'query: ' },
        similarityFunction: 'dot',
        source: 'test',
      },
    };
  }

  it('downloads a catalogue entry, verifies it against the entry, and applies its sentence-transformers configuration', async () => {
    const files = tinyRepoFiles();
    const hub = await startLocalHub({ repository: 'test/tiny-xlmr', revision: 'c0ffee00000000000000000000000000000000cc', files });
    try {
      const catalogue = [testEntry(hub.repository, hub.revision, files)];
      const resolved = await resolveModel({
        dtype: 'fp32',
        allowDownload: true,
        cacheDir: path.join(tmp, 'cache'),
        hub: { endpoint: hub.endpoint, repository: hub.repository, revision: hub.revision },
        catalogue,
        modelNamed: true,
        log,
        env,
      });
      assert.equal(resolved.source, 'hub');
      assert.equal(resolved.verification, 'pinned');
      assert.deepEqual(resolved.origin, { catalogueId: 'tiny-xlmr', repository: hub.repository, revision: hub.revision });
      const config = readModelConfig(resolved.dir);
      assert.equal(config.origin, 'modules.json');
      assert.deepEqual(config.pooling.modes, ['cls']);
      assert.equal(config.normalize, false);
      assert.equal(config.maxSeqLength, 16);
      assert.equal(config.similarityFunction, 'dot');
      assert.equal(config.prompts.query, 'query: ');
    } finally {
      await hub.close();
    }
  });

  it('refuses a tampered file of a catalogue entry and installs nothing', async () => {
    const files = tinyRepoFiles();
    const hub = await startLocalHub({ repository: 'test/tiny-xlmr', revision: 'c0ffee00000000000000000000000000000000cd', files });
    try {
      hub.faults.hostile = ['onnx/model.onnx'];
      const cacheDir = path.join(tmp, 'cache');
      await assert.rejects(
        resolveModel({
          dtype: 'fp32',
          allowDownload: true,
          cacheDir,
          hub: { endpoint: hub.endpoint, repository: hub.repository, revision: hub.revision },
          catalogue: [testEntry(hub.repository, hub.revision, files)],
          modelNamed: true,
          log,
          env,
        }),
        (error: EngineError) => error.code === 'CHECKSUM_MISMATCH' || error.code === 'DOWNLOAD_FAILED',
      );
      assert.equal(fs.existsSync(path.join(cacheDir, 'test', 'tiny-xlmr', hub.revision, 'onnx', 'model.onnx')), false);
    } finally {
      await hub.close();
    }
  });

  it('refuses before any request a dtype whose files have no pinned digest, naming the dtype that is verified', async () => {
    const files = tinyRepoFiles();
    const hub = await startLocalHub({ repository: 'test/tiny-xlmr', revision: 'c0ffee00000000000000000000000000000000ce', files });
    try {
      const entry = testEntry(hub.repository, hub.revision, files);
      const { 'onnx/model.onnx': _fp32, ...rest } = entry.files;
      const partial: CatalogueEntry = {
        ...entry,
        files: {
          ...rest,
          'onnx/model_quantized.onnx': { sha256: 'a'.repeat(64), source: 'test' },
          'onnx/model.onnx': { source: 'no published SHA-256 found' },
        },
      };
      await assert.rejects(
        resolveModel({
          dtype: 'fp32',
          allowDownload: true,
          cacheDir: path.join(tmp, 'cache'),
          hub: { endpoint: hub.endpoint, repository: hub.repository, revision: hub.revision },
          catalogue: [partial],
          modelNamed: true,
          log,
          env,
        }),
        (error: EngineError) => error.code === 'DOWNLOAD_FAILED' && /--dtype q8/.test(error.message) && /onnx\/model\.onnx/.test(error.message),
      );
      assert.equal(hub.requests.length, 0);
    } finally {
      await hub.close();
    }
  });
});
