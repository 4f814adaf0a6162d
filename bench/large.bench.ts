/**
 * SCYFI at the sizes of current work (issue 9, part 3): time to the full default result against
 * a baseline measured in the same run, each search capped at CAP seconds (a capped run is marked
 * "cancelled"). The baseline is this engine with chainPatience Infinity, or with --baseline DIR
 * the default search of another checkout (e.g. `git worktree add /tmp/old <commit>`), loaded
 * from DIR/src/core/scyfi. Also compares the cycles: any found by the baseline and not by the
 * default is a loss.
 *
 *   node --import tsx bench/large.bench.ts [--quick] [--baseline DIR] [--cap SECONDS] [--only LABEL-SUBSTRING]
 *   (--quick: fixed points only; --only: the cases whose label contains it)
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { buildMap } from '../src/core/model';
import { PiecewiseAffineMap } from '../src/core/model/types';
import { Cycle, DEFAULT_CHAIN_PATIENCE, findCycles, Prng, ScyfiOptions, ScyfiResult } from '../src/core/scyfi';
import { sameCycle } from '../test/unit/scyfi/exhaustive';
import { randomPlrnn, randomShplrnn } from '../test/unit/scyfi/randomModels';

const quick = process.argv.includes('--quick');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const CAP = Number(arg('cap') ?? 120);
const baselineDir = arg('baseline');

type Find = typeof findCycles;
function capped(find: Find, map: PiecewiseAffineMap, options: ScyfiOptions): ScyfiResult {
  const t0 = performance.now();
  return find(map, options, { isCancelled: () => performance.now() - t0 > CAP * 1000 });
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
async function main(): Promise<void> {
  const other: Find | undefined = baselineDir ? ((await import(resolve(baselineDir, 'src/core/scyfi/index.ts'))) as { findCycles: Find }).findCycles : undefined;
  const baseLabel = other ? `baseline (${baselineDir})` : 'baseline (chainPatience ∞)';
  const only = arg('only');
  for (const { label, map, K } of cases.filter((c) => only === undefined || c.label.includes(only))) {
    const now = capped(findCycles, map, { maxOrder: K });
    const base = other ? capped(other, map, { maxOrder: K }) : capped(findCycles, map, { maxOrder: K, chainPatience: Infinity });
    console.log(`\n${label}`);
    console.log(`  ${baseLabel} ${describe(base)}`);
    console.log(`  default  (chainPatience ${DEFAULT_CHAIN_PATIENCE}) ${describe(now)}`);
    console.log(`  time ×${(now.stats.seconds / base.stats.seconds).toFixed(2)}, candidates ×${(now.stats.candidates / base.stats.candidates).toFixed(2)}; found by the baseline only: ${missing(base.cycles, now.cycles)}, by the default only: ${missing(now.cycles, base.cycles)}`);
  }
}

void main();
