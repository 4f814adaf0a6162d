import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ORDER_SHAPES, orderStyle } from '../../../src/webview/orderStyle';

const colors = { series: ['#1', '#2', '#3', '#4', '#5', '#6'] };

describe('order styles of the plots', () => {
  test('orders 1 to 24 are drawn differently: six colours times four marker shapes', () => {
    const seen = new Set<string>();
    for (let k = 1; k <= 24; k++) {
      const s = orderStyle(colors, k);
      const key = `${s.color} ${s.shape}`;
      assert.ok(!seen.has(key), `order ${k} looks like an earlier one (${key})`);
      seen.add(key);
    }
    assert.equal(ORDER_SHAPES.length * colors.series.length, 24);
  });

  test('orders six apart share a colour but not a shape or a dash', () => {
    for (let k = 1; k <= 18; k++) {
      const a = orderStyle(colors, k);
      const b = orderStyle(colors, k + 6);
      assert.equal(a.color, b.color);
      assert.notEqual(a.shape, b.shape);
      assert.notDeepEqual(a.dash, b.dash);
    }
  });

  test('the first six orders keep the plain look: circles and solid lines', () => {
    for (let k = 1; k <= 6; k++) assert.deepEqual(orderStyle(colors, k), { color: colors.series[k - 1], shape: 'circle', dash: [] });
  });
});
