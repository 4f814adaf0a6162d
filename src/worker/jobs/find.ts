// The 'find' job: load the model, then run SCYFI, streaming each verified cycle.
import { loadModelFile } from '../../core/io/load';
import { modelFromJsonText } from '../../core/io/json';
import type { Model } from '../../core/model/types';
import { findCycles } from '../../core/scyfi';
import { FindJob, type InputOf } from '../../shared/jobs';
import { modelInfo } from '../modelInfo';
import { implement } from '../serve';
import { loadOptions } from './loadOptions';

async function load(input: InputOf<typeof FindJob>): Promise<{ model: Model; format: string; notes: string[] }> {
  if (input.source.kind === 'text') return { model: modelFromJsonText(input.source.text, input.displayName), format: 'json', notes: [] };
  const loaded = await loadModelFile(input.source.path, loadOptions(input));
  return { model: loaded.model, format: loaded.format, notes: loaded.notes };
}

export const find = implement(FindJob, async (input, ctx) => {
  const { model, format, notes } = await load(input);
  ctx.progress({ type: 'model', model: modelInfo(model.spec, model.map, format, notes) });
  const result = findCycles(model.map, { ...input.options }, {
    onOrder: (order, maxOrder) => ctx.progress({ type: 'order', order, maxOrder }),
    onCycle: (cycle) => ctx.emit(cycle),
    isCancelled: () => ctx.isCancelled(),
  });
  return { cycles: result.cycles, stats: result.stats, cancelled: result.cancelled };
});
