/**
 * "Compare with" in the Studio webview, in headless Chromium against the harness: the real all-MiniLM-L6-v2 as the
 * active model and tiny sentence-transformers models (test/fixtures/tiny-models) as the second, by folder. Each
 * model's score on the page must be the one that model gives on its own, and ρ the one src/core computes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { Engine } from '../../src/engine';
import { cosineSimilarity, dot } from '../../src/core/vector';
import { EXAMPLE_TEXTS } from '../../src/core/exampleSuite';
import { matrixToRows, similarityMatrix } from '../../src/core/similarityMatrix';
import { compareMatrices } from '../../src/core/matrixComparison';
import { tinyModelDir } from '../helpers/tinyModels';
import { SCREENSHOTS, fill, selectTab, type PageProblems } from './harness/studioPage';
import { assertNoPageProblems, startStudioSession, type StudioSession } from './harness/studioSession';

/** A tiny BERT scored by the dot product (its similarity_fn_name), so the two models lead with different functions. */
const DOT_MODEL = tinyModelDir('bert-mean-sqrt-len');
/** A tiny XLM-R with a Unigram tokenizer: it reads the suite's Chinese texts as pieces, not unknown tokens. */
const XLMR_MODEL = tinyModelDir('xlmr-unigram-mean');

async function save(page: Page, file: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, file), fullPage: true });
}

/** Chooses "Another model…" in a tab's "Compare with" and types the model's name. */
async function compareWithOther(page: Page, tab: 'similarity' | 'examples', model: string): Promise<void> {
  const select = page.locator(`#${tab}-compare-select`);
  await select.click();
  await select.locator('li[role="option"]', { hasText: 'Another model…' }).click();
  const field = page.locator(`#${tab}-compare-other input`);
  await field.waitFor();
  await field.fill(model);
}

