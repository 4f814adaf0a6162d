// The 'find' job: load the model, then run SCYFI, streaming each verified cycle.
import { findCycles } from '../../core/scyfi';
import { applySearchSettings } from '../../core/model/search';
import { FindJob } from '../../shared/jobs';
import { modelInfo } from '../modelInfo';
import { implement } from '../serve';
import { loadModel } from './load';

export const find = implement(FindJob, async (input, ctx) => {
  const { model, format, notes } = await loadModel(input.source, input.displayName, input);
  const { options, fromFile } = applySearchSettings(input.options, model.search, input.fixed);
  ctx.progress({ type: 'model', model: modelInfo(model.spec, model.map, format, notes), ...(fromFile.length ? { options, fromFile } : {}) });
  const result = findCycles(model.map, { ...options }, {
    onOrder: (order, maxOrder) => ctx.progress({ type: 'order', order, maxOrder }),
    onCycle: (cycle) => ctx.emit(cycle),
    isCancelled: () => ctx.isCancelled(),
  });
  return { cycles: result.cycles, stats: result.stats, cancelled: result.cancelled };
});
