import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateRemainingSeconds, formatDuration } from '../../../src/core/scyfi/estimate';

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
