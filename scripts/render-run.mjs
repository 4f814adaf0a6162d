#!/usr/bin/env node
// Renders a training run's analysis (the JSON of `scyfi run --json`, or the run panel's Export
// JSON) to a PNG with the run panel's own page and chart code: dist/webview.js on a static page
// in headless Chromium, the report given to it as the extension would. For figures in the docs.
//
//   node scripts/render-run.mjs <run.json> <out.png> [--plot page|plots|loss|diagram|spectral]
//        [--theme light|dark] [--width 1100] [--max-order K] [--title NAME] [--coordinate N|norm]
//
// Needs `npm run build` (dist/webview.js) and Chromium (/usr/bin/chromium or SCYFI_CHROMIUM).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const argv = process.argv.slice(2);
const flags = new Map();
const positional = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith('--')) flags.set(argv[i].slice(2), argv[++i]);
  else positional.push(argv[i]);
}
const usage = 'usage: node scripts/render-run.mjs <run.json> <out.png> [--plot page|plots|loss|diagram|spectral] [--theme light|dark] [--width 1100] [--max-order K] [--title NAME] [--coordinate N|norm]';
if (positional.length !== 2) {
  console.error(usage);
  process.exit(2);
}
const [input, out] = positional;
const plot = flags.get('plot') ?? 'page';
const theme = flags.get('theme') ?? 'light';
const width = Number(flags.get('width') ?? 1100);
if (!['page', 'plots', 'loss', 'diagram', 'spectral'].includes(plot) || !['light', 'dark'].includes(theme) || !(width >= 300)) {
  console.error(usage);
  process.exit(2);
}
const bundle = join(root, 'dist', 'webview.js');
if (!existsSync(bundle)) {
  console.error(`${bundle} is missing: run npm run build first`);
  process.exit(1);
}
let report;
try {
  report = JSON.parse(readFileSync(input, 'utf8'));
} catch (e) {
  console.error(`${input}: ${e.message.split('\n')[0]}`);
  process.exit(1);
}
const maxOrder = Number(flags.get('max-order') ?? Math.max(1, ...(report.checkpoints ?? []).flatMap((c) => (c.cycles ?? []).map((y) => y.order))));
const state = {
  uri: `file://${resolve(input)}`,
  fileName: flags.get('title') ?? basename(dirname(resolve(input))),
  status: report.cancelled ? 'cancelled' : 'done',
  options: { maxOrder },
  steps: [],
  report,
};
const coordinate = flags.get('coordinate');
const view = coordinate === undefined ? {} : { coord: coordinate === 'norm' ? 'norm' : Number(coordinate) };

// The theme variables VS Code sets on the page (Default Light Modern / Default Dark Modern).
const THEMES = {
  light: {
    '--vscode-editor-background': '#ffffff',
    '--vscode-editor-foreground': '#3b3b3b',
    '--vscode-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#616161',
    '--vscode-editorWidget-border': '#e5e5e5',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-editor-selectionBackground': '#add6ff',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#652d90',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
  },
  dark: {
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-editorWidget-border': '#313131',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-editor-selectionBackground': '#264f78',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
  },
};
const vars = Object.entries(THEMES[theme])
  .map(([k, v]) => `${k}: ${v};`)
  .join(' ');
// The page's state comes as the saved state of a reload would: no host is needed.
const html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<style>html { ${vars} } body { background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); }</style>
<style>/* A figure, not a panel: no buttons, no sticky header over the plots. */ button, select { display: none !important; } header { position: static !important; }</style>
<style>${readFileSync(join(root, 'media', 'panel.css'), 'utf8')}</style>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, setState() {}, getState() { return ${JSON.stringify({ panel: state, view }).replace(/</g, '\\u003c')}; } });</script>
</head><body class="vscode-${theme}" data-view="run"><main id="app"></main>
<script>${readFileSync(bundle, 'utf8').replace(/<\/script/gi, '<\\/script')}</script></body></html>`;

const browser = await chromium.launch({ executablePath: process.env.SCYFI_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 2 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.stack ?? e.message));
  await page.setContent(html, { waitUntil: 'load' });
  await page.waitForFunction(`document.querySelector('canvas[data-testid="diagram"]')?.dataset.xRange`, undefined, { timeout: 20_000 }).catch(() => undefined);
  if (errors.length) throw new Error(`the page failed: ${errors[0]}`);
  const summary = await page.locator('[data-testid="summary"]').innerText();
  if (!/checkpoints/.test(summary)) throw new Error(`${input}: the page did not take it as a run (${summary || 'nothing shown'})`);
  await page.waitForTimeout(200);
  if (plot === 'page') await page.screenshot({ path: out, fullPage: true });
  else if (plot === 'plots') await page.locator('.run-plots').screenshot({ path: out });
  else await page.locator(`.card:has(canvas[data-testid="${plot}"])`).screenshot({ path: out });
  console.log(`${out}: ${summary}`);
} finally {
  await browser.close();
}
