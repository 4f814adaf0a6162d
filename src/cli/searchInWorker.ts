// `scyfi find` runs the search in a worker thread, so that the main thread stays free to handle
// SIGINT/SIGTERM and the --timeout timer while the (synchronous) search computes. A stop sets a
// flag in shared memory that the search polls, and the worker then returns what it found, as a
// cancelled search does in the editor (src/worker/worker.ts). Self-contained on purpose: it can
// move onto a generic job runner without touching the rest of the CLI.
//
// The worker is this same file: in the bundle (dist/cli.js) that is the CLI itself, whose entry
// point only runs on the main thread; from source (tests under tsx) it is loaded through tsx.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { modelFromSpec } from '../core/model';
import { findCycles } from '../core/scyfi';
import type { ScyfiOptions, ScyfiResult } from '../core/scyfi/types';
import { certifyCycles } from '../core/certify/certify';
import type { CertifyOptions, CertifyResult } from '../core/certify/types';
import { simulateDynamics } from '../core/dynamics/simulate';
import type { DynamicsResult } from '../core/dynamics/types';
import { helperCount, HelperThreads } from '../worker/chainAhead';

/** What stopped a search early, as stored in the shared flag (0: nothing). */
export const STOP_REASONS = ['timeout', 'SIGINT', 'SIGTERM'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

interface SearchJob {
  scyfiCliSearch: true;
  /** The validated model in the JSON model format, and the name its errors would use. */
  spec: unknown;
  source: string;
  options: ScyfiOptions;
  /** With --certify: after the search, prove its list complete (src/core/certify), in this thread too. */
  certify?: CertifyOptions;
  /** After the search: simulate trajectories and say where they settle (src/core/dynamics), in this thread too. */
  simulate?: boolean;
  /** One Int32: 0 while the search may run, 1 + index in STOP_REASONS once it is to stop. */
  stop: SharedArrayBuffer;
  /** Threads the search uses, its own included (src/worker/chainAhead.ts); absent: every core. */
  threads?: number;
}

type SearchMessage =
  | { type: 'order'; order: number; maxOrder: number }
  | { type: 'cycle' }
  | { type: 'certify'; order: number; orders: number }
  | { type: 'done'; result: SearchResult }
  | { type: 'error'; message: string };

export interface SearchEvents {
  onOrder?(order: number, maxOrder: number): void;
  onCycle?(): void;
  /** With certify: the certification of an order starts. */
  onCertifyOrder?(order: number, orders: number): void;
}

/** The search's result, with certify the certified list and its certificate, with simulate the trajectories. */
export type SearchResult = ScyfiResult & { certified?: CertifyResult; dynamics?: DynamicsResult };

export interface SearchRun {
  /** The search's result; cancelled = true when it was stopped. Rejects on an internal error. */
  readonly result: Promise<SearchResult>;
  /** Asks the search to stop and return what it found; the first reason given is kept. */
  stop(reason: StopReason): void;
  /** Why the search was asked to stop, if it was. */
  readonly stoppedBy: StopReason | undefined;
}

function startWorker(job: SearchJob): Worker {
  if (__filename.endsWith('.ts')) {
    // From source: the test runner loads TypeScript through tsx, and so must the worker.
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, { eval: true, workerData: job });
  }
  return new Worker(__filename, { workerData: job });
}

/** Runs findCycles on `spec` (an already validated model) in a worker thread. */
export function searchInWorker(spec: unknown, source: string, options: ScyfiOptions, events: SearchEvents = {}, certify?: CertifyOptions, simulate = false, threads?: number): SearchRun {
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const worker = startWorker({ scyfiCliSearch: true, spec, source, options, ...(certify ? { certify } : {}), ...(simulate ? { simulate } : {}), stop, ...(threads !== undefined ? { threads } : {}) });
  const result = new Promise<SearchResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: SearchMessage) => {
      if (m.type === 'order') events.onOrder?.(m.order, m.maxOrder);
      else if (m.type === 'cycle') events.onCycle?.();
      else if (m.type === 'certify') events.onCertifyOrder?.(m.order, m.orders);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the search worker exited (code ${code}) without a result`));
    });
  });
  return {
    result,
    stop(reason) {
      Atomics.compareExchange(flag, 0, 0, 1 + STOP_REASONS.indexOf(reason));
    },
    get stoppedBy() {
      const v = Atomics.load(flag, 0);
      return v === 0 ? undefined : STOP_REASONS[v - 1];
    },
  };
}

/** The worker's side: one search (and its certification), then the thread ends. */
async function runSearch(job: SearchJob): Promise<void> {
  const post = (m: SearchMessage) => parentPort!.postMessage(m);
  const flag = new Int32Array(job.stop);
  const isCancelled = () => Atomics.load(flag, 0) !== 0;
  try {
    const model = modelFromSpec(job.spec, job.source);
    const helpers = helperCount(job.threads);
    const ahead = helpers > 0 ? new HelperThreads(model.map, job.options.maxOrder, { helpers, isCancelled }) : undefined;
    let result: ScyfiResult;
    try {
      result = findCycles(model.map, job.options, { isCancelled, onOrder: (order, maxOrder) => post({ type: 'order', order, maxOrder }), onCycle: () => post({ type: 'cycle' }), ahead });
    } finally {
      ahead?.close();
    }
    // A stopped search still gets its certificate: every order then reads as not proven.
    const certified = job.certify
      ? await certifyCycles(model.map, result.cycles, job.certify, {
          isCancelled,
          onOrder: (order, orders) => post({ type: 'certify', order, orders }),
          onCycle: () => post({ type: 'cycle' }),
        })
      : undefined;
    const cycles = certified ? certified.cycles : result.cycles;
    // A stopped search is incomplete: what trajectories settle on is not compared with it.
    const dynamics = job.simulate && !result.cancelled && !isCancelled() ? simulateDynamics(model.map, cycles, { maxOrder: job.options.maxOrder, seed: job.options.seed }, isCancelled) : undefined;
    post({ type: 'done', result: { cycles: result.cycles, stats: result.stats, cancelled: result.cancelled || isCancelled(), ...(certified ? { certified } : {}), ...(dynamics && !dynamics.cancelled ? { dynamics } : {}) } });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

if (!isMainThread && (workerData as Partial<SearchJob> | null)?.scyfiCliSearch === true) void runSearch(workerData as SearchJob);
