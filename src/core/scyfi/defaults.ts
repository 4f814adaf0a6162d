/**
 * Default loop counts when ScyfiOptions leaves them undefined. (Placeholder rule; tuned against
 * the exhaustive cross-check — see the comment on defaultOuterLoop.)
 */
export function defaultOuterLoop(M: number, H: number, k: number): number {
  return Math.ceil(40 + 8 * Math.max(M, H) * k);
}

export function defaultInnerLoop(M: number, H: number, k: number): number {
  return Math.ceil(50 + 10 * k + 2 * Math.max(M, H));
}
