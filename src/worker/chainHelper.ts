// A helper thread of one search (chainAhead.ts): it computes the chains the search will probably
// follow next and posts each chain's record back. It keeps a copy of the search's tried set, a
// subset of it (what the search had tried when the task was sent), so it stops where the search
// would stop or later, never earlier.
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { CandidateSolver } from '../core/scyfi/candidate';
import { walkChain, type ChainRecord } from '../core/scyfi/chain';
import { SequenceSet } from '../core/scyfi/sequence';
import type { PiecewiseAffineMap } from '../core/model/types';

export interface HelperData {
  scyfiChainHelper: true;
  map: PiecewiseAffineMap;
  maxOrder: number;
  /** Int32 [epoch, alive flag of helper 0, of helper 1, …]. */
  shared: SharedArrayBuffer;
  index: number;
  results: MessagePort;
}

/** To a helper: order `k` starts (epoch `epoch`), forget the tried set. */
export interface OrderMessage {
  type: 'order';
  epoch: number;
  k: number;
  patience: number;
}

/** To a helper: compute one chain; `known` are sequences the search tried since the last task sent. */
export interface TaskMessage {
  type: 'task';
  epoch: number;
  key: string;
  seq: Int32Array;
  newton: boolean;
  chain: number;
  known: Int32Array;
}

/** From a helper: a chain's record, or none when its order was over before the helper got to it. */
export interface ResultMessage {
  epoch: number;
  key: string;
  helper: number;
  record?: ChainRecord;
  error?: string;
}

/** Slots of the shared Int32Array. */
export const EPOCH = 0;
export const aliveSlot = (helper: number): number => 1 + helper;

function serveHelper(data: HelperData): void {
  const shared = new Int32Array(data.shared);
  const solver = new CandidateSolver(data.map, data.maxOrder);
  const words = solver.words;
  let k = 1;
  let patience = 1;
  let epoch = -1;
  let known = new SequenceSet(1, words);
  const post = (m: ResultMessage, transfer: ArrayBuffer[] = []) => {
    data.results.postMessage(m, transfer);
  };
  Atomics.store(shared, aliveSlot(data.index), 1);
  parentPort!.on('message', (m: OrderMessage | TaskMessage) => {
    if (m.type === 'order') {
      ({ k, patience, epoch } = m);
      known = new SequenceSet(k, words);
      solver.reset();
      return;
    }
    const stale = () => m.epoch !== epoch || Atomics.load(shared, EPOCH) !== m.epoch;
    if (stale()) return post({ epoch: m.epoch, key: m.key, helper: data.index });
    const len = k * words;
    for (let i = 0; i + len <= m.known.length; i += len) known.add(m.known.subarray(i, i + len));
    try {
      // A chain of an order that is over stops at once: the search no longer wants it.
      const visited = new SequenceSet(k, words);
      const record = walkChain(solver, m, k, patience, (s) => stale() || known.has(s) || !visited.add(s));
      post({ epoch: m.epoch, key: m.key, helper: data.index, record }, [record.seqs.buffer as ArrayBuffer, record.nexts.buffer as ArrayBuffer, record.outcomes.buffer as ArrayBuffer]);
    } catch (e) {
      post({ epoch: m.epoch, key: m.key, helper: data.index, error: e instanceof Error ? e.message : String(e) });
    }
  });
}

/** True in a thread started as a chain helper (dist/worker.js then serves no jobs). */
export function isChainHelperThread(): boolean {
  return !isMainThread && (workerData as Partial<HelperData> | null)?.scyfiChainHelper === true;
}

if (isChainHelperThread()) serveHelper(workerData as HelperData);
