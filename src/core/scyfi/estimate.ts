/**
 * The time the remaining orders of a search will take, from the time the last finished order
 * took. Per order the default loops grow with k (restarts ∝ n·k) and so does each solve (a
 * k-step product), so the cost of order k is taken as ∝ k²; the observed growth between the last
 * two orders is used instead when it is steeper. A rough guide for the user, nothing decides by it.
 */
export function estimateRemainingSeconds(orderSeconds: readonly number[], maxOrder: number): number {
  const j = orderSeconds.length;
  if (j === 0 || j >= maxOrder) return 0;
  const last = orderSeconds[j - 1];
  let growth = 0;
  if (j >= 2 && orderSeconds[j - 2] > 0) growth = last / orderSeconds[j - 2];
  let total = 0;
  for (let k = j + 1; k <= maxOrder; k++) {
    const quadratic = last * (k / j) ** 2;
    const observed = growth > 0 ? last * growth ** (k - j) : 0;
    total += Math.max(quadratic, observed);
  }
  return total;
}

/** "about 40 s", "about 3 min", "about 2 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`;
  return `about ${Math.round(seconds / 3600)} h`;
}
