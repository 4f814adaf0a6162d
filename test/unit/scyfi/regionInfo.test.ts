import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { defaultOuterLoop, findCycles, Prng } from '../../../src/core/scyfi';
import { regionInformation, smallModelFactor } from '../../../src/core/scyfi/defaults';
import { randomDendPlrnn, randomPlrnn, randomShplrnn } from './randomModels';

/** log2 Σ_{i≤M} C(H, i), exactly in BigInt. */
function log2Regions(M: number, H: number): number {
  let sum = 0n;
  let term = 1n;
  for (let i = 0; i <= Math.min(M, H); i++) {
    if (i > 0) term = (term * BigInt(H - i + 1)) / BigInt(i);
    sum += term;
  }
  const digits = sum.toString(2).length;
  const top = Number(sum >> BigInt(Math.max(0, digits - 53)));
  return Math.log2(top) + Math.max(0, digits - 53);
}

describe('region information (what the default loops scale with)', () => {
  test('a PLRNN: one bit per unit', () => {
    assert.equal(regionInformation(buildMap(randomPlrnn(new Prng(1), 7))), 7);
  });

  test('a shPLRNN with H ≫ M: log2 of the regions of H planes in general position', () => {
    for (const [M, H] of [[3, 500], [10, 200], [4, 6]]) {
      const got = regionInformation(buildMap(randomShplrnn(new Prng(M * H), M, H)));
      assert.ok(Math.abs(got - log2Regions(M, H)) < 1e-9, `M=${M} H=${H}: ${got} vs ${log2Regions(M, H)}`);
    }
    assert.ok(regionInformation(buildMap(randomShplrnn(new Prng(2), 3, 500))) < 25);
  });

  test('a dendPLRNN: thresholds on one coordinate make B + 1 intervals, equal thresholds count once', () => {
    const spec = randomDendPlrnn(new Prng(3), 4, 2);
    assert.ok(Math.abs(regionInformation(buildMap(spec)) - 4 * Math.log2(3)) < 1e-12);
    const same = { ...spec, H: spec.H.map(() => [0.5, 0.5]) };
    assert.ok(Math.abs(regionInformation(buildMap(same)) - 4) < 1e-12);
  });

  test('the outer loop grows with region information, not with the number of switches', () => {
    const k = 2;
    const big = buildMap(randomShplrnn(new Prng(5), 3, 500));
    assert.ok(defaultOuterLoop(big.M, regionInformation(big), k) < defaultOuterLoop(big.M, big.H, k) / 10);
    const plrnn = buildMap(randomPlrnn(new Prng(6), 8));
    assert.equal(defaultOuterLoop(8, regionInformation(plrnn), k), defaultOuterLoop(8, 8, k));
  });

  test('small models make eight times the restarts, large ones the plain count, geometric in between', () => {
    assert.equal(smallModelFactor(10, 40), 8);
    assert.equal(smallModelFactor(3, 48), 8);
    assert.ok(Math.abs(smallModelFactor(16, 16) - 4) < 1e-12);
    assert.ok(Math.abs(smallModelFactor(20, 20) - 2) < 1e-12);
    assert.equal(smallModelFactor(24, 24), 1);
    assert.equal(smallModelFactor(64, 64), 1);
    assert.equal(smallModelFactor(3, 500), 1);
    let last = Infinity;
    for (let bits = 1; bits <= 120; bits++) {
      const f = smallModelFactor(3, bits);
      assert.ok(f <= last && f >= 1 && f <= 8);
      last = f;
    }
  });

  test('a search from nothing makes the factor times the restarts, a continued step a share of the plain count', () => {
    const map = buildMap(randomPlrnn(new Prng(8), 4));
    const plain = defaultOuterLoop(4, regionInformation(map), 2);
    const outerOf = (r: ReturnType<typeof findCycles>) => r.stats.orders!.find((o) => o.order === 2)!.outerLoop;
    assert.equal(outerOf(findCycles(map, { maxOrder: 2, exhaustiveLimit: 0 })), 8 * plain);
    assert.equal(outerOf(findCycles(map, { maxOrder: 2, exhaustiveLimit: 0, outerLoopScale: 0.3 })), Math.ceil(0.3 * plain));
    assert.equal(outerOf(findCycles(map, { maxOrder: 2, outerLoop: 7 })), 7);
  });
});
