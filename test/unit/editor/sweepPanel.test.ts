// The pure parts of the editor's sweeps: the range box, an event's value as it is written, the
// sweep panel's state reducer, the CSV exports, what the diagram plots and how it is decimated,
// the JSON model a step or an event is written as, and the messages of the sweep panel.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelFromJsonText, modelJsonText } from '../../../src/core/io/json';
import { validateModelSpec } from '../../../src/core/model';
import { entryPath, runSweep, runGrid, type SweepResult } from '../../../src/core/sweep';
import { parseParamRef } from '../../../src/core/model/paramRef';
import { gridCsv, sweepCsv } from '../../../src/shared/csv';
import { EntriesJob, ModelAtJob } from '../../../src/shared/jobs';
import { parse } from '../../../src/shared/messages';
import { HostToSweep, SweepToHost, parseSweepPanelState, type SweepPanelState } from '../../../src/shared/protocol';
import { formatRange, parseRangeText, rangeAround } from '../../../src/shared/ranges';
import { eventValue, shortestWithin } from '../../../src/shared/settle';
import { applySweepMessage, beginRun, stepsByIndex } from '../../../src/shared/sweepState';
import { diagramPointRadius, diagramSeries, ordinal, robustRange, runsOf, sampleRun, strideFor } from '../../../src/webview/sweepSeries';
import { startJob } from '../../../src/worker/host/job';
import { skewTent } from '../scyfi/fixtures';
import { testWorkerFile } from '../worker/bundle';

const ROOT = join(__dirname, '..', '..', '..');
const tentSpec = validateModelSpec(skewTent(-2), 'tent');
const W00 = parseParamRef('W[0][0]')!;

describe('the range box', () => {
  test('reads "from to steps" with spaces or commas, a typed minus sign and exponents', () => {
    assert.deepEqual(parseRangeText('0.2 1.4 100'), { from: 0.2, to: 1.4, steps: 100 });
    assert.deepEqual(parseRangeText('  1.3, −6.2, 76 '), { from: 1.3, to: -6.2, steps: 76 });
    assert.deepEqual(parseRangeText('-1e-3 2.5E2 2'), { from: -0.001, to: 250, steps: 2 });
    assert.deepEqual(parseRangeText('.5 -.5 100000'), { from: 0.5, to: -0.5, steps: 100000 });
  });

  test('says what is wrong as it is typed', () => {
    assert.match(parseRangeText('0.2 1.4') as string, /three numbers/);
    assert.match(parseRangeText('0.2 1.4 10 4') as string, /three numbers/);
    assert.match(parseRangeText('a 1.4 10') as string, /"a" \(from\) is not a finite number/);
    assert.match(parseRangeText('0 Infinity 10') as string, /"Infinity" \(to\) is not a finite number/);
    assert.match(parseRangeText('0x10 1 10') as string, /not a finite number/);
    assert.match(parseRangeText('1 1 10') as string, /both 1: the range is empty/);
    assert.match(parseRangeText('0 1 1') as string, /from 2 to 100000, got "1"/);
    assert.match(parseRangeText('0 1 100001') as string, /from 2 to 100000/);
    assert.match(parseRangeText('0 1 2.5') as string, /whole number/);
    assert.match(parseRangeText('0 1 500', 400, 'values on the y axis') as string, /number of values on the y axis must be a whole number from 2 to 400/);
  });

  test('proposes the value ± max(0.5, |value|), read back unchanged', () => {
    assert.deepEqual(rangeAround(-2.2), { from: -4.4, to: 0, steps: 100 });
    assert.deepEqual(rangeAround(0.2), { from: -0.3, to: 0.7, steps: 100 });
    assert.deepEqual(rangeAround(0, 40), { from: -0.5, to: 0.5, steps: 40 });
    assert.deepEqual(rangeAround(0.52505308), { from: 0, to: 1.05, steps: 100 });
    for (const v of [-2.2, 0.2, 0, 0.52505308, 1e-7, -123456.789]) assert.deepEqual(parseRangeText(formatRange(rangeAround(v))), rangeAround(v), String(v));
  });
});

