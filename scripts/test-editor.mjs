#!/usr/bin/env node
// The real-editor stage of `npm test` (called by scripts/test.mjs; runnable alone):
//   1. tools: Debian packages + code-server (scripts/tools.mjs, cached in .tools/);
//   2. the extension: production build + .vsix (scripts/package.mjs);
//   3. integration suite inside code-server's extension host (test/integration/runInCodeServer.ts);
//   4. end-to-end UI tests through Chromium (test/e2e/run.ts).
// Streams everything; writes test-results/test-editor.json {"passed": n, "failed": n}.
// Every stage has a time limit; children run in their own process groups and are killed (with
// any code-server they started) on time-out, on failure, on Ctrl+C and at the end.
//
//   node scripts/test-editor.mjs [--only integration|e2e] [--grep <pattern>]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureTools } from './tools.mjs';
import { packageVsix } from './package.mjs';
import { buildTests } from './build-tests.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const results = join(root, 'test-results');
const summaryFile = join(results, 'test-editor.json');
const pidFile = join(results, '.editor-pids');
const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : null;
const minutes = (name, dflt) => Number(process.env[name] ?? dflt) * 60_000;

let passed = 0;
let failed = 0;
const children = new Set();
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // gone
  }
}

/** Kills the children's groups and every group they registered (code-servers). */
function killAll(signal = 'SIGKILL') {
  for (const c of children) killGroup(c.pid, signal);
  if (existsSync(pidFile)) {
    for (const line of readFileSync(pidFile, 'utf8').split('\n')) if (/^\d+$/.test(line)) killGroup(Number(line), signal);
  }
}

function finish(code) {
  killAll();
  rmSync(pidFile, { force: true });
  writeFileSync(summaryFile, JSON.stringify({ passed, failed }) + '\n');
  console.log(`[test-editor] ${passed} passed, ${failed} failed (${elapsed()})`);
  process.exit(code ?? (failed === 0 ? 0 : 1));
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.log(`[test-editor] ${sig}: stopping`);
    failed++;
    finish(1);
  });
}

/** Runs a stage in its own process group with a time limit; returns its {passed, failed}. */
async function stage(title, args, limitMs, countsFile) {
  console.log(`\n--- ${title} (limit ${limitMs / 60_000} min) ---`);
  rmSync(countsFile, { force: true });
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: { ...process.env, SCYFI_PID_FILE: pidFile },
  });
  children.add(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    console.log(`[test-editor] ${title}: time limit of ${limitMs / 60_000} min reached, killing it`);
    killGroup(child.pid, 'SIGTERM');
    setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5_000).unref();
  }, limitMs);
  const code = await new Promise((r) => child.on('close', (c, s) => r(c ?? s)));
  clearTimeout(timer);
  killGroup(child.pid, 'SIGKILL'); // anything it left behind in its group
  children.delete(child);
  let counts = { passed: 0, failed: 0 };
  try {
    counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  } catch {
    // died before counting
  }
  if ((code !== 0 || timedOut) && counts.failed === 0) counts.failed = 1;
  console.log(`[test-editor] ${title}: ${counts.passed} passed, ${counts.failed} failed${timedOut ? ' (timed out)' : ''} [${elapsed()}]`);
  passed += counts.passed;
  failed += counts.failed;
}

mkdirSync(results, { recursive: true });
rmSync(summaryFile, { force: true });
// Screenshots and logs of this run only (a stale FAILED-*.png would mislead).
for (const d of ['screenshots', 'logs']) rmSync(join(results, d), { recursive: true, force: true });
rmSync(pidFile, { force: true });

try {
  console.log('--- tools ---');
  const tools = ensureTools();
  console.log(`[test-editor] code-server ${tools.codeServerEntry} [${elapsed()}]`);
  await buildTests();
} catch (e) {
  console.log(`[test-editor] FAIL preparing the editor tests: ${e instanceof Error ? e.message : String(e)}`);
  failed++;
  finish(1);
}

// The .vsix for the e2e tests (the integration suite loads the extension from dist/ instead).
let packaged = false;
console.log('\n--- package ---');
if (!existsSync(join(root, 'src', 'extension', 'extension.ts'))) {
  console.log('[test-editor] no src/extension/extension.ts yet: nothing to package; the e2e tests run without the extension');
  packaged = true;
} else {
  try {
    const vsix = packageVsix();
    process.env.SCYFI_VSIX = vsix;
    packaged = true;
    console.log(`[test-editor] ${vsix} [${elapsed()}]`);
  } catch (e) {
    console.log(`[test-editor] FAIL packaging the extension: ${e instanceof Error ? e.message : String(e)}`);
    failed++;
    if (!existsSync(join(root, 'dist', 'extension.js'))) {
      console.log('[test-editor] no dist/extension.js either: nothing to test');
      finish(1);
    }
  }
}

const tsx = ['--import', 'tsx'];
if (grep) {
  process.env.SCYFI_INTEGRATION_GREP = grep;
  process.env.SCYFI_E2E_GREP = grep;
}
if (only !== 'e2e') {
  const limit = minutes('SCYFI_INTEGRATION_MINUTES', 6);
  process.env.SCYFI_INTEGRATION_DEADLINE = String(limit - 30_000);
  await stage('integration tests in code-server', [...tsx, 'test/integration/runInCodeServer.ts'], limit, join(results, 'integration.json'));
}
if (only !== 'integration' && !packaged) {
  console.log('\n[test-editor] e2e tests skipped: no .vsix (see the packaging failure above)');
} else if (only !== 'integration') {
  await stage('e2e tests in Chromium', [...tsx, 'test/e2e/run.ts'], minutes('SCYFI_E2E_MINUTES', 10), join(results, 'e2e.json'));
}
await delay(100);
finish();
