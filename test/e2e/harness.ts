// Helpers for the real-editor tests: code-server (VS Code's server) with the extension installed,
// driven by Debian's Chromium through playwright-core. See docs/testing.md and
// ../shared/docs/real-editor-tests.md.
//
// Typical e2e test (mocha BDD, run by test/e2e/run.ts):
//
//   let ed: Editor;
//   before(async () => { ed = await startEditor({ theme: 'Default Dark Modern' }); });
//   after(async () => { await ed?.stop(); });
//   it('finds the cycles', async () => {
//     await openFile(ed.page, 'henon.json');
//     await runCommand(ed.page, 'SCYFI: Find Fixed Points and Cycles');
//     const view = webview(ed.page);
//     await view.locator('[data-testid="summary"]').waitFor();
//     await screenshot(ed.page, 'henon-dark');
//   });
//
// Every wait has a time limit; every process started here is killed when the test process exits.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');
export const SCREENSHOT_DIR = path.join(RESULTS_DIR, 'screenshots');
export const LOG_DIR = path.join(RESULTS_DIR, 'logs');
export const EXAMPLES = path.join(ROOT, 'examples');
export const EXTENSION_ID = 'scyfi-tools.scyfi-vscode';
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = process.env.SCYFI_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Default time limits (ms). Every wait below takes one of these unless told otherwise. */
export const TIMEOUTS = {
  serverStart: 60_000,
  install: 120_000,
  workbench: 90_000,
  ui: 20_000,
  stop: 10_000,
};

export const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' } as const;

// ------------------------------------------------------------------ processes

const liveGroups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

process.on('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    process.exit(128 + (os.constants.signals[sig] ?? 1));
  });
}

/** Records a process group in $SCYFI_PID_FILE so that a driver can kill it even if we die. */
function registerGroup(pid: number): void {
  liveGroups.add(pid);
  const file = process.env.SCYFI_PID_FILE;
  if (file) fs.appendFileSync(file, `${pid}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A free TCP port on 127.0.0.1 (the preferred one when it is free). */
export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => {
        const addr = srv.address();
        const got = typeof addr === 'object' && addr ? addr.port : null;
        srv.close(() => resolve(got));
      });
    });
  if (preferred) {
    const p = await tryPort(preferred);
    if (p) return p;
  }
  const p = await tryPort(0);
  if (!p) throw new Error('no free port on 127.0.0.1');
  return p;
}

// ------------------------------------------------------------------ code-server

export function toolsDir(): string {
  return path.resolve(process.env.SCYFI_TOOLS_DIR || path.join(ROOT, '.tools'));
}

export function codeServerEntry(): string {
  const entry = path.join(toolsDir(), `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server is not installed (${entry}): run \`node scripts/tools.mjs\``);
  return entry;
}

/** The .vsix that `npm run package` makes (override with $SCYFI_VSIX). */
export function defaultVsix(): string {
  if (process.env.SCYFI_VSIX) return path.resolve(process.env.SCYFI_VSIX);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
}

let logCounter = 0;

