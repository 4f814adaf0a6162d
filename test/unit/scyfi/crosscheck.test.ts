import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { ModelSpec, PiecewiseAffineMap } from '../../../src/core/model/types';
import { findCycles, Prng } from '../../../src/core/scyfi';
import { exhaustiveCycles, sameCycle } from './exhaustive';
import { randomAlrnn, randomDendPlrnn, randomPlrnn, randomShplrnn } from './randomModels';

/**
 * SCYFI with its default loop counts (heuristic only, and as shipped) against the exhaustive enumeration of every region
 * sequence, on seeded random models of every architecture: every cycle found, none false,
 * none twice. Sizes keep 2^(H·k) ≤ 2^15.
 */
const MODELS_PER_ARCHITECTURE = 30;

interface Case {
  spec: ModelSpec;
  maxOrder: number;
}

const generators: Record<string, (rng: Prng, i: number) => Case> = {
  // M = 3..7; orders 1–3 while 2^(3M) ≤ 2^15, else 1–2
  plrnn: (rng, i) => {
    const M = 3 + (i % 5);
    return { spec: randomPlrnn(rng, M), maxOrder: M <= 5 ? 3 : 2 };
  },
  shplrnn: (rng, i) => ({ spec: randomShplrnn(rng, 2, 3 + (i % 3)), maxOrder: 3 }),
  // 2H switches
  'clipped-shplrnn': (rng, i) => (i % 2 === 0 ? { spec: randomShplrnn(rng, 2, 2, true), maxOrder: 3 } : { spec: randomShplrnn(rng, 3, 3, true), maxOrder: 2 }),
  alrnn: (rng, i) => {
    const M = 3 + (i % 3);
    return { spec: randomAlrnn(rng, M, Math.min(M, 2 + (i % 3))), maxOrder: 3 };
  },
  // H = M·B switches
  dendplrnn: (rng, i) => (i % 2 === 0 ? { spec: randomDendPlrnn(rng, 2, 2), maxOrder: 3 } : { spec: randomDendPlrnn(rng, 3, 2), maxOrder: 2 }),
};

describe('SCYFI against exhaustive search', () => {
  let grandTotal = 0;
  for (const [arch, gen] of Object.entries(generators)) {
    test(`${arch}: ${MODELS_PER_ARCHITECTURE} random models`, (t) => {
      const rng = new Prng(0xc0ffee + arch.length);
      let total = 0;
      let withSeveral = 0;
      for (let i = 0; i < MODELS_PER_ARCHITECTURE; i++) {
        const { spec, maxOrder } = gen(rng, i);
        assert.equal(spec.architecture, arch);
        const map = buildMap(spec);
        const reference = [];
        for (let k = 1; k <= maxOrder; k++) reference.push(...exhaustiveCycles(map, k));
        // The heuristic alone (exhaustiveLimit 0), and as shipped (small orders enumerated).
        for (const exhaustiveLimit of [0, undefined]) {
          const { cycles } = findCycles(map, { maxOrder, seed: i + 1, exhaustiveLimit });
          const where = `${arch} model ${i} (M=${map.M}, H=${map.H}, K=${maxOrder}, exhaustiveLimit ${exhaustiveLimit})`;
          for (const ref of reference) {
            assert.ok(
              cycles.some((c) => c.order === ref.order && sameCycle(c.points, ref.points)),
              `${where}: missed the ${ref.order}-cycle ${JSON.stringify(ref.points)}`,
            );
          }
          for (const c of cycles) {
            assert.ok(reference.some((ref) => sameCycle(c.points, ref.points)), `${where}: false cycle ${JSON.stringify(c)}`);
          }
          for (let a = 0; a < cycles.length; a++) {
            for (let b = a + 1; b < cycles.length; b++) {
              assert.ok(!sameCycle(cycles[a].points, cycles[b].points), `${where}: reported twice: ${JSON.stringify(cycles[a].points)}`);
            }
          }
        }
        total += reference.length;
        if (reference.length >= 2) withSeveral++;
      }
      t.diagnostic(`${arch}: ${total} cycles in ${MODELS_PER_ARCHITECTURE} models, ${withSeveral} models with ≥ 2`);
      // Not vacuous: the random models must actually have cycles to find.
      assert.ok(total >= MODELS_PER_ARCHITECTURE, `only ${total} cycles`);
      assert.ok(withSeveral >= MODELS_PER_ARCHITECTURE / 5, `only ${withSeveral} models with several cycles`);
      grandTotal += total;
    });
  }
  test('plrnn, M = 8..11: every fixed point', (t) => {
    const rng = new Prng(0xf1);
    let total = 0;
    for (let i = 0; i < 24; i++) {
      const map = buildMap(randomPlrnn(rng, 8 + (i % 4), 4));
      const reference = exhaustiveCycles(map, 1);
      const { cycles } = findCycles(map, { maxOrder: 1, seed: i + 1, exhaustiveLimit: 0 });
      assert.equal(cycles.length, reference.length, `model ${i} (M=${map.M})`);
      for (const ref of reference) assert.ok(cycles.some((c) => sameCycle(c.points, ref.points)), `model ${i}: missed ${JSON.stringify(ref.points)}`);
      total += reference.length;
    }
    t.diagnostic(`${total} fixed points in 24 models`);
    assert.ok(total >= 30, `only ${total} fixed points`);
    grandTotal += total;
  });

  test('the suite as a whole holds many cycles', () => {
    assert.ok(grandTotal >= 250, `only ${grandTotal} cycles`);
  });
});

