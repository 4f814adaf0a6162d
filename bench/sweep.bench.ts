/**
 * Sweep benchmark: continuation against independent full searches at every step, and one
 * worker against all of them, on
 *   - a 1-D sweep of 200 steps of the 16-cycle system of science.md §4 (a1 from 0.83 to 0.845,
 *     across the birth of its two 16-cycles; orders 1–16),
 *   - a 1-D sweep of 100 steps of a random shPLRNN (M = 3, H = 8) with many cycles (orders 1–6),
 *   - a 40×40 2-D sweep of the four-attractors shPLRNN of examples/ (h1[0] and h1[2], orders 1–4).
 * Completeness: the objects each run found, step by step, and how many one found that the other
 * missed. Times are wall clock on this machine (shared, so noisy); ratios are within one run.
 * Needs dist/worker.js (npm run build) for the pool.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { validateModelSpec } from '../src/core/model';
import { sameCycle } from '../test/unit/scyfi/exhaustive';
import { twoDimPlrnn } from '../test/unit/scyfi/fixtures';
import { randomShplrnn } from '../test/unit/scyfi/randomModels';
import { Prng } from '../src/core/scyfi';
import { readFileSync } from 'node:fs';
import type { ModelPath } from '../src/core/sweep';
import { entryPath, runGrid, runSweep, type Grid, type GridResult, type SweepOptions, type SweepResult } from '../src/core/sweep';
import { WorkerPool } from '../src/worker/host/pool';
import { poolSweepRunner, runGridOnPool } from '../src/worker/host/sweepRunner';

const WORKER = join(__dirname, '..', 'dist', 'worker.js');
const quick = process.argv.includes('--quick');
const spec = validateModelSpec(twoDimPlrnn(0.8377689), 'bench');
const jobs = availableParallelism();

async function sweep(path: ModelPath, steps: number, maxOrder: number, continuation: boolean, workers: number): Promise<{ r: SweepResult; s: number }> {
  const options: SweepOptions = { steps, maxOrder, continuation };
  const t0 = performance.now();
  if (workers <= 1) return { r: await runSweep(path, options), s: (performance.now() - t0) / 1000 };
  const pool = new WorkerPool(WORKER, { size: workers });
  try {
    const r = await runSweep(path, options, {}, poolSweepRunner(pool, path, options));
    return { r, s: (performance.now() - t0) / 1000 };
  } finally {
    await pool.close();
  }
}

/** Objects found by `a` and not by `b`, over all steps (the search's own results, before branch filling). */
function missing(a: SweepResult, b: SweepResult): number {
  let n = 0;
  a.steps.forEach((s, i) => {
    for (const c of s.cycles) if (!b.steps[i].cycles.some((d) => d.order === c.order && sameCycle(d.points, c.points))) n++;
  });
  return n;
}

const total = (r: SweepResult) => r.steps.reduce((a, s) => a + s.cycles.length, 0);
const candidates = (r: SweepResult) => r.stats.candidates;

const four = validateModelSpec(JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'four-attractors.shplrnn.json'), 'utf8')), 'four-attractors');

async function grid(continuation: boolean, workers: number): Promise<{ r: GridResult; s: number }> {
  const n = quick ? 12 : 40;
  const g: Grid = { spec: four, x: { ref: { name: 'h1', index: [0] }, from: -1.5, to: -0.5, n }, y: { ref: { name: 'h1', index: [2] }, from: -1.5, to: -0.5, n } };
  const options = { steps: n, maxOrder: 4, continuation };
  const t0 = performance.now();
  if (workers <= 1) return { r: runGrid(g, options), s: (performance.now() - t0) / 1000 };
  const pool = new WorkerPool(WORKER, { size: workers });
  try {
    return { r: await runGridOnPool(pool, g, options), s: (performance.now() - t0) / 1000 };
  } finally {
    await pool.close();
  }
}

const objects = (g: GridResult) => g.rows.reduce((a, r) => a + r.cells.reduce((b, c) => b + Object.values(c.counts).reduce((x, y) => x + y, 0), 0), 0);

