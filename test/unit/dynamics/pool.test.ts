// Basin grids on the worker pool: the same grid with 1 and 3 workers as in this thread, and the
// trajectories job through a real worker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBasins, type BasinSlice } from '../../../src/core/dynamics';
import { modelFromSpec } from '../../../src/core/model';
import { findCycles } from '../../../src/core/scyfi';
import { TrajectoriesJob } from '../../../src/shared/jobs';
import { runBasinsOnPool } from '../../../src/worker/host/basinsRunner';
import { WorkerPool } from '../../../src/worker/host/pool';
import { testWorkerFile } from '../worker/bundle';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'dynamics');

describe('dynamics on the worker pool', () => {
  let workerFile: string;
  const pools: WorkerPool[] = [];
  before(async () => {
    workerFile = await testWorkerFile();
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  test('a basin grid is the same in this thread, on 1 worker and on 3', async () => {
    const text = readFileSync(join(FIXTURES, 'bistable.shplrnn.json'), 'utf8');
    const model = modelFromSpec(JSON.parse(text), 'bistable');
    const cycles = findCycles(model.map, { maxOrder: 2 }).cycles;
    const slice: BasinSlice = { x: 0, y: 1, xRange: [-2, 4], yRange: [-2, 4], nx: 13, ny: 9, base: [0, 0] };
    const here = runBasins(model.map, cycles, slice, { maxOrder: 2 });
    const results = [];
    for (const size of [1, 3]) {
      const pool = new WorkerPool(workerFile, { size });
      pools.push(pool);
      results.push(await runBasinsOnPool(pool, model, cycles, slice, { maxOrder: 2 }));
    }
    for (const r of results) {
      assert.deepEqual(r.rows, here.rows);
      assert.deepEqual(r.counts, here.counts);
      assert.equal(r.cancelled, false);
    }
  });

  test('the trajectories job reads the model, simulates and returns the sentence', async () => {
    const pool = new WorkerPool(workerFile, { size: 1 });
    pools.push(pool);
    const text = readFileSync(join(FIXTURES, 'invariant-circle.shplrnn.json'), 'utf8');
    const cycles = findCycles(modelFromSpec(JSON.parse(text), 'c').map, { maxOrder: 10 }).cycles.map((c) => ({ order: c.order, points: c.points }));
    const run = pool.run(TrajectoriesJob, [{ source: { kind: 'text', text }, displayName: 'invariant-circle.shplrnn.json', cycles, options: { maxOrder: 10, seed: 0, starts: 3 } }]);
    const [o] = await run.done;
    assert.equal(o.status, 'done', o.status === 'failed' ? o.error.message : '');
    if (o.status !== 'done') return;
    assert.equal(o.end.trajectories.length, 3);
    assert.match(o.end.sentence, /quasi-periodic \(largest Lyapunov exponent ≈ 0\.000\)/);
    assert.ok(o.end.trajectories[0].tail.length > 100);
  });
});
