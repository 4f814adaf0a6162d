// A sweep: SCYFI at every step of a path of models, each step continued from the previous
// step's cycles, in chunks that can run in parallel; then branches and events.
import { CancelledError, InputError } from '../errors';
import { findCycles, SearchContext } from '../scyfi/search';
import { noFinds } from '../scyfi/types';
import type { Cycle, FoundBySource } from '../scyfi/types';
import { SOURCES } from '../scyfi/types';
import { linkSteps } from './link';
import { checkPath, mapAt, pathStepTs, valueAt, type ModelPath } from './path';
import { formatParamRef } from '../model/paramRef';
import type { PathInfo, SweepOptions, SweepResult, SweepStep } from './types';

export const DEFAULT_CHUNK_SIZE = 16;
export const DEFAULT_CONTINUATION_BUDGET = 0.3;
export const MAX_STEPS = 100_000;

export interface Chunk {
  /** First and last step index, both included. */
  from: number;
  to: number;
  /** Cycles of the step before `from` (known already): the first step continues from them. */
  seeds?: { order: number; regions: string[] }[];
}

export function checkSweepOptions(o: SweepOptions): void {
  if (!Number.isInteger(o.steps) || o.steps < 2 || o.steps > MAX_STEPS) throw new InputError(`steps must be a whole number from 2 to ${MAX_STEPS}, got ${o.steps}`);
  if (o.chunkSize !== undefined && (!Number.isInteger(o.chunkSize) || o.chunkSize < 1)) throw new InputError(`chunkSize must be a positive whole number, got ${o.chunkSize}`);
  if (o.continuationBudget !== undefined && !(o.continuationBudget > 0 && o.continuationBudget <= 1)) throw new InputError(`continuationBudget must be in (0, 1], got ${o.continuationBudget}`);
}

/** The chunks of a sweep: fixed by the number of steps and the chunk size, never by the number of workers. */
export function chunksOf(steps: number, chunkSize = DEFAULT_CHUNK_SIZE): Chunk[] {
  const out: Chunk[] = [];
  for (let from = 0; from < steps; from += chunkSize) out.push({ from, to: Math.min(steps, from + chunkSize) - 1 });
  return out;
}

/** A step's own seed: the result of a step depends only on (seed, index), whatever ran before it. */
export function stepSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export interface StepEvents {
  onStep?(step: SweepStep): void;
  isCancelled?(): boolean;
}

/** The searches of one chunk: a full search at its first step, then continuation. */
export function searchChunk(path: ModelPath, options: SweepOptions, chunk: Chunk, events: StepEvents = {}): SweepStep[] {
  const ts = pathStepTs(path, options.steps);
  const seed = options.seed ?? 0;
  const out: SweepStep[] = [];
  let context: SearchContext | undefined;
  let previous: Pick<Cycle, 'order' | 'regions'>[] | undefined = chunk.seeds;
  for (let i = chunk.from; i <= chunk.to; i++) {
    if (events.isCancelled?.()) break;
    const map = mapAt(path, ts[i]);
    const continued = options.continuation !== false && previous !== undefined;
    context ??= new SearchContext(map, options.maxOrder, seed);
    // Every step searches with a share of the outer loop (1 for the first of a chunk); without a
    // user's outerLoop, of the plain one (ScyfiOptions.outerLoopScale): the small-model factor of
    // a search from nothing would multiply a sweep's cost by its number of steps, while
    // continuation carries a cycle found at one step on to the next.
    const share = continued ? (options.continuationBudget ?? DEFAULT_CONTINUATION_BUDGET) : 1;
    const started = performance.now();
    const r = findCycles(
      map,
      {
        maxOrder: options.maxOrder,
        seed: stepSeed(seed, i),
        ...(options.outerLoop === undefined ? { outerLoopScale: share } : { outerLoop: Math.max(1, Math.ceil(options.outerLoop * share)) }),
        innerLoop: options.innerLoop,
        ...(continued ? { seeds: previous!.map((c) => ({ order: c.order, regions: c.regions })) } : {}),
      },
      { isCancelled: events.isCancelled },
      context,
    );
    const step: SweepStep = {
      index: i,
      t: ts[i],
      value: valueAt(path, ts[i]),
      cycles: r.cycles,
      branches: [],
      candidates: r.stats.candidates,
      seconds: (performance.now() - started) / 1000,
      foundBy: r.stats.foundBy ?? noFinds(),
      continued,
      cancelled: r.cancelled,
    };
    out.push(step);
    events.onStep?.(step);
    if (r.cancelled) break;
    previous = r.cycles;
  }
  return out;
}

export function pathInfo(path: ModelPath): PathInfo {
  if (path.kind === 'polyline') return { kind: 'polyline', unit: path.unit, models: path.names };
  return path.kind === 'entry'
    ? { kind: 'entry', parameter: formatParamRef(path.ref), from: path.from, to: path.to }
    : { kind: 'line', from: path.fromName ?? 'the first model', to: path.toName ?? 'the second model' };
}

/** Branches, events and totals from the steps of every chunk (in any order). */
export function assembleSweep(path: ModelPath, options: SweepOptions, steps: SweepStep[], started: number): SweepResult {
  const sorted = [...steps].sort((a, b) => a.index - b.index);
  const { branches, events } = linkSteps(path, sorted, options.events !== false);
  const foundBy: FoundBySource = noFinds();
  for (const s of sorted) for (const k of SOURCES) foundBy[k] += s.foundBy[k];
  const cancelled = sorted.length < options.steps || sorted.some((s) => s.cancelled);
  return {
    path: pathInfo(path),
    values: pathStepTs(path, options.steps).map((t) => valueAt(path, t)),
    steps: sorted,
    branches,
    events,
    stats: {
      candidates: sorted.reduce((a, s) => a + s.candidates, 0),
      seconds: (performance.now() - started) / 1000,
      foundBy,
      continuedSteps: sorted.filter((s) => s.continued).length,
      fullSteps: sorted.filter((s) => !s.continued).length,
    },
    cancelled,
  };
}

export interface SweepRunner {
  /** Runs the chunks (in parallel, say) and returns their steps; cancelled chunks return what they finished. */
  runChunks(chunks: Chunk[]): Promise<SweepStep[][]>;
}

/** A whole sweep; chunks run in this thread unless a runner (a worker pool) is given. */
export async function runSweep(path: ModelPath, options: SweepOptions, events: StepEvents = {}, runner?: SweepRunner): Promise<SweepResult> {
  checkSweepOptions(options);
  checkPath(path);
  const started = performance.now();
  const chunks = chunksOf(options.steps, options.chunkSize);
  let steps: SweepStep[];
  if (runner) steps = (await runner.runChunks(chunks)).flat();
  else {
    steps = [];
    for (const c of chunks) {
      if (events.isCancelled?.()) break;
      steps.push(...searchChunk(path, options, c, events));
    }
  }
  return assembleSweep(path, options, steps, started);
}

export { CancelledError };
