import { PiecewiseAffineMap } from '../model/types';
import { InputError } from '../errors';
import { CandidateSolver, Outcome } from './candidate';
import { buildCycle, CycleStore } from './cycles';
import { defaultInnerLoop, defaultOuterLoop, regionInformation, smallModelFactor } from './defaults';
import { Prng } from './prng';
import { drawUniform, RegionPool } from './regionPool';
import { flipBit, layoutOf, packSequence, sequencePeriod, SequenceSet, tileSequence, unpackSequence } from './sequence';
import { regionBits } from '../model/evaluate';
import { Cycle, noFinds, OrderStats, ScyfiEvents, ScyfiOptions, ScyfiResult, Source } from './types';
import { CycleHomotopy, randomDirection } from './homotopy';
import { normInf } from '../linalg/lu';
import { verifyOrbit } from './verify';
import { ChainRecord, ChainTask, mismatchCount, walkChain } from './chain';

/** Seed when ScyfiOptions.seed is not given; also the default of the CLI and of scyfi.seed. */
export const DEFAULT_SEED = 0;
/** Default of ScyfiOptions.exhaustiveLimit: a few thousand solves take milliseconds. */
export const DEFAULT_EXHAUSTIVE_LIMIT = 4096;
/** isCancelled is asked at most this often (milliseconds), and between any two solves after that. */
const POLL_MS = 20;
/** Shares of the initial-region draws (the rest are uniform random bits). */
const SHARE_MUTATE = 0.1;
const SHARE_TRAJECTORY = 0.4;
const SHARE_VISITED = 0.25;
/**
 * Share of random restarts whose chain jumps by Newton's rule (CandidateSolver.newtonStep)
 * instead of SCYFI's. Measured on the seeds' misses of bench/completeness.bench.ts: a saddle
 * 4-cycle that 0.3 % of SCYFI chains reach is reached by 44 % of Newton chains, while a
 * strongly unstable 3-cycle reached by 0.7 % of SCYFI chains is almost never reached by Newton's
 * (bench/RESULTS.md), so restarts use both.
 */
const SHARE_NEWTON = 0.5;

/** Virtual cycles off their regions in at most this many switches get partial flips queued. */
const PARTIAL_FLIP_MAX = 3;
/**
 * Restarts from partial flips per order, per outer: they do not count against the outer loop,
 * and the flips left when they are spent are dropped. (They used to count as misses once spent,
 * which let them crowd out the random restarts: on some models an order ran its whole outer
 * loop on flips and made not one random restart.)
 */
const FLIP_STARTS = 2;
/** Inner-loop length for restarts from neighbours of found cycles and from partial flips. */
const LOCAL_CHAIN = 20;
/** Two-bit neighbours of found cycles are tried too while k·H is at most this (≤ 276 pairs). */
const PAIR_NEIGHBOURS_MAX_BITS = 24;
/**
 * Above that, the two-bit neighbours with both bits in one region of the sequence while k·H is
 * at most this (k·C(H, 2) pairs). Rare saddles sit 3–5 switches from other cycles of their
 * order: on the worst models of the seed-robustness bench these cut the misses from 249 to 45
 * for ×3 candidates (bench/RESULTS.md). Lower-order cycles tiled to length k get them too: a
 * period-doubled saddle two switches from a tiled 2-cycle was missed by half the seeds.
 */
const REGION_PAIR_NEIGHBOURS_MAX_BITS = 80;
/**
 * Default of ScyfiOptions.chainPatience: a chain of jumps ends after this many jumps in a row
 * that bring its virtual cycle no closer to its regions (no new low of mismatching switches).
 * Chains that end at a cycle close in quickly (the longest seen before a find: 38 jumps at
 * M = 64, under 20 at M ≤ 10); the others wander for the whole inner loop (bench/RESULTS.md).
 * With 30 the same candidates buy three times the restarts, which find more rare cycles than
 * longer chains do (defaults.ts).
 */
export const DEFAULT_CHAIN_PATIENCE = 30;
/**
 * Continuation (ScyfiOptions.homotopy): random directions followed from each found cycle, both
 * ways, for at most HOMOTOPY_STEPS border crossings each. On the worst models of the
 * seed-robustness bench this reaches every cycle some seeds missed (bench/RESULTS.md, sixth pass);
 * 4 directions did not, and directions matter more than length (the zeros of missed cycles lay
 * anywhere along curves that mostly run their whole length).
 */
