import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { Cycle, findCycles } from '../../../src/core/scyfi';
import { readmeShplrnn, skewTent, thirdSystem, twoDimPlrnn } from './fixtures';

const near = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} is not ${expected} ± ${tol}`);

const ofOrder = (cycles: Cycle[], k: number) => cycles.filter((c) => c.order === k);

/** Real parts of the eigenvalues, descending (all expected real here). */
const realEig = (c: Cycle) => {
  for (const [, im] of c.eigenvalues) assert.ok(Math.abs(im) < 1e-9, `expected real eigenvalues, got ${JSON.stringify(c.eigenvalues)}`);
  return c.eigenvalues.map(([re]) => re).sort((a, b) => b - a);
};

describe('worked systems of science.md §4', () => {
  test('2-D PLRNN, a1 = −0.0222311: one stable fixed point (0.3649, −22.2606), eigenvalues 0.9646, −0.0222', () => {
    const { cycles } = findCycles(buildMap(twoDimPlrnn(-0.0222311)), { maxOrder: 4 });
    assert.equal(cycles.length, 1, JSON.stringify(cycles));
    const [fp] = cycles;
    assert.equal(fp.order, 1);
    near(fp.points[0][0], 0.3649, 5e-5, 'z1');
    near(fp.points[0][1], -22.2606, 5e-5, 'z2');
    const [l1, l2] = realEig(fp);
    near(l1, 0.9646, 5e-5, 'λ1');
    near(l2, -0.0222, 5e-5, 'λ2');
    assert.equal(fp.stable, true);
    assert.equal(fp.classification, 'stable node');
  });

  test('2-D PLRNN, a1 = 0.8377689: an unstable fixed point and exactly two 16-cycles, one stable, one saddle', () => {
    const { cycles } = findCycles(buildMap(twoDimPlrnn(0.8377689)), { maxOrder: 16 });
    const fps = ofOrder(cycles, 1);
    assert.equal(fps.length, 1);
    near(fps[0].points[0][0], 1.8724, 5e-5, 'z1');
    near(fps[0].points[0][1], 0.1075, 5e-5, 'z2');
    assert.equal(fps[0].stable, false);
    for (let k = 2; k <= 15; k++) assert.equal(ofOrder(cycles, k).length, 0, `no cycle of order ${k}`);
    const c16 = ofOrder(cycles, 16);
    assert.equal(c16.length, 2);
    const stable = c16.filter((c) => c.stable);
    const saddles = c16.filter((c) => c.classification.startsWith('saddle'));
    assert.equal(stable.length, 1);
    assert.equal(saddles.length, 1);
    assert.ok(saddles[0].eigenvalues.some(([re, im]) => Math.hypot(re, im) > 1));
    assert.ok(saddles[0].eigenvalues.some(([re, im]) => Math.hypot(re, im) < 1));
  });

  test('skew tent map, a_r = 0.5: stable fixed point 1/(1 − a_r) = 2, nothing else', () => {
    const { cycles } = findCycles(buildMap(skewTent(0.5)), { maxOrder: 4 });
    assert.equal(cycles.length, 1);
    near(cycles[0].points[0][0], 2, 1e-12, 'z');
    near(cycles[0].eigenvalues[0][0], 0.5, 1e-12, 'λ');
    assert.equal(cycles[0].stable, true);
  });

  for (const ar of [-1.5, -3, -4.9, -5.5]) {
    test(`skew tent map, a_r = ${ar}: 2-cycle 1.2/(1 − 0.2 a_r), (a_r + 1)/(1 − 0.2 a_r), eigenvalue 0.2 a_r`, () => {
      const { cycles } = findCycles(buildMap(skewTent(ar)), { maxOrder: 2 });
      const fp = ofOrder(cycles, 1);
      assert.equal(fp.length, 1);
      near(fp[0].points[0][0], 1 / (1 - ar), 1e-12, 'fixed point');
      assert.equal(fp[0].stable, false);
      const two = ofOrder(cycles, 2);
      assert.equal(two.length, 1);
      const den = 1 - 0.2 * ar;
      // canonical phase: the smaller point first
      near(two[0].points[0][0], (ar + 1) / den, 1e-12, 'z2');
      near(two[0].points[1][0], 1.2 / den, 1e-12, 'z1');
      near(two[0].eigenvalues[0][0], 0.2 * ar, 1e-12, 'λ');
      assert.equal(two[0].stable, ar > -5);
    });
  }

  test('skew tent map, a_r = −6: the 3-cycle (1, −5, 0) with a point exactly on the border', () => {
    const { cycles } = findCycles(buildMap(skewTent(-6)), { maxOrder: 3 });
    const three = ofOrder(cycles, 3);
    assert.equal(three.length, 1, JSON.stringify(cycles));
    const pts = three[0].points.map((p) => p[0]);
    // orbit order from the smallest point: −5 → 0 → 1 → −5
    near(pts[0], -5, 1e-12, 'z1');
    near(pts[1], 0, 1e-12, 'z2');
    near(pts[2], 1, 1e-12, 'z3');
    assert.equal(three[0].regions[1], '0', 'u = 0 is off');
    assert.deepEqual(three[0].regions, ['0', '0', '1']);
  });

  test('third system, a_l = −0.2: fixed point (0.107, 0.066875) and the 2-cycle with eigenvalues 0.7, −0.28', () => {
    const { cycles } = findCycles(buildMap(thirdSystem(-0.2)), { maxOrder: 3 });
    const fp = ofOrder(cycles, 1);
    assert.equal(fp.length, 1);
    near(fp[0].points[0][0], 0.107, 1e-12, 'x');
    near(fp[0].points[0][1], 0.066875, 1e-12, 'y');
    const two = ofOrder(cycles, 2);
    assert.equal(two.length, 1);
    const [p, q] = two[0].points;
    near(p[0], -0.445833, 1e-6, 'p.x');
    near(p[1], 0.334375, 1e-6, 'p.y');
    near(q[0], 0.570667, 1e-6, 'q.x');
    near(q[1], 0.245208, 1e-6, 'q.y');
    const [l1, l2] = realEig(two[0]);
    near(l1, 0.7, 1e-9, 'λ1');
    near(l2, -0.28, 1e-9, 'λ2');
    assert.equal(two[0].stable, true);
  });

  test('third system: the fixed point does not move with a_l', () => {
    for (const al of [-0.1, -0.3, -0.45]) {
      const fp = ofOrder(findCycles(buildMap(thirdSystem(al)), { maxOrder: 1 }).cycles, 1);
      assert.equal(fp.length, 1);
      near(fp[0].points[0][0], 0.107, 1e-12, 'x');
      near(fp[0].points[0][1], 0.066875, 1e-12, 'y');
    }
  });
});

describe('shPLRNN example of the SCYFI README (M = 2, H = 10)', () => {
  test('no fixed point, two 2-cycles, no 3-cycle, one 4-cycle', () => {
    const { cycles } = findCycles(buildMap(readmeShplrnn), { maxOrder: 4 });
    assert.deepEqual(
      [1, 2, 3, 4].map((k) => ofOrder(cycles, k).length),
      [0, 2, 0, 1],
    );
    for (const c of cycles) for (const r of c.regions) assert.equal(r.length, 10);
  });
});
