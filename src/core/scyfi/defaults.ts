/**
 * Default loop counts when ScyfiOptions leaves them undefined, growing with the number of
 * switches n = max(M, H) and the order k:
 *
 *   outer = 30 + 3·n·k     random restarts in a row without a new cycle before the order ends
 *   inner = 20 + 10·n·k    (at most 2000) jumps to virtual cycles before a restart
 *
 * Why these: a faithful port of the published loop with its defaults (outer 10–40, inner
 * 20–1080) misses about one cycle in seven on random PLRNNs with M = 3..7 (bench/RESULTS.md).
 * Here a restart on an already solved region sequence costs only a hash lookup, and on top of
 * the random restarts the search tries the one-bit neighbours of every found cycle (cycles are
 * born in pairs one border apart; two-bit neighbours too while k·H ≤ 24) and the partial flips
 * of near-consistent virtual cycles, each with a short chain. With that, outer = 10 already finds all but a handful of the cycles of the
 * exhaustive cross-check (test/unit/scyfi/crosscheck.test.ts) and these defaults find all of
 * them, with a margin of 4–10× on the restart gaps seen there. Both loops grow with n·k because
 * the number of feasible region sequences does, and because the virtual-cycle chains that end
 * at real cycles get long in high dimensions (hundreds of jumps at M = 32); 2000 bounds the
 * cost of one chain. A chain that wanders (no new low of mismatching switches for
 * DEFAULT_CHAIN_PATIENCE jumps, search.ts) ends earlier: that is what makes the long inner loop
 * affordable at M = 64.
 */
export function defaultOuterLoop(M: number, H: number, k: number): number {
  return 30 + 3 * Math.max(M, H) * k;
}

export function defaultInnerLoop(M: number, H: number, k: number): number {
  return Math.min(2000, 20 + 10 * Math.max(M, H) * k);
}
