// The host side of one job on a worker thread, whoever owns the thread (a single run or the
// pool): send the request, relay items and progress, settle once with the end or a JobError,
// and on cancel raise the shared flag, then give up on the worker after a grace period.
import { Worker } from 'node:worker_threads';
import { JobError, type AnyJobKind, type EndOf, type InputOf, type ItemOf, type JobRequest, type ProgressOf } from '../../shared/jobs';
import { parse } from '../../shared/messages';

export { JobError };

export interface JobHandlers<K extends AnyJobKind> {
  /** A batch of streamed items, in the order the job emitted them. */
  onItems?(items: ItemOf<K>[]): void;
  onProgress?(progress: ProgressOf<K>): void;
}

export interface JobRun<End> {
  /** The end value; for a cancelled job, what the job ended with or its kind's partial end. */
  readonly done: Promise<End>;
  /** Asks the job to stop (the flag it polls); after the grace period its worker is given up. */
  cancel(): void;
}

export interface JobOptions {
  /** How long a cancelled job may take to stop before its worker is terminated. */
  graceMs?: number;
}

/** How long a cancelled worker may take to notice before it is terminated. */
export const CANCEL_GRACE_MS = 3000;
/** Messages posted just before a thread ends may arrive after its 'exit': they get this long. */
const EXIT_SETTLE_MS = 200;

/**
 * Runs one job on `worker`, which must not be running another. `release` is called once, when
 * the job is over: `reusable` is false when the worker died, sent nonsense or was given up on,
 * and the owner should then terminate it.
 */
export function dispatch<K extends AnyJobKind>(
  worker: Worker,
  kind: K,
  input: InputOf<K>,
  handlers: JobHandlers<K>,
  options: JobOptions & { release(reusable: boolean): void },
): JobRun<EndOf<K>> {
  const flag = new SharedArrayBuffer(4);
  const streamed: ItemOf<K>[] = [];
  const started = performance.now();
  let settled = false;
  let exited = false;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  let exitTimer: ReturnType<typeof setTimeout> | undefined;
  let resolve!: (end: EndOf<K>) => void;
  let reject!: (e: JobError) => void;
  const done = new Promise<EndOf<K>>((res, rej) => {
    resolve = res;
    reject = rej;
  });

  const finish = (reusable: boolean, outcome: () => void) => {
    if (settled) return;
    settled = true;
    clearTimeout(graceTimer);
    clearTimeout(exitTimer);
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    outcome();
    options.release(reusable && !exited);
  };
  const fail = (reusable: boolean, message: string) => finish(reusable, () => reject(new JobError(message, false)));

  function onMessage(raw: unknown): void {
    let m;
    try {
      m = parse(kind.replies, raw);
    } catch (e) {
      fail(false, `internal: malformed message from the worker (${(e as Error).message})`);
      return;
    }
    switch (m.type) {
      case 'items':
        for (const item of m.items) streamed.push(item);
        handlers.onItems?.(m.items);
        break;
      case 'progress':
        handlers.onProgress?.(m.progress);
        break;
      case 'end': {
        const end = m.end;
        finish(true, () => resolve(end));
        break;
      }
      case 'error': {
        const error = new JobError(m.message, m.input, m.jsonPath);
        finish(true, () => reject(error));
        break;
      }
    }
  }
  function onError(e: Error): void {
    fail(false, `internal: the worker failed (${e.message})`);
  }
  function onExit(code: number): void {
    exited = true;
    exitTimer = setTimeout(() => fail(false, `internal: the worker stopped (exit code ${code}) before it finished`), EXIT_SETTLE_MS);
  }

  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  const request: JobRequest = { type: 'run', kind: kind.kind, input, cancel: flag };
  worker.postMessage(request);

  return {
    done,
    cancel() {
      if (settled || graceTimer) return;
      Atomics.store(new Int32Array(flag), 0, 1);
      graceTimer = setTimeout(() => {
        // Still busy (e.g. loading a large file): give the worker up and keep what was streamed.
        const seconds = (performance.now() - started) / 1000;
        if (kind.partial) {
          const end = kind.partial(streamed.slice(), seconds) as EndOf<K>;
          finish(false, () => resolve(end));
        } else {
          finish(false, () => reject(new JobError(`the '${kind.kind}' job was cancelled`, false, undefined, true)));
        }
      }, options.graceMs ?? CANCEL_GRACE_MS);
      graceTimer.unref?.();
    },
  };
}

/** One job in a worker thread of its own (`workerFile`: dist/worker.js), which ends with it. */
export function startJob<K extends AnyJobKind>(workerFile: string, kind: K, input: InputOf<K>, handlers: JobHandlers<K> = {}, options: JobOptions = {}): JobRun<EndOf<K>> {
  const worker = new Worker(workerFile);
  // After the job is over nothing the thread reports matters, but an unheard 'error' would throw.
  worker.on('error', () => undefined);
  return dispatch(worker, kind, input, handlers, { ...options, release: () => void worker.terminate() });
}
