// Sweeps and 2-D sweeps on a pool of worker threads, for the CLI and for the editor's sweep job
// (which runs in a worker of its own): one task per chunk of steps or per grid row. The chunks
// and rows are fixed by the sweep, not by the pool, so the result is the same for any size.
import { parseParamRef, formatParamRef } from '../../core/model/paramRef';
import { validateModelSpec } from '../../core/model/validate';
import { entryPath, linePath, polylinePath, type ModelPath } from '../../core/sweep/path';
import type { Chunk, SweepRunner } from '../../core/sweep/run';
import type { SweepOptions, SweepStep } from '../../core/sweep/types';
import { assembleGrid, checkGrid, type Grid, type GridResult, type GridRow } from '../../core/sweep/grid';
import { GridRowJob, JobError, SweepChunkJob, type InputOf } from '../../shared/jobs';
import { WorkerPool } from './pool';

export type PathInput = InputOf<typeof SweepChunkJob>['path'];

export function pathToInput(path: ModelPath): PathInput {
  if (path.kind === 'polyline') return { kind: 'polyline', specs: path.specs, values: path.values, names: path.names, unit: path.unit };
  return path.kind === 'entry'
    ? { kind: 'entry', spec: path.spec, ref: formatParamRef(path.ref), from: path.from, to: path.to }
    : { kind: 'line', from: path.from, to: path.to, fromName: path.fromName ?? 'the first model', toName: path.toName ?? 'the second model' };
}

export function pathFromInput(p: PathInput): ModelPath {
  if (p.kind === 'polyline') return polylinePath(p.specs.map((s, i) => validateModelSpec(s, p.names[i] ?? `model ${i}`)), p.values, p.names, p.unit);
  if (p.kind === 'entry') return entryPath(validateModelSpec(p.spec, 'the swept model'), parseParamRef(p.ref)!, p.from, p.to);
  return linePath(validateModelSpec(p.from, p.fromName), validateModelSpec(p.to, p.toName), p.fromName, p.toName);
}

export function gridToInput(grid: Grid): InputOf<typeof GridRowJob>['grid'] {
  const axis = (a: Grid['x']) => ({ ref: formatParamRef(a.ref), from: a.from, to: a.to, n: a.n });
  return { spec: grid.spec, x: axis(grid.x), y: axis(grid.y) };
}

export function gridFromInput(g: InputOf<typeof GridRowJob>['grid']): Grid {
  const axis = (a: typeof g.x) => ({ ref: parseParamRef(a.ref)!, from: a.from, to: a.to, n: a.n });
  const grid = { spec: validateModelSpec(g.spec, 'the swept model'), x: axis(g.x), y: axis(g.y) };
  checkGrid(grid);
  return grid;
}

export interface PoolHooks {
  onStep?(step: SweepStep): void;
  /** Polled while the pool works; true stops it (finished steps are kept). */
  isCancelled?(): boolean;
}

function watchCancel(isCancelled: (() => boolean) | undefined, cancel: () => void): () => void {
  if (!isCancelled) return () => undefined;
  const timer = setInterval(() => {
    if (isCancelled()) cancel();
  }, 50);
  return () => clearInterval(timer);
}

/** A failed task is an error of the whole sweep (a cancelled one just ends it). */
function firstFailure(outcomes: { status: string; error?: JobError }[]): JobError | undefined {
  return outcomes.find((o) => o.status === 'failed' && !o.error?.cancelled)?.error;
}

/** Runs a sweep's chunks on `pool`. */
export function poolSweepRunner(pool: WorkerPool, path: ModelPath, options: SweepOptions, hooks: PoolHooks = {}): SweepRunner {
  return {
    async runChunks(chunks: Chunk[]): Promise<SweepStep[][]> {
      const byChunk: SweepStep[][] = chunks.map(() => []);
      const input = pathToInput(path);
      const run = pool.run(
        SweepChunkJob,
        chunks.map((chunk) => ({ path: input, options, chunk })),
        {
          onItems: (task, steps) => {
            byChunk[task].push(...steps);
            for (const s of steps) hooks.onStep?.(s);
          },
        },
      );
      const stop = watchCancel(hooks.isCancelled, () => run.cancel());
      try {
        const outcomes = await run.done;
        const failed = firstFailure(outcomes as { status: string; error?: JobError }[]);
        if (failed) throw failed;
      } finally {
        stop();
      }
      return byChunk;
    },
  };
}

/** A 2-D sweep's rows on `pool`. */
export async function runGridOnPool(pool: WorkerPool, grid: Grid, options: SweepOptions, hooks: { onRow?(row: GridRow): void; isCancelled?(): boolean } = {}): Promise<GridResult> {
  checkGrid(grid);
  const started = performance.now();
  const input = gridToInput(grid);
  const rows: GridRow[] = [];
  const run = pool.run(
    GridRowJob,
    Array.from({ length: grid.y.n }, (_, row) => ({ grid: input, options, row })),
    {
      onOutcome: (_task, o) => {
        if (o.status === 'done') {
          rows.push(o.end);
          hooks.onRow?.(o.end);
        }
      },
    },
  );
  const stop = watchCancel(hooks.isCancelled, () => run.cancel());
  try {
    const failed = firstFailure((await run.done) as { status: string; error?: JobError }[]);
    if (failed) throw failed;
  } finally {
    stop();
  }
  return assembleGrid(grid, rows, started);
}
