// What a newcomer hits first in the results panel (tracker issue 12): an example that shows
// what it is for, "Search up to order 2K", hundreds of objects (per-order counts, filter,
// legend, virtualised table, keyboard), Cancel while thousands stream in, and a panel whose file
// changed saying so at once and re-running on save. Screenshots in the light and dark theme.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { EXAMPLES, THEMES, clearNotifications, findWebview, openFile, runCommand, runCommandForInput, screenshot, waitForInput, setTheme, startEditor, scrollPanelToTop, watchCsp, type Editor } from './harness';

const RUN_TIMEOUT = 90_000;
const CKPT = 'checkpoints/dendplrnn-lightning.ckpt';
const EDITED = 'flip-2-cycle.plrnn.json';

async function customRun(page: Page, settings: string): Promise<void> {
  const box = await runCommandForInput(page, 'SCYFI: Find Fixed Points and Cycles (Custom Settings)…', 'SCYFI: settings for this run');
  await box.fill(settings);
  await page.keyboard.press('Enter');
}

const done = (view: FrameLocator) => view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });

/** Opens a workspace file, runs the plain search on it and waits for its panel to say done. */
async function findIn(page: Page, file: string): Promise<FrameLocator> {
  await openFile(page, file);
  await runCommand(page, 'SCYFI: Find Fixed Points and Cycles');
  const view = await findWebview(page, 'h1', file);
  await done(view);
  return view;
}
const rows = (view: FrameLocator) => view.locator('[data-testid="cycles-table"] tbody tr[data-testid="cycle-row"]');

