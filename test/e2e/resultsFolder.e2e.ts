// A shard plan's folder through the UI: "SCYFI: Open Results Folder…" from the palette, the folder
// chosen in the editor's own open dialog, the 2-D map with the missing shard as a gap, then
// filled in when the last shard file arrives; screenshots of both.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLES, ROOT, THEMES, clearNotifications, findWebview, openFile, runCommand, screenshot, scrollPanelToTop, startEditor, typeDialogPath, watchCsp, type Editor } from './harness';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function scyfi(...args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `scyfi ${args.join(' ')}: ${r.stderr}`);
}

describe('SCYFI results folder (UI)', function () {
  this.timeout(240_000);
  let ed: Editor | undefined;
  let ws: string;
  let folder: string;
  let csp: string[] = [];

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-results-ui-'));
    fs.copyFileSync(path.join(EXAMPLES, 'skew-tent.plrnn.json'), path.join(ws, 'model.json'));
    folder = path.join(ws, 'map');
    scyfi('sweep2d', path.join(ws, 'model.json'), '--x', 'W[0][0]', '--x-range', '-6:1.5:40', '--y', 'A[0]', '--y-range', '-0.5:0.9:24', '--max-order', '4', '--shards', '4', '--out', folder);
    for (const k of ['0', '1', '3']) scyfi('shard', folder, k);
    ed = await startEditor({ theme: THEMES.light, name: 'code-server-results', workspace: ws });
    csp = watchCsp(ed.page);
  });

  after(async () => {
    await ed?.stop();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  it('opens a partial map with the missing shard as a gap, and completes it when the shard arrives', async () => {
    const page = ed!.page;
    // The extension is up once a JSON model shows its code lenses (the palette lists its commands then).
    await openFile(page, 'model.json');
    await page.locator('.codelens-decoration a', { hasText: 'Sweep W…' }).first().waitFor({ timeout: 60_000 });
    await runCommand(page, 'SCYFI: Open Results Folder…');
    // The editor's own open dialog: a path box; type the folder, then confirm (Enter, or OK).
    await typeDialogPath(page, folder + '/');
    await page.keyboard.press('Enter');
    const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ });
    const tab = page.locator('.tab', { hasText: /Map W\[0\]\[0\] × A\[0\]/ });
    for (let end = Date.now() + 30_000; !(await tab.count()) && Date.now() < end; await page.waitForTimeout(300)) {
      if (await ok.isVisible().catch(() => false)) await ok.click().catch(() => undefined);
    }
    await tab.first().waitFor({ timeout: 30_000 });
    const view = await findWebview(page, '[data-testid="summary"]', /×/, 60_000);
    await view.locator('[data-testid="status"]', { hasText: /cancelled/ }).waitFor({ timeout: 30_000 });
    await view.getByText(/3 of 4 shards of map merged: shard 2 \(rows 12–17\) missing/).waitFor();
    assert.match(await view.locator('[data-testid="summary"]').innerText(), /40×24 grid/);
    await view.locator('[data-testid="map"]').waitFor({ state: 'visible' });
    await clearNotifications(page);
    await scrollPanelToTop(page);
    await screenshot(page, 'results-folder-partial-light');

    scyfi('shard', folder, '2');
    await view.locator('[data-testid="status"]', { hasText: /^done$/ }).waitFor({ timeout: 60_000 });
    await scrollPanelToTop(page);
    await screenshot(page, 'results-folder-merged-light');
    assert.deepEqual(csp, []);
  });
});
