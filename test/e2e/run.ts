// Runs the end-to-end UI tests (test/e2e/*.e2e.ts, mocha BDD) in this process, loaded by tsx:
//
//   node --import tsx test/e2e/run.ts [--grep <pattern>] [file.e2e.ts ...]
//
// Each file starts its own code-server + Chromium through ./harness (the packaged .vsix must exist:
// `npm run package`). Writes test-results/e2e.json {"passed": n, "failed": n}; exit 0 when all passed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { RESULTS_DIR, livePages, screenshot } from './harness';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const grepAt = args.indexOf('--grep');
  const grep = grepAt >= 0 ? args.splice(grepAt, 2)[1] : process.env.SCYFI_E2E_GREP;
  const files = args.length
    ? args.map((f) => path.resolve(f))
    : fs
        .readdirSync(__dirname)
        .filter((f) => f.endsWith('.e2e.ts'))
        .sort()
        .map((f) => path.join(__dirname, f));

  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: Number(process.env.SCYFI_E2E_TIMEOUT ?? 180_000), slow: 20_000 });
  if (grep) mocha.grep(grep);
  // A failed test leaves a screenshot of every open workbench: test-results/screenshots/FAILED-*.png
  mocha.rootHooks({
    async afterEach(this: Mocha.Context) {
      const t = this.currentTest;
      if (t?.state !== 'failed') return;
      let i = 0;
      for (const page of livePages) {
        const file = await screenshot(page, `FAILED-${t.fullTitle()}-${i++}`).catch(() => null);
        if (file) console.log(`      screenshot: ${path.relative(process.cwd(), file)}`);
      }
    },
  });
  for (const f of files) mocha.addFile(f);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const summary = path.join(RESULTS_DIR, 'e2e.json');
  fs.rmSync(summary, { force: true });

  let passed = 0;
  let failed = 0;
  if (files.length === 0) console.log('[e2e] no test/e2e/*.e2e.ts files');
  try {
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', () => passed++);
      runner.on('fail', () => failed++);
    });
  } catch (e) {
    console.log(`[e2e] FAIL loading the tests: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    failed++;
  }
  fs.writeFileSync(summary, JSON.stringify({ passed, failed }) + '\n');
  console.log(`[e2e] ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
