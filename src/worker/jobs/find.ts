// The 'find' job: load the model, then run SCYFI, streaming each verified cycle.
import { findCycles, type ScyfiResult } from '../../core/scyfi';
import { certifyCycles, DEFAULT_CERTIFY_ORDERS_CAP, DEFAULT_CERTIFY_SECONDS } from '../../core/certify';
import { certificateSummary } from '../../core/certify/summary';
import { applySearchSettings } from '../../core/model/search';
import { FindJob } from '../../shared/jobs';
import { modelInfo } from '../modelInfo';
import { implement } from '../serve';
import { loadModel } from './load';
import { helperCount, HelperThreads } from '../chainAhead';

export const find = implement(FindJob, async (input, ctx) => {
  const { model, format, notes } = await loadModel(input.source, input.displayName, input);
  const { options, fromFile } = applySearchSettings(input.options, model.search, input.fixed);
  ctx.progress({ type: 'model', model: modelInfo(model.spec, model.map, format, notes), ...(fromFile.length ? { options, fromFile } : {}) });
  const isCancelled = () => ctx.isCancelled();
  const helpers = helperCount(input.threads);
  const ahead = helpers > 0 ? new HelperThreads(model.map, options.maxOrder, { helpers, isCancelled }) : undefined;
  let result: ScyfiResult;
  try {
    result = findCycles(model.map, { ...options }, { onOrder: (order, maxOrder) => ctx.progress({ type: 'order', order, maxOrder }), onCycle: (cycle) => ctx.emit(cycle), isCancelled, ahead });
  } finally {
    ahead?.close();
  }
  if (!input.certify || result.cancelled) return { cycles: result.cycles, stats: result.stats, cancelled: result.cancelled };
  // Certified mode, as `scyfi find --certify`: prove orders 1..K complete in a box (HiGHS, src/core/certify).
  const seconds = input.certify.seconds ?? DEFAULT_CERTIFY_SECONDS;
  const certified = await certifyCycles(
    model.map,
    result.cycles,
    { orders: Math.min(input.certify.orders ?? DEFAULT_CERTIFY_ORDERS_CAP, options.maxOrder), maxOrder: options.maxOrder, bound: input.certify.bound, seconds, seed: options.seed },
    {
      isCancelled: () => ctx.isCancelled(),
      onOrder: (order, orders) => ctx.progress({ type: 'certify', order, orders }),
      onCycle: (cycle) => ctx.emit(cycle),
    },
  );
  const cert = certified.certificate;
  ctx.progress({ type: 'certificate', certificate: { summary: certificateSummary(cert, seconds), bound: cert.bound, orders: cert.orders.map((o) => ({ order: o.order, status: o.status })) } });
  return { cycles: certified.cycles, stats: result.stats, cancelled: ctx.isCancelled() };
});
