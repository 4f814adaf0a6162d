// The sweep jobs: one chunk of steps or one grid row (the pool's tasks), and whole sweeps for
// the editor, which load the model and run their chunks on a pool of their own.
import { parseParamRef } from '../../core/model/paramRef';
import { describePath } from '../../core/sweep/path';
import { runSweep, searchChunk } from '../../core/sweep/run';
import { gridRow, runGrid, type Grid } from '../../core/sweep/grid';
import { GridJob, GridRowJob, SweepChunkJob, SweepJob } from '../../shared/jobs';
import { gridFromInput, pathFromInput, poolSweepRunner, runGridOnPool } from '../host/sweepRunner';
import { WorkerPool } from '../host/pool';
import { modelInfo } from '../modelInfo';
import { implement } from '../serve';
import { loadModel, loadPath } from './load';

export const sweepChunk = implement(SweepChunkJob, (input, ctx) => {
  const steps = searchChunk(pathFromInput(input.path), input.options, input.chunk, { onStep: (s) => ctx.emit(s), isCancelled: () => ctx.isCancelled() });
  return { done: steps.length };
});

export const gridRowJob = implement(GridRowJob, (input, ctx) => gridRow(gridFromInput(input.grid), input.options, input.row, { isCancelled: () => ctx.isCancelled() }));

/** This worker's own file, for a pool of its kind (the bundle: dist/worker.js). */
const WORKER_FILE = __filename;

/** Runs `here` in this thread for one job, else `pooled` on a pool of its own, closed afterwards. */
export async function hereOrOnPool<R>(jobs: number | undefined, here: () => R | Promise<R>, pooled: (pool: WorkerPool) => Promise<R>): Promise<R> {
  if ((jobs ?? 2) <= 1) return here();
  const pool = new WorkerPool(WORKER_FILE, { size: jobs });
  try {
    return await pooled(pool);
  } finally {
    await pool.close();
  }
}

export const sweep = implement(SweepJob, async (input, ctx) => {
  const { first, path } = await loadPath(input);
  ctx.progress({ type: 'model', model: modelInfo(first.model.spec, first.model.map, first.format, first.notes), path: describePath(path) });
  let done = 0;
  const onStep = (s: Parameters<typeof ctx.emit>[0]) => {
    ctx.emit(s);
    ctx.progress({ type: 'steps', done: ++done, total: input.options.steps });
  };
  const isCancelled = () => ctx.isCancelled();
  return hereOrOnPool(
    input.jobs,
    () => runSweep(path, input.options, { onStep, isCancelled }),
    (pool) => runSweep(path, input.options, { isCancelled }, poolSweepRunner(pool, path, input.options, { onStep, isCancelled })),
  );
});

export const grid = implement(GridJob, async (input, ctx) => {
  const { model, format, notes } = await loadModel(input.source, input.displayName, input);
  ctx.progress({ type: 'model', model: modelInfo(model.spec, model.map, format, notes) });
  const axis = (a: typeof input.x) => ({ ref: parseParamRef(a.ref)!, from: a.from, to: a.to, n: a.n });
  const g: Grid = { spec: model.spec, x: axis(input.x), y: axis(input.y) };
  let done = 0;
  const onRow = (row: Parameters<typeof ctx.emit>[0]) => {
    ctx.emit(row);
    ctx.progress({ type: 'rows', done: ++done, total: g.y.n });
  };
  const isCancelled = () => ctx.isCancelled();
  return hereOrOnPool(
    input.jobs,
    () => runGrid(g, input.options, { onRow, isCancelled }),
    (pool) => runGridOnPool(pool, g, input.options, { onRow, isCancelled }),
  );
});
