// The pure parts of the results panel: search settings carried by a model file ("scyfi" block)
// and how a run applies them, the offer to search deeper, re-running on save, the filter, the
// default order, plot decimation, the virtual table's window, per-order counts, the panel's
// messages, and a search cancelled in a worker stopping by itself.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors';
import { modelFromJsonText } from '../../../src/core/io/json';
import { validateModelSpec } from '../../../src/core/model';
import { applySearchSettings, searchSettingsOf } from '../../../src/core/model/search';
import { modelJsonSchema } from '../../../src/core/model/schema';
import type { Cycle } from '../../../src/core/scyfi/types';
import { FIND_CANCEL_GRACE_MS } from '../../../src/extension/runner';
import { FindJob } from '../../../src/shared/jobs';
import { parse } from '../../../src/shared/messages';
import { HostToPanel, PanelToHost } from '../../../src/shared/protocol';
import { deeperOrder, shouldRerunOnSave } from '../../../src/shared/resultsView';
import { summarize } from '../../../src/shared/summary';
import { AUTO_KEY_ABOVE, decimate, effectiveStability, filterIndices, orderCounts, rowWindow, scrollToRow, sortedIndices } from '../../../src/webview/resultsModel';
import { startJob } from '../../../src/worker/host/job';
import { testWorkerFile } from '../worker/bundle';

const ROOT = join(__dirname, '..', '..', '..');
const example = (name: string) => readFileSync(join(ROOT, 'examples', name), 'utf8');

function cyc(order: number, stable: boolean, classification = stable ? 'stable node' : 'saddle'): Cycle {
  const points = Array.from({ length: order }, (_, j) => [j, -j]);
  return { order, points, eigenvalues: [[stable ? 0.5 : 2, 0]], spectralRadius: stable ? 0.5 : 2, stable, classification, regions: points.map(() => '10') };
}

function inputError(f: () => unknown, message: RegExp, path: (string | number)[]): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, message);
    assert.deepEqual(e.jsonPath, path);
    return true;
  });
}