function logFile(name: string): string {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  return path.join(LOG_DIR, `${name}-${process.pid}-${++logCounter}.log`);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Keeps the `keep` most recent per-vsix extension folders. */
function pruneInstalls(parent: string, keep: number): void {
  if (!fs.existsSync(parent)) return;
  const dirs = fs
    .readdirSync(parent)
    .map((d) => path.join(parent, d))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  for (const d of dirs.slice(keep)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * Installs a .vsix into an extensions folder kept per vsix content under .tools/test-extensions/
 * (so each test server starts without reinstalling). Returns that folder.
 */
export function installVsix(vsix: string): string {
  if (!fs.existsSync(vsix)) throw new Error(`no ${vsix}: run \`npm run package\` first`);
  const hash = createHash('sha256').update(fs.readFileSync(vsix)).digest('hex').slice(0, 16);
  const dir = path.join(toolsDir(), 'test-extensions', hash);
  const stamp = path.join(dir, '.installed');
  if (fs.existsSync(stamp)) return dir;
  pruneInstalls(path.dirname(dir), 3);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ud = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-install-ud-'));
  const log = logFile('install-extension');
  const r = spawnSync(process.execPath, [codeServerEntry(), '--user-data-dir', ud, '--extensions-dir', dir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    timeout: TIMEOUTS.install,
    killSignal: 'SIGKILL',
  });
  fs.writeFileSync(log, `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  fs.rmSync(ud, { recursive: true, force: true });
  if (r.status !== 0 || !/was successfully installed|is already installed/.test(r.stdout ?? '')) {
    throw new Error(`installing ${vsix} failed (${r.error?.message ?? `exit ${r.status}`}); see ${log}:\n${tail(log)}`);
  }
  fs.writeFileSync(stamp, `${vsix}\n`);
  return dir;
}

export interface CodeServerOptions {
  /** Folder to open (default examples/). */
  workspace?: string;
  /** User settings (merged over quiet defaults). */
  settings?: Record<string, unknown>;
  /** Colour theme label, e.g. THEMES.dark. */
  theme?: string;
  /** A .vsix to install (default: the packaged extension); false: none (e.g. development path). */
  vsix?: string | false;
  /** Extra environment for the server (and so for its extension host). */
  env?: Record<string, string>;
  /** Port to prefer (a free one is taken when it is busy). */
  port?: number;
  /** Log name under test-results/logs/. */
  name?: string;
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  log: string;
  process: ChildProcess;
  /** Workbench URL for the workspace; extra query parameters appended. */
  url(query?: Record<string, string>): string;
  stop(): Promise<void>;
}

export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  // A test that types into an editor by mistake must not write the repository's examples.
  'files.autoSave': 'off',
};

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const entry = codeServerEntry();
  const workspace = path.resolve(opts.workspace ?? EXAMPLES);
  if (!fs.existsSync(workspace)) throw new Error(`no workspace folder ${workspace}`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-ud-'));
  const settings = { ...QUIET_SETTINGS, ...(opts.theme ? { 'workbench.colorTheme': opts.theme } : {}), ...opts.settings };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const vsix = opts.vsix === undefined ? defaultVsix() : opts.vsix;
  const extensionsDir = vsix ? installVsix(vsix) : fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-ext-'));
  const port = await freePort(opts.port);
  const log = logFile(opts.name ?? 'code-server');
  const out = fs.openSync(log, 'a');
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      workspace,
    ],
    { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...opts.env } },
  );
  fs.closeSync(out);
  if (!child.pid) throw new Error('code-server did not start');
  registerGroup(child.pid);
  let exited: string | null = null;
  child.once('exit', (code, sig) => {
    exited = `exit ${code ?? sig}`;
  });
  const origin = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    port,
    origin,
    workspace,
    userDataDir,
    extensionsDir,
    log,
    process: child,
    url(query = {}) {
      const q = new URLSearchParams({ folder: workspace, ...query });
      return `${origin}/?${q.toString()}`;
    },
    async stop() {
      const pid = child.pid as number;
      if (exited === null) {
        killGroup(pid, 'SIGTERM');
        const deadline = Date.now() + TIMEOUTS.stop;
        while (exited === null && Date.now() < deadline) await sleep(100);
      }
      killGroup(pid, 'SIGKILL'); // the server's children (extension host, pty host) too
      liveGroups.delete(pid);
      fs.rmSync(userDataDir, { recursive: true, force: true });
      if (!vsix) fs.rmSync(extensionsDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + TIMEOUTS.serverStart;
  for (;;) {
    if (exited !== null) throw new Error(`code-server stopped (${exited}) before it listened; see ${log}:\n${tail(log)}`);
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not listen on ${origin} within ${TIMEOUTS.serverStart / 1000} s; see ${log}:\n${tail(log)}`);
    }
    await sleep(250);
  }
  return server;
}

// ------------------------------------------------------------------ browser

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: run \`node scripts/tools.mjs\` (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

/** Pages of open workbenches (the e2e runner screenshots them when a test fails). */
export const livePages = new Set<Page>();

/** Opens the workbench at `url` and waits until it is ready (`.monaco-workbench`). */
export async function openWorkbench(browser: Browser, url: string, name = 'workbench'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  // code-server's page registers a service worker of its own (for installing it as an app) at the
  // origin's root. After a reload under load it took control of webview frames before theirs did
  // ("Found unexpected service worker controller" in the browser log), and a restored panel stayed
  // blank. The tests need no app install: the workbench page skips that registration; webview
  // frames register theirs as before.
  await context.addInitScript(`(() => {
    const sw = navigator.serviceWorker;
    if (!sw || window.top !== window) return;
    const register = sw.register.bind(sw);
    sw.register = (url, options) =>
      String(url).includes('/_static/out/browser/serviceWorker.js') ? Promise.reject(new Error('skipped by the e2e harness')) : register(url, options);
  })()`);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUTS.ui);
  const log = logFile(`browser-${name}`);
  const write = (line: string) => fs.appendFileSync(log, `${new Date().toISOString()} ${line}\n`);
  livePages.add(page);
  page.on('close', () => livePages.delete(page));
  page.on('console', (m) => write(`[console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => write(`[pageerror] ${e.message}`));
  await page.goto(url, { timeout: TIMEOUTS.workbench, waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: TIMEOUTS.workbench });
  // The status bar appears when the workbench has restored its parts.
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: TIMEOUTS.workbench });
  return page;
}

