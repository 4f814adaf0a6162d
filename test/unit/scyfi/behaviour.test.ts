import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { Cycle, findCycles, Prng } from '../../../src/core/scyfi';
import { InputError } from '../../../src/core/errors';
import { readmeShplrnn, twoDimPlrnn } from './fixtures';
import { randomPlrnn } from './randomModels';

describe('findCycles behaviour', () => {
  test('the same seed gives an identical result; the default seed is fixed', () => {
    const map = buildMap(randomPlrnn(new Prng(7), 4));
    const a = findCycles(map, { maxOrder: 3, seed: 11 });
    const b = findCycles(map, { maxOrder: 3, seed: 11 });
    assert.deepEqual(a.cycles, b.cycles);
    assert.equal(a.stats.candidates, b.stats.candidates);
    const c = findCycles(map, { maxOrder: 3 });
    const d = findCycles(map, { maxOrder: 3 });
    assert.deepEqual(c.cycles, d.cycles);
    assert.equal(c.stats.candidates, d.stats.candidates);
    assert.ok(a.cycles.length > 0);
  });

  test('onCycle streams every reported cycle once, onOrder announces each order', () => {
    const streamed: Cycle[] = [];
    const orders: number[] = [];
    const r = findCycles(buildMap(readmeShplrnn), { maxOrder: 4 }, {
      onCycle: (c) => streamed.push(c),
      onOrder: (k, K) => {
        assert.equal(K, 4);
        orders.push(k);
      },
    });
    assert.deepEqual(orders, [1, 2, 3, 4]);
    assert.equal(streamed.length, r.cycles.length);
    for (const c of r.cycles) assert.ok(streamed.includes(c));
    assert.equal(r.cancelled, false);
  });

  test('cancellation stops early, sets cancelled and keeps the cycles found so far', () => {
    const map = buildMap(twoDimPlrnn(0.8377689));
    const full = findCycles(map, { maxOrder: 16 });
    let polls = 0;
    let found = 0;
    const r = findCycles(map, { maxOrder: 16 }, {
      onCycle: () => found++,
      // cancel once the fixed point is in and a few thousand polls have passed
      isCancelled: () => found > 0 && ++polls > 3,
    });
    assert.equal(r.cancelled, true);
    assert.ok(r.stats.candidates < full.stats.candidates, `${r.stats.candidates} vs ${full.stats.candidates}`);
    assert.equal(r.cycles.length, found);
    assert.ok(r.cycles.some((c) => c.order === 1));
    assert.ok(!r.cycles.some((c) => c.order === 16));
  });

  test('cancelled before the start: nothing searched', () => {
    const r = findCycles(buildMap(twoDimPlrnn(0.8377689)), { maxOrder: 5 }, { isCancelled: () => true });
    assert.equal(r.cancelled, true);
    assert.equal(r.cycles.length, 0);
    assert.equal(r.stats.candidates, 0);
  });

  test('an order is claimed complete (enumerated) only when every region sequence was solved, to the end', () => {
    const map = buildMap(twoDimPlrnn(0.8377689)); // 2 region bits: orders with 2^(2k) ≤ 4096 sequences are enumerated
    const claimed = (r: ReturnType<typeof findCycles>) => r.stats.orders!.filter((o) => o.enumerated).map((o) => o.order);
    assert.deepEqual(claimed(findCycles(map, { maxOrder: 8 })), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(claimed(findCycles(map, { maxOrder: 3, exhaustiveLimit: 0 })), []);
    // Stopped inside the enumeration of order 10 (2^20 sequences): the orders before it stay claimed, order 10 is not.
    let atTen = false;
    const cut = findCycles(map, { maxOrder: 10, exhaustiveLimit: 2 ** 20 }, { onOrder: (k) => (atTen = k === 10), isCancelled: () => atTen });
    assert.equal(cut.cancelled, true);
    assert.deepEqual(cut.stats.orders!.map((o) => o.order), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(claimed(cut), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // z' = a z + 0.25 relu(z): with a = 1 every z < 0 is a fixed point (I − F = 0 there): order 1 is not claimed.
    const line = (a: number) => buildMap({ architecture: 'plrnn', A: [a], W: [[0.25]], h: [0] });
    assert.deepEqual(claimed(findCycles(line(0.5), { maxOrder: 1 })), [1]);
    assert.deepEqual(claimed(findCycles(line(1), { maxOrder: 1 })), []);
  });

  test('bad options are input errors', () => {
    const map = buildMap(twoDimPlrnn(0.5));
    assert.throws(() => findCycles(map, { maxOrder: 0 }), InputError);
    assert.throws(() => findCycles(map, { maxOrder: 2.5 }), InputError);
    assert.throws(() => findCycles(map, { maxOrder: 2, outerLoop: 0 }), InputError);
    assert.throws(() => findCycles(map, { maxOrder: 2, innerLoop: -3 }), InputError);
  });

  test('reported points form orbits of the map in orbit order, starting at the smallest point', () => {
    const map = buildMap(readmeShplrnn);
    for (const c of findCycles(map, { maxOrder: 4 }).cycles) {
      for (let j = 1; j < c.order; j++) {
        const [p, q] = [c.points[0], c.points[j]];
        assert.ok(p[0] < q[0] || (p[0] === q[0] && p[1] <= q[1]));
      }
      assert.equal(c.regions.length, c.order);
      assert.equal(c.eigenvalues.length, 2);
      for (let i = 1; i < c.eigenvalues.length; i++) {
        assert.ok(Math.hypot(...c.eigenvalues[i - 1]) >= Math.hypot(...c.eigenvalues[i]) - 1e-12);
      }
      assert.equal(c.spectralRadius, Math.hypot(...c.eigenvalues[0]));
    }
  });
});
