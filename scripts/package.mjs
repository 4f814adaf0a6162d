#!/usr/bin/env node
// `npm run package`: production build of the bundles, then `vsce package` -> <name>-<version>.vsix
// at the repository root (or at the path given with -o/--out). The bundles are self-contained
// (esbuild), so node_modules stays out of the .vsix (--no-dependencies); .vscodeignore keeps it to
// dist/, media/, schemas/, README, CHANGELOG, LICENSE and package.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);

function run(cmd, args, timeoutMs) {
  console.log(`[package] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: timeoutMs, killSignal: 'SIGKILL' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`})`);
}

export function defaultVsixPath() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return join(root, `${pkg.name}-${pkg.version}.vsix`);
}

/** Builds (production) and packages; returns the .vsix path. */
export function packageVsix(out = defaultVsixPath()) {
  rmSync(out, { force: true }); // never leave a stale package behind a failed build
  run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], 5 * 60_000);
  if (!existsSync(join(root, 'dist', 'extension.js'))) console.warn('[package] warning: no dist/extension.js yet (src/extension/extension.ts missing): the .vsix has no extension code');
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  // No repository URL: relative links in README.md stay as they are (they work in the repository).
  const args = [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--no-update-package-json', '-o', out];
  if (!existsSync(join(root, 'LICENSE')) && !existsSync(join(root, 'LICENSE.md'))) args.push('--skip-license');
  run(process.execPath, args, 5 * 60_000);
  if (!existsSync(out)) throw new Error(`vsce did not write ${out}`);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const a = process.argv.slice(2);
  const i = Math.max(a.indexOf('-o'), a.indexOf('--out'));
  try {
    const out = packageVsix(i >= 0 ? resolve(a[i + 1]) : undefined);
    console.log(`[package] ${out}`);
  } catch (e) {
    console.error(`[package] error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
