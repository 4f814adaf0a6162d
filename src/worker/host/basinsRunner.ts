// A basin grid's rows on a pool of worker threads (the CLI's --jobs, the editor's basins job).
// Rows are fixed by the grid, not by the pool, and each start is simulated alone, so the grid is
// the same for any number of workers.
import { assembleBasins, checkSlice, type BasinOptions, type BasinResult, type BasinRow, type BasinSlice } from '../../core/dynamics/basins';
import type { KnownCycle } from '../../core/dynamics/types';
import type { Model } from '../../core/model/types';
import { BasinRowJob, type JobError } from '../../shared/jobs';
import { WorkerPool } from './pool';

export async function runBasinsOnPool(
  pool: WorkerPool,
  model: Model,
  cycles: readonly KnownCycle[],
  slice: BasinSlice,
  options: BasinOptions,
  hooks: { onRow?(row: BasinRow): void; isCancelled?(): boolean } = {},
): Promise<BasinResult> {
  checkSlice(model.map, slice, options);
  const started = performance.now();
  const rows: BasinRow[] = [];
  const known = cycles.map((c) => ({ order: c.order, points: c.points.map((p) => [...p]) }));
  const run = pool.run(
    BasinRowJob,
    Array.from({ length: slice.ny }, (_, row) => ({ spec: model.spec, cycles: known, slice, options, row })),
    {
      onOutcome: (_task, o) => {
        if (o.status === 'done') {
          rows.push(o.end);
          hooks.onRow?.(o.end);
        }
      },
    },
  );
  const timer = hooks.isCancelled
    ? setInterval(() => {
        if (hooks.isCancelled!()) run.cancel();
      }, 50)
    : undefined;
  try {
    const outcomes = (await run.done) as { status: string; error?: JobError }[];
    const failed = outcomes.find((o) => o.status === 'failed' && !o.error?.cancelled)?.error;
    if (failed) throw failed;
  } finally {
    clearInterval(timer);
  }
  return assembleBasins(model.map, cycles, slice, options, rows, (performance.now() - started) / 1000);
}
