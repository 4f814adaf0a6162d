// Dynamics in the results panel: on the invariant-circle example SCYFI finds only an unstable
// focus, and the panel says where trajectories go (the summary's sentence), draws them in the
// state plot, simulates from a clicked point, and paints the basins.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { THEMES, clearNotifications, openFile, runCommand, screenshot, startEditor, webview, watchCsp, type Editor } from './harness';

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
    assert.deepEqual(cspViolations, []);
  });
});
