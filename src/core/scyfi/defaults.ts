import { PiecewiseAffineMap } from '../model/types';

/**
 * Revision of the search: raise it with every change that can change what findCycles returns
 * for the same map, options and seed (defaults, restart rules, jump rules). Stored results keyed
 * by settings (the run cache) include it, so results of an earlier search are not served as
 * this one's. 2: Newton restarts, the flip budget, loops by region information, region pairs.
 * 3: two-bit neighbours of lower-order cycles tiled to length k too. 4: small models make eight
 * times the restarts (smallModelFactor). 5: continuation from found cycles (homotopy.ts).
 */
export const SEARCH_REVISION = 5;

/**
 * Default loop counts when ScyfiOptions leaves them undefined, growing with the information n
 * of one region, n = max(M, regionInformation(map)) (≤ max(M, H)), and the order k:
 *
 *   outer = 90 + 9·n·k     random restarts in a row without a new cycle before the order ends
 *   inner = 20 + 10·n·k    (at most 2000) jumps to virtual cycles before a restart
 *
 * Why these: a faithful port of the published loop with its defaults (outer 10–40, inner
 * 20–1080) misses about one cycle in seven on random PLRNNs with M = 3..7 (bench/RESULTS.md).
 * Here a restart on an already solved region sequence costs only a hash lookup, and on top of
 * the random restarts the search tries the one-bit neighbours of every found cycle (cycles are
 * born in pairs one border apart; two-bit neighbours too while k·H ≤ 24, those within one region
 * while k·H ≤ 80; all of these also of lower-order cycles tiled to length k, where period-doubled
 * cycles sit) and the partial flips
 * of near-consistent virtual cycles, each with a short chain. Both loops grow with n·k because
 * the number of feasible region sequences does, and because the virtual-cycle chains that end
 * at real cycles get long in high dimensions (hundreds of jumps at M = 32); 2000 bounds the
 * cost of one chain. A chain that wanders (no new low of mismatching switches for
 * DEFAULT_CHAIN_PATIENCE jumps, search.ts) ends earlier.
 *
 * The outer loop was 30 + 3·n·k with a patience of 100 until the seed-robustness benchmark
 * (bench/completeness.bench.ts) showed rare cycles that only some seeds find: their chains
 * close in within a few dozen jumps, so three times the restarts with a patience of 30 find
 * more of them (−18 % misses for +23 % candidates; on all but shPLRNN −30 % for +40 %, where
 * four times the restarts at patience 100 gave −26 % for +94 %). n counts region information,
 * not switches: for H ≫ M almost all 2^H switch patterns are empty (shPLRNN M = 3, H = 500
 * has n = 24, not 500). A search from nothing makes smallModelFactor times the outer loop
 * (8 for small models, 1 for large ones); the steps of sweeps and runs the plain count or a
 * share of it (ScyfiOptions.outerLoopScale).
 */
export function defaultOuterLoop(M: number, regionInfo: number, k: number): number {
  return Math.ceil(90 + 9 * Math.max(M, regionInfo) * k);
}

/**
 * How many times defaultOuterLoop's restarts a search from nothing makes: 8 while
 * max(4·M, bits) ≤ 48 (bits: the region bits of one step, regionBits(map)), 1 from 96 on,
 * geometric in between (PLRNN M = 16: 4, M = 20: 2). On the seed-robustness bench the rare
 * cycles that only some seeds found sit in models of this size (M = 8–10, 17–40 switches),
 * where a whole search of orders 1–4 takes a fraction of a second; eight times the restarts cut clipped shPLRNN's misses from 132 to 42 at
 * ×1.8 candidates (×2 and ×4: 107 and 106), while the large models of the benchmark
 * (M = 64, H = 200–500) keep their loops (bench/RESULTS.md).
 */
export function smallModelFactor(M: number, bits: number): number {
  const size = Math.max(4 * M, bits);
  if (size <= SMALL_MODEL_SIZE) return SMALL_MODEL_FACTOR;
  if (size >= 2 * SMALL_MODEL_SIZE) return 1;
  return SMALL_MODEL_FACTOR ** ((2 * SMALL_MODEL_SIZE - size) / SMALL_MODEL_SIZE);
}
const SMALL_MODEL_SIZE = 48;
const SMALL_MODEL_FACTOR = 8;

export function defaultInnerLoop(M: number, regionInfo: number, k: number): number {
  return Math.min(2000, Math.ceil(20 + 10 * Math.max(M, regionInfo) * k));
}

/**
 * log2 of the number of regions the H switches can cut the state space into: the information
 * in one region, which is what the loops scale with (a region sequence of order k is k such
 * regions). When every switch reads one coordinate (PLRNN, ALRNN, dendPLRNN) the borders are
 * axis-aligned and the regions number Π_m (distinct thresholds on z_m + 1); otherwise H
 * hyperplanes in R^M make at most Σ_{i≤M} C(H, i) regions (exactly that many in general
 * position). At most H: for H ≫ M (shPLRNN M = 3, H = 500: 24.3 bits, not 500) almost every
 * one of the 2^H switch patterns is empty.
 */
export function regionInformation(map: PiecewiseAffineMap): number {
  const { M, H, S, s0 } = map;
  const single = new Int32Array(H).fill(-1);
  let axisAligned = true;
  for (let h = 0; h < H && axisAligned; h++) {
    for (let m = 0; m < M; m++) {
      if (S[h * M + m] === 0) continue;
      if (single[h] >= 0) {
        axisAligned = false;
        break;
      }
      single[h] = m;
    }
  }
  if (axisAligned) {
    const thresholds = Array.from({ length: M }, () => new Set<number>());
    for (let h = 0; h < H; h++) if (single[h] >= 0) thresholds[single[h]].add(-s0[h] / S[h * M + single[h]]);
    return Math.min(H, thresholds.reduce((bits, t) => bits + Math.log2(t.size + 1), 0));
  }
  // log2 Σ_{i≤min(M,H)} C(H, i), summed in logs so large H cannot overflow.
  let logTerm = 0;
  let logSum = 0;
  for (let i = 1; i <= Math.min(M, H); i++) {
    logTerm += Math.log2((H - i + 1) / i);
    const hi = Math.max(logSum, logTerm);
    logSum = hi + Math.log2(2 ** (logSum - hi) + 2 ** (logTerm - hi));
  }
  return Math.min(H, logSum);
}
