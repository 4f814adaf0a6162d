/**
 * SCYFI engine benchmark: candidate solves per second and time to the full result.
 * `npm run bench` runs it; `node --import tsx bench/scyfi.bench.ts --quick` skips the slowest
 * case. Rates are per CPU second of this process (the machine is shared, so wall time is noisy);
 * wall time is printed as well.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { buildMap, validateModelSpec } from '../src/core/model';
import { PiecewiseAffineMap, PlrnnSpec } from '../src/core/model/types';
import { findCycles, Prng, ScyfiOptions } from '../src/core/scyfi';
import { CandidateSolver } from '../src/core/scyfi/candidate';

const quick = process.argv.includes('--quick');

function randomPlrnn(seed: number, M: number): PlrnnSpec {
  const rng = new Prng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(rng.nextFloat(), 1e-300))) * Math.cos(2 * Math.PI * rng.nextFloat());
  return {
    architecture: 'plrnn',
    A: Array.from({ length: M }, () => rng.uniform(-0.9, 0.9)),
    W: Array.from({ length: M }, () => Array.from({ length: M }, () => (1.5 / Math.sqrt(M)) * gauss())),
    h: Array.from({ length: M }, gauss),
  };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function run(label: string, map: PiecewiseAffineMap, options: ScyfiOptions): void {
  const c0 = process.cpuUsage();
  const r = findCycles(map, options);
  const cpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
  const { candidates, seconds } = r.stats;
  const perOrder = new Map<number, number>();
  for (const c of r.cycles) perOrder.set(c.order, (perOrder.get(c.order) ?? 0) + 1);
  const counts = [...perOrder].map(([k, n]) => `${n}×${k}`).join(' ');
  console.log(
    `${label.padEnd(40)} ${fmt(candidates).padStart(10)} cand  wall ${seconds.toFixed(2).padStart(7)} s  cpu ${cpu.toFixed(2).padStart(7)} s ` +
      `${fmt(candidates / Math.max(cpu, 1e-9)).padStart(9)} cand/cpu-s  cycles: ${r.cycles.length}${counts ? ` (${counts})` : ''}`,
  );
}

/** The solver alone on random region sequences (no prefix reuse, no search overhead). */
function kernel(label: string, map: PiecewiseAffineMap, k: number): void {
  const solver = new CandidateSolver(map, k);
  const rng = new Prng(1);
  const seqs = Array.from({ length: 1000 }, () => Int32Array.from({ length: k * solver.words }, () => rng.nextUint32() & ((1 << Math.min(map.H, 31)) - 1)));
  for (const s of seqs) solver.solve(s, k); // warm up
  const reps = Math.max(1, Math.round(20 / k));
  const c0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) {
    for (const s of seqs) {
      solver.reset();
      solver.solve(s, k);
    }
  }
  const cpu = process.cpuUsage(c0).user / 1e6;
  console.log(`${label.padEnd(40)} ${fmt((reps * seqs.length) / cpu).padStart(9)} solves/cpu-s (${((cpu / (reps * seqs.length)) * 1e6).toFixed(1)} µs each)`);
}

console.log(`node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? '?'}`);

const mainPath = join(__dirname, '..', 'test', 'fixtures', 'models', 'scyfi-main-10d.json');
const main10 = buildMap(validateModelSpec(JSON.parse(readFileSync(mainPath, 'utf8')), mainPath));
console.log('\nSCYFI main.jl 10-D PLRNN, orders 1–10');
run('main.jl 10-D, outer 100, inner 500', main10, { maxOrder: 10, outerLoop: 100, innerLoop: 500 });
run('main.jl 10-D, default loops', main10, { maxOrder: 10 });
console.log('\nSolver kernel alone, main.jl 10-D model (random sequences)');
for (const k of [1, 4, 10]) kernel(`k = ${k}`, main10, k);

console.log('\nRandom PLRNNs (seeded), orders 1..k, default loops');
for (const M of [2, 10, 32]) {
  for (const k of [1, 4, 10]) {
    const options: ScyfiOptions = { maxOrder: k };
    let label = `random PLRNN M=${M}, k=1..${k}`;
    if (M === 32 && k === 10) {
      if (quick) continue;
      // The default loops at M = 32, k = 10 take far too long for a benchmark; bounded here.
      options.outerLoop = 20;
      options.innerLoop = 100;
      label += ' (outer 20, inner 100)';
    }
    run(label, buildMap(randomPlrnn(1000 + M, M)), options);
  }
}
