// Sweeps through the UI: from a parameter's code lens (QuickPick of its entries, then the range
// box) and from the palette; the sweep panel's diagram, legend and events table; an event's link
// selecting the swept entry in the editor; zoom; a step's cycles; a checkpoint swept from its
// viewer and an event's model saved as a JSON model; the 2-D map; screenshots in both themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { EXAMPLES, THEMES, answerSaveDialog, clearNotifications, findWebview, openFile, parseSelection, runCommand, screenshot, scrollPanelToTop, setTheme, startEditor, waitForSelection, watchCsp, type Editor } from './harness';

const MODEL = 'skew-tent.plrnn.json';
const RUN_TIMEOUT = 90_000;

const quickInputBox = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

/** Picks the QuickPick row labelled `label` (typing it first to filter), once the pick titled `title` shows. */
async function pick(page: Page, label: string, title: RegExp = /SCYFI: sweep an entry of /): Promise<void> {
  const box = quickInputBox(page);
  // The box of the step before may still be closing: wait for this pick's own title.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
  await box.waitFor({ state: 'visible' });
  await box.fill(label);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) });
  await row.first().waitFor({ state: 'visible' });
  await row.first().click();
}

/** Answers the input box that follows, after checking what it proposes. */
async function answer(page: Page, proposed: RegExp, text: string): Promise<void> {
  const box = quickInputBox(page);
  await page.waitForFunction(
    `new RegExp(${JSON.stringify(proposed.source)}).test(document.querySelector('.quick-input-widget .quick-input-box input')?.value ?? '')`,
    undefined,
    { timeout: 20_000 },
  );
  await box.fill(text);
  await page.keyboard.press('Enter');
}

async function sweepPanel(page: Page, title: RegExp): Promise<FrameLocator> {
  await page.locator('.tab', { hasText: title }).first().click();
  const view = await findWebview(page, '[data-testid="summary"]', title.source.includes('Map') ? /×/ : /steps/, 60_000);
  await view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });
  return view;
}


