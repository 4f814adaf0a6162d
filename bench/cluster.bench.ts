/**
 * Sharded jobs: what splitting a 2-D sweep and a (synthetic) training run into 1, 2 and 4 shards costs and
 * gains on this machine, with the shards run as separate processes at the same time (as array
 * tasks on one node), against the unsharded command (one thread) measured in the same run.
 * Each configuration: plan (--shards n --out), the n `scyfi shard` processes in parallel, merge.
 * Reported: wall time of each phase, the sum of the shards' own compute seconds, and the fixed
 * cost per shard (process start, reading the model, hashing the plan's files, writing the result).
 * Needs dist/cli.js (npm run build). The load average is printed before and after.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../src/core/scyfi';
import { randomPlrnn } from '../test/unit/scyfi/randomModels';
import { safetensors } from '../test/unit/run/safetensorsFile';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const quick = process.argv.includes('--quick');

// Every process runs under /usr/bin/time, for its CPU seconds (user + system): less sensitive to
// the other work on a shared machine than wall clock.
const TIMES = mkdtempSync(join(tmpdir(), 'scyfi-cluster-times-'));
let timeFiles = 0;

function timed(args: string[]): { argv: string[]; cpu: () => number } {
  const file = join(TIMES, `${timeFiles++}.txt`);
  return {
    argv: ['-o', file, '-f', '%U %S', process.execPath, CLI, ...args],
    cpu: () =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .pop()!
        .split(' ')
        .reduce((a, x) => a + Number(x), 0),
  };
}

function cli(args: string[]): { s: number; cpu: number; out: string } {
  const t = timed(args);
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', t.argv, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 3) throw new Error(`scyfi ${args.join(' ')}: ${r.stderr}`);
  return { s: (performance.now() - t0) / 1000, cpu: t.cpu(), out: r.stdout };
}

function parallel(commands: string[][]): Promise<{ s: number; cpu: number }> {
  const t0 = performance.now();
  return Promise.all(
    commands.map(
      (args) =>
        new Promise<number>((resolve, reject) => {
          const t = timed(args);
          const p = spawn('/usr/bin/time', t.argv, { stdio: ['ignore', 'ignore', 'inherit'] });
          p.on('exit', (code) => (code === 0 ? resolve(t.cpu()) : reject(new Error(`scyfi ${args.join(' ')} exited ${code}`))));
        }),
    ),
  ).then((cpus) => ({ s: (performance.now() - t0) / 1000, cpu: cpus.reduce((a, b) => a + b, 0) }));
}

/** A synthetic training run: a 6-unit PLRNN drifting along a seeded random walk, as in run.bench.ts. */
function writeRun(dir: string, n: number): void {
  const rng = new Prng(7);
  let s = randomPlrnn(rng, 6, 1.5);
  const step = () => rng.uniform(-0.03, 0.03);
  for (let e = 0; e < n; e++) {
    const W = s.W.map((row, i) => row.map((w, j) => (i === j ? 0 : w)));
    writeFileSync(join(dir, `model_${e}.safetensors`), safetensors({ A: s.A as number[], W, h: s.h }));
    s = { architecture: 'plrnn', A: (s.A as number[]).map((a) => Math.max(-0.95, Math.min(0.95, a + step()))), W: W.map((row) => row.map((w) => w + step())), h: s.h.map((h) => h + step()) };
  }
  writeFileSync(join(dir, 'hypers.json'), JSON.stringify({ architecture: 'plrnn' }));
  writeFileSync(join(dir, 'loss.csv'), ['epoch,loss', ...Array.from({ length: n }, (_, e) => `${e},${1 + Math.exp(-e / 50)}`)].join('\n') + '\n');
}

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

async function bench(label: string, command: string, args: string[]): Promise<void> {
  console.log(`\n${label}`);
  const base = cli([command, ...args, '--jobs', '1', '--json', ...(command === 'run' ? ['--no-cache'] : [])]);
  console.log(`unsharded (--jobs 1)          ${base.s.toFixed(2).padStart(7)} s  ${base.cpu.toFixed(2).padStart(6)} CPU s`);
  const pool = cli([command, ...args, '--jobs', '2', '--json', ...(command === 'run' ? ['--no-cache'] : [])]);
  console.log(`unsharded (--jobs 2, pool)    ${pool.s.toFixed(2).padStart(7)} s  ${pool.cpu.toFixed(2).padStart(6)} CPU s  wall ×${(pool.s / base.s).toFixed(2)}`);
  console.log('shards  plan s  shards s (wall)  merge s  total s  wall ×unsharded  CPU s (plan+shards+merge)  CPU ×unsharded  shard compute CPU s  fixed s per shard');
  for (const n of [1, 2, 4]) {
    const dir = mkdtempSync(join(tmpdir(), 'scyfi-cluster-bench-'));
    const folder = join(dir, 'plan');
    try {
      const plan = cli([command, ...args, '--shards', String(n), '--out', folder]);
      const { s: wall, cpu: shardCpu } = await parallel(Array.from({ length: n }, (_, k) => ['shard', folder, String(k)]));
      const merge = cli(['merge', folder]);
      const shards = Array.from({ length: n }, (_, k) => JSON.parse(readFileSync(join(folder, `shard-${String(k).padStart(4, '0')}.json`), 'utf8')) as { seconds: number; cpuSeconds: number });
      const cpu = shards.reduce((a, b) => a + b.cpuSeconds, 0);
      const total = plan.s + wall + merge.s;
      const allCpu = plan.cpu + shardCpu + merge.cpu;
      // The fixed part of a shard is what its process spends outside its own compute: one shard
      // run again alone, minus its compute.
      const alone = cli(['shard', folder, '0']);
      const fixed = alone.s - (JSON.parse(readFileSync(join(folder, 'shard-0000.json'), 'utf8')) as { seconds: number }).seconds;
      console.log(
        `${String(n).padStart(6)}  ${plan.s.toFixed(2).padStart(6)}  ${wall.toFixed(2).padStart(15)}  ${merge.s.toFixed(2).padStart(7)}  ${total.toFixed(2).padStart(7)}  ${('×' + (total / base.s).toFixed(2)).padStart(15)}  ${allCpu.toFixed(2).padStart(24)}  ${('×' + (allCpu / base.cpu).toFixed(2)).padStart(14)}  ${cpu.toFixed(2).padStart(19)}  ${fixed.toFixed(2).padStart(17)}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

(async () => {
  console.log(`node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? ''}; load average ${load()} (1, 5, 15 min) at the start`);
  const n = quick ? 12 : 32;
  await bench(`2-D sweep: four-attractors shPLRNN, h1[0] × h1[2] on ${n}×${n}, orders 1–4`, 'sweep2d', [
    join(ROOT, 'examples', 'four-attractors.shplrnn.json'),
    '--x',
    'h1[0]',
    '--x-range',
    `-1.5:-0.5:${n}`,
    '--y',
    'h1[2]',
    '--y-range',
    `-1.5:-0.5:${n}`,
    '--max-order',
    '4',
  ]);
  const runs = mkdtempSync(join(tmpdir(), 'scyfi-cluster-run-'));
  const checkpoints = quick ? 32 : 96;
  writeRun(runs, checkpoints);
  try {
    await bench(`training run: ${checkpoints} safetensors checkpoints of a drifting 6-unit PLRNN, orders 1–4, --chunk-size 8`, 'run', [runs, '--max-order', '4', '--chunk-size', '8']);
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
  console.log(`\nload average ${load()} at the end`);
  rmSync(TIMES, { recursive: true, force: true });
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
