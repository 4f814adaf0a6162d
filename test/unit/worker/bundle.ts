// Worker threads cannot load TypeScript through tsx: the tests bundle their worker with esbuild,
// as scripts/build.mjs bundles dist/worker.js.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let built: Promise<string> | undefined;

/** The path of the bundled test worker (testWorker.ts), built once per test process. */
export function testWorkerFile(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scyfi-test-worker-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'worker.js');
    await build({
      entryPoints: [join(__dirname, 'testWorker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      mainFields: ['module', 'main'],
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}
