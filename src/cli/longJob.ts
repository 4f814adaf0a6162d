// The CLI's long jobs: a worker pool (dist/worker.js beside dist/cli.js) when --jobs asks for more
// than one thread, and the stop that --timeout, Ctrl-C (SIGINT) and SIGTERM share: the job ends
// at its next check and prints what it found.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { WorkerPool } from '../worker/host/pool';
import { intFlag, type ParsedArgs } from './args';

const LIMIT = 1_000_000_000;

export interface LongJob {
  pool?: WorkerPool;
  isCancelled: () => boolean;
  close(): Promise<void>;
}

/** Starts the pool (--jobs) and the deadline (--timeout); close() stops both. */
export function startLongJob(args: ParsedArgs): LongJob {
  const jobs = intFlag(args, 'jobs', 1, 1024) ?? availableParallelism();
  const timeout = intFlag(args, 'timeout', 1, LIMIT);
  const deadline = timeout === undefined ? Infinity : performance.now() + timeout * 1000;
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const workerFile = join(__dirname, 'worker.js');
  const pool = jobs > 1 && existsSync(workerFile) ? new WorkerPool(workerFile, { size: jobs }) : undefined;
  return {
    pool,
    isCancelled: () => interrupted || performance.now() > deadline,
    async close() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await pool?.close();
    },
  };
}
