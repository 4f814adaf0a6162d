import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { Cycle, findCycles } from '../../../src/core/scyfi';
import { sameCycle } from './exhaustive';
import { completenessModel } from './randomModels';

/**
 * Seed robustness (issue 9, part 2): every cycle that any of SEEDS seeds finds with the default
 * loops must be found by each seed. The models are those of bench/completeness.bench.ts (same
 * generator and stream): per architecture, models the benchmark found a seed missing something
 * on. PLRNN model 5 (a saddle 4-cycle that 2 seeds in 10 found) passes since the search also
 * follows Newton's jumps, dendPLRNN model 12 (a 3-cycle of spectral radius 100, 1 seed in 10)
 * since it tries the two-bit neighbours within one region of found cycles, clipped shPLRNN
 * model 6's 4-cycle (two switches from its tiled 2-cycle) since lower-order cycles get those
 * too, and clipped models 5 (a 4-cycle two switches from another, in adjacent regions: 13 misses
 * in 20 seeds) and 6 (a 3-cycle seven switches from every other cycle: 3 seeds in 10) since
 * small models make eight times the restarts (defaults.ts). dendPLRNN model 36 (a saddle 2-cycle
 * that 3 seeds in 20 missed) and clipped model 28 (a 2-cycle, 3 in 20) pass since the search
 * follows the residual curves through the cycles it found (homotopy.ts). Small models first.
 */
const SEEDS = 10;
const cases: { arch: string; indices: number[] }[] = [
  { arch: 'plrnn', indices: [0, 1, 2, 5] },
  { arch: 'clipped-shplrnn', indices: [0, 1, 5, 6, 28] },
  { arch: 'dendplrnn', indices: [0, 1, 12, 36] },
];

/** Each seed's cycles of a model. */
function runs(arch: string, index: number): Cycle[][] {
  const map = buildMap(completenessModel(arch, index));
  return Array.from({ length: SEEDS }, (_, s) => findCycles(map, { maxOrder: 4, seed: s }).cycles);
}

describe('every seed finds what any seed finds', () => {
  for (const { arch, indices } of cases) {
    test(`${arch}: models ${indices.join(', ')}, ${SEEDS} seeds`, () => {
      const problems: string[] = [];
      for (const i of indices) {
        const found = runs(arch, i);
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
