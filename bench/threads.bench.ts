/**
 * One search on every core (issue 9, part 3): the default search alone against the same search
 * with helper threads (src/worker/chainAhead.ts) computing its coming chains, in the same run.
 * The results must be identical (the bench fails otherwise); the figure is the wall-time ratio.
 * Helpers start at once here (engageAfterMs 0); in the CLI and the editor they start after
 * DEFAULT_ENGAGE_MS.
 *
 *   node --import tsx bench/threads.bench.ts [--threads N] [--cap SECONDS] [--only LABEL-SUBSTRING]
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { buildMap } from '../src/core/model';
import { PiecewiseAffineMap } from '../src/core/model/types';
import { findCycles, Prng, ScyfiResult } from '../src/core/scyfi';
import { HelperThreads } from '../src/worker/chainAhead';
import { randomPlrnn, randomShplrnn } from '../test/unit/scyfi/randomModels';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const THREADS = Number(arg('threads') ?? availableParallelism());
const CAP = Number(arg('cap') ?? 120);

const cases: { label: string; map: () => PiecewiseAffineMap; K: number }[] = [
  { label: 'random PLRNN M=16, orders 1–4', map: () => buildMap(randomPlrnn(new Prng(16), 16)), K: 4 },
  { label: 'random PLRNN M=32, orders 1–2', map: () => buildMap(randomPlrnn(new Prng(11), 32)), K: 2 },
  { label: 'random PLRNN M=64 (gain 1.4), fixed points', map: () => buildMap(randomPlrnn(new Prng(7), 64, 1.4)), K: 1 },
  { label: 'random shPLRNN M=10 H=200, orders 1–2', map: () => buildMap(randomShplrnn(new Prng(64), 10, 200)), K: 2 },
  { label: 'random shPLRNN M=3 H=500, orders 1–4', map: () => buildMap(randomShplrnn(new Prng(64), 3, 500)), K: 4 },
];

const same = (a: ScyfiResult, b: ScyfiResult) =>
  JSON.stringify({ c: a.cycles, n: a.stats.candidates, o: a.stats.orders }) === JSON.stringify({ c: b.cycles, n: b.stats.candidates, o: b.stats.orders });

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${THREADS} threads against 1; cap ${CAP} s per search`);
  let failed = false;
  const only = arg('only');
  for (const { label, map: make, K } of cases.filter((c) => only === undefined || c.label.includes(only))) {
    const map = make();
    const deadline = () => {
      const t0 = performance.now();
      return () => performance.now() - t0 > CAP * 1000;
    };
    const alone = findCycles(map, { maxOrder: K }, { isCancelled: deadline() });
    const ahead = new HelperThreads(map, K, { helpers: THREADS - 1 });
    await ahead.start();
    const isCancelled = deadline();
    const shared = findCycles(map, { maxOrder: K }, { isCancelled, ahead });
    ahead.close();
    const { counts } = ahead;
    const capped = alone.cancelled || shared.cancelled;
    const identical = capped ? 'capped: not compared' : same(alone, shared) ? 'identical' : 'DIFFERENT';
    if (identical === 'DIFFERENT') failed = true;
    console.log(`\n${label}: ${alone.cycles.length} cycles, ${alone.stats.candidates.toLocaleString('en-US')} candidates; results ${identical}`);
    console.log(`  1 thread   ${alone.stats.seconds.toFixed(2).padStart(7)} s${alone.cancelled ? ' (capped)' : ''}`);
    console.log(`  ${THREADS} threads ${shared.stats.seconds.toFixed(2).padStart(7)} s${shared.cancelled ? ' (capped)' : ''}   time ×${(shared.stats.seconds / alone.stats.seconds).toFixed(2)}; solves by helpers ${counts.helperSolves.toLocaleString('en-US')}, by the search while it waited ${counts.spareSolves.toLocaleString('en-US')}, replayed ${counts.takenSolves.toLocaleString('en-US')}`);
  }
  if (failed) process.exitCode = 1;
}

void main();