describe('search settings in a model file', () => {
  const spec = { architecture: 'plrnn', A: [0.5], W: [[0.1]], h: [1] };

  test('the two-16-cycles example asks for orders up to 16', () => {
    assert.deepEqual(modelFromJsonText(example('two-16-cycles.plrnn.json'), 'two-16-cycles.plrnn.json').search, { maxOrder: 16 });
    assert.equal(modelFromJsonText(example('fixed-point.plrnn.json'), 'fixed-point.plrnn.json').search, undefined);
  });

  test('every setting is read', () => {
    assert.deepEqual(searchSettingsOf({ ...spec, scyfi: { maxOrder: 20, outerLoop: 5, innerLoop: 7, seed: 0 } }, 'm.json'), { maxOrder: 20, outerLoop: 5, innerLoop: 7, seed: 0 });
    assert.deepEqual(searchSettingsOf({ ...spec, scyfi: {} }, 'm.json'), {});
  });

  test('a bad block is refused in one line naming the file and the key (also by the model validator, for diagnostics)', () => {
    inputError(() => searchSettingsOf({ scyfi: { maxOrder: 0 } }, 'm.json'), /^m\.json: scyfi\.maxOrder must be a whole number from 1 to 200 \(the highest cycle order searched\), got 0$/, ['scyfi', 'maxOrder']);
    inputError(() => searchSettingsOf({ scyfi: { maxOrder: 201 } }, 'm.json'), /got 201/, ['scyfi', 'maxOrder']);
    inputError(() => searchSettingsOf({ scyfi: { maxOrder: 2.5 } }, 'm.json'), /got 2\.5/, ['scyfi', 'maxOrder']);
    inputError(() => searchSettingsOf({ scyfi: { maxOrder: '16' } }, 'm.json'), /got a string/, ['scyfi', 'maxOrder']);
    inputError(() => searchSettingsOf({ scyfi: { seed: -1 } }, 'm.json'), /scyfi\.seed must be a whole number ≥ 0/, ['scyfi', 'seed']);
    inputError(() => searchSettingsOf({ scyfi: { maxorder: 16 } }, 'm.json'), /scyfi\.maxorder is not a search setting \(one of maxOrder, outerLoop, innerLoop, seed\)/, ['scyfi', 'maxorder']);
    inputError(() => searchSettingsOf({ scyfi: [16] }, 'm.json'), /scyfi must be an object of search settings/, ['scyfi']);
    inputError(() => validateModelSpec({ ...spec, scyfi: { maxOrder: -3 } }, 'm.json'), /scyfi\.maxOrder/, ['scyfi', 'maxOrder']);
  });

  test('the schema describes the block and refuses other keys in it', () => {
    const block = (modelJsonSchema().properties as Record<string, { additionalProperties: boolean; properties: Record<string, { maximum?: number }> }>).scyfi;
    assert.equal(block.additionalProperties, false);
    assert.deepEqual(Object.keys(block.properties), ['maxOrder', 'outerLoop', 'innerLoop', 'seed']);
    assert.equal(block.properties.maxOrder.maximum, 200);
  });

  test("a run uses the file's settings except those set for the run", () => {
    const base = { maxOrder: 10, seed: 0 };
    assert.deepEqual(applySearchSettings(base, { maxOrder: 16 }), { options: { maxOrder: 16, seed: 0 }, fromFile: ['maxOrder'] });
    assert.deepEqual(applySearchSettings(base, { maxOrder: 16, seed: 3 }, ['maxOrder']), { options: { maxOrder: 10, seed: 3 }, fromFile: ['seed'] });
    assert.deepEqual(applySearchSettings(base, undefined), { options: base, fromFile: [] });
  });

  describe('in the worker', () => {
    let workerFile: string;
    before(async () => {
      workerFile = await testWorkerFile();
    });

    test('the find job searches the orders the file asks for, and says so', async () => {
      const source = { kind: 'text' as const, text: example('two-16-cycles.plrnn.json') };
      const said: unknown[] = [];
      const r = await startJob(workerFile, FindJob, { source, displayName: 'two-16-cycles.plrnn.json', options: { maxOrder: 10, seed: 0 } }, { onProgress: (p) => p.type === 'model' && said.push(p) }).done;
      assert.equal(summarize(r.cycles, 16), '1 fixed point (0 stable), two 16-cycles (1 stable)');
      assert.deepEqual((said[0] as { options: unknown; fromFile: unknown }).options, { maxOrder: 16, seed: 0 });
      assert.deepEqual((said[0] as { fromFile: unknown }).fromFile, ['maxOrder']);
      const fixed = await startJob(workerFile, FindJob, { source, displayName: 'two-16-cycles.plrnn.json', options: { maxOrder: 10, seed: 0 }, fixed: ['maxOrder'] }).done;
      assert.equal(summarize(fixed.cycles, 10), '1 fixed point (0 stable)');
    });

    test('a cancelled search stops by itself, well within the grace period (its own end, with its candidates counted)', async () => {
      assert.ok(FIND_CANCEL_GRACE_MS <= 1000, 'Cancel in the editor is over within a second');
      const source = { kind: 'file' as const, path: join(ROOT, 'test', 'fixtures', 'models', 'scyfi-main-10d.json') };
      let run: ReturnType<typeof startJob<typeof FindJob>> | undefined = undefined;
      let asked = false;
      // No grace to speak of: a worker that did not stop by itself would fail the test with the partial end (0 candidates).
      run = startJob(
        workerFile,
        FindJob,
        { source, displayName: '10d.json', options: { maxOrder: 40, outerLoop: 20000, innerLoop: 2000, seed: 0 } },
        {
          onProgress: (p) => {
            if (p.type === 'order' && p.order >= 2 && !asked) {
              asked = true;
              run!.cancel();
            }
          },
        },
        { graceMs: 10 * 60_000 },
      );
      const r = await run.done;
      assert.equal(r.cancelled, true);
      assert.ok(r.stats.candidates > 0, 'the end the worker sent, not the partial end of a terminated worker');
      assert.ok(r.cycles.some((c) => c.order === 1), 'what it found is kept');
    });
  });
});

