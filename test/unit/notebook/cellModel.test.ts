import assert from 'node:assert/strict';
import path from 'node:path';
import { parseCell } from '../../../src/notebook/cellLanguage';
import { cellModelOrigin, cellModelPragma, modelChoiceFor, notebookModelOf, NotebookModelError } from '../../../src/notebook/cellModel';
import { tinyModelsDir } from '../../helpers/tinyModels';
import { runsModel } from '../../../src/engine/modelPool';
import { engineOptionsFrom, readStudioSettings, type SettingLayers } from '../../../src/host/studioSettings';
import { repoRoot } from '../../helpers/sharedPaths';

describe('notebook/cellModel: a model per cell (# model: …) and per notebook (metadata "model")', () => {
  it('reads the last "# model:" line above the directive; the directive parses as before', () => {
    const source = '# English-only first\n# model: all-MiniLM-L6-v2\n#MODEL:  paraphrase-multilingual-MiniLM-L12-v2 \ncompare\n# model: not-this-one\nA\nB';
    assert.deepEqual(cellModelPragma(source), { spec: 'paraphrase-multilingual-MiniLM-L12-v2', line: 3 });
    assert.equal(parseCell(source).kind, 'compare');
    assert.equal(cellModelPragma('compare\nA\nB'), undefined);
    assert.equal(cellModelPragma('# a modelling note: none\ncompare\nA'), undefined);
    assert.throws(() => cellModelPragma('# model:\ncompare\nA'), /Line 1: expected a model after "# model:"/);
  });

  it('the notebook model is its metadata\'s non-empty "model" string', () => {
    assert.equal(notebookModelOf({ model: ' bge-small-zh-v1.5 ' }), 'bge-small-zh-v1.5');
    for (const metadata of [undefined, {}, { model: '' }, { model: 3 }]) assert.equal(notebookModelOf(metadata), undefined);
  });

  it("a cell's model comes from its # model: line, else the notebook's metadata, else the settings (undefined)", () => {
    assert.deepEqual(cellModelOrigin('# model: bge-small-zh-v1.5\ncompare\nA\nB', { model: 'all-MiniLM-L6-v2' }), { spec: 'bge-small-zh-v1.5', from: 'cell' });
    assert.deepEqual(cellModelOrigin('compare\nA\nB', { model: ' all-MiniLM-L6-v2 ' }), { spec: 'all-MiniLM-L6-v2', from: 'notebook' });
    assert.equal(cellModelOrigin('compare\nA\nB', {}), undefined);
    assert.throws(() => cellModelOrigin('# model:\ncompare\nA', { model: 'all-MiniLM-L6-v2' }), /expected a model/);
  });

  const workspace = repoRoot;
  const notebookFolder = path.join(repoRoot, 'test', 'fixtures');
  const trusted = { notebookFolder, workspaceFolder: workspace, trusted: true, dtype: 'fp32' as const };

  it("a catalogue id or hub repository names the pinned or given revision; a folder is read against the notebook's folder", () => {
    const catalogue = modelChoiceFor('paraphrase-multilingual-MiniLM-L12-v2', { ...trusted, dtype: 'q8' });
    assert.equal(catalogue.label, 'paraphrase-multilingual-MiniLM-L12-v2');
    assert.equal(catalogue.choice.modelNamed, true);
    assert.equal(catalogue.choice.dtype, 'q8');
    assert.match(catalogue.choice.hub!.revision!, /^[0-9a-f]{40}$/);
    assert.deepEqual(modelChoiceFor('someone/model@v2', trusted).choice.hub, { repository: 'someone/model', revision: 'v2' });
    const folder = modelChoiceFor('tiny-models/bert-cls', trusted);
    assert.deepEqual(folder, { choice: { modelDir: path.join(tinyModelsDir, 'bert-cls'), dtype: 'fp32' }, label: 'bert-cls' });
  });

  it('refuses a folder outside the workspace, and in an untrusted workspace anything but a catalogue model', () => {
    assert.throws(
      () => modelChoiceFor('tiny-models/bert-cls', { ...trusted, workspaceFolder: path.join(tinyModelsDir, 'bert-lasttoken') }),
      /outside the workspace folder/,
    );
    assert.throws(() => modelChoiceFor('tiny-models/bert-cls', { ...trusted, workspaceFolder: undefined }), NotebookModelError);
    const untrusted = { ...trusted, trusted: false };
    assert.throws(() => modelChoiceFor('tiny-models/bert-cls', untrusted), /untrusted workspace a notebook may use only catalogue models/);
    assert.throws(() => modelChoiceFor('someone/model', untrusted), /untrusted workspace/);
    assert.equal(modelChoiceFor('all-MiniLM-L6-v2', untrusted).label, 'all-MiniLM-L6-v2');
    assert.throws(() => modelChoiceFor('no such model !', trusted), /not a catalogue model .*"minilm models" lists the catalogue/);
  });

  it('a cell naming the model the settings already run uses the active engine, not a second copy in the pool', () => {
    const activeFor = (values: Record<string, unknown>) =>
      engineOptionsFrom(
        readStudioSettings(<T>(key: string) => (key in values ? ({ defaultValue: undefined, globalValue: values[key] } as SettingLayers<T>) : undefined), true),
        { workspaceFolder: workspace, globalStorage: '/storage', workerPath: '/ext/dist/engineWorker.js', trusted: true },
      );
    const env = {};
    const cell = (spec: string, dtype: 'fp32' | 'q8' = 'fp32') => modelChoiceFor(spec, { ...trusted, dtype }).choice;
    const byDefault = activeFor({});
    assert.equal(runsModel(byDefault, cell('all-MiniLM-L6-v2'), env), true, 'an empty minilm.model runs all-MiniLM-L6-v2');
    assert.equal(runsModel(byDefault, cell('Xenova/all-MiniLM-L6-v2'), env), true);
    assert.equal(runsModel(byDefault, cell('all-MiniLM-L6-v2', 'q8'), env), false, 'another dtype is another engine');
    assert.equal(runsModel(byDefault, cell('paraphrase-multilingual-MiniLM-L12-v2'), env), false);
    assert.equal(runsModel(activeFor({ hubRepository: 'someone/other-model' }), cell('all-MiniLM-L6-v2'), env), false, 'the hub settings name another default');
    const multilingual = activeFor({ model: 'paraphrase-multilingual-MiniLM-L12-v2' });
    assert.equal(runsModel(multilingual, cell('paraphrase-multilingual-MiniLM-L12-v2'), env), true);
    assert.equal(runsModel(multilingual, cell('all-MiniLM-L6-v2'), env), false);
    const folder = path.join(tinyModelsDir, 'bert-cls');
    assert.equal(runsModel(activeFor({ modelFolder: folder }), cell(folder), env), true);
    assert.equal(runsModel(activeFor({ modelFolder: folder }), cell('all-MiniLM-L6-v2'), env), false, 'a folder is known by its path only');
  });
});
