// A pool of worker threads for many jobs of one kind at a time (a parameter sweep: one task per
// step). Tasks wait in one queue and go to the first idle worker; the outcomes come back in task
// order whichever worker finished first. Usable from the extension host and from the CLI (no
// vscode import); the worker file is dist/worker.js (from dist/cli.js: path.join(__dirname,
// 'worker.js')), or any script that calls serveJobs.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { dispatch, JobError, type JobOptions, type JobRun } from './job';
import type { AnyJobKind, EndOf, InputOf, ItemOf, ProgressOf } from '../../shared/jobs';

export type TaskOutcome<End> =
  | { status: 'done'; end: End }
  | { status: 'failed'; error: JobError }
  /** Cancelled before it started. */
  | { status: 'skipped' };

export interface TaskHandlers<K extends AnyJobKind> {
  /** Items of task `task` (an index into the inputs); tasks running at once interleave. */
  onItems?(task: number, items: ItemOf<K>[]): void;
  onProgress?(task: number, progress: ProgressOf<K>): void;
  /** Task `task` is over, in the order tasks finish. */
  onOutcome?(task: number, outcome: TaskOutcome<EndOf<K>>): void;
}

export interface PoolRun<End> {
  /** One outcome per input, in input order. Never rejects. */
  readonly done: Promise<TaskOutcome<End>[]>;
  /** Skips the tasks not started yet and asks the running ones to stop (they end as their kind ends when cancelled). */
  cancel(): void;
}

export interface PoolOptions extends JobOptions {
  /** Worker threads at most; default os.availableParallelism(). */
  size?: number;
}

const CLOSED = () => new JobError('internal: the worker pool was closed before the task ran', false);

interface Task {
  start(worker: Worker, release: (reusable: boolean) => void): void;
  skip(error?: JobError): void;
}

export class WorkerPool {
  readonly size: number;
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private readonly queue: Task[] = [];
  private closed = false;

  constructor(
    private readonly workerFile: string,
    private readonly options: PoolOptions = {},
  ) {
    this.size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
  }

  /** Runs one task of `kind` per input. */
  run<K extends AnyJobKind>(kind: K, inputs: readonly InputOf<K>[], handlers: TaskHandlers<K> = {}): PoolRun<EndOf<K>> {
    const outcomes: TaskOutcome<EndOf<K>>[] = new Array(inputs.length);
    const mine = new Set<Task>();
    const running = new Set<JobRun<EndOf<K>>>();
    let left = inputs.length;
    let resolve!: (o: TaskOutcome<EndOf<K>>[]) => void;
    const done = new Promise<TaskOutcome<EndOf<K>>[]>((r) => (resolve = r));
    if (left === 0) resolve(outcomes);

    const settle = (i: number, outcome: TaskOutcome<EndOf<K>>) => {
      outcomes[i] = outcome;
      handlers.onOutcome?.(i, outcome);
      if (--left === 0) resolve(outcomes);
    };

    inputs.forEach((input, i) => {
      const task: Task = {
        start: (worker, release) => {
          mine.delete(task);
          const job = dispatch(
            worker,
            kind,
            input,
            { onItems: (items) => handlers.onItems?.(i, items), onProgress: (p) => handlers.onProgress?.(i, p) },
            { graceMs: this.options.graceMs, release },
          );
          running.add(job);
          job.done.then(
            (end) => settle(i, { status: 'done', end }),
            (e: unknown) => settle(i, { status: 'failed', error: e instanceof JobError ? e : new JobError(String(e), false) }),
          ).finally(() => running.delete(job));
        },
        skip: (error) => {
          mine.delete(task);
          settle(i, error ? { status: 'failed', error } : { status: 'skipped' });
        },
      };
      mine.add(task);
      if (this.closed) task.skip(CLOSED());
      else this.queue.push(task);
    });
    this.pump();

    return {
      done,
      cancel: () => {
        for (const task of [...mine]) {
          this.queue.splice(this.queue.indexOf(task), 1);
          task.skip();
        }
        for (const job of running) job.cancel();
      },
    };
  }

  /** Stops every worker; tasks still queued fail, running ones fail as their worker stops. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.skip(CLOSED());
    const all = [...this.idle.splice(0), ...this.busy];
    await Promise.all(all.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const worker = this.idle.pop() ?? (this.idle.length + this.busy.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const task = this.queue.shift()!;
      this.busy.add(worker);
      worker.ref();
      task.start(worker, (reusable) => {
        this.busy.delete(worker);
        if (reusable && !this.closed) {
          // An idle worker does not keep the process (the CLI) alive.
          worker.unref();
          this.idle.push(worker);
        } else void worker.terminate();
        this.pump();
      });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(this.workerFile);
    // While a task runs its job hears these; an idle worker that fails just leaves the pool.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }
}
