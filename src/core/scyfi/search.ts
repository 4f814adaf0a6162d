import { PiecewiseAffineMap } from '../model/types';
import { InputError } from '../errors';
import { CandidateSolver, Outcome } from './candidate';
import { buildCycle, CycleStore } from './cycles';
import { defaultInnerLoop, defaultOuterLoop } from './defaults';
import { Prng } from './prng';
import { drawUniform, RegionPool } from './regionPool';
import { SequenceSet } from './sequence';
import { Cycle, ScyfiEvents, ScyfiOptions, ScyfiResult } from './types';
import { normInf } from '../linalg/lu';
import { verifyOrbit } from './verify';

export const DEFAULT_SEED = 0x5c1f1;
/** isCancelled is polled every this many solves or restarts. */
const POLL_EVERY = 256;
/** Shares of the initial-region draws (the rest are uniform random bits). */
const SHARE_MUTATE = 0.1;
const SHARE_TRAJECTORY = 0.4;
const SHARE_VISITED = 0.25;

function checkOptions(options: ScyfiOptions): void {
  const { maxOrder, outerLoop, innerLoop, seed } = options;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new InputError(`maxOrder must be a positive integer, got ${maxOrder}`);
  for (const [name, v] of [
    ['outerLoop', outerLoop],
    ['innerLoop', innerLoop],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new InputError(`${name} must be a positive integer, got ${v}`);
  }
  if (seed !== undefined && !Number.isFinite(seed)) throw new InputError(`seed must be a finite number, got ${seed}`);
}

/**
 * SCYFI (Eisenmann et al. 2023, Algorithm 1): for each order k = 1..K, restart from initial
 * region sequences and follow virtual cycles to the regions their points lie in, until
 * `outerLoop` restarts in a row bring nothing new. Region sequences already solved at this order
 * (in any rotation) are not solved again: following one again would retrace a known path, so
 * the inner loop restarts instead.
 */
export function findCycles(map: PiecewiseAffineMap, options: ScyfiOptions, events: ScyfiEvents = {}): ScyfiResult {
  checkOptions(options);
  const t0 = performance.now();
  const { M, H } = map;
  const K = options.maxOrder;
  const rng = new Prng(options.seed ?? DEFAULT_SEED);
  const solver = new CandidateSolver(map, K);
  const words = solver.words;
  const pool = new RegionPool(map, rng, words, K);
  const store = new CycleStore(M);
  const cycles: Cycle[] = [];
  /** Region sequences of the cycles found, any order, for mutation draws. */
  const foundSeqs: { k: number; seq: Int32Array }[] = [];
  const seq = new Int32Array(K * words);
  let cancelled = false;
  let polls = 0;
  const poll = (): boolean => {
    if (++polls % POLL_EVERY === 0 && events.isCancelled?.()) cancelled = true;
    return cancelled;
  };

  const draw = (k: number): void => {
    const r = rng.nextFloat();
    if (r < SHARE_MUTATE && foundSeqs.length > 0) {
      const src = foundSeqs[rng.nextInt(foundSeqs.length)];
      for (let j = 0; j < k; j++) for (let w = 0; w < words; w++) seq[j * words + w] = src.seq[(j % src.k) * words + w];
      const h = rng.nextInt(H);
      seq[rng.nextInt(k) * words + (h >>> 5)] ^= 1 << (h & 31);
    } else if (r < SHARE_MUTATE + SHARE_TRAJECTORY) pool.drawTrajectory(rng, k, words, seq);
    else if (r < SHARE_MUTATE + SHARE_TRAJECTORY + SHARE_VISITED) pool.drawDistinct(rng, k, words, seq);
    else drawUniform(rng, k, H, words, seq);
  };

  orders: for (let k = 1; k <= K; k++) {
    if (events.isCancelled?.()) {
      cancelled = true;
      break;
    }
    events.onOrder?.(k, K);
    const outer = options.outerLoop ?? defaultOuterLoop(M, H, k);
    const inner = options.innerLoop ?? defaultInnerLoop(M, H, k);
    const tried = new SequenceSet(k, words);
    solver.reset();
    // Neighbours of known cycles first: cycles are born in pairs at border collisions
    // (regions one bit apart), and period-doubled cycles sit next to the tiled lower-order one.
    const queue: Int32Array[] = [];
    for (const f of foundSeqs) if (k % f.k === 0 && f.k < k) pushNeighbours(queue, f.seq, f.k, k, H, words);
    let misses = 0;
    while (misses < outer || queue.length > 0) {
      if (poll()) break orders;
      const queued = queue.pop();
      if (queued) seq.set(queued);
      else {
        misses++;
        draw(k);
      }
      for (let c = 0; c < inner; c++) {
        if (!tried.add(seq)) break;
        if (poll()) break orders;
        const outcome = solver.solve(seq, k);
        if (outcome === Outcome.Singular) break;
        if (outcome === Outcome.Virtual) {
          seq.set(solver.next.subarray(0, k * words));
          continue;
        }
        // Self-consistent: verify against the map, then restart either way.
        const MM = M * M;
        const ok = verifyOrbit(map, solver.orbit, k, (j) => normInf(solver.product(j + 1), M));
        if (ok && !store.has(solver.orbit, k)) {
          store.add(solver.orbit, k);
          const found = Int32Array.from(seq.subarray(0, k * words));
          foundSeqs.push({ k, seq: found });
          pushNeighbours(queue, found, k, k, H, words);
          const cycle = buildCycle(map, solver.orbit, k, Float64Array.from(solver.product(k).subarray(0, MM)));
          cycles.push(cycle);
          events.onCycle?.(cycle);
          misses = 0;
        }
        break;
      }
    }
  }

  cycles.sort(compareCycles);
  return { cycles, stats: { candidates: solver.solves, seconds: (performance.now() - t0) / 1000 }, cancelled };
}

/** Reported order: by order, then by the canonical first point. */
function compareCycles(a: Cycle, b: Cycle): number {
  if (a.order !== b.order) return a.order - b.order;
  const p = a.points[0];
  const q = b.points[0];
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i] - q[i];
  return 0;
}

/** Queues every one-bit change of `src` (order j) tiled to length k. */
function pushNeighbours(queue: Int32Array[], src: Int32Array, j: number, k: number, H: number, words: number): void {
  for (let p = k - 1; p >= 0; p--) {
    for (let h = H - 1; h >= 0; h--) {
      const s = new Int32Array(k * words);
      for (let t = 0; t < k; t++) for (let w = 0; w < words; w++) s[t * words + w] = src[(t % j) * words + w];
      s[p * words + (h >>> 5)] ^= 1 << (h & 31);
      queue.push(s);
    }
  }
}
