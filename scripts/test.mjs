#!/usr/bin/env node
// `npm test`: lint, type-check, build, then every test suite headless.
// Ends with one line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit-only');

let passed = 0;
let failed = 0;

function run(title, cmd, cmdArgs, opts = {}) {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts });
  return r.status === 0;
}

function step(title, cmd, cmdArgs) {
  if (run(title, cmd, cmdArgs)) passed++;
  else failed++;
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out.sort();
}

step('lint', 'npx', ['eslint', '.']);
step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
step('build', 'node', ['scripts/build.mjs']);

// Unit and property tests: node's test runner, TypeScript loaded by tsx.
mkdirSync(join(root, 'test-results'), { recursive: true });
const tap = join(root, 'test-results', 'unit.tap');
const unitFiles = findTests(join(root, 'test', 'unit'));
run('unit tests', 'node', [
  '--import', 'tsx', '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...unitFiles,
]);
const tapText = readFileSync(tap, 'utf8');
const count = (key) => Number((tapText.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
if (count('tests') === 0) failed++;
passed += count('pass');
failed += count('fail') + count('cancelled');

if (!unitOnly) {
  for (const suite of ['scripts/test-slurm.mjs', 'scripts/test-editor.mjs']) {
    try {
      statSync(join(root, suite));
    } catch {
      continue;
    }
    // Editor suites stream their output and leave their counts in test-results/<name>.json.
    const name = suite.replace(/^.*\/|\.mjs$/g, '');
    const summary = join(root, 'test-results', `${name}.json`);
    rmSync(summary, { force: true });
    const ok = run(name, 'node', [suite]);
    let counts = { passed: 0, failed: 0 };
    try {
      counts = JSON.parse(readFileSync(summary, 'utf8'));
    } catch {
      // no summary: the suite died before it could count
    }
    passed += counts.passed;
    failed += counts.failed;
    if (!ok && counts.failed === 0) failed++;
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