describe("an event's value", () => {
  test('is the shortest decimal within the precision it was located to', () => {
    assert.equal(eventValue(0.7999999999996363, -7.5), 0.8);
    assert.equal(eventValue(-1.1999999999996362, -7.5), -1.2);
    assert.equal(eventValue(-5.2, -7.5), -5.2);
    assert.equal(eventValue(0.43121234567891, 1), 0.431212345679, 'within 1e-12 of it');
    assert.equal(eventValue(0.4312123456789123, 1e-4), 0.4312123456789123, 'no shorter decimal lies within 1e-16');
    assert.equal(shortestWithin(1 / 3, 1e-3), 0.333);
    assert.equal(shortestWithin(NaN, 1), NaN);
  });
});

function state(partial: Partial<SweepPanelState> = {}): SweepPanelState {
  return {
    uri: 'file:///m/tent.plrnn.json',
    fileName: 'tent.plrnn.json',
    status: 'running',
    target: { kind: 'entry', ref: 'W[0][0]', from: 1.3, to: -6.2 },
    options: { steps: 76, maxOrder: 4 },
    editable: true,
    ...partial,
  };
}

describe('the sweep panel state', () => {
  let result: SweepResult;
  before(async () => {
    result = await runSweep(entryPath(tentSpec, W00, 1.3, -6.2), { steps: 76, maxOrder: 4 });
  });

  test('a run starts empty on the path it was asked for and keeps the model it knew', () => {
    const model = { architecture: 'plrnn', M: 1, H: 1, format: 'json', parameters: [] };
    const s = beginRun(state({ status: 'done', model, error: 'old', stale: true, sweep: result }));
    assert.equal(s.status, 'running');
    assert.deepEqual(s.model, model);
    assert.equal(s.error, undefined);
    assert.equal(s.stale, undefined);
    assert.deepEqual(s.sweep?.steps, []);
    assert.deepEqual(s.sweep?.path, { kind: 'entry', parameter: 'W[0][0]', from: 1.3, to: -6.2 });
    assert.equal(s.grid, undefined);
  });

  test('steps stream in any order and are read by index; the end replaces them with the result', () => {
    let s = beginRun(state());
    const shuffled = [...result.steps.slice(40), ...result.steps.slice(0, 40)];
    s = applySweepMessage(s, { type: 'progress', done: 40, total: 76 });
    s = applySweepMessage(s, { type: 'steps', steps: shuffled.slice(0, 50) });
    s = applySweepMessage(s, { type: 'steps', steps: shuffled.slice(50) });
    assert.equal(s.sweep!.steps.length, 76);
    assert.deepEqual(stepsByIndex(s.sweep!).map((x) => x.index), result.steps.map((x) => x.index));
    assert.deepEqual(s.progress, { done: 40, total: 76 });
    s = applySweepMessage(s, { type: 'finished', result });
    assert.equal(s.status, 'done');
    assert.equal(s.progress, undefined);
    assert.equal(s.sweep, result);
    assert.equal(stepsByIndex(result), result.steps, 'sorted steps are not copied');
  });

  test('a cancelled worker that ended with its streamed steps only keeps the path', () => {
    let s = beginRun(state());
    const partial: SweepResult = { ...result, path: { kind: 'line', from: '', to: '' }, values: [], branches: [], events: [], cancelled: true, steps: result.steps.slice(0, 3) };
    s = applySweepMessage(s, { type: 'finished', result: partial });
    assert.equal(s.status, 'cancelled');
    assert.deepEqual(s.sweep!.path, { kind: 'entry', parameter: 'W[0][0]', from: 1.3, to: -6.2 });
    assert.equal(s.sweep!.steps.length, 3);
  });

  test('a map streams its rows; a failure and a stale file are kept', () => {
    const grid = { kind: 'grid' as const, x: { ref: 'W[0][0]', from: -3, to: -1.4, n: 5 }, y: { ref: 'A[0]', from: 0, to: 0.4, n: 3 } };
    const g = runGrid({ spec: tentSpec, x: { ref: W00, from: -3, to: -1.4, n: 5 }, y: { ref: parseParamRef('A[0]')!, from: 0, to: 0.4, n: 3 } }, { maxOrder: 2 });
    let s = beginRun(state({ target: grid, options: { steps: 5, maxOrder: 2 } }));
    assert.deepEqual(s.grid?.x.values, g.x.values, 'the values the map runs at');
    assert.deepEqual(s.grid?.x.values.map((v) => +v.toFixed(12)), [-3, -2.6, -2.2, -1.8, -1.4]);
    assert.deepEqual(s.grid?.y.values, [0, 0.2, 0.4]);
    s = applySweepMessage(s, { type: 'rows', rows: [g.rows[2], g.rows[0]] });
    assert.deepEqual(s.grid!.rows.map((r) => r.index), [2, 0]);
    s = applySweepMessage(s, { type: 'gridFinished', result: g });
    assert.equal(s.grid, g);
    s = applySweepMessage(s, { type: 'stale', stale: true });
    assert.equal(s.stale, true);
    s = applySweepMessage(s, { type: 'failed', message: 'tent.plrnn.json: W must be 1×1' });
    assert.equal(s.status, 'error');
    assert.equal(s.error, 'tent.plrnn.json: W must be 1×1');
  });

  test('what the host keeps is what the page saves and a reload restores', () => {
    const s = applySweepMessage(beginRun(state()), { type: 'finished', result });
    assert.deepEqual(parseSweepPanelState(JSON.parse(JSON.stringify(s)), 'saved state'), JSON.parse(JSON.stringify(s)));
  });

  test('the channels refuse what is not theirs', () => {
    assert.deepEqual(parse(SweepToHost, { type: 'setValue', value: 0.8, param: 'W[9][9]' }), { type: 'setValue', value: 0.8 }, 'the page cannot name another entry');
    assert.throws(() => parse(SweepToHost, { type: 'setValue', value: Infinity }), /setValue': value must be a finite number/);
    assert.throws(() => parse(SweepToHost, { type: 'openStep', index: -1 }), /index must be a whole number/);
    assert.throws(() => parse(SweepToHost, { type: 'savePng', plot: 'diagram', dataUrl: 'data:text/html,x' }), /PNG data URL/);
    assert.throws(() => parse(SweepToHost, { type: 'savePng', plot: 'state', dataUrl: 'data:image/png;base64,' }), /plot must be one of diagram, spectral, map/);
    assert.throws(() => parse(SweepToHost, { type: 'edit', text: 'x' }), /type must be one of ready, reveal, setValue, openStep, rerun, cancel, export, savePng/);
    assert.throws(() => parse(HostToSweep, { type: 'steps', steps: [{ ...result.steps[0], value: NaN }] }), /steps\[0\]\.value must be a number/);
    assert.throws(() => parse(HostToSweep, { type: 'reset', state: { ...state(), target: { kind: 'grid', x: { ref: 'W[0][0]', from: 0, to: 1, n: 1 } } } }), /state\.target\.x\.n must be a whole number ≥ 2/);
  });
});

describe('the CSV exports', () => {
  test('a sweep: one row per step × cycle point, with the branch and the point in its canonical order', async () => {
    const r = await runSweep(entryPath(tentSpec, W00, -1.5, -2.5), { steps: 3, maxOrder: 2 });
    const lines = sweepCsv(r).trim().split('\n');
    assert.equal(lines[0], 'step,W[0][0],t,branch,order,point,stable,classification,spectral_radius,eigenvalues,region,z1');
    const points = r.steps.reduce((a, s) => a + s.cycles.reduce((b, c) => b + c.order, 0), 0);
    assert.equal(lines.length, 1 + points);
    assert.equal(points, 9, 'a fixed point and a 2-cycle at each of the 3 steps');
    const row = lines.find((l) => l.startsWith('1,-2,0.5,') && l.includes(',2,1,'))!.split(',');
    // W[0][0] = −2 (a_r = −1.8): the 2-cycle's first point in canonical order (region 0).
    const s = r.steps[1];
    const ci = s.cycles.findIndex((c) => c.order === 2);
    assert.deepEqual(row.slice(3), [s.branches[ci], '2', '1', String(s.cycles[ci].stable), s.cycles[ci].classification, String(s.cycles[ci].spectralRadius), String(s.cycles[ci].eigenvalues[0][0]), s.cycles[ci].regions[0], String(s.cycles[ci].points[0][0])]);
  });

  test('a map: one row per cell, with counts per order', () => {
    const g = runGrid({ spec: tentSpec, x: { ref: W00, from: -3, to: -1.4, n: 5 }, y: { ref: parseParamRef('A[0]')!, from: 0, to: 0.4, n: 3 } }, { maxOrder: 2 });
    const lines = gridCsv(g).trim().split('\n');
    assert.equal(lines[0], 'W[0][0],A[0],objects,stable,order_1,stable_order_1,order_2,stable_order_2,complete');
    assert.equal(lines.length, 1 + 15);
    assert.equal(lines[1 + 5 + 2], '-2.2,0.2,2,1,1,0,1,1,true', 'the example itself: an unstable fixed point and a stable 2-cycle');
  });
});

describe('what the diagram draws', () => {
  test('a few values that dwarf the rest are left outside the range shown, and counted', () => {
    const body = Array.from({ length: 200 }, (_, i) => Math.sin(i));
    assert.equal(robustRange(body), undefined, 'nothing far out: everything is shown');
    assert.equal(robustRange([...body.slice(0, 10), 8000]), undefined, 'too few values to judge');
    const r = robustRange([...body, 8000, -6000, NaN]);
    assert.ok(r && r.min < -0.99 && r.min > -2 && r.max > 0.99 && r.max < 2, JSON.stringify(r));
    assert.equal(r.outside, 2);
  });

  test('the caption counts steps as people do', () => {
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '112th']);
  });

  test('runs of consecutive steps, sampled every k-th step with both ends kept', () => {
    assert.deepEqual(runsOf([0, 1, 2, 5, 6, 9]), [[0, 1, 2], [5, 6], [9]]);
    assert.deepEqual(sampleRun([3, 4, 5, 6, 7, 8, 9, 10], 4), [3, 4, 8, 10]);
    assert.deepEqual(sampleRun([3, 4, 5], 1), [3, 4, 5]);
  });

  test('each branch is joined step to step, point j to point j; stable and unstable points apart', async () => {
    const r = await runSweep(entryPath(tentSpec, W00, 1.3, -6.2), { steps: 76, maxOrder: 4 });
    const d = diagramSeries(r, r.steps, 0);
    assert.equal(d.stride, 1);
    assert.deepEqual(d.orders, [1, 2, 3, 4]);
    assert.equal(d.drawnPoints, d.totalPoints);
    assert.equal(d.points.reduce((a, g) => a + g.data.length, 0), d.totalPoints);
    for (const g of d.points) for (const p of g.data) assert.equal(r.steps[p.step].cycles.some((c) => c.stable === g.stable && c.order === g.order && c.points.some((q) => q[0] === p.y)), true);
    // The 2-cycle branch: two polylines (one per point), each over the branch's steps, then a gap.
    const b2 = r.branches.find((b) => b.order === 2)!;
    const two = d.lines.find((g) => g.order === 2)!.data;
    assert.equal(two.length, 2 * (b2.steps.length + 1));
    const first = two.slice(0, b2.steps.length);
    b2.steps.forEach((s, k) => {
      assert.equal(first[k].x, r.steps[s].value);
      assert.equal(first[k].y, r.steps[s].cycles[b2.cycles[k]].points[0][0]);
    });
    assert.ok(Number.isNaN(two[b2.steps.length].x), 'a gap ends each polyline');
    // Spectral radius: one value per step of the branch.
    const rho = d.spectral.find((g) => g.order === 2)!.data.filter((p) => Number.isFinite(p.x));
    assert.deepEqual(rho.map((p) => p.y), b2.steps.map((s, k) => r.steps[s].cycles[b2.cycles[k]].spectralRadius));
  });

  test('a long sweep is decimated to the budget of points, and says by how much', async () => {
    const r = await runSweep(entryPath(tentSpec, W00, -1.5, -2.5), { steps: 400, maxOrder: 2 });
    const { stride, total } = strideFor(r.steps, 300);
    assert.equal(total, 400 * 3);
    assert.equal(stride, 4);
    const d = diagramSeries(r, r.steps, 0, 300);
    assert.equal(d.stride, 4);
    assert.ok(d.drawnPoints <= 300 + 3, `${d.drawnPoints} points drawn`);
    assert.equal(d.totalPoints, 1200);
    // Lines are decimated the same way: each polyline has at most every 4th step and its ends.
    for (const g of d.lines) for (const p of g.data) if (Number.isFinite(p.x)) assert.ok(r.steps.some((s) => s.value === p.x && (s.index % 4 === 0 || s.index === 0 || s.index === 399)));
  });

  test('while steps stream in, points only (no branches yet), in any order', async () => {
    const r = await runSweep(entryPath(tentSpec, W00, -1.5, -2.5), { steps: 10, maxOrder: 2 });
    const streaming: SweepResult = { ...r, steps: [...r.steps].reverse(), branches: [], events: [] };
    const d = diagramSeries(streaming, stepsByIndex(streaming), 'norm');
    assert.equal(d.lines.length, 0);
    assert.equal(d.points.reduce((a, g) => a + g.data.length, 0), 30);
    assert.ok(d.points.every((g) => g.data.every((p) => p.y >= 0)), 'the norm');
  });
});