describe('"Search up to order 2K"', () => {
  test('is offered when a finished search found nothing beyond fixed points', () => {
    assert.equal(deeperOrder({ status: 'done', options: { maxOrder: 10, seed: 0 }, cycles: [cyc(1, false)] }), 20);
    assert.equal(deeperOrder({ status: 'done', options: { maxOrder: 10, seed: 0 }, cycles: [] }), 20);
    assert.equal(deeperOrder({ status: 'done', options: { maxOrder: 150, seed: 0 }, cycles: [] }), 200, 'capped');
  });

  test('is not offered when cycles were found, the search did not finish, or it went to the limit', () => {
    assert.equal(deeperOrder({ status: 'done', options: { maxOrder: 10, seed: 0 }, cycles: [cyc(1, false), cyc(3, false)] }), undefined);
    assert.equal(deeperOrder({ status: 'cancelled', options: { maxOrder: 10, seed: 0 }, cycles: [] }), undefined);
    assert.equal(deeperOrder({ status: 'running', options: { maxOrder: 10, seed: 0 }, cycles: [] }), undefined);
    assert.equal(deeperOrder({ status: 'error', options: { maxOrder: 10, seed: 0 }, cycles: [] }), undefined);
    assert.equal(deeperOrder({ status: 'done', options: { maxOrder: 200, seed: 0 }, cycles: [] }), undefined);
  });
});

describe('re-running on save', () => {
  test('a short run of a file that changed runs again, also after an error', () => {
    assert.equal(shouldRerunOnSave({ status: 'done', stale: true, runSeconds: 0.4 }, 3), true);
    assert.equal(shouldRerunOnSave({ status: 'error', stale: true, runSeconds: 0.1 }, 3), true);
  });

  test('not a long run, a cancelled or running one, an unchanged file, or with the setting at 0', () => {
    assert.equal(shouldRerunOnSave({ status: 'done', stale: true, runSeconds: 12 }, 3), false);
    assert.equal(shouldRerunOnSave({ status: 'cancelled', stale: true, runSeconds: 0.4 }, 3), false);
    assert.equal(shouldRerunOnSave({ status: 'running', stale: true, runSeconds: 0.4 }, 3), false);
    assert.equal(shouldRerunOnSave({ status: 'done', stale: false, runSeconds: 0.4 }, 3), false);
    assert.equal(shouldRerunOnSave({ status: 'done', stale: true, runSeconds: undefined }, 3), false);
    assert.equal(shouldRerunOnSave({ status: 'done', stale: true, runSeconds: 0.4 }, 0), false);
  });
});

describe('the filter and the default order', () => {
  const few = [cyc(1, false), cyc(2, true), cyc(3, false), cyc(3, true), cyc(1, true)];

  test('by order and by stability', () => {
    assert.deepEqual(filterIndices(few, { order: 'all', stability: 'all' }), [0, 1, 2, 3, 4]);
    assert.deepEqual(filterIndices(few, { order: 3, stability: 'all' }), [2, 3]);
    assert.deepEqual(filterIndices(few, { order: 'all', stability: 'stable' }), [1, 3, 4]);
    assert.deepEqual(filterIndices(few, { order: 'all', stability: 'unstable' }), [0, 2]);
    assert.deepEqual(filterIndices(few, { order: 'all', stability: 'key' }), [0, 1, 3, 4]);
    assert.deepEqual(filterIndices(few, { order: 3, stability: 'stable' }), [3]);
  });

  test('automatic: everything while there are few, stable objects and fixed points when there are many, everything of a chosen order', () => {
    assert.equal(effectiveStability({ order: 'all', stability: 'auto' }, AUTO_KEY_ABOVE), 'all');
    assert.equal(effectiveStability({ order: 'all', stability: 'auto' }, AUTO_KEY_ABOVE + 1), 'key');
    assert.equal(effectiveStability({ order: 19, stability: 'auto' }, 5000), 'all');
    const many = [cyc(1, false), ...Array.from({ length: AUTO_KEY_ABOVE }, () => cyc(19, false)), cyc(5, true)];
    assert.deepEqual(filterIndices(many, { order: 'all', stability: 'auto' }), [0, many.length - 1]);
    assert.equal(filterIndices(many, { order: 19, stability: 'auto' }).length, AUTO_KEY_ABOVE);
  });

  test('the table lists stable objects first, then fixed points, then the rest by order', () => {
    const view = { sort: 'default' as const, descending: false, expanded: [] };
    assert.deepEqual(sortedIndices(few, view), [1, 3, 4, 0, 2]);
    assert.deepEqual(sortedIndices(few, view, [0, 2, 4]), [4, 0, 2], 'of the rows the filter kept');
    assert.deepEqual(sortedIndices(few, { ...view, sort: 'index' }), [0, 1, 2, 3, 4]);
  });
});

