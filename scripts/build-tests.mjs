#!/usr/bin/env node
// Bundles the integration suite for a real extension host:
//   test/integration/index.ts          -> out/integration/index.js        (mocha bundled in)
//   test/integration/suite/*.test.ts   -> out/integration/suite/*.test.js (one bundle each)
// `vscode` stays external (the extension host provides it). A suite file that imports from
// 'mocha' gets the globals of the running mocha (a shim), never a second copy of mocha.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outdir = join(root, 'out', 'integration');

const mochaGlobals = ['describe', 'it', 'before', 'after', 'beforeEach', 'afterEach', 'context', 'specify', 'xdescribe', 'xit', 'suite', 'test', 'setup', 'teardown', 'suiteSetup', 'suiteTeardown'];
const mochaShim = {
  name: 'mocha-globals',
  setup(b) {
    b.onResolve({ filter: /^mocha$/ }, () => ({ path: 'mocha', namespace: 'mocha-globals' }));
    b.onLoad({ filter: /.*/, namespace: 'mocha-globals' }, () => ({
      loader: 'js',
      contents: mochaGlobals.map((k) => `Object.defineProperty(exports, ${JSON.stringify(k)}, { enumerable: true, get: () => globalThis[${JSON.stringify(k)}] });`).join('\n'),
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode'],
  logLevel: 'warning',
  // mocha's parallel mode (not used here) resolves files of its own at run time
  logOverride: { 'require-resolve-not-external': 'silent' },
};

export async function buildTests() {
  rmSync(outdir, { recursive: true, force: true });
  const suiteDir = join(root, 'test', 'integration', 'suite');
  const suites = existsSync(suiteDir) ? readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).sort() : [];
  await build({ ...common, entryPoints: ['test/integration/index.ts'], outfile: join(outdir, 'index.js') });
  await Promise.all(
    suites.map((f) =>
      build({ ...common, plugins: [mochaShim], entryPoints: [join('test', 'integration', 'suite', f)], outfile: join(outdir, 'suite', f.replace(/\.ts$/, '.js')) }),
    ),
  );
  console.log(`built out/integration/index.js and ${suites.length} suite file(s)`);
  return { index: join(outdir, 'index.js'), suites };
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  await buildTests();
}