describe('SCYFI results panel: first impressions (UI)', function () {
  this.timeout(300_000);
  let ed: Editor | undefined;
  let cspViolations: string[] = [];
  const editedFile = path.join(EXAMPLES, EDITED);
  const original = fs.readFileSync(editedFile, 'utf8');

  before(async () => {
    // Default settings: the example's own "scyfi" block must be enough.
    ed = await startEditor({ theme: THEMES.light, name: 'code-server-results' });
    cspViolations = watchCsp(ed.page);
  });

  after(async () => {
    fs.writeFileSync(editedFile, original);
    await ed?.stop();
  });

  it('shows the two 16-cycles of two-16-cycles.plrnn.json with the default settings, stable one first', async () => {
    const page = ed!.page;
    const view = await findIn(page, 'two-16-cycles.plrnn.json');
    assert.equal((await view.locator('[data-testid="summary"]').innerText()).trim(), '1 fixed point (0 stable), two 16-cycles (1 stable)');
    assert.match(await view.locator('footer').innerText(), /maxOrder 16, .*\(maxOrder from the file's "scyfi" block\)/);
    const first = rows(view).first();
    assert.equal(await first.getAttribute('data-order'), '16');
    assert.match(await first.locator('[data-col="stability"]').innerText(), /^stable/);
    assert.equal(await view.locator('[data-testid="deeper"]').isVisible(), false, 'cycles were found: nothing to offer');
    assert.deepEqual(await view.locator('[data-testid="order-legend"] .legend-item[data-order]').allInnerTexts(), ['fixed point', 'order 16']);
    // M = 2: orders 1–6 are enumerated, so the certified search (orders 1–4) has nothing to add.
    assert.equal((await view.locator('[data-testid="heuristic-note"]').innerText()).trim(), 'Orders 1–6 complete (every region sequence solved); orders 7–16: heuristic search, other cycles may exist.');
    assert.equal(await view.locator('[data-testid="certify"]').isVisible(), false);
  });

  it('offers "Search up to order 20" when only fixed points were found up to 10, and runs it in one click', async () => {
    const page = ed!.page;
    const view = await findIn(page, 'fixed-point.plrnn.json');
    const deeper = view.locator('[data-testid="deeper"]');
    assert.equal((await deeper.innerText()).trim(), 'Search up to order 20');
    await deeper.click();
    await view.locator('footer', { hasText: 'maxOrder 20,' }).waitFor({ timeout: RUN_TIMEOUT });
    await done(view);
    assert.equal((await view.locator('[data-testid="summary"]').innerText()).trim(), '1 fixed point (1 stable)');
    assert.equal((await deeper.innerText()).trim(), 'Search up to order 40');
  });

  it('keeps hundreds of objects readable: counts per order, filter, legend, a virtualised table, keyboard', async () => {
    const page = ed!.page;
    await openFile(page, CKPT);
    await findWebview(page, 'h1', 'dendplrnn-lightning.ckpt');
    await customRun(page, 'maxOrder=14');
    const view = await findWebview(page, '[data-testid="summary"]', /objects of orders 1–14/, RUN_TIMEOUT);
    await done(view);
    // The trajectories' sentence may follow once they are simulated ("Trajectories diverge.").
    assert.match((await view.locator('[data-testid="summary"]').innerText()).trim(), /^333 objects of orders 1–14 \(0 stable\)(\. Trajectories diverge\.)?$/);
    const counts = await view.locator('[data-testid="order-counts"] button').allInnerTexts();
    assert.equal(counts.length, 13);
    assert.equal(counts[0].trim(), 'fixed points: 2 (0 stable)');
    assert.equal(counts[counts.length - 1].trim(), 'order 14: 115 (0 stable)');
    // Many objects: stable objects and fixed points first (here only the 2 fixed points).
    assert.match(await view.locator('[data-testid="shown"]').innerText(), /^2 of 333 objects/);
    assert.equal(await rows(view).count(), 2);
    await clearNotifications(page);
    await scrollPanelToTop(page);
    await screenshot(page, 'results-many-light');

    await view.locator('[data-testid="order-counts"] button[data-order="14"]').click();
    await view.locator('[data-testid="shown"]', { hasText: /^115 of 333 objects/ }).waitFor();
    const rendered = await rows(view).count();
    assert.ok(rendered > 0 && rendered < 115, `only the rows in view are in the page (${rendered} of 115)`);
    assert.deepEqual(await view.locator('[data-testid="order-legend"] .legend-item[data-order]').allInnerTexts(), ['order 14']);

    // The keyboard: End selects the last row and scrolls it into view.
    await view.locator('.cycles-scroll').focus();
    await page.keyboard.press('End');
    await view.locator('tr[data-testid="cycle-row"][aria-selected="true"][aria-rowindex="115"]').waitFor();
    await page.keyboard.press('ArrowUp');
    await view.locator('tr[data-testid="cycle-row"][aria-selected="true"][aria-rowindex="114"]').waitFor();
    // And the state plot: → selects the next object drawn.
    const title = view.locator('.card-head span', { hasText: /^Eigenvalues of #/ });
    const before = await title.innerText();
    await view.locator('[data-testid="state-plot"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => true);
    for (let i = 0; i < 40 && (await title.innerText()) === before; i++) await page.waitForTimeout(100);
    assert.notEqual(await title.innerText(), before, 'the selection moved');

    await view.locator('[data-testid="filter-stability"]').selectOption('all');
    await view.locator('[data-testid="filter-order"]').selectOption('all');
    await view.locator('[data-testid="shown"]', { hasText: /^333 objects$/ }).waitFor();
    await setTheme(page, THEMES.dark);
    await view.locator('body.vscode-dark').waitFor({ state: 'attached' });
    await page.waitForTimeout(600);
    await scrollPanelToTop(page);
    await screenshot(page, 'results-many-dark');
    await setTheme(page, THEMES.light);
  });

  it('Cancel stops a search that streams thousands of objects, and the panel keeps them', async () => {
    const page = ed!.page;
    await page.locator('.tab', { hasText: 'dendplrnn-lightning.ckpt' }).first().click();
    await customRun(page, 'maxOrder=40');
    const view = await findWebview(page, '[data-testid="summary"]', /objects of orders|Searching/, RUN_TIMEOUT);
    // Deep enough that objects stream in by the hundred.
    await view.locator('.progress', { hasText: /order (1[6-9]|[2-4]\d) of 40/ }).waitFor({ timeout: RUN_TIMEOUT });
    await view.locator('button', { hasText: /^Cancel$/ }).click();
    await view.locator('[data-testid="status"]', { hasText: /^cancelled$/ }).waitFor();
    const shown = await view.locator('[data-testid="summary"]').innerText();
    const n = Number(/^([\d,]+) objects/.exec(shown)?.[1].replace(/,/g, ''));
    assert.ok(n > 333, `what was found is kept (${shown})`);
    assert.match(shown, /before the search was cancelled/);
  });

  it('says at once that the file changed, over an error too, and re-runs a short search on save', async () => {
    const page = ed!.page;
    const view = await findIn(page, EDITED);
    const summary = (await view.locator('[data-testid="summary"]').innerText()).trim();
    assert.match(summary, /one 2-cycle/);
    const stale = view.locator('[data-testid="stale"]');
    const error = view.locator('[data-testid="error"]');

    // Break the model in the editor: the panel says so before anything is saved.
    await view.locator('a[data-testid="param-link"][data-param="W[1][0]"]').click();
    await page.waitForFunction(`(document.querySelector('[id="status.editor.selection"]')?.textContent ?? '').includes('3 selected')`, undefined, { timeout: 10_000 });
    await page.keyboard.type('1e999');
    await stale.waitFor({ state: 'visible' });
    await runCommand(page, 'File: Save');
    // The last run was short: saving ran it again, on the broken file.
    await error.filter({ hasText: /W\[1\]\[0\] is infinite/ }).waitFor({ timeout: RUN_TIMEOUT });
    await stale.waitFor({ state: 'detached' });

    // Fix it: the error panel says at once that the file changed, and saving clears it.
    await view.locator('a[data-testid="param-link"][data-param="W[1][0]"]').click();
    await page.waitForFunction(`(document.querySelector('[id="status.editor.selection"]')?.textContent ?? '').includes('5 selected')`, undefined, { timeout: 10_000 });
    await page.keyboard.type('0.9');
    await stale.waitFor({ state: 'visible' });
    assert.match(await stale.innerText(), /The file changed after this run: the error below is of the earlier text\. Re-run/);
    assert.ok(await error.isVisible(), 'the old error is still shown, under the notice');
    await clearNotifications(page);
    await screenshot(page, 'results-stale-error-light');
    await runCommand(page, 'File: Save');
    await done(view);
    await error.waitFor({ state: 'detached' });
    assert.equal((await view.locator('[data-testid="summary"]').innerText()).trim(), summary);
    assert.equal(fs.readFileSync(editedFile, 'utf8'), original, 'the file is back as it was');
  });

  it('says a plain search is heuristic and opens the certified search from the panel', async () => {
    const page = ed!.page;
    const view = await findIn(page, 'readme.shplrnn.json');
    const note = view.locator('[data-testid="heuristic-note"]');
    assert.equal(
      (await note.innerText()).trim(),
      'Fixed points complete (every region sequence solved); orders 2–10: heuristic search, other cycles may exist; the certified search can prove the list complete for orders 1–4 within a box. Run it…',
    );
    await clearNotifications(page);
    await scrollPanelToTop(page);
    await screenshot(page, 'results-heuristic-light');
    await view.locator('[data-testid="certify"]').click();
    await waitForInput(page, 'SCYFI: certified search');
    await page.keyboard.press('Escape');
    assert.equal(await note.isVisible(), true, 'cancelling the prompt runs nothing and keeps the result');
  });

  it('runs a certified search from the palette and says what was proven', async () => {
    const page = ed!.page;
    await openFile(page, 'readme.shplrnn.json');
    const box = await runCommandForInput(page, 'SCYFI: Find Fixed Points and Cycles (Certified)…', 'SCYFI: certified search');
    await box.fill('250');
    await page.keyboard.press('Enter');
    const view = await findWebview(page, 'h1', 'readme.shplrnn.json');
    const cert = view.locator('[data-testid="certificate"]');
    await cert.waitFor({ state: 'visible', timeout: RUN_TIMEOUT });
    await done(view);
    assert.equal((await cert.innerText()).trim(), 'Certified: complete (proven for orders 1–4 within ‖z‖∞ ≤ 250); orders 5–10: heuristic search only');
    await clearNotifications(page);
    await scrollPanelToTop(page);
    await screenshot(page, 'results-certified-light');
  });

  it('caused no Content Security Policy violations', () => {
    assert.deepEqual(cspViolations, []);
  });
});
