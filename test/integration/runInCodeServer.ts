// Runs the integration suite (out/integration/index.js, built by scripts/build-tests.mjs) inside
// code-server's extension host, offline: code-server serves the workbench, Chromium opens it with
// the development payload (extensionDevelopmentPath + extensionTestsPath), the suite's run()
// writes its results to a file, and this driver streams that file until the closing line.
//
//   node --import tsx test/integration/runInCodeServer.ts [workspace]
//
// Writes test-results/integration.json {"passed": n, "failed": n}. Exit 0 when all passed.
// Time limit: $SCYFI_INTEGRATION_DEADLINE ms (default 6 minutes) for the whole suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { EXAMPLES, LOG_DIR, RESULTS_DIR, ROOT, launchBrowser, openWorkbench, screenshot, startCodeServer, type CodeServer } from '../e2e/harness';

const DONE = 'SCYFI-INTEGRATION-DONE';
const deadlineMs = Number(process.env.SCYFI_INTEGRATION_DEADLINE ?? 6 * 60_000);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function main(): Promise<number> {
  const workspace = path.resolve(process.argv[2] ?? EXAMPLES);
  const index = path.join(ROOT, 'out', 'integration', 'index.js');
  if (!fs.existsSync(index)) throw new Error(`no ${index}: run \`node scripts/build-tests.mjs\``);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // One results file per run (several runs may share a checkout); copied to integration.log at the end.
  const results = path.join(LOG_DIR, `integration-${process.pid}.log`);
  const finalLog = path.join(RESULTS_DIR, 'integration.log');
  const summary = path.join(RESULTS_DIR, 'integration.json');
  fs.mkdirSync(LOG_DIR, { recursive: true });
  fs.rmSync(results, { force: true });
  fs.rmSync(summary, { force: true });

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  try {
    server = await startCodeServer({
      workspace,
      vsix: false,
      name: 'code-server-integration',
      env: { SCYFI_INTEGRATION_RESULTS: results },
    });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server?.port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(index)],
    ]);
    console.log(`[integration] code-server on ${server.origin}, workspace ${workspace}`);
    browser = await launchBrowser();
    const page = await openWorkbench(browser, server.url({ payload }), 'integration');
    // A crashed extension host never reports: stop waiting at once (code-server logs its exit).
    const srv = server;
    const crashed = () => /Extension Host Process exited with code: .*/.exec(fs.readFileSync(srv.log, 'utf8'))?.[0] ?? '';
    console.log(`[integration] workbench ready after ${Math.round((Date.now() - started) / 1000)} s; waiting for the suite`);

    // Stream the results file until the closing line.
    let shown = 0;
    let done: RegExpExecArray | null = null;
    while (!done) {
      const text = fs.existsSync(results) ? fs.readFileSync(results, 'utf8') : '';
      const lines = text.split('\n');
      const complete = text.endsWith('\n') ? lines.length - 1 : lines.length - 1;
      for (; shown < complete; shown++) {
        console.log(lines[shown]);
        done = done ?? new RegExp(`^${DONE} passed=(\\d+) failed=(\\d+)`).exec(lines[shown]);
      }
      if (done) break;
      const crash = crashed();
      if (crash) {
        await sleep(2_000); // let the last lines arrive
        if (fs.existsSync(results) && new RegExp(`^${DONE} `, 'm').test(fs.readFileSync(results, 'utf8'))) continue;
        console.log(`[integration] FAIL: the extension host died before the suite finished (${crash}); server log ${server.log}`);
        failed++;
        break;
      }
      if (Date.now() - started > deadlineMs) {
        const shot = await screenshot(page, 'integration-timeout').catch(() => '(no screenshot)');
        console.log(`[integration] FAIL: no result after ${deadlineMs / 1000} s; screenshot ${shot}; server log ${server.log}`);
        failed++;
        break;
      }
      await sleep(250);
    }
    if (done) {
      passed += Number(done[1]);
      failed += Number(done[2]);
      if (passed + failed === 0) {
        console.log('[integration] FAIL: the suite ran no tests');
        failed++;
      }
    }
  } catch (e) {
    console.log(`[integration] FAIL: ${e instanceof Error ? e.message : String(e)}`);
    failed++;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  }
  if (fs.existsSync(results)) fs.copyFileSync(results, finalLog);
  fs.writeFileSync(summary, JSON.stringify({ passed, failed }) + '\n');
  console.log(`[integration] ${passed} passed, ${failed} failed (${Math.round((Date.now() - started) / 1000)} s)`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
