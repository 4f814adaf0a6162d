// The extension through its UI: the palette command on an example model, the results panel
// (summary, table) read from inside the webview, a parameter link selecting its text in the
// editor, and screenshots of the panel in the light and dark theme.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import {
  EXAMPLES,
  THEMES,
  clearNotifications,
  findWebview,
  openFile,
  parseSelection,
  runCommand,
  runCommandForInput,
  screenshot,
  setTheme,
  startEditor,
  statusBarSelection,
  webview,
  type Editor,
  reloadWorkbench,
  scrollPanelToTop,
  watchCsp,
  answerSaveDialog,
} from './harness';

const MODEL = 'two-16-cycles.plrnn.json';
const RUN_TIMEOUT = 90_000;
/** The summary of MODEL searched for fixed points only. */
const ONLY_FIXED_POINTS = '1 fixed point (0 stable). Trajectories settle on a 16-cycle, above the highest order searched (1): search up to order 16 to list it.';

/** Line and column (1-based, as the status bar shows them) of the nth occurrence of `needle`. */
function lineColOf(file: string, needle: string): { line: number; col: number } {
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is in ${file}`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}


describe('SCYFI results panel (UI)', function () {
  this.timeout(240_000);
  let ed: Editor | undefined;
  let cspViolations: string[] = [];

  before(async () => {
    // The two 16-cycles need orders up to 16: the model file says so in its "scyfi" block.
    ed = await startEditor({ theme: THEMES.light, name: 'code-server-panel' });
    cspViolations = watchCsp(ed.page);
  });

  after(async () => {
    await ed?.stop();
  });

  it('runs "SCYFI: Find Fixed Points and Cycles" from the palette and shows the results', async () => {
    const page = ed!.page;
    await openFile(page, MODEL);
    await runCommand(page, 'SCYFI: Find Fixed Points and Cycles');
    const view = webview(page);
    await view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });
    assert.equal((await view.locator('[data-testid="summary"]').innerText()).trim(), '1 fixed point (0 stable), two 16-cycles (1 stable)');

    const rows = view.locator('[data-testid="cycles-table"] tbody tr[data-testid="cycle-row"]');
    assert.equal(await rows.count(), 3);
    const orders = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-order')));
    // Stable objects first, then fixed points, then the rest.
    assert.deepEqual(orders, ['16', '1', '16']);

    const first = view.locator('[data-testid="cycles-table"] tbody tr[data-testid="cycle-row"][data-order="1"]');
    assert.equal((await first.locator('[data-col="order"]').innerText()).trim(), '1');
    const rho = Number((await first.locator('[data-col="spectralRadius"]').innerText()).trim().replace('−', '-'));
    assert.ok(rho > 1 && rho < 1.2, `the fixed point's spectral radius ${rho} (> 1: unstable)`);
    assert.match(await first.locator('[data-col="stability"]').innerText(), /unstable|saddle/);
    assert.match(await first.locator('[data-col="points"]').innerText(), /1\.872.*0\.1075/);

    const stabilities = await rows.locator('[data-col="stability"]').allInnerTexts();
    assert.equal(stabilities.filter((s) => /^stable/.test(s.trim())).length, 1, `stabilities: ${stabilities.join(' | ')}`);

    await view.locator('[data-testid="state-plot"]').waitFor({ state: 'visible' });
    await view.locator('[data-testid="eigen-plot"]').waitFor({ state: 'visible' });
  });

  it('sorts by spectral radius and expands a row to show its regions', async () => {
    const view = webview(ed!.page);
    await view.locator('th[data-col="spectralRadius"]').click();
    const rows = view.locator('[data-testid="cycles-table"] tbody tr[data-testid="cycle-row"]');
    const radii = (await rows.locator('[data-col="spectralRadius"]').allInnerTexts()).map((t) => Number(t.trim().replace('−', '-')));
    assert.deepEqual(radii, [...radii].sort((a, b) => b - a), 'descending');
    await view.locator('tr[data-testid="cycle-row"][data-order="16"]').first().locator('[data-col="expand"] button').click();
    const detail = view.locator('[data-testid="cycles-table"] tr.detail');
    await detail.waitFor({ state: 'visible' });
    assert.equal(await detail.locator('td.region').count(), 16, 'a region pattern for each of the 16 points');
    await view.locator('tr[data-testid="cycle-row"][data-order="16"]').first().locator('[data-col="expand"] button').click();
    await detail.waitFor({ state: 'detached' });
  });

  it('a parameter link selects the entry in the model file', async () => {
    const page = ed!.page;
    const view = webview(page);
    await view.locator('a[data-testid="param-link"][data-param="W[1][0]"]').click();
    const want = lineColOf(path.join(EXAMPLES, MODEL), '0.52505308');
    await page.waitForFunction(
      `(document.querySelector('[id="status.editor.selection"]')?.textContent ?? '').includes('10 selected')`,
      undefined,
      { timeout: 10_000 },
    );
    const sel = parseSelection(await statusBarSelection(page));
    assert.deepEqual(sel, { line: want.line, col: want.col + '0.52505308'.length, selected: '0.52505308'.length });
  });

  it('saves screenshots of the panel in the light and dark theme', async () => {
    const page = ed!.page;
    await clearNotifications(page);
    const view = webview(page);
    await view.locator('tr[data-testid="cycle-row"][data-order="16"]').last().click();
    await page.waitForTimeout(300); // the table is re-rendered on the next frame
    await scrollPanelToTop(page);
    const light = await screenshot(page, 'panel-light');
    await setTheme(page, THEMES.dark);
    // The page re-reads the theme's colours when VS Code switches them.
    await view.locator('body.vscode-dark').waitFor({ state: 'attached' });
    await page.waitForTimeout(500);
    await scrollPanelToTop(page);
    const dark = await screenshot(page, 'panel-dark');
    for (const f of [light, dark]) assert.ok(fs.statSync(f).size > 20_000, `${f} is a real image`);
  });

  it('saves a plot as PNG through the save dialog', async () => {
    const page = ed!.page;
    const view = webview(page);
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-png-')), 'state.png');
    await view.locator('.card', { has: view.locator('[data-testid="state-plot"]') }).locator('button', { hasText: 'Save PNG' }).click();
    await answerSaveDialog(page, 'state-space.png', target);
    const bytes = fs.readFileSync(target);
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(bytes.length > 5_000, 'a real plot');
    fs.rmSync(path.dirname(target), { recursive: true, force: true });
  });

  it('asks for per-run settings with the Custom Settings command', async () => {
    const page = ed!.page;
    // The model is open already: bring its editor to the front.
    await page.locator(`.tab[data-resource-name="${MODEL}"]`).first().click();
    const box = await runCommandForInput(page, 'SCYFI: Find Fixed Points and Cycles (Custom Settings)…', 'SCYFI: settings for this run');
    assert.match(await box.inputValue(), /^maxOrder=16 outerLoop=auto innerLoop=auto seed=0$/);
    await box.fill('maxOrder=1 seed=3');
    await page.keyboard.press('Enter');
    const view = await findWebview(page, 'h1', MODEL);
    await view.locator('footer', { hasText: 'maxOrder 1,' }).waitFor({ timeout: RUN_TIMEOUT });
    await view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });
    // Fixed points only: the simulated trajectories (docs/dynamics.md) say what the list misses.
    const summary = view.locator('[data-testid="summary"]', { hasText: 'search up to order 16' });
    await summary.waitFor({ timeout: RUN_TIMEOUT });
    assert.equal((await summary.innerText()).trim(), ONLY_FIXED_POINTS);
    assert.match(await view.locator('footer').innerText(), /seed 3/);
  });

  it('shows a 3-D model in a chosen projection', async () => {
    const page = ed!.page;
    await setTheme(page, THEMES.light);
    await openFile(page, 'four-attractors.shplrnn.json');
    await runCommand(page, 'SCYFI: Find Fixed Points and Cycles');
    // The first model's panel is still open: read the panel of this model.
    const view = await findWebview(page, 'h1', 'four-attractors.shplrnn.json');
    await view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });
    assert.equal((await view.locator('[data-testid="summary"]').innerText()).trim(), '9 fixed points (0 stable), nine 2-cycles (4 stable)');
    const select = view.locator('select.proj');
    await select.selectOption('0,2');
    await clearNotifications(page);
    await screenshot(page, 'panel-3d-light');
    await select.selectOption('pca');
    await view.locator('.caption', { hasText: 'PC1' }).waitFor();
  });

  it('opens a PyTorch checkpoint in the checkpoint viewer', async () => {
    const page = ed!.page;
    await openFile(page, 'checkpoints/plrnn.pt');
    // Several webviews are open now (results panels and the viewer): find the viewer's frame.
    const frames = page.locator('iframe.webview.ready');
    let view: FrameLocator | undefined;
    for (const end = Date.now() + 30_000; !view && Date.now() < end; await page.waitForTimeout(250)) {
      for (let i = 0; i < (await frames.count()); i++) {
        if ((await webview(page, i).locator('h1', { hasText: 'plrnn.pt' }).count()) > 0) view = webview(page, i);
      }
    }
    assert.ok(view, 'the checkpoint viewer shows plrnn.pt');
    await view.locator('section[data-param="W"]').waitFor();
    assert.equal(await view.locator('table.tensors tbody tr').count(), 3);
    await screenshot(page, 'checkpoint-viewer-light');
  });

  it('restores the results panels after a window reload', async () => {
    const page = ed!.page;
    // What the two panels showed last (the first model's last run searched fixed points only).
    const expected = [ONLY_FIXED_POINTS, '9 fixed points (0 stable), nine 2-cycles (4 stable)'];
    await reloadWorkbench(page);
    const tab = page.locator('.tab', { hasText: /^\s*SCYFI: / }).first();
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await tab.click();
    let found: string | undefined;
    const frames = page.locator('iframe.webview.ready');
    for (const end = Date.now() + 30_000; !found && Date.now() < end; await page.waitForTimeout(250)) {
      for (let i = 0; i < (await frames.count()); i++) {
        const text = (await webview(page, i).locator('[data-testid="summary"]').textContent({ timeout: 1000 }).catch(() => null))?.trim();
        if (text && expected.includes(text)) found = text;
      }
    }
    assert.ok(found, 'a restored panel shows the results it had');
  });

  it('caused no Content Security Policy violations', () => {
    assert.deepEqual(cspViolations, []);
  });
});
