// What one shard computes and how the shards' results become the unsharded result, for each
// kind of job. A shard's units are the units the unsharded job already computes independently:
// a sweep's chunks (each starts with a full search at its first step, then continues), a 2-D
// sweep's rows (each a continued sweep along x with its own seed), a run's chunks (as a sweep's,
// with the result cache off). So every step or row of the merged result is computed exactly as
// the unsharded job computes it, and assembling them is the unsharded job's own assembly.
import { analyzeRun, type RunAnalysis, type RunOptions } from '../run/analyze';
import { assembleGrid, checkGrid, gridRow, type Grid, type GridResult, type GridRow } from '../sweep/grid';
import type { ModelPath, PolylinePath } from '../sweep/path';
import { assembleSweep, checkSweepOptions, chunksOf, searchChunk, type Chunk } from '../sweep/run';
import type { SweepOptions, SweepResult, SweepStep } from '../sweep/types';
import { InputError } from '../errors';
import type { Part } from './plan';

export interface PartEvents {
  isCancelled?(): boolean;
}

/** The step range of every chunk of a sweep. */
export function sweepChunks(options: SweepOptions): Part[] {
  checkSweepOptions(options);
  return chunksOf(options.steps, options.chunkSize).map((c) => [c.from, c.to]);
}

function chunksIn(chunks: Part[], part: Part): Chunk[] {
  return chunks.slice(part[0], part[1] + 1).map(([from, to]) => ({ from, to }));
}

/** The steps of a sweep's chunks part[0]..part[1]. */
export function sweepPart(path: ModelPath, options: SweepOptions, chunks: Part[], part: Part, events: PartEvents = {}): SweepStep[] {
  const out: SweepStep[] = [];
  for (const c of chunksIn(chunks, part)) {
    if (events.isCancelled?.()) break;
    out.push(...searchChunk(path, options, c, events));
  }
  return out;
}

export function mergeSweep(path: ModelPath, options: SweepOptions, steps: SweepStep[], seconds: number): SweepResult {
  const r = assembleSweep(path, options, steps, performance.now());
  r.stats.seconds = seconds;
  return r;
}

/** The rows part[0]..part[1] of a 2-D sweep. */
export function gridPart(grid: Grid, options: Omit<SweepOptions, 'steps'>, part: Part, events: PartEvents = {}): GridRow[] {
  checkGrid(grid);
  const out: GridRow[] = [];
  for (let j = part[0]; j <= part[1]; j++) {
    if (events.isCancelled?.()) break;
    out.push(gridRow(grid, options, j, events));
  }
  return out;
}

export function mergeGrid(grid: Grid, rows: GridRow[], seconds: number): GridResult {
  const r = assembleGrid(grid, rows, performance.now());
  r.stats.seconds = seconds;
  return r;
}

/** Thrown through analyzeRun to stop it once its chunks are known or computed. */
class Stop extends Error {
  constructor(readonly chunks: Chunk[], readonly steps: SweepStep[]) {
    super('stop');
  }
}

function noCache(options: RunOptions): RunOptions {
  return { ...options, cacheDir: undefined };
}

async function throughRun(target: string, options: RunOptions, compute: (path: PolylinePath, o: SweepOptions, chunks: Chunk[]) => SweepStep[]): Promise<Stop> {
  try {
    await analyzeRun(target, noCache(options), {
      runner: (path, o) => ({
        runChunks: async (chunks) => {
          throw new Stop(chunks, compute(path, o, chunks));
        },
      }),
    });
  } catch (e) {
    if (e instanceof Stop) return e;
    throw e;
  }
  throw new InputError(`${target}: every checkpoint of the run was already known, so there is nothing to shard`);
}

/** The step range of every chunk of a training run (its checkpoints read, nothing searched). */
export async function runChunks(target: string, options: RunOptions): Promise<Part[]> {
  const stop = await throughRun(target, options, () => []);
  return stop.chunks.map((c) => [c.from, c.to]);
}

function sameChunks(target: string, planned: Part[], actual: Chunk[]): void {
  const same = planned.length === actual.length && planned.every((p, i) => p[0] === actual[i].from && p[1] === actual[i].to && !actual[i].seeds);
  if (!same) throw new InputError(`${target}: the run's checkpoints are not those of the plan (${actual.length} chunks now, ${planned.length} planned); make a new plan`);
}

/** The steps of a run's chunks part[0]..part[1]. */
export async function runPart(target: string, options: RunOptions, chunks: Part[], part: Part, events: PartEvents = {}): Promise<SweepStep[]> {
  const stop = await throughRun(target, options, (path, o, actual) => {
    sameChunks(target, chunks, actual);
    return sweepPart(path, o, chunks, part, events);
  });
  return stop.steps;
}

/** The run's analysis from the shards' steps (a partial one when some are missing). */
export async function mergeRun(target: string, options: RunOptions, chunks: Part[], steps: SweepStep[], seconds: number): Promise<RunAnalysis> {
  const r = await analyzeRun(target, noCache(options), {
    runner: () => ({
      runChunks: async (actual) => {
        sameChunks(target, chunks, actual);
        return [steps];
      },
    }),
  });
  r.sweep.stats.seconds = seconds;
  r.stats.seconds = seconds;
  return r;
}
