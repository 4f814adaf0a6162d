// One search on several cores: helper threads (chainHelper.ts) compute the chains the search
// (src/core/scyfi/search.ts, on this thread) will probably follow next, and the search replays
// their records. The search stays the only one deciding what comes next, so its result is the
// same for a seed whatever the number of helpers; helpers only save it the solves.
//
// The search is synchronous, so this side never waits on its event loop: results come back on a
// MessagePort read with receiveMessageOnPort between the search's own solves. The search never
// waits for a helper either: when it needs a chain that a helper is still computing and has
// nothing else to do, it computes that chain itself.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { PiecewiseAffineMap } from '../core/model/types';
import { regionBits } from '../core/model/evaluate';
import type { ChainAhead, ChainRecord, ChainTask } from '../core/scyfi/chain';
import { wordsPerRegion } from '../core/scyfi/sequence';
import { aliveSlot, EPOCH, type HelperData, type OrderMessage, type ResultMessage, type TaskMessage } from './chainHelper';

export interface HelperThreadsOptions {
  /** Helper threads besides the search's own. */
  helpers: number;
  /** Helpers start once the search has run this long (ms), so that short searches do not pay for threads. */
  engageAfterMs?: number;
  /** … and once its restarts have taken this long on average (ms): a cheaper chain costs less to compute than to hand over. */
  minRestartMs?: number;
  /** The search's own stop flag: asked before the search computes other chains for a helper's sake. */
  isCancelled?: () => boolean;
}

/** Default of HelperThreadsOptions.engageAfterMs: a thread takes some 0.1–0.3 s to start and then runs cold code for a while. */
export const DEFAULT_ENGAGE_MS = 1000;
/**
 * Default of HelperThreadsOptions.minRestartMs. Measured (bench/RESULTS.md): the lightning
 * dendPLRNN example (orders 1–16, 0.03 ms per restart) took twice as long with a helper, while
 * every case that gained (PLRNN M ≥ 16, shPLRNN H ≥ 200) spent 0.9–5 ms per restart.
 */
export const DEFAULT_MIN_RESTART_MS = 0.25;
/** Tasks a helper holds at once: one it computes and some waiting, so it never idles between two. */
const DEPTH = 3;
/** While the search computes a chain itself, it hands out work to idle helpers this often (ms). */
const REFILL_MS = 1;

/** Helper threads for `threads` threads in all (the search's own is one): none when threads ≤ 1. */
export function helperCount(threads: number | undefined): number {
  const total = threads === undefined || threads <= 0 ? availableParallelism() : Math.floor(threads);
  return Math.max(0, total - 1);
}

interface Helper {
  worker: Worker;
  results: MessagePort;
  /** Tasks sent and not answered. */
  outstanding: number;
  /** Where this helper's copy of the tried set stands in `tried`. */
  cursor: number;
  failed: boolean;
}

export class HelperThreads implements ChainAhead {
  private readonly shared: Int32Array;
  private readonly started = performance.now();
  private readonly words: number;
  private helpers: Helper[] | undefined;
  private epoch = 0;
  private len = 0;
  private k = 1;
  private patience = 1;
  private readonly records = new Map<string, ChainRecord>();
  /** Key → helper computing it. */
  private readonly inFlight = new Map<string, Helper>();
  /** Planned tasks that no helper had room for: the search computes them while a helper has the one it needs. */
  private spare: ChainTask[] = [];
  /** Sequences the search tried this order, len each. */
  private tried = new Int32Array(1024);
  private triedLength = 0;
  /** For the benchmark: solves done by helpers (records received), and in records the search took. */
  readonly counts = { helperSolves: 0, takenSolves: 0, spareSolves: 0, hereSolves: 0, taken: 0 };

  constructor(
    private readonly map: PiecewiseAffineMap,
    private readonly maxOrder: number,
    private readonly options: HelperThreadsOptions,
  ) {
    this.words = wordsPerRegion(regionBits(map));
    this.shared = new Int32Array(new SharedArrayBuffer(4 * aliveSlot(Math.max(0, options.helpers))));
  }

  beginOrder(k: number, patience: number): void {
    this.epoch++;
    Atomics.store(this.shared, EPOCH, this.epoch);
    this.k = k;
    this.patience = patience;
    this.len = k * this.words;
    this.records.clear();
    this.inFlight.clear();
    this.spare = [];
    this.triedLength = 0;
    for (const h of this.helpers ?? []) {
      h.cursor = 0;
      this.post(h, { type: 'order', epoch: this.epoch, k, patience });
    }
  }

  noteTried(seq: Int32Array): void {
    if (!this.helpers) return;
    const len = this.len;
    if (this.triedLength + len > this.tried.length) {
      const grown = new Int32Array(this.tried.length * 2);
      grown.set(this.tried.subarray(0, this.triedLength));
      this.tried = grown;
    }
    this.tried.set(seq.subarray(0, len), this.triedLength);
    this.triedLength += len;
  }

  plan(upcoming: readonly ChainTask[]): void {
    this.drain();
    this.spare = [...upcoming];
    this.refill();
  }

  /** Sends the spare tasks, in order, to helpers with room. */
  private refill(): void {
    const left: ChainTask[] = [];
    for (const task of this.spare) {
      const key = this.keyOf(task);
      if (this.records.has(key) || this.inFlight.has(key)) continue;
      const h = left.length === 0 ? this.leastBusy() : undefined;
      if (!h) left.push(task);
      else this.send(h, key, task);
    }
    this.spare = left;
  }

  /**
   * Restarts planned ahead: DEPTH for every helper and as many again for the search itself to
   * compute meanwhile; 0 until the helpers start (once the search has run engageAfterMs).
   */
  lookahead(restarts: number): number {
    if (!this.helpers && !this.engage(restarts)) return 0;
    return (this.options.helpers + 1) * DEPTH * 2 + 2;
  }

