// Smoke test of the e2e infrastructure: code-server with the packaged extension, Chromium, the
// workbench, the command palette, the theme switch and screenshots.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  findWebview,
  THEMES,
  openFile,
  parseSelection,
  runCommand,
  screenshot,
  setTheme,
  startEditor,
  statusBarSelection,
  waitForSelection,
  webview,
  type Editor,
} from './harness';

// Until the extension has code to package, the smoke test runs the workbench without it.

describe('e2e harness: workbench', () => {
  let ed: Editor | undefined;

  before(async () => {
    ed = await startEditor({ theme: THEMES.light, name: 'code-server-smoke' });
  });

  after(async () => {
    await ed?.stop();
  });

  it('loads the workbench on the examples/ workspace', async () => {
    const page = ed!.page;
    await page.locator('.part.activitybar').waitFor({ state: 'visible' });
    const title = await page.title();
    assert.match(title, /examples/i);
  });

  it('opens the command palette and runs a command by its title', async () => {
    const page = ed!.page;
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view').waitFor({ state: 'visible' });
  });

  it('lists the extension as installed', () => {
    const entries = fs.readdirSync(ed!.server.extensionsDir);
    assert.ok(entries.some((e) => e.startsWith('scyfi-tools.scyfi-vscode-')), `installed: ${entries.join(', ')}`);
  });

  it('opens a new editor and reads the status bar selection', async () => {
    const page = ed!.page;
    await runCommand(page, 'File: New Untitled Text File');
    await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
    await page.keyboard.type('hello scyfi');
    await page.keyboard.press('Shift+Home');
    await waitForSelection(page, /\(11 selected\)/);
    assert.match(await statusBarSelection(page), /Ln 1, Col 1 \(11 selected\)/);
  });

  it('switches theme and takes screenshots', async () => {
    const page = ed!.page;
    const light = await screenshot(page, 'smoke-workbench-light');
    await setTheme(page, THEMES.dark);
    const dark = await screenshot(page, 'smoke-workbench-dark');
    for (const f of [light, dark]) assert.ok(fs.statSync(f).size > 10_000, `${f} is a real image`);
  });
});

describe('e2e harness: files, selections and webviews', () => {
  let ed: Editor | undefined;
  let workspace = '';

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-smoke-ws-'));
    fs.mkdirSync(path.join(workspace, 'models'));
    fs.writeFileSync(path.join(workspace, 'models', 'tiny.json'), '{\n  "A": [0.5, 0.25],\n  "W": [[0, 1], [1, 0]]\n}\n');
    fs.writeFileSync(path.join(workspace, 'notes.md'), '# Smoke heading\n\nSome *text*.\n');
    ed = await startEditor({ workspace, vsix: false, theme: THEMES.dark, name: 'code-server-smoke-files' });
  });

  after(async () => {
    await ed?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('opens a file by its relative path and reads the selection', async () => {
    const page = ed!.page;
    await openFile(page, 'models/tiny.json');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+End');
    const text = await waitForSelection(page, /\(19 selected\)/);
    assert.deepEqual(parseSelection(text), { line: 2, col: 20, selected: 19 });
  });

  it('reaches inside a webview (markdown preview)', async () => {
    const page = ed!.page;
    await openFile(page, 'notes.md');
    await runCommand(page, 'Markdown: Open Preview');
    const h1 = webview(page).locator('h1');
    await h1.waitFor({ state: 'visible', timeout: 30_000 });
    const found = await findWebview(page, 'h1', 'Smoke heading');
    assert.equal(await found.locator('p em').innerText(), 'text');
    assert.equal((await h1.innerText()).trim(), 'Smoke heading');
    await screenshot(page, 'smoke-webview-dark');
  });
});
