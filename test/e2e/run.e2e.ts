// Training runs through the UI: the code lens on a run's loss log opens the run panel on the mixed
// run of the fixtures; its three plots on one epoch axis, legend, sentence, tables and skipped
// file; an event's link highlights the jump after it and shows the two checkpoints around it with
// the entries that changed most (each a link into the checkpoint viewer); an epoch's link opens
// that checkpoint; screenshots in the light and dark theme.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { ROOT, THEMES, answerSaveDialog, clearNotifications, findWebview, openFile, reloadWorkbench, runCommand, screenshot, scrollPanelToTop, setTheme, startEditor, typeDialogPath, watchCsp, type Editor } from './harness';

const RUN_TIMEOUT = 120_000;

async function runPanel(page: Page): Promise<FrameLocator> {
  await page.locator('.tab', { hasText: /Run mixed/ }).first().click();
  const view = await findWebview(page, '[data-testid="summary"]', /checkpoints/, 60_000);
  await view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });
  return view;
}

describe('SCYFI run panel (UI)', function () {
  this.timeout(300_000);
  let ed: Editor | undefined;
  let workspace: string;
  let csp: string[] = [];

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-run-ws-'));
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'runs', 'mixed'), path.join(workspace, 'mixed'), { recursive: true });
    ed = await startEditor({ theme: THEMES.light, name: 'code-server-run', workspace, settings: { 'scyfi.runMaxOrder': 4 } });
    csp = watchCsp(ed.page);
  });

  after(async () => {
    await ed?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it("analyses the run from its loss log's code lens and shows the plots, the sentence and the tables", async () => {
    const page = ed!.page;
    await openFile(page, 'mixed/train_log.jsonl');
    const lens = page.locator('.codelens-decoration a', { hasText: 'Analyze the training run in this folder' });
    await lens.waitFor({ state: 'visible', timeout: 30_000 });
    await lens.click();
    const view = await runPanel(page);
    assert.match(await view.locator('[data-testid="summary"]').innerText(), /^12 checkpoints from epoch 0 to 60, orders 1–4, 1 skipped · 3 branches · 3 events · 3 loss jumps$/);
    assert.match(await view.locator('[data-testid="sentence"]').innerText(), /^2 of 3 loss jumps follow a bifurcation; all of them degenerate flip \(p = /);
    for (const id of ['loss', 'diagram', 'spectral']) await view.locator(`canvas[data-testid="${id}"]`).waitFor({ state: 'visible' });
    const legend = await view.locator('[data-testid="legend"]').innerText();
    for (const w of ['fixed points', '2-cycles', '4-cycles', 'stable', 'unstable', 'degenerate flip', 'degenerate transcritical', 'loss jump']) assert.ok(legend.includes(w), `the legend names ${w}: ${legend}`);
    assert.equal(await view.locator('[data-testid="events-table"] tr[data-testid="event-row"]').count(), 3);
    assert.equal(await view.locator('[data-testid="jumps-table"] tr[data-testid="jump-row"]').count(), 3);
    assert.equal(await view.locator('[data-testid="checkpoints-table"] [data-testid="checkpoint-link"]').count(), 12);
    assert.match(await view.locator('[data-testid="skipped"]').innerText(), /model_45\.bson: a BSON file cut short/);
    // The three plots share the x axis: the whole run and a little more.
    const ranges = await Promise.all(['loss', 'diagram', 'spectral'].map((id) => view.locator(`canvas[data-testid="${id}"]`).getAttribute('data-x-range')));
    assert.ok(ranges.every((r) => r === ranges[0]), `one x range: ${ranges.join(' | ')}`);
    await clearNotifications(page);
    await scrollPanelToTop(page);
    const shot = await screenshot(page, 'run-light');
    assert.ok(fs.statSync(shot).size > 20_000, 'a real image');
  });

  it('runs from the palette on the folder chosen in the open dialog, taking every checkpoint from the cache', async () => {
    const page = ed!.page;
    await runCommand(page, 'SCYFI: Analyze Training Run…');
    const folder = path.join(workspace, 'mixed');
    await typeDialogPath(page, `${folder}/`);
    await page.keyboard.press('Enter');
    // The simple dialog may take Enter as "go into the folder": confirm with OK then.
    const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^(OK|Analyze)$/ });
    await page.waitForTimeout(1000);
    if (await ok.isVisible()) await ok.click();
    const view = await findWebview(page, 'footer', /12 from the cache/, RUN_TIMEOUT);
    assert.match(await view.locator('[data-testid="summary"]').innerText(), /^12 checkpoints from epoch 0 to 60/);
  });

  it("an event's link highlights the jump after it and compares the checkpoints around it; an entry's link opens the checkpoint viewer", async () => {
    const page = ed!.page;
    const view = await runPanel(page);
    // The first period doubling, at epoch 19.17, between model_15.npz and model_20.pt; the jump at 20 follows it.
    await view.locator('tr[data-kind="degenerate-flip"] [data-testid="event-link"]').first().click();
    const comparison = view.locator('[data-testid="comparison"]');
    await comparison.locator('[data-testid="changes-table"]').waitFor({ timeout: 60_000 });
    assert.match(await comparison.locator('h2').innerText(), /^Around event #2: degenerate flip at epoch 19\.16/);
    const sides = await comparison.locator('[data-testid="compare-side"] h3').allInnerTexts();
    assert.deepEqual(sides, ['epoch 15: model_15.npz', 'epoch 20: model_20.pt']);
    assert.match(await comparison.locator('[data-testid="compare-side"]').nth(1).innerText(), /2-cycle/);
    const lit = view.locator('tr[data-testid="jump-row"].lit');
    assert.equal(await lit.count(), 1);
    assert.match(await lit.innerText(), /^1\s+20\b/);
    assert.ok((await view.locator('[data-testid="changes-table"] [data-testid="param-link"]').count()) > 0);
    // Hovering the marker of the second flip (epoch 52.5) on the diagram lights the jump after it instead.
    const diagram = view.locator('canvas[data-testid="diagram"]');
    await diagram.scrollIntoViewIfNeeded();
    const [min, max] = (await diagram.getAttribute('data-x-range'))!.split(' ').map(Number);
    const box = (await diagram.boundingBox())!;
    // The y axis takes 64 px on the left and as much room is kept on the right (src/webview/run.ts).
    const px = box.x + 64 + ((52.5 - min) / (max - min)) * (box.width - 128);
    await page.mouse.move(px, box.y + box.height / 2);
    await view.locator('tr[data-testid="jump-row"][data-jump="2"].lit').waitFor({ timeout: 5_000 });
    await view.locator('tr[data-testid="event-row"][data-event="2"].lit').waitFor({ timeout: 5_000 });
    await page.mouse.move(box.x + 2, box.y + 2);
    await comparison.scrollIntoViewIfNeeded();
    await screenshot(page, 'run-comparison-light');
    await view.locator('[data-testid="changes-table"] [data-testid="param-link"]').first().click();
    await page.locator('.tab', { hasText: /model_20\.pt/ }).first().waitFor({ timeout: 30_000 });
  });

  it("an epoch's link opens that checkpoint and finds its objects", async () => {
    const page = ed!.page;
    const view = await runPanel(page);
    await view.locator('[data-testid="checkpoints-table"] [data-testid="checkpoint-link"]').nth(4).click();
    await page.locator('.tab', { hasText: /model_20\.pt/ }).first().waitFor({ timeout: 30_000 });
    await findWebview(page, '[data-testid="cycles-table"]', undefined, 60_000);
  });

  it('a box dragged on the loss zooms all three plots; Reset zoom shows the whole run again', async () => {
    const page = ed!.page;
    const view = await runPanel(page);
    const canvas = (id: string) => view.locator(`canvas[data-testid="${id}"]`);
    const range = async (id: string) => (await canvas(id).getAttribute('data-x-range'))!.split(' ').map(Number);
    const whole = await range('loss');
    await canvas('loss').scrollIntoViewIfNeeded();
    const box = (await canvas('loss').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.55, { steps: 5 });
    await page.mouse.up();
    const zoomed = await range('loss');
    assert.ok(zoomed[1] - zoomed[0] < (whole[1] - whole[0]) / 2, `zoomed in: ${zoomed.join(' ')} of ${whole.join(' ')}`);
    for (const id of ['diagram', 'spectral']) assert.deepEqual(await range(id), zoomed, `${id} follows`);
    await view.locator('button', { hasText: 'Reset zoom' }).click();
    for (const id of ['loss', 'diagram', 'spectral']) assert.deepEqual(await range(id), whole, `${id} shows the whole run`);
  });

  it('exports the analysis as JSON (the report of scyfi run --json) and CSV', async () => {
    const page = ed!.page;
    const view = await runPanel(page);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-run-export-'));
    await view.locator('button', { hasText: 'Export JSON' }).click();
    await answerSaveDialog(page, 'scyfi-run-analysis.json', path.join(dir, 'r.json'));
    const r = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    assert.equal(r.unit, 'epoch');
    assert.equal(r.checkpoints.length, 12);
    assert.deepEqual(r.lossJumps.map((j: { epoch: number }) => j.epoch), [20, 40, 53]);
    await view.locator('button', { hasText: 'Export CSV' }).click();
    await answerSaveDialog(page, 'scyfi-run-analysis.csv', path.join(dir, 'r.csv'));
    const lines = fs.readFileSync(path.join(dir, 'r.csv'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'checkpoint,epoch,file,loss,branch,order,point,stable,classification,spectral_radius,eigenvalues,region,z1');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the panel survives a window reload with what it showed', async () => {
    const page = ed!.page;
    await reloadWorkbench(page);
    const view = await runPanel(page);
    assert.match(await view.locator('[data-testid="summary"]').innerText(), /^12 checkpoints from epoch 0 to 60/);
    assert.equal(await view.locator('[data-testid="events-table"] tr[data-testid="event-row"]').count(), 3);
    await view.locator('canvas[data-testid="loss"][data-x-range]').waitFor();
  });

  it('saves screenshots in the dark theme', async () => {
    const page = ed!.page;
    await clearNotifications(page);
    const view = await runPanel(page);
    await setTheme(page, THEMES.dark);
    await view.locator('body.vscode-dark').waitFor({ state: 'attached' });
    await page.waitForTimeout(500);
    await scrollPanelToTop(page);
    await screenshot(page, 'run-dark');
    await view.locator('[data-testid="diagram"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'run-diagram-dark');
    await view.locator('[data-testid="comparison"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'run-comparison-dark');
    assert.deepEqual(csp, [], 'no Content Security Policy violations');
  });
});
