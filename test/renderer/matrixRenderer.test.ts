// The notebook renderer bundle (media/dist/renderer.js) in headless Debian chromium: a harness page activates it the
// way VS Code does and renders matrix payloads into output elements. Run with `npm run test:renderer`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { ExplainOutput, MatrixPayload, TablePayload } from '../../src/shared/matrixOutput';
import { explainViewOf } from '../../src/shared/explainView';
import { screenshotsDir } from '../helpers/screenshotsDir';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium';
import { divergingColor, rgbCss, type DivergingPalette } from '../../src/shared/colorScale';

const ORIGIN = 'http://renderer.minilm.test';

function repoDir(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'esbuild.mjs'))) return dir;
  }
  throw new Error(`repository root not found above ${__dirname}`);
}

const root = repoDir();
const bundle = path.join(root, 'media', 'dist', 'renderer.js');
const screenshot = path.join(screenshotsDir(), 'notebook-renderer.png');

/** The harness theme below: editor background, charts-orange, charts-blue. */
const HARNESS_PALETTE: DivergingPalette = { negative: [0xd1, 0x86, 0x16], neutral: [0x1e, 0x1e, 0x1e], positive: [0x37, 0x94, 0xff] };

const HARNESS = `<!doctype html>
<html><head><meta charset="utf-8">
<style>
  :root { --vscode-editor-background: #1e1e1e; --vscode-editor-foreground: #d4d4d4; --vscode-charts-orange: #d18616;
          --vscode-charts-blue: #3794ff; --vscode-font-family: 'DejaVu Sans', sans-serif; --vscode-font-size: 13px; }
  body { background: #1e1e1e; color: #d4d4d4; margin: 12px; }
  .output { margin-bottom: 16px; }
</style></head>
<body>
<script type="module">
  import { activate } from './renderer.js';
  window.messages = [];
  let listener;
  const base = { setState() {}, getState() { return undefined; }, getRenderer: async () => undefined, workspace: { isTrusted: true } };
  const withMessaging = activate({
    ...base,
    postMessage: (m) => window.messages.push(m),
    onDidReceiveMessage: (l) => { listener = l; return { dispose() {} }; },
  });
  const withoutMessaging = activate({ ...base });
  window.reply = (m) => listener(m);
  window.render = (id, payload, messaging = true) => {
    const element = document.createElement('div');
    element.className = 'output';
    element.id = id;
    document.body.append(element);
    const text = JSON.stringify(payload);
    const item = { id, mime: 'application/vnd.minilm.matrix+json', metadata: {}, json: () => JSON.parse(text), text: () => text,
                   data: () => new TextEncoder().encode(text), blob: () => new Blob([text]) };
    const started = performance.now();
    (messaging ? withMessaging : withoutMessaging).renderOutputItem(item, element, new AbortController().signal);
    return performance.now() - started;
  };
  window.dispose = (id) => withMessaging.disposeOutputItem(id);
  window.ready = true;
</script>
</body></html>`;

function matrix(n: number, seed = 1): MatrixPayload {
  let s = seed;
  const random = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const labels = Array.from({ length: n }, (_, i) => `text number ${i + 1}`);
  const values = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < n; i++) {
    values[i][i] = 1;
    for (let j = i + 1; j < n; j++) values[i][j] = values[j][i] = Math.round((random() * 1.2 - 0.2) * 1e6) / 1e6;
  }
  return {
    kind: 'matrix',
    title: `Cosine similarity, ${n} texts`,
    rowLabels: labels,
    colLabels: labels,
    values,
    valueName: 'cosine',
    scale: [-0.2, 1],
    fileName: 'similarity.csv',
  };
}

