import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { PiecewiseAffineMap } from '../../../src/core/model/types';
import { regionBits } from '../../../src/core/model/evaluate';
import { findCycles, Prng } from '../../../src/core/scyfi';
import { CandidateSolver, Outcome } from '../../../src/core/scyfi/candidate';
import { CycleHomotopy, randomDirection } from '../../../src/core/scyfi/homotopy';
import { sequencePeriod, wordsPerRegion } from '../../../src/core/scyfi/sequence';
import { verifyOrbit } from '../../../src/core/scyfi/verify';
import { normInf } from '../../../src/core/linalg/lu';
import { sameCycle } from './exhaustive';
import { completenessModel } from './randomModels';

describe('continuation along the residual curve (CycleHomotopy)', () => {
  test('z′ = 0.5 z + relu(z) − 0.5: from the fixed point −1 the curve reaches the fixed point 1 one way only', () => {
    const map = buildMap({ architecture: 'plrnn', A: [0.5], W: [[1]], h: [-0.5] });
    const hom = new CycleHomotopy(map, 1, 1);
    const zeros: number[][] = [];
    const at = Float64Array.of(-1);
    // G = f(z) − z = −z/2 − 1/2 (z < 0), z/2 − 1/2 (z > 0). Towards s < 0 the point rises
    // through 0 at s = −1/2, then, on the other side, s rises again to 0 at z = 1.
    const steps = hom.follow(1, at, Float64Array.of(1), -1, 50, (seq) => zeros.push(Array.from(seq)));
    assert.deepEqual(zeros, [[1]]);
    assert.equal(steps, 1);
    // Towards s > 0 the point falls forever: no border, no zero.
    const none: number[][] = [];
    assert.equal(hom.follow(1, at, Float64Array.of(1), 1, 50, (seq) => none.push(Array.from(seq))), 0);
    assert.deepEqual(none, []);
  });

  const models: [string, PiecewiseAffineMap][] = [
    ['PLRNN #1 (M = 4)', buildMap(completenessModel('plrnn', 1))],
    ['shPLRNN #2 (M = 5, H = 9)', buildMap(completenessModel('shplrnn', 2))],
    ['clipped shPLRNN #3 (M = 6)', buildMap(completenessModel('clipped-shplrnn', 3))],
    ['dendPLRNN #4 (M = 7, B = 2)', buildMap(completenessModel('dendplrnn', 4))],
  ];

  test('sequencePeriod: the least period of a packed region sequence', () => {
    assert.equal(sequencePeriod(Int32Array.of(5, 5, 5, 5), 4, 1), 1);
    assert.equal(sequencePeriod(Int32Array.of(1, 2, 1, 2), 4, 1), 2);
    assert.equal(sequencePeriod(Int32Array.of(1, 2, 1, 3), 4, 1), 4);
    // Two words per region: both words must repeat.
    assert.equal(sequencePeriod(Int32Array.of(1, 7, 1, 8), 2, 2), 2);
    assert.equal(sequencePeriod(Int32Array.of(1, 7, 1, 7, 1, 7), 3, 2), 1);
  });

  for (const [name, map] of models) {
    test(`${name}: every zero the curves cross solves consistently in its region sequence and verifies`, () => {
      const K = 3;
      const words = wordsPerRegion(regionBits(map));
      const hom = new CycleHomotopy(map, K, words);
      const solver = new CandidateSolver(map, K);
      const rng = new Prng(1);
      const known = findCycles(map, { maxOrder: K, seed: 0, homotopy: false }).cycles;
      assert.ok(known.length > 0, 'premise: the model has a cycle to start from');
      let zeros = 0;
      const bad: string[] = [];
      for (let k = 1; k <= K; k++) {
        for (const c of known.filter((c) => k % c.order === 0)) {
          const x = Float64Array.from({ length: k * map.M }, (_, t) => c.points[Math.floor(t / map.M) % c.order][t % map.M]);
          const g = new Float64Array(k * map.M);
          for (let r = 0; r < 4; r++) {
            randomDirection(rng, k * map.M, g);
            for (const dir of [1, -1] as const) {
              hom.follow(k, x, g, dir, 100, (seq) => {
                zeros++;
                // A zero in a repeating sequence is a lower-order cycle tiled: solved at its period.
                const p = sequencePeriod(seq, k, words);
                const ok = solver.solve(seq.subarray(0, p * words), p) === Outcome.Consistent && verifyOrbit(map, solver.orbit, p, (j) => normInf(solver.product(j + 1), map.M));
                if (!ok) bad.push(`order ${k}: ${Array.from(seq).join(',')}`);
              });
            }
          }
        }
      }
      assert.ok(zeros > 0, 'the curves cross zero somewhere');
      assert.deepEqual(bad, []);
    });
  }

  test('the default search follows curves from found cycles: dendPLRNN #36 seed 0 finds the saddle 2-cycle it missed without', () => {
    const map = buildMap(completenessModel('dendplrnn', 36));
    const without = findCycles(map, { maxOrder: 2, seed: 0, homotopy: false });
    const withCurves = findCycles(map, { maxOrder: 2, seed: 0 });
    const extra = withCurves.cycles.filter((c) => !without.cycles.some((w) => w.order === c.order && sameCycle(w.points, c.points)));
    assert.equal(extra.length, 1, 'premise: without curves seed 0 misses one 2-cycle (certify.test.ts)');
    assert.equal(extra[0].order, 2);
    assert.ok(withCurves.stats.foundBy!.homotopy >= 1);
    for (const c of without.cycles) assert.ok(withCurves.cycles.some((w) => w.order === c.order && sameCycle(w.points, c.points)), 'nothing found without is lost');
  });
});
