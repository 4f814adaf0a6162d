// The editor's training-run analysis: core/run/analyze.ts with its checkpoints' searches on a pool
// of worker threads (the chunks are fixed by the run, not by the pool, so any size gives the same
// result), each search streamed as it finishes and cached in the folder the host names.
import { analyzeRun } from '../../core/run/analyze';
import { DEFAULT_JUMP_THRESHOLD } from '../../core/run/loss';
import type { SweepStep } from '../../core/sweep/types';
import { RunJob } from '../../shared/jobs';
import { runReport } from '../../core/run/report';
import { poolSweepRunner } from '../host/sweepRunner';
import { implement } from '../serve';
import { loadOptions } from './loadOptions';
import { hereOrOnPool } from './sweep';

export const run = implement(RunJob, async (input, ctx) => {
  const o = input.options;
  let total = 0;
  let done = 0;
  const onStep = (s: SweepStep) => {
    ctx.emit(s);
    ctx.progress({ type: 'checkpoints', done: ++done, total });
  };
  const isCancelled = () => ctx.isCancelled();
  const options = {
    maxOrder: o.maxOrder,
    seed: o.seed ?? 0,
    outerLoop: o.outerLoop,
    innerLoop: o.innerLoop,
    load: loadOptions({ displayName: input.target, parameterMap: input.parameterMap }),
    jumps: { threshold: o.threshold ?? DEFAULT_JUMP_THRESHOLD, minRangeFraction: o.minChange },
    window: o.window,
    cacheDir: input.cacheDir,
  };
  const hooks = {
    isCancelled,
    onCheckpoint: (i: number, n: number) => ctx.progress({ type: 'reading', done: i, total: n }),
    onRun: (unit: 'epoch' | 'step' | 'snapshot', checkpoints: { x: number; name: string; file: string; model?: number }[]) => {
      total = checkpoints.length;
      ctx.progress({ type: 'run', unit, checkpoints });
    },
    onCached: onStep,
  };
  const analysis = await hereOrOnPool(
    input.jobs,
    () => analyzeRun(input.target, options, { ...hooks, onStep }),
    (pool) => analyzeRun(input.target, options, { ...hooks, runner: (path, sweepOptions) => poolSweepRunner(pool, path, sweepOptions, { onStep, isCancelled }) }),
  );
  return runReport(analysis);
});