export interface Editor {
  server: CodeServer;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

/** code-server with the packaged extension + Chromium + a ready workbench on the workspace. */
export async function startEditor(opts: CodeServerOptions = {}): Promise<Editor> {
  const server = await startCodeServer(opts);
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await openWorkbench(browser, server.url(), opts.name);
    const b = browser;
    return {
      server,
      browser: b,
      page,
      async stop() {
        await b.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw e;
  }
}

// ------------------------------------------------------------------ workbench actions

const quickInput = (page: Page) => page.locator('.quick-input-widget');
const quickInputBox = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

async function openQuickInput(page: Page, prefix: string, timeout = TIMEOUTS.ui): Promise<void> {
  const box = quickInputBox(page);
  const deadline = Date.now() + timeout;
  // F1 can be lost while the workbench is still settling: retry (Escape first closes menus/dialogs).
  for (let attempt = 0; !(await box.isVisible()); attempt++) {
    if (Date.now() > deadline) {
      const shot = await screenshot(page, `palette-did-not-open-${Date.now()}`).catch(() => '');
      throw new Error(`the command palette (F1) did not open within ${timeout / 1000} s; screenshot ${shot}`);
    }
    if (attempt > 0) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await box.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
  }
  await box.fill(prefix);
}

async function closeQuickInput(page: Page): Promise<void> {
  if (await quickInput(page).isVisible()) {
    await page.keyboard.press('Escape');
    await quickInput(page).waitFor({ state: 'hidden' }).catch(() => undefined);
  }
}

/** Runs a command from the palette by its title, e.g. 'SCYFI: Find Fixed Points and Cycles'. */
/**
 * Types `path` into the editor's own open dialog (a path box). The dialog fills in its starting
 * folder a moment after it opens (later still after an earlier dialog of the session), so the
 * path is typed again until it stays for a second.
 */
export async function typeDialogPath(page: Page, path: string): Promise<void> {
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  for (let i = 0, steady = 0; i < 30 && steady < 4; i++) {
    if ((await box.inputValue()) !== path) {
      await box.fill(path);
      steady = 0;
    } else steady++;
    await page.waitForTimeout(300);
  }
  if ((await box.inputValue()) !== path) throw new Error(`the open dialog does not keep the path ${path}`);
}

export async function runCommand(page: Page, title: string, timeout = TIMEOUTS.ui): Promise<void> {
  await openQuickInput(page, `>${title}`, timeout);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }),
  });
  await row.first().waitFor({ state: 'visible', timeout });
  await row.first().click();
  // The palette closes, or (for a command that asks something, e.g. the theme picker) shows a new pick.
  // (tsconfig has no DOM lib: page functions are given as source text)
  const typed = JSON.stringify(`>${title}`);
  await page
    .waitForFunction(
      `(() => { const w = document.querySelector('.quick-input-widget');
                const i = document.querySelector('.quick-input-widget .quick-input-box input');
                return !w || w.style.display === 'none' || !i || i.value !== ${typed}; })()`,
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
}

/**
 * Runs a command that asks for text in an input box titled `boxTitle` and returns the box. A quick
 * input closes when the focus moves, and a webview focused by a tab click a moment earlier can take
 * the focus after the box opened: the command is run again until its box appears and stays open.
 */
