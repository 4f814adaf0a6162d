#!/usr/bin/env node
// `npm start`: build and package the extension, install it into a local code-server (installed by
// scripts/tools.mjs into .tools/), and open the bundled examples/ workspace in it, served on
// 127.0.0.1 only. Open the printed address in a browser; Ctrl+C stops the server.
//
//   npm start                      examples/
//   npm start -- <folder>          another folder
//   npm start -- --port 9000       prefer another port (8080 by default; a free one if taken)
/* global fetch, AbortSignal, setInterval */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureTools, toolsDir } from './tools.mjs';
import { packageVsix } from './package.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const args = process.argv.slice(2);
let preferredPort = 8080;
let folder = join(root, 'examples');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port') preferredPort = Number(args[++i]);
  else folder = resolve(process.env.INIT_CWD ?? process.cwd(), args[i]);
}

function fail(msg) {
  console.error(`[start] error: ${msg}`);
  process.exit(1);
}

function tryPort(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(null));
    srv.listen(port, '127.0.0.1', () => {
      const got = srv.address().port;
      srv.close(() => res(got));
    });
  });
}

if (!existsSync(folder) || !statSync(folder).isDirectory()) fail(`no folder ${folder}`);

let entry;
let vsix;
try {
  entry = ensureTools().codeServerEntry;
  vsix = packageVsix();
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

// A persistent profile for `npm start` (settings survive restarts), apart from the tests'.
const base = join(toolsDir(), 'start');
const userDataDir = join(base, 'user-data');
const extensionsDir = join(base, 'extensions');
mkdirSync(userDataDir, { recursive: true });
mkdirSync(extensionsDir, { recursive: true });
const settingsFile = join(userDataDir, 'User', 'settings.json');
if (!existsSync(settingsFile)) {
  // First start: a quiet profile (edit it as you like; it is kept between starts).
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const quiet = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'git.openRepositoryInParentFolders': 'never',
  };
  writeFileSync(settingsFile, JSON.stringify(quiet, null, 2) + '\n');
}
console.log(`[start] installing ${vsix}`);
const inst = spawnSync(process.execPath, [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  timeout: 120_000,
  killSignal: 'SIGKILL',
});
if (inst.status !== 0) fail(`installing the extension into code-server failed (${inst.error?.message ?? `exit ${inst.status}`})`);

const port = (await tryPort(preferredPort)) ?? (await tryPort(0));
if (!port) fail('no free port on 127.0.0.1');
const server = spawn(
  process.execPath,
  [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ],
  { detached: true, stdio: ['ignore', 'inherit', 'inherit'] },
);

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // gone
  }
  setTimeout(() => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // gone
    }
    process.exit(code);
  }, 2_000).unref();
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(0));
// Whoever started us is gone (e.g. npm killed without passing the signal on): stop too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop(0);
}, 1_000).unref();
process.on('exit', () => {
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    // gone
  }
});
server.on('exit', (code, sig) => {
  if (!stopping) {
    console.error(`[start] code-server stopped (${code ?? sig})`);
    process.exit(1);
  }
  process.exit(0);
});

const origin = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 60_000;
for (;;) {
  try {
    if ((await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) break;
  } catch {
    // not yet
  }
  if (Date.now() > deadline) {
    console.error('[start] code-server did not answer within 60 s');
    stop(1);
    break;
  }
  await delay(250);
}
if (!stopping) {
  const url = `${origin}/?folder=${encodeURI(folder)}`;
  console.log(`\n[start] SCYFI in code-server: ${url}\n[start] open it in a browser; Ctrl+C stops the server.\n`);
}
