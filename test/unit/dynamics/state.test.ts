// The results panel's dynamics messages: validated on arrival, reduced the same way on both sides.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulateDynamics } from '../../../src/core/dynamics';
import { modelFromSpec } from '../../../src/core/model';
import { applyDynamics, isDynamicsMessage, MAX_CLICKED } from '../../../src/shared/dynamicsState';
import { parse } from '../../../src/shared/messages';
import { HostToPanel, PanelToHost, parsePanelState, type PanelState } from '../../../src/shared/protocol';

const circle = modelFromSpec(JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'dynamics', 'invariant-circle.shplrnn.json'), 'utf8')), 'c');

describe('dynamics messages of the results panel', () => {
  const d = simulateDynamics(circle.map, [], { maxOrder: 2, starts: 2, maxSteps: 2000 });

  test('a real result passes the validators as it is (what the worker sends is what the page gets)', () => {
    const m = parse(HostToPanel, JSON.parse(JSON.stringify({ type: 'dynamics', dynamics: d })));
    assert.deepEqual(m, { type: 'dynamics', dynamics: d });
  });

  test('malformed ones are refused with the field named', () => {
    assert.throws(() => parse(PanelToHost, { type: 'simulate', point: ['1', 2] }), /point\[0\] must be a number/);
    assert.throws(() => parse(HostToPanel, { type: 'trajectory', trajectory: { ...d.trajectories[0], fate: { kind: 'orbit' } } }), /fate\.kind must be one of/);
    assert.throws(() => parse(HostToPanel, { type: 'basins', basins: { status: 'done', x: 0, y: 1, result: { x: { coordinate: 0, values: [] } } } }), /result/);
  });

  test('the reducer keeps the seeded trajectories, the last MAX_CLICKED clicked ones and the basins; the state survives a reload', () => {
    const s: PanelState = { uri: 'file:///m.json', fileName: 'm.json', status: 'done', cycles: [] };
    const msgs: HostToPanel[] = [{ type: 'dynamics', dynamics: d }, ...Array.from({ length: MAX_CLICKED + 3 }, () => ({ type: 'trajectory' as const, trajectory: d.trajectories[0] })), { type: 'basins', basins: { status: 'running', x: 0, y: 1 } }];
    for (const m of msgs) {
      assert.ok(isDynamicsMessage(m));
      if (isDynamicsMessage(m)) applyDynamics(s, m);
    }
    assert.equal(s.dynamics, d);
    assert.equal(s.clicked?.length, MAX_CLICKED);
    assert.equal(s.basins?.status, 'running');
    assert.deepEqual(parsePanelState(JSON.parse(JSON.stringify(s)), 'state'), JSON.parse(JSON.stringify(s)));
    assert.equal(isDynamicsMessage({ type: 'stale', stale: true }), false);
  });
});
