import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { ESTIMATE_NOTE_SECONDS, estimateRemainingSeconds, formatDuration, OrderClock } from '../../../src/core/scyfi/estimate';

test('the remaining orders scale as k² from the last finished order', () => {
  // Order 2 took 4 s: orders 3 and 4 about 4·(3/2)² + 4·(4/2)² = 9 + 16.
  assert.equal(estimateRemainingSeconds([3, 4], 4), 25);
  assert.equal(estimateRemainingSeconds([2], 3), 2 * 4 + 2 * 9);
});

test('a steeper observed growth wins over k²', () => {
  // ×10 per order: 10·10 + 10·100.
  assert.equal(estimateRemainingSeconds([1, 10], 4), 100 + 1000);
});

test('nothing left, or nothing measured yet', () => {
  assert.equal(estimateRemainingSeconds([1, 2, 3], 3), 0);
  assert.equal(estimateRemainingSeconds([], 5), 0);
});

test('durations read as a person would say them', () => {
  assert.equal(formatDuration(0.2), 'about 1 s');
  assert.equal(formatDuration(42), 'about 42 s');
  assert.equal(formatDuration(180), 'about 3 min');
  assert.equal(formatDuration(7200), 'about 2 h');
});

describe('OrderClock: the estimate the CLI and the progress notification show', () => {
  it('is silent until an order has finished and while the rest looks short; then estimates from the current order on', () => {
    const clock = new OrderClock(4);
    clock.start(1, 0);
    assert.equal(clock.remaining(), undefined, 'no order finished yet');
    clock.start(2, 1000);
    // Order 1 took 1 s: orders 2–4 by k² would take 4 + 9 + 16 = 29 s.
    const r = clock.remaining();
    assert.ok(r);
    assert.deepEqual({ from: r.from, to: r.to, last: r.lastOrderSeconds }, { from: 2, to: 4, last: 1 });
    assert.ok(Math.abs(r.seconds - 29) < 1e-9, String(r.seconds));
    const quick = new OrderClock(3);
    quick.start(1, 0);
    quick.start(2, 100);
    assert.equal(quick.remaining(), undefined, `0.1 s per order is below ${ESTIMATE_NOTE_SECONDS} s in all`);
  });
});
