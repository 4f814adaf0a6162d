// The worker the runner's tests start: dist/worker.js's job kinds plus the test-only ones, with
// the same batching.
import { JOBS } from '../../../src/worker/jobs';
import { implement, serveJobs } from '../../../src/worker/serve';
import { isChainHelperThread } from '../../../src/worker/chainHelper';
import { BlockJob, CountJob, CrashJob, LiarWorkerSide, SleepJob, SpinJob } from './testJobs';

function spinUntil(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: the thread's timers cannot fire
  }
}

// Started as a search's helper thread (src/worker/chainAhead.ts), this file serves no jobs, as dist/worker.js.
if (!isChainHelperThread()) serveJobs([
  ...JOBS,
  implement(CountJob, ({ n }, ctx) => {
    for (let i = 0; i < n; i++) ctx.emit(i);
    return n;
  }),
  implement(SleepJob, async ({ ms, value, first }, ctx) => {
    for (let i = 0; i < first; i++) ctx.emit(i);
    await new Promise((r) => setTimeout(r, ms));
    return value;
  }),
  implement(CrashJob, ({ code }) => process.exit(code)),
  implement(SpinJob, ({ heed, everyMs }, ctx) => {
    for (let i = 0; ; i++) {
      if (heed && ctx.isCancelled()) return { emitted: i, cancelled: true };
      spinUntil(everyMs);
      ctx.emit(i);
    }
  }),
  implement(BlockJob, () => {
    for (;;) spinUntil(1000);
  }),
  implement(LiarWorkerSide, (_input, ctx) => {
    ctx.emit('not a number');
    return 0;
  }),
]);