describe('Studio "Compare with" in Chromium (all-MiniLM-L6-v2 against tiny models)', function () {
  this.timeout(400_000);
  let session: StudioSession;
  let engine: Engine;
  let harness: StudioSession['harness'];
  let scratch: string;
  let page: Page;
  let problems: PageProblems;
  const references: Engine[] = [];
  /** What a model gives on its own: an engine of just that folder. */
  const alone = (dir: string) => {
    const e = new Engine({ modelDir: dir, dtype: 'fp32', workers: 1 });
    references.push(e);
    return e;
  };

  before(async () => {
    session = await startStudioSession('minilm-compare-');
    ({ engine, harness, scratch, page, problems } = session);
  });

  after(async () => {
    await session?.close();
    for (const e of references) await e.dispose();
  });

  afterEach(() => assertNoPageProblems(problems));

  it("Similarity: each model's own score, named with the model and its similarity function, and their difference", async () => {
    const a = 'A man is playing a guitar.';
    const b = 'Someone plays an acoustic guitar.';
    await selectTab(page, 'similarity');
    await fill(page, 'similarity-a', a);
    await fill(page, 'similarity-b', b);
    await compareWithOther(page, 'similarity', DOT_MODEL);
    await page.locator('#compare-button').click();
    await page.locator('[data-testid="compare-difference"]').waitFor();

    const [va, vb] = await engine.encode([a, b]);
    const [ta, tb] = await alone(DOT_MODEL).encode([a, b]);
    const first = page.locator('[data-testid="compare-first"]');
    const second = page.locator('[data-testid="compare-second"]');
    assert.equal(await page.locator('[data-testid="cosine"]').innerText(), cosineSimilarity(va, vb).toFixed(4), 'the single-model reading is unchanged');
    assert.equal(await first.locator('[data-testid="compare-first-score"]').innerText(), cosineSimilarity(va, vb).toFixed(4));
    assert.match(await first.innerText(), /all-MiniLM-L6-v2[\s\S]*Cosine similarity/);
    // The tiny model is scored by the dot product, as its config_sentence_transformers.json says.
    assert.equal(await second.getAttribute('data-function'), 'dot');
    assert.equal(await second.locator('[data-testid="compare-second-score"]').innerText(), dot(ta, tb).toFixed(4));
    assert.match(await second.innerText(), /bert-mean-sqrt-len[\s\S]*Dot product/);
    // Different functions are not on one scale: the difference is of the cosines, and says so.
    const difference = page.locator('[data-testid="compare-difference"]');
    assert.equal(await difference.getAttribute('data-function'), 'cosine');
    assert.match(await difference.innerText(), /Cosine difference \(bert-mean-sqrt-len − all-MiniLM-L6-v2\)/);
    const delta = cosineSimilarity(ta, tb) - cosineSimilarity(va, vb);
    assert.equal(await page.locator('[data-testid="compare-difference-score"]').innerText(), `${delta > 0 ? '+' : ''}${delta.toFixed(4)}`);
    assert.deepEqual(harness.backend.others, [DOT_MODEL]);
    assert.equal(await page.locator('[data-testid="compare-second-truncated"]').count(), 0, 'short texts fit both models');
    await save(page, '15_compare_similarity.png');
  });

  it('Examples: the suite through both models, both matrices on one scale, ρ as src/core computes it and the five largest disagreements', async () => {
    await selectTab(page, 'examples');
    // One choice for both tabs: the Examples tab shows the model typed on the Similarity tab.
    assert.equal(await page.locator('#examples-compare-other input').inputValue(), DOT_MODEL);
    await page.locator('#examples-compare-other input').fill(XLMR_MODEL);
    await page.locator('#run-examples-button').click();
    await page.locator('[data-testid="compare-spearman"]').waitFor();

    const texts = EXAMPLE_TEXTS.map((e) => e.text);
    const firstMatrix = matrixToRows(similarityMatrix(await engine.encode(texts)));
    const secondMatrix = matrixToRows(similarityMatrix(await alone(XLMR_MODEL).encode(texts)));
    const expected = compareMatrices(firstMatrix, secondMatrix, 5);
    const rho = Number(await page.locator('[data-testid="compare-spearman"]').getAttribute('data-value'));
    assert.ok(Math.abs(rho - expected.spearman) < 1e-9, `ρ ${rho} vs ${expected.spearman}`);
    assert.match(await page.locator('[data-testid="compare-spearman"]').innerText(), new RegExp(`ρ = ${expected.spearman.toFixed(3)}[\\s\\S]*over 300 pairs`));
    const rows = page.locator('[data-testid="compare-disagreements"] tbody tr');
    assert.equal(await rows.count(), 5);
    assert.deepEqual(
      await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.pair)),
      expected.disagreements.map((d) => `${d.i}-${d.j}`),
    );

    // The heatmap's layers: the active model (the suite's own matrix), the second model, and second − first.
    const n = texts.length;
    const cell = (r: number, c: number) => page.locator(`[data-testid="heatmap"] .cell[data-r="${r}"][data-c="${c}"]`);
    assert.equal(await page.locator('[data-testid="heatmap"]').getAttribute('data-layer'), 'first');
    assert.equal(await page.locator('[data-testid="heatmap"] .cell').count(), n * n);
    assert.equal(await cell(0, 1).innerText(), firstMatrix[0]![1]!.toFixed(2));
    // The projection is of the active model's vectors alone, and says so.
    assert.match(await page.locator('[data-testid="pca-heading"]').innerText(), /PCA\) · all-MiniLM-L6-v2$/);
    await save(page, '16_compare_examples.png');
    await page.locator('[data-testid="comparison-layers"] [data-layer="second"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="heatmap"]')?.getAttribute('data-layer') === 'second');
    assert.equal(await cell(0, 1).innerText(), secondMatrix[0]![1]!.toFixed(2));
    await page.locator('[data-testid="comparison-layers"] [data-layer="difference"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="heatmap"]')?.getAttribute('data-layer') === 'difference');
    const d01 = secondMatrix[0]![1]! - firstMatrix[0]![1]!;
    assert.equal(await cell(0, 1).innerText(), `${d01 > 0 ? '+' : ''}${d01.toFixed(2)}`.replace(/^-0\.00$/, '0.00'));
    await cell(0, 1).hover();
    const hover = await page.locator('[data-testid="heatmap-hover"]').innerText();
    assert.ok(
      hover.includes(`all-MiniLM-L6-v2 ${firstMatrix[0]![1]!.toFixed(4)}`) && hover.includes(`xlmr-unigram-mean ${secondMatrix[0]![1]!.toFixed(4)}`),
      hover,
    );
    await save(page, '16_compare_examples_difference.png');
  });

  it('reads in a narrow panel: the cards wrap, the heatmap scrolls under its sticky headers', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    await page.locator('[data-testid="comparison-layers"] [data-layer="first"]').click();
    const scroll = page.locator('[data-testid="heatmap-scroll"]');
    const [scrollWidth, clientWidth] = await scroll.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    assert.ok(scrollWidth > clientWidth, 'the 25 × 25 grid scrolls instead of squeezing');
    await save(page, 'panel-compare-examples-narrow.png');
    // Below 520 px the tab headers are icons (their names in title and aria-label), so they fit too.
    const tooWide = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('#app *'))
          .filter(
            (el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.heatmap-scroll') && (el as HTMLElement).offsetParent !== null,
          )
          .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)
          .slice(0, 8),
      );
    assert.deepEqual(await tooWide(), [], 'nothing but the heatmap is wider than the panel');
    const headers = page.locator('vscode-tab-header');
    assert.deepEqual(await headers.evaluateAll((all) => all.map((el) => el.getAttribute('aria-label'))), [
      'Model',
      'Similarity',
      'Encode',
      'Find similar',
      'Examples',
    ]);
    const lastRight = await headers.last().evaluate((el) => el.getBoundingClientRect().right);
    assert.ok(lastRight <= 420, `the last tab header ends at ${lastRight} px`);
    await selectTab(page, 'similarity');
    // The model typed on the Examples tab replaced the one this tab's comparison was made with: run it again.
    assert.equal(await page.locator('[data-testid="compare-second"]').count(), 0);
    await page.locator('#compare-button').click();
    await page.locator('[data-testid="compare-difference"]').waitFor();
    assert.match(await page.locator('[data-testid="compare-second"]').innerText(), /xlmr-unigram-mean/);
    // The tiny model reads 24 word pieces at most: a longer text is cut short, and its card says so.
    await fill(page, 'similarity-a', 'A man is playing a guitar on a small stage while the crowd sings along to every single word of the song.');
    await page.locator('#compare-button').click();
    await page.locator('[data-testid="compare-second-truncated"]').waitFor();
    assert.match(await page.locator('[data-testid="compare-second-truncated"]').innerText(), /Longer than 24 word pieces/);
    assert.equal(await page.locator('[data-testid="compare-first-truncated"]').count(), 0, 'all-MiniLM-L6-v2 reads 256');
    await save(page, 'panel-compare-similarity-narrow.png');
    assert.deepEqual(await tooWide(), []);
    await page.setViewportSize({ width: 1100, height: 820 });
  });

  it("a second model that cannot load says so in one line, with its fixes, and the first model's score stays", async () => {
    await selectTab(page, 'similarity');
    // A folder without model files: the name is valid, loading it fails.
    await fill(page, 'similarity-a', 'A man is playing a guitar.');
    const missing = path.join(scratch, 'empty-model');
    fs.mkdirSync(missing);
    await page.locator('#similarity-compare-other input').fill(missing);
    await page.locator('#compare-button').click();
    const line = page.locator('[data-testid="compare-error-line"]');
    await line.waitFor();
    assert.match(await line.innerText(), new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} could not run: [^\\n]+$`));
    assert.equal(await page.locator('[data-testid="compare-error"]').getAttribute('data-code'), 'MODEL_NOT_FOUND');
    const [va, vb] = await engine.encode(['A man is playing a guitar.', 'Someone plays an acoustic guitar.']);
    assert.equal(await page.locator('[data-testid="cosine"]').innerText(), cosineSimilarity(va, vb).toFixed(4));
    assert.equal(await page.locator('[data-testid="compare-second"]').count(), 0, 'no stale score of the previous model');
    assert.match(await page.locator('[data-testid="compare-error"]').innerText(), /Open Settings/);
    // The missing folder is not the active model's problem: the Model tab's fixes for it are not offered here.
    assert.doesNotMatch(await page.locator('[data-testid="compare-error"]').innerText(), /Choose Model Folder|Download Model/);
  });

  it('after a reload the choice and both results are still there', async () => {
    await page.locator('#similarity-compare-other input').fill(DOT_MODEL);
    await page.locator('#compare-button').click();
    await page.locator('[data-testid="compare-difference"]').waitFor();
    // The state is written at most every 200 ms: wait until it holds this comparison.
    await page.waitForFunction(
      () =>
        (JSON.parse(sessionStorage.getItem('vscodeState') ?? '{}') as { similarityCompare?: { result?: { model?: string } } }).similarityCompare?.result
          ?.model === 'bert-mean-sqrt-len',
    );
    await page.reload();
    await page.locator('vscode-tabs').waitFor();
    await page.locator('[data-testid="compare-difference"]').waitFor();
    assert.equal(await page.locator('#similarity-compare-other input').inputValue(), DOT_MODEL);
  });
});
