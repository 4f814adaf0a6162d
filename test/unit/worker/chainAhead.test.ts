import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import type { PiecewiseAffineMap } from '../../../src/core/model/types';
import { findCycles, Prng, type ScyfiOptions, type ScyfiResult } from '../../../src/core/scyfi';
import { helperCount, HelperThreads } from '../../../src/worker/chainAhead';
import { randomAlrnn, randomDendPlrnn, randomPlrnn, randomShplrnn } from '../scyfi/randomModels';

/** The result without its clock. */
function comparable(r: ScyfiResult) {
  return { cycles: r.cycles, cancelled: r.cancelled, stats: { ...r.stats, seconds: 0 } };
}

async function withHelpers(map: PiecewiseAffineMap, options: ScyfiOptions, helpers: number) {
  const ahead = new HelperThreads(map, options.maxOrder, { helpers });
  await ahead.start();
  try {
    return { result: findCycles(map, options, { ahead }), counts: { ...ahead.counts } };
  } finally {
    ahead.close();
  }
}

// Large enough that chains are long and many restarts run ahead; small enough for CI.
const cases: [string, () => PiecewiseAffineMap, ScyfiOptions][] = [
  ['plrnn M = 12', () => buildMap(randomPlrnn(new Prng(5), 12)), { maxOrder: 3, seed: 4 }],
  ['shplrnn M = 4, H = 24', () => buildMap(randomShplrnn(new Prng(6), 4, 24)), { maxOrder: 4, seed: 1 }],
  ['clipped-shplrnn M = 5, H = 12', () => buildMap(randomShplrnn(new Prng(7), 5, 12, true)), { maxOrder: 3, seed: 2 }],
  ['alrnn M = 10, P = 6', () => buildMap(randomAlrnn(new Prng(4), 10, 6)), { maxOrder: 3, seed: 3 }],
  ['dendplrnn M = 6, B = 4', () => buildMap(randomDendPlrnn(new Prng(7), 6, 4)), { maxOrder: 3, seed: 5 }],
];

describe('one search on several threads (HelperThreads)', () => {
  for (const [name, make, options] of cases) {
    test(`${name}: the same cycles, counts and statistics with 0, 1 and 2 helpers, and the helpers did the work`, async () => {
      const map = make();
      const alone = comparable(findCycles(map, options));
      assert.ok(alone.cycles.length > 0, 'a model with cycles');
      for (const helpers of [1, 2]) {
        const { result, counts } = await withHelpers(map, options, helpers);
        assert.deepEqual(comparable(result), alone, `${helpers} helpers`);
        // Not a vacuous pass: records computed ahead were replayed.
        assert.ok(counts.taken > 0 && counts.helperSolves > 0, `${helpers} helpers: ${JSON.stringify(counts)}`);
      }
    });
  }

  test('seed sequences (a sweep path) and outer/inner loops given: the same result', async () => {
    const map = buildMap(randomPlrnn(new Prng(15), 10));
    const first = findCycles(map, { maxOrder: 2, seed: 9 });
    const seeds = first.cycles.map((c) => ({ order: c.order, regions: c.regions }));
    const options: ScyfiOptions = { maxOrder: 3, seed: 2, seeds, outerLoop: 300, innerLoop: 150 };
    const alone = comparable(findCycles(map, options));
    const { result } = await withHelpers(map, options, 1);
    assert.deepEqual(comparable(result), alone);
  });

  test('a cancelled search with helpers stops and keeps what it found', async () => {
    const map = buildMap(randomPlrnn(new Prng(21), 40));
    const ahead = new HelperThreads(map, 4, { helpers: 1, isCancelled: () => performance.now() > deadline });
    await ahead.start();
    const deadline = performance.now() + 300;
    let streamed = 0;
    const result = findCycles(map, { maxOrder: 4 }, { ahead, isCancelled: () => performance.now() > deadline, onCycle: () => streamed++ });
    ahead.close();
    assert.equal(result.cancelled, true);
    assert.equal(result.cycles.length, streamed);
    assert.ok(performance.now() - deadline < 2000, 'stopped soon after the flag');
  });

  test('helpers start only for a search that has run long enough and whose restarts are costly', async () => {
    const map = buildMap(randomPlrnn(new Prng(5), 4));
    const late = new HelperThreads(map, 2, { helpers: 1, engageAfterMs: 60_000 });
    assert.equal(late.lookahead(0), 0, 'before engageAfterMs');
    late.close();
    const ahead = new HelperThreads(map, 2, { helpers: 1, engageAfterMs: 0, minRestartMs: 1 });
    // A billion restarts in the few ms since it was made: chains far too cheap to hand over.
    assert.equal(ahead.lookahead(1e9), 0);
    assert.ok(ahead.lookahead(0) > 0, 'no restart yet: nothing says chains are cheap');
    ahead.close();
  });

  test('helper count: threads in all, the search itself included', () => {
    assert.equal(helperCount(1), 0);
    assert.equal(helperCount(4), 3);
    assert.ok(helperCount(undefined) >= 0);
    assert.equal(helperCount(0), helperCount(undefined));
  });
});
