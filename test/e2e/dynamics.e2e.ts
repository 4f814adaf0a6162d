// Dynamics in the results panel: on the invariant-circle example SCYFI finds only an unstable
// focus, and the panel says where trajectories go (the summary's sentence), draws them in the
// state plot, simulates from a clicked point, and paints the basins.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { THEMES, clearNotifications, findWebview, openFile, runCommand, screenshot, startEditor, webview, watchCsp, type Editor } from './harness';

const MODEL = 'invariant-circle.shplrnn.json';
const RUN_TIMEOUT = 90_000;

describe('SCYFI results panel: trajectories and basins (UI)', function () {
  this.timeout(240_000);
  let ed: Editor | undefined;
  let cspViolations: string[] = [];

  before(async () => {
    ed = await startEditor({ theme: THEMES.dark, name: 'code-server-dynamics' });
    cspViolations = watchCsp(ed.page);
  });

  after(async () => {
    await ed?.stop();
  });

  it('says in the summary that trajectories approach a quasi-periodic set, and draws them', async () => {
    const page = ed!.page;
    await openFile(page, MODEL);
    await runCommand(page, 'SCYFI: Find Fixed Points and Cycles');
    const view = webview(page);
    await view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });
    const summary = view.locator('[data-testid="summary"]', { hasText: 'quasi-periodic' });
    await summary.waitFor({ timeout: RUN_TIMEOUT });
    assert.equal(
      (await summary.innerText()).trim(),
      '1 fixed point (0 stable). Trajectories approach a set that is not a cycle of order ≤ 10: quasi-periodic (largest Lyapunov exponent ≈ 0.000).',
    );
    const caption = view.locator('.card', { has: view.locator('[data-testid="state-plot"]') }).locator('.caption');
    assert.match(await caption.innerText(), /Lines: 6 simulated trajectories, each from its ×/);
    await clearNotifications(page);
    const file = await screenshot(page, 'dynamics-trajectories');
    assert.ok(fs.statSync(file).size > 20_000, `${file} is a real image`);
  });

  it('a click on an empty spot of the state plot simulates a trajectory from there', async () => {
    const page = ed!.page;
    const view = webview(page);
    const box = await view.locator('[data-testid="state-plot"]').boundingBox();
    assert.ok(box, 'the state plot is on screen');
    // Near the top-left corner of the plot area: outside the circle, away from the focus.
    await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.2);
    const caption = view.locator('.card', { has: view.locator('[data-testid="state-plot"]') }).locator('.caption', { hasText: 'and 1 from clicked point' });
    await caption.waitFor({ timeout: 30_000 });
    await clearNotifications(page);
    await screenshot(page, 'dynamics-clicked');
  });

  it('"Basins…" paints the grid of starts: every start reaches the same bounded set', async () => {
    const page = ed!.page;
    const view = webview(page);
    await view.locator('button', { hasText: 'Basins…' }).click();
    const status = view.locator('[data-testid="basins-status"]', { hasText: /^50×50 starts/ });
    await status.waitFor({ timeout: RUN_TIMEOUT });
    const legend = await view.locator('[data-testid="basins-legend"] li').allInnerTexts();
    assert.deepEqual(legend.map((t) => t.trim()), ['other bounded set: 2500 starts']);
    await view.locator('[data-testid="basins"]').scrollIntoViewIfNeeded();
    await clearNotifications(page);
    const file = await screenshot(page, 'dynamics-basins');
    assert.ok(fs.statSync(file).size > 20_000, `${file} is a real image`);
  });

  it('on a 3-D multistable model the slice z1 × z2 splits between two stable 2-cycles, each in its colour', async () => {
    const page = ed!.page;
    await openFile(page, 'four-attractors.shplrnn.json');
    await runCommand(page, 'SCYFI: Find Fixed Points and Cycles');
    // Two results panels are open now: the second is this model's.
    const view = await findWebview(page, '[data-testid="summary"]', /nine 2-cycles/, RUN_TIMEOUT);
    await view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: RUN_TIMEOUT });
    await view.locator('button', { hasText: 'Basins…' }).click();
    await view.locator('[data-testid="basins-status"]', { hasText: /^50×50 starts/ }).waitFor({ timeout: RUN_TIMEOUT });
    const legend = (await view.locator('[data-testid="basins-legend"] li').allInnerTexts()).map((t) => t.trim());
    assert.equal(legend.length, 2, legend.join(' | '));
    for (const l of legend) assert.match(l, /^#\d+ 2-cycle \(stable node \(flip\)\): \d+ starts$/);
    const swatches = await view.locator('[data-testid="basins-legend"] .swatch').evaluateAll((els) => els.map((e) => (e as unknown as { style: { backgroundColor: string } }).style.backgroundColor));
    assert.notEqual(swatches[0], swatches[1], 'two basins, two colours');
    await view.locator('[data-testid="basins"]').scrollIntoViewIfNeeded();
    await clearNotifications(page);
    await screenshot(page, 'dynamics-basins-3d');
    assert.deepEqual(cspViolations, []);
  });
});