export async function runCommandForInput(page: Page, title: string, boxTitle: string, attempts = 3): Promise<Locator> {
  const boxTitleRow = page.locator('.quick-input-widget .quick-input-title', { hasText: boxTitle });
  const box = quickInputBox(page);
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, title);
    if ((await staysVisible(page, boxTitleRow)) && (await box.isVisible())) return box;
    if (attempt === attempts) throw new Error(`"${title}" did not show its input box "${boxTitle}" in ${attempts} attempts`);
    await closeQuickInput(page);
  }
}

/** The input box titled `boxTitle` that something other than a command (a click in a panel) opened. */
export async function waitForInput(page: Page, boxTitle: string): Promise<Locator> {
  const boxTitleRow = page.locator('.quick-input-widget .quick-input-title', { hasText: boxTitle });
  if (!(await staysVisible(page, boxTitleRow))) throw new Error(`the input box "${boxTitle}" did not open`);
  return quickInputBox(page);
}

/** Whether `target` becomes visible within `timeout` and is still visible 400 ms later. */
async function staysVisible(page: Page, target: Locator, timeout = 8_000): Promise<boolean> {
  if (!(await target.waitFor({ state: 'visible', timeout }).then(() => true, () => false))) return false;
  await page.waitForTimeout(400);
  return target.isVisible();
}

/** Opens a workspace file by its path relative to the workspace folder (through Quick Open). */
export async function openFile(page: Page, relPath: string, timeout = TIMEOUTS.ui): Promise<void> {
  const base = path.basename(relPath);
  await openQuickInput(page, relPath, timeout);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(base)}\\s*$`) }),
  });
  const dir = path.dirname(relPath);
  const match = dir === '.' ? row : row.filter({ has: page.locator('.label-description', { hasText: dir }) });
  await match.first().waitFor({ state: 'visible', timeout });
  await match.first().click();
  await page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).waitFor({ state: 'visible', timeout });
  await closeQuickInput(page);
}

/** The content frame of a webview panel (the active one by default): two frames deep. */
export function webview(page: Page, index = 0): FrameLocator {
  return page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
}

/**
 * The content frame of the webview (among several open) that shows `selector` (with `hasText`),
 * e.g. findWebview(page, 'h1', 'plrnn.pt'). Waits up to `timeout` for one to appear.
 */
export async function findWebview(page: Page, selector: string, hasText?: string | RegExp, timeout = TIMEOUTS.ui): Promise<FrameLocator> {
  const frames = page.locator('iframe.webview.ready');
  const deadline = Date.now() + timeout;
  for (;;) {
    const n = await frames.count();
    for (let i = 0; i < n; i++) {
      const view = webview(page, i);
      if ((await view.locator(selector, hasText === undefined ? {} : { hasText }).count().catch(() => 0)) > 0) return view;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}${hasText ? ` with ${String(hasText)}` : ''} (${n} open) after ${timeout / 1000} s`);
    await sleep(250);
  }
}

/**
 * The status bar's selection text, e.g. "Ln 3, Col 5 (12 selected)". The status bar follows the
 * editor with a short delay: this waits until the text has stayed the same for 300 ms (5 s at most).
 */
export async function statusBarSelection(page: Page): Promise<string> {
  const item = page.locator('[id="status.editor.selection"]');
  await item.waitFor({ state: 'visible' });
  const deadline = Date.now() + 5_000;
  let last = (await item.innerText()).trim();
  for (;;) {
    await sleep(300);
    const now = (await item.innerText()).trim();
    if (now === last || Date.now() > deadline) return now;
    last = now;
  }
}

/** Waits until the status bar's selection text matches `expected`; returns the text. */
export async function waitForSelection(page: Page, expected: RegExp | string, timeout = TIMEOUTS.ui): Promise<string> {
  const item = page.locator('[id="status.editor.selection"]');
  await item.waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = (await item.innerText()).trim();
    if (typeof expected === 'string' ? text === expected : expected.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`status bar selection is ${JSON.stringify(text)}, expected ${String(expected)} (after ${timeout / 1000} s)`);
    await sleep(100);
  }
}

/** Parses the status bar selection text. */
export function parseSelection(text: string): { line: number; col: number; selected: number } {
  const m = /Ln (\d+), Col (\d+)(?: \((\d+) selected\))?/.exec(text);
  if (!m) throw new Error(`not a selection status: ${JSON.stringify(text)}`);
  return { line: Number(m[1]), col: Number(m[2]), selected: Number(m[3] ?? 0) };
}

