/**
 * Certified mode benchmark (scyfi find --certify): the heuristic search, then the MILP proof of
 * completeness (src/core/certify), per case: time, the status of each order, MILP solves and
 * branch-and-bound nodes, R and where it came from, cycles the search had missed.
 * `npm run bench -- certify` runs only this file; `node --import tsx bench/certify.bench.ts --quick`
 * skips the slowest case. Figures go to
 * bench/RESULTS.md by hand (the machine is shared, so wall time is noisy; CPU time is printed too).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { buildMap, validateModelSpec } from '../src/core/model';
import { PiecewiseAffineMap, PlrnnSpec } from '../src/core/model/types';
import { findCycles, Prng } from '../src/core/scyfi';
import { certifyWith, certificateSummary, loadHighs } from '../src/core/certify';

const quick = process.argv.includes('--quick');
/** Time budget of each certification. */
const SECONDS = 120;

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

function load(name: string): PiecewiseAffineMap {
  const path = join(__dirname, '..', name);
  return buildMap(validateModelSpec(JSON.parse(readFileSync(path, 'utf8')), path));
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? '?'}`);
  const t0 = performance.now();
  const highs = await loadHighs();
  console.log(`HiGHS ${highs.version.string} loaded in ${((performance.now() - t0) / 1000).toFixed(2)} s (WebAssembly compile)`);
  const cases: { label: string; map: PiecewiseAffineMap; orders: number }[] = [
    { label: 'random PLRNN M=8, fixed points', map: buildMap(randomPlrnn(1008, 8)), orders: 1 },
    { label: 'random PLRNN M=16, fixed points', map: buildMap(randomPlrnn(1016, 16)), orders: 1 },
    ...(quick ? [] : [{ label: 'random PLRNN M=32, fixed points', map: buildMap(randomPlrnn(1032, 32)), orders: 1 }]),
    { label: 'shPLRNN M=2 H=10 (README), orders 1–4', map: load('examples/readme.shplrnn.json'), orders: 4 },
    { label: 'science.md §4 two 16-cycles, orders 1–4', map: load('examples/two-16-cycles.plrnn.json'), orders: 4 },
  ];
  for (const { label, map, orders } of cases) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const search = findCycles(map, { maxOrder: orders });
    const w1 = performance.now();
    const res = certifyWith(highs, map, search.cycles, { orders, maxOrder: orders, seconds: SECONDS });
    const w2 = performance.now();
    const cpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
    const cert = res.certificate;
    console.log(`\n${label}: M = ${map.M}, H = ${map.H}`);
    console.log(`  search ${((w1 - w0) / 1000).toFixed(2)} s (${search.cycles.length} cycles), certification ${((w2 - w1) / 1000).toFixed(2)} s wall, ${cpu.toFixed(2)} s cpu in all`);
    console.log(`  R = ${cert.bound.toPrecision(6)} (${cert.boundSource})`);
    for (const o of cert.orders) console.log(`  order ${o.order}: ${o.status.padEnd(9)} ${o.seconds.toFixed(2).padStart(7)} s  ${String(o.solves).padStart(4)} solves  ${String(o.nodes).padStart(7)} nodes  ${o.added} added`);
    console.log(`  ${certificateSummary(cert, SECONDS)}`);
  }
}

void main();