describe('the model at a value, written as a JSON model', () => {
  test('reads back as the same model, one key per line and matrices row by row', () => {
    const spec = validateModelSpec(JSON.parse(readFileSync(join(ROOT, 'examples', 'flip-2-cycle.plrnn.json'), 'utf8')), 'flip');
    const text = modelJsonText(spec, { $schema: '../schemas/model.schema.json', name: 'flip with A[0][1] = 0.5' });
    assert.deepEqual(modelFromJsonText(text, 'x').spec, spec);
    const lines = text.split('\n');
    assert.equal(lines[1], '  "$schema": "../schemas/model.schema.json",');
    assert.equal(lines[3], '  "architecture": "plrnn",');
    assert.ok(lines.includes('  "W": ['), text);
    assert.ok(lines.some((l) => /^ {4}\[[-\d.e, ]+\],?$/.test(l)), 'a row of W on one line');
  });

  let workerFile: string;
  before(async () => {
    workerFile = await testWorkerFile();
  });

  test("the 'entries' and 'modelAt' jobs: every entry with its value, the model with one set or on the line", async () => {
    const text = readFileSync(join(ROOT, 'examples', 'skew-tent.plrnn.json'), 'utf8');
    const source = { kind: 'text' as const, text };
    const entries = await startJob(workerFile, EntriesJob, { source, displayName: 'tent.json' }, {}).done;
    assert.deepEqual(entries, { architecture: 'plrnn', entries: [{ ref: 'A[0]', value: 0.2 }, { ref: 'W[0][0]', value: -2.2 }, { ref: 'h[0]', value: 1 }], total: 3 });
    const at = await startJob(workerFile, ModelAtJob, { source, displayName: 'tent.json', target: { kind: 'entry', ref: 'W[0][0]' }, value: 0.8, schema: 's.json', name: 'n' }, {}).done;
    const m = JSON.parse(at.text);
    assert.deepEqual([m.$schema, m.name, m.W, m.A, m.h], ['s.json', 'n', [[0.8]], [0.2], [1]]);
    const other = { kind: 'text' as const, text: text.replace('[0.2]', '[0.6]') };
    const mid = await startJob(workerFile, ModelAtJob, { source, displayName: 'a.json', target: { kind: 'line', to: other, toDisplayName: 'b.json' }, value: 0.5 }, {}).done;
    assert.ok(Math.abs(JSON.parse(mid.text).A[0] - 0.4) < 1e-15, mid.text);
    await assert.rejects(startJob(workerFile, ModelAtJob, { source, displayName: 'tent.json', target: { kind: 'entry', ref: 'W[1][0]' }, value: 1 }, {}).done, /W\[1\]\[0\] is not an entry of W, which is 1×1/);
  });
});

test("the diagram's points shrink where the parameter values are denser than 6 px apart", () => {
  const group = (n: number, order = 1) => ({ order, stable: true, data: Array.from({ length: n }, (_, i) => ({ x: i, y: 0, step: i })) });
  assert.equal(diagramPointRadius([group(50)], 1000), 3);
  // 1500 checkpoints, each with a 16-cycle's points at one x: the x values count, not the points.
  const dense = [group(1500), { order: 16, stable: true, data: Array.from({ length: 1500 * 16 }, (_, i) => ({ x: Math.floor(i / 16), y: i % 16, step: 0 })) }];
  assert.equal(diagramPointRadius(dense, 1000), 0.75);
  assert.equal(diagramPointRadius([group(250)], 1000), 2);
  assert.equal(diagramPointRadius([], 1000), 3);
});