/** Switches the colour theme via "Preferences: Color Theme" and waits until it applies. */
export async function setTheme(page: Page, theme: string): Promise<void> {
  // Rows are labelled e.g. "Dark Modern, Default Dark Modern" (label, theme id).
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${theme.replace(/"/g, '\\"')}"]`).first();
  // The picker closes if the focus moves while it opens (see runCommandForInput): open it again.
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Preferences: Color Theme');
    if (await staysVisible(page, quickInputBox(page))) {
      await quickInputBox(page).fill(theme);
      if (await staysVisible(page, row)) break;
    }
    if (attempt === 3) throw new Error(`the colour theme picker did not offer ${theme} in 3 attempts`);
    await closeQuickInput(page);
  }
  await row.click();
  await quickInput(page).waitFor({ state: 'hidden' }).catch(() => undefined);
  const dark = /dark|black/i.test(theme) && !/light/i.test(theme);
  const cls = dark ? /\bvs-dark\b|\bhc-black\b/ : /\bvs\b|\bhc-light\b/;
  await page.waitForFunction(
    `new RegExp(${JSON.stringify(cls.source)}).test(document.querySelector('.monaco-workbench')?.className ?? '')`,
    undefined,
    { timeout: TIMEOUTS.ui },
  );
}

/**
 * Reloads the window (as "Developer: Reload Window" does) and waits for the workbench. The service
 * workers of the old page's webviews are unregistered first: left in place, a restored webview can
 * wait for them forever ("Found unexpected service worker controller") and stay blank.
 */
export async function reloadWorkbench(page: Page): Promise<void> {
  await page
    .evaluate(`navigator.serviceWorker ? navigator.serviceWorker.getRegistrations().then((rs) => Promise.all(rs.map((r) => r.unregister()))).then(() => true) : true`)
    .catch(() => undefined);
  await page.reload({ waitUntil: 'domcontentloaded', timeout: TIMEOUTS.workbench });
  await page.locator('.monaco-workbench').waitFor({ state: 'attached', timeout: TIMEOUTS.workbench });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: TIMEOUTS.workbench });
}

/** Saves a screenshot as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Screenshot of a webview panel only (test-results/screenshots/<name>.png). */
export async function screenshotWebview(page: Page, name: string, index = 0): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.locator('iframe.webview.ready').nth(index).screenshot({ path: file });
  return file;
}

/**
 * Answers code-server's save dialog (a quick input holding the path): waits for it to propose a
 * path ending in `proposed`, replaces it by `target`, confirms, and waits until the file exists.
 */
export async function answerSaveDialog(page: Page, proposed: string, target: string, timeout = 15_000): Promise<void> {
  const box = quickInputBox(page);
  await box.waitFor({ state: 'visible' });
  // Wait for the dialog to propose its default (next to the model) before replacing it.
  await page.waitForFunction(`(document.querySelector('.quick-input-widget .quick-input-box input')?.value ?? '').endsWith(${JSON.stringify(proposed)})`, undefined, { timeout: 10_000 });
  await box.fill(target);
  await page.waitForFunction(`document.querySelector('.quick-input-widget .quick-input-box input')?.value === ${JSON.stringify(target)}`, undefined, { timeout: 5_000 });
  await page.keyboard.press('Enter');
  // The dialog checks the path asynchronously and may swallow an early Enter: confirm with OK then.
  const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ });
  for (let end = Date.now() + timeout, next = Date.now() + 1500; !fs.existsSync(target) && Date.now() < end; await sleep(200)) {
    if (Date.now() > next && (await ok.isVisible())) {
      await ok.click().catch(() => undefined);
      next = Date.now() + 2000;
    }
  }
  if (await box.isVisible()) await page.keyboard.press('Escape');
  if (!fs.existsSync(target)) throw new Error(`the save dialog did not write ${target} within ${timeout / 1000} s`);
}

/** Scrolls the rightmost webview (a panel beside the editor) back to its top with the mouse wheel. */
export async function scrollPanelToTop(page: Page): Promise<void> {
  const box = await page.locator('iframe.webview.ready').last().boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -20_000);
  await page.waitForTimeout(300);
}

/** Collects the Content Security Policy violations the page's console reports (the list grows as they come). */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

/** Closes notifications toasts so that they do not cover the panel in screenshots. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