  take(task: ChainTask, computeHere: (task: ChainTask, onStep: () => void) => ChainRecord): ChainRecord | undefined {
    if (!this.helpers) return undefined;
    const key = this.keyOf(task);
    // Computed here, the search still hands out work to idle helpers between its solves.
    let last = performance.now();
    const onStep = () => {
      const now = performance.now();
      if (now - last < REFILL_MS) return;
      last = now;
      this.drain();
      this.refill();
    };
    for (;;) {
      this.drain();
      const record = this.records.get(key);
      if (record) {
        this.records.delete(key);
        this.counts.taken++;
        this.counts.takenSolves += record.steps;
        return record;
      }
      if (this.options.isCancelled?.()) return undefined;
      // While a running helper computes it, the search computes planned chains no one has taken.
      const h = this.inFlight.get(key);
      const spare = h && !h.failed && Atomics.load(this.shared, aliveSlot(this.helpers.indexOf(h))) === 1 ? this.spare.shift() : undefined;
      if (!spare) break;
      const spareKey = this.keyOf(spare);
      if (!this.records.has(spareKey) && !this.inFlight.has(spareKey)) {
        const computed = computeHere(spare, onStep);
        this.counts.spareSolves += computed.steps;
        this.records.set(spareKey, computed);
      }
      this.drain();
      this.refill();
    }
    // Not sent, sent to a helper that failed or has not started, or nothing else left to do: the
    // search computes it itself rather than wait (a helper that has just started runs cold code;
    // the helper's copy, if any, is dropped).
    const here = computeHere(task, onStep);
    this.counts.hereSolves += here.steps;
    return here;
  }

  /** Starts the helpers now, whatever engageAfterMs says, and resolves once every one runs. */
  async start(): Promise<void> {
    if (!this.helpers) this.engage(0, true);
    const helpers = this.helpers ?? [];
    // A helper that fails to start is marked failed by its 'error' or 'exit' event (delivered while this waits).
    while (helpers.some((h, i) => !h.failed && Atomics.load(this.shared, aliveSlot(i)) === 0)) await new Promise((r) => setTimeout(r, 10));
  }

  /** Stops the helpers (call when the search is over). */
  close(): void {
    for (const h of this.helpers ?? []) {
      void h.worker.terminate();
      h.results.close();
    }
    this.helpers = [];
  }

  private engage(restarts: number, now = false): boolean {
    const { helpers, engageAfterMs = DEFAULT_ENGAGE_MS, minRestartMs = DEFAULT_MIN_RESTART_MS } = this.options;
    const ms = performance.now() - this.started;
    if (helpers < 1 || (!now && (ms < engageAfterMs || ms < minRestartMs * restarts))) return false;
    this.helpers = [];
    for (let i = 0; i < helpers; i++) {
      const { port1, port2 } = new MessageChannel();
      const data: HelperData = { scyfiChainHelper: true, map: this.map, maxOrder: this.maxOrder, shared: this.shared.buffer as SharedArrayBuffer, index: i, results: port2 };
      const worker = startHelper(data);
      const h: Helper = { worker, results: port1, outstanding: 0, cursor: 0, failed: false };
      // These events reach a synchronous search only after it (an error in a task is also posted on the port).
      worker.on('error', () => (h.failed = true));
      worker.on('exit', () => (h.failed = true));
      this.helpers.push(h);
      this.post(h, { type: 'order', epoch: this.epoch, k: this.k, patience: this.patience });
    }
    return true;
  }

  private leastBusy(): Helper | undefined {
    let best: Helper | undefined;
    for (const h of this.helpers ?? []) if (!h.failed && h.outstanding < DEPTH && (!best || h.outstanding < best.outstanding)) best = h;
    return best;
  }

  private send(h: Helper, key: string, task: ChainTask): void {
    const known = this.tried.slice(h.cursor, this.triedLength);
    h.cursor = this.triedLength;
    h.outstanding++;
    this.inFlight.set(key, h);
    this.post(h, { type: 'task', epoch: this.epoch, key, seq: task.seq.slice(0, this.len), newton: task.newton, chain: task.chain, known }, [known.buffer]);
  }

  private post(h: Helper, m: OrderMessage | TaskMessage, transfer: ArrayBuffer[] = []): void {
    h.worker.postMessage(m, transfer);
  }

  private drain(): void {
    for (const h of this.helpers ?? []) {
      for (let got = receiveMessageOnPort(h.results); got; got = receiveMessageOnPort(h.results)) {
        const m = got.message as ResultMessage;
        h.outstanding--;
        if (m.epoch !== this.epoch) continue;
        this.inFlight.delete(m.key);
        if (m.error !== undefined) h.failed = true;
        else if (m.record) {
          this.records.set(m.key, m.record);
          this.counts.helperSolves += m.record.steps;
        }
      }
    }
  }

  private keyOf(task: ChainTask): string {
    return `${task.chain}:${task.newton ? 1 : 0}:${task.seq.subarray(0, this.len).join(',')}`;
  }
}

function startHelper(data: HelperData): Worker {
  const options = { workerData: data, transferList: [data.results] };
  if (__filename.endsWith('.ts')) {
    // From source (tests under tsx): the helper must load TypeScript through tsx too.
    return new Worker(`require('tsx/cjs'); require(${JSON.stringify(join(__dirname, 'chainHelper.ts'))});`, { ...options, eval: true });
  }
  // In a bundle (dist/cli.js, dist/worker.js) this same file holds chainHelper.ts, which serves when started as a helper.
  return new Worker(__filename, options);
}
