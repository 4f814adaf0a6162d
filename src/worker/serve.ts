// The generic worker entry: takes job requests from the host one at a time, checks each against
// its kind's declaration, runs the kind's implementation and sends back its items (batched),
// progress and end, or the error it failed with.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { isInputError } from '../core/errors';
import { parse } from '../shared/messages';
import { JobRequest, type AnyJobKind, type EndOf, type InputOf, type ItemOf, type JobReply, type ProgressOf } from '../shared/jobs';
import { Batcher } from './batch';

/** What a running job may do besides returning its end value. */
export interface JobContext<Item, Progress> {
  /** One result item; items reach the host in batches, in the order they were emitted. */
  emit(item: Item): void;
  /** Sent at once, after the items emitted before it. */
  progress(p: Progress): void;
  /** True once the host asked the job to stop: it should then end soon with what it has. */
  isCancelled(): boolean;
}

export interface JobImplementation<K extends AnyJobKind = AnyJobKind> {
  readonly kind: K;
  run(input: InputOf<K>, ctx: JobContext<ItemOf<K>, ProgressOf<K>>): Promise<EndOf<K>> | EndOf<K>;
}

export function implement<K extends AnyJobKind>(kind: K, run: JobImplementation<K>['run']): JobImplementation<K> {
  return { kind, run };
}

export interface BatchOptions {
  /** The longest an emitted item waits before it is sent. */
  intervalMs?: number;
  /** Items per message at most. */
  maxItems?: number;
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

function errorReply(e: unknown): JobReply<AnyJobKind> {
  if (isInputError(e)) return { type: 'error', message: oneLine(e), input: true, jsonPath: e.jsonPath ? [...e.jsonPath] : undefined };
  return { type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e), input: false };
}

async function runOne(raw: unknown, byKind: ReadonlyMap<string, JobImplementation>, post: (m: JobReply<AnyJobKind>) => void, batching: BatchOptions): Promise<void> {
  let job;
  let input;
  try {
    const req = parse(JobRequest, raw);
    job = byKind.get(req.kind);
    if (!job) throw new Error(`this worker has no job kind '${req.kind}' (it has ${[...byKind.keys()].join(', ')})`);
    input = job.kind.input(req.input, 'job input');
    job = { ...job, flag: new Int32Array(req.cancel) };
  } catch (e) {
    post({ type: 'error', message: `internal: bad job (${oneLine(e)})`, input: false });
    return;
  }
  const batch = new Batcher<unknown>((items) => post({ type: 'items', items }), batching.intervalMs, batching.maxItems);
  const flag = job.flag;
  const ctx: JobContext<unknown, unknown> = {
    emit: (item) => batch.add(item),
    progress: (progress) => {
      batch.flush();
      post({ type: 'progress', progress });
    },
    isCancelled: () => {
      batch.tick();
      return Atomics.load(flag, 0) !== 0;
    },
  };
  try {
    const end: unknown = await job.run(input, ctx);
    batch.flush();
    post({ type: 'end', end });
  } catch (e) {
    batch.flush();
    post(errorReply(e));
  }
}

/** Serves the given job kinds on this worker thread's parent port until the thread is stopped. */
export function serveJobs(jobs: readonly JobImplementation[], batching: BatchOptions = {}, port: MessagePort | null = parentPort): void {
  if (!port) throw new Error('serveJobs runs in a worker thread');
  const byKind = new Map(jobs.map((j) => [j.kind.kind, j]));
  const post = (m: JobReply<AnyJobKind>) => port.postMessage(m);
  // One job at a time, in the order they were asked for (the host sends one and waits anyway).
  let queue = Promise.resolve();
  port.on('message', (raw: unknown) => {
    queue = queue.then(() => runOne(raw, byKind, post, batching));
  });
}
