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

/** An estimate is shown when the remaining orders look at least this long, in seconds. */
export const ESTIMATE_NOTE_SECONDS = 10;

/**
 * Times the orders of a running search as they start: `start(order)` when order `order` begins
 * (at `now` ms); `remaining()` then estimates the orders from it to maxOrder, when that is long.
 */
export class OrderClock {
  private readonly starts: number[] = [];
  private current = 0;

  constructor(private readonly maxOrder: number) {}

  start(order: number, now = performance.now()): void {
    this.starts.push(now);
    this.current = order;
  }

  /** The seconds of the orders finished so far. */
  orderSeconds(): number[] {
    return this.starts.slice(1).map((t, j) => (t - this.starts[j]) / 1000);
  }

  /** The estimate of the orders from the current one on, or undefined when short or unknown. */
  remaining(): { seconds: number; lastOrderSeconds: number; from: number; to: number } | undefined {
    const times = this.orderSeconds();
    if (times.length === 0) return undefined;
    const seconds = estimateRemainingSeconds(times, this.maxOrder);
    return seconds >= ESTIMATE_NOTE_SECONDS ? { seconds, lastOrderSeconds: times[times.length - 1], from: this.current, to: this.maxOrder } : undefined;
  }
}
