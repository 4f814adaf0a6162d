#!/usr/bin/env node
// Builds the separate bundles: extension host, worker thread, webview, CLI.
// Entries whose source does not exist yet are skipped.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url).pathname;
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// 'module' first: jsonc-parser's UMD main cannot be bundled (it requires its parts dynamically).
const node = { platform: 'node', target: 'node20', format: 'cjs', bundle: true, mainFields: ['module', 'main'], sourcemap: !production, minify: production, logLevel: 'warning' };
const entries = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/worker/worker.ts'], outfile: 'dist/worker.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', bundle: true, platform: 'browser',
    target: 'es2022', format: 'iife', sourcemap: !production, minify: production, logLevel: 'warning',
    // chartjs-plugin-zoom imports hammerjs for touch gestures only and works without it.
    alias: { hammerjs: './src/webview/noHammer.ts' },
  },
];

const present = entries.filter((e) => existsSync(root + e.entryPoints[0]));
// The HiGHS solver's WebAssembly (scyfi find --certify): the bundled CommonJS loader of the
// highs package looks for highs.wasm beside the running script, i.e. in dist/.
mkdirSync(root + 'dist', { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('highs/runtime'), root + 'dist/highs.wasm');
if (watch) {
  const { context } = await import('esbuild');
  for (const e of present) await (await context({ ...e, absWorkingDir: root })).watch();
  console.log('watching', present.map((e) => e.outfile).join(', '));
} else {
  await Promise.all(present.map((e) => build({ ...e, absWorkingDir: root })));
  console.log('built', present.map((e) => e.outfile).join(', '));
}
