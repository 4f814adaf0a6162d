import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { Cycle, findCycles, Prng } from '../../../src/core/scyfi';
import { sameCycle } from './exhaustive';
import { completenessGenerators } from './randomModels';

/**
 * Seed robustness (issue 9, part 2): every cycle that any of SEEDS seeds finds with the default
 * loops must be found by each seed. The models are those of bench/completeness.bench.ts (same
 * generator and stream): per architecture, models the benchmark found a seed missing something
 * on. PLRNN model 5 (a saddle 4-cycle that 2 seeds in 10 found) passes since the search also
 * follows Newton's jumps, dendPLRNN model 12 (a 3-cycle of spectral radius 100, 1 seed in 10)
 * since it tries the two-bit neighbours within one region of found cycles, clipped shPLRNN
 * model 6's 4-cycle (two switches from its tiled 2-cycle) since lower-order cycles get those
 * too. Model 6's 3-cycle (seven switches from every other cycle) is still missed by 3 seeds in
 * 10: that order is marked todo until the search is fixed (node --test reports it, the suite
 * stays green). Small models first.
 */
const SEEDS = 10;
const cases: { arch: string; indices: number[]; orders?: number[]; todo?: string }[] = [
  { arch: 'plrnn', indices: [0, 1, 2, 5] },
  { arch: 'clipped-shplrnn', indices: [0, 1, 6], orders: [1, 2, 4] },
  { arch: 'clipped-shplrnn', indices: [6], orders: [3], todo: 'a 3-cycle of model 6 is still missed by 3 seeds in 10 (bench/RESULTS.md)' },
  { arch: 'dendplrnn', indices: [0, 1, 12] },
];

function model(arch: string, index: number) {
  const rng = new Prng(0x5eed + arch.length * 7919);
  let spec = completenessGenerators[arch](rng, 0);
  for (let i = 1; i <= index; i++) spec = completenessGenerators[arch](rng, i);
  return buildMap(spec);
}

/** Each seed's cycles of a model, computed once for the cases that share the model. */
const searched = new Map<string, Cycle[][]>();
function runs(arch: string, index: number): Cycle[][] {
  const key = `${arch} ${index}`;
  if (!searched.has(key)) {
    const map = model(arch, index);
    searched.set(key, Array.from({ length: SEEDS }, (_, s) => findCycles(map, { maxOrder: 4, seed: s }).cycles));
  }
  return searched.get(key)!;
}

describe('every seed finds what any seed finds', () => {
  for (const { arch, indices, orders, todo } of cases) {
    test(`${arch}: models ${indices.join(', ')}${orders ? `, orders ${orders.join(', ')}` : ''}, ${SEEDS} seeds`, todo ? { todo } : {}, () => {
      const problems: string[] = [];
      for (const i of indices) {
        const found = runs(arch, i).map((run) => run.filter((c) => !orders || orders.includes(c.order)));
        const union: Cycle[] = [];
        for (const run of found) for (const c of run) if (!union.some((u) => u.order === c.order && sameCycle(u.points, c.points))) union.push(c);
        found.forEach((run, s) => {
          for (const c of union) if (!run.some((g) => g.order === c.order && sameCycle(g.points, c.points))) problems.push(`model ${i} seed ${s} misses a ${c.order}-cycle`);
        });
      }
      assert.deepEqual(problems, []);
    });
  }
});
