#!/usr/bin/env node
// Installs what the real-editor tests and `npm start` need, as described in
// ../shared/docs/real-editor-tests.md:
//   * Debian packages: chromium (the browser playwright-core drives), ripgrep (stands in for the
//     binary @vscode/ripgrep would download), libkrb5-dev (headers for code-server's kerberos module);
//   * code-server 4.100.3 in its own folder, .tools/code-server-4.100.3/ inside this checkout
//     (gitignored), or under $SCYFI_TOOLS_DIR when that is set (an optional shared cache).
// An install is done in a scratch folder and renamed into place only when complete, with a stamp
// file; a present, intact install is reused. Run alone: `node scripts/tools.mjs` (--force redoes it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, renameSync, writeFileSync, copyFileSync, symlinkSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
const STAMP_FORMAT = 1;
const root = resolve(new URL('..', import.meta.url).pathname);

export function toolsDir() {
  return resolve(process.env.SCYFI_TOOLS_DIR || join(root, '.tools'));
}

export function codeServerDir() {
  return join(toolsDir(), `code-server-${CODE_SERVER_VERSION}`);
}

/** Path of code-server's node entry point (run it with `node`). */
export function codeServerEntry() {
  return join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

export const CHROMIUM = '/usr/bin/chromium';

class ToolError extends Error {}

function run(cmd, args, cwd, timeoutMs) {
  const started = Date.now();
  console.log(`[tools] ${cmd} ${args.join(' ')}${cwd ? `   (in ${cwd})` : ''}`);
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...nodeHeaders() },
  });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    throw new ToolError(`\`${cmd} ${args.join(' ')}\` failed (${why}) after ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

/**
 * node-gyp must build the native modules against this Node's own headers: downloading them is not
 * possible offline. Use the headers installed beside node unless npm is already told where they are.
 */
function nodeHeaders() {
  if (process.env.npm_config_nodedir) return {};
  const npmrc = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).stdout?.trim();
  if (npmrc && npmrc !== 'undefined' && npmrc !== 'null') return {};
  const prefix = resolve(process.execPath, '..', '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? { npm_config_nodedir: prefix } : {};
}

function which(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// ---------------------------------------------------------------- Debian packages

function missingSystemPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!which('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  return missing;
}

export function ensureSystemPackages() {
  const missing = missingSystemPackages();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new ToolError(
      `missing system packages (${missing.join(', ')}): run \`sudo apt-get install -y libkrb5-dev ripgrep chromium\` (Debian/Ubuntu) and retry`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'libkrb5-dev', 'ripgrep', 'chromium']]) {
    console.log(`[tools] apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env, timeout: 10 * 60_000, killSignal: 'SIGKILL' });
    if (r.status !== 0) throw new ToolError(`apt-get ${args[0]} failed (${r.error?.message ?? `exit ${r.status}`})`);
  }
  const still = missingSystemPackages();
  if (still.length) throw new ToolError(`still missing after apt-get install: ${still.join(', ')}`);
}

// ---------------------------------------------------------------- code-server

function stampPath(dir) {
  return join(dir, '.scyfi-tools-stamp.json');
}

/** Files whose absence means an install is broken (each step of the recipe leaves one). */
function keyFiles(dir) {
  const cs = join(dir, 'node_modules', 'code-server');
  const vs = join(cs, 'lib', 'vscode');
  return [
    join(cs, 'out', 'node', 'entry.js'),
    join(dir, 'node_modules', 'argon2', 'package.json'),
    join(vs, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
    join(vs, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    join(vs, 'node_modules.asar', 'vscode-textmate', 'package.json'),
  ];
}

export function codeServerIntact(dir = codeServerDir()) {
  try {
    const stamp = JSON.parse(readFileSync(stampPath(dir), 'utf8'));
    if (stamp.version !== CODE_SERVER_VERSION || stamp.format !== STAMP_FORMAT || stamp.node !== process.versions.modules) return false;
  } catch {
    return false;
  }
  return keyFiles(dir).every((f) => existsSync(f));
}

function installCodeServer(dest) {
  const scratch = `${dest}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const npm = 'npm';
  const min = 60_000;
  // The whole install has one budget (normally ~2 min): no step can make CI hang.
  const deadline = Date.now() + Number(process.env.SCYFI_TOOLS_INSTALL_MINUTES ?? 12) * min;
  const sh = (cmd, args, cwd, limit) => {
    const left = deadline - Date.now();
    if (left <= 0) throw new ToolError('code-server install ran out of time');
    run(cmd, args, cwd, Math.min(limit, left));
  };
  try {
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scyfi-tools', private: true, version: '0.0.0' }, null, 2));
    sh(npm, ['install', '--no-audit', '--no-fund', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`], scratch, 15 * min);
    sh(npm, ['rebuild', 'argon2'], scratch, 10 * min);
    const vs = join(scratch, 'node_modules', 'code-server', 'lib', 'vscode');
    sh(npm, ['install', '--no-audit', '--no-fund', '--omit=dev', '--ignore-scripts'], vs, 15 * min);
    sh(npm, ['rebuild', '@vscode/deviceid', '@vscode/spdlog', 'kerberos', 'native-watchdog'], vs, 15 * min);
    process.env.npm_config_yes = 'true';
    sh(npm, ['rebuild', 'node-pty'], vs, 10 * min);
    const rgDir = join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin');
    mkdirSync(rgDir, { recursive: true });
    copyFileSync(which('rg') ?? '/usr/bin/rg', join(rgDir, 'rg'));
    chmodSync(join(rgDir, 'rg'), 0o755);
    rmSync(join(vs, 'node_modules.asar'), { force: true });
    symlinkSync('node_modules', join(vs, 'node_modules.asar'));
    writeFileSync(
      stampPath(scratch),
      JSON.stringify({ version: CODE_SERVER_VERSION, format: STAMP_FORMAT, node: process.versions.modules, installed: new Date().toISOString() }) + '\n',
    );
    const missing = keyFiles(scratch).filter((f) => !existsSync(f));
    if (missing.length) throw new ToolError(`code-server install incomplete, missing: ${missing.join(', ')}`);
    rmSync(dest, { recursive: true, force: true });
    renameSync(scratch, dest);
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    throw e;
  }
}

/** Makes sure code-server is installed; returns the path of its entry.js. */
export function ensureCodeServer({ force = false } = {}) {
  const dest = codeServerDir();
  if (!force && codeServerIntact(dest)) return codeServerEntry();
  const started = Date.now();
  console.log(`[tools] installing code-server ${CODE_SERVER_VERSION} into ${dest} (about 2 minutes, 300 MB)`);
  mkdirSync(toolsDir(), { recursive: true });
  installCodeServer(dest);
  console.log(`[tools] code-server ready in ${Math.round((Date.now() - started) / 1000)} s`);
  return codeServerEntry();
}

/** Everything the editor tests and `npm start` need. Throws an Error with a one-line message. */
export function ensureTools({ force = false } = {}) {
  ensureSystemPackages();
  return { codeServerEntry: ensureCodeServer({ force }), chromium: CHROMIUM };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  try {
    const t = ensureTools({ force: process.argv.includes('--force') });
    console.log(`[tools] ok: code-server ${t.codeServerEntry}, chromium ${t.chromium}`);
  } catch (e) {
    console.error(`[tools] error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