describe('SCYFI against exhaustive search, with an output clip', () => {
  /** The map of a random PLRNN with z' clipped to ±r, r of the size of its states. */
  const withClip = (map: PiecewiseAffineMap, r: number): PiecewiseAffineMap => ({
    ...map,
    clip: { lo: new Float64Array(map.M).fill(-r), hi: new Float64Array(map.M).fill(r) },
  });
  test('plrnn M = 2..3, clip at ±r: every cycle, none false, none twice', (t) => {
    const rng = new Prng(0xc11b);
    let total = 0;
    let touching = 0;
    for (let i = 0; i < 24; i++) {
      const M = i % 3 === 2 ? 3 : 2;
      const maxOrder = M === 2 ? 3 : 2;
      const map = withClip(buildMap(randomPlrnn(rng, M)), rng.uniform(0.4, 2));
      const reference = [];
      for (let k = 1; k <= maxOrder; k++) reference.push(...exhaustiveCycles(map, k));
      for (const exhaustiveLimit of [0, undefined]) {
        const { cycles } = findCycles(map, { maxOrder, seed: i + 1, exhaustiveLimit });
        const where = `model ${i} (M=${M}, r=${map.clip!.hi[0]}, exhaustiveLimit ${exhaustiveLimit})`;
        for (const ref of reference) {
          assert.ok(cycles.some((c) => c.order === ref.order && sameCycle(c.points, ref.points)), `${where}: missed ${JSON.stringify(ref.points)}`);
        }
        for (const c of cycles) assert.ok(reference.some((ref) => sameCycle(c.points, ref.points)), `${where}: false cycle ${JSON.stringify(c)}`);
        assert.equal(cycles.length, reference.length, `${where}: reported twice`);
        for (const c of cycles) for (const r of c.regions) assert.match(r, new RegExp(`^[01]{${M}}\\|[-+.]{${M}}$`));
      }
      total += reference.length;
      // Not vacuous: some cycles must have a clipped point.
      if (reference.some((ref) => ref.points.some((p) => p.some((x) => Math.abs(Math.abs(x) - map.clip!.hi[0]) < 1e-12)))) touching++;
    }
    t.diagnostic(`${total} cycles in 24 clipped models, ${touching} models with a cycle on the clip`);
    assert.ok(total >= 24, `only ${total} cycles`);
    assert.ok(touching >= 6, `only ${touching} models with a clipped cycle point`);
  });
});
