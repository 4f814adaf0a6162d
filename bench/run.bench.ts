/**
 * Training-run benchmark: `analyzeRun` on a synthetic run of 200 checkpoints (safetensors, a
 * 6-unit PLRNN, weight gain 1.5, whose parameters drift by up to ±0.03 a checkpoint along a seeded
 * random walk, as training moves them), with a loss CSV. Times, all in one process after a
 * warm-up pass, as ratios against the baseline (1 worker, no cache):
 *   - the same on a pool of all cores,
 *   - a cold cache (search and write), then a warm one (every checkpoint from the cache),
 *   - 20 checkpoints added to a warm cache (only they are searched).
 * Needs dist/worker.js (npm run build) for the pool.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../src/core/scyfi';
import { analyzeRun, type RunAnalysis, type RunHooks } from '../src/core/run';
import type { PlrnnSpec } from '../src/core/model/types';
import { WorkerPool } from '../src/worker/host/pool';
import { poolSweepRunner } from '../src/worker/host/sweepRunner';
import { randomPlrnn } from '../test/unit/scyfi/randomModels';
import { safetensors } from '../test/unit/run/safetensorsFile';

const WORKER = join(__dirname, '..', 'dist', 'worker.js');
const quick = process.argv.includes('--quick');
const N = quick ? 40 : 200;
const EXTRA = quick ? 5 : 20;
const M = 6;
const MAX_ORDER = 4;
const STEP = 0.03;
const GAIN = 1.5;

function drift(rng: Prng, s: PlrnnSpec): PlrnnSpec {
  const step = () => rng.uniform(-STEP, STEP);
  return {
    architecture: 'plrnn',
    A: (s.A as number[]).map((a) => Math.max(-0.95, Math.min(0.95, a + step()))),
    W: s.W.map((row, i) => row.map((w, j) => (i === j ? 0 : w + step()))),
    h: s.h.map((h) => h + step()),
  };
}

function writeRun(dir: string, n: number, from = 0): void {
  const rng = new Prng(7);
  let s = randomPlrnn(rng, M, GAIN);
  s = { ...s, W: s.W.map((row, i) => row.map((w, j) => (i === j ? 0 : w))) };
  for (let e = 0; e < from + n; e++) {
    if (e >= from) writeFileSync(join(dir, `model_${e}.safetensors`), safetensors({ A: s.A as number[], W: s.W, h: s.h }));
    s = drift(rng, s);
  }
  writeFileSync(join(dir, 'hypers.json'), JSON.stringify({ architecture: 'plrnn' }));
  const lines = ['epoch,loss'];
  for (let e = 0; e < from + n; e++) lines.push(`${e},${(1 + Math.exp(-e / 50)) * (1 + 0.02 * Math.sin(e))}`);
  writeFileSync(join(dir, 'loss.csv'), lines.join('\n') + '\n');
}

async function timed(dir: string, workers: number, cacheDir?: string): Promise<{ r: RunAnalysis; s: number }> {
  const t0 = performance.now();
  const options = { maxOrder: MAX_ORDER, cacheDir };
  if (workers <= 1) return { r: await analyzeRun(dir, options), s: (performance.now() - t0) / 1000 };
  const pool = new WorkerPool(WORKER, { size: workers });
  try {
    const hooks: RunHooks = { runner: (path, o) => poolSweepRunner(pool, path, o) };
    return { r: await analyzeRun(dir, options, hooks), s: (performance.now() - t0) / 1000 };
  } finally {
    await pool.close();
  }
}

const describe = (r: RunAnalysis) => `${r.stats.checkpoints} checkpoints, ${r.stats.searched} searched, ${r.stats.cached} cached; ${r.sweep.stats.candidates.toLocaleString('en-US')} candidates, ${r.sweep.branches.length} branches, ${r.events.length} events`;
const eventsOf = (r: RunAnalysis) => JSON.stringify(r.events.map((e) => [e.kind, e.x]));

(async () => {
  const jobs = availableParallelism();
  console.log(`node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? ''}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`a run of ${N} checkpoints of a ${M}-unit PLRNN (safetensors), orders 1–${MAX_ORDER}`);
  const root = mkdtempSync(join(tmpdir(), 'scyfi-run-bench-'));
  const run = join(root, 'run');
  const cache = join(root, 'cache');
  mkdirSync(run);
  writeRun(run, N);
  try {
    await timed(run, 1); // warm-up: the first pass also compiles the code
    const base = await timed(run, 1);
    const line = (label: string, x: { r: RunAnalysis; s: number }) => console.log(`${label.padEnd(36)} ${x.s.toFixed(2).padStart(7)} s  ×${(x.s / base.s).toFixed(2).padStart(5)}  ${describe(x.r)}`);
    line('1 worker, no cache (baseline)', base);
    if (existsSync(WORKER)) {
      const pooled = await timed(run, jobs);
      line(`${jobs} workers, no cache`, pooled);
      console.log(`  same events on ${jobs} workers as on 1: ${eventsOf(pooled.r) === eventsOf(base.r)}`);
    } else console.log('dist/worker.js is missing (npm run build): the pool run is skipped');
    const cold = await timed(run, 1, cache);
    line('1 worker, cold cache', cold);
    const warm = await timed(run, 1, cache);
    line('1 worker, warm cache', warm);
    console.log(`  same events from the cache: ${eventsOf(warm.r) === eventsOf(base.r)}`);
    writeRun(run, EXTRA, N);
    const grown = await timed(run, 1, cache);
    line(`1 worker, warm cache, ${EXTRA} new checkpoints`, grown);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
})();