(async () => {
  console.log(`node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? ''}; pool of ${jobs}`);
  const parallel = existsSync(WORKER);
  if (!parallel) console.log('dist/worker.js is missing (npm run build): the pool runs are skipped');

  const line = (label: string, x: { r: SweepResult; s: number }) =>
    console.log(`${label.padEnd(34)} ${x.s.toFixed(2).padStart(7)} s  ${candidates(x.r).toLocaleString('en-US').padStart(11)} candidates  ${String(total(x.r)).padStart(5)} objects  ${x.r.branches.length} branches  ${x.r.events.length} events`);
  const cases: [string, ModelPath, number, number][] = [
    ['science.md §4 16-cycle system, A[0] from 0.83 to 0.845', entryPath(spec, { name: 'A', index: [0] }, 0.83, 0.845), quick ? 50 : 200, 16],
    ['random shPLRNN (M = 3, H = 8), h2[0] ± 0.5', (() => { const s = randomShplrnn(new Prng(21), 3, 8); return entryPath(s, { name: 'h2', index: [0] }, s.h2[0] - 0.5, s.h2[0] + 0.5); })(), quick ? 25 : 100, 6],
  ];
  for (const [title, path, steps, maxOrder] of cases) {
    console.log(`\n1-D sweep: ${title}, ${steps} steps, orders 1–${maxOrder}`);
    const ind1 = await sweep(path, steps, maxOrder, false, 1);
    const con1 = await sweep(path, steps, maxOrder, true, 1);
    line('independent searches, 1 worker', ind1);
    line('continuation, 1 worker', con1);
    console.log(`  continuation / independent: time ${(con1.s / ind1.s).toFixed(2)}, candidates ${(candidates(con1.r) / candidates(ind1.r)).toFixed(2)}`);
    console.log(`  found by independent searches only: ${missing(ind1.r, con1.r)}; by continuation only: ${missing(con1.r, ind1.r)}`);
    if (parallel) {
      const ind = await sweep(path, steps, maxOrder, false, jobs);
      const con = await sweep(path, steps, maxOrder, true, jobs);
      line(`independent searches, ${jobs} workers`, ind);
      line(`continuation, ${jobs} workers`, con);
      console.log(`  ${jobs} workers / 1: independent ${(ind.s / ind1.s).toFixed(2)}, continuation ${(con.s / con1.s).toFixed(2)}`);
      const same = JSON.stringify(con.r.events) === JSON.stringify(con1.r.events) && total(con.r) === total(con1.r);
      console.log(`  continuation with ${jobs} workers gives the same events and objects as with 1: ${same}`);
    }
  }

  const n = quick ? 12 : 40;
  console.log(`\n2-D sweep: four-attractors shPLRNN (M = 3, H = 5), ${n}×${n} cells of h1[0] and h1[2] in [−1.5, −0.5], orders 1–4`);
  const gi = await grid(false, 1);
  const gc = await grid(true, 1);
  const gline = (label: string, x: { r: GridResult; s: number }) => console.log(`${label.padEnd(34)} ${x.s.toFixed(2).padStart(7)} s  ${x.r.stats.candidates.toLocaleString('en-US').padStart(11)} candidates  ${objects(x.r)} objects`);
  gline('independent searches, 1 worker', gi);
  gline('continuation along rows, 1 worker', gc);
  console.log(`  continuation / independent: time ${(gc.s / gi.s).toFixed(2)}, candidates ${(gc.r.stats.candidates / gi.r.stats.candidates).toFixed(2)}`);
  if (parallel) {
    const gp = await grid(true, jobs);
    gline(`continuation along rows, ${jobs} workers`, gp);
    console.log(`  ${jobs} workers / 1: ${(gp.s / gc.s).toFixed(2)}; same counts: ${JSON.stringify(gp.r.rows.map((r) => r.cells.map((c) => c.counts))) === JSON.stringify(gc.r.rows.map((r) => r.cells.map((c) => c.counts)))}`);
  }
})();
