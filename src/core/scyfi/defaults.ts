/**
 * Default loop counts when ScyfiOptions leaves them undefined, growing with the number of
 * switches (n = max(M, H)) and the order k:
 *
 *   outer = 30 + 3·n·k     restarts in a row without a new cycle before the order is given up
 *   inner = 20 + 10·n·k    (at most 2000) jumps to virtual cycles before a restart
 *
 * Why these: the published defaults (outer 10–40, inner 20–1080) miss about one cycle in eight
 * on random models with M = 3..7. Here a restart that lands on an already solved region
 * sequence costs only a hash lookup, and neighbours of found cycles and near-consistent virtual
 * cycles are explored on top of the restarts, so a generous outer loop costs little: on the
 * exhaustive cross-check (test/unit/scyfi/crosscheck.test.ts) outer = 10 already finds all but a
 * handful and these defaults find every cycle. The inner loop grows with n because in higher
 * dimensions virtual-cycle chains that end at a real cycle get long (chains of ~1000 jumps at
 * M = 32 in our runs); 2000 bounds the cost of one chain.
 */
export function defaultOuterLoop(M: number, H: number, k: number): number {
  return 30 + 3 * Math.max(M, H) * k;
}

export function defaultInnerLoop(M: number, H: number, k: number): number {
  return Math.min(2000, 20 + 10 * Math.max(M, H) * k);
}