describe('plot decimation', () => {
  const cycles = [...Array.from({ length: 50 }, () => cyc(19, false)), cyc(1, false), cyc(16, true)];
  const all = cycles.map((_, i) => i);

  test('draws at most the points allowed, stable objects and fixed points first', () => {
    const d = decimate(cycles, all, undefined, 100);
    assert.deepEqual(d.drawn.slice(0, 2), [51, 50]);
    assert.ok(d.drawn.reduce((a, i) => a + cycles[i].points.length, 0) <= 100);
    assert.equal(d.drawn.length, 2 + 4, 'four 19-cycles fit in the rest');
    assert.equal(d.skipped, cycles.length - d.drawn.length);
  });

  test('always draws the selected object, and caps the objects', () => {
    assert.equal(decimate(cycles, all, 7, 10).drawn[0], 7);
    assert.ok(decimate(cycles, all, 7, 10).drawn.includes(7));
    assert.equal(decimate(cycles, all, undefined, 1e9, 3).drawn.length, 3);
    assert.deepEqual(decimate(cycles, [50], undefined), { drawn: [50], skipped: 0 });
  });
});

describe('the virtual table', () => {
  const rows = (n: number, h = 30) => new Array<number>(n).fill(h);

  test('renders only the rows in view, with spacers of the right height', () => {
    const w = rowWindow(rows(10_000), 30 * 5000, 600, 10);
    assert.deepEqual({ start: w.start, end: w.end }, { start: 4990, end: 5030 });
    assert.equal(w.before, 4990 * 30);
    assert.equal(w.after, (10_000 - 5030) * 30);
    assert.equal(w.before + w.after + (w.end - w.start) * 30, 300_000, 'the scroll height stays the whole list');
  });

  test('at the ends, for short lists and for rows of different heights', () => {
    assert.deepEqual(rowWindow(rows(3), 0, 600), { start: 0, end: 3, before: 0, after: 0 });
    assert.deepEqual(rowWindow([], 0, 600), { start: 0, end: 0, before: 0, after: 0 });
    const w = rowWindow([30, 400, 30, 30, 30], 420, 60, 0);
    assert.deepEqual(w, { start: 1, end: 4, before: 30, after: 30 });
  });

  test('scrolls a row into view only when it is out of view', () => {
    assert.equal(scrollToRow(rows(100), 50, 0, 300), 51 * 30 - 300);
    assert.equal(scrollToRow(rows(100), 3, 0, 300), 0);
    assert.equal(scrollToRow(rows(100), 3, 600, 300), 90);
  });
});

describe('counts per order', () => {
  test('many orders are summed up in compact counts that stay readable', () => {
    const cycles = [cyc(1, false), cyc(1, false), ...[3, 4, 5, 19].flatMap((k) => Array.from({ length: k === 19 ? 863 : 2 }, () => cyc(k, false)))];
    assert.deepEqual(
      orderCounts(cycles).map((g) => [g.order, g.n, g.stable]),
      [[1, 2, 0], [3, 2, 0], [4, 2, 0], [5, 2, 0], [19, 863, 0]],
    );
    assert.equal(summarize(cycles, 19), '871 objects of orders 1–19 (0 stable): fixed points: 2 (0 stable), order 3: 2 (0 stable), order 4: 2 (0 stable), order 5: 2 (0 stable), order 19: 863 (0 stable)');
  });

  test('few orders keep the sentence', () => {
    assert.equal(summarize([cyc(1, false), cyc(16, true), cyc(16, false)], 16), '1 fixed point (0 stable), two 16-cycles (1 stable)');
  });
});

describe('the panel messages', () => {
  test('"deeper" carries an order of 2 or more', () => {
    assert.deepEqual(parse(PanelToHost, { type: 'deeper', maxOrder: 20 }), { type: 'deeper', maxOrder: 20 });
    assert.throws(() => parse(PanelToHost, { type: 'deeper', maxOrder: 1 }));
    assert.throws(() => parse(PanelToHost, { type: 'deeper' }));
  });

  test('"model" may carry the options the file set, "finished" and "failed" the run time', () => {
    const model = { architecture: 'plrnn', M: 2, H: 2, format: 'json', parameters: [] };
    const m = parse(HostToPanel, { type: 'model', model, options: { maxOrder: 16, seed: 0 }, fromFile: ['maxOrder'] });
    assert.deepEqual(m, { type: 'model', model, options: { maxOrder: 16, seed: 0 }, fromFile: ['maxOrder'] });
    assert.deepEqual(parse(HostToPanel, { type: 'failed', message: 'x', seconds: 0.2 }), { type: 'failed', message: 'x', seconds: 0.2 });
  });
});
