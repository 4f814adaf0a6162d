// Starts worker threads and relays their messages; the extension host only waits.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { parse } from '../shared/messages';
import {
  WorkerToHost,
  type CheckpointInfo,
  type Cycle,
  type ModelInfo,
  type ModelSource,
  type RunOptions,
  type RunResult,
  type WorkerJob,
} from '../shared/protocol';

/** A failed job: `input` when the user's file is at fault (show the message as is). */
export class JobError extends Error {
  constructor(
    message: string,
    readonly input: boolean,
    readonly jsonPath?: (string | number)[],
  ) {
    super(message);
    this.name = 'JobError';
  }
}

export interface FindHandlers {
  onModel?(model: ModelInfo): void;
  onOrder?(order: number, maxOrder: number): void;
  onCycle?(cycle: Cycle): void;
}

export interface FindRequest {
  source: ModelSource;
  displayName: string;
  options: RunOptions;
  parameterMap?: Record<string, unknown>;
}

/** How long a cancelled worker may take to notice before it is terminated. */
const CANCEL_GRACE_MS = 3000;

function workerPath(extensionUri: vscode.Uri): string {
  return path.join(extensionUri.fsPath, 'dist', 'worker.js');
}

/** One SCYFI search in its own worker thread. */
export class FindRun {
  readonly done: Promise<RunResult>;
  private readonly flag = new SharedArrayBuffer(4);
  private readonly found: Cycle[] = [];
  private readonly started = Date.now();
  private worker: Worker;
  private settle?: (r: RunResult) => void;
  private finished = false;

  constructor(extensionUri: vscode.Uri, req: FindRequest, handlers: FindHandlers = {}) {
    const job: WorkerJob = { kind: 'find', ...req, cancel: this.flag };
    this.worker = new Worker(workerPath(extensionUri), { workerData: job });
    this.done = new Promise<RunResult>((resolve, reject) => {
      this.settle = (r) => {
        if (this.finished) return;
        this.finished = true;
        resolve(r);
        void this.worker.terminate();
      };
      const fail = (e: JobError) => {
        if (this.finished) return;
        this.finished = true;
        reject(e);
        void this.worker.terminate();
      };
      this.worker.on('message', (raw: unknown) => {
        let m;
        try {
          m = parse(WorkerToHost, raw);
        } catch (e) {
          fail(new JobError(`internal: malformed message from the worker (${(e as Error).message})`, false));
          return;
        }
        switch (m.type) {
          case 'model':
            handlers.onModel?.(m.model);
            break;
          case 'order':
            handlers.onOrder?.(m.order, m.maxOrder);
            break;
          case 'cycle':
            this.found.push(m.cycle);
            handlers.onCycle?.(m.cycle);
            break;
          case 'done':
            this.settle?.(m.result);
            break;
          case 'error':
            fail(new JobError(m.message, m.input, m.jsonPath));
            break;
          case 'inspected':
            fail(new JobError('internal: the worker answered a search with an inspection', false));
            break;
        }
      });
      this.worker.on('error', (e) => fail(new JobError(`internal: the worker failed (${e.message})`, false)));
      // Messages posted just before the thread ends may arrive after 'exit': give them a moment.
      this.worker.on('exit', (code) => setTimeout(() => fail(new JobError(`internal: the worker stopped (exit code ${code}) before it finished`, false)), 200));
    });
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Asks the search to stop; it resolves with what it found so far. */
  cancel(): void {
    if (this.finished) return;
    Atomics.store(new Int32Array(this.flag), 0, 1);
    setTimeout(() => {
      // Still busy (e.g. loading a large file): stop the thread and keep what was streamed.
      this.settle?.({ cycles: [...this.found], stats: { candidates: 0, seconds: (Date.now() - this.started) / 1000 }, cancelled: true });
    }, CANCEL_GRACE_MS).unref?.();
  }
}

/** Lists a checkpoint's tensors and the model they map to, in a worker thread. */
export function inspectCheckpoint(extensionUri: vscode.Uri, filePath: string, displayName: string, parameterMap?: Record<string, unknown>): Promise<CheckpointInfo> {
  const job: WorkerJob = { kind: 'inspect', path: filePath, displayName, parameterMap };
  const worker = new Worker(workerPath(extensionUri), { workerData: job });
  return new Promise<CheckpointInfo>((resolve, reject) => {
    let finished = false;
    const end = (f: () => void) => {
      if (finished) return;
      finished = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (raw: unknown) => {
      try {
        const m = parse(WorkerToHost, raw);
        if (m.type === 'inspected') end(() => resolve(m.info));
        else if (m.type === 'error') end(() => reject(new JobError(m.message, m.input, m.jsonPath)));
      } catch (e) {
        end(() => reject(new JobError(`internal: malformed message from the worker (${(e as Error).message})`, false)));
      }
    });
    worker.on('error', (e) => end(() => reject(new JobError(`internal: the worker failed (${e.message})`, false))));
    worker.on('exit', (code) => setTimeout(() => end(() => reject(new JobError(`internal: the worker stopped (exit code ${code})`, false))), 200));
  });
}
