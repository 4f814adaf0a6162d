/**
 * SCYFI at the sizes of current work (issue 9, part 3): time to the full default result against
 * the engine before the chain-patience rule (chainPatience: Infinity, otherwise the same code),
 * measured in the same run, each search capped at CAP seconds (a capped run is marked "cancelled").
 * Also compares the cycles: any found by the baseline and not by the default is a loss.
 *
 *   node --import tsx bench/large.bench.ts [--quick]     (--quick: fixed points only)
 */
import { cpus, loadavg } from 'node:os';
import { buildMap } from '../src/core/model';
import { PiecewiseAffineMap } from '../src/core/model/types';
import { Cycle, DEFAULT_CHAIN_PATIENCE, findCycles, Prng, ScyfiOptions, ScyfiResult } from '../src/core/scyfi';
import { sameCycle } from '../test/unit/scyfi/exhaustive';
import { randomPlrnn, randomShplrnn } from '../test/unit/scyfi/randomModels';

const quick = process.argv.includes('--quick');
const CAP = 120;

function capped(map: PiecewiseAffineMap, options: ScyfiOptions): ScyfiResult {
  const t0 = performance.now();
  return findCycles(map, options, { isCancelled: () => performance.now() - t0 > CAP * 1000 });
}

const describe = (r: ScyfiResult) => {
  const perOrder = new Map<number, number>();
  for (const c of r.cycles) perOrder.set(c.order, (perOrder.get(c.order) ?? 0) + 1);
  return `${r.stats.candidates.toLocaleString('en-US').padStart(9)} cand ${r.stats.seconds.toFixed(1).padStart(6)} s  ${r.cycles.length} cycles${perOrder.size ? ` (${[...perOrder].map(([k, n]) => `${n}×${k}`).join(' ')})` : ''}${r.cancelled ? '  CANCELLED at the cap' : ''}`;
};

const missing = (a: Cycle[], b: Cycle[]) => a.filter((c) => !b.some((d) => d.order === c.order && sameCycle(c.points, d.points))).length;

console.log(`node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; cap ${CAP} s per search`);
const cases: { label: string; map: PiecewiseAffineMap; K: number }[] = [
  { label: 'random PLRNN M=64 (gain 1.5), fixed points', map: buildMap(randomPlrnn(new Prng(64), 64, 1.5)), K: 1 },
  { label: 'random PLRNN M=64 (gain 1.4), fixed points', map: buildMap(randomPlrnn(new Prng(7), 64, 1.4)), K: 1 },
  ...(quick
    ? []
    : [
        { label: 'random PLRNN M=64 (gain 1.5), orders 1–4', map: buildMap(randomPlrnn(new Prng(64), 64, 1.5)), K: 4 },
        { label: 'random shPLRNN M=10 H=200, orders 1–4', map: buildMap(randomShplrnn(new Prng(64), 10, 200)), K: 4 },
        { label: 'random shPLRNN M=3 H=500, orders 1–4', map: buildMap(randomShplrnn(new Prng(64), 3, 500)), K: 4 },
      ]),
];
for (const { label, map, K } of cases) {
  const now = capped(map, { maxOrder: K });
  const base = capped(map, { maxOrder: K, chainPatience: Infinity });
  console.log(`\n${label}`);
  console.log(`  baseline (chainPatience ∞) ${describe(base)}`);
  console.log(`  default  (chainPatience ${DEFAULT_CHAIN_PATIENCE}) ${describe(now)}`);
  console.log(`  time ×${(now.stats.seconds / base.stats.seconds).toFixed(2)}, candidates ×${(now.stats.candidates / base.stats.candidates).toFixed(2)}; found by the baseline only: ${missing(base.cycles, now.cycles)}, by the default only: ${missing(now.cycles, base.cycles)}`);
}
