import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { findCycles, Prng, SearchContext } from '../../../src/core/scyfi';
import { flipBit, layoutOf, packSequence, tileSequence, unpackSequence } from '../../../src/core/scyfi/sequence';
import { InputError } from '../../../src/core/errors';
import { twoDimPlrnn } from './fixtures';
import { randomPlrnn, randomShplrnn } from './randomModels';

const key = (c: { order: number; regions: string[] }) => `${c.order}:${[...c.regions].sort().join(',')}`;

describe('seeded searches and reusable setup', () => {
  test('region texts pack and unpack in one place, with and without an output clip', () => {
    const layout = { H: 3, M: 2, clip: false };
    assert.deepEqual(unpackSequence(packSequence(['101', '010'], layout)!, 2, layout), ['101', '010']);
    const clipped = { H: 2, M: 2, clip: true };
    assert.deepEqual(unpackSequence(packSequence(['10|-.', '01|.+'], clipped)!, 2, clipped), ['10|-.', '01|.+']);
    assert.equal(packSequence(['10'], layout), undefined);
    assert.equal(packSequence(['1x1'], layout), undefined);
    assert.equal(packSequence(['10-.'], clipped), undefined);
    const wide = { H: 40, M: 40, clip: false };
    const text = '1'.repeat(33) + '0'.repeat(7);
    assert.deepEqual(unpackSequence(packSequence([text], wide)!, 1, wide), [text]);
  });

  test('a sequence tiles to a multiple of its order and flips one switch at one position', () => {
    // 40 switches: two words per region, so a flip of switch 35 lands in the second word.
    const layout = { H: 40, M: 2, clip: false };
    const a = '1'.repeat(3) + '0'.repeat(37);
    const b = '0'.repeat(39) + '1';
    const tiled = tileSequence(packSequence([a, b], layout)!, 2, 6, 2);
    assert.deepEqual(unpackSequence(tiled, 6, layout), [a, b, a, b, a, b]);
    flipBit(tiled, 4, 2, 35);
    assert.deepEqual(unpackSequence(tiled, 6, layout), [a, b, a, b, a.slice(0, 35) + '1' + a.slice(36), b]);
  });

  test('the cycles of a search, given as seeds, are found again by the seeds alone', () => {
    const map = buildMap(twoDimPlrnn(0.8377689));
    const full = findCycles(map, { maxOrder: 16, seed: 3 });
    assert.equal(full.cycles.filter((c) => c.order === 16).length, 2);
    const seeded = findCycles(map, { maxOrder: 16, seed: 99, outerLoop: 1, innerLoop: 1, seeds: full.cycles.map((c) => ({ order: c.order, regions: c.regions })) });
    assert.deepEqual(seeded.cycles.map(key).sort(), full.cycles.map(key).sort());
    // The fixed point's order is small enough to be enumerated; both 16-cycles come from their seeds.
    assert.deepEqual(seeded.stats.foundBy, { seed: 2, neighbour: 0, flip: 0, random: 0, exhaustive: 1, homotopy: 0 });
    // Without seeds the same tiny budget misses the 16-cycles.
    const blind = findCycles(map, { maxOrder: 16, seed: 99, outerLoop: 1, innerLoop: 1, exhaustiveLimit: 0 });
    assert.ok(blind.cycles.filter((c) => c.order === 16).length < 2);
  });

  test('a seed one border away from the cycle is followed to it', () => {
    const map = buildMap(twoDimPlrnn(0.8377689));
    const full = findCycles(map, { maxOrder: 16, seed: 3 });
    const c16 = full.cycles.find((c) => c.order === 16)!;
    // Flip one switch of one point: the seed is now a virtual cycle next to the real one.
    const off = c16.regions.map((r, j) => (j === 5 ? (r[0] === '1' ? '0' : '1') + r.slice(1) : r));
    const r = findCycles(map, { maxOrder: 16, seed: 5, outerLoop: 1, innerLoop: 1, exhaustiveLimit: 0, seeds: [{ order: 16, regions: off }], seedNeighbours: false });
    assert.ok(r.cycles.some((c) => key(c) === key(c16)));
    assert.ok(r.stats.foundBy!.seed >= 1);
  });

  test('every source is counted and the counts add up to the objects found', () => {
    const map = buildMap(randomShplrnn(new Prng(4), 3, 6));
    const r = findCycles(map, { maxOrder: 4, seed: 2 });
    const sum = Object.values(r.stats.foundBy!).reduce((a, b) => a + b, 0);
    assert.equal(sum, r.cycles.length);
    for (const o of r.stats.orders!) assert.equal(Object.values(o.foundBy!).reduce((a, b) => a + b, 0), r.cycles.filter((c) => c.order === o.order).length);
  });

  test('a seed that does not fit the model is refused with one line', () => {
    const map = buildMap(twoDimPlrnn(0.8));
    assert.throws(() => findCycles(map, { maxOrder: 2, seeds: [{ order: 2, regions: ['101', '00'] }] }), (e: unknown) => e instanceof InputError && /does not fit/.test(e.message));
  });

  test('a reusable context gives the same cycles on each map of a path as fresh searches', () => {
    const rng = new Prng(12);
    const base = randomPlrnn(rng, 4);
    const context = new SearchContext(buildMap(base), 3, 7);
    for (const scale of [1, 0.9, 1.1, 0.8]) {
      const map = buildMap({ ...base, h: base.h.map((x) => x * scale) });
      const reused = findCycles(map, { maxOrder: 3, seed: 1 }, {}, context);
      const fresh = findCycles(map, { maxOrder: 3, seed: 1 });
      assert.deepEqual(reused.cycles.map(key).sort(), fresh.cycles.map(key).sort(), `scale ${scale}`);
      assert.equal(reused.stats.candidates > 0, true);
    }
    assert.throws(() => findCycles(buildMap(randomPlrnn(rng, 3)), { maxOrder: 2 }, {}, context), /other dimensions/);
  });

  test('cancellation is asked during the setup of a large model, before any order starts', () => {
    const map = buildMap(randomPlrnn(new Prng(1), 400));
    let asked = 0;
    const orders: number[] = [];
    const r = findCycles(map, { maxOrder: 3 }, { isCancelled: () => ++asked > 0, onOrder: (k) => orders.push(k) });
    assert.equal(r.cancelled, true);
    assert.deepEqual(orders, []);
    assert.ok(asked >= 1);
  });

  test('region layouts follow the map', () => {
    const map = buildMap(twoDimPlrnn(0.8));
    assert.deepEqual(layoutOf(map), { H: 2, M: 2, clip: false });
    assert.deepEqual(layoutOf({ ...map, clip: { lo: new Float64Array(2), hi: new Float64Array(2) } }), { H: 2, M: 2, clip: true });
  });
});

describe('solveSequence', () => {
  test('solves one region sequence exactly: the 2-cycle of the third system of science.md §4', async () => {
    const { solveSequence } = await import('../../../src/core/scyfi');
    const { thirdSystem } = await import('./fixtures');
    const map = buildMap(thirdSystem(-0.2));
    const s = solveSequence(map, ['11', '01']);
    assert.equal(s.status, 'consistent');
    assert.ok(s.verified);
    const [p, q] = s.points;
    assert.ok(Math.abs(p[0] - 0.570667) < 1e-6 && Math.abs(p[1] - 0.245208) < 1e-6, JSON.stringify(s.points));
    assert.ok(Math.abs(q[0] + 0.445833) < 1e-6 && Math.abs(q[1] - 0.334375) < 1e-6);
    assert.deepEqual(s.regions, ['11', '01']);
    // Other regions give a virtual cycle that names where its points lie.
    const v = solveSequence(map, ['10', '10']);
    assert.equal(v.status, 'virtual');
    assert.notDeepEqual(v.regions, ['10', '10']);
    assert.equal(v.verified, false);
    assert.throws(() => solveSequence(map, ['1']), /does not fit/);
  });
});
