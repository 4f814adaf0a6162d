// The run panel's state reducer and what the panel computes from it without the DOM.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeRun } from '../../../src/core/run/analyze';
import { runReport } from '../../../src/core/run/report';
import type { SweepStep } from '../../../src/core/sweep/types';
import { HostToRun, parseRunPanelState, type RunPanelState } from '../../../src/shared/protocol';
import { parse } from '../../../src/shared/messages';
import { partialRunReport, placeOf } from '../../../src/shared/runReport';
import { applyRunMessage, extent, thinCurve, wasSearched, beginRunAnalysis, checkpointPlaces, checkpointsAround, eventsBeforeJump, jumpsAfterEvent, largestChanges, relativeChange, runAsSweep, runCsv } from '../../../src/shared/runState';

const MIXED = join(__dirname, '..', '..', 'fixtures', 'runs', 'mixed');

const step = (index: number, value: number, order = 1): SweepStep => ({
  index,
  t: 0,
  value,
  cycles: [{ order, points: Array.from({ length: order }, () => [value, 0]), eigenvalues: [[0.5, 0]], spectralRadius: 0.5, stable: true, classification: 'stable node', regions: Array.from({ length: order }, () => '00') }],
  branches: [],
  candidates: 3,
  seconds: 0,
  foundBy: { seed: 0, neighbour: 0, flip: 0, random: 0, exhaustive: 0, homotopy: 0 },
  continued: false,
  cancelled: false,
});

function running(): RunPanelState {
  return beginRunAnalysis({ uri: 'file:///run', fileName: 'run', status: 'done', options: { maxOrder: 2 }, steps: [] });
}

