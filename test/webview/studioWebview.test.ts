/**
 * The Studio webview in headless Chromium against the harness (real bundle, real CSP, real host-side handlers, real
 * model): each tab driven by clicks and typing, results checked against the engine, a screenshot per tab.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Engine } from '../../src/engine';
import { cosineSimilarity, euclideanDistance } from '../../src/core/vector';
import { npyToVectors } from '../../src/core/exportFormats';
import { EXAMPLE_TEXTS } from '../../src/core/exampleSuite';
import { clusterOrder } from '../../src/core/clusterOrder';
import { similarityMatrix } from '../../src/core/similarityMatrix';
import { buildExplainView } from '../../src/shared/explainView';
import { MODEL_CATALOGUE, catalogueEntry, downloadSize } from '../../src/engine/modelCatalogue';
import { tinyModelDir } from '../helpers/tinyModels';
import { testModelDir } from '../helpers/sharedPaths';
import { StudioHarness } from './harness/studioHarness';
import { CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, fill, number, openStudio, primaryButtons, screenshot, selectTab, type PageProblems } from './harness/studioPage';
import { assertNoPageProblems, startStudioSession, type StudioSession } from './harness/studioSession';
import { RemoteEmbedder } from '../../src/engine/remote';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

describe('Studio webview in Chromium (harness with the real model)', function () {
  this.timeout(400_000);
  let session: StudioSession;
  let context: BrowserContext;
  let engine: Engine;
  let harness: StudioHarness;
  let url: string;
  let scratch: string;
  let results: string;
  let page: Page;
  let problems: PageProblems;

  before(async () => {
    session = await startStudioSession('minilm-webview-');
    ({ context, engine, harness, url, scratch, results, page, problems } = session);
  });

  after(async () => {
    await session?.close();
  });

  afterEach(() => assertNoPageProblems(problems));

  it('Model tab: loads the model with Load and shows where it came from', async () => {
    await page.locator('[data-testid="model-state"]').waitFor();
    assert.match(await page.locator('[data-testid="model-state"]').innerText(), /Not loaded/);
    assert.deepEqual(await primaryButtons(page, 'model'), ['load-button'], 'Load is the one primary button while nothing is loaded');
    await page.locator('#load-button').click();
    await page.locator('.model-state.state-ready').waitFor();
    await page.waitForFunction(() => document.querySelector('#load-button')?.hasAttribute('secondary'));
    assert.equal((await primaryButtons(page, 'model')).includes('load-button'), false, 'a loaded model leaves Load secondary');
    // The tab panels paint no background of their own: no band between them and the page.
    const backgrounds = await page.evaluate(() => [
      getComputedStyle(document.querySelector('vscode-tab-panel')!).backgroundColor,
      getComputedStyle(document.body).backgroundColor,
    ]);
    assert.equal(backgrounds[0], 'rgba(0, 0, 0, 0)', `tab panel background ${backgrounds[0]} on body ${backgrounds[1]}`);
    assert.equal(await number(page, 'model-dimension'), 384);
    assert.match(await page.locator('[data-testid="model-max"] .metric-value').innerText(), /^256 word pieces$/);
    assert.match(await page.locator('[data-testid="model-source"]').innerText(), /Model folder/);
    assert.match(await page.locator('[data-testid="model-source"]').innerText(), new RegExp(path.basename(testModelDir())));
    assert.match(await page.locator('[data-testid="model-memory"] .metric-value').innerText(), /MB|GB/);
    assert.match(await page.locator('[data-testid="model-load-time"] .metric-value').innerText(), /^\d+ ms$/);
    await screenshot(page, 'model');
  });

  it('Model tab: the dtype selector switches the engine to q8 and back', async () => {
    const select = page.locator('#dtype-select');
    await select.click();
    await select.locator('li[role="option"][data-index="1"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="model-dtype"] .metric-value')?.textContent === 'q8');
    assert.equal(engine.dtype, 'q8');
    await select.click();
    await select.locator('li[role="option"][data-index="0"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="model-dtype"] .metric-value')?.textContent === 'fp32');
    assert.equal(engine.dtype, 'fp32');
  });

  it('Model tab: with two workers the facts say workers × threads', async () => {
    const threadsMetric = page.locator('[data-testid="model-threads"]');
    await page.locator('#load-button').click();
    await page.locator('.model-state.state-ready').waitFor();
    assert.match(await threadsMetric.innerText(), /^Threads\s+\d+$/);
    await engine.configure({ workers: 2 });
    await page.locator('#load-button').click();
    await page.waitForFunction(() => /×/.test(document.querySelector('[data-testid="model-threads"] .metric-value')?.textContent ?? ''));
    assert.match(await threadsMetric.innerText(), /^Workers × threads\s+2 × \d+$/);
    assert.equal(engine.info?.workers, 2);
    await engine.configure({ workers: 1 });
    await page.locator('#load-button').click();
    await page.waitForFunction(() => !/×/.test(document.querySelector('[data-testid="model-threads"] .metric-value')?.textContent ?? '×'));
  });

  it("Similarity tab: typed texts give the engine's cosine, a reading and only the metrics that add to it", async () => {
    const a = 'A man is playing a guitar.';
    const b = 'Someone plays an acoustic guitar.';
    await selectTab(page, 'similarity');
    await fill(page, 'similarity-a', a);
    await fill(page, 'similarity-b', b);
    await page.locator('#compare-button').click();
    await page.locator('[data-testid="similarity-reading"]').waitFor();
    const [va, vb] = await engine.encode([a, b]);
    const cosine = cosineSimilarity(va, vb);
    assert.equal(await page.locator('[data-testid="cosine"]').innerText(), cosine.toFixed(4));
    assert.ok(Math.abs((await number(page, 'metric-euclidean')) - euclideanDistance(va, vb)) < 1e-4);
    assert.equal(await number(page, 'metric-dimension'), 384);
    assert.equal(await page.locator('[data-testid="reading-function"]').innerText(), 'Cosine similarity');
    // Unit vectors: cosine is the headline already, the dot product equals it and both norms are 1.
    for (const hidden of ['metric-cosine', 'metric-dot', 'metric-norm-a', 'metric-norm-b']) {
      assert.equal(await page.locator(`[data-testid="${hidden}"]`).count(), 0, `${hidden} repeats what is shown`);
    }
    assert.equal(await page.locator('[data-testid="metric-manhattan"]').count(), 1);
    const band = await page.locator('[data-testid="similarity-reading"]').getAttribute('data-band');
    assert.equal(band, cosine >= 0.8 ? 'veryHigh' : cosine >= 0.6 ? 'high' : cosine >= 0.4 ? 'medium' : cosine >= 0.2 ? 'low' : 'none');
    assert.equal(await page.locator('[data-testid="truncation-warning"]').count(), 0);
    await screenshot(page, 'similarity');
  });

  it('Similarity tab: a text past 256 word pieces shows the truncation warning', async () => {
    await fill(page, 'similarity-a', 'word '.repeat(400));
    await page.locator('#compare-button').click();
    await page.locator('[data-testid="truncation-warning"]').waitFor();
    assert.equal((await page.locator('[data-testid="metric-tokens-a"] .metric-value').innerText()).trim(), '256 ⚠');
  });

  it("Similarity tab: Explain draws the word-piece heatmap with each row's best match outlined, whole words on hover and the pieces that pull the score", async () => {
    const a = 'The guitarist was strumming a tune.';
    const b = 'Someone plays an acoustic guitar.';
    await selectTab(page, 'similarity');
    await fill(page, 'similarity-a', a);
    await fill(page, 'similarity-b', b);
    await page.locator('#explain-button').click();
    const heatmap = page.locator('[data-testid="explain-heatmap"]');
    await heatmap.waitFor();
    const [va, vb] = await engine.encode([a, b]);
    const expected = buildExplainView(await engine.tokenEmbeddings(a), await engine.tokenEmbeddings(b), cosineSimilarity(va, vb), 256);
    assert.deepEqual(await heatmap.locator('[data-testid="explain-row"]').allInnerTexts(), expected.tokensA);
    assert.deepEqual(await heatmap.locator('[data-testid="explain-col"]').allInnerTexts(), expected.tokensB);
    assert.ok(
      expected.tokensA.some((p) => p.startsWith('##')),
      'A has a continuation piece to rebuild',
    );
    // One outline per row, on the row's best column.
    const best = await heatmap
      .locator('td.explain-best')
      .evaluateAll((cells) => cells.map((c) => [Number((c as HTMLElement).dataset.r), Number((c as HTMLElement).dataset.c)]));
    assert.deepEqual(
      best,
      expected.bestInB.map((c, r) => [r, c]),
    );
    // The outline is in neither colour of the scale: an orange one read as a negative score.
    const outline = await heatmap
      .locator('td.explain-best')
      .first()
      .evaluate((td) => getComputedStyle(td).outlineColor);
    const scaleEnds = await page.evaluate(() =>
      ['--vscode-charts-orange', '--vscode-charts-blue'].map((v) => getComputedStyle(document.documentElement).getPropertyValue(v).trim()),
    );
    const rgbOf = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    assert.ok(!scaleEnds.map(rgbOf).includes(outline), `outline ${outline}, scale ends ${scaleEnds.join(' ')}`);
    assert.equal(await page.locator('[data-testid="explain-precision"] .explain-score-value').innerText(), expected.precision.toFixed(4));
    assert.equal(await page.locator('[data-testid="explain-recall"] .explain-score-value').innerText(), expected.recall.toFixed(4));
    assert.equal(await page.locator('[data-testid="explain-f1"] .explain-score-value').innerText(), expected.f1.toFixed(4));
    assert.equal(await page.locator('[data-testid="explain-cosine"] .explain-score-value').innerText(), expected.cosine.toFixed(4));
    // Hovering a continuation piece's cell names the whole word it belongs to.
    const r = expected.tokensA.findIndex((p) => p.startsWith('##'));
    await heatmap.locator(`td[data-r="${r}"][data-c="0"]`).hover();
    const detail = await page.locator('[data-testid="explain-detail"]').innerText();
    assert.ok(detail.includes(`“${expected.tokensA[r]}” (${expected.wordsA[r]})`), detail);
    assert.ok(!expected.wordsA[r]!.includes('#'), `rebuilt word ${expected.wordsA[r]}`);
    assert.equal(await page.locator('[data-testid="explain-up"] li').count(), 5);
    assert.equal(await page.locator('[data-testid="explain-down"] li').count(), 5);
    const top = Math.max(...expected.bestInB.map((c, i) => expected.matrix[i]![c]!), ...expected.bestInA.map((i, c) => expected.matrix[i]![c]!));
    assert.ok((await page.locator('[data-testid="explain-up"] li').first().innerText()).endsWith(top.toFixed(4)));
    await page.locator('#explain-output').scrollIntoViewIfNeeded();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, '13_explain.png'), fullPage: true });

    // A theme switch (VS Code swaps the body class and the variables) recolours the heatmap.
    const strongest = heatmap.locator(`td[data-r="${r}"][data-c="${expected.bestInB[r]}"]`);
    const before = await strongest.evaluate((td) => getComputedStyle(td).backgroundColor);
    await page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-charts-blue', '#00ff00');
      document.body.classList.add('theme-switch-test');
    });
    try {
      const cell = `[data-testid="explain-heatmap"] td[data-r="${r}"][data-c="${expected.bestInB[r]}"]`;
      await page.waitForFunction(([selector, old]) => getComputedStyle(document.querySelector(selector)!).backgroundColor !== old, [cell, before] as const, {
        timeout: 10_000,
      });
      const after = await strongest.evaluate((td) => getComputedStyle(td).backgroundColor);
      const [red, green, blue] = after.match(/\d+/g)!.map(Number);
      assert.ok(green > red && green > blue, `after the switch ${after}`);
    } finally {
      await page.evaluate(() => {
        document.documentElement.style.removeProperty('--vscode-charts-blue');
        document.body.classList.remove('theme-switch-test');
      });
    }
  });

  it('Similarity tab: Explain on a text past 256 word pieces warns, and the heatmap scrolls under sticky headers', async () => {
    await fill(page, 'similarity-a', 'word '.repeat(400));
    await fill(page, 'similarity-b', 'a few words');
    await page.locator('#explain-button').click();
    await page.locator('[data-testid="explain-truncated"]').waitFor();
    const heatmap = page.locator('[data-testid="explain-heatmap"]');
    assert.equal(await heatmap.locator('[data-testid="explain-row"]').count(), 254, '256 pieces less [CLS] and [SEP]');
    assert.equal(await heatmap.locator('td.explain-best').count(), 254);
    const scroll = await page.locator('.explain-scroll').evaluate((e) => ({ scrolls: e.scrollHeight > e.clientHeight }));
    assert.ok(scroll.scrolls, 'the heatmap scrolls inside its box');
    const sticky = await heatmap.evaluate((table) => [
      getComputedStyle(table.querySelector('thead th')!).position,
      getComputedStyle(table.querySelector('tbody th')!).position,
    ]);
    assert.deepEqual(sticky, ['sticky', 'sticky']);
    // Typing in a box drops the alignment of the old texts.
    await fill(page, 'similarity-b', 'other words');
    assert.equal(await page.locator('[data-testid="explain"]').count(), 0);
  });

  it('Encode tab: shows the vector, charts 384 components, copies JSON and exports .npy', async () => {
    const text = 'Sentence embeddings map texts to vectors.';
    await selectTab(page, 'encode');
    await fill(page, 'encode-text', text);
    await page.locator('#encode-button').click();
    await page.locator('#encode-chart[data-drawn="true"]').waitFor();
    assert.equal(await number(page, 'encode-dimension'), 384);
    assert.ok(Math.abs((await number(page, 'encode-norm')) - 1) < 1e-5);
    const [vector] = await engine.encode([text]);
    const preview = await page.locator('[data-testid="first-components"]').innerText();
    assert.ok(preview.startsWith(`[${vector[0].toFixed(5)}, ${vector[1].toFixed(5)}`), preview);
    // In a narrow window the preview wraps, but between numbers: every number stays on one line.
    await page.setViewportSize({ width: 420, height: 820 });
    const lines = await page.locator('[data-testid="first-components"] .component').evaluateAll((spans) => spans.map((s) => s.getClientRects().length));
    const height = await page.locator('[data-testid="first-components"]').evaluate((e) => e.getBoundingClientRect().height);
    await page.setViewportSize({ width: 1100, height: 820 });
    assert.equal(lines.length, 16);
    assert.deepEqual(lines, Array(16).fill(1), 'a number broken across lines');
    assert.ok(height > 40, 'the preview wraps in a narrow window');

    await page.locator('#copy-button').click();
    await page.locator('[data-testid="encode-notice"]').waitFor();
    const copied = JSON.parse(harness.backend.clipboard ?? 'null') as number[];
    assert.equal(copied.length, 384);
    copied.forEach((v, i) => assert.equal(Math.fround(v), vector[i]));

    harness.backend.nextSavePath = path.join(scratch, 'vector.npy');
    await page.locator('#export-npy').click();
    await page.getByText(`Saved to ${harness.backend.nextSavePath}`).waitFor();
    const [saved] = npyToVectors(new Uint8Array(fs.readFileSync(harness.backend.nextSavePath)));
    assert.deepEqual(Array.from(saved), Array.from(vector));
    await screenshot(page, 'encode');
  });

  it('Find similar tab: ranks candidates (typed and loaded from a file) with score bars', async () => {
    const candidates = [
      'The weather is sunny and warm today.',
      'Backpropagation computes the gradients used to train a neural network.',
      'I had a delicious bowl of noodles for lunch.',
      'Deep neural networks stack many layers of learned representations.',
      'The football team won the championship last night.',
    ];
    await selectTab(page, 'search');
    await fill(page, 'search-query', 'How are neural networks trained?');
    await fill(page, 'search-candidates', candidates.join('\n'));
    await page.locator('#search-topk input').fill('3');
    await page.locator('#search-button').click();
    await page.locator('[data-testid="search-results"]').waitFor();
    const hits = page.locator('[data-testid="search-results"] .hit');
    assert.equal(await hits.count(), 3);
    assert.equal(await hits.first().locator('.hit-text').innerText(), candidates[1]);
    const scores = (await page.locator('.hit-score').allInnerTexts()).map(Number);
    assert.deepEqual(
      [...scores].sort((x, y) => y - x),
      scores,
    );
    assert.match(await page.locator('[data-testid="search-summary"]').innerText(), /Top 3 of 5 candidates/);
    await screenshot(page, 'search');

    harness.backend.nextOpenFile = { file: '/tmp/food.txt', text: 'Pizza with cheese\n\nA bowl of ramen\r\nQuantum physics lecture\n' };
    await page.locator('#load-candidates-button').click();
    await page.getByText('Loaded 3 lines from /tmp/food.txt').waitFor();
    await fill(page, 'search-query', 'noodle soup');
    await page.locator('#search-button').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="search-summary"]')?.textContent?.includes('of 3 candidates'));
    assert.equal(await page.locator('[data-testid="search-results"] .hit').first().locator('.hit-text').innerText(), 'A bowl of ramen');
  });

  it('Examples tab: runs the suite, saves the result, draws the heatmap and PCA, orders by clustering', async () => {
    await selectTab(page, 'examples');
    await page.locator('#run-examples-button').click();
    await page.locator('[data-testid="examples-saved"]').waitFor();
    const n = EXAMPLE_TEXTS.length;
    assert.equal(await page.locator('[data-testid="heatmap"] .cell').count(), n * n);
    const files = fs.readdirSync(results);
    assert.equal(files.length, 1);
    assert.match(files[0], /^test_\d{8}_\d{6}\.json$/);
    const document = JSON.parse(fs.readFileSync(path.join(results, files[0]), 'utf8')) as { texts: string[]; matrix: number[][] };
    assert.deepEqual(
      document.texts,
      EXAMPLE_TEXTS.map((e) => e.text),
    );
    await page.locator(`[data-testid="result-files"] li[data-name="${files[0]}"]`).waitFor();
    await page.locator('#pca-chart[data-drawn="true"]').waitFor();

    // Row order: as given, then the clustering of the saved matrix.
    const rowOrder = async () =>
      await page.locator('[data-testid="heatmap"] .row-label').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.row)));
    assert.deepEqual(
      await rowOrder(),
      Array.from({ length: n }, (_, i) => i),
    );
    await page.locator('#cluster-checkbox').click();
    const vectors = await engine.encode(document.texts);
    assert.deepEqual(await rowOrder(), clusterOrder(similarityMatrix(vectors)));

    await page.locator('[data-testid="heatmap"] .cell[data-r="0"][data-c="1"]').hover();
    const hover = await page.locator('[data-testid="heatmap-hover"]').innerText();
    assert.ok(hover.includes(document.texts[0]) && hover.includes(document.texts[1]), hover);
    assert.ok(hover.startsWith(document.matrix[0][1].toFixed(4)), hover);
    await screenshot(page, 'examples');

    // All 25 columns are reachable: scrolled to the end, the last column is inside the box, under sticky headers.
    const box = page.locator('[data-testid="heatmap-scroll"]');
    await box.evaluate((b) => b.scrollTo(b.scrollWidth, b.scrollHeight));
    const last = clusterOrder(similarityMatrix(vectors)).at(-1)!;
    const [cell, frame] = [
      (await page.locator(`[data-testid="heatmap"] .cell[data-r="${last}"][data-c="${last}"]`).boundingBox())!,
      (await box.boundingBox())!,
    ];
    assert.ok(
      cell.x >= frame.x && cell.x + cell.width <= frame.x + frame.width + 1,
      `last column at ${cell.x}..${cell.x + cell.width}, box ${frame.x}..${frame.x + frame.width}`,
    );
    const colHeader = (await page.locator(`[data-testid="heatmap"] .col-label[data-col="${last}"]`).boundingBox())!;
    const rowHeader = (await page.locator(`[data-testid="heatmap"] .row-label[data-row="${last}"]`).boundingBox())!;
    assert.ok(Math.abs(colHeader.y - frame.y) < 3, `column header at ${colHeader.y}, box top ${frame.y}`);
    assert.ok(Math.abs(rowHeader.x - frame.x) < 3, `row header at ${rowHeader.x}, box left ${frame.x}`);
    await box.evaluate((b) => b.scrollTo(0, 0));
    // Long labels are cut with an ellipsis and keep the full text as their title.
    const longest = document.texts.reduce((a, b, i) => (b.length > document.texts[a].length ? i : a), 0);
    const label = page.locator(`[data-testid="heatmap"] .row-label[data-row="${longest}"]`);
    assert.equal(await label.getAttribute('title'), document.texts[longest]);
    assert.ok(await label.locator('.label-text').evaluate((e) => e.scrollWidth > e.clientWidth && getComputedStyle(e).textOverflow === 'ellipsis'));
    // One diverging scale: the diagonal (1) leans to the theme's blue, a negative pair to its orange.
    const colour = (r: number, c: number) =>
      page.locator(`[data-testid="heatmap"] .cell[data-r="${r}"][data-c="${c}"]`).evaluate((e) => getComputedStyle(e).backgroundColor);
    const [nr, nc] = (() => {
      for (let r = 0; r < document.matrix.length; r++) for (let c = 0; c < document.matrix.length; c++) if (document.matrix[r][c] < -0.05) return [r, c];
      throw new Error('no negative pair in the example suite');
    })();
    const [diagonal, negative] = [await colour(0, 0), await colour(nr, nc)];
    const rgb = (css: string) => css.match(/\d+/g)!.map(Number);
    assert.ok(rgb(diagonal)[2] > rgb(diagonal)[0] + 100, `diagonal ${diagonal} is not blue`);
    assert.ok(rgb(negative)[0] > rgb(negative)[2], `negative ${negative} is not on the orange side`);
  });

  it('Examples tab: a cancelled run shows "Cancelled." and writes no file', async () => {
    const before = fs.readdirSync(results);
    // Hold encoding until the request is aborted, so that Cancel always comes first.
    const original = harness.backend.encodeWithTokens.bind(harness.backend);
    harness.backend.encodeWithTokens = (_texts, options) =>
      new Promise((_resolve, reject) => options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true }));
    try {
      await page.locator('#run-examples-button').click();
      await page.locator('#examples-output #cancel-button').click();
      await page.locator('#examples-output').getByText('Cancelled.').waitFor();
    } finally {
      harness.backend.encodeWithTokens = original;
    }
    assert.deepEqual(fs.readdirSync(results), before);
  });

  it('Examples tab: an earlier result reloads into the heatmap', async () => {
    const [file] = fs.readdirSync(results);
    await page.locator(`[data-testid="result-files"] li[data-name="${file}"] vscode-button`).first().click();
    await page.waitForFunction((name) => document.querySelector('[data-testid="examples-summary"]')?.textContent?.startsWith(name), file);
    assert.equal(await page.locator('#pca-chart').isVisible(), false, 'a file holds no embeddings, so no PCA');
    await page.locator(`[data-testid="result-files"] li[data-name="${file}"] vscode-button`).nth(1).click();
    await waitFor(() => harness.backend.opened.length === 1);
    assert.equal(harness.backend.opened[0], path.join(results, file));
  });

  it('state survives a reload of the webview (getState/setState)', async () => {
    await selectTab(page, 'similarity');
    await fill(page, 'similarity-a', 'Kept across reloads');
    await page.locator('#compare-button').click();
    await page.locator('[data-testid="similarity-reading"]').waitFor();
    await page.waitForTimeout(300); // setState is debounced
    await page.reload();
    await page.locator('vscode-tabs').waitFor();
    await page.locator('vscode-tab-panel[data-tab="similarity"]').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#similarity-a').evaluate((e) => (e as HTMLElement & { value: string }).value), 'Kept across reloads');
    assert.equal(await page.locator('[data-testid="similarity-reading"]').count(), 1, 'the last result is shown again');
  });

  it("a command's request (show) fills the tab and computes; a matrix request draws a heatmap", async () => {
    harness.post({ type: 'notification', method: 'show', params: { similarity: { a: 'The cat sits outside', b: 'The dog plays in the garden' } } });
    await page.locator('vscode-tab-panel[data-tab="similarity"]').waitFor({ state: 'visible' });
    await page.waitForFunction(() => (document.querySelector('#similarity-b') as HTMLElement & { value: string })?.value === 'The dog plays in the garden');
    await page.waitForFunction(() => !document.querySelector('#similarity-output .busy') && document.querySelector('[data-testid="cosine"]'));
    const [va, vb] = await engine.encode(['The cat sits outside', 'The dog plays in the garden']);
    await page.waitForFunction((expected) => document.querySelector('[data-testid="cosine"]')?.textContent === expected, cosineSimilarity(va, vb).toFixed(4));

    harness.post({ type: 'notification', method: 'show', params: { matrix: { texts: ['one apple', 'two apples', 'a car'] } } });
    await page.locator('vscode-tab-panel[data-tab="examples"]').waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="heatmap"] .cell').length === 9);
    assert.match(await page.locator('[data-testid="examples-summary"]').innerText(), /^Selected texts · 3 texts · all-MiniLM-L6-v2 fp32/);

    // After "Run Example Tests" the command shows the Examples tab: the newest saved result is loaded.
    const newest = fs.readdirSync(results).sort().at(-1)!;
    harness.post({ type: 'notification', method: 'show', params: { tab: 'examples' } });
    await page.waitForFunction((name) => document.querySelector('[data-testid="examples-summary"]')?.textContent?.startsWith(name), newest);
    assert.equal(await page.locator('[data-testid="heatmap"] .cell').count(), EXAMPLE_TEXTS.length ** 2);
  });

  it('junk sent to the host is logged and ignored; the panel keeps working', async () => {
    const warnings = harness.warnings.length;
    await page.evaluate(async () => {
      for (const junk of [
        { type: 'request', id: 1, method: 'fs/delete', params: {} },
        { type: 'request', id: 'x' },
        'hello',
        { type: 'request', id: 2, method: 'similarity/compute', params: { a: 1 } },
      ]) {
        await fetch('/message', { method: 'POST', body: JSON.stringify(junk) });
      }
    });
    await waitFor(() => harness.warnings.length >= warnings + 4);
    await selectTab(page, 'model');
    assert.match(await page.locator('[data-testid="model-state"]').innerText(), /Ready/);
  });

  it('high-contrast theme: the Similarity tab renders with no CSP or console problems', async () => {
    const hc = await openStudio(context, `${url}/?theme=high-contrast`);
    try {
      await selectTab(hc.page, 'similarity');
      await fill(hc.page, 'similarity-a', 'A man is playing a guitar.');
      await fill(hc.page, 'similarity-b', 'Someone plays an acoustic guitar.');
      await hc.page.locator('#compare-button').click();
      await hc.page.locator('[data-testid="similarity-reading"]').waitFor();
      // The metric boxes take the high-contrast border colour from the theme.
      const border = await hc.page.locator('[data-testid="metric-euclidean"]').evaluate((e) => getComputedStyle(e).borderTopColor);
      assert.equal(border, 'rgb(111, 195, 223)');
      await screenshot(hc.page, 'similarity-high-contrast');
      assert.deepEqual(hc.problems.csp, []);
      assert.deepEqual(hc.problems.errors, []);
    } finally {
      await hc.page.close();
    }
  });

  it('Model tab picker: lists the catalogue with sizes and what is on this machine, posts a pick, disables what cannot be verified, checks another name inline', async () => {
    await selectTab(page, 'model');
    const rows = page.locator('[data-testid="picker-row"]');
    await rows.first().waitFor();
    assert.deepEqual(
      await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-model'))),
      MODEL_CATALOGUE.map((e) => e.id),
    );
    const row = (id: string) => page.locator(`[data-testid="picker-row"][data-model="${id}"]`);
    // The default is current and found in the harness's model folder; nothing else is downloaded.
    assert.equal(await row('all-MiniLM-L6-v2').getAttribute('aria-current'), 'true');
    assert.match(await row('all-MiniLM-L6-v2').locator('[data-testid="picker-local"]').innerText(), /Model folder/);
    assert.match(await row('bge-small-en-v1.5').locator('[data-testid="picker-local"]').innerText(), /Not downloaded/);
    assert.equal(
      await row('bge-small-en-v1.5').locator('[data-testid="picker-size"]').innerText(),
      `${(downloadSize(catalogueEntry('bge-small-en-v1.5')!, 'fp32').bytes / 1e6).toFixed(1)} MB`,
    );
    assert.match(await row('bge-small-zh-v1.5').innerText(), /Chinese\s+512\s+cls\s+MIT/);
    // fp32 of bge-small-zh-v1.5 has no published digest: the button is off, and the row says why.
    assert.equal(await page.locator('#pick-bge-small-zh-v1\\.5').getAttribute('disabled'), '');
    assert.match(await row('bge-small-zh-v1.5').locator('[data-testid="picker-reason"]').innerText(), /No published digest for fp32: switch Weights to q8/);
    const sent = harness.received.length;
    await page.locator('#pick-bge-small-en-v1\\.5').click();
    await page.locator('[data-testid="picker-row"][data-model="bge-small-en-v1.5"][aria-current="true"]').waitFor();
    assert.deepEqual(harness.backend.models, ['bge-small-en-v1.5']);
    assert.deepEqual(
      harness.received
        .slice(sent)
        .filter((m) => (m as { method?: string }).method === 'model/pick')
        .map((m) => (m as { params: unknown }).params),
      [{ id: 'bge-small-en-v1.5' }],
    );
    // Picking downloads nothing: the tab offers Download Model, which runs the existing command.
    assert.match(await page.locator('[data-testid="picker-needs-download"]').innerText(), /bge-small-en-v1\.5 \(fp32\) is not on this machine yet/);
    await page.locator('#model-picker').scrollIntoViewIfNeeded();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, '14_model_picker.png'), fullPage: true });
    await page.locator('#picker-download-button').click();
    await waitFor(() => harness.backend.commands.includes('minilm.downloadModel'));
    // Another model: a name that is neither a catalogue id, a folder nor owner/name is one line, inline.
    await page.locator('#model-other input').fill('not a model!');
    await page.locator('#model-other-button').click();
    await page.locator('#picker-status .error-box').waitFor();
    assert.match(await page.locator('#picker-status .error-box').innerText(), /INVALID_INPUT.*"not a model!" is not a catalogue model/);
    assert.deepEqual(harness.backend.models, ['bge-small-en-v1.5'], 'nothing was written');
    await page.locator('#model-other input').fill('BAAI/bge-m3@main');
    await page.locator('#model-other input').press('Enter');
    await page.locator('[data-testid="picker-other-current"]').waitFor();
    assert.match(await page.locator('[data-testid="picker-other-current"]').innerText(), /Current model: BAAI\/bge-m3@main/);
    // Back to the default: the setting is emptied, so the model folder applies again.
    await page.locator('#pick-all-MiniLM-L6-v2').click();
    await page.locator('[data-testid="picker-row"][data-model="all-MiniLM-L6-v2"][aria-current="true"]').waitFor();
    assert.deepEqual(harness.backend.models, ['bge-small-en-v1.5', 'BAAI/bge-m3@main', '']);
    assert.equal(await page.locator('[data-testid="picker-needs-download"]').count(), 0);
  });

  it('Model tab, Loaded models: the active model and two notebook models with their weights, busy and idle; Unload frees the idle one, the busy one cannot be', async () => {
    await selectTab(page, 'model');
    const pool = harness.backend.pool;
    // The picker test before this one changed the model, which unloads it: the active model is loaded again.
    await engine.load();
    const ask = (name: string) => ({ model: { modelDir: tinyModelDir(name), dtype: 'fp32' as const } });
    const weights = (name: string) => fs.statSync(path.join(tinyModelDir(name), 'onnx', 'model.onnx')).size;
    await pool.use(ask('bert-mean-norm'), (engine) => engine.encode(['a cat']));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const inFlight = pool.use(ask('xlmr-unigram-mean'), async (engine) => {
      await engine.load();
      started();
      await held;
      return engine.encode(['你好，世界']);
    });
    try {
      await running;
      const cells = (testId: string) => page.locator(`[data-testid="loaded-row"] [data-testid="${testId}"]`).allInnerTexts();
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('[data-testid="loaded-activity"]'))
            .map((c) => c.textContent)
            .join() === 'Idle,Busy (1),Idle',
      );
      assert.deepEqual(
        await cells('loaded-name'),
        ['all-MiniLM-L6-v2', 'xlmr-unigram-mean', 'bert-mean-norm'],
        'the active model, then the pool most recently used first',
      );
      assert.deepEqual(
        (await cells('loaded-state')).map((s) => s.trim()),
        ['Ready', 'Ready', 'Ready'],
      );
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      assert.deepEqual((await cells('loaded-bytes')).slice(1), [kb(weights('xlmr-unigram-mean')), kb(weights('bert-mean-norm'))]);
      assert.equal(
        await page.locator('[data-testid="loaded-budget"]').innerText(),
        `Other models: ${kb(weights('xlmr-unigram-mean') + weights('bert-mean-norm'))} of 64.0 MB`,
      );
      assert.equal(await page.locator('[data-testid="loaded-row"][data-active="true"] [data-testid="loaded-active"]').count(), 1);
      assert.equal(await page.locator('#unload-pooled-0').count(), 0, 'the active model is unloaded with the Unload above');
      assert.equal(await page.locator('#unload-pooled-1').getAttribute('disabled'), '', 'a busy model cannot be unloaded');
      assert.match((await page.locator('#unload-pooled-1').getAttribute('title'))!, /A request is running on this model/);
      await page.locator('#loaded-models').scrollIntoViewIfNeeded();
      await screenshot(page, 'loaded-models');
      await page.locator('#unload-pooled-2').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="loaded-row"]').length === 2);
      assert.deepEqual(
        pool.models().map((m) => m.info?.name),
        ['xlmr-unigram-mean'],
      );
      release();
      assert.equal((await inFlight).length, 1);
      await page.waitForFunction(
        () =>
          Array.from(document.querySelectorAll('[data-testid="loaded-activity"]'))
            .map((c) => c.textContent)
            .join() === 'Idle,Idle',
      );
      // A busy model refused by the host (the button raced a new request) is one line in the section.
      const answer = await harness.handle({ type: 'request', id: 9_001, method: 'model/unloadPooled', params: { key: pool.models()[0]!.key } });
      assert.ok(answer?.ok, 'an idle model unloads');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="loaded-row"]').length === 1);
    } finally {
      release();
      await inFlight.catch(() => undefined);
      for (const m of pool.models()) await pool.unload(m.key).catch(() => undefined);
    }
  });

  it('light theme: the Examples and Encode tabs are readable', async () => {
    const light = await openStudio(context, `${url}/?theme=light`);
    try {
      // A new page has its own (empty) webview state.
      await selectTab(light.page, 'examples');
      await light.page.locator('#run-examples-button').click();
      await light.page.locator('#pca-chart[data-drawn="true"]').waitFor();
      await light.page.locator('#cluster-checkbox').click();
      await screenshot(light.page, 'examples-light');
      await selectTab(light.page, 'encode');
      await fill(light.page, 'encode-text', 'Sentence embeddings map texts to vectors.');
      await light.page.locator('#encode-button').click();
      await light.page.locator('#encode-chart[data-drawn="true"]').waitFor();
      await screenshot(light.page, 'encode-light');
      assert.deepEqual(light.problems.csp, []);
      assert.deepEqual(light.problems.errors, []);
    } finally {
      await light.page.close();
    }
  });
});

describe('Studio webview when the model is missing', function () {
  this.timeout(400_000);
  let browser: Browser;
  let engine: Engine;
  let harness: StudioHarness;
  let scratch: string;
  let origin: string;

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-webview-missing-'));
    engine = new Engine({
      modelDir: path.join(scratch, 'no-model'),
      projectModelsDir: path.join(scratch, 'models'),
      cacheDir: path.join(scratch, 'cache'),
      allowDownload: false,
    });
    harness = new StudioHarness({ engine, allowDownload: false });
    origin = await harness.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await harness?.stop();
    await engine?.dispose();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('shows the error with the fix to try, and Choose Model Folder runs the command', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    const { page, problems } = await openStudio(context, `${origin}/?theme=dark`);
    await page.locator('#load-button').click();
    await page.locator('[data-testid="model-error"]').waitFor();
    assert.match(await page.locator('[data-testid="model-error"]').innerText(), /MODEL_NOT_FOUND/);
    assert.deepEqual(await primaryButtons(page, 'model'), ['choose-folder-button'], 'the first fix is the one primary button');
    await screenshot(page, 'model-error');
    await page.locator('#choose-folder-button').click();
    await waitFor(() => harness.backend.commands.includes('minilm.chooseModelFolder'));
    await page.locator('#show-log-button').click();
    await waitFor(() => harness.backend.commands.includes('minilm.showLog'));
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.errors, []);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Studio webview with a model scored by dot product', function () {
  this.timeout(400_000);
  let browser: Browser;
  let engine: Engine;
  let harness: StudioHarness;

  before(async () => {
    engine = new Engine({ modelDir: tinyModelDir('bert-mean-sqrt-len'), dtype: 'fp32' });
    harness = new StudioHarness({ engine });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await harness?.stop();
    await engine?.dispose();
  });

  it('the Similarity tab leads with the dot product and names it; cosine stays among the metrics', async () => {
    const url = await harness.start();
    const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
    const { page, problems } = await openStudio(context, `${url}/?theme=dark`);
    const [a, b] = ['A man is playing a guitar.', 'Someone plays an acoustic guitar.'];
    await selectTab(page, 'similarity');
    await fill(page, 'similarity-a', a);
    await fill(page, 'similarity-b', b);
    await page.locator('#compare-button').click();
    const reading = page.locator('[data-testid="similarity-reading"]');
    await reading.waitFor();
    assert.equal(engine.info?.similarityFunction, 'dot');
    const [va, vb] = await engine.encode([a, b]);
    const expected = va.reduce((sum, x, i) => sum + x * vb[i]!, 0);
    assert.equal(await reading.getAttribute('data-function'), 'dot');
    assert.equal(await page.locator('[data-testid="similarity-score"]').innerText(), expected.toFixed(4));
    assert.match(await reading.innerText(), /Dot product/);
    assert.equal(await page.locator('[data-testid="cosine"]').count(), 0, 'no cosine headline or band for a dot-product model');
    assert.equal((await number(page, 'metric-cosine')).toFixed(4), cosineSimilarity(va, vb).toFixed(4));
    assert.equal(await page.locator('[data-testid="metric-dot"]').count(), 0, 'the headline is not repeated among the metrics');
    // No Normalize module: the vectors are not unit length, so their norms are shown.
    const norm = (v: Float32Array | number[]) => Math.hypot(...Array.from(v));
    assert.equal((await number(page, 'metric-norm-a')).toFixed(4), norm(va).toFixed(4));
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.errors, []);
  });
});

describe('Studio webview with a remote backend and no local model', function () {
  this.timeout(400_000);
  let browser: Browser;
  let local: Engine;
  let serverEngine: Engine;
  let harness: StudioHarness;
  let server: http.Server;
  let scratch: string;
  let endpoint: string;

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-webview-remote-'));
    // The panel's own engine has no model: every vector must come from the server.
    local = new Engine({
      modelDir: path.join(scratch, 'no-model'),
      projectModelsDir: path.join(scratch, 'models'),
      cacheDir: path.join(scratch, 'cache'),
      allowDownload: false,
    });
    serverEngine = new Engine({ modelDir: testModelDir(), dtype: 'fp32' });
    // A TEI-shaped server embedding with the real model.
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const send = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.url === '/info') return send({ model_id: 'all-MiniLM-L6-v2', max_client_batch_size: 32, max_input_length: 256 });
        void serverEngine.encode((JSON.parse(body) as { inputs: string[] }).inputs).then((vectors) => send(vectors.map((v) => Array.from(v))));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    harness = new StudioHarness({ engine: local, remote: new RemoteEmbedder({ api: 'tei', endpoint }) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await harness?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await local?.dispose();
    await serverEngine?.dispose();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("the Model tab names the backend and its host instead of load controls; Similarity scores with the server's vectors, without word-piece counts", async () => {
    const url = await harness.start();
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    const { page, problems } = await openStudio(context, `${url}/?theme=dark`);
    const backend = page.locator('[data-testid="model-backend"]');
    await backend.waitFor();
    assert.match(await backend.innerText(), /Backend: tei/);
    assert.equal(await page.locator('[data-testid="backend-host"]').innerText(), new URL(endpoint).host);
    assert.equal(await page.locator('#load-button').isVisible(), false);
    assert.equal(await page.locator('#dtype-select').isVisible(), false);
    await screenshot(page, 'model-remote-backend');

    const [a, b] = ['A man is playing a guitar.', 'Someone plays music.'];
    await selectTab(page, 'similarity');
    await fill(page, 'similarity-a', a);
    await fill(page, 'similarity-b', b);
    await page.locator('#compare-button').click();
    const headline = page.locator('[data-testid="cosine"]');
    await headline.waitFor();
    const [va, vb] = await serverEngine.encode([a, b]);
    assert.ok(Math.abs(Number(await headline.innerText()) - cosineSimilarity(va!, vb!)) < 1e-4);
    assert.equal(await page.locator('[data-testid="metric-tokens-a"]').count(), 0);
    // The panel's own engine was never asked to load.
    assert.equal(local.state.kind, 'unloaded');
    assert.deepEqual(problems.csp, []);
    assert.deepEqual(problems.errors, []);
  });
});