describe('notebook matrix renderer (headless chromium)', function () {
  this.timeout(120_000);
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;

  before(async () => {
    assert.ok(fs.existsSync(bundle), `${bundle} is missing: run "node esbuild.mjs --only=renderer"`);
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-renderer-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    await context.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/renderer.js') {
        await route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(bundle, 'utf8') });
      } else {
        await route.fulfill({ contentType: 'text/html', body: HARNESS });
      }
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  beforeEach(async () => {
    const errors: string[] = [];
    page.removeAllListeners('pageerror');
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${ORIGIN}/harness.html`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    assert.deepEqual(errors, []);
  });

  after(async () => {
    await context?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  const render = (id: string, payload: unknown, messaging = true) =>
    page.evaluate(([i, p, m]) => (window as unknown as { render: (a: unknown, b: unknown, c: unknown) => number }).render(i, p, m), [
      id,
      payload,
      messaging,
    ] as const);
  const rowHeaders = (id: string) => page.locator(`#${id} th.row-header`).allTextContents();

  it('renders a small matrix as a heatmap table inside a shadow root, coloured by value', async () => {
    await render('m', matrix(5));
    const inShadow = await page.evaluate(() => !!document.querySelector('#m')!.shadowRoot!.querySelector('table.matrix'));
    assert.ok(inShadow, "no table in the output element's shadow root");
    assert.equal(await page.locator('#m td.cell').count(), 25);
    assert.equal(await page.locator('#m td.cell').first().textContent(), '1.000');
    const colours = await page.locator('#m td.cell').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).style.backgroundColor));
    assert.ok(new Set(colours).size > 5, 'cells are not coloured by value');
    assert.equal(await page.locator('#m .legend-bar').count(), 1);
    assert.equal(await page.evaluate(() => document.querySelectorAll('[onclick], [onmouseover]').length), 0);
  });

  it('colours cells on one diverging scale: −1 and +1 at full strength on either side, 0 the background', async () => {
    const payload: MatrixPayload = {
      ...matrix(3),
      values: [
        [1, 0, -1],
        [0, 1, 0.5],
        [-1, 0.5, 1],
      ],
      scale: [-1, 1],
    };
    await render('d', payload);
    const colour = (r: number, c: number) =>
      page.locator(`#d td.cell[data-row="${r}"][data-col="${c}"]`).evaluate((td) => getComputedStyle(td).backgroundColor);
    assert.equal(await colour(0, 0), rgbCss(divergingColor(1, 1, HARNESS_PALETTE)));
    assert.equal(await colour(0, 2), rgbCss(divergingColor(-1, 1, HARNESS_PALETTE)));
    assert.equal(await colour(0, 1), 'rgb(30, 30, 30)', '0 is the editor background');
    assert.notEqual(await colour(0, 0), await colour(0, 2));
    // Text on the strongest cells is black or white, whichever reads better.
    const text = await page.locator('#d td.cell[data-row="0"][data-col="0"]').evaluate((td) => getComputedStyle(td).color);
    assert.match(text, /^rgb\((0, 0, 0|255, 255, 255)\)$/);
  });

  it('25 × 25 scrolls to the last column under sticky headers, long labels ellipsised with the full text as title', async () => {
    const payload = matrix(25, 9);
    const long = 'A very long sentence that goes on and on about machine learning, tokenisers and pooling strategies.';
    const labels = payload.rowLabels.map((l, i) => (i === 3 ? long : l));
    await render('w', { ...payload, rowLabels: labels, colLabels: labels });
    const scroller = page.locator('#w .scroller');
    await scroller.evaluate((s) => s.scrollTo(s.scrollWidth, s.scrollHeight));
    const lastCell = page.locator('#w td.cell[data-row="24"][data-col="24"]');
    const [cellBox, scrollBox] = [(await lastCell.boundingBox())!, (await scroller.boundingBox())!];
    assert.ok(cellBox.x + cellBox.width <= scrollBox.x + scrollBox.width + 1 && cellBox.x >= scrollBox.x, 'the last column is reachable');
    // After scrolling, the headers are still at the box's top and left edges.
    const header = (await page.locator('#w th.col-header[data-col="24"]').boundingBox())!;
    assert.ok(Math.abs(header.y - scrollBox.y) < 2, `column header at ${header.y}, box at ${scrollBox.y}`);
    const rowHeader = (await page.locator('#w th.row-header[data-row="24"]').boundingBox())!;
    assert.ok(Math.abs(rowHeader.x - scrollBox.x) < 2, `row header at ${rowHeader.x}, box at ${scrollBox.x}`);
    const label = page.locator('#w th.row-header[data-row="3"]');
    assert.ok(
      await label.evaluate((th) => th.scrollWidth > th.clientWidth && getComputedStyle(th).textOverflow === 'ellipsis'),
      'the long label is cut with an ellipsis',
    );
    assert.match((await label.getAttribute('title'))!, /pooling strategies\.\n/);
  });

  it('sorts rows by a clicked column header (descending, then ascending) and columns by a clicked row header', async () => {
    const payload = matrix(6, 7);
    await render('m', payload);
    await page.locator('#m th.col-header[data-col="2"]').click();
    const expected = [0, 1, 2, 3, 4, 5].sort((a, b) => payload.values[b][2] - payload.values[a][2] || a - b);
    assert.deepEqual(
      await rowHeaders('m'),
      expected.map((r) => `${r + 1}. ${payload.rowLabels[r]}`),
    );
    await page.locator('#m th.col-header[data-col="2"]').click();
    assert.deepEqual(
      await rowHeaders('m'),
      [...expected].reverse().map((r) => `${r + 1}. ${payload.rowLabels[r]}`),
    );
    await page.locator('#m th.row-header[data-row="4"]').click();
    const cols = await page.locator('#m th.col-header').allTextContents();
    const expectedCols = [0, 1, 2, 3, 4, 5].sort((a, b) => payload.values[4][b] - payload.values[4][a] || a - b);
    assert.deepEqual(
      cols,
      expectedCols.map((c) => String(c + 1)),
    );
    await page.locator('#m button[data-action="reset"]').click();
    assert.deepEqual(
      await rowHeaders('m'),
      payload.rowLabels.map((l, i) => `${i + 1}. ${l}`),
    );
  });

  it('hover shows both texts and the score', async () => {
    const payload = matrix(4, 3);
    await render('m', payload);
    await page.locator('#m td.cell[data-row="1"][data-col="3"]').hover();
    const tooltip = page.locator('#m .tooltip');
    assert.ok(await tooltip.isVisible());
    const text = await tooltip.textContent();
    assert.ok(text!.includes('text number 2') && text!.includes('text number 4') && text!.includes(String(payload.values[1][3])), text!);
  });

  it('exports CSV in the displayed order through renderer messaging and shows the outcome', async () => {
    const payload = matrix(3, 5);
    await render('m', payload);
    await page.locator('#m th.col-header[data-col="0"]').click();
    await page.locator('#m button[data-action="export"]').click();
    const messages = (await page.evaluate(() => (window as unknown as { messages: unknown[] }).messages)) as {
      type: string;
      requestId: string;
      fileName: string;
      csv: string;
    }[];
    assert.equal(messages.length, 1);
    assert.equal(messages[0].type, 'exportCsv');
    assert.equal(messages[0].fileName, 'similarity.csv');
    const lines = messages[0].csv.trimEnd().split('\r\n');
    assert.equal(lines[0], ',text number 1,text number 2,text number 3');
    const order = [0, 1, 2].sort((a, b) => payload.values[b][0] - payload.values[a][0] || a - b);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[0]),
      order.map((r) => payload.rowLabels[r]),
    );
    await page.evaluate(
      (id) =>
        (window as unknown as { reply: (m: unknown) => void }).reply({ type: 'exportCsvResult', requestId: id, outcome: 'saved', detail: '/w/similarity.csv' }),
      messages[0].requestId,
    );
    assert.match((await page.locator('#m .status').textContent())!, /Saved \/w\/similarity\.csv/);
  });

  it('without messaging offers a copy of the CSV instead of the export', async () => {
    await render('m', matrix(3), false);
    assert.equal(await page.locator('#m button[data-action="export"]').count(), 0);
    await page.locator('#m button[data-action="copy"]').click();
    await page
      .locator('#m .status')
      .filter({ hasText: /copied|copy the CSV/ })
      .waitFor();
    const status = (await page.locator('#m .status').textContent())!;
    const csv = status.includes('copied') ? await page.evaluate(() => navigator.clipboard.readText()) : await page.locator('#m textarea.csv').inputValue();
    // A textarea normalises CRLF to LF; the clipboard keeps CRLF.
    assert.ok(csv.replace(/\r\n/g, '\n').startsWith(',text number 1,text number 2,text number 3\ntext number 1,1,'), csv);
  });

  it('keeps outputs apart: sorting one output does not touch another in the same page', async () => {
    await render('a', matrix(4, 11));
    await render('b', matrix(4, 11));
    await page.locator('#a th.col-header[data-col="1"]').click();
    assert.notDeepEqual(await rowHeaders('a'), await rowHeaders('b'));
    assert.deepEqual(await rowHeaders('b'), ['1. text number 1', '2. text number 2', '3. text number 3', '4. text number 4']);
  });

  it('renders a ranked table payload, shades scores and sorts by a clicked column', async () => {
    const table: TablePayload = {
      kind: 'table',
      title: 'Search: "q"',
      columns: [
        { name: 'rank', type: 'number' },
        { name: 'score', type: 'score' },
        { name: 'text', type: 'text' },
      ],
      rows: [
        [1, 0.9, 'b text'],
        [2, 0.5, 'c text'],
        [3, -0.1, 'a text'],
      ],
      scale: [-0.1, 1],
      fileName: 'search.csv',
    };
    await render('t', table);
    assert.equal(await page.locator('#t table.ranked tbody tr').count(), 3);
    assert.equal(await page.locator('#t td.score').first().textContent(), '0.9000');
    assert.ok(
      await page
        .locator('#t td.score')
        .first()
        .evaluate((td) => (td as HTMLElement).style.backgroundColor !== ''),
    );
    await page.locator('#t th[data-col="2"]').click();
    assert.deepEqual(await page.locator('#t td.text').allTextContents(), ['c text', 'b text', 'a text']);
    await page.locator('#t th[data-col="2"]').click();
    assert.deepEqual(await page.locator('#t td.text').allTextContents(), ['a text', 'b text', 'c text']);
  });

  it('renders 200 × 200 on a canvas, hovers and sorts it (render time reported)', async () => {
    const payload = matrix(200, 42);
    const ms = await render('big', payload);
    const frame = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t = performance.now();
          requestAnimationFrame(() => resolve(performance.now() - t));
        }),
    );
    console.log(`      200 × 200 renderOutputItem: ${ms.toFixed(1)} ms, next frame after ${frame.toFixed(1)} ms`);
    const canvas = page.locator('#big canvas.heatmap');
    assert.equal(await canvas.count(), 1);
    assert.equal(await page.locator('#big td').count(), 0, 'a 200 × 200 matrix must not become 40,000 table cells');
    const box = (await canvas.boundingBox())!;
    const cell = (box.width - 36) / 200;
    await page.mouse.move(box.x + 36 + cell * 10.5, box.y + 36 + cell * 20.5);
    const tip = (await page.locator('#big .tooltip').textContent())!;
    assert.ok(tip.includes('text number 21') && tip.includes('text number 11') && tip.includes(String(payload.values[20][10])), tip);
    // Click the column number strip above column 6: rows get sorted by that column.
    await page.mouse.click(box.x + 36 + cell * 5.5, box.y + 10);
    await page.locator('#big button[data-action="export"]').click();
    const csv = (await page.evaluate(() => (window as unknown as { messages: { csv: string }[] }).messages.at(-1)!.csv)) as string;
    const firstRows = csv
      .split('\r\n')
      .slice(1, 4)
      .map((l) => l.split(',')[0]);
    const expected = Array.from({ length: 200 }, (_, i) => i).sort((a, b) => payload.values[b][5] - payload.values[a][5] || a - b);
    assert.deepEqual(
      firstRows,
      expected.slice(0, 3).map((r) => payload.rowLabels[r]),
    );
  });

  it('uses the words the extension translated (payload strings), and English where one is missing', async () => {
    await render('zh', { ...matrix(3), strings: { resetOrder: '恢复顺序', exportCsv: '导出 CSV…', sortRows: 42 } });
    assert.equal(await page.locator('#zh button[data-action="reset"]').textContent(), '恢复顺序');
    assert.equal(await page.locator('#zh button[data-action="export"]').textContent(), '导出 CSV…');
    assert.match((await page.locator('#zh th.col-header').first().getAttribute('title'))!, /click: sort rows by this column/);
  });

  it("draws an explain payload as the Studio panel does: pieces as rows and columns, each row's best match outlined, whole words on hover, translated words", async () => {
    const view = explainViewOf({
      tokensA: ['the', 'guitar', '##ist', 'plays'],
      tokensB: ['▁someone', '▁play', 's', '▁guitar'],
      matrix: [
        [0.5, 0.2, 0.1, 0.3],
        [0.1, 0.3, 0.2, 0.9],
        [0.2, 0.1, 0.05, 0.7],
        [0.3, 0.8, 0.6, 0.2],
      ],
      precision: 0.775,
      recall: 0.6,
      f1: 0.676,
      cosine: 0.71,
      truncatedA: false,
      truncatedB: false,
      maxTokens: 0,
    });
    const payload: ExplainOutput = { kind: 'explain', title: 'Word-piece alignment', view, strings: { 'explain.up': '拉高分数的词片' } };
    await render('x', payload);
    const inShadow = await page.evaluate(() => !!document.querySelector('#x')!.shadowRoot!.querySelector('table.explain-table'));
    assert.ok(inShadow, "no explain table in the output element's shadow root");
    assert.deepEqual(await page.locator('#x [data-testid="explain-row"]').allTextContents(), view.tokensA);
    assert.deepEqual(await page.locator('#x [data-testid="explain-col"]').allTextContents(), view.tokensB);
    const best = await page
      .locator('#x td.explain-best')
      .evaluateAll((cells) => cells.map((c) => `${(c as HTMLElement).dataset.r},${(c as HTMLElement).dataset.c}`));
    assert.deepEqual(best, ['0,0', '1,3', '2,3', '3,1']);
    // The shared diverging scale: the largest magnitude (0.9) gets the full positive colour, values near 0 stay near
    // the background.
    const colours = await page.locator('#x td').evaluateAll((cells) => cells.map((c) => getComputedStyle(c).backgroundColor));
    assert.equal(colours[7], rgbCss(divergingColor(0.9, 0.9, HARNESS_PALETTE)), 'the highest cosine is the strongest colour');
    assert.equal(colours[10], rgbCss(divergingColor(0.05, 0.9, HARNESS_PALETTE)), 'the lowest the weakest');
    await page.locator('#x td[data-r="2"][data-c="2"]').hover();
    assert.equal(await page.locator('#x [data-testid="explain-detail"]').textContent(), 'A “##ist” (guitarist) ↔ B “s” (plays): 0.0500');
    await page.locator('#x [data-testid="explain-col"][data-c="1"]').hover();
    assert.match((await page.locator('#x [data-testid="explain-detail"]').textContent())!, /^B “▁play” in “plays”; best match “plays” \(0\.8000\)$/);
    assert.equal(await page.locator('#x h4').first().textContent(), '拉高分数的词片');
    assert.equal(await page.locator('#x h4').nth(1).textContent(), 'Pull the score down');
    assert.equal(await page.locator('#x [data-testid="explain-up"] li').count(), 4);
    assert.match((await page.locator('#x [data-testid="explain-up"] li').first().textContent())!, /“guitar” \(guitarist\) → “▁guitar” 0\.9000/);
    assert.equal(await page.locator('#x [data-testid="explain-f1"] .explain-score-value').textContent(), '0.6760');
    assert.equal(await page.locator('#x .title').textContent(), 'Word-piece alignment');
  });

  it('shows damaged data as an error, not a blank output', async () => {
    await render('bad', { kind: 'nonsense' });
    assert.match((await page.locator('#bad .error').textContent())!, /cannot be shown/);
  });

  it('screenshot of the example-suite matrix (notebook-renderer.png, see test/helpers/screenshotsDir)', async () => {
    const payload = JSON.parse(fs.readFileSync(path.join(root, 'test', 'renderer', 'fixtures', 'exampleMatrix.json'), 'utf8')) as MatrixPayload;
    assert.equal(payload.rowLabels.length, 25);
    await render('example', payload);
    await page.locator('#example td.cell[data-row="0"][data-col="2"]').hover();
    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.locator('#example').screenshot({ path: screenshot });
    assert.ok(fs.statSync(screenshot).size > 10_000);
  });
});
