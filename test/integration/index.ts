// Entry of the integration suite inside a real extension host (code-server or desktop VS Code via
// @vscode/test-electron). Bundled by scripts/build-tests.mjs to out/integration/index.js, next to
// out/integration/suite/*.test.js (one bundle per test/integration/suite/*.test.ts).
//
// Results go, line by line, to $SCYFI_INTEGRATION_RESULTS (default test-results/integration.log):
// the extension host's console is not visible to the driver. The last line is
//   SCYFI-INTEGRATION-DONE passed=<n> failed=<n>
// and the driver (test/integration/runInCodeServer.ts) waits for it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export const DONE_MARKER = 'SCYFI-INTEGRATION-DONE';

function resultsFile(): string {
  return process.env.SCYFI_INTEGRATION_RESULTS ?? path.resolve(__dirname, '..', '..', 'test-results', 'integration.log');
}

export function run(): Promise<void> {
  const file = resultsFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
  const write = (line: string) => {
    fs.appendFileSync(file, `${line}\n`);
    console.log(line);
  };

  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.SCYFI_INTEGRATION_TIMEOUT ?? 60_000),
    // The lines below are the report (to the file and the console): no second one from mocha.
    reporter: class Quiet extends Mocha.reporters.Base {},
  });
  if (process.env.SCYFI_INTEGRATION_GREP) mocha.grep(process.env.SCYFI_INTEGRATION_GREP);

  const suiteDir = path.join(__dirname, 'suite');
  const files = fs.existsSync(suiteDir) ? fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort() : [];
  for (const f of files) mocha.addFile(path.join(suiteDir, f));
  write(`# integration: ${files.length} file(s): ${files.join(', ')}`);

  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    try {
      const runner = mocha.run((failures) => {
        write(`${DONE_MARKER} passed=${passed} failed=${failed}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
      const title = (t: Mocha.Runnable) => t.fullTitle();
      runner.on('suite', (s: Mocha.Suite) => {
        if (s.title) write(`  ${s.fullTitle()}`);
      });
      runner.on('pass', (t: Mocha.Test) => {
        passed++;
        write(`    ok ${title(t)} (${t.duration ?? 0} ms)`);
      });
      runner.on('fail', (t: Mocha.Runnable, err: Error) => {
        failed++;
        write(`    FAIL ${title(t)}`);
        for (const l of String(err?.stack ?? err).split('\n').slice(0, 12)) write(`      ${l}`);
      });
      runner.on('pending', (t: Mocha.Test) => write(`    skip ${title(t)}`));
    } catch (e) {
      // a suite file that throws while loading
      write(`    FAIL loading the suite: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      write(`${DONE_MARKER} passed=${passed} failed=${failed + 1}`);
      reject(e);
    }
  });
}
