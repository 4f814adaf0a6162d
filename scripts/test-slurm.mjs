#!/usr/bin/env node
// The SLURM stage: a real one-node SLURM cluster (Debian's slurm-wlm and munge, as root) started
// in a temporary folder with its own munge socket, ports and state, so it touches no system
// configuration; sharded jobs submitted to it with `--slurm`, watched with squeue, one array
// task cancelled on purpose (scancel) and re-submitted, merged and compared with the unsharded
// run. The daemons are stopped by their pid files at the end. Without root or the packages it
// reports itself skipped with the reason. Counts go to test-results/test-slurm.json.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist', 'cli.js');
const resultsFile = join(root, 'test-results', 'test-slurm.json');
mkdirSync(join(root, 'test-results'), { recursive: true });
const counts = { passed: 0, failed: 0 };
const started = Date.now();

function finish(extra = {}) {
  writeFileSync(resultsFile, JSON.stringify({ ...counts, ...extra }) + '\n');
  console.log(`slurm stage: ${counts.passed} passed, ${counts.failed} failed${extra.skipped ? ` (skipped: ${extra.skipped})` : ''} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(counts.failed === 0 ? 0 : 1);
}

function skip(reason) {
  console.log(`SKIPPED: ${reason}`);
  finish({ skipped: reason });
}

const SBIN = ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/sbin/mungekey'];
const BIN = ['sbatch', 'squeue', 'scancel', 'sinfo'];
if (typeof process.getuid === 'function' && process.getuid() !== 0) skip('not root: the test cluster runs slurmctld and slurmd as root');
for (const f of SBIN) if (!existsSync(f)) skip(`${f} is missing (apt-get install slurm-wlm munge)`);
for (const b of BIN) if (spawnSync('which', [b]).status !== 0) skip(`${b} is missing (apt-get install slurm-wlm)`);
if (!existsSync(cli)) skip('dist/cli.js is not built (node scripts/build.mjs)');

const D = mkdtempSync('/tmp/scyfi-slurm-');
// munged wants every folder above its socket searchable by all.
chmodSync(D, 0o755);
let clusterUp = false;
const env = { ...process.env, SLURM_CONF: join(D, 'slurm.conf') };
const pidFiles = [join(D, 'slurmd.pid'), join(D, 'slurmctld.pid'), join(D, 'munged.pid')];

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 120_000, maxBuffer: 256 * 1024 * 1024, ...opts });
  return { code: r.status, out: r.stdout ?? '', err: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

function scyfi(...args) {
  return sh(process.execPath, [cli, ...args]);
}

function check(name, ok, detail = '') {
  if (ok) counts.passed++;
  else counts.failed++;
  console.log(`${ok ? '  ✔' : '  ✖'} ${name}${!ok && detail ? `\n      ${String(detail).trim().split('\n').slice(0, 8).join('\n      ')}` : ''}`);
  return ok;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function stopDaemons() {
  for (const f of pidFiles) {
    try {
      const pid = Number(readFileSync(f, 'utf8').trim());
      if (pid > 1) process.kill(pid, 'SIGTERM');
    } catch {
      // not started, or gone already
    }
  }
}

async function until(what, seconds, test) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (test()) return true;
    await sleep(500);
  }
  console.log(`  (gave up waiting for ${what} after ${seconds} s)`);
  return false;
}

async function startCluster() {
  const H = spawnSync('hostname', ['-s'], { encoding: 'utf8' }).stdout.trim();
  for (const d of ['state', 'spool', 'log']) mkdirSync(join(D, d), { recursive: true });
  let r = sh('/usr/sbin/mungekey', ['-c', '-k', join(D, 'munge.key')]);
  if (r.code !== 0) return `mungekey failed: ${r.err.trim()}`;
  r = sh('/usr/sbin/munged', [`--socket=${join(D, 'munge.socket')}`, `--pid-file=${join(D, 'munged.pid')}`, `--key-file=${join(D, 'munge.key')}`, `--log-file=${join(D, 'munged.log')}`, `--seed-file=${join(D, 'munged.seed')}`]);
  if (r.code !== 0) return `munged did not start: ${r.err.trim()}`;
  const [ctld, d] = [await freePort(), await freePort()];
  writeFileSync(
    env.SLURM_CONF,
    [
      'ClusterName=scyfitest',
      `SlurmctldHost=${H}`,
      `SlurmctldPort=${ctld}`,
      `SlurmdPort=${d}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${join(D, 'munge.socket')}`,
      `StateSaveLocation=${join(D, 'state')}`,
      `SlurmdSpoolDir=${join(D, 'spool')}`,
      `SlurmctldPidFile=${join(D, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(D, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(D, 'log', 'ctld.log')}`,
      `SlurmdLogFile=${join(D, 'log', 'd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'MpiDefault=none',
      `NodeName=${H} CPUs=${availableParallelism()} RealMemory=2000 State=UNKNOWN`,
      `PartitionName=debug Nodes=${H} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  r = sh('/usr/sbin/slurmctld', ['-f', env.SLURM_CONF]);
  if (r.code !== 0) return `slurmctld did not start: ${r.err.trim()}`;
  r = sh('/usr/sbin/slurmd', ['-f', env.SLURM_CONF]);
  if (r.code !== 0) return `slurmd did not start: ${r.err.trim()}`;
  const up = await until('the node to be idle', 60, () => /idle/.test(sh('sinfo', ['-h', '-o', '%T']).out));
  return up ? undefined : `the node did not come up (sinfo: ${sh('sinfo', []).out.trim()}; ${D}/log)`;
}

const jobId = (text) => (/submitted SLURM job (\d+)/.exec(text) ?? [])[1];
const queued = (job) => sh('squeue', ['-h', '-r', '-j', job, '-o', '%i|%T']).out.trim().split('\n').filter(Boolean);

async function waitForJob(job, seconds = 120) {
  return until(`job ${job}`, seconds, () => queued(job).length === 0);
}

/** The result without the timings (seconds), which differ between any two runs. */
function withoutSeconds(v) {
  if (Array.isArray(v)) return v.map(withoutSeconds);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'seconds').map(([k, x]) => [k, withoutSeconds(x)]));
  return v;
}

function sameResult(name, unsharded, merged) {
  let a;
  let b;
  try {
    a = JSON.stringify(withoutSeconds(JSON.parse(unsharded)));
    b = JSON.stringify(withoutSeconds(JSON.parse(merged)));
  } catch (e) {
    return check(name, false, e);
  }
  const at = [...a].findIndex((c, i) => c !== b[i]);
  return check(name, a === b, `first difference at character ${at}: …${a.slice(Math.max(0, at - 80), at + 80)}… vs …${b.slice(Math.max(0, at - 80), at + 80)}…`);
}

async function gridTest(work) {
  console.log('\n2-D sweep in 4 shards, one task cancelled and re-submitted');
  const model = join(root, 'examples', 'two-16-cycles.plrnn.json');
  const grid = [model, '--x', 'A[0]', '--x-range', '0.6:0.95:40', '--y', 'W[0][1]', '--y-range', '-0.8:-0.5:12', '--max-order', '4'];
  const folder = join(work, 'grid');
  const plan = scyfi('sweep2d', ...grid, '--shards', '4', '--out', folder, '--slurm', '--time', '00:05:00', '--mem', '500M');
  if (!check('sweep2d --shards 4 --slurm submits an array job', plan.code === 0 && jobId(plan.out), plan.out + plan.err)) return;
  const job = jobId(plan.out);
  // Cancel a task that has not finished: a pending one if there is one (2 cores, 4 tasks), else a running one.
  const tasks = queued(job);
  const pending = tasks.find((t) => /PENDING/.test(t) && /_\d+\|/.test(t)) ?? tasks.find((t) => /PENDING/.test(t));
  const victim = (pending ?? tasks[tasks.length - 1] ?? '').split('|')[0];
  const m = /^(\d+)_(?:\[(\d+)|(\d+))/.exec(victim);
  const index = m ? Number(m[2] ?? m[3]) : -1;
  check('a task of the array is still queued to be cancelled', index >= 0, tasks.join('\n'));
  if (index < 0) return;
  const cancel = sh('scancel', [`${job}_${index}`]);
  check(`scancel ${job}_${index}`, cancel.code === 0, cancel.err);
  check('the array job ends (squeue)', await waitForJob(job));
  const status = scyfi('status', folder, '--json');
  let st = {};
  try {
    st = JSON.parse(status.out);
  } catch {
    // checked below
  }
  check(`status: shard ${index} missing, the 3 others done`, st.missing?.length === 1 && st.missing[0] === index && st.done?.length === 3, status.out + status.err);
  const partial = scyfi('merge', folder);
  check('merge with a shard missing: exit 3, says which', partial.code === 3 && new RegExp(`shards ${index} of 4 missing`).test(partial.out), partial.out + partial.err);
  const again = scyfi('resubmit', folder);
  const job2 = jobId(again.out);
  check(`resubmit submits only shard ${index}`, again.code === 0 && !!job2 && new RegExp(`shards ${index} of 4`).test(again.out), again.out + again.err);
  if (job2) check('the re-submitted job ends (squeue)', await waitForJob(job2));
  const status2 = scyfi('status', folder);
  check('status: all 4 done', /done 4 \(0–3\)/.test(status2.out), status2.out + status2.err);
  const merged = scyfi('merge', folder, '--json');
  check('merge: exit 0', merged.code === 0, merged.err);
  const unsharded = scyfi('sweep2d', ...grid, '--json', '--jobs', '1');
  check('unsharded sweep2d', unsharded.code === 0, unsharded.err);
  sameResult('merged 2-D sweep == unsharded (timings aside)', unsharded.out, merged.out);
  const resub = scyfi('resubmit', folder);
  check('resubmit when all are done submits nothing', resub.code === 0 && /nothing to re-submit/.test(resub.out), resub.out + resub.err);
}

async function runTest(work) {
  console.log('\ntraining run in 3 shards');
  const run = [join(root, 'test', 'fixtures', 'runs', 'pytorch'), '--max-order', '2', '--chunk-size', '3'];
  const folder = join(work, 'run');
  const plan = scyfi('run', ...run, '--shards', '3', '--out', folder, '--slurm');
  if (!check('run --shards 3 --slurm submits an array job', plan.code === 0 && jobId(plan.out), plan.out + plan.err)) return;
  check('the array job ends (squeue)', await waitForJob(jobId(plan.out)));
  const merged = scyfi('merge', folder, '--json');
  check('merge: exit 0', merged.code === 0, merged.err);
  const unsharded = scyfi('run', ...run, '--no-cache', '--json', '--jobs', '1');
  check('unsharded run --no-cache', unsharded.code === 0, unsharded.err);
  sameResult('merged run == unsharded (timings aside)', unsharded.out, merged.out);
}

async function main() {
  console.log(`SLURM test cluster in ${D}`);
  const problem = await startCluster();
  if (problem) {
    stopDaemons();
    check('start slurmctld, slurmd and munged', false, problem);
    return;
  }
  clusterUp = true;
  check('start slurmctld, slurmd and munged (sinfo: idle)', true);
  const work = join(D, 'work');
  mkdirSync(work);
  await gridTest(work);
  await runTest(work);
}

try {
  await main();
} catch (e) {
  check('the SLURM stage ran to its end', false, e?.stack ?? e);
} finally {
  const left = clusterUp ? sh('squeue', ['-h', '-o', '%i']).out.trim() : '';
  if (left) sh('scancel', left.split('\n'));
  stopDaemons();
  await sleep(1000);
  if (counts.failed === 0) rmSync(D, { recursive: true, force: true });
  else console.log(`  (left ${D} with the cluster's logs)`);
}
finish();