const HOMOTOPY_DIRECTIONS = 8;
const HOMOTOPY_STEPS = 100;

function checkOptions(options: ScyfiOptions): void {
  const { maxOrder, outerLoop, innerLoop, seed } = options;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new InputError(`maxOrder must be a positive integer, got ${maxOrder}`);
  for (const [name, v] of [
    ['outerLoop', outerLoop],
    ['innerLoop', innerLoop],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new InputError(`${name} must be a positive integer, got ${v}`);
  }
  if (options.exhaustiveLimit !== undefined && !(options.exhaustiveLimit >= 0)) {
    throw new InputError(`exhaustiveLimit must be a non-negative number, got ${options.exhaustiveLimit}`);
  }
  if (seed !== undefined && !Number.isFinite(seed)) throw new InputError(`seed must be a finite number, got ${seed}`);
  const p = options.chainPatience;
  if (p !== undefined && !(p === Infinity || (Number.isInteger(p) && p >= 1))) throw new InputError(`chainPatience must be a positive integer or Infinity, got ${p}`);
  if (options.outerLoopScale !== undefined && !(options.outerLoopScale > 0 && options.outerLoopScale <= 1)) {
    throw new InputError(`outerLoopScale must be in (0, 1], got ${options.outerLoopScale}`);
  }
}

/**
 * What a search needs besides the map that can be kept across the searches of a path of models
 * with the same dimensions: the solver's buffers and the pool of visited regions (built from the
 * first model). Searches given a context draw their random numbers from a fresh generator of
 * their own seed, so a search's result depends only on the context, its map and its options.
 */
export class SearchContext {
  readonly solver: CandidateSolver;
  readonly pool: RegionPool;

  constructor(map: PiecewiseAffineMap, maxOrder: number, seed: number = DEFAULT_SEED, isCancelled?: () => boolean) {
    this.solver = new CandidateSolver(map, maxOrder);
    this.pool = new RegionPool(map, new Prng(seed), this.solver.words, maxOrder, isCancelled);
  }

  get maxOrder(): number {
    return this.solver.maxOrder;
  }
}

interface Start {
  seq: Int32Array;
  source: Source;
}

/**
 * SCYFI (Eisenmann et al. 2023, Algorithm 1): for each order k = 1..K, restart from initial
 * region sequences and follow virtual cycles to the regions their points lie in, until
 * `outerLoop` random restarts in a row bring nothing new. On top of the paper:
 * - a region sequence already solved at this order (in any rotation) is not solved again:
 *   following it would retrace a known path, so the chain ends there;
 * - seed sequences (options.seeds: e.g. the cycles of the previous model of a sweep) are
 *   solved first, with their one-bit neighbours;
 * - restarts also come, before random draws, from the one-bit (and for small k·H two-bit)
 *   neighbours of found cycles, including lower-order cycles tiled to length k, and from
 *   partial flips of near-consistent virtual cycles; these run short chains;
 * - half the random restarts jump by Newton's rule instead of SCYFI's (CandidateSolver.newtonStep);
 * - random initial regions come mostly from simulated trajectories (H > M makes most of the
 *   2^H patterns empty), partly from uniform bits so nothing is unreachable;
 * - a chain also ends after `chainPatience` jumps that bring it no closer to its regions;
 * - orders with at most `exhaustiveLimit` sequences are enumerated completely instead;
 * - when the restarts of an order run out, the residual curves through the found cycles are
 *   followed (homotopy.ts) and the region sequences where they cross zero are solved, with
 *   their neighbours; a find there starts the restarts over.
 * Every self-consistent candidate is re-verified on the map and must have least period k.
 */
export function findCycles(map: PiecewiseAffineMap, options: ScyfiOptions, events: ScyfiEvents = {}, context?: SearchContext): ScyfiResult {
  checkOptions(options);
  const exhaustiveLimit = options.exhaustiveLimit ?? DEFAULT_EXHAUSTIVE_LIMIT;
  const patience = options.chainPatience ?? DEFAULT_CHAIN_PATIENCE;
  const t0 = performance.now();
  const { M, H } = map;
  const K = options.maxOrder;
  const rng = new Prng(options.seed ?? DEFAULT_SEED);
  let cancelled = false;
  let lastPoll = performance.now();
  // The clock, not a count, decides when to ask: one solve of a large model can take long.
  const poll = (): boolean => {
    if (cancelled) return true;
    const now = performance.now();
    if (now - lastPoll >= POLL_MS) {
      lastPoll = now;
      if (events.isCancelled?.()) cancelled = true;
    }
    return cancelled;
  };
  if (context && (context.solver.M !== M || context.solver.H !== H || context.solver.bits !== regionBits(map) || context.maxOrder < K)) {
    throw new Error('SearchContext was made for a map of other dimensions or a lower order');
  }
  const solver = context?.solver ?? new CandidateSolver(map, K);
  if (context) solver.retarget(map);
  const nBits = solver.bits;
  const words = solver.words;
  const layout = layoutOf(map);
  const regionInfo = regionInformation(map);
  const pool = context?.pool ?? new RegionPool(map, rng, words, K, poll);
  const store = new CycleStore(M);
  const cycles: Cycle[] = [];
  /** Region sequences of the cycles found, any order, for mutation draws. */
  const foundSeqs: { k: number; seq: Int32Array }[] = [];
  const seq = new Int32Array(K * words);
  const orderStats: OrderStats[] = [];
  const foundBy = noFinds();
  const seedsByOrder = new Map<number, Int32Array[]>();
  for (const s of options.seeds ?? []) {
    if (s.order < 1 || s.order > K || s.regions.length !== s.order) continue;
    const packed = packSequence(s.regions, layout);
    if (!packed) throw new InputError(`a seed region sequence does not fit the model (${s.regions.join(' ')})`);
    seedsByOrder.set(s.order, [...(seedsByOrder.get(s.order) ?? []), packed]);
  }

  /** A random restart: its initial regions into `out`; true when it jumps by Newton's rule. */
  const draw = (gen: Prng, k: number, out: Int32Array): boolean => {
    const r = gen.nextFloat();
    if (r < SHARE_MUTATE && foundSeqs.length > 0) {
      const src = foundSeqs[gen.nextInt(foundSeqs.length)];
      for (let j = 0; j < k; j++) for (let w = 0; w < words; w++) out[j * words + w] = src.seq[(j % src.k) * words + w];
      const h = gen.nextInt(nBits);
      flipBit(out, gen.nextInt(k), words, h);
    } else if (r < SHARE_MUTATE + SHARE_TRAJECTORY) pool.drawTrajectory(gen, k, words, out);
    else if (r < SHARE_MUTATE + SHARE_TRAJECTORY + SHARE_VISITED) pool.drawDistinct(gen, k, words, out);
    else drawUniform(gen, k, H, words, out);
    return gen.nextFloat() < SHARE_NEWTON;
  };
  // Continuation is for small models searched from nothing (as the small-model factor is).
  const homotopy =
    options.homotopy !== false && options.outerLoopScale === undefined && smallModelFactor(M, nBits) > 1 && CycleHomotopy.supports(map)
      ? new CycleHomotopy(map, K, words)
      : undefined;
  const ahead = events.ahead;
  let candidates = 0;
  let restarts = 0;

  orders: for (let k = 1; k <= K; k++) {
    if (cancelled || events.isCancelled?.()) {
      cancelled = true;
      break;
    }
    events.onOrder?.(k, K);
    // The small-model factor is for searches from nothing; sweeps scale the plain count (outerLoopScale).
    const outer =
      options.outerLoop ??
      Math.max(1, Math.ceil(defaultOuterLoop(M, regionInfo, k) * (options.outerLoopScale ?? smallModelFactor(M, nBits))));
    const inner = options.innerLoop ?? defaultInnerLoop(M, regionInfo, k);
    const tried = new SequenceSet(k, words);
    solver.reset();
    const exhaustive = nBits * k <= 30 && 2 ** (nBits * k) <= exhaustiveLimit;
    // Seeds first, in their order, then their one-bit neighbours; then (a stack) neighbours of
    // found cycles, first those of lower-order ones (period-doubled cycles sit next to the
    // tiled lower-order one).
    const seedStarts: Start[] = [];
    const queue: Start[] = [];
    const flips: Int32Array[] = [];
    if (!exhaustive) {
      for (const f of foundSeqs) {
        if (k % f.k !== 0 || f.k === k) continue;
        if (k * nBits <= REGION_PAIR_NEIGHBOURS_MAX_BITS) pushPairNeighbours(queue, f.seq, f.k, k, nBits, words, k * nBits > PAIR_NEIGHBOURS_MAX_BITS);
        pushNeighbours(queue, f.seq, f.k, k, nBits, words, 'neighbour');
      }
      const seeds = seedsByOrder.get(k) ?? [];
      if (options.seedNeighbours !== false) for (let i = seeds.length - 1; i >= 0; i--) pushNeighbours(seedStarts, seeds[i], k, k, nBits, words, 'seed');
      for (let i = seeds.length - 1; i >= 0; i--) seedStarts.push({ seq: seeds[i], source: 'seed' });
    }
    let misses = exhaustive ? outer : 0;
    let code = 0;
    const st: OrderStats = { order: k, outerLoop: outer, innerLoop: inner, candidates: 0, restarts: 0, longestGap: 0, longestChain: 0, foundBy: noFinds() };
    /** An enumerated order met a sequence it could not solve (I − F singular or ill-conditioned). */
    let unsolved = false;
    orderStats.push(st);
    const candidatesBefore = candidates;
    let flipStarts = 0;
    const len = k * words;
    const localChain = Math.min(inner, LOCAL_CHAIN);
    // With helper threads (events.ahead): the random restarts to come, drawn ahead from a copy of
    // the generator (taken when first needed); valid while no cycle is found (a find changes the
    // mutation draws).
    let predicted: ChainTask[] = [];
    let predictRng: Prng | undefined;
    let predictedFinds = foundSeqs.length;
    const dropPredictions = (): void => {
      predicted = [];
      predictRng = undefined;
      predictedFinds = foundSeqs.length;
    };
    /** The `count` restarts after the one about to run, if nothing is found meanwhile. */
    const upcoming = (count: number): ChainTask[] => {
      const out: ChainTask[] = [];
      for (let i = seedStarts.length - 1; i >= 0 && out.length < count; i--) out.push({ seq: seedStarts[i].seq, newton: false, chain: LOCAL_CHAIN });
      for (let i = queue.length - 1; i >= 0 && out.length < count; i--) out.push({ seq: queue[i].seq, newton: false, chain: localChain });
      const flipsLeft = Math.max(0, FLIP_STARTS * outer - flipStarts);
      for (let i = flips.length - 1; i >= Math.max(0, flips.length - flipsLeft) && out.length < count; i--) out.push({ seq: flips[i], newton: false, chain: localChain });
      if (predictedFinds !== foundSeqs.length) dropPredictions();
      for (let i = 0; out.length < count; i++) {
        if (i === predicted.length) {
          const start = new Int32Array(len);
          predictRng ??= rng.clone();
          const newton = draw(predictRng, k, start);
          predicted.push({ seq: start, newton, chain: inner });
        }
        out.push(predicted[i]);
      }
      return out;
    };
    /**
     * Adds the cycle the solver just solved consistently in `found` at order p (k, or a lower
     * order dividing it) if it verifies and is new, with its neighbours at order k queued.
     */
    const addIfNew = (p: number, found: Int32Array, source: Source): boolean => {
      if (!verifyOrbit(map, solver.orbit, p, (j) => normInf(solver.product(j + 1), M)) || store.has(solver.orbit, p)) return false;
      store.add(solver.orbit, p);
      const packed = Int32Array.from(found.subarray(0, p * words));
      foundSeqs.push({ k: p, seq: packed });
      if (!exhaustive) {
        if (k * nBits <= REGION_PAIR_NEIGHBOURS_MAX_BITS) pushPairNeighbours(queue, packed, p, k, nBits, words, k * nBits > PAIR_NEIGHBOURS_MAX_BITS);
        pushNeighbours(queue, packed, p, k, nBits, words, 'neighbour');
      }
      const cycle = buildCycle(map, solver.orbit, p, Float64Array.from(solver.product(p).subarray(0, M * M)), unpackSequence(packed, p, layout));
      cycles.push(cycle);
      events.onCycle?.(cycle);
      st.foundBy![source]++;
      foundBy[source]++;
      st.longestGap = Math.max(st.longestGap, misses);
      misses = 0;
      return true;
    };
    // Continuation from the cycles found (each once per order) when the restarts run out: the
    // region sequences where the curves cross zero are queued as neighbours are.
    let followed = 0;
    const homotopyRng = new Prng((options.seed ?? DEFAULT_SEED) * 0x3c6ef372 + k);
    const queuedFromCurves = new SequenceSet(k, words);
    const followFound = (): boolean => {
      if (!homotopy || exhaustive) return false;
      const x = new Float64Array(k * M);
      const g = new Float64Array(k * M);
      // A zero whose sequence repeats with a period p < k is a p-cycle (or a continuum): solved at p.
      const lower: { p: number; seq: Int32Array }[] = [];
      const onZero = (z: Int32Array): void => {
        const p = sequencePeriod(z, k, words);
        if (p < k) lower.push({ p, seq: z.subarray(0, p * words) });
        else if (!tried.has(z) && queuedFromCurves.add(z)) queue.push({ seq: z, source: 'homotopy' });
      };
      for (; followed < cycles.length; followed++) {
        const c = cycles[followed];
        if (k % c.order !== 0) continue;
        for (let j = 0; j < k; j++) x.set(c.points[j % c.order], j * M);
        for (let r = 0; r < HOMOTOPY_DIRECTIONS; r++) {
          if (poll()) return false;
          randomDirection(homotopyRng, k * M, g);
          homotopy.follow(k, x, g, 1, HOMOTOPY_STEPS, onZero);
          homotopy.follow(k, x, g, -1, HOMOTOPY_STEPS, onZero);
        }
      }
      for (const { p, seq: sub } of lower) {
        candidates++;
        if (solver.solve(sub, p) === Outcome.Consistent) addIfNew(p, sub, 'homotopy');
      }
      return queue.length > 0 || misses < outer;
    };
    // A stop request cuts a chain computed here short (as a known sequence would): the search then ends at its first step.
    const computeHere = (task: ChainTask, onStep: () => void): ChainRecord => walkChain(solver, task, k, patience, (s) => poll() || tried.has(s), onStep);
    if (ahead && !exhaustive) ahead.beginOrder(k, patience);
    while (misses < outer || seedStarts.length > 0 || queue.length > 0 || flips.length > 0 || (exhaustive && code < 2 ** (nBits * k)) || followFound()) {
      if (poll()) break orders;
      st.restarts++;
      restarts++;
      let chain = inner;
      let source: Source;
      if (exhaustive) {
        // Every sequence once, no jumps: the code's bits are the switches of d_1, then d_2, …
        if (code >= 2 ** (nBits * k)) break;
        seq.fill(0, 0, k * words);
        for (let j = 0; j < k; j++) for (let h = 0; h < nBits; h++) if (Math.floor(code / 2 ** (j * nBits + h)) % 2 === 1) seq[j * words + (h >>> 5)] |= 1 << (h & 31);
        code++;
        chain = 1;
        source = 'exhaustive';
      } else {
        const queued = seedStarts.pop() ?? queue.pop();
        // Partial flips have a budget of their own: once it is spent the rest are dropped, so they
        // never take the place of the random restarts the stop rule counts.
        if (flipStarts >= FLIP_STARTS * outer) flips.length = 0;
        const flip = queued ? undefined : flips.pop();
        // Queued starts probe the neighbourhood of something known: short chains suffice. A seed
        // (a cycle of a nearby model) may have moved a border or two: it always gets the chain.
        if (queued || flip) chain = queued?.source === 'seed' ? LOCAL_CHAIN : localChain;
        if (queued) {
          seq.set(queued.seq);
          source = queued.source;
        } else if (flip) {
          seq.set(flip);
          source = 'flip';
          flipStarts++;
        } else {
          misses++;
          source = 'random';
        }
      }
      const newton = source === 'random' && draw(rng, k, seq);
      // The draw just made was the first predicted one, unless a find made the predictions stale.
      if (source === 'random' && predicted.length > 0 && predictedFinds === foundSeqs.length) predicted.shift();
      else if (source === 'random') dropPredictions();
      let record: ChainRecord | undefined;
      const lookahead = ahead && !exhaustive ? ahead.lookahead(restarts) : 0;
      if (ahead && lookahead > 0) {
        const task: ChainTask = { seq: Int32Array.from(seq.subarray(0, len)), newton, chain };
        ahead.plan(upcoming(lookahead));
        record = ahead.take(task, computeHere);
      }
      let bestMismatch = Infinity;
      let bestAt = 0;
      for (let c = 0; c < chain; c++) {
        // The step's sequence and outcome: replayed from a chain computed ahead, or solved here.
        const replay = record !== undefined && c < record.steps;
        if (record && c === record.steps) {
          // The helper stopped at a sequence it knew, which the tried set knows too; should it not,
          // the chain goes on here from there.
          if (!record.stop) throw new Error('internal: a chain computed ahead ended before the search would have ended it');
          seq.set(record.stop);
          record = undefined;
        }
        const s = replay ? record!.seqs.subarray(c * len, (c + 1) * len) : seq;
        if (!tried.add(s)) break;
        ahead?.noteTried(s);
        if (poll()) break orders;
        candidates++;
        const outcome: Outcome = replay ? record!.outcomes[c] : solver.solve(seq, k);
        if (outcome === Outcome.Singular) {
          unsolved = true;
          break;
        }
        if (outcome === Outcome.Virtual) {
          const next = replay ? record!.nexts.subarray(c * len, (c + 1) * len) : solver.next;
          const mismatch = exhaustive ? 0 : pushPartialFlips(flips, s, next, len);
          if (mismatch < bestMismatch) {
            bestMismatch = mismatch;
            bestAt = c;
          } else if (c - bestAt > patience) break;
          if (!replay) {
            if (newton) solver.newtonStep(k);
            seq.set((newton ? solver.newton : solver.next).subarray(0, len));
          }
          continue;
        }
        if (replay) {
          // The orbit and products of the consistent candidate: solved again here (not counted).
          seq.set(s);
          solver.solve(seq, k);
        }
        // Self-consistent: verify against the map, then restart either way.
        if (addIfNew(k, seq, source)) st.longestChain = Math.max(st.longestChain, c);
        break;
      }
    }
    // Reached only when the order ran to its end (a stop request leaves by `break orders`).
    if (exhaustive && !unsolved) st.enumerated = true;
    st.candidates = candidates - candidatesBefore;
  }

  cycles.sort(compareCycles);
  const last = orderStats[orderStats.length - 1];
  if (last) last.candidates = candidates - orderStats.slice(0, -1).reduce((s, o) => s + o.candidates, 0);
  const seconds = (performance.now() - t0) / 1000;
  return {
    cycles,
    stats: { candidates, seconds, foundBy, ...(orderStats.length ? { orders: orderStats } : {}) },
    cancelled,
  };
}

/** Reported order: by order, then by the canonical first point. */
function compareCycles(a: Cycle, b: Cycle): number {
  if (a.order !== b.order) return a.order - b.order;
  const p = a.points[0];
  const q = b.points[0];
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i] - q[i];
  return 0;
}

