import { CandidateSolver, Outcome } from './candidate';

/** A restart of the search: the region sequence it starts from, its jump rule and its chain length. */
export interface ChainTask {
  seq: Int32Array;
  /** Jumps by Newton's rule (CandidateSolver.newtonStep) rather than SCYFI's. */
  newton: boolean;
  /** Solves at most. */
  chain: number;
}

/**
 * A chain of jumps from a task's start, computed ahead of the search (in another thread) and
 * replayed by it. A chain depends only on its task, the order and the patience, except that it
 * stops at a sequence already tried: computed against an older subset of the search's tried set
 * it runs at least as far as the search would, so the search replays it up to the first
 * sequence its own set knows, and gets exactly the chain it would have computed itself.
 */
export interface ChainRecord {
  steps: number;
  /** The sequences solved, in order, k·words each. */
  seqs: Int32Array;
  /** Outcome of each (Outcome). */
  outcomes: Uint8Array;
  /** After a virtual outcome, the regions its points lie in (CandidateSolver.next), k·words each. */
  nexts: Int32Array;
  /** The sequence the chain did not solve because it was known; absent when the chain ended by itself. */
  stop?: Int32Array;
}

/**
 * Runs in advance, in threads of its own, the chains the search is about to follow; the search
 * replays what they computed (src/worker/chainAhead.ts). Results are those of the search alone,
 * whatever the number of threads.
 */
export interface ChainAhead {
  /** Order k starts: what was computed for another order is dropped. */
  beginOrder(k: number, patience: number): void;
  /** The search added seq to its tried set (helpers keep a copy to stop where it would). */
  noteTried(seq: Int32Array): void;
  /**
   * How many restarts ahead `plan` wants to hear of, given the restarts the search has made so
   * far: 0 while no helper runs (asking may start them), and the search then plans nothing.
   */
  lookahead(restarts: number): number;
  /** The restarts likely to follow the one about to run, in their order (if nothing is found meanwhile). */
  plan(upcoming: readonly ChainTask[]): void;
  /**
   * The record of `task` once helpers run (while a helper is computing it, this runs
   * `computeHere` on planned tasks no one has taken, and on `task` itself when none is left;
   * computeHere calls `onStep` between its solves); undefined when no helper runs yet or the
   * search was cancelled, and the search computes it the usual way.
   */
  take(task: ChainTask, computeHere: (task: ChainTask, onStep: () => void) => ChainRecord): ChainRecord | undefined;
}

/** `into` (twice as long) holding `from` at its start. */
function doubled<T extends Int32Array | Uint8Array>(from: T, into: T): T {
  into.set(from);
  return into;
}

/** Switches in which seq and next differ (the first len words). */
export function mismatchCount(seq: Int32Array, next: Int32Array, len: number): number {
  let count = 0;
  for (let i = 0; i < len; i++) {
    let x = seq[i] ^ next[i];
    while (x !== 0) {
      x &= x - 1;
      count++;
    }
  }
  return count;
}

/**
 * A chain as findCycles follows it (search.ts): solve, and after a virtual cycle jump to its
 * regions (or Newton's), until a consistent or singular solve, `patience` jumps without a new low
 * of mismatching switches, `task.chain` solves, or a sequence `isKnown` says was tried.
 */
export function walkChain(solver: CandidateSolver, task: ChainTask, k: number, patience: number, isKnown: (seq: Int32Array) => boolean, onStep?: () => void): ChainRecord {
  const len = k * solver.words;
  let seqs = new Int32Array(Math.min(task.chain, 64) * len);
  let nexts = new Int32Array(seqs.length);
  let outcomes = new Uint8Array(seqs.length / len);
  const seq = Int32Array.from(task.seq.subarray(0, len));
  let best = Infinity;
  let bestAt = 0;
  let steps = 0;
  for (let c = 0; c < task.chain; c++) {
    if (isKnown(seq)) return { steps, seqs, outcomes, nexts, stop: seq };
    onStep?.();
    if (steps === outcomes.length) {
      seqs = doubled(seqs, new Int32Array(seqs.length * 2));
      nexts = doubled(nexts, new Int32Array(nexts.length * 2));
      outcomes = doubled(outcomes, new Uint8Array(outcomes.length * 2));
    }
    const outcome = solver.solve(seq, k);
    seqs.set(seq, steps * len);
    outcomes[steps] = outcome;
    steps++;
    if (outcome !== Outcome.Virtual) break;
    nexts.set(solver.next.subarray(0, len), (steps - 1) * len);
    const mismatch = mismatchCount(seq, solver.next, len);
    if (mismatch < best) {
      best = mismatch;
      bestAt = c;
    } else if (c - bestAt > patience) break;
    if (task.newton) solver.newtonStep(k);
    seq.set((task.newton ? solver.newton : solver.next).subarray(0, len));
  }
  return { steps, seqs, outcomes, nexts };
}