describe('SCYFI sweep panel (UI)', function () {
  this.timeout(240_000);
  let ed: Editor | undefined;
  let cspViolations: string[] = [];

  // The example models as they were: nothing here may write them (an event's value is set only in a copy, in the integration tests).
  const examples = ['skew-tent.plrnn.json', 'checkpoints/plrnn.pt'].map((f) => [f, fs.readFileSync(path.join(EXAMPLES, f))] as const);

  before(async () => {
    ed = await startEditor({ theme: THEMES.light, name: 'code-server-sweep' });
    cspViolations = watchCsp(ed.page);
  });

  after(async () => {
    await ed?.stop();
  });

  it('sweeps W[0][0] from its code lens and shows the diagram and the events', async () => {
    const page = ed!.page;
    await openFile(page, MODEL);
    const lens = page.locator('.codelens-decoration a', { hasText: 'Sweep W…' });
    await lens.waitFor({ state: 'visible', timeout: 30_000 });
    await lens.click();
    await pick(page, 'W[0][0]');
    // W[0][0] is −2.2: the range proposed is −2.2 ± 2.2.
    await answer(page, /^-4\.4 0 100$/, '1.3 -6.2 76');
    const view = await sweepPanel(page, /Sweep W\[0\]\[0\]/);
    assert.match(await view.locator('[data-testid="summary"]').innerText(), /W\[0\]\[0\] from 1\.3 to -6\.2: 76 steps, orders 1–4 · 4 branches · 4 events/);
    const rows = view.locator('[data-testid="events-table"] tbody tr[data-testid="event-row"]');
    assert.equal(await rows.count(), 4);
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')));
    // Sorted by value, smallest first.
    assert.deepEqual(kinds, ['border-collision', 'degenerate-flip', 'degenerate-flip', 'degenerate-transcritical']);
    assert.deepEqual(await view.locator('[data-testid="events-table"] [data-testid="event-set"]').allInnerTexts(), ['Set W[0][0] to -6.2', 'Set W[0][0] to -5.2', 'Set W[0][0] to -1.2', 'Set W[0][0] to 0.8']);
    await view.locator('[data-testid="diagram"]').waitFor({ state: 'visible' });
    await view.locator('[data-testid="spectral"]').waitFor({ state: 'visible' });
    const legend = await view.locator('[data-testid="legend"]').innerText();
    for (const w of ['fixed points', '2-cycles', '3-cycles', '4-cycles', 'stable', 'unstable', 'degenerate flip']) assert.ok(legend.includes(w), `the legend names ${w}: ${legend}`);
  });

  it('exports the sweep as CSV (a row per step and cycle point) and as JSON (the SweepResult)', async () => {
    const page = ed!.page;
    const view = await sweepPanel(page, /Sweep W\[0\]\[0\]/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-sweep-export-'));
    await view.locator('button', { hasText: 'Export CSV' }).click();
    await answerSaveDialog(page, 'sweep-W[0][0].csv', path.join(dir, 's.csv'));
    const lines = fs.readFileSync(path.join(dir, 's.csv'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'step,W[0][0],t,branch,order,point,stable,classification,spectral_radius,eigenvalues,region,z1');
    await view.locator('button', { hasText: 'Export JSON' }).click();
    await answerSaveDialog(page, 'sweep-W[0][0].json', path.join(dir, 's.json'));
    const r = JSON.parse(fs.readFileSync(path.join(dir, 's.json'), 'utf8'));
    assert.equal(r.steps.length, 76);
    assert.equal(r.events.length, 4);
    const points = r.steps.reduce((a: number, s: { cycles: { order: number }[] }) => a + s.cycles.reduce((b, c) => b + c.order, 0), 0);
    assert.equal(lines.length, 1 + points, 'one row per step and cycle point');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("an event's link selects the swept entry in the model file", async () => {
    const page = ed!.page;
    const view = await sweepPanel(page, /Sweep W\[0\]\[0\]/);
    await view.locator('tr[data-kind="degenerate-transcritical"] [data-testid="event-link"]').click();
    const text = fs.readFileSync(path.join(EXAMPLES, MODEL), 'utf8');
    const at = text.indexOf('-2.2');
    const before = text.slice(0, at).split('\n');
    const sel = parseSelection(await waitForSelection(page, /\(4 selected\)/));
    assert.deepEqual(sel, { line: before.length, col: before[before.length - 1].length + 1 + '-2.2'.length, selected: 4 });
  });

  it('saves screenshots of the sweep panel in the light and dark theme', async () => {
    const page = ed!.page;
    await clearNotifications(page);
    const view = await sweepPanel(page, /Sweep W\[0\]\[0\]/);
    // The crosshair and its readout follow the mouse over the diagram.
    const box = await view.locator('[data-testid="diagram"]').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await view.locator('[data-testid="readout"]', { hasText: /W\[0\]\[0\] = .*, z1 = / }).waitFor();
    await scrollPanelToTop(page);
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    const light = await screenshot(page, 'sweep-light');
    await setTheme(page, THEMES.dark);
    await view.locator('body.vscode-dark').waitFor({ state: 'attached' });
    await page.waitForTimeout(500);
    await scrollPanelToTop(page);
    const dark = await screenshot(page, 'sweep-dark');
    for (const f of [light, dark]) assert.ok(fs.statSync(f).size > 20_000, `${f} is a real image`);
    await view.locator('[data-testid="spectral"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'sweep-spectral-dark');
    await view.locator('[data-testid="events-table"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'sweep-events-dark');
  });

  it('zooms into a box dragged on the diagram and back with Reset zoom', async () => {
    const page = ed!.page;
    const view = await sweepPanel(page, /Sweep W\[0\]\[0\]/);
    const diagram = view.locator('[data-testid="diagram"]');
    await diagram.scrollIntoViewIfNeeded();
    const range = async () => (await diagram.getAttribute('data-x-range'))!.split(' ').map(Number);
    // The path from −6.2 to 1.3 and 1.5 % of it on either side.
    const whole = [-6.2 - 0.1125, 1.3 + 0.1125];
    const near = (a: number[], b: number[]) => a.length === 2 && a.every((x, i) => Math.abs(x - b[i]) < 1e-9);
    assert.ok(near(await range(), whole), `the whole path: ${await range()}`);
    const box = (await diagram.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
    await page.mouse.up();
    let zoomed: number[] = [];
    for (const end = Date.now() + 5000; Date.now() < end; await page.waitForTimeout(100)) {
      zoomed = await range();
      if (!near(zoomed, whole)) break;
    }
    assert.ok(zoomed[0] > whole[0] && zoomed[1] < whole[1] && zoomed[1] - zoomed[0] < 3.5, `zoomed to ${zoomed}`);
    // The spectral radius plot follows the diagram's x range.
    assert.deepEqual((await view.locator('[data-testid="spectral"]').getAttribute('data-x-range'))!.split(' ').map(Number), zoomed);
    await view.locator('button', { hasText: 'Reset zoom' }).first().click();
    for (const end = Date.now() + 5000; Date.now() < end && !near(await range(), whole); ) await page.waitForTimeout(100);
    assert.ok(near(await range(), whole), `back to the whole path: ${await range()}`);
  });

  it('opens the cycles of a step chosen on the diagram with the keyboard', async () => {
    const page = ed!.page;
    await setTheme(page, THEMES.light);
    const view = await sweepPanel(page, /Sweep W\[0\]\[0\]/);
    const diagram = view.locator('[data-testid="diagram"]');
    await diagram.scrollIntoViewIfNeeded();
    await diagram.focus();
    // The first step with an object: W[0][0] = 0.7 (a_r = 0.9), the fixed point 1/(1 − 0.9) = 10.
    await page.keyboard.press('ArrowRight');
    await view.locator('[data-testid="readout"]', { hasText: /^step 6: W\[0\]\[0\] = 0\.7, 1 object/ }).waitFor();
    await page.keyboard.press('Enter');
    // That step's model opens as an untitled JSON model, and its search in a results panel.
    const results = await findWebview(page, '[data-testid="summary"]', '1 fixed point (1 stable)', 60_000);
    await results.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });
    assert.match(await results.locator('[data-testid="cycles-table"] tbody [data-col="points"]').first().innerText(), /^\(10\)/);
    await page.locator('.tab', { hasText: /^\s*Untitled-\d+/ }).first().waitFor();
  });

  it('sweeps an entry chosen in the palette (QuickPick and range box)', async () => {
    const page = ed!.page;
    await page.locator(`.tab[data-resource-name="${MODEL}"]`).first().click();
    await runCommand(page, 'SCYFI: Sweep Parameter…');
    await pick(page, 'A[0]');
    // A[0] is 0.2: 0.2 ± 0.5.
    await answer(page, /^-0\.3 0\.7 100$/, '-0.3 0.7 40');
    const view = await sweepPanel(page, /Sweep A\[0\]/);
    assert.match(await view.locator('[data-testid="summary"]').innerText(), /A\[0\] from -0\.3 to 0\.7: 40 steps/);
    await view.locator('[data-testid="events-table"], .events-host p').first().waitFor();
    // The sweep of W[0][0] keeps its own panel.
    assert.equal(await page.locator('.tab', { hasText: /Sweep W\[0\]\[0\]/ }).count(), 1);
  });

  it("the results panel's parameter list offers a sweep of that parameter's entries", async () => {
    const page = ed!.page;
    await page.locator(`.tab[data-resource-name="${MODEL}"]`).first().click();
    await runCommand(page, 'SCYFI: Find Fixed Points and Cycles');
    // The results panel of this file (the one of a step's untitled model is open too).
    const results = await findWebview(page, 'body:has([data-testid="cycles-table"]) h1', MODEL, 60_000);
    await results.locator('.param-head', { has: results.locator('a[data-param="h"]') }).locator('[data-testid="sweep-param"]').click();
    await quickInputBox(page).waitFor({ state: 'visible' });
    assert.match(await quickInputBox(page).getAttribute('aria-label') ?? '', /sweep an entry of skew-tent\.plrnn\.json/);
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    assert.equal(await rows.count(), 1, 'only the entries of h');
    assert.equal((await rows.first().locator('.label-name').first().innerText()).trim(), 'h[0]');
    await page.keyboard.press('Escape');
  });

  it('maps two entries on a grid', async () => {
    const page = ed!.page;
    await page.locator(`.tab[data-resource-name="${MODEL}"]`).first().click();
    await runCommand(page, 'SCYFI: Sweep Two Parameters (2-D Map)…');
    await pick(page, 'W[0][0]', /the entry on the x axis/);
    await answer(page, /^-4\.4 0 40$/, '-6 1.5 60');
    await pick(page, 'A[0]', /the entry on the y axis/);
    await answer(page, /^-0\.3 0\.7 40$/, '-0.5 0.9 40');
    const view = await sweepPanel(page, /Map W\[0\]\[0\] × A\[0\]/);
    assert.match(await view.locator('[data-testid="summary"]').innerText(), /W\[0\]\[0\] × A\[0\] on a 60×40 grid/);
    await view.locator('[data-testid="map"]').waitFor({ state: 'visible' });
    const box = await view.locator('[data-testid="map"]').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await view.locator('[data-testid="map-readout"]', { hasText: /W\[0\]\[0\] = .*A\[0\] = .*: / }).waitFor();
    await clearNotifications(page);
    await scrollPanelToTop(page);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await screenshot(page, 'sweep-map-light');
  });

  it("sweeps a checkpoint from the viewer's button and saves an event's model as a JSON model", async () => {
    const page = ed!.page;
    await openFile(page, 'checkpoints/plrnn.pt');
    const viewer = await findWebview(page, 'h1', 'plrnn.pt', 30_000);
    await viewer.locator('button', { hasText: 'Sweep parameter…' }).click();
    await pick(page, 'W[1][0]');
    await answer(page, /^-?[\d.]+ [\d.]+ 100$/, '-2 2 100');
    const view = await sweepPanel(page, /Sweep W\[1\]\[0\]: plrnn\.pt/);
    assert.match(await view.locator('[data-testid="summary"]').innerText(), /W\[1\]\[0\] from -2 to 2: 100 steps, orders 1–4 · 5 branches · 4 events/);
    // M = 3: the norm of the points instead of a coordinate.
    await view.locator('[data-testid="coordinate"]').selectOption('norm');
    await view.locator('[data-testid="readout"]').waitFor();
    const flip = view.locator('tr[data-kind="degenerate-flip"] + tr [data-testid="event-set"]');
    const label = await flip.innerText();
    const m = /^Save as JSON model with W\[1\]\[0\] = (-?[\d.]+)$/.exec(label);
    assert.ok(m, label);
    await clearNotifications(page);
    await scrollPanelToTop(page);
    await screenshot(page, 'sweep-checkpoint-light');
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-model-')), 'flip.model.json');
    await flip.click();
    await answerSaveDialog(page, '.model.json', target);
    const saved = JSON.parse(fs.readFileSync(target, 'utf8'));
    assert.equal(saved.architecture, 'plrnn');
    assert.equal(saved.W[1][0], Number(m[1]));
    assert.match(saved.$schema, /model\.schema\.json$/);
    // The saved model opens in an editor.
    await page.locator('.tab', { hasText: 'flip.model.json' }).first().waitFor();
    fs.rmSync(path.dirname(target), { recursive: true, force: true });
  });

  it('left the example models as they were', () => {
    for (const [f, bytes] of examples) assert.ok(fs.readFileSync(path.join(EXAMPLES, f)).equals(bytes), f);
  });

  it('caused no Content Security Policy violations', () => {
    assert.deepEqual(cspViolations, []);
  });
});