/**
 * A virtual cycle that misses its regions in only a few switches is close to a real one; the
 * jump flips all of them at once, so the alternatives that flip just one are queued too.
 */
function pushPartialFlips(queue: Int32Array[], seq: Int32Array, next: Int32Array, len: number): number {
  const count = mismatchCount(seq, next, len);
  if (count < 2 || count > PARTIAL_FLIP_MAX) return count;
  for (let i = 0; i < len; i++) {
    const x = seq[i] ^ next[i];
    for (let bit = 0; bit < 32; bit++) {
      if (!((x >>> bit) & 1)) continue;
      const s = Int32Array.from(seq.subarray(0, len));
      s[i] ^= 1 << bit;
      queue.push(s);
    }
  }
  return count;
}

/** Queues every one-bit change of `src` (order j) tiled to length k. */
function pushNeighbours(queue: Start[], src: Int32Array, j: number, k: number, nBits: number, words: number, source: Source): void {
  const base = tileSequence(src, j, k, words);
  for (let p = k - 1; p >= 0; p--) {
    for (let h = nBits - 1; h >= 0; h--) {
      const s = base.slice();
      flipBit(s, p, words, h);
      queue.push({ seq: s, source });
    }
  }
}

/**
 * Queues every two-bit change of `src` (order j) tiled to length k, or with `oneRegion` those
 * within one region.
 */
function pushPairNeighbours(queue: Start[], src: Int32Array, j: number, k: number, nBits: number, words: number, oneRegion: boolean): void {
  const base = tileSequence(src, j, k, words);
  const n = k * nBits;
  for (let a = n - 1; a >= 0; a--) {
    const low = oneRegion ? Math.floor(a / nBits) * nBits : 0;
    for (let b = a - 1; b >= low; b--) {
      const s = base.slice();
      for (const bit of [a, b]) flipBit(s, Math.floor(bit / nBits), words, bit % nBits);
      queue.push({ seq: s, source: 'neighbour' });
    }
  }
}