describe('run panel state', () => {
  it('lists the checkpoints, appends the searches as they finish, then keeps the report only', async () => {
    let s = running();
    s = applyRunMessage(s, { type: 'run', unit: 'epoch', checkpoints: [0, 10, 20].map((x) => ({ x, name: `m_${x}.pt`, file: `/run/m_${x}.pt` })) });
    s = applyRunMessage(s, { type: 'progress', phase: 'searching', done: 1, total: 3 });
    s = applyRunMessage(s, { type: 'steps', steps: [step(2, 20), step(0, 0)] });
    assert.deepEqual(checkpointPlaces(s), [0, 10, 20]);
    const sw = runAsSweep(s);
    assert.deepEqual(sw.steps.map((x) => [x.index, x.value]), [[0, 0], [2, 20]], 'by index, placed by the checkpoints');
    assert.deepEqual(sw.values, [0, 10, 20]);
    const r = runReport(await analyzeRun(MIXED, { maxOrder: 3 }));
    s = applyRunMessage(s, { type: 'finished', report: r });
    assert.equal(s.status, 'done');
    assert.equal(s.steps.length, 0);
    assert.equal(s.progress, undefined);
    // What the host sends passes the page's validators, and a saved panel restores.
    parse(HostToRun, JSON.parse(JSON.stringify({ type: 'finished', report: r })));
    assert.deepEqual(parseRunPanelState(JSON.parse(JSON.stringify(s)), 'saved'), JSON.parse(JSON.stringify(s)));
    const full = runAsSweep(s);
    assert.equal(full.steps.length, 12);
    assert.equal(full.events.length, 3);
    assert.ok(full.branches.length > 0);
    // Events lie on the run's axis: between the checkpoints around them.
    for (const e of full.events) {
      const around = checkpointsAround(full.values, e.value)!;
      assert.ok(full.values[around.before] <= e.value && e.value <= full.values[around.after], `${e.value} lies between its checkpoints`);
    }
  });

  it('a worker given up on after a cancel: its partial report takes the files and the unit the panel was told', () => {
    let s = running();
    s = applyRunMessage(s, { type: 'run', unit: 'step', checkpoints: [100, 200, 300].map((x) => ({ x, name: `c-${x}`, file: `/run/c-${x}` })) });
    s = applyRunMessage(s, { type: 'steps', steps: [step(1, 200), step(0, 100)] });
    s = applyRunMessage(s, { type: 'finished', report: partialRunReport([step(1, 200), step(0, 100)]) });
    assert.equal(s.status, 'cancelled');
    assert.equal(s.report!.unit, 'step');
    assert.deepEqual([0, 1, 2].map((i) => wasSearched(s, i)), [true, true, false]);
    assert.deepEqual(s.report!.checkpoints.map((c) => [placeOf(c, 'step'), c.file]), [[100, 'c-100'], [200, 'c-200']]);
  });

  it('a failure keeps what was streamed and says why', () => {
    const s = applyRunMessage(applyRunMessage(running(), { type: 'steps', steps: [step(0, 0)] }), { type: 'failed', message: 'run: no checkpoints found' });
    assert.equal(s.status, 'error');
    assert.equal(s.error, 'run: no checkpoints found');
    assert.equal(s.steps.length, 1);
  });

  it('links events and jumps both ways as the alignment pairs them', async () => {
    const r = runReport(await analyzeRun(MIXED, { maxOrder: 3 }));
    // The fixture: the flip at 19.17 comes before the jump at 20, the one at 52.5 before 53; the transcritical at 2.5 before none.
    const at = (e: number) => placeOf(r.events[e], 'epoch');
    const flips = r.events.map((e, i) => ({ e, i })).filter(({ e }) => e.kind === 'degenerate-flip');
    assert.equal(flips.length, 2);
    for (const { i } of flips) {
      const js = jumpsAfterEvent(r, i);
      assert.equal(js.length, 1, `event at ${at(i)} has one jump after it`);
      assert.ok(eventsBeforeJump(r, js[0]).includes(i));
      assert.ok(placeOf(r.lossJumps[js[0]], 'epoch') >= at(i));
    }
    const dt = r.events.findIndex((e) => e.kind === 'degenerate-transcritical');
    assert.deepEqual(jumpsAfterEvent(r, dt), []);
  });

  it('the checkpoints around a place: the pair it lies between, the first or last pair outside', () => {
    assert.deepEqual(checkpointsAround([0, 5, 10], 7), { before: 1, after: 2 });
    assert.deepEqual(checkpointsAround([0, 5, 10], 5), { before: 0, after: 1 });
    assert.deepEqual(checkpointsAround([0, 5, 10], -1), { before: 0, after: 1 });
    assert.deepEqual(checkpointsAround([0, 5, 10], 11), { before: 1, after: 2 });
    assert.equal(checkpointsAround([0], 0), undefined);
  });

  it('the entries that changed most: largest |Δ| first, unchanged and one-sided entries left out', () => {
    const a = [
      { ref: 'A[0]', value: 1 },
      { ref: 'A[1]', value: -2 },
      { ref: 'W[0][0]', value: 0.5 },
      { ref: 'h[0]', value: 3 },
      { ref: 'x[0]', value: 1 },
    ];
    const b = [
      { ref: 'A[0]', value: 1 },
      { ref: 'A[1]', value: 2 },
      { ref: 'W[0][0]', value: 0.25 },
      { ref: 'h[0]', value: 2 },
      { ref: 'y[0]', value: 9 },
    ];
    const c = largestChanges(a, b, 2);
    assert.deepEqual(c, [
      { ref: 'A[1]', from: -2, to: 2 },
      { ref: 'h[0]', from: 3, to: 2 },
    ]);
    assert.equal(relativeChange(c[0]), 2);
    assert.equal(relativeChange({ ref: 'W[0][0]', from: 0.5, to: 0.25 }), -0.5);
    assert.equal(relativeChange({ ref: 'W[0][0]', from: 0, to: 0 }), 0);
  });

  it('CSV: one row per checkpoint and cycle point, with its epoch, file and loss', async () => {
    const r = runReport(await analyzeRun(MIXED, { maxOrder: 3 }));
    const lines = runCsv(r).trim().split('\n');
    assert.equal(lines[0], 'checkpoint,epoch,file,loss,branch,order,point,stable,classification,spectral_radius,eigenvalues,region,z1');
    const points = r.checkpoints.reduce((a, c) => a + Math.max(1, c.cycles.reduce((b, y) => b + y.order, 0)), 0);
    assert.equal(lines.length - 1, points);
    assert.match(lines[1], /^0,0,model_0\.pt,[0-9.e-]+,/);
  });

  it('a long loss curve is thinned keeping the extremes of each run of points, in order', () => {
    const pts = Array.from({ length: 100_000 }, (_, i) => ({ x: i, y: i === 54_321 ? 50 : i === 12_345 ? -7 : 1 + (i % 7) / 10 }));
    const thin = thinCurve(pts, 400);
    assert.ok(thin.length <= 400 && thin.length >= 200, `${thin.length} points`);
    assert.ok(thin.some((p) => p.y === 50) && thin.some((p) => p.y === -7), 'the spikes stay');
    for (let i = 1; i < thin.length; i++) assert.ok(thin[i].x > thin[i - 1].x, 'in order');
    assert.deepEqual(thin[0], pts[0]);
    assert.deepEqual(thin.at(-1), pts.at(-1));
    assert.deepEqual(thinCurve(pts.slice(0, 10), 400), pts.slice(0, 10));
    assert.deepEqual(extent(pts.map((p) => p.y)), { min: -7, max: 50 });
  });
});
