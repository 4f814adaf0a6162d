// The dynamics jobs: simulated trajectories of a model, and basin grids (whole, or one row as
// the pool's task).
import { basinRow, runBasins } from '../../core/dynamics/basins';
import { simulateDynamics } from '../../core/dynamics/simulate';
import { modelFromSpec } from '../../core/model';
import { BasinRowJob, BasinsJob, TrajectoriesJob } from '../../shared/jobs';
import { runBasinsOnPool } from '../host/basinsRunner';
import { implement } from '../serve';
import { loadModel } from './load';
import { hereOrOnPool } from './sweep';

export const trajectories = implement(TrajectoriesJob, async (input, ctx) => {
  const { model } = await loadModel(input.source, input.displayName, input);
  return simulateDynamics(model.map, input.cycles, input.options, () => ctx.isCancelled());
});

export const basinRowJob = implement(BasinRowJob, (input, ctx) => {
  const model = modelFromSpec(input.spec, 'the model of a basin grid');
  return basinRow(model.map, input.cycles, input.slice, input.options, input.row, () => ctx.isCancelled());
});

export const basins = implement(BasinsJob, async (input, ctx) => {
  const { model } = await loadModel(input.source, input.displayName, input);
  let done = 0;
  const onRow = (row: Parameters<typeof ctx.emit>[0]) => {
    ctx.emit(row);
    ctx.progress({ type: 'rows', done: ++done, total: input.slice.ny });
  };
  const isCancelled = () => ctx.isCancelled();
  return hereOrOnPool(
    input.jobs,
    () => runBasins(model.map, input.cycles, input.slice, input.options, { onRow, isCancelled }),
    (pool) => runBasinsOnPool(pool, model, input.cycles, input.slice, input.options, { onRow, isCancelled }),
  );
});
